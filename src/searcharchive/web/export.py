"""CSV exports of any search: every hit (up to EXPORT_LIMIT), streamed page by page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace

from starlette.requests import Request

from ..archive import Archive, Hit, SearchResult
from ..citations import title_in
from ..generation import Generation
from ..request import SearchRequest
from .clean import encodable
from .headers import GENERATION_HEADER
from .links import public_base, statement_url
from .params import search_request

CSV_COLUMNS = (
    "id",
    "lang",
    "date",
    "title",
    "tags",
    "organizations",
    "articles",
    "persons",
    "group",
    "url",
    "link",
    "article_titles",  # "cc:342:1 — Organisation …; …", titled articles only, in the UI language
    "mentions",  # every organization the statement names ("organizations": its authors)
)
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
EXPORT_LIMIT = 10_000
EXPORT_PAGE = 100


def safe_cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: neutralise them."""
    value = encodable(value)
    return "'" + value if value.startswith(DANGEROUS_START) else value


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def _csv_row(hit: Hit, base_url: str, lang: str) -> list[str]:
    s = hit.statement
    titles = [(cid, title_in(cid, lang)) for cid in s.articles]
    row = [
        s.id,
        s.lang,
        s.date.iso() if s.date else "",
        s.title,
        "; ".join(s.tags),
        "; ".join(s.organizations),
        "; ".join(s.articles),
        "; ".join(s.persons),
        s.group,
        s.url,
        statement_url(base_url, s.id),
        "; ".join(f"{cid} — {title}" for cid, title in titles if title),
        "; ".join(s.mentions),
    ]
    return [safe_cell(str(cell)) for cell in row]


def csv_export(
    archive: Archive, request: SearchRequest, base_url: str
) -> tuple[Iterator[bytes], str]:
    """The hits as CSV, one chunk a page of 100 (so an export is never held whole in
    memory), and the generation every page comes from. The first page is read here, so
    an index that cannot be read is an error before the first byte is sent."""
    request = replace(request, size=EXPORT_PAGE, page=1)
    generation = archive.generation()  # all pages from one generation, even across a publish
    first = archive.search(request, at=generation)
    return _csv_chunks(archive, request, base_url, generation, first), generation.name


def _csv_chunks(
    archive: Archive,
    request: SearchRequest,
    base_url: str,
    generation: Generation,
    result: SearchResult,
) -> Iterator[bytes]:
    yield ("\ufeff" + _csv_text([list(CSV_COLUMNS)])).encode("utf-8")
    written = 0
    while True:
        yield _csv_text([_csv_row(hit, base_url, request.ui_lang) for hit in result.hits]).encode(
            "utf-8"
        )
        written += len(result.hits)
        if written >= EXPORT_LIMIT or request.page >= result.pages or not result.hits:
            return
        request = replace(request, page=request.page + 1)
        result = archive.search(request, at=generation)


def export_response(request: Request, archive: Archive) -> tuple[Iterator[bytes], str]:
    """The CSV of the search, page by page, and the generation it is read from."""
    search = search_request(request.query_params, request.state.ui_lang)
    return csv_export(archive, search, public_base(request))


def export_headers(generation: str) -> dict[str, str]:
    return {
        "content-disposition": 'attachment; filename="searcharchive.csv"',
        GENERATION_HEADER: generation,
    }
