"""Issue 11, ingest: statements are never lost, replaced or published unseen.

Each test here failed against the indexer before the fix it names (the point of
the issue in brackets); the sentences are ours.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from searcharchive.archive import Archive
from searcharchive.errors import ArchiveError
from searcharchive.indexer import Indexer
from searcharchive.readers import SkippedFile, read_sources
from searcharchive.request import SearchRequest
from searcharchive.statement import MAX_LEAD_CHARS, MAX_VALUES
from searcharchive.store import IndexStore

from .conftest import write_jsonl

SHARED_OPENING = (
    "Joint statement of Belarusian human rights organizations on the recognition of "
    "the persecution of"
)


def cli(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "searcharchive", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=300,
    )


def total(index: Path) -> int:
    return Archive.open(index).search(SearchRequest(size=1)).total


def numbered_records(count: int) -> list[dict[str, str]]:
    """Id-less records, each long enough that a hundred of them pass 8 KB."""
    return [
        {
            "title": f"{SHARED_OPENING} journalist number {n}",
            "body": f"The court in Minsk sentenced journalist number {n} to prison. " * 3,
            "lang": "en",
        }
        for n in range(count)
    ]


# ------------------------------------------------------------------ [1] made-up ids


def test_id_less_statements_whose_titles_share_a_long_opening_are_all_kept(tmp_path: Path) -> None:
    records = [
        {"title": f"{SHARED_OPENING} human rights defenders", "body": "First text.", "lang": "en"},
        {"title": f"{SHARED_OPENING} lawyers", "body": "Second text.", "lang": "en"},
    ]
    index = tmp_path / "index"
    first = Indexer(index).run([write_jsonl(tmp_path / "a.jsonl", records[:1])])
    second = Indexer(index).run([write_jsonl(tmp_path / "b.jsonl", records[1:])])
    assert (first.indexed, second.indexed, second.updated) == (1, 1, 0)
    assert total(index) == 2


def test_a_tag_page_of_statements_with_one_opening_keeps_every_statement(tmp_path: Path) -> None:
    blocks = [
        f"{SHARED_OPENING} {who}\n\n\nThe statement about {who}."
        for who in ("students", "teachers", "doctors")
    ]
    page = tmp_path / "page.txt"
    page.write_text("joint statement\n\n" + "\n\n\n".join(blocks) + "\n", encoding="utf-8")
    index = tmp_path / "index"
    report = Indexer(index).run([page])
    assert report.indexed == 3 and total(index) == 3
    again = Indexer(index).run([page])  # the same input gives the same ids: nothing changes
    assert (again.indexed, again.updated, again.unchanged) == (0, 0, 3)


def test_made_up_ids_are_stable_and_an_edited_text_at_one_url_updates_it(tmp_path: Path) -> None:
    record = {"title": "Free the lawyers", "body": "Version one.", "url": "https://example.org/a"}
    index = tmp_path / "index"
    Indexer(index).run([write_jsonl(tmp_path / "a.jsonl", [record])])
    edited = Indexer(index).run(
        [write_jsonl(tmp_path / "a.jsonl", [{**record, "body": "Version two."}])]
    )
    assert (edited.indexed, edited.updated) == (0, 1) and total(index) == 1
    (hit,) = Archive.open(index).search(SearchRequest()).hits
    assert hit.statement.id.startswith("free-the-lawyers-") and hit.statement.body == "Version two."


def test_an_id_updated_from_another_file_is_reported(tmp_path: Path) -> None:
    index = tmp_path / "index"
    original = {"id": "appeal", "title": "Appeal", "body": "The original text.", "lang": "en"}
    Indexer(index).run([write_jsonl(tmp_path / "first.jsonl", [original])])
    same_file = Indexer(index).run(
        [write_jsonl(tmp_path / "first.jsonl", [{**original, "body": "Corrected text."}])]
    )
    assert same_file.updated == 1 and not same_file.replaced  # an edit of its own file
    other = write_jsonl(tmp_path / "second.jsonl", [{**original, "body": "Another text."}])
    result = cli("index", str(other), "--index", str(index))
    assert result.returncode == 0, result.stderr
    assert b"1 replaced from another file" in result.stdout
    assert b"first.jsonl" in result.stderr and b"appeal" in result.stderr
    notes = [json.loads(line) for line in (index / "notes.jsonl").read_text().splitlines()]
    (note,) = [n for n in notes if "replaced" in n["note"]]
    assert note["source"].endswith("second.jsonl") and note["line"] == 1


# ------------------------------------------------------------------ [2] lone surrogates


def test_a_lone_surrogate_is_rejected_with_its_line_and_the_rest_indexed(tmp_path: Path) -> None:
    source = tmp_path / "records.jsonl"
    source.write_text(
        '{"id": "one", "title": "One", "body": "text", "lang": "en"}\n'
        '{"id": "two", "title": "x \\ud800", "body": "text", "lang": "en"}\n'
        '{"id": "three", "title": "Three", "body": "text", "lang": "en", "tags": ["a\\udfff"]}\n'
        '{"id": "four", "title": "Four", "body": "text", "lang": "en"}\n',
        encoding="utf-8",
    )
    index = tmp_path / "index"
    result = cli("index", str(source), "--index", str(index))
    assert result.returncode == 1, result.stderr
    assert b"read 4, indexed 2" in result.stdout
    rejects = [json.loads(line) for line in (index / "rejects.jsonl").read_text().splitlines()]
    assert [(r["line"], "surrogate" in r["reason"]) for r in rejects] == [(2, True), (3, True)]
    assert "'tags[0]'" in rejects[1]["reason"]
    assert total(index) == 2


# ------------------------------------------------------------------ [3] pipes


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_every_record_piped_in_is_accounted_for(tmp_path: Path, name: str) -> None:
    lines = [json.dumps(r) for r in numbered_records(100)] + ["{not json"]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    assert len(data) > 3 * 8192
    index = tmp_path / "index"
    result = cli("index", name, "--index", str(index), stdin=data)
    assert b"read 101, indexed 100, updated 0, unchanged 0, rejected 1" in result.stdout
    assert result.returncode == 1  # the malformed line
    assert total(index) == 100
    (reject,) = [json.loads(line) for line in (index / "rejects.jsonl").read_text().splitlines()]
    assert (reject["source"], reject["line"]) == ("-", 101)


def test_a_tag_page_and_an_html_page_can_be_piped_in(tmp_path: Path) -> None:
    page = "joint statement\n\nFree them all\n\n\nOn May 2, 2023, the court sentenced three.\n"
    tag_index = tmp_path / "tags"
    result = cli("index", "-", "--index", str(tag_index), stdin=page.encode("utf-8"))
    assert result.returncode == 0 and b"read 1, indexed 1" in result.stdout, result.stderr
    html = (
        "<html lang='en'><head><title>Release the journalists</title></head><body><article>"
        "<h1>Release the journalists</h1><p>"
        + "The journalists were detained in Minsk for their reporting. " * 8
        + "</p></article></body></html>"
    )
    html_index = tmp_path / "html"
    result = cli("index", "-", "--index", str(html_index), stdin=html.encode("utf-8"))
    assert result.returncode == 0 and b"read 1, indexed 1" in result.stdout, result.stderr


def test_standard_input_is_read_once(tmp_path: Path) -> None:
    result = cli("index", "-", "-", "--index", str(tmp_path / "index"), stdin=b"{}\n")
    assert result.returncode == 2 and b"only once" in result.stderr


# ------------------------------------------------------------------ [4] file names


def test_a_file_name_that_is_not_utf8_never_loses_the_rejections(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    bad_name = os.fsdecode(b"records-\xff.jsonl")
    write_jsonl(folder / bad_name, [{"id": "ok", "title": "Fine", "body": "text"}, {"id": "?"}])
    index = tmp_path / "index"
    result = cli("index", str(folder), "--index", str(index))
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr
    (reject,) = [json.loads(line) for line in (index / "rejects.jsonl").read_text().splitlines()]
    assert reject["source"].endswith("records-\\xff.jsonl") and reject["line"] == 2
    assert total(index) == 1


# ------------------------------------------------------------------ [5] nothing skipped unseen


def test_what_a_folder_holds_besides_statement_files_is_listed(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    write_jsonl(folder / "good.jsonl", [{"id": "good", "title": "Good", "body": "text"}])
    write_jsonl(folder / ".hidden.jsonl", [{"id": "hidden", "title": "Hidden", "body": "t"}])
    (folder / ".git").mkdir()
    (folder / "broken.jsonl").symlink_to(folder / "missing.jsonl")
    (folder / "loop.jsonl").symlink_to(folder / "loop.jsonl")
    (folder / "again").symlink_to(folder)  # a folder linked inside itself
    os.mkfifo(folder / "pipe.jsonl")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "socket"))
    try:
        items = list(read_sources([folder]))
    finally:
        server.close()
    skipped = {Path(i.source).name: i.reason for i in items if isinstance(i, SkippedFile)}
    assert set(skipped) == {".hidden.jsonl", ".git", "again", "pipe.jsonl", "socket"}
    assert "named pipe" in skipped["pipe.jsonl"] and "socket" in skipped["socket"]
    rejected = {Path(i.source).name: i.reason for i in items if hasattr(i, "reason")}
    assert "broken symbolic link" in rejected["broken.jsonl"]
    assert "loop" in rejected["loop.jsonl"]


def test_the_cli_lists_skipped_files_and_notes_them(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    write_jsonl(folder / "good.jsonl", [{"id": "good", "title": "Good", "body": "text"}])
    (folder / ".notes.txt").write_text("private", encoding="utf-8")
    index = tmp_path / "index"
    result = cli("index", str(folder), "--index", str(index))
    assert result.returncode == 0 and b"1 file skipped" in result.stdout
    assert b".notes.txt: hidden file" in result.stderr
    (note,) = [json.loads(line) for line in (index / "notes.jsonl").read_text().splitlines()]
    assert note["source"].endswith(".notes.txt") and "hidden" in note["skipped"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file: nothing is unreadable")
def test_an_unreadable_file_in_a_folder_is_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    locked = write_jsonl(folder / "locked.jsonl", [{"id": "x", "title": "X"}])
    locked.chmod(0)
    (reject,) = list(read_sources([folder]))
    assert "cannot read" in getattr(reject, "reason", "")


def test_a_named_pipe_named_as_a_source_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "statements.jsonl"
    os.mkfifo(fifo)
    index = tmp_path / "index"
    result = cli("index", str(fifo), "--index", str(index))  # used to wait for a writer forever
    assert result.returncode == 2 and b"named pipe" in result.stderr and b"give -" in result.stderr
    with pytest.raises(ArchiveError, match="named pipe"):
        Indexer(index).run([fifo])
    good = write_jsonl(tmp_path / "good.jsonl", [{"id": "g", "title": "Good", "body": "t"}])
    assert Indexer(index).run([good]).indexed == 1  # no lock was left behind


# ------------------------------------------------------------------ [6] private notes


@pytest.mark.parametrize(
    "text",
    [
        "Shopping\n\nmilk, bread\ncall the lawyer on Monday\n",
        "Ideas for the appeal\n\n\nfirst: ask for the case file\nsecond: write to the UN\n\n\nmore\n",
        "Notes\n\n\nOnly a heading\n",
        "A diary entry that is one long line without any structure at all, " * 3 + "\n",
    ],
)
def test_a_text_file_without_a_tag_pages_layout_is_not_published(tmp_path: Path, text: str) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text(text, encoding="utf-8")
    index = tmp_path / "index"
    report = Indexer(index).run([notes])
    assert report.indexed == 0 and report.read == 1
    (rejection,) = report.rejected
    assert rejection.reason.startswith("not a tag-page export")
    assert "JSON Lines" in rejection.reason and "HTML" in rejection.reason


# ------------------------------------------------------------------ [7] the lock


def test_deleting_files_in_the_index_folder_does_not_let_a_second_indexer_in(
    tmp_path: Path,
) -> None:
    index = tmp_path / "index"
    good = write_jsonl(tmp_path / "good.jsonl", [{"id": "g", "title": "Good", "body": "t"}])
    Indexer(index).run([good])
    with IndexStore(index).writing():
        for item in index.iterdir():  # what a careless clean-up would remove
            if item.is_file():
                item.unlink()
        with pytest.raises(ArchiveError, match="another indexer"):
            Indexer(index).run([good], rebuild=True)
    assert Indexer(index).run([good], rebuild=True).indexed == 1


# ------------------------------------------------------------------ [11] [12] [15] bounds


def test_a_huge_body_is_rejected_and_a_long_one_has_a_bounded_lead(tmp_path: Path) -> None:
    citations = "Article 342 of the Criminal Code and Art. 23.34 CAO. "
    huge = {"id": "huge", "title": "Huge", "body": citations * 100_000, "lang": "en"}
    long = {"id": "long", "title": "Long", "body": citations * 5_000, "lang": "en"}
    index = tmp_path / "index"
    report = Indexer(index).run([write_jsonl(tmp_path / "r.jsonl", [huge, long])])
    (rejection,) = report.rejected
    assert "longer than the limit" in rejection.reason and rejection.where == {"line": 1}
    archive = Archive.open(index)
    found = archive.get("long")
    assert found is not None
    assert len(found.statement.lead) <= MAX_LEAD_CHARS + 1 and found.statement.lead.endswith("…")
    (hit,) = archive.search(SearchRequest(q="article:cc:342")).hits
    assert len(hit.to_json()["lead"]) <= MAX_LEAD_CHARS + 1 and len(hit.snippet) < 2_000


def test_tags_per_record_are_capped_and_the_cut_is_noted(tmp_path: Path) -> None:
    record = {
        "id": "tags",
        "title": "Tags",
        "body": "t",
        "tags": [f"tag {n}" for n in range(10_000)],
    }
    index = tmp_path / "index"
    report = Indexer(index).run([write_jsonl(tmp_path / "r.jsonl", [record])])
    assert report.indexed == 1
    (note,) = report.notes
    assert note.note == f"'tags' cut to the first {MAX_VALUES['tags']} of 10000 values"
    result = Archive.open(index).search(SearchRequest())
    assert len(result.hits[0].statement.tags) == MAX_VALUES["tags"]
    assert len(result.facets["tag"]) <= MAX_VALUES["tags"]


def test_control_characters_are_cleaned_at_ingest_and_noted(tmp_path: Path) -> None:
    record = {
        "id": "pasted",
        "title": "Pasted\x0bfrom a word processor\x01",
        "body": "First line\x0bsecond line.\x07",
        "tags": ["tag\x1f"],
        "lang": "en",
    }
    index = tmp_path / "index"
    report = Indexer(index).run([write_jsonl(tmp_path / "r.jsonl", [record])])
    (note,) = report.notes
    assert note.note == "control characters removed from title, body, tags"
    found = Archive.open(index).get("pasted")
    assert found is not None
    assert found.statement.title == "Pasted from a word processor"  # a title is one line
    assert found.statement.body == "First line\nsecond line."
    assert found.statement.tags == ["tag"]


# ------------------------------------------------------------------ [18] when it came in


def test_a_statement_keeps_the_time_it_entered_the_archive(tmp_path: Path) -> None:
    index = tmp_path / "index"
    record = {"id": "undated", "title": "Undated", "body": "No date here.", "lang": "en"}
    source = write_jsonl(tmp_path / "r.jsonl", [record])
    Indexer(index).run([source])
    added = Archive.open(index).get("undated").statement.added  # type: ignore[union-attr]
    assert added.endswith("Z") and added[:4].isdigit()
    Indexer(index).run([write_jsonl(tmp_path / "r.jsonl", [{**record, "body": "Edited."}])])
    Indexer(index).run([source], rebuild=True)
    assert Archive.open(index).get("undated").statement.added == added  # type: ignore[union-attr]


def test_past_its_first_statement_a_tag_page_keeps_irregular_statements(tmp_path: Path) -> None:
    """The layout check is for the opening: a later title with a subtitle in its block,
    or a last title without a lead, is read as before, not a reason to drop the file."""
    page = tmp_path / "page.txt"
    page.write_text(
        "appeal\n\nFree the journalists\n\n\nThe court sentenced three reporters.\n\n\n"
        "Free the lawyers\n\nA subtitle\n\n\nThe bar expelled them.\n\n\nA last title\n",
        encoding="utf-8",
    )
    report = Indexer(tmp_path / "index").run([page])
    assert (report.indexed, len(report.rejected)) == (3, 0)


def test_a_damaged_catalog_does_not_stop_a_rebuild(tmp_path: Path) -> None:
    index = tmp_path / "index"
    source = write_jsonl(tmp_path / "r.jsonl", [{"id": "a", "title": "A", "body": "text"}])
    Indexer(index).run([source])
    (index / (IndexStore(index).current_name() or "") / "catalog.json").write_text("garbage")
    assert Indexer(index).run([source], rebuild=True).indexed == 1


def test_statements_of_one_page_without_ids_keep_apart(tmp_path: Path) -> None:
    url = "https://example.org/weekly-review"
    records = [
        {"title": "Monday: a search", "body": "Police searched the office.", "url": url},
        {"title": "Friday: a verdict", "body": "The court passed a verdict.", "url": url},
    ]
    report = Indexer(tmp_path / "index").run([write_jsonl(tmp_path / "r.jsonl", records)])
    assert (report.indexed, len(report.rejected)) == (2, 0)
