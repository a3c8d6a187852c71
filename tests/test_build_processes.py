"""A full build writes in several processes: killed, interrupted or failing, they leave no
process behind and publish nothing."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import pytest

from searcharchive.bulk import BulkWriteFailed
from searcharchive.indexer import Indexer
from searcharchive.store import IndexStore

from .conftest import write_jsonl
from .faults import (
    BIG,
    cli,
    figure,
    no_traceback,
    records,
    sample_index,
    snapshot,
    start_cli,
    total,
    wait_for,
)


def helpers_of(indexer: subprocess.Popen[bytes], timeout: float = 60) -> list[psutil.Process]:
    """The indexing processes a full build has started (waits until there are two)."""
    parent = psutil.Process(indexer.pid)
    wait_for(lambda: len(parent.children()) >= 2 or indexer.poll() is not None, timeout, 0.01)
    assert indexer.poll() is None, "the build finished before its processes could be seen"
    return parent.children()


def gone(processes: list[psutil.Process]) -> bool:
    return not [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def test_sigkill_mid_rebuild_leaves_no_process_behind_and_a_rerun_publishes(
    tmp_path: Path, big_corpus: Path
) -> None:
    """A full build writes in several processes: killing the indexer ends them too."""
    index = tmp_path / "index"
    published = sample_index(index)
    before = snapshot(index / published)
    command = ("index", str(big_corpus), "--index", str(index), "--rebuild", "--processes", "2")
    indexer = start_cli(tmp_path / "killed.log", *command)
    helpers = helpers_of(indexer)
    time.sleep(1.0)
    indexer.send_signal(signal.SIGKILL)
    assert indexer.wait(timeout=10) == -signal.SIGKILL
    seconds = wait_for(lambda: gone(helpers), 10)
    figure("processes of a killed full build", f"{len(helpers)} gone {seconds:.1f} s after it")
    store = IndexStore(index)
    assert store.current_name() == published and snapshot(index / published) == before
    assert total(index, "Seviarynets") >= 1

    rerun = cli(*command)
    assert rerun.returncode == 0, rerun.stderr
    no_traceback(rerun.stdout, rerun.stderr)
    assert f"read {BIG}, indexed {BIG}, updated 0, unchanged 0, rejected 0" in rerun.stdout
    assert not list(index.glob("tmp-*"))
    assert total(index, "quokka") == BIG and total(index, "Seviarynets") == 0


def test_ctrl_c_mid_rebuild_stops_every_process_without_a_traceback(
    tmp_path: Path, big_corpus: Path
) -> None:
    index = tmp_path / "index"
    published = sample_index(index)
    log = tmp_path / "interrupted.log"
    indexer = start_cli(
        log, "index", str(big_corpus), "--index", str(index), "--rebuild", "--processes", "2"
    )
    helpers = helpers_of(indexer)
    time.sleep(0.5)
    for process in (*helpers, psutil.Process(indexer.pid)):  # as a terminal's Ctrl-C does
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(signal.SIGINT)
    assert indexer.wait(timeout=30) == 130
    wait_for(lambda: gone(helpers), 10)
    output = log.read_text()
    no_traceback(output)
    assert "interrupted" in output
    assert IndexStore(index).current_name() == published
    assert not list(index.glob("tmp-*"))


def _analyser_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    import searcharchive.analysis as analysis

    real = analysis.FoldFilter.__call__

    def explode(self: Any, tokens: Any) -> Any:
        def watched() -> Any:
            for token in tokens:
                if token.text == "Kaboom":
                    raise RuntimeError("the analyser failed")
                yield token

        return real(self, watched())

    monkeypatch.setattr(analysis.FoldFilter, "__call__", explode)


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
