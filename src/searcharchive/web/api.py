"""The JSON API: /api/search, /api/facets/{facet}, /api/statements/{id} (described by
web/openapi.py). Each handler runs in a worker thread, through a gate (web/app.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..archive import Archive, SearchResult
from ..facet_table import FACETS, FacetValue
from ..statement import ID_RE
from .clean import encodable
from .facet_listing import Listing, listing, listing_request, search_params
from .headers import GENERATION_HEADER
from .params import int_param, search_request

# A search lists each facet's FACET_SIZE values with the highest counts (facet_size asks for
# up to MAX_FACET_SIZE); /api/facets/{facet} pages through all of them (facet_listing.py).
FACET_NAMES = tuple(facet.key for facet in FACETS)
FACET_SIZE = 20
MAX_FACET_SIZE = 100


class ApiResponse(JSONResponse):
    """JSON that always encodes: an old index may hold lone surrogates (as U+FFFD here)."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return encodable(text).encode("utf-8")


def by_count(values: list[FacetValue]) -> list[FacetValue]:
    return sorted(values, key=lambda v: (-v.count, v.label, v.value))


def top_values(values: list[FacetValue], size: int) -> list[FacetValue]:
    """The `size` values counted most, every selected one, and the parents of those kept
    (an article's code), in the facet's own order."""
    keep = {v.value for v in by_count(values)[:size]} | {v.value for v in values if v.selected}
    parents = {v.value: v.parent for v in values}
    for value in list(keep):
        parent = parents.get(value)
        while parent in parents and parent not in keep:
            keep.add(parent)
            parent = parents.get(parent)
    return [v for v in values if v.value in keep]


def search_json(result: SearchResult, facet_size: int) -> dict[str, Any]:
    """/api/search: the result with each facet's top values, and how many each has."""
    tops = {key: top_values(values, facet_size) for key, values in result.facets.items()}
    data = result.to_json(tops)
    data["facet_totals"] = {key: result.facet_totals[key] for key in result.facets}
    data["facets_truncated"] = [
        key for key in result.facets if len(tops[key]) < result.facet_totals[key]
    ]
    return data


def facet_json(result: SearchResult, facet: str, listed: Listing) -> dict[str, Any]:
    """/api/facets/{facet}: one page of a facet's values (facet_listing.py)."""
    asked = listed.request
    return {
        "facet": facet,
        "total": listed.total,
        "page": asked.page,
        "size": asked.size,
        "sort": asked.sort,
        "filter": asked.filter,
        "parent": asked.parent,
        "values": [_listed_json(v, listed) for v in listed.values],
        "generation": result.generation,
    }


def _listed_json(value: FacetValue, listed: Listing) -> dict[str, Any]:
    """A value of the listing; in a tree, with how many values are under it."""
    data = value.to_json()
    if value.facet.kind == "tree":
        data["children"] = listed.children.get(value.value, 0)
    return data


def facet_result(request: Request, archive: Archive, facet: str) -> tuple[SearchResult, Listing]:
    """The search the parameters ask for (one hit: the counts are the same on every page)
    and the facet listing they ask for; the facet page shows the same (tree_top)."""
    params = request.query_params
    tree = any(f.key == facet and f.kind == "tree" for f in FACETS)
    asked = listing_request(params, tree_top=tree and not request.url.path.startswith("/api/"))
    search = search_request(search_params(params), request.state.ui_lang)
    result = archive.search(replace(search, page=1, size=1))
    result = replace(result, request=search)  # what the page's links carry on
    return result, listing(result.facets.get(facet, []), asked)


def search_response(request: Request, archive: Archive) -> Response:
    params = request.query_params
    search = search_request(params, request.state.ui_lang)
    facet_size = int_param(params, "facet_size", FACET_SIZE, 1, MAX_FACET_SIZE)
    result = archive.search(replace(search, facet_size=facet_size))
    return ApiResponse(
        search_json(result, facet_size), headers={GENERATION_HEADER: result.generation}
    )


def facet_response(request: Request, archive: Archive) -> Response:
    facet = request.path_params["facet"]
    if facet not in FACET_NAMES:
        return JSONResponse({"error": "no facet with this name"}, status_code=404)
    result, listed = facet_result(request, archive, facet)
    return ApiResponse(
        facet_json(result, facet, listed), headers={GENERATION_HEADER: result.generation}
    )


def statement_response(request: Request, archive: Archive) -> Response:
    statement_id = request.path_params["id"]
    found = archive.get(statement_id) if ID_RE.match(statement_id) else None
    if found is None:
        return JSONResponse({"error": "no statement with this id"}, status_code=404)
    return ApiResponse(
        {
            "statement": found.statement.to_json(),
            "translations": [t.to_json() for t in found.translations],
            "generation": found.generation,
        },
        headers={GENERATION_HEADER: found.generation},
    )
