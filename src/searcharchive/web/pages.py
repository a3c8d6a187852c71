"""HTML pages: search, statement, tag listing, and the error pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..archive import Archive, SearchResult
from ..errors import BadDate
from ..facet_table import BY_NAME, SELECTABLE
from ..statement import ID_RE, Statement
from .explain import other_spellings, read_articles, suggestions
from .headers import GENERATION_HEADER
from .links import (
    SHOWN_VALUES,
    active_filters,
    api_url,
    cited_articles,
    date_histogram,
    entity_url,
    export_url,
    facet_sections,
    feed_url,
    hit_articles,
    hit_urls,
    language_urls,
    pager,
    past_the_end,
    person_url,
    persons_url,
    search_url,
    statement_url,
    tag_url,
    tags_url,
    undated_bar,
)
from .locale import gettext as _
from .params import request_params, search_request
from .reading import citation, from_search, marked_text, translated_note


class NotFound(Exception):
    """An unknown statement or tag: a 404 page in the reader's language."""


def context(request: Request, **values: Any) -> dict[str, Any]:
    prefix = request.state.lang_prefix
    return {
        "request": request,
        "ui_lang": request.state.ui_lang,
        "prefix": prefix,
        "switch_urls": language_urls(request),
        "sections": [(_("Tags"), tags_url(prefix)), (_("Persons"), persons_url(prefix))],
        "statement_url": lambda sid: statement_url(prefix, sid),
        "tag_url": lambda tag: tag_url(prefix, tag),
        "search_url": lambda params: search_url(prefix, params),
        **values,
    }


def result_context(
    request: Request,
    result: SearchResult,
    path: str = "/",
    problems: list[BadDate] | None = None,
    sections: bool = True,
) -> dict[str, Any]:
    """What a page of a search's results shows; `sections`: its facets with each value's
    toggle URL (the search page's filters; an entity or person page lists its own few)."""
    prefix = request.state.lang_prefix
    params = request_params(result.request)
    years, months = date_histogram(result, prefix)
    active = active_filters(result, prefix)  # every facet of the table, dates, undated, exact
    facets = facet_sections(result, prefix) if sections else []
    undated = undated_bar(result, prefix)
    return {
        # no filter has a value to show (nothing found, nothing chosen): no empty section
        "has_filters": bool(years or undated or any(section.values for section in facets)),
        "result": result,
        "date_problems": [problem.translated_beside(_) for problem in problems or []],
        # what the reader typed in the date fields, kept there when it was not applied
        "date_inputs": {name: request.query_params.get(name, "") for name in ("from", "to")},
        "active": active,
        # the facet values a new search from the box keeps (all of them, shown as active)
        "kept_filters": [
            (facet.param, value)
            for facet in SELECTABLE
            for value in getattr(result.request, facet.field)
        ],
        "filter_kinds": filter_kinds(),
        "clear_filters_url": search_url(
            prefix, [("q", result.request.q)] if result.request.q else [], path
        ),
        "hit_urls": hit_urls(result, prefix),
        "read_as": read_articles(result, prefix),
        "spellings": other_spellings(result),
        "facets": facets,
        "hit_articles": hit_articles(result, prefix),
        "years": years,
        "undated": undated,
        "months": months,
        "pager": pager(result, prefix, path),
        "feed_url": feed_url(prefix, params),
        "csv_url": export_url(prefix, params),
        "api_url": api_url(prefix, params),
        # "Clear all": words or any active filter to take away
        "clear_url": search_url(prefix, []) if result.request.q or active else "",
        "sort_urls": {
            sort: search_url(prefix, request_params(replace(result.request, sort=sort)))
            for sort in ("relevance", "newest", "oldest")
        },
    }


def filter_kinds() -> dict[str, str]:
    """How the active-filters bar names each kind of filter, in the reader's language."""
    return {
        "tag": _("Tag:"),
        "organization": _("By:"),
        "mention": _("Mentions:"),
        "person": _("Person:"),
        "article": _("Article:"),
        "lang": _("Language:"),
        "from": _("From:"),
        "to": _("To:"),
        "exact": _("Exact spelling"),
        "undated": _("Undated"),
    }


def search_page(request: Request, archive: Archive, templates: Any) -> Response:
    problems: list[BadDate] = []
    search = search_request(request.query_params, request.state.ui_lang, problems=problems)
    # a flat facet shows its SHOWN_VALUES most counted values: the rest are not labelled
    result = archive.search(replace(search, facet_size=SHOWN_VALUES))
    last = past_the_end(result, request.state.lang_prefix)
    if last:
        return RedirectResponse(last, status_code=303)
    values = result_context(request, result, problems=problems)
    values["suggestions"] = suggestions(
        result,
        request.state.lang_prefix,
        lambda changed: archive.search(changed).total,
        archive.near_spellings,
    )
    return templates.TemplateResponse(
        request,
        "search.html",
        context(request, **values),
        headers={GENERATION_HEADER: result.generation},
    )


def statement_page(request: Request, archive: Archive, templates: Any) -> Response:
    statement_id = request.path_params["id"]
    found = archive.get(statement_id) if ID_RE.match(statement_id) else None
    if found is None:
        raise NotFound(_("There is no statement with this address."))
    statement, translations = found.statement, found.translations
    compare_id = request.query_params.get("with", "")
    compare = next((t for t in translations if t.id == compare_id), None)
    if compare is None:
        preferred = [t for t in translations if t.lang == request.state.ui_lang]
        compare = (preferred or translations)[0] if translations else None
    labels = archive.labels
    lang = request.state.ui_lang

    def links(facet: str, param: str, values: list[str]) -> list[tuple[str, str, str]]:
        """Each value's label, its search, and its own page."""
        prefix = request.state.lang_prefix
        return [
            (
                labels.label(facet, v, lang),
                search_url(prefix, [(param, v)]),
                entity_url(prefix, BY_NAME[facet], v),
            )
            for v in values
        ]

    org_links = links("org", "org", statement.authors)
    searched = from_search(request, archive, statement)
    title, paragraphs = marked_text(statement, searched)
    today = datetime.now(UTC).date()
    return templates.TemplateResponse(
        request,
        "statement.html",
        context(
            request,
            statement=statement,
            marked_title=title,
            paragraphs=paragraphs,
            searched=searched,
            translated_note=translated_note(statement) if statement.translated_by else "",
            cite=citation(request, statement, [link[0] for link in org_links], today),
            compare=compare,
            translations=translations,
            tag_links=[
                (labels.label("tag", t, lang), tag_url(request.state.lang_prefix, t))
                for t in statement.tags
            ],
            org_links=org_links,
            mention_links=links(
                "mention",
                "mention",
                [o for o in statement.organizations if o not in statement.authors],
            ),
            cited=cited_articles(statement.articles, request.state.lang_prefix, lang, notes=True),
            person_links=person_links(request, archive, statement),
        ),
        headers={GENERATION_HEADER: found.generation},
    )


def person_links(request: Request, archive: Archive, statement: Statement) -> list[tuple[str, str]]:
    """The persons a statement names, each linking to their page (web/persons.py); a
    generation without a person table links the record's persons to a name search."""
    prefix, lang = request.state.lang_prefix, request.state.ui_lang
    table = archive.generation().persons
    clusters = table.of_statement(statement.id)
    if clusters:
        return [(table.display_name(p, lang) or p, person_url(prefix, p)) for p in clusters]
    labels = archive.labels
    return [
        (
            labels.label("person", p, lang),
            search_url(prefix, [("q", f'person:"{labels.label("person", p, "en")}"')]),
        )
        for p in statement.persons
    ]


def error_page(request: Request, templates: Any, status: int, title: str, message: str) -> Response:
    """An error in the reader's language; never the exception's own text or a path."""
    try:
        values = context(request, title=title, message=message)
        return templates.TemplateResponse(request, "error.html", values, status_code=status)
    except Exception:  # the error page itself failed: the plainest answer there is
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status)


def not_found_page(request: Request, templates: Any, message: str) -> Response:
    return error_page(request, templates, 404, _("Not found"), message)


def bad_request_page(request: Request, templates: Any, message: str) -> Response:
    return error_page(request, templates, 400, _("Bad request"), message)


def unavailable_page(request: Request, templates: Any) -> Response:
    message = _("The archive cannot be read right now. Please try again later.")
    return error_page(request, templates, 503, _("The archive is unavailable"), message)


def busy_page(request: Request, templates: Any, retry_after: int) -> Response:
    message = _("The archive is busy answering other requests. Please try again in a few seconds.")
    response = error_page(request, templates, 503, _("The archive is busy"), message)
    response.headers["retry-after"] = str(retry_after)
    return response


def server_error_page(request: Request, templates: Any) -> Response:
    message = _("The archive could not answer this request. Please try again later.")
    return error_page(request, templates, 500, _("Something went wrong"), message)
