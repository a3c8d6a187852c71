"""One facet's values for a search, listed whole: filtered by a substring of their labels,
sorted by count or A–Z, within one parent of a tree facet, one page at a time.

`/api/facets/{facet}` (web/api.py) and the facet page (web/facet_pages.py) both list
through `listing`, so the JSON and the HTML of the same parameters hold the same values.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import QueryParams

from ..errors import N_, BadParameter
from ..facet_table import FacetValue
from .params import MAX_VALUE_CHARS, int_param, single

SORTS = ("count", "label")  # most counted first (the default), or A–Z by label
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_PAGE = 10_000
# the parameters of a facet listing; every other one is the search's
LISTING_PARAMS = ("sort", "filter", "parent", "page", "size")


@dataclass(frozen=True)
class ListingRequest:
    """What a facet listing asks for. `parent` None lists every value of a tree facet (the
    API's default); "" lists its top level (codes); a value lists the values under it."""

    sort: str = "count"
    filter: str = ""
    parent: str | None = None
    page: int = 1
    size: int = PAGE_SIZE


@dataclass
class Listing:
    """One page of a facet's values, and how many values the whole listing has."""

    request: ListingRequest
    values: list[FacetValue]
    total: int
    children: dict[str, int]  # a tree's values with values under them: how many

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.size))


def listing_request(params: QueryParams, tree_top: bool = False) -> ListingRequest:
    """The listing's own parameters; `tree_top`: without `parent`, a tree's top level."""
    sort = single(params, "sort").strip() or "count"
    if sort not in SORTS:
        raise BadParameter(N_("'sort' must be count or label, not '%(value)s'"), value=sort[:40])
    parent = params.get("parent")
    if parent is None and tree_top:
        parent = ""
    return ListingRequest(
        sort=sort,
        filter=single(params, "filter").strip()[:MAX_VALUE_CHARS],
        parent=None if parent is None else parent.strip().lower()[:MAX_VALUE_CHARS],
        page=int_param(params, "page", 1, 1, MAX_PAGE),
        size=int_param(params, "size", PAGE_SIZE, 1, MAX_PAGE_SIZE),
    )


def search_params(params: QueryParams) -> QueryParams:
    """The search's parameters among a listing's (its `sort` is the listing's order)."""
    return QueryParams([(k, v) for k, v in params.multi_items() if k not in LISTING_PARAMS])


def listing(values: list[FacetValue], request: ListingRequest) -> Listing:
    children: dict[str, int] = {}
    for value in values:
        if value.parent is not None:
            children[value.parent] = children.get(value.parent, 0) + 1
    chosen = values
    if request.parent is not None:
        chosen = [v for v in chosen if (v.parent or "") == request.parent]
    if request.filter:
        wanted = request.filter.casefold()
        chosen = [v for v in chosen if wanted in v.label.casefold() or wanted in v.value]
    if request.sort == "label":
        chosen = sorted(chosen, key=lambda v: (v.label.casefold(), v.value))
    else:
        chosen = sorted(chosen, key=lambda v: (-v.count, v.label.casefold(), v.value))
    start = (request.page - 1) * request.size
    return Listing(request, chosen[start : start + request.size], len(chosen), children)
