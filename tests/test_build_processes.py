"""A full build writes in several processes: killed, interrupted or failing, they leave no
process behind and publish nothing."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from searcharchive.store import IndexStore

from .faults import (
    BIG,
    cli,
    figure,
    no_traceback,
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


@pytest.mark.slow
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
