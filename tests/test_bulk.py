"""Whoosh's multiprocess writer made safe to stop (bulk.py): every document committed, one
segment per process, a cancel or a failing process leaves nothing committed and no process
behind, and a process killed from outside fails the build instead of hanging it."""

from __future__ import annotations

import errno
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import pytest
from whoosh import fields
from whoosh import index as whoosh_index

from searcharchive.bulk import BulkWriteFailed, BulkWriter
from searcharchive.indexer import Indexer
from searcharchive.store import IndexStore

from .conftest import write_jsonl
from .faults import records, sample_index, wait_for

SCHEMA = fields.Schema(id=fields.ID(stored=True, unique=True), body=fields.TEXT)


def children() -> set[psutil.Process]:
    return set(psutil.Process().children())


def written(folder: Path, count: int) -> BulkWriter:
    """A writer of `count` documents in two processes, not yet committed."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), SCHEMA)
    writer = BulkWriter(ix, 2)
    for n in range(count):
        writer.add_document(id=f"doc-{n}", body=f"words of document {n} about detention")
    return writer


def test_every_document_is_committed_one_segment_per_process(tmp_path: Path) -> None:
    others = children()
    writer = written(tmp_path / "index", 450)
    writer.commit()
    ix = whoosh_index.open_dir(str(tmp_path / "index"))
    with ix.reader() as reader:
        assert reader.doc_count() == 450
        assert len(list(reader.leaf_readers())) == 2
        assert {fields["id"] for fields in reader.all_stored_fields()} == {
            f"doc-{n}" for n in range(450)
        }
    wait_for(lambda: children() <= others, 10)


def test_a_cancelled_writer_commits_nothing_and_stops_its_processes(tmp_path: Path) -> None:
    others = children()
    writer = written(tmp_path / "index", 450)
    assert children() - others, "the writer started no process"
    writer.cancel()
    wait_for(lambda: children() <= others, 10)
    assert whoosh_index.open_dir(str(tmp_path / "index")).doc_count() == 0


def _analyser_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folding a name fails: the key of a capitalised word, which Whoosh's FoldFilter and
    the writer's document_terms both take from analysis.fold_form."""
    import searcharchive.analysis as analysis

    real = analysis.fold_key

    def explode(word: str) -> str:
        if word == "Kaboom":
            raise RuntimeError("the analyser failed")
        return real(word)

    monkeypatch.setattr(analysis, "fold_key", explode)


def _disk_fills_up(monkeypatch: pytest.MonkeyPatch) -> None:
    from whoosh.multiproc import SubWriterTask

    def full(self: Any, filename: str, doc_count: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(SubWriterTask, "_process_file", full)


@pytest.mark.parametrize(
    ("breakage", "error", "message"),
    [
        (_analyser_fails, BulkWriteFailed, "the analyser failed"),
        (_disk_fills_up, OSError, "No space left on device"),
    ],
    ids=["analyser-raises", "disk-full"],
)
def test_a_failing_indexing_process_publishes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    breakage: Callable[[pytest.MonkeyPatch], None],
    error: type[Exception],
    message: str,
) -> None:
    """A process of a full build fails and loses the documents it held: the build says
    why (an OSError stays one, for the CLI's message) and the published generation stays."""
    index = tmp_path / "index"
    published = sample_index(index)
    others = set(psutil.Process().children())  # servers of other tests
    breakage(monkeypatch)  # the build's forked processes inherit it
    rows = records("quokka", 250) + [
        {"id": "bad", "lang": "en", "title": "Kaboom", "body": "Kaboom here."}
    ]
    source = write_jsonl(tmp_path / "some.jsonl", rows)
    with pytest.raises(error, match=message):
        Indexer(index, processes=2).run([source], rebuild=True)
    assert IndexStore(index).current_name() == published
    assert not list(index.glob("tmp-*"))
    assert set(psutil.Process().children()) <= others  # no indexing process left


def test_indexing_processes_killed_from_outside_fail_the_build_instead_of_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The OOM killer takes both processes of a full build (SIGKILL, possibly while one
    holds the job queue's lock): the indexer must not wait forever on a full queue."""
    import searcharchive.bulk as bulk

    index = tmp_path / "index"
    published = sample_index(index)
    others = set(psutil.Process().children())

    def killed_soon(parent: int) -> None:  # runs in each forked process
        time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(bulk, "_exit_with_parent", killed_soon)
    source = write_jsonl(tmp_path / "many.jsonl", records("quokka", 2000))
    outcome: list[BaseException | None] = []

    def build() -> None:
        try:
            Indexer(index, processes=2).run([source], rebuild=True)
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 - the test inspects it
            outcome.append(error)

    worker = threading.Thread(target=build, daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "the indexer hung after its processes were killed"
    assert isinstance(outcome[0], BulkWriteFailed), outcome
    assert "exit code -9" in str(outcome[0])
    assert IndexStore(index).current_name() == published
    assert not list(index.glob("tmp-*"))
    assert set(psutil.Process().children()) <= others
