"""CSV exports of any search: every hit (up to EXPORT_LIMIT), streamed page by page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime

from starlette.requests import Request

from ..archive import Archive, Hit, SearchResult
from ..citations import title_in
from ..generation import Generation
from ..labels import Labeller
from ..request import NO_FACET_VALUES, SearchRequest
from ..statement import slugify
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
    "authors",  # of its organizations, its authors and signatories
    # the same values as readers name them, in the request's UI language, beside the ids
    "language",
    "tag_labels",
    "organization_names",
    "author_names",
    "article_labels",
    "lead",
)
FILENAME_PARTS = 4  # of the search, in an export's file name
FILENAME_CHARS = 60
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


def _csv_row(hit: Hit, base_url: str, lang: str, labels: Labeller) -> list[str]:
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
        "; ".join(s.authors),
        labels.label("lang", s.lang, lang),
        "; ".join(labels.label("tag", t, lang) for t in s.tags),
        "; ".join(labels.label("org", o, lang) for o in s.organizations),
        "; ".join(labels.label("org", o, lang) for o in s.authors),
        "; ".join(labels.label("article", a, lang) for a in s.articles),
        s.lead,
    ]
    return [safe_cell(str(cell)) for cell in row]


def csv_filename(request: SearchRequest, today: date) -> str:
    """What an export holds, in its name: `statements-cc-342-2026-11-29.csv` for the
    statements citing Art. 342 CC exported that day; `statements-2026-11-29.csv` for all."""
    asked = [request.q, *request.articles, *request.tags, *request.orgs, *request.langs]
    if request.undated:
        asked.append("undated")
    parts = [slugify(value, FILENAME_CHARS) for value in asked if value.strip()]
    parts = [p for p in parts if p != "statement"][:FILENAME_PARTS]  # slugify's "nothing"
    if request.date_from:
        parts.append(f"from-{request.date_from.isoformat()}")
    if request.date_to:
        parts.append(f"to-{request.date_to.isoformat()}")
    name = "-".join(["statements", *parts])[:120].rstrip("-")
    return f"{name}-{today.isoformat()}.csv"


def csv_export(
    archive: Archive, request: SearchRequest, base_url: str
) -> tuple[Iterator[bytes], str]:
    """The hits as CSV, one chunk a page of 100 (so an export is never held whole in
    memory), and the generation every page comes from. The first page is read here, so
    an index that cannot be read is an error before the first byte is sent."""
    request = replace(request, size=EXPORT_PAGE, page=1, facet_size=NO_FACET_VALUES)
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
    labels = generation.labels
    while True:
        rows = [_csv_row(hit, base_url, request.ui_lang, labels) for hit in result.hits]
        yield _csv_text(rows).encode("utf-8")
        written += len(result.hits)
        if written >= EXPORT_LIMIT or request.page >= result.pages or not result.hits:
            return
        request = replace(request, page=request.page + 1)
        result = archive.search(request, at=generation)


def export_response(request: Request, archive: Archive) -> tuple[Iterator[bytes], str]:
    """The CSV of the search, page by page, and the generation it is read from."""
    search = search_request(request.query_params, request.state.ui_lang)
    return csv_export(archive, search, public_base(request))


def export_headers(generation: str, request: Request) -> dict[str, str]:
    """The export's file name says what it holds (csv_filename); it is made of slugs,
    so it needs no quoting beyond the plain form."""
    search = search_request(request.query_params, request.state.ui_lang)
    name = csv_filename(search, datetime.now(UTC).date())
    return {
        "content-disposition": f'attachment; filename="{name}"',
        GENERATION_HEADER: generation,
    }
