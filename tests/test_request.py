"""The request model: one validator for web, CLI and library, and the facet table."""

from __future__ import annotations

from datetime import date

import pytest
from starlette.datastructures import QueryParams

from searcharchive.archive import Archive
from searcharchive.errors import BadParameter
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


def test_every_facet_of_the_table_is_counted_listed_and_linked(archive: Archive) -> None:
    result = archive.search(SearchRequest())
    assert list(result.to_json()["facets"]) == [facet.key for facet in FACETS]
    for facet in SELECTABLE:  # each selectable facet's URL parameter reaches its field
        value = next(v.value for v in result.facets[facet.key])
        request = search_request(QueryParams([(facet.param, value)]), "en")
        assert getattr(request, facet.field) == [value]
        assert request_params(request) == [(facet.param, value)]
        assert archive.search(request).total >= 1
