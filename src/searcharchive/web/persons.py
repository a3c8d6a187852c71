"""Person pages: /persons/ (persons by number of statements, a name filter),
/persons/{id} and /api/persons/{id}.

A person page is *a search filtered by one facet value, and that search's facet
counts*: the statements are the search `person=ID` (newest first, paged), and the
year histogram, the organizations, articles and persons most often named with them
are its facets. Only the person's names and spellings come from the person table
(persons.py). Kept apart from the search pages so that it can be folded into a page
generic over the facet table; each handler runs in a worker thread, through a gate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..archive import Archive, SearchResult
from ..facet_table import BY_KEY, FacetValue
from ..folding import fold_key
from ..request import SearchRequest
from .api import ApiResponse
from .headers import GENERATION_HEADER
from .links import (
    api_url,
    export_url,
    feed_url,
    past_the_end,
    person_url,
    persons_url,
    search_url,
    toggled,
)
from .locale import gettext as _
from .pages import NotFound, context, result_context
from .params import int_param, search_request

FACET = BY_KEY["person"]
TOP = 10  # organizations, articles and persons listed on a person's page
LIST_SIZE = 100  # persons a page of /persons/
MAX_FILTER_CHARS = 100
# a person's page: its facets, under the headings the page gives them
RELATED = ("mention", "article", "person")


@dataclass
class Related:
    """A value most often named in a person's statements, and where it leads."""

    value: str
    label: str
    count: int
    url: str


def person_search(archive: Archive, person_id: str, asked: SearchRequest) -> SearchResult:
    """The statements naming the person, newest first: the search `person=ID`, its facets
    counted within those statements (the persons named with them too), only the values
    the page lists labelled."""
    request = SearchRequest(
        persons=[person_id],
        sort="newest",
        page=asked.page,
        size=asked.size,
        ui_lang=asked.ui_lang,
        facets_within=True,
        facet_size=TOP + 1,  # the person is among the persons named most often
    )
    return archive.search(request)


def most_named(result: SearchResult, person_id: str) -> dict[str, list[FacetValue]]:
    """The organizations named, the articles cited and the persons named in the person's
    statements, most counted first: the search's facet counts (of the article tree, the
    articles themselves, not their codes, as on the entity pages)."""
    out: dict[str, list[FacetValue]] = {}
    for key in RELATED:
        values = [
            v
            for v in result.facets.get(key, [])
            if v.value != person_id and (v.facet.kind != "tree" or v.parent is not None)
        ]
        values.sort(key=lambda v: (-v.count, v.label))
        out[key] = values[:TOP]
    return out


def related(result: SearchResult, person_id: str, prefix: str) -> dict[str, list[Related]]:
    """`most_named`, each value with the page it leads to."""
    return {
        key: [Related(v.value, v.label, v.count, _related_url(v, result, prefix)) for v in values]
        for key, values in most_named(result, person_id).items()
    }


def _related_url(value: FacetValue, result: SearchResult, prefix: str) -> str:
    if value.facet.key == "person":
        return person_url(prefix, value.value)
    return search_url(prefix, toggled(result.request, value.facet, value.value))


def spellings(person: dict[str, Any]) -> list[dict[str, Any]]:
    return list(person.get("spellings") or [])


def person_json(
    archive: Archive, person_id: str, asked: SearchRequest, prefix: str = ""
) -> dict[str, Any] | None:
    """/api/persons/{id} for the page and UI language `asked` gives, its links under the
    request's language `prefix`, or None for an unknown id (the benchmark times this:
    everything the handler computes)."""
    generation = archive.generation()
    person = generation.persons.person(person_id)
    if person is None:
        return None
    result = person_search(archive, person_id, asked)
    params = [(FACET.param, person_id)]
    return {
        "id": person_id,
        "names": person.get("names") or {},
        "spellings": spellings(person),
        "total": result.total,
        "years": {v.value: v.count for v in result.facets.get("year", [])},
        "related": {
            key: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for key, values in most_named(result, person_id).items()
        },
        "hits": [hit.to_json() for hit in result.hits],
        "links": {  # in the language of the request, as its labels
            "search": api_url(prefix, params),
            "feed": feed_url(prefix, params),
            "csv": export_url(prefix, params),
        },
    }


def person_api(request: Request, archive: Archive) -> Response:
    asked = search_request(request.query_params, request.state.ui_lang)
    data = person_json(archive, request.path_params["id"], asked, request.state.lang_prefix)
    if data is None:
        return ApiResponse({"error": "not found"}, status_code=404)
    return ApiResponse(data, headers={GENERATION_HEADER: archive.generation().name})


def person_page(request: Request, archive: Archive, templates: Any) -> Response:
    person_id = request.path_params["id"]
    prefix = request.state.lang_prefix
    generation = archive.generation()
    person = generation.persons.person(person_id)
    if person is None:
        raise NotFound(_("There is no person with this id."))
    asked = search_request(request.query_params, request.state.ui_lang)
    result = person_search(archive, person_id, asked)
    path = person_url("", person_id)
    last = past_the_end(result, prefix, path)
    if last:
        return RedirectResponse(last, status_code=303)
    values = result_context(request, result, path=path, sections=False)
    params = [(FACET.param, person_id)]
    values.update(
        person_id=person_id,
        name=generation.persons.display_name(person_id, request.state.ui_lang),
        spellings=spellings(person),
        related=related(result, person_id, prefix),
        feed_url=feed_url(prefix, params),
        csv_url=export_url(prefix, params),
        person_api_url=person_url(f"{prefix}/api", person_id),
        search_link=search_url(prefix, params),
        persons_url=persons_url(prefix),
    )
    return rendered(request, templates, "person.html", result.generation, values)


def persons_page(request: Request, archive: Archive, templates: Any) -> Response:
    """Every person by number of statements (the person facet of every statement), those
    whose name or a spelling contains the filter's words (folded: any script)."""
    prefix = request.state.lang_prefix
    ui_lang = request.state.ui_lang
    typed = request.query_params.get("name", "")[:MAX_FILTER_CHARS].strip()
    page = int_param(request.query_params, "page", 1, 1, 10_000)
    result = archive.search(replace(SearchRequest(size=1), ui_lang=ui_lang))
    table = archive.generation().persons
    listed = sorted(result.facets.get("person", []), key=lambda v: (-v.count, v.label))
    if typed:
        wanted = [fold_key(word) for word in typed.split()]
        resolved = set(table.resolve(typed))  # a case form of a name: its persons
        listed = [
            v
            for v in listed
            if v.value in resolved or _fits(wanted, v, table.person(v.value) or {})
        ]
    pages = max(1, -(-len(listed) // LIST_SIZE))
    page = min(max(1, page), pages)
    shown = listed[(page - 1) * LIST_SIZE : page * LIST_SIZE]
    kept = [("name", typed)] if typed else []
    pager = {
        "page": page,
        "pages": pages,
        "first": persons_url(prefix, kept) if page > 1 else None,
        "previous": persons_url(prefix, [*kept, ("page", str(page - 1))]) if page > 1 else None,
        "next": persons_url(prefix, [*kept, ("page", str(page + 1))]) if page < pages else None,
        "last": persons_url(prefix, [*kept, ("page", str(pages))]) if page < pages else None,
        "window": [
            (n, persons_url(prefix, [*kept, ("page", str(n))]))
            for n in range(max(1, page - 2), min(pages, page + 2) + 1)
        ],
    }
    values = {
        "persons": [(v, person_url(prefix, v.value)) for v in shown],
        "matching": len(listed),
        "typed": typed,
        "pager": pager,
        "persons_url": persons_url(prefix),
    }
    return rendered(request, templates, "persons.html", result.generation, values)


def rendered(
    request: Request, templates: Any, template: str, generation: str, values: dict[str, Any]
) -> Response:
    """A page of the generation that answered it (its name in a header)."""
    page = context(request, **values)
    return templates.TemplateResponse(
        request, template, page, headers={GENERATION_HEADER: generation}
    )


def _fits(wanted: list[str], value: FacetValue, person: dict[str, Any]) -> bool:
    names = [
        value.label,
        *(person.get("names") or {}).values(),
        *(s["text"] for s in spellings(person)),
    ]
    folded = [fold_key(name) for name in names]
    return all(any(word in name for name in folded) for word in wanted)
