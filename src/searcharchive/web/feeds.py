"""Atom feeds and CSV exports of any search: the same request, other formats."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from ..search import Archive, Generation, Hit, SearchRequest, SearchResult

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
)
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
EXPORT_LIMIT = 10_000
EXPORT_PAGE = 100


def atom_feed(result: SearchResult, title: str, self_url: str, base_url: str, prefix: str) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = now
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "searcharchive"
    for hit in result.hits:
        s = hit.statement
        link = f"{base_url}{prefix}/statements/{s.id}"
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = s.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link, hreflang=s.lang)
        updated = f"{s.date.start().isoformat()}T00:00:00Z" if s.date else now
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = updated
        for tag in s.tags:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=tag)
        summary = ET.SubElement(entry, f"{{{ATOM}}}summary", type="text")
        summary.text = s.lead
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def safe_cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: neutralise them."""
    return "'" + value if value.startswith(DANGEROUS_START) else value


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def _csv_row(hit: Hit, base_url: str) -> list[str]:
    s = hit.statement
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
    ]
    return [safe_cell(str(cell)) for cell in row]


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
    while True:
        yield _csv_text([_csv_row(hit, base_url) for hit in result.hits]).encode("utf-8")
        written += len(result.hits)
        if written >= EXPORT_LIMIT or request.page >= result.pages or not result.hits:
            return
        request.page += 1
        result = archive.search(request, at=generation)
