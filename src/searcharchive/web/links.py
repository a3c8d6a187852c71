"""URLs and facet view models, built in Python so templates only loop (Datasette style)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from starlette.requests import Request

from ..archive import SearchResult
from ..citations import article_title, citation_label, title_in
from ..facet_table import BY_NAME, SELECTABLE, Facet, FacetValue
from ..i18n import UI_LANGS
from ..request import SearchRequest
from .params import request_params

SHOWN_VALUES = 12
HIT_ARTICLES = 3  # articles a hit lists, those the search asked for first


def checked_base_url(value: str) -> str:
    """A public base URL as `scheme://host[:port]`; ValueError unless it is one."""
    parts = urlsplit(value.strip())
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # not a number up to 65535
        port_ok = False
    if (
        not port_ok
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ValueError(
            f"'{value[:80]}' is not an http:// or https:// address without a path, "
            "such as https://archive.example.org"
        )
    return f"{parts.scheme}://{parts.netloc}"


def public_base(request: Request) -> str:
    """Where absolute links (Atom, CSV) point: the configured base URL, else the address
    this server answers on. Never the request's Host header, which the client chooses."""
    configured = getattr(request.app.state, "base_url", None)
    if configured:
        return str(configured)
    host, port = request.scope.get("server") or ("127.0.0.1", 80)
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def search_url(prefix: str, params: list[tuple[str, str]], path: str = "/") -> str:
    query = urlencode(params)
    return f"{prefix}{path}" + (f"?{query}" if query else "")


def language_urls(request: Request) -> dict[str, str]:
    """This page in each UI language. From the scope's path, without the language prefix
    and decoded: request.url would read a "?" or "#" in it (a tag's) as the start of the
    query or fragment."""
    bare_path = quote(request.scope["path"])
    return {lang: with_raw_query(f"/{lang}{bare_path}", request) for lang in UI_LANGS}


def with_raw_query(url: str, request: Request) -> str:
    """`url` followed by the request's query string exactly as it came."""
    raw_query = request.scope.get("query_string", b"").decode("latin-1")
    return url + (f"?{raw_query}" if raw_query else "")


def feed_url(prefix: str, params: list[tuple[str, str]]) -> str:
    return search_url(prefix, params, "/feed.atom")


def export_url(prefix: str, params: list[tuple[str, str]]) -> str:
    return search_url(prefix, params, "/export.csv")


def api_url(prefix: str, params: list[tuple[str, str]]) -> str:
    """The JSON of a search, under the page's language prefix: its labels (tags, articles,
    organizations) are in the language of the page that links it, whatever the reader's
    Accept-Language says (`?lang=` filters the statements' languages, not the labels)."""
    return search_url(prefix, params, "/api/search")


def statement_url(prefix: str, statement_id: str) -> str:
    return f"{prefix}/statements/{quote(statement_id)}"


def tag_url(prefix: str, tag: str) -> str:
    return f"{prefix}/tags/{quote(tag, safe='')}"


def tags_url(prefix: str) -> str:
    """The list of every tag (web/facet_pages.all_tags)."""
    return f"{prefix}/tags/"


def person_url(prefix: str, person_id: str) -> str:
    return f"{prefix}/persons/{quote(person_id, safe='')}"


def persons_url(prefix: str, params: list[tuple[str, str]] | None = None) -> str:
    return search_url(prefix, params or [], "/persons/")


def entity_url(prefix: str, facet: Facet, value: str) -> str:
    """The page of one value of a facet (an organization, an article, a tag), or "" when
    the facet's values have none."""
    if not facet.entity:
        return ""
    return f"{prefix}/{facet.entity}/{quote(value, safe='')}"


def entity_api_url(prefix: str, facet: Facet, value: str) -> str:
    return f"{prefix}/api/entities/{facet.entity}/{quote(value, safe='')}"


def facet_url(prefix: str, key: str, params: list[tuple[str, str]]) -> str:
    """The page listing every value of the facet `key` for the search `params`."""
    return search_url(prefix, params, f"/facets/{quote(key, safe='')}")


def facet_api_url(prefix: str, key: str, params: list[tuple[str, str]]) -> str:
    """The JSON of a facet page, in its language (as api_url)."""
    return search_url(prefix, params, f"/api/facets/{quote(key, safe='')}")


def toggled(request: SearchRequest, facet: Facet, value: str) -> list[tuple[str, str]]:
    """The request's parameters with one facet value switched on or off, back to page 1."""
    values: list[str] = list(getattr(request, facet.field))
    values = [v for v in values if v != value] if value in values else [*values, value]
    changes: dict[str, Any] = {facet.field: values}
    return request_params(replace(request, **changes))


def with_dates(
    request: SearchRequest, start: date | None, end: date | None
) -> list[tuple[str, str]]:
    changed = replace(request, date_from=start, date_to=end, undated=False)
    return request_params(changed)


def with_page(request: SearchRequest, page: int) -> list[tuple[str, str]]:
    params = request_params(request)
    return params + [("page", str(page))] if page > 1 else params


@dataclass
class FacetSection:
    """A facet as the search page shows it: its heading, its linked values, how many
    values it has and the page listing them all (None when all are shown)."""

    facet: Facet
    values: list[FacetValue]
    total: int = 0
    all_url: str | None = None


def facet_sections(result: SearchResult, prefix: str) -> list[FacetSection]:
    """The selectable facets in table order, each value with the URL that toggles it
    (selected values first). A tree facet shows its codes, and under them only the paths
    to selected values: the facet page opens a code's articles."""
    request = result.request
    params = request_params(request)
    sections = []
    for facet in SELECTABLE:
        items = result.facets.get(facet.key, [])
        if facet.kind == "tree":
            values = _tree(items, request, prefix)
            shown = len(values) + sum(_size(v.children) for v in values)
        else:
            ordered = [i for i in items if i.selected] + [i for i in items if not i.selected]
            values = [linked(i, request, prefix) for i in ordered[: max(SHOWN_VALUES, 1)]]
            shown = len(values)
        total = result.facet_totals.get(facet.key, len(items))
        more = facet_url(prefix, facet.key, params) if shown < total else None
        sections.append(FacetSection(facet, values, total, more))
    return sections


def _size(values: list[FacetValue]) -> int:
    return len(values) + sum(_size(v.children) for v in values)


def _holds_selected(node: FacetValue) -> bool:
    return node.selected or any(_holds_selected(child) for child in node.children)


def linked(item: FacetValue, request: SearchRequest, prefix: str) -> FacetValue:
    """A copy of `item` with its toggle URL (the result's own values stay as they are)."""
    url = search_url(prefix, toggled(request, item.facet, item.value))
    page = entity_url(prefix, item.facet, item.value)
    return replace(item, url=url, entity_url=page, children=[])


def _tree(items: list[FacetValue], request: SearchRequest, prefix: str) -> list[FacetValue]:
    """code -> article -> part, each level ordered by count."""
    nodes = {i.value: linked(i, request, prefix) for i in items}
    roots: list[FacetValue] = []
    for item in items:
        node = nodes[item.value]
        parent = nodes.get(item.parent or "")
        (parent.children if parent else roots).append(node)
    for node in [*nodes.values()]:
        node.children.sort(key=lambda n: (-n.count, n.value))
        for child in node.children:  # a part under its article: the title is shown once
            if child.title == node.title:
                child.title = None
    for node in [*nodes.values()]:  # below the codes, only the paths to selected values
        node.children = [child for child in node.children if _holds_selected(child)]
    roots.sort(key=lambda n: (-n.count, n.value))
    return roots


@dataclass
class Bar:
    label: str
    count: int
    url: str
    selected: bool
    peak: int


def undated_bar(result: SearchResult, prefix: str) -> Bar | None:
    """The statements without a date, as a bar of the chart (a toggle, like a year)."""
    request = result.request
    if not result.undated and not request.undated:
        return None
    changed = replace(request, undated=not request.undated, date_from=None, date_to=None)
    url = search_url(prefix, request_params(changed))
    return Bar("", result.undated, url, request.undated, _date_peak(result))


def _date_peak(result: SearchResult) -> int:
    """The longest bar of the chart: the years and the undated bar share one scale."""
    years = result.facets.get("year", [])
    return max([result.undated, *(y.count for y in years)]) or 1


def date_histogram(result: SearchResult, prefix: str) -> tuple[list[Bar], list[Bar]]:
    """Years, and the months of the year the range selects (if it selects one)."""
    request = result.request
    years = result.facets.get("year", [])
    peak = _date_peak(result)
    year_bars = []
    for year in sorted(years, key=lambda y: y.value, reverse=True):
        start, end = date(int(year.value), 1, 1), date(int(year.value), 12, 31)
        selected = request.date_from == start and request.date_to == end
        params = with_dates(request, None, None) if selected else with_dates(request, start, end)
        year_bars.append(Bar(year.label, year.count, search_url(prefix, params), selected, peak))
    month_bars: list[Bar] = []
    if request.date_from and request.date_to and request.date_from.year == request.date_to.year:
        months = [
            m for m in result.facets.get("month", []) if m.parent == str(request.date_from.year)
        ]
        peak = max((m.count for m in months), default=1) or 1
        for month in sorted(months, key=lambda m: m.value):
            y, m = (int(p) for p in month.value.split("-"))
            start = date(y, m, 1)
            last = date.fromordinal(date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1)
            selected = request.date_from == start and request.date_to == last
            month_bars.append(
                Bar(
                    month.label,
                    month.count,
                    search_url(prefix, with_dates(request, start, last)),
                    selected,
                    peak,
                )
            )
    return year_bars, month_bars


def pager(result: SearchResult, prefix: str, path: str = "/") -> dict[str, Any]:
    request = result.request
    return numbered_pager(
        request.page,
        result.pages,
        lambda page: search_url(prefix, with_page(request, page), path),
    )


def numbered_pager(page: int, pages: int, url: Callable[[int], str]) -> dict[str, Any]:
    """What _pager.html shows: first, previous, the pages around this one, next, last."""
    window = [p for p in range(max(1, page - 2), min(pages, page + 2) + 1)]
    return {
        "page": page,
        "pages": pages,
        "first": url(1) if page > 1 else None,
        "previous": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < pages else None,
        "last": url(pages) if page < pages else None,
        "window": [(p, url(p)) for p in window],
    }


def past_the_end(result: SearchResult, prefix: str, path: str = "/") -> str | None:
    """The last page's URL when the request asks for a page after it (a stale or typed
    link), so that no page says "1,027 statements" and shows none of them."""
    if result.total and result.request.page > result.pages:
        return search_url(prefix, with_page(result.request, result.pages), path)
    return None


@dataclass
class ActiveFilter:
    """One filter of the search, as the bar above the results shows it: what it is, its
    value's label, and the search without it."""

    kind: str
    label: str
    remove_url: str


def active_filters(result: SearchResult, prefix: str) -> list[ActiveFilter]:
    request = result.request
    labels = {(v.facet.key, v.value): v.label for values in result.facets.values() for v in values}
    active: list[ActiveFilter] = []
    for facet in SELECTABLE:
        for value in getattr(request, facet.field):
            shown = value.lower() if facet.lowercase else value
            label = labels.get((facet.key, shown), value)
            url = search_url(prefix, toggled(request, facet, value))
            active.append(ActiveFilter(facet.key, label, url))
    if request.date_from:
        url = search_url(prefix, request_params(replace(request, date_from=None)))
        active.append(ActiveFilter("from", request.date_from.isoformat(), url))
    if request.date_to:
        url = search_url(prefix, request_params(replace(request, date_to=None)))
        active.append(ActiveFilter("to", request.date_to.isoformat(), url))
    if request.undated:
        url = search_url(prefix, request_params(replace(request, undated=False)))
        active.append(ActiveFilter("undated", "", url))
    if request.exact:
        url = search_url(prefix, request_params(replace(request, exact=False)))
        active.append(ActiveFilter("exact", "", url))
    return active


def hit_urls(result: SearchResult, prefix: str) -> dict[str, str]:
    """Each hit's statement page, carrying the search and the hit's place in it, so the
    page can mark the query's words and lead to the previous and next hits."""
    request = result.request
    params = request_params(request)
    first = (request.page - 1) * request.size + 1
    return {
        hit.statement.id: hit_url(prefix, params, first + i, hit.statement.id)
        for i, hit in enumerate(result.hits)
    }


def hit_url(prefix: str, params: list[tuple[str, str]], place: int, statement_id: str) -> str:
    """A statement page opened as hit number `place` of the search `params` give."""
    return search_url(prefix, [*params, ("hit", str(place))], statement_url("", statement_id))


@dataclass
class CitedArticle:
    """A cited article as pages show it: its label, its own title (None if unknown), the
    search for it, and the edition note (text, language) on statement pages."""

    value: str
    label: str
    title: str | None
    url: str
    matched: bool = False
    note: tuple[str, str] | None = None
    edition: str | None = None
    page: str = ""  # the article's own page


def searched_articles(result: SearchResult) -> list[str]:
    """The articles a search asks for: its article filters and those its query cites, as
    the query parser read them ("ч. 1 ст. 342 УК", `article:cc:342`, a citation inside
    longer words)."""
    asked = [a.lower() for a in result.request.articles]
    return list(dict.fromkeys(asked + result.articles))


def cited_articles(
    values: list[str], prefix: str, lang: str, asked: Sequence[str] = (), notes: bool = False
) -> list[CitedArticle]:
    """Articles with their titles in the reader's language; those `asked` for (an article
    or one of its parts) first."""
    out = []
    for value in values:
        matched = any(value == a or value.startswith(a + ":") for a in asked)
        cited = CitedArticle(
            value,
            citation_label(value, lang),
            title_in(value, lang),
            search_url(prefix, [("article", value)]),
            matched,
            page=entity_url(prefix, BY_NAME["article"], value),
        )
        if notes and (known := article_title(value)) is not None:
            note = known.note_in(lang)
            if note is not None:  # shown as a sentence of its own
                cited.note = (note[0][:1].upper() + note[0][1:], note[1])
            cited.edition = known.edition
        out.append(cited)
    return sorted(out, key=lambda c: not c.matched)


def hit_articles(result: SearchResult, prefix: str) -> dict[str, dict[str, Any]]:
    """For each hit, up to HIT_ARTICLES of its articles and how many more it cites."""
    asked = searched_articles(result)
    lang = result.request.ui_lang
    out: dict[str, dict[str, Any]] = {}
    for hit in result.hits:
        cited = cited_articles(hit.statement.articles, prefix, lang, asked)
        out[hit.statement.id] = {
            "shown": cited[:HIT_ARTICLES],
            "more": max(0, len(cited) - HIT_ARTICLES),
        }
    return out
