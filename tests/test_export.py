"""CSV exports of a search (web/export.py), on a real index: the whole search across pages, in
its order; cells that a spreadsheet would run are neutralised."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from searcharchive.archive import Archive
from searcharchive.indexer import Indexer
from searcharchive.request import SearchRequest
from searcharchive.web.export import CSV_COLUMNS, EXPORT_PAGE, csv_export, safe_cell

from .conftest import write_jsonl

BASE = "https://archive.example"


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
