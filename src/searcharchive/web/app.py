"""The Starlette application: routes, middleware and error pages. No route touches Whoosh."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Match, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from ..archive import Archive
from ..errors import ArchiveError, BadParameter
from . import api, entities, export, facet_pages, feeds, pages, persons
from .headers import HeadersMiddleware
from .limits import RETRY_AFTER_SECONDS, Busy, Gates, Limits, ReleasingStream
from .links import checked_base_url
from .locale import LocaleMiddleware
from .locale import gettext as _
from .openapi import openapi_schema
from .templating import make_templates

STATIC_DIR = Path(__file__).parent / "static"
logger = logging.getLogger("searcharchive")


class TextConvertor(Convertor[str]):
    """Any text, slashes and line breaks included (Starlette's "path" stops at a line
    break): a tag page's tag is whatever the index holds."""

    regex = "[\\s\\S]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("text", TextConvertor())


def create_app(
    index_dir: str | Path,
    archive: Archive | None = None,
    base_url: str | None = None,
    limits: Limits | None = None,
) -> ASGIApp:
    """The archive's ASGI app; one header middleware wraps everything, error pages included.

    `base_url` (https://archive.example.org) is where feeds and CSV exports link to;
    without it they link to the address the server answers on (never the Host header).
    `limits` bound the requests that read the index at once (web/limits.py).
    """
    base = checked_base_url(base_url) if base_url else None
    return HeadersMiddleware(_starlette_app(index_dir, archive, base, limits or Limits()))


def app_from_environment() -> ASGIApp:
    """The app of one worker process of `searcharchive serve --workers N`."""
    return create_app(
        os.environ["SEARCHARCHIVE_INDEX"],
        base_url=os.environ.get("SEARCHARCHIVE_BASE_URL"),
        limits=Limits.from_environment(),
    )


def slash_redirect(request: Request) -> str | None:
    """A path with trailing slashes whose bare form is a page: where it goes, as a relative
    URL in the same UI language (Starlette's own redirect is absolute, from Host)."""
    path = request.scope["path"]
    if path == "/" or not path.endswith("/"):
        return None
    bare = path.rstrip("/") or "/"
    scope = {**request.scope, "path": bare}
    if not any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
        return None
    query = request.scope.get("query_string", b"").decode("latin-1")
    return quote(request.state.lang_prefix + bare) + (f"?{query}" if query else "")


def _starlette_app(
    index_dir: str | Path, archive: Archive | None, base_url: str | None, limits: Limits
) -> Starlette:
    """Every route that reads the index does so in a worker thread, through a gate
    (web/limits.py): the event loop only moves bytes, so /healthz stays prompt."""
    archive = archive or Archive.open(index_dir, warm=True)
    templates = make_templates()
    gates = Gates(limits)

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path in ("/healthz",)

    async def search_page(request: Request) -> Response:
        return await gates.searches.run(pages.search_page, request, archive, templates)

    async def statement_page(request: Request) -> Response:
        return await gates.searches.run(pages.statement_page, request, archive, templates)

    def entity_page(kind: str) -> Any:
        async def page(request: Request) -> Response:
            return await gates.searches.run(entities.entity_page, request, archive, templates, kind)

        return page

    async def all_tags(request: Request) -> Response:
        return await gates.searches.run(facet_pages.tags_page, request, archive, templates)

    async def entity_api(request: Request) -> Response:
        return await gates.searches.run(entities.entity_json, request, archive)

    async def facet_page(request: Request) -> Response:
        return await gates.searches.run(facet_pages.facet_page, request, archive, templates)

    async def person_page(request: Request) -> Response:
        return await gates.searches.run(persons.person_page, request, archive, templates)

    async def persons_page(request: Request) -> Response:
        return await gates.searches.run(persons.persons_page, request, archive, templates)

    async def person_api(request: Request) -> Response:
        return await gates.searches.run(persons.person_api, request, archive)

    async def atom_feed(request: Request) -> Response:
        return await gates.searches.run(feeds.feed_response, request, archive)

    async def csv_export(request: Request) -> Response:
        """Streamed page by page in worker threads, holding an export slot until the
        last byte is sent (or the client goes away)."""
        ticket = await gates.exports.enter()
        try:
            chunks, generation = await run_in_threadpool(export.export_response, request, archive)
        except BaseException:
            gates.exports.leave(ticket)
            raise
        return ReleasingStream(
            chunks,
            release=lambda: gates.exports.leave(ticket),
            media_type="text/csv; charset=utf-8",
            headers=export.export_headers(generation, request),
        )

    async def search_api(request: Request) -> Response:
        return await gates.searches.run(api.search_response, request, archive)

    async def facet_api(request: Request) -> Response:
        return await gates.searches.run(api.facet_response, request, archive)

    async def statement_api(request: Request) -> Response:
        return await gates.searches.run(api.statement_response, request, archive)

    async def openapi_document(request: Request) -> Response:
        return JSONResponse(openapi_schema())

    async def healthz(request: Request) -> Response:
        try:  # in a thread (opening a new generation reads files), but through no gate
            generation = await run_in_threadpool(archive.generation)
        except ArchiveError as error:
            logger.error("health check: %s", error)  # the detail (with paths) stays in the log
            return JSONResponse(
                {"status": "error", "error": "the index cannot be read"}, status_code=503
            )
        body: dict[str, Any] = {
            "status": "ok",
            "generation": generation.name,
            "documents": int(generation.columns.alive.sum()),
        }
        if archive.problem:
            body.update(status="degraded", error="a newer index generation cannot be read")
        return JSONResponse(body)

    async def bad_parameter(request: Request, exc: Exception) -> Response:
        message = exc.translated(_) if isinstance(exc, BadParameter) else str(exc)
        if is_api(request) or request.url.path.endswith((".csv", ".atom")):
            return JSONResponse({"error": message}, status_code=400)
        return pages.bad_request_page(request, templates, message)

    async def not_found(request: Request, exc: Exception) -> Response:
        target = slash_redirect(request)
        if target:
            return RedirectResponse(target, status_code=307)
        if is_api(request):
            return JSONResponse({"error": "not found"}, status_code=404)
        message = (
            str(exc) if isinstance(exc, pages.NotFound) else _("There is no page at this address.")
        )
        return pages.not_found_page(request, templates, message)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 404:
            return await not_found(request, exc)
        if is_api(request):
            return JSONResponse({"error": "request not allowed"}, status_code=status)
        return Response(status_code=status)

    async def archive_error(request: Request, exc: Exception) -> Response:
        logger.error("cannot answer %s: %s", request.url.path, exc)  # paths stay in the log
        if is_api(request) or request.url.path.endswith((".csv", ".atom")):
            return JSONResponse({"error": "the archive cannot be read right now"}, status_code=503)
        return pages.unavailable_page(request, templates)

    async def busy(request: Request, exc: Exception) -> Response:
        logger.warning("busy: refused %s with 503", request.url.path)
        if is_api(request) or request.url.path.endswith((".csv", ".atom")):
            return JSONResponse(
                {"error": "the archive is busy; try again in a few seconds"},
                status_code=503,
                headers={"retry-after": str(RETRY_AFTER_SECONDS)},
            )
        return pages.busy_page(request, templates, RETRY_AFTER_SECONDS)

    async def server_error(request: Request, exc: Exception) -> Response:
        if is_api(request):
            return JSONResponse({"error": "the archive could not answer"}, status_code=500)
        return pages.server_error_page(request, templates)

    routes: list[Any] = [
        Route("/", search_page),
        Route("/statements/{id}", statement_page),
        Route("/tags/", all_tags),
        Route("/tags/{value:text}", entity_page("tags")),
        Route("/organizations/{value:text}", entity_page("organizations")),
        Route("/articles/{value:text}", entity_page("articles")),
        Route("/facets/{facet}", facet_page),
        Route("/persons/", persons_page),
        Route("/persons/{id}", person_page),
        Route("/feed.atom", atom_feed),
        Route("/export.csv", csv_export),
        Route("/api/search", search_api),
        Route("/api/facets/{facet}", facet_api),
        Route("/api/statements/{id}", statement_api),
        Route("/api/persons/{id}", person_api),
        Route("/api/entities/{kind}/{value:text}", entity_api),
        Route("/api/openapi.json", openapi_document),
        Route("/healthz", healthz),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(LocaleMiddleware)],
        exception_handlers={
            BadParameter: bad_parameter,
            Busy: busy,
            ArchiveError: archive_error,
            pages.NotFound: not_found,
            HTTPException: http_error,
            Exception: server_error,
        },
    )
    app.router.redirect_slashes = False  # see slash_redirect
    app.state.base_url = base_url
    return app
