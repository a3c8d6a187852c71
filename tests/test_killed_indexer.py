"""The indexer killed (SIGKILL) or interrupted (Ctrl-C) mid-run, or run twice at once: the
served generation stays as it was, and a rerun publishes."""

from __future__ import annotations

import json
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from searcharchive.archive import Archive
from searcharchive.indexer import Indexer
from searcharchive.request import SearchRequest
from searcharchive.store import IndexStore

from .conftest import write_jsonl
from .faults import (
    BIG,
    api,
    cli,
    figure,
    hammering,
    no_traceback,
    records,
    sample_index,
    snapshot,
    start_cli,
    total,
    wait_for,
)
from .servers import serving


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 1.5], ids=["when-tmp-appears", "mid-write"])
def test_sigkill_mid_run_leaves_the_served_index_and_a_rerun_publishes(
    tmp_path: Path, big_corpus: Path, delay: float
) -> None:
    index = tmp_path / "index"
    published = sample_index(index)
    before = snapshot(index / published)
    store = IndexStore(index)

    with serving(index, tmp_path / "server.log") as server:
        with hammering(server.base, ["/api/search?q=Seviarynets", "/?q=statement"]) as hammer:
            indexer = start_cli(
                tmp_path / "killed.log", "index", str(big_corpus), "--index", str(index)
            )
            wait_for(lambda: any(index.glob("tmp-*")) or indexer.poll() is not None, 60, 0.005)
            time.sleep(delay)
            assert indexer.poll() is None, "the indexer finished before it could be killed"
            indexer.send_signal(signal.SIGKILL)
            assert indexer.wait(timeout=10) == -signal.SIGKILL
            time.sleep(0.5)
        figure(f"served during SIGKILL ({delay} s)", f"{len(hammer.statuses)} requests, all 200")
        assert hammer.failures == [] and hammer.statuses

        assert store.current_name() == published
        assert [g.name for g in store.generations()] == [published]
        assert snapshot(index / published) == before
        found = cli("search", "Seviarynets", "--index", str(index), "--json")
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout)["generation"] == published
        assert json.loads(found.stdout)["total"] >= 1
        assert total(index, "quokka") == 0
        assert api(server.base, q="quokka")["total"] == 0

        started = time.monotonic()
        rerun = cli("index", str(big_corpus), "--index", str(index))
        seconds = time.monotonic() - started
        figure(f"rerun after SIGKILL ({delay} s)", f"{seconds:.1f} s for {BIG} records")
        assert rerun.returncode == 0, rerun.stderr
        no_traceback(rerun.stdout, rerun.stderr)
        assert f"read {BIG}, indexed {BIG}, updated 0, unchanged 0, rejected 0" in rerun.stdout
        assert store.current_name() not in (None, published)
        assert not list(index.glob("tmp-*"))
        assert total(index, "quokka") == BIG
        assert total(index, "Seviarynets") >= 1
        wait_for(lambda: api(server.base, q="quokka")["total"] == BIG, 10)


@dataclass
class Interrupted:
    code: int
    output: str
    published: str
    current: str | None
    leftovers: list[str]


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory: pytest.TempPathFactory, big_corpus: Path) -> Interrupted:
    """An indexer run stopped with Ctrl-C (SIGINT) once it has started writing."""
    folder = tmp_path_factory.mktemp("interrupted")
    index = folder / "index"
    published = sample_index(index)
    log = folder / "interrupted.log"
    indexer = start_cli(log, "index", str(big_corpus), "--index", str(index))
    wait_for(lambda: any(index.glob("tmp-*")) or indexer.poll() is not None, 60, 0.005)
    time.sleep(0.5)
    assert indexer.poll() is None, "the indexer finished before it could be interrupted"
    indexer.send_signal(signal.SIGINT)
    code = indexer.wait(timeout=30)
    leftovers = [p.name for p in index.glob("tmp-*")]
    return Interrupted(
        code, log.read_text(), published, IndexStore(index).current_name(), leftovers
    )


def test_ctrl_c_stops_the_indexer_cleanly(interrupted: Interrupted) -> None:
    assert interrupted.code != 0
    no_traceback(interrupted.output)
    assert interrupted.current == interrupted.published
    assert interrupted.leftovers == []  # the half-built generation is removed on the way out


def test_ctrl_c_exits_130_saying_interrupted(interrupted: Interrupted) -> None:
    assert interrupted.code == 130 and "interrupted" in interrupted.output, interrupted.output


def test_a_second_indexer_is_refused_while_one_runs(tmp_path: Path, big_corpus: Path) -> None:
    index = tmp_path / "index"
    published = sample_index(index)
    first = start_cli(tmp_path / "first.log", "index", str(big_corpus), "--index", str(index))
    try:
        wait_for(lambda: any(index.glob("tmp-*")) or first.poll() is not None, 60, 0.005)
        small = write_jsonl(tmp_path / "few.jsonl", records("narwhal", 3))
        second = cli("index", str(small), "--index", str(index))
        assert first.poll() is None, "the first indexer finished too soon to test this"
    finally:
        first.kill()
        first.wait(timeout=10)
    assert second.returncode == 2, second.stdout + second.stderr
    no_traceback(second.stdout, second.stderr)
    assert second.stderr.startswith("error:") and "another indexer" in second.stderr
    assert IndexStore(index).current_name() == published


def test_publishing_leaves_the_previous_generation_untouched(tmp_path: Path) -> None:
    """A new generation never writes into the one it was built from (its files are shared by
    hard links), so a server still on it, or a rollback by hand, sees it as it was."""
    index = tmp_path / "index"
    first = sample_index(index)
    before = snapshot(index / first)
    statements = Archive.open(index).search(SearchRequest()).total
    Indexer(index).run([write_jsonl(tmp_path / "more.jsonl", records("narwhal", 30))])
    assert IndexStore(index).current_name() != first
    assert snapshot(index / first) == before
    (index / "CURRENT").write_text(first + "\n", encoding="ascii")  # README: "CURRENT last"
    assert Archive.open(index).search(SearchRequest()).total == statements


@pytest.mark.slow
def test_sigkill_while_the_new_generation_is_finished_publishes_nothing_half_done(
    tmp_path: Path, big_corpus: Path
) -> None:
    """Killed after Whoosh's commit, while the catalog and facet columns are written."""
    index = tmp_path / "index"
    published = sample_index(index)
    old = index / published
    before = snapshot(old)
    store = IndexStore(index)
    indexer = start_cli(tmp_path / "killed.log", "index", str(big_corpus), "--index", str(index))

    def finishing() -> bool:
        return indexer.poll() is not None or any(
            (work / "catalog.json").exists() for work in index.glob("tmp-*")
        )

    wait_for(finishing, 600, 0.002)  # a hang guard: a loaded machine indexes slowly
    killed = indexer.poll() is None
    if killed:
        indexer.send_signal(signal.SIGKILL)
        indexer.wait(timeout=10)
    figure("SIGKILL after commit", "killed while finishing" if killed else "run finished first")

    assert snapshot(old) == before
    if store.current_name() == published:
        assert total(index, "quokka") == 0 and total(index, "Seviarynets") >= 1
    else:
        assert total(index, "quokka") == BIG
    rerun = cli("index", str(big_corpus), "--index", str(index))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert total(index, "quokka") == BIG and total(index, "Seviarynets") >= 1
    assert not list(index.glob("tmp-*"))
