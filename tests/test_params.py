"""URL parameters -> SearchRequest and back (web/params.py): the same names on every route,
bounded sizes, translated refusals, and permalinks that reproduce the request."""

from __future__ import annotations

from datetime import date

import pytest
from starlette.datastructures import QueryParams

from searcharchive.errors import BadParameter
from searcharchive.web.locale import current_lang, gettext
from searcharchive.web.params import (
    MAX_VALUE_CHARS,
    MAX_VALUES,
    int_param,
    request_params,
    search_request,
    single,
)


def test_every_parameter_is_read_into_the_request() -> None:
    request = search_request(
        QueryParams(
            "q=Viasna&tag=a&tag=b&org=viasna&article=cc:342&lang=be&from=2020-01-02"
            "&to=2021-03-04&sort=oldest&page=3&size=25&exact=1"
        ),
        "ru",
    )
    assert (request.q, request.tags, request.orgs, request.articles, request.langs) == (
        "Viasna",
        ["a", "b"],
        ["viasna"],
        ["cc:342"],
        ["be"],
    )
    assert (request.date_from, request.date_to) == (date(2020, 1, 2), date(2021, 3, 4))
    assert (request.sort, request.page, request.size, request.exact, request.ui_lang) == (
        "oldest",
        3,
        25,
        True,
        "ru",
    )


def test_a_permalink_reproduces_the_request() -> None:
    query = (
        "q=%D1%81%D1%82.+342&tag=joint+statement&org=viasna&article=cc%3A342&lang=ru"
        "&from=2020-01-02&to=2020-02-03&sort=newest&exact=1&size=20"
    )
    request = search_request(QueryParams(query), "en")
    assert search_request(QueryParams(request_params(request)), "en") == request
    assert request_params(search_request(QueryParams(""), "en")) == []  # the defaults say nothing


def test_lists_are_trimmed_deduplicated_and_bounded() -> None:
    values = "&".join(f"tag=t{n % 30}" for n in range(100))
    request = search_request(QueryParams(f"{values}&tag=+&tag=&org={'o' * 500}"), "en")
    assert request.tags == [f"t{n}" for n in range(MAX_VALUES)]
    assert request.orgs == ["o" * MAX_VALUE_CHARS]


def test_page_and_size_are_clamped() -> None:
    request = search_request(QueryParams("page=-4&size=100000"), "en")
    assert (request.page, request.size) == (1, 100)
    assert search_request(QueryParams("size=0"), "en").size == 1
    assert search_request(QueryParams(""), "en", size=50).size == 50
    assert int_param(QueryParams("n=7"), "n", 1, 1, 5) == 5
    assert int_param(QueryParams(""), "n", 3, 1, 5) == 3


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2020-02-30", "'from' must be a date written as YYYY-MM-DD, not '2020-02-30'"),
        ("from=2021-01-01&to=2020-01-01", "the 'from' date is after the 'to' date"),
        ("to=&to=2020-01-01", "'to' may be given only once"),
        ("page=abc", "'page' must be a whole number, not 'abc'"),
        ("sort=sideways", "'sort' must be relevance, newest or oldest, not 'sideways'"),
        ("lang=en&lang=xx", "'lang' must be one of en, be, ru, not 'xx'"),
    ],
)
def test_bad_parameters_are_refused_with_a_message(query: str, message: str) -> None:
    with pytest.raises(BadParameter) as refused:
        search_request(QueryParams(query), "en")
    assert str(refused.value) == message


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_refusals_are_in_the_readers_language(lang: str) -> None:
    """The language of the request being answered (set per request by the app)."""
    with pytest.raises(BadParameter) as refused:
        search_request(QueryParams("sort=sideways"), lang)
    token = current_lang.set(lang)
    try:
        translated = refused.value.translated(gettext)
    finally:
        current_lang.reset(token)
    assert "«sideways»" in translated and "«sort»" in translated
    assert translated != str(refused.value)  # str(): the English the CLI prints


def test_a_single_parameter_given_once_or_not_at_all() -> None:
    assert single(QueryParams("q=a"), "q") == "a"
    assert single(QueryParams(""), "q") == ""
    with pytest.raises(BadParameter):
        single(QueryParams("q=a&q=b"), "q")
