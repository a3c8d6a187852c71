"""Facet values labelled in the reader's language (labels.py): organizations and persons from
the gazetteers, articles from the citation titles, languages and months from CLDR."""

from __future__ import annotations

import pytest

from searcharchive.facets import FacetCount
from searcharchive.gazetteer import Gazetteer
from searcharchive.labels import Labeller, language_name, month_name

ORGANIZATIONS = Gazetteer.builtin("organizations")
LABELLER = Labeller(ORGANIZATIONS, Gazetteer.builtin("persons"))


@pytest.mark.parametrize(
    ("lang", "organization", "language", "month", "article"),
    [
        ("en", '"Viasna"', "Belarusian", "March 2021", "Art. 342, Part 1"),
        ("be", "«Вясна»", "Беларуская", "сакавік 2021", "арт. 342, ч. 1"),
        ("ru", "«Весна»", "Белорусский", "март 2021", "ст. 342, ч. 1"),
    ],
)
def test_each_kind_of_value_is_labelled_in_the_readers_language(
    lang: str, organization: str, language: str, month: str, article: str
) -> None:
    assert organization in LABELLER.label("org", "viasna", lang)
    assert LABELLER.label("lang", "be", lang) == language
    assert LABELLER.label("month", "2021-03", lang).startswith(month)
    assert LABELLER.label("article", "cc:342:1", lang).endswith(article)


def test_values_without_a_label_are_shown_as_they_are() -> None:
    assert LABELLER.label("tag", "joint statement", "be") == "joint statement"
    assert LABELLER.label("org", "no-such-organization", "ru") == "no-such-organization"
    assert LABELLER.label("person", "no-such-person", "en") == "no-such-person"
    assert language_name("xx", "en") == "Xx"  # capitalised, never an error
    assert language_name("be", "not a locale") == "Be"


def test_month_names_are_months_of_that_year() -> None:
    names = {month_name(f"2020-{month:02d}", "en") for month in range(1, 13)}
    assert len(names) == 12 and all(name.endswith(" 2020") for name in names)


def test_facets_are_keyed_for_the_api_sorted_and_carry_their_parents() -> None:
    counts = {
        "tag": [FacetCount("b", 2, False), FacetCount("a", 2, True), FacetCount("c", 5, False)],
        "org": [FacetCount("viasna", 1, False)],
        "article": [FacetCount("cc:342:1", 3, True), FacetCount("cc:342", 4, False)],
        "month": [FacetCount("2021-03", 1, False)],
        "lang": [FacetCount("ru", 1, False)],
    }
    facets = LABELLER.facets(counts, "en")
    assert sorted(facets) == ["article", "lang", "month", "organization", "tag"]
    assert [(t.value, t.count, t.selected) for t in facets["tag"]] == [
        ("c", 5, False),  # the most frequent first, then by label
        ("a", 2, True),
        ("b", 2, False),
    ]
    part, article = facets["article"]  # articles keep the order they came in
    assert (part.value, part.parent, part.selected) == ("cc:342:1", "cc:342", True)
    assert article.parent == "cc" and article.title == part.title != ""
    assert facets["month"][0].parent == "2021"
    assert facets["organization"][0].label == LABELLER.label("org", "viasna", "en")
    assert facets["lang"][0].label == "Russian"
