"""The catalog written in parts: incremental runs link the whole and write recent entries."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from searcharchive import catalog as catalog_module
from searcharchive import indexer as indexer_module
from searcharchive.archive import Archive
from searcharchive.catalog import RECENT, read_catalog
from searcharchive.indexer import Indexer
from searcharchive.request import SearchRequest
from searcharchive.store import CATALOG, IndexStore

from .conftest import write_jsonl

ADDED = "2026-01-02T03:04:05Z"


def batches(tmp_path: Path) -> list[Path]:
    """Four files of statements; the third updates one of the first and adds others."""
    files = []
    for batch in range(4):
        records = [
            {"id": f"s{batch}-{i}", "lang": "en", "title": f"Title {batch} {i}", "body": "text"}
            for i in range(5)
        ]
        if batch == 2:
            records.append({"id": "s0-1", "lang": "en", "title": "Changed", "body": "other"})
        files.append(write_jsonl(tmp_path / f"batch-{batch}.jsonl", records))
    return files


def current(index: Path) -> Path:
    generation = IndexStore(index).current()
    assert generation is not None
    return generation


def test_runs_link_the_whole_catalog_and_read_as_one_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer_module, "now_utc", lambda: ADDED)
    files = batches(tmp_path)
    parts = tmp_path / "parts"
    inodes = []
    for file in files:
        Indexer(parts).run([file])
        inodes.append(os.stat(current(parts) / CATALOG).st_ino)
    assert len(set(inodes)) == 1  # the first run's catalog.json, linked ever since
    assert (current(parts) / RECENT).exists()
    # the same runs, each writing the whole catalog
    monkeypatch.setattr(catalog_module, "RECENT_MIN", 0)
    monkeypatch.setattr(catalog_module, "RECENT_SHARE", 10**9)
    whole = tmp_path / "whole"
    for file in files:
        Indexer(whole).run([file])
    assert not (current(whole) / RECENT).exists()
    assert read_catalog(current(parts)).as_json() == read_catalog(current(whole)).as_json()
    assert len(read_catalog(current(parts))) == 20
    a, b = Archive.open(parts), Archive.open(whole)
    for request in (SearchRequest(size=100), SearchRequest(q="changed", size=100)):
        assert [h.to_json() for h in a.search(request).hits] == [
            h.to_json() for h in b.search(request).hits
        ]
    # a rerun of every file finds every statement unchanged, in both
    for index in (parts, whole):
        report = Indexer(index).run(files[1:])
        assert (report.indexed, report.updated, report.unchanged) == (0, 0, 16)


def test_recent_entries_past_their_share_are_written_whole_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_module, "RECENT_MIN", 6)
    files = batches(tmp_path)
    index = tmp_path / "index"
    Indexer(index).run([files[0]])
    first = os.stat(current(index) / CATALOG).st_ino
    Indexer(index).run([files[1]])  # 5 recent entries: linked
    assert os.stat(current(index) / CATALOG).st_ino == first
    Indexer(index).run([files[2]])  # 11 recent: the whole again
    generation = current(index)
    assert os.stat(generation / CATALOG).st_ino != first
    assert not (generation / RECENT).exists()
    stored = read_catalog(generation)
    assert len(stored.whole) == 15 and not stored.recent


def test_a_run_failing_while_it_writes_recent_entries_leaves_the_previous_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = batches(tmp_path)
    index = tmp_path / "index"
    for file in files[:2]:
        Indexer(index).run([file])
    published = current(index)
    before = {p.name: p.read_bytes() for p in published.iterdir() if p.is_file()}
    real_write = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:
        if self.name == RECENT:
            real_write(self, b'{"s2-0": [')  # half written, then the disk is full
            raise OSError(28, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OSError):
        Indexer(index).run([files[2]])
    monkeypatch.undo()
    assert current(index) == published and not list(index.glob("tmp-*"))
    assert {p.name: p.read_bytes() for p in published.iterdir() if p.is_file()} == before
    assert Archive.open(index).search(SearchRequest()).total == 10
    report = Indexer(index).run([files[2]])
    assert (report.indexed, report.updated) == (5, 1)
    assert Archive.open(index).search(SearchRequest()).total == 15


def test_damaged_recent_entries_are_reported_and_a_rebuild_gets_past_them(tmp_path: Path) -> None:
    files = batches(tmp_path)
    index = tmp_path / "index"
    for file in files[:2]:
        Indexer(index).run([file])
    (current(index) / RECENT).write_text("garbage", encoding="utf-8")
    with pytest.raises(ValueError):
        Indexer(index).run([files[2]])
    assert Indexer(index).run(files[:3], rebuild=True).indexed == 15
