"""A new statement is found soon (issue #16): a run that only adds statements writes
deltas beside the previous generation's files, which stays untouched; a failed run
publishes nothing; an archive answers from a new generation at once; the resident
indexer (`index --watch`) reads each new file, and only what the index has not read."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from searcharchive import persons
from searcharchive.archive import Archive
from searcharchive.indexer import Indexer, IndexReport
from searcharchive.request import SearchRequest
from searcharchive.store import IndexStore
from searcharchive.watch import Watcher

from .conftest import write_jsonl
from .faults import cli, no_traceback, records, sample_index, snapshot, start_cli, total, wait_for


def _one(tmp_path: Path, word: str, name: str | None = None) -> Path:
    return write_jsonl(tmp_path / f"{name or word}.jsonl", records(word, 1))


def _current(index: Path) -> Path:
    current = IndexStore(index).current()
    assert current is not None
    return current


@pytest.fixture
def index(tmp_path: Path) -> Path:
    """The sample, then one statement more: a generation with deltas to build on."""
    index = tmp_path / "index"
    sample_index(index)
    Indexer(index).run([_one(tmp_path, "aardvark")])
    return index


def test_an_archive_answers_from_a_new_generation_at_once(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("searcharchive.archive.RELOAD_CHECK_SECONDS", 3600.0)
    archive = Archive.open(index)
    assert archive.search(SearchRequest(q="narwhal")).total == 0
    Indexer(index).run([_one(tmp_path, "narwhal")])
    # no wait: the next call sees that CURRENT was replaced
    assert archive.search(SearchRequest(q="narwhal")).total == 1


def test_an_added_statement_links_the_whole_files_and_leaves_them_untouched(
    index: Path, tmp_path: Path
) -> None:
    previous = _current(index)
    before = snapshot(previous)
    report = Indexer(index).run([_one(tmp_path, "narwhal")])
    assert report.generation
    current = _current(index)
    for name in ("catalog.json", persons.FILE, persons.MENTIONS):
        assert (current / name).stat().st_ino == (previous / name).stat().st_ino
    for name in ("catalog-recent.json", persons.RECENT, persons.MENTIONS_RECENT):
        assert (current / name).stat().st_nlink == 1  # written by this run
    assert snapshot(previous) == before
    assert total(index, "narwhal") == 1 and total(index, "aardvark") == 1


def test_a_run_failing_while_it_writes_the_table_publishes_nothing(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = _current(index)
    before = snapshot(published)
    real = persons.write_table

    def fail_halfway(generation: Path, table: persons.PersonTable) -> None:
        real(generation, table)
        (generation / persons.RECENT).write_bytes(b'{"persons": {')  # cut short
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("searcharchive.indexer.write_table", fail_halfway)
    with pytest.raises(OSError):
        Indexer(index).run([_one(tmp_path, "narwhal")])
    assert _current(index) == published and snapshot(published) == before
    assert not list(index.glob("tmp-*"))
    assert total(index, "narwhal") == 0
    monkeypatch.undo()
    Indexer(index).run([_one(tmp_path, "narwhal")])
    assert total(index, "narwhal") == 1


def test_a_damaged_delta_is_read_again_from_the_index(index: Path, tmp_path: Path) -> None:
    """The indexer's half of the table unreadable: the mentions are read from the stored
    records, and the table is the one a rebuild gives."""
    (_current(index) / persons.MENTIONS_RECENT).write_bytes(b"\x00garbage")
    Indexer(index).run([_one(tmp_path, "narwhal")])
    rebuilt = tmp_path / "rebuilt"
    sample_index(rebuilt)
    Indexer(rebuilt).run([_one(tmp_path, "aardvark"), _one(tmp_path, "narwhal")])
    for folder in (index, rebuilt):
        assert persons.load_table(_current(folder)) is not None
    ours, theirs = (persons.load_table(_current(f)) for f in (index, rebuilt))
    assert ours is not None and theirs is not None
    assert (ours.persons, ours.statements) == (theirs.persons, theirs.statements)


# ------------------------------------------------------------ the resident indexer


def _watcher(index: Path, folder: Path) -> tuple[Watcher, list[IndexReport | Exception]]:
    outcomes: list[IndexReport | Exception] = []
    watcher = Watcher(
        Indexer(index), [folder], lambda _, outcome: outcomes.append(outcome), settle=0
    )
    return watcher, outcomes


def _drop(folder: Path, word: str) -> Path:
    """A file written under a hidden name and renamed into place, as the help says."""
    hidden = write_jsonl(folder / f".{word}.tmp", records(word, 1))
    return hidden.rename(folder / f"{word}.jsonl")


def test_at_start_the_watcher_reads_only_what_the_index_has_not(
    index: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    read_before = _one(folder, "okapi")
    Indexer(index).run([read_before])  # the index has read it, as it is now
    os.utime(read_before, ns=(0, 0))  # ... older than the generation
    _drop(folder, "narwhal")
    write_jsonl(folder / ".hidden.jsonl", records("quokka", 1))
    watcher, outcomes = _watcher(index, folder)
    watcher.start()
    assert watcher.due() == [folder / "narwhal.jsonl"]
    assert watcher.round()
    assert not watcher.round()  # nothing more to read
    (report,) = outcomes
    assert isinstance(report, IndexReport) and report.indexed == 1
    assert total(index, "narwhal") == 1 and total(index, "quokka") == 0
    assert total(index, "okapi") == 1


def test_the_watcher_reads_each_new_or_changed_file(index: Path, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    watcher, outcomes = _watcher(index, folder)
    watcher.start()
    archive = Archive.open(index)
    for word in ("narwhal", "okapi"):
        _drop(folder, word)
        assert watcher.round()
        assert archive.search(SearchRequest(q=word)).total == 1
    changed = records("okapi", 1)[0] | {"title": "A changed title on the pangolin"}
    write_jsonl(folder / ".okapi.tmp", [changed]).rename(folder / "okapi.jsonl")
    assert watcher.round()
    assert [(r.indexed, r.updated) for r in outcomes if isinstance(r, IndexReport)] == [
        (1, 0),
        (1, 0),
        (0, 1),
    ]
    assert archive.search(SearchRequest(q="pangolin")).total == 1


def test_index_watch_serves_new_files_until_stopped(index: Path, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    log = tmp_path / "watch.log"
    watcher = start_cli(log, "index", "--watch", str(folder), "--index", str(index))
    try:
        wait_for(lambda: "watching" in log.read_text(encoding="utf-8"), 120)
        _drop(folder, "narwhal")
        wait_for(lambda: total(index, "narwhal") == 1, 120)
    finally:
        watcher.send_signal(signal.SIGTERM)
        code = watcher.wait(timeout=60)
    output = log.read_text(encoding="utf-8")
    no_traceback(output)
    assert code == 0, output
    assert "narwhal.jsonl: read 1, indexed 1" in output


def test_index_watch_refuses_a_rebuild_or_standard_input(tmp_path: Path) -> None:
    for extra in (["--rebuild", str(tmp_path)], ["-"]):
        result = cli("index", "--watch", *extra, "--index", str(tmp_path / "index"))
        assert result.returncode == 2
        assert "--watch reads files and folders, and never rebuilds" in result.stderr
        no_traceback(result.stdout, result.stderr)


def test_generations_sharing_a_whole_table_keep_their_own_entries(
    index: Path, tmp_path: Path
) -> None:
    """A server parses a linked persons.json once; each generation's table still holds
    its own entries (the delta laid over a copy, never over the shared file's)."""
    before = persons.load_table(_current(index), with_mentions=True)
    named = [{**records("narwhal", 1)[0], "body": "Pavel Seviarynets wrote from prison."}]
    Indexer(index).run([write_jsonl(tmp_path / "named.jsonl", named)])
    after = persons.load_table(_current(index), with_mentions=True)
    assert before is not None and after is not None
    assert after.base is not None and (after.base / persons.RECENT).exists()
    assert "narwhal-00000" in after.statements and "narwhal-00000" in after.mentions
    assert "narwhal-00000" not in before.statements and "narwhal-00000" not in before.mentions
    statements = after.persons["pavel-seviarynets"]["statements"]
    assert "narwhal-00000" in statements
    assert "narwhal-00000" not in before.persons["pavel-seviarynets"]["statements"]
    again = persons.load_table(_current(index).parent / before.base.name)  # type: ignore[union-attr]
    assert again is not None and "narwhal-00000" not in again.statements


def test_the_benchmark_s_watched_rounds_start_from_an_empty_drop_folder(tmp_path: Path) -> None:
    """`bench.freshness` keeps its drop folder in the benchmark's cache: a statement left
    there by an earlier run (the same seed draws the same words) was indexed when the
    watcher started, and "found" at once in the next run's rounds."""
    from bench import freshness

    from .servers import running_server

    index = tmp_path / "index"
    sample_index(index)
    work = tmp_path / "work"
    (work / "incoming").mkdir(parents=True)
    stale = "zzleftbehind"
    record = json.dumps(freshness.fresh_record(stale))
    (work / "incoming" / f"{stale}.jsonl").write_text(record + "\n", encoding="utf-8")
    with running_server(index) as base:
        figures = freshness.measure(base, index, work, 1, seed=1)
    assert len(figures["watched_s"]) == 1 and len(figures["one_shot_s"]) == 1
    assert not (work / "incoming" / f"{stale}.jsonl").exists()
    assert total(index, stale) == 0
