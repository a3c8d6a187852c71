"""Atom feeds and CSV exports of a search (web/feeds.py), on a real index: the same hits as the
search, in its order; cells that a spreadsheet would run are neutralised."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from xml.etree import ElementTree as ET

import pytest

from searcharchive.indexer import Indexer
from searcharchive.search import Archive, SearchRequest
from searcharchive.web.feeds import (
    ATOM,
    CSV_COLUMNS,
    EPOCH,
    EXPORT_PAGE,
    atom_feed,
    atom_time,
    csv_export,
    entry_updated,
    safe_cell,
)

from .conftest import write_jsonl

BASE = "https://archive.example"
NS = {"a": ATOM}


def test_an_atom_feed_has_the_hits_of_the_search_in_its_order(archive: Archive) -> None:
    result = archive.search(SearchRequest(sort="newest", size=5))
    feed = ET.fromstring(atom_feed(result, "Newest", f"{BASE}/feed.atom", BASE, "/be"))
    assert feed.findtext("a:title", namespaces=NS) == "Newest"
    assert feed.find("a:link[@rel='self']", NS).get("href") == f"{BASE}/feed.atom"  # type: ignore[union-attr]
    entries = feed.findall("a:entry", NS)
    assert [e.findtext("a:id", namespaces=NS) for e in entries] == [
        f"{BASE}/be/statements/{hit.statement.id}" for hit in result.hits
    ]
    for entry, hit in zip(entries, result.hits, strict=True):
        assert entry.findtext("a:title", namespaces=NS) == hit.statement.title
        link = entry.find("a:link[@rel='alternate']", NS)
        assert link is not None and link.get("hreflang") == hit.statement.lang
        assert [c.get("term") for c in entry.findall("a:category", NS)] == hit.statement.tags
    times = [e.findtext("a:updated", namespaces=NS) or "" for e in entries]
    assert times == [entry_updated(hit.statement) for hit in result.hits]
    assert feed.findtext("a:updated", namespaces=NS) == max(times)


def test_an_empty_feed_is_valid_and_dated_at_the_epoch(archive: Archive) -> None:
    result = archive.search(SearchRequest(q="zzzxqwv"))
    feed = ET.fromstring(atom_feed(result, "Nothing", f"{BASE}/feed.atom", BASE, ""))
    assert feed.findall("a:entry", NS) == []
    assert feed.findtext("a:updated", namespaces=NS) == EPOCH


def test_an_entry_is_dated_by_its_statement_never_by_the_clock(archive: Archive) -> None:
    statement = archive.search(SearchRequest(size=1)).hits[0].statement
    assert statement.date is not None
    assert entry_updated(statement) == f"{statement.date.start().isoformat()}T00:00:00Z"
    undated = replace(statement, date=None)
    assert entry_updated(undated) == atom_time(statement.added)
    assert entry_updated(replace(undated, added="")) == EPOCH


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("2021-03-04T05:06:07+03:00", "2021-03-04T02:06:07Z"),
        ("2021-03-04T05:06:07.999", "2021-03-04T05:06:07Z"),  # no zone: taken as UTC
        ("2021-03-04", "2021-03-04T00:00:00Z"),
        ("yesterday", None),
        ("", None),
    ],
)
def test_atom_times_are_utc_whole_seconds(value: str, written: str | None) -> None:
    assert atom_time(value) == written


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_a_spreadsheet_would_run_are_neutralised(start: str) -> None:
    assert safe_cell(f"{start}SUM(A1)") == f"'{start}SUM(A1)"
    assert safe_cell(f"a{start}b") == f"a{start}b"


@pytest.fixture(scope="module")
def pages_of_hits(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """More statements than one page of an export (100) holds."""
    folder = tmp_path_factory.mktemp("export")
    records = [
        {
            "id": f"export-{n:03d}",
            "lang": "en",
            "title": f"Statement {n} on the =cell",
            "body": f"Paragraph {n} about detention.",
            "date": f"2020-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            "tags": ["=formula", "export"],
        }
        for n in range(EXPORT_PAGE + 30)
    ]
    Indexer(folder / "index").run([write_jsonl(folder / "r.jsonl", records)])
    return Archive.open(folder / "index")


def test_the_csv_export_is_the_whole_search_across_pages(pages_of_hits: Archive) -> None:
    archive = pages_of_hits
    request = SearchRequest(q="detention", sort="oldest", ui_lang="ru")
    chunks, generation = csv_export(archive, replace(request), BASE)
    text = b"".join(chunks).decode("utf-8")
    assert text.startswith("\ufeff") and generation == archive.generation().name
    header, *rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert tuple(header) == CSV_COLUMNS
    expected = [
        hit.statement.id
        for page in (1, 2)
        for hit in archive.search(replace(request, size=EXPORT_PAGE, page=page)).hits
    ]
    assert len(expected) == EXPORT_PAGE + 30
    assert [row[0] for row in rows] == expected
    link = CSV_COLUMNS.index("link")
    assert all(row[link] == f"{BASE}/statements/{row[0]}" for row in rows)
    tags, title = CSV_COLUMNS.index("tags"), CSV_COLUMNS.index("title")
    assert {row[tags] for row in rows} == {"'=formula; export"}
    assert all(row[title].startswith("Statement ") for row in rows)
