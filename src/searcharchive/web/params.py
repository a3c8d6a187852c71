"""Query parameters -> SearchRequest: the same names on every route, bounded sizes."""

from __future__ import annotations

from datetime import date

from starlette.datastructures import QueryParams

from ..errors import BadParameter
from ..query import MAX_QUERY_CHARS
from ..search import MAX_SIZE, SORTS, SearchRequest
from ..statement import LANGS
from ..tags import TagVocabulary
from .locale import gettext as _

MAX_VALUES = 20
MAX_VALUE_CHARS = 200
LIST_PARAMS = {"tag": "tags", "org": "orgs", "article": "articles", "lang": "langs"}


def single(params: QueryParams, name: str) -> str:
    """A parameter that has one value: given twice ("to=&to=2020-01-01") it is refused,
    rather than read as whichever of the values comes last."""
    values = params.getlist(name)
    if len(values) > 1:
        raise BadParameter(_("'%(name)s' may be given only once") % {"name": name})
    return values[0] if values else ""


def _date(params: QueryParams, name: str) -> date | None:
    value = single(params, name).strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadParameter(
            _("'%(name)s' must be a date written as YYYY-MM-DD, not '%(value)s'")
            % {"name": name, "value": value[:40]}
        ) from None


def _int(params: QueryParams, name: str, default: int) -> int:
    value = single(params, name).strip()
    if not value:
        return default
    try:
        return int(value[:12])
    except ValueError:
        raise BadParameter(
            _("'%(name)s' must be a whole number, not '%(value)s'")
            % {"name": name, "value": value[:40]}
        ) from None


def int_param(params: QueryParams, name: str, default: int, low: int, high: int) -> int:
    """A whole-number parameter clamped to low…high (400 when it is not a number)."""
    return min(max(low, _int(params, name, default)), high)


def search_request(
    params: QueryParams, ui_lang: str, size: int = 10, problems: list[str] | None = None
) -> SearchRequest:
    """The request the parameters ask for. With a `problems` list (HTML pages), a date
    that cannot be read, or a reversed range, is left out and explained there instead
    of refusing the whole search: the reader keeps the query and the other filters."""
    lists: dict[str, list[str]] = {}
    for name, attribute in LIST_PARAMS.items():
        values = [v.strip()[:MAX_VALUE_CHARS] for v in params.getlist(name) if v.strip()]
        lists[attribute] = list(dict.fromkeys(values))[:MAX_VALUES]
    vocabulary = TagVocabulary.builtin()  # one id per tag, whichever spelling a URL has
    lists["tags"] = list(dict.fromkeys(vocabulary.resolve(t) or t for t in lists["tags"]))
    bad_langs = [lang for lang in lists["langs"] if lang not in LANGS]
    if bad_langs:
        raise BadParameter(
            _("'lang' must be en, be or ru, not '%(value)s'") % {"value": bad_langs[0][:40]}
        )
    sort = single(params, "sort").strip()
    if sort and sort not in SORTS:
        raise BadParameter(
            _("'sort' must be relevance, newest or oldest, not '%(value)s'") % {"value": sort[:40]}
        )
    date_from, date_to = _lenient(params, "from", problems), _lenient(params, "to", problems)
    request = SearchRequest(
        q=single(params, "q")[:MAX_QUERY_CHARS],
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=max(1, _int(params, "page", 1)),
        size=min(max(1, _int(params, "size", size)), MAX_SIZE),
        exact=single(params, "exact") in ("1", "true", "on", "yes"),
        undated=single(params, "undated") in ("1", "true", "on", "yes"),
        ui_lang=ui_lang,
        **lists,
    )
    if request.date_from and request.date_to and request.date_from > request.date_to:
        if problems is None:
            raise BadParameter(_("the 'from' date is after the 'to' date"))
        problems.append(_("The “from” date is after the “to” date: no date range was applied."))
        request.date_from = request.date_to = None
    return request


def _lenient(params: QueryParams, name: str, problems: list[str] | None) -> date | None:
    """`_date`, or None with the reason added to `problems` when that list is given."""
    value = single(params, name).strip()[:40]  # given twice is still refused
    if problems is None:
        return _date(params, name)
    try:
        return _date(params, name)
    except BadParameter:
        problems.append(
            _("“%(value)s” is not a date (YYYY-MM-DD): that date was not applied.")
            % {"value": value}
        )
        return None


def request_params(request: SearchRequest) -> list[tuple[str, str]]:
    """The URL parameters that reproduce a request (a permalink)."""
    items: list[tuple[str, str]] = []
    if request.q:
        items.append(("q", request.q))
    for name, attribute in LIST_PARAMS.items():
        items.extend((name, value) for value in getattr(request, attribute))
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
    if request.size != 10:
        items.append(("size", str(request.size)))
    return items
