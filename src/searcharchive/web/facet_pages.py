"""The facet page, /facets/{facet}: every value of one facet for a search, with its
count, sorted by count or A–Z, filtered by a word of its label, paged; a tree facet
(articles) a level at a time (codes, then a code's articles, then an article's parts).

It lists what /api/facets/{facet} lists for the same parameters (facet_listing.py);
each value toggles that filter on the search the page was opened from.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..archive import Archive
from ..errors import N_
from ..facet_table import BY_KEY, Facet, FacetValue
from .api import facet_result
from .facet_listing import PAGE_SIZE, Listing, ListingRequest
from .headers import GENERATION_HEADER
from .links import facet_api_url, facet_url, linked, numbered_pager, search_url
from .locale import gettext as _
from .pages import NotFound, context
from .params import request_params


@dataclass
class Row:
    """A value as the facet page lists it: toggled on the search by `value.url`, and in a
    tree, the page of the values under it (`open_url`, with how many there are)."""

    value: FacetValue
    open_url: str | None
    below: int


def listing_params(asked: ListingRequest, **changes: Any) -> list[tuple[str, str]]:
    """The listing's own parameters as a URL gives them (defaults left out)."""
    asked = replace(asked, **changes)
    params: list[tuple[str, str]] = []
    if asked.parent:
        params.append(("parent", asked.parent))
    if asked.filter:
        params.append(("filter", asked.filter))
    if asked.sort != "count":
        params.append(("sort", asked.sort))
    if asked.size != PAGE_SIZE:
        params.append(("size", str(asked.size)))
    if asked.page > 1:
        params.append(("page", str(asked.page)))
    return params


def trail(facet: Facet, values: list[FacetValue], parent: str | None) -> list[FacetValue]:
    """A tree's values from its top level down to `parent` (cc, cc:342)."""
    by_value = {v.value: v for v in values}
    path: list[FacetValue] = []
    while parent and parent in by_value:
        path.insert(0, by_value[parent])
        parent = by_value[parent].parent
    return path


def tags_page(request: Request, archive: Archive, templates: Any) -> Response:
    """/tags/: every tag, with its count — the tag facet's page under its own heading."""
    return facet_page(request, archive, templates, "tag", N_("Tags"))


def facet_page(
    request: Request,
    archive: Archive,
    templates: Any,
    key: str | None = None,
    heading: str | None = None,
) -> Response:
    """The facet page of `key`, else of the facet the path names."""
    facet = BY_KEY.get(key or request.path_params["facet"])
    if facet is None or not facet.field:
        raise NotFound(_("There is no filter with this name."))
    prefix = request.state.lang_prefix
    result, listed = facet_result(request, archive, facet.key)
    search = request_params(result.request)
    asked = listed.request

    def here(**changes: Any) -> str:
        return facet_url(prefix, facet.key, search + listing_params(asked, **changes))

    path_values = trail(facet, result.facets.get(facet.key, []), asked.parent)
    above = path_values[-1].title if path_values else None
    rows = [
        Row(
            # a part under its article: the article's title is the heading's, not repeated
            replace(linked(value, result.request, prefix), title=None)
            if value.title and value.title == above
            else linked(value, result.request, prefix),
            here(parent=value.value, filter="", page=1) if value.value in listed.children else None,
            listed.children.get(value.value, 0),
        )
        for value in listed.values
    ]
    path = [(v.label, here(parent=v.value, filter="", page=1)) for v in path_values]
    values: dict[str, Any] = {
        "facet": facet,
        "heading": heading or facet.heading,
        "result": result,
        "listed": listed,
        "rows": rows,
        "trail": path,
        "trail_title": above,
        "top_url": here(parent="", filter="", page=1) if facet.kind == "tree" else None,
        "sort_urls": {sort: here(sort=sort, page=1) for sort in ("count", "label")},
        "hidden": search + listing_params(asked, filter="", page=1),
        "search_back": search_url(prefix, search),
        "clear_filter": here(filter="", page=1) if asked.filter else None,
        "api": facet_api_url(prefix, facet.key, search + _explicit_parent(facet, listed)),
        "pager": numbered_pager(asked.page, listed.pages, lambda page: here(page=page)),
    }
    return templates.TemplateResponse(
        request,
        "facet.html",
        context(request, **values),
        headers={GENERATION_HEADER: result.generation},
    )


def _explicit_parent(facet: Facet, listed: Listing) -> list[tuple[str, str]]:
    """The JSON of this page: a tree's level said outright (the API lists every level
    when `parent` is absent)."""
    asked = listed.request
    params = listing_params(asked)
    if facet.kind == "tree" and not asked.parent:
        params.insert(0, ("parent", ""))
    return params
