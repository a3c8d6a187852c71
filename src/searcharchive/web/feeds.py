"""Atom feeds and CSV exports of any search: the same request, other formats."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from xml.etree import ElementTree as ET

from ..citations import title_in
from ..labels import Labeller
from ..search import Archive, Generation, Hit, SearchRequest, SearchResult
from ..statement import Statement, slugify
from ..tags import TagVocabulary
from .clean import encodable, printable

ATOM = "http://www.w3.org/2005/Atom"
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
    # the same values as readers name them, in the request's UI language, beside the ids
    "language",
    "tag_labels",
    "organization_names",
    "article_labels",
    "lead",
)
FILENAME_PARTS = 4  # of the search, in an export's file name
FILENAME_CHARS = 60
EPOCH = "1970-01-01T00:00:00Z"  # an undated statement of an index older than `added`
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
EXPORT_LIMIT = 10_000
EXPORT_PAGE = 100


def atom_time(value: str) -> str | None:
    """An ISO 8601 timestamp as Atom writes it (UTC, whole seconds), or None."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_updated(statement: Statement) -> str:
    """Its date, else when it entered the archive: never the clock, or every poll of the
    feed would show undated statements as new."""
    if statement.date:
        return f"{statement.date.start().isoformat()}T00:00:00Z"
    return atom_time(statement.added) or EPOCH


def atom_feed(result: SearchResult, title: str, self_url: str, base_url: str, prefix: str) -> bytes:
    ET.register_namespace("", ATOM)
    tags = TagVocabulary.builtin()
    feed = ET.Element(f"{{{ATOM}}}feed")
    updated = [entry_updated(hit.statement) for hit in result.hits]
    ET.SubElement(feed, f"{{{ATOM}}}title").text = printable(title)
    ET.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = max(updated, default=EPOCH)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "searcharchive"
    for hit, entry_time in zip(result.hits, updated, strict=True):
        s = hit.statement
        link = f"{base_url}{prefix}/statements/{s.id}"
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = printable(s.title)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link, hreflang=s.lang)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = entry_time
        for tag in s.tags:
            label = printable(tags.label(tag, result.request.ui_lang))
            ET.SubElement(entry, f"{{{ATOM}}}category", term=printable(tag), label=label)
        summary = ET.SubElement(entry, f"{{{ATOM}}}summary", type="text")
        summary.text = printable(s.lead)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


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
        f"{base_url}/statements/{s.id}",
        "; ".join(f"{cid} — {title}" for cid, title in titles if title),
        labels.label("lang", s.lang, lang),
        "; ".join(labels.label("tag", t, lang) for t in s.tags),
        "; ".join(labels.label("org", o, lang) for o in s.organizations),
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
    request.size, request.page = EXPORT_PAGE, 1
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
        request.page += 1
        result = archive.search(request, at=generation)
