"""Query parameters -> SearchRequest: the same names on every route, bounded sizes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from starlette.datastructures import QueryParams

from ..errors import N_, BadDate, BadParameter
from ..facet_table import SELECTABLE
from ..request import DEFAULT_SIZE, MAX_QUERY_CHARS, SearchRequest, validated
from ..tags import TagVocabulary

T = TypeVar("T")
MAX_VALUES = 20
MAX_VALUE_CHARS = 200


def single(params: QueryParams, name: str) -> str:
    """A parameter that has one value: given twice ("to=&to=2020-01-01") it is refused,
    rather than read as whichever of the values comes last."""
    values = params.getlist(name)
    if len(values) > 1:
        raise BadParameter(N_("'%(name)s' may be given only once"), name=name)
    return values[0] if values else ""


def _parsed(
    params: QueryParams,
    name: str,
    parse: Callable[[str], T],
    message: str,
    refusal: Callable[..., BadParameter] = BadParameter,
) -> T | None:
    """A one-value parameter read by `parse`, None when blank; `refusal(message, …)`
    (a BadParameter) when `parse` refuses it."""
    value = single(params, name).strip()
    if not value:
        return None
    try:
        return parse(value)
    except ValueError:
        raise refusal(message, name=name, value=value[:40]) from None


def _not_a_date(message: str, **values: str) -> BadDate:
    beside = N_("“%(value)s” is not a date (YYYY-MM-DD): that date was not applied.")
    return BadDate(message, beside, **values)


def _date(params: QueryParams, name: str, problems: list[BadDate] | None = None) -> date | None:
    """A date parameter; one that cannot be read is refused, or, when a `problems` list
    is given (HTML pages), added to it and left out. Given twice is still refused."""
    message = N_("'%(name)s' must be a date written as YYYY-MM-DD, not '%(value)s'")
    try:
        return _parsed(params, name, date.fromisoformat, message, _not_a_date)
    except BadDate as problem:
        if problems is None:
            raise
        problems.append(problem)
        return None


def _int(params: QueryParams, name: str, default: int) -> int:
    message = N_("'%(name)s' must be a whole number, not '%(value)s'")
    number = _parsed(params, name, lambda value: int(value[:12]), message)
    return default if number is None else number


def int_param(params: QueryParams, name: str, default: int, low: int, high: int) -> int:
    """A whole-number parameter clamped to low…high (400 when it is not a number)."""
    return min(max(low, _int(params, name, default)), high)


def search_request(
    params: QueryParams,
    ui_lang: str,
    size: int = DEFAULT_SIZE,
    problems: list[BadDate] | None = None,
) -> SearchRequest:
    """The request the parameters ask for, checked by the one validator (request.py).
    With a `problems` list (HTML search pages), a date that cannot be read or a reversed
    range is a `BadDate` added there and left out, instead of refusing the search."""
    lists: dict[str, list[str]] = {}
    for facet in SELECTABLE:
        values = [v.strip()[:MAX_VALUE_CHARS] for v in params.getlist(facet.param) if v.strip()]
        lists[facet.field] = list(dict.fromkeys(values))[:MAX_VALUES]
    vocabulary = TagVocabulary.builtin()  # one id per tag, whichever spelling a URL has
    lists["tags"] = list(dict.fromkeys(vocabulary.resolve(t) or t for t in lists["tags"]))
    request = SearchRequest(
        q=single(params, "q")[:MAX_QUERY_CHARS],
        date_from=_date(params, "from", problems),
        date_to=_date(params, "to", problems),
        sort=single(params, "sort").strip(),
        page=_int(params, "page", 1),
        size=_int(params, "size", size),
        exact=single(params, "exact") in ("1", "true", "on", "yes"),
        undated=single(params, "undated") in ("1", "true", "on", "yes"),
        ui_lang=ui_lang,
        # no URL parameter: the pages that count within their results or show only their
        # most counted values ask for it (entity and person pages)
        facets_within=False,
        facet_size=0,
        **lists,
    )
    return validated(request, problems)


def request_params(request: SearchRequest) -> list[tuple[str, str]]:
    """The URL parameters that reproduce a request (a permalink)."""
    items: list[tuple[str, str]] = []
    if request.q:
        items.append(("q", request.q))
    for facet in SELECTABLE:
        items.extend((facet.param, value) for value in getattr(request, facet.field))
    if request.date_from:
        items.append(("from", request.date_from.isoformat()))
    if request.date_to:
        items.append(("to", request.date_to.isoformat()))
    if request.undated:
        items.append(("undated", "1"))
    if request.sort:
        items.append(("sort", request.sort))
    if request.exact:
        items.append(("exact", "1"))
    if request.size != DEFAULT_SIZE:
        items.append(("size", str(request.size)))
    return items
