"""HTML pages: search, statement, tag listing, and the error pages."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..archive import Archive, SearchResult
from ..statement import ID_RE
from .headers import GENERATION_HEADER
from .links import (
    api_url,
    cited_articles,
    date_histogram,
    export_url,
    facet_sections,
    feed_url,
    hit_articles,
    language_urls,
    pager,
    search_url,
    statement_url,
    tag_url,
)
from .locale import gettext as _
from .params import request_params, search_request


class NotFound(Exception):
    """An unknown statement or tag: a 404 page in the reader's language."""


def context(request: Request, **values: Any) -> dict[str, Any]:
    prefix = request.state.lang_prefix
    return {
        "request": request,
        "ui_lang": request.state.ui_lang,
        "prefix": prefix,
        "switch_urls": language_urls(request),
        "statement_url": lambda sid: statement_url(prefix, sid),
        "tag_url": lambda tag: tag_url(prefix, tag),
        "search_url": lambda params: search_url(prefix, params),
        **values,
    }


def result_context(request: Request, result: SearchResult, path: str = "/") -> dict[str, Any]:
    prefix = request.state.lang_prefix
    params = request_params(result.request)
    years, months = date_histogram(result, prefix)
    return {
        "result": result,
        "facets": facet_sections(result, prefix),
        "hit_articles": hit_articles(result, prefix),
        "years": years,
        "months": months,
        "pager": pager(result, prefix, path),
        "feed_url": feed_url(prefix, params),
        "csv_url": export_url(prefix, params),
        "api_url": api_url(params),
        "clear_url": search_url(prefix, []),
        "sort_urls": {
            sort: search_url(prefix, request_params(replace(result.request, sort=sort)))
            for sort in ("relevance", "newest", "oldest")
        },
    }


def search_page(request: Request, archive: Archive, templates: Any) -> Response:
    search = search_request(request.query_params, request.state.ui_lang)
    result = archive.search(search)
    return templates.TemplateResponse(
        request,
        "search.html",
        context(request, **result_context(request, result)),
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

    def links(facet: str, param: str, values: list[str]) -> list[tuple[str, str]]:
        return [
            (labels.label(facet, v, lang), search_url(request.state.lang_prefix, [(param, v)]))
            for v in values
        ]

    return templates.TemplateResponse(
        request,
        "statement.html",
        context(
            request,
            statement=statement,
            compare=compare,
            translations=translations,
            tag_links=[(t, tag_url(request.state.lang_prefix, t)) for t in statement.tags],
            org_links=links("org", "org", statement.organizations),
            mention_links=links(
                "mention",
                "mention",
                [m for m in statement.mentions if m not in statement.organizations],
            ),
            cited=cited_articles(statement.articles, request.state.lang_prefix, lang, notes=True),
            person_links=[
                (
                    labels.label("person", p, lang),
                    search_url(
                        request.state.lang_prefix,
                        [("q", f'person:"{labels.label("person", p, "en")}"')],
                    ),
                )
                for p in statement.persons
            ],
        ),
        headers={GENERATION_HEADER: found.generation},
    )


def tag_page(request: Request, archive: Archive, templates: Any) -> Response:
    tag = request.path_params["tag"]
    search = search_request(request.query_params, request.state.ui_lang)
    result = archive.search(replace(search, tags=[tag], q="", sort="newest"))
    if result.total == 0:
        raise NotFound(_("There is no tag with this name."))
    values = result_context(request, result, path=tag_url("", tag))
    values["feed_url"] = feed_url(request.state.lang_prefix, [("tag", tag)])
    return templates.TemplateResponse(
        request,
        "tag.html",
        context(request, tag=tag, **values),
        headers={GENERATION_HEADER: result.generation},
    )


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
