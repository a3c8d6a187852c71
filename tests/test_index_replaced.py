"""The index replaced under a running server (rebuilds, removed generations, a swapped
directory): every request is answered, and the new index is served."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import httpx
import pytest

from searcharchive.indexer import Indexer
from searcharchive.store import IndexStore

from .conftest import write_jsonl
from .faults import api, cli, figure, hammering, records, sample_index, wait_for
from .servers import serving

SEARCHES = [
    "/api/search?q=statement",
    "/?q=statement",
    "/api/search?sort=newest&size=5",
    "/feed.atom",
    "/healthz",
]


@pytest.mark.slow
def test_rebuilds_and_removed_generations_while_serving_keep_answering(tmp_path: Path) -> None:
    index = tmp_path / "index"
    sample_index(index)
    words = ["quokka", "narwhal", "axolotl", "pangolin"]
    corpora = [write_jsonl(tmp_path / f"{w}.jsonl", records(w, 150)) for w in words]
    with serving(index, tmp_path / "server.log") as server:
        with hammering(server.base, SEARCHES) as hammer:
            for word, corpus in zip(words, corpora, strict=True):
                rebuilt = cli("index", str(corpus), "--index", str(index), "--rebuild")
                assert rebuilt.returncode == 0, rebuilt.stderr
                wait_for(lambda w=word: api(server.base, q=w)["total"] == 150, 10)
            # the indexer keeps 3 generations; remove the older ones by hand as well
            current = IndexStore(index).current_name()
            removed = [g for g in IndexStore(index).generations() if g.name != current]
            for old in removed:
                shutil.rmtree(old)
            time.sleep(1)
        figure("rebuilds while serving", f"{len(hammer.statuses)} requests, {hammer.failures}")
        assert hammer.failures == []
        assert len(hammer.statuses) >= 20
        assert removed, "the indexer left no old generation to remove"
        assert api(server.base, q="pangolin")["total"] == 150
        assert api(server.base, q="Seviarynets")["total"] == 0
        assert api(server.base, q="quokka")["total"] == 0


def build(index: Path, tmp_path: Path, *batches: list[dict]) -> str:
    """An index built by one indexer run per batch; returns its published generation."""
    for number, batch in enumerate(batches):
        report = Indexer(index).run([write_jsonl(tmp_path / f"batch-{number}.jsonl", batch)])
        assert report.generation and not report.rejected
    return IndexStore(index).current_name() or ""


def swap_directory(index: Path, replacement: Path) -> None:
    """Replace the whole index directory: two renames, then the old one is deleted."""
    old = index.with_name(index.name + ".old")
    os.rename(index, old)
    os.rename(replacement, index)
    shutil.rmtree(old)


def test_index_directory_swapped_by_rename_keeps_answering_and_serves_the_new_one(
    tmp_path: Path,
) -> None:
    index = tmp_path / "index"
    old = build(index, tmp_path, records("quokka", 20))
    replacement = tmp_path / "replacement"
    new = build(replacement, tmp_path, records("narwhal", 10), records("narwhal", 20, "more"))
    assert new != old
    with serving(index, tmp_path / "server.log") as server:
        with hammering(server.base, SEARCHES) as hammer:
            time.sleep(0.5)
            swap_directory(index, replacement)
            waited = wait_for(lambda: api(server.base, q="narwhal")["total"] == 30, 10)
            time.sleep(0.5)
        figure(
            "directory swap", f"new content after {waited:.2f} s, {len(hammer.statuses)} requests"
        )
        assert hammer.failures == []
        assert api(server.base, q="quokka")["total"] == 0
        assert httpx.get(f"{server.base}/healthz").json()["generation"] == new


def test_index_directory_swapped_for_one_with_the_same_generation_name(tmp_path: Path) -> None:
    index = tmp_path / "index"
    old = build(index, tmp_path, records("quokka", 20))
    replacement = tmp_path / "replacement"
    assert build(replacement, tmp_path, records("narwhal", 30)) == old
    with serving(index, tmp_path / "server.log") as server:
        assert api(server.base, q="quokka")["total"] == 20
        swap_directory(index, replacement)
        time.sleep(2)
        assert api(server.base, q="narwhal")["total"] == 30
        assert api(server.base, q="quokka")["total"] == 0
