"""Entity pages: one value of a facet as a page of its own — an organization, an article,
a tag (/organizations/{id}, /articles/{id}, /tags/{tag}) — and their JSON
(/api/entities/{kind}/{value}).

A page is the search filtered by that one value (newest first, paged) and its facet
counts: the years, and the organizations, articles and tags most often in those
statements, each linked to its own page. It is generic over the facet table: a facet
row with `entity` set has pages here once its path is routed (web/app.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..archive import Archive, SearchResult
from ..citations import citation_label
from ..errors import N_
from ..facet_table import SELECTABLE, Facet, FacetValue
from ..request import SearchRequest
from ..tags import TagVocabulary
from .api import ApiResponse, by_count, search_json
from .headers import GENERATION_HEADER
from .links import (
    cited_articles,
    entity_api_url,
    entity_url,
    linked,
    past_the_end,
    search_url,
    with_raw_query,
)
from .locale import gettext as _
from .pages import NotFound, context, result_context
from .params import request_params, search_request

TOP_VALUES = 8  # values of each other facet an entity page lists

# which facet's value an entity page filters by: organizations by every statement that
# names them ("mention"; their authors and signatories are among those)
FILTERS: dict[str, Facet] = {}
for _facet in SELECTABLE:
    if _facet.entity and (_facet.entity not in FILTERS or _facet.name == "mention"):
        FILTERS[_facet.entity] = _facet
HEADINGS = {"tags": N_("Tag"), "organizations": N_("Organization"), "articles": N_("Legal article")}
UNKNOWN = {
    "tags": N_("There is no tag with this name."),
    "organizations": N_("There is no organization with this identifier."),
    "articles": N_("There is no article with this identifier."),
}


def entity_result(archive: Archive, kind: str, value: str, asked: SearchRequest) -> SearchResult:
    """The statements with this value, newest first (the page `asked` gives), each facet
    counted within them (the values most often beside it, of its own facet too) and only
    the values the page can show labelled; NotFound when there are none (an unknown
    value)."""
    facet = FILTERS[kind]
    value = value.lower() if facet.lowercase else value
    changes: dict[str, Any] = {
        facet.field: [value],
        "q": "",
        "sort": "newest",
        "facets_within": True,
        "facet_size": TOP_VALUES + 1,  # the value itself may be among the most counted
    }
    result = archive.search(replace(asked, **changes))
    if result.total == 0:
        raise NotFound(_(UNKNOWN.get(kind, N_("There is no page at this address."))))
    return result


def top_values(result: SearchResult, prefix: str, own: Facet, value: str) -> list[Any]:
    """(facet, values) of each facet with pages: the most counted values but this one."""
    sections = []
    for facet in SELECTABLE:
        if not facet.entity:
            continue
        values = [
            v
            for v in by_count(result.facets.get(facet.key, []))
            if v.value != value and not v.value.startswith(value + ":")  # nor its parts
        ]
        if facet.kind == "tree":  # the articles themselves, not their codes
            values = [v for v in values if v.parent is not None]
        shown = [linked(v, result.request, prefix) for v in values[:TOP_VALUES]]
        if shown:
            sections.append((facet, shown))
    return sections


def article_parts(result: SearchResult, prefix: str, value: str) -> list[FacetValue]:
    return [
        linked(v, result.request, prefix)
        for v in by_count(result.facets.get("article", []))
        if v.parent == value
    ]


def entity_page(request: Request, archive: Archive, templates: Any, kind: str) -> Response:
    value = request.path_params["value"]
    prefix, lang = request.state.lang_prefix, request.state.ui_lang
    facet = FILTERS[kind]
    if kind == "tags":
        canonical = TagVocabulary.builtin().resolve(value)
        if canonical and canonical != value:  # another spelling of a listed tag: one address
            target = with_raw_query(entity_url(prefix, facet, canonical), request)
            return RedirectResponse(target, status_code=301)
    asked = search_request(request.query_params, lang)
    result = entity_result(archive, kind, value, asked)
    value = getattr(result.request, facet.field)[0]
    path = entity_url("", facet, value)
    last = past_the_end(result, prefix, path)
    if last:
        return RedirectResponse(last, status_code=303)
    values = result_context(request, result, path=path, sections=False)
    params = request_params(replace(result.request, sort=""))
    article = cited_articles([value], prefix, lang, notes=True)[0] if kind == "articles" else None
    parent = value.rsplit(":", 1)[0] if kind == "articles" and ":" in value else None
    values.update(
        kind=kind,
        kind_heading=HEADINGS[kind],
        value=value,
        label=archive.labels.label(facet.name, value, lang),
        article=article,
        parent=(citation_label(parent, lang), entity_url(prefix, facet, parent))
        if parent
        else None,
        parts=article_parts(result, prefix, value) if kind == "articles" else [],
        tops=top_values(result, prefix, facet, value),
        search_within=search_url(prefix, params),
        entity_json=entity_api_url(prefix, facet, value),
    )
    return templates.TemplateResponse(
        request,
        "entity.html",
        context(request, **values),
        headers={GENERATION_HEADER: result.generation},
    )


def entity_data(archive: Archive, kind: str, value: str, asked: SearchRequest) -> dict[str, Any]:
    """/api/entities/{kind}/{value} for the page and UI language `asked` gives; NotFound
    for an unknown value (the benchmark times this: everything the handler computes)."""
    result = entity_result(archive, kind, value, asked)
    facet = FILTERS[kind]
    value = getattr(result.request, facet.field)[0]
    data = search_json(result, TOP_VALUES)
    data["entity"] = {
        "kind": kind,
        "facet": facet.key,
        "value": value,
        "label": archive.labels.label(facet.name, value, result.request.ui_lang),
    }
    return data


def entity_json(request: Request, archive: Archive) -> Response:
    kind, value = request.path_params["kind"], request.path_params["value"]
    if kind not in FILTERS:
        return ApiResponse({"error": "no entities of this kind"}, status_code=404)
    asked = search_request(request.query_params, request.state.ui_lang)
    try:
        data = entity_data(archive, kind, value, asked)
    except NotFound:
        return ApiResponse({"error": "not found"}, status_code=404)
    return ApiResponse(data, headers={GENERATION_HEADER: data["generation"]})
