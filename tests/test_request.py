"""The request model: one validator for web, CLI and library, and the facet table."""

from __future__ import annotations

from datetime import date

import pytest
from starlette.datastructures import QueryParams

from searcharchive.archive import Archive
from searcharchive.errors import BadDate, BadParameter
from searcharchive.facet_table import FACETS, SELECTABLE
from searcharchive.i18n import translations
from searcharchive.request import MAX_PAGE, MAX_SIZE, SearchRequest, validated
from searcharchive.web.params import request_params, search_request


def test_validated_returns_a_bounded_copy_and_leaves_the_request_alone() -> None:
    request = SearchRequest(q="court", page=0, size=10_000)
    checked = validated(request)
    assert (checked.page, checked.size) == (1, MAX_SIZE)
    assert (request.page, request.size) == (0, 10_000)
    assert validated(SearchRequest(page=MAX_PAGE + 5)).page == MAX_PAGE


@pytest.mark.parametrize(
    ("request_", "english", "belarusian"),
    [
        (
            SearchRequest(sort="sideways"),
            "'sort' must be relevance, newest or oldest, not 'sideways'",
            "«sideways»",
        ),
        (SearchRequest(langs=["de"]), "'lang' must be one of en, be, ru, not 'de'", "en, be, ru"),
        (
            SearchRequest(date_from=date(2022, 1, 1), date_to=date(2020, 1, 1)),
            "the 'from' date is after the 'to' date",
            "",
        ),
    ],
)
def test_a_refusal_is_english_for_the_cli_and_translated_for_the_web(
    archive: Archive, request_: SearchRequest, english: str, belarusian: str
) -> None:
    with pytest.raises(BadParameter) as caught:
        archive.search(request_)  # the library and the CLI
    assert str(caught.value) == english
    translated = caught.value.translated(translations("be").gettext)
    assert translated != english and belarusian in translated
    with pytest.raises(BadParameter) as from_web:  # the web: the same validator
        search_request(QueryParams(request_params(request_)), "be")
    assert from_web.value.message == caught.value.message


@pytest.mark.parametrize(
    ("params", "left"),
    [
        ([("from", "2022-01-01"), ("to", "2020-01-01")], (None, None)),
        ([("from", "yesterday"), ("to", "2020-01-01")], (None, date(2020, 1, 1))),
    ],
)
def test_a_page_given_a_problems_list_leaves_a_bad_date_out_the_others_refuse_it(
    params: list[tuple[str, str]], left: tuple[date | None, date | None]
) -> None:
    with pytest.raises(BadDate):  # the API, feeds and exports
        search_request(QueryParams([("q", "court"), *params]), "en")
    problems: list[BadDate] = []  # the HTML search page: the same validator, collecting
    request = search_request(QueryParams([("q", "court"), *params]), "be", problems=problems)
    assert (request.date_from, request.date_to) == left and request.q == "court"
    assert len(problems) == 1
    beside = problems[0].translated_beside(translations("be").gettext)
    assert beside != problems[0].beside  # translated, not English
    with pytest.raises(BadParameter):  # given twice is refused even on a page
        search_request(QueryParams([("to", ""), ("to", "2020-01-01")]), "en", problems=[])


def test_undated_and_another_spelling_of_a_tag_reach_the_request() -> None:
    request = search_request(QueryParams([("undated", "1")]), "en")
    assert request.undated and request_params(request) == [("undated", "1")]
    assert validated(SearchRequest(undated=True)).undated
    tags = [("tag", "Joint  Statements"), ("tag", "joint statement"), ("tag", "unlisted")]
    request = search_request(QueryParams(tags), "en")  # one id, whichever spelling
    assert request.tags == ["joint statement", "unlisted"]


def test_every_facet_of_the_table_is_counted_listed_and_linked(archive: Archive) -> None:
    result = archive.search(SearchRequest())
    assert list(result.to_json()["facets"]) == [facet.key for facet in FACETS]
    for facet in SELECTABLE:  # each selectable facet's URL parameter reaches its field
        value = next(v.value for v in result.facets[facet.key])
        request = search_request(QueryParams([(facet.param, value)]), "en")
        assert getattr(request, facet.field) == [value]
        assert request_params(request) == [(facet.param, value)]
        assert archive.search(request).total >= 1
