"""Smoke tests of bench/: a reproducible generator, records the real indexer takes without
rejects, and a harness run that writes JSON of the required shape. No timing assertions:
speed figures belong to `python -m bench`, never to unit tests."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from bench.generate import read_records, read_truth, write_corpus
from bench.queries import CLASSES
from whoosh import index as whoosh_index

from searcharchive.archive import Archive
from searcharchive.gazetteer import Gazetteer
from searcharchive.indexer import Indexer
from searcharchive.request import SearchRequest

ROOT = Path(__file__).resolve().parents[1]
DATE = re.compile(r"^(2015|2016|2017|2018|2019|2020|2021|2022|2023|2024|2025|2026)-\d\d(-\d\d)?$")


def corpus_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    write_corpus(120, tmp_path / "a", seed=7, shard_size=50)
    write_corpus(120, tmp_path / "b", seed=7, shard_size=50)
    write_corpus(120, tmp_path / "c", seed=8, shard_size=50)
    a = corpus_bytes(tmp_path / "a")
    assert sorted(a) == [
        ".manifest.json",
        ".truth.jsonl",
        "statements-00001.jsonl",
        "statements-00002.jsonl",
        "statements-00003.jsonl",
    ]
    assert a == corpus_bytes(tmp_path / "b")
    assert a["statements-00001.jsonl"] != corpus_bytes(tmp_path / "c")["statements-00001.jsonl"]


def test_the_command_line_gives_the_same_bytes_in_another_process(tmp_path: Path) -> None:
    """Another interpreter with another hash seed: no set or dict order leaks into the output."""
    write_corpus(60, tmp_path / "here", seed=3)
    command = [sys.executable, "-m", "bench.generate", "--size", "60", "--seed", "3"]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [*command, "--out", str(tmp_path / "there")], cwd=ROOT, env=env, check=True, timeout=120
    )
    assert corpus_bytes(tmp_path / "here") == corpus_bytes(tmp_path / "there")


def test_records_are_valid_and_indexed_without_rejects(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(150, corpus, seed=5)
    records = list(read_records(corpus))
    assert len(records) == 150
    assert len({r["id"] for r in records}) == 150
    for record in records:
        assert re.fullmatch(r"[a-z0-9._-]+", record["id"])
        assert record["lang"] in ("en", "be", "ru")
        assert DATE.match(record["date"]), record["date"]
        assert record["title"] and record["body"] and record["tags"]
        assert not {"organizations", "articles", "persons"} & set(record)  # left to extraction
    groups = Counter(r["group"] for r in records)
    translated = sum(n for n in groups.values() if n > 1)
    assert 0.4 < translated / len(records) < 0.8
    assert {r["lang"] for r in records} == {"en", "be", "ru"}

    index = tmp_path / "index"
    report = Indexer(index).run([corpus], rebuild=True)
    assert not report.rejected, [r.as_json() for r in report.rejected[:3]]
    assert report.indexed == 150

    archive = Archive.open(index)
    persons = Gazetteer.builtin("persons")
    truths = list(read_truth(corpus))
    assert any(t["articles"] for t in truths) and any(t["organizations"] for t in truths)
    for truth in truths[:40]:
        found = archive.get(truth["id"])
        assert found is not None
        statement = found.statement
        assert sorted(statement.articles) == sorted(truth["articles"])
        assert sorted(statement.organizations) == sorted(truth["organizations"])
        # the gazetteer's persons exactly; the synthetic ones are recognised by name
        # (searcharchive.names) and get a key of their own
        known = [p for p in statement.persons if persons.get(p) is not None]
        assert sorted(known) == sorted(truth["persons"])
        assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", p) for p in statement.persons)


def every_hit(archive: Archive, request: SearchRequest) -> list[str]:
    ids: list[str] = []
    request.size, request.page = 100, 1
    while True:
        result = archive.search(request)
        ids += [hit.statement.id for hit in result.hits]
        if request.page >= result.pages:
            return ids
        request.page += 1


@pytest.mark.slow
def test_a_build_in_processes_answers_as_a_build_in_one(tmp_path: Path) -> None:
    """A full build spreads the documents over one segment per process; every answer
    has the same hits in the same order, totals and facet counts as from a one-process
    build (ties, e.g. statements of one date, by statement id: document numbers depend
    on which process took which batch)."""
    corpus = tmp_path / "corpus"
    write_corpus(450, corpus, seed=9)
    one = Indexer(tmp_path / "one", processes=1).run([corpus], rebuild=True)
    two = Indexer(tmp_path / "two", processes=2).run([corpus], rebuild=True)
    assert one.indexed == two.indexed == 450 and not one.rejected and not two.rejected
    single, split = Archive.open(tmp_path / "one"), Archive.open(tmp_path / "two")
    with whoosh_index.open_dir(str(split.generation().path)).reader() as reader:
        sizes = [leaf.doc_count_all() for leaf, _ in reader.leaf_readers()]
        assert len(sizes) == 2 and sum(sizes) == 450, sizes
    for query in ("court", "Seviarynets", "ч. 1 ст. 342 УК", '"political prisoners"', ""):
        for sort in ("relevance", "newest", "oldest"):
            request = SearchRequest(q=query, sort=sort)
            a, b = single.search(request), split.search(request)
            assert a.total == b.total and a.facets == b.facets, query
            assert every_hit(single, request) == every_hit(split, request), query
    assert single.search(SearchRequest(q="court")).total > 0


@pytest.mark.slow
def test_harness_quick_run_writes_the_required_shape(tmp_path: Path) -> None:
    out = tmp_path / "tmp.json"
    command = [sys.executable, "-m", "bench", "--size", "300", "--skip-peers", "--quick"]
    command += ["--out", str(out), "--cache", str(tmp_path / "cache")]
    subprocess.run(command, cwd=ROOT, check=True, timeout=300, capture_output=True)
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["size"] == 300
    assert isinstance(results["machine"], str) and results["machine"]
    assert set(results["indexing"]) == {"ours", "sqlite_fts5", "tantivy"}
    assert set(results["indexing"]["ours"]) == {"docs_per_s", "peak_rss_mb", "index_mb"}
    assert results["indexing"]["sqlite_fts5"] is None  # skipped
    assert isinstance(results["freshness_s"], float) and results["freshness_s"] > 0
    assert isinstance(results["server_rss_mb"], float) and results["server_rss_mb"] > 0
    for section in ("queries", "queries_mix"):
        assert list(results[section]) == list(CLASSES)
        for figures in results[section].values():
            assert set(figures) == {"ours", "whoosh_groupedby", "sqlite_fts5", "tantivy"}
            assert set(figures["ours"]) == {"p50_ms", "p95_ms"}
            assert figures["ours"]["p50_ms"] <= figures["ours"]["p95_ms"]
    assert all(row["pass"] in (True, False, None) for row in results["targets"])
