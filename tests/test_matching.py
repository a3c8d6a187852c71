"""Query trees evaluated over numpy arrays (matching.py) on real indexes: the documents Whoosh
itself finds, BM25 scores that follow term frequency and length, and scores that do not depend
on how the index was segmented."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq

from searcharchive.columns import load_columns
from searcharchive.indexer import Indexer
from searcharchive.matching import Evaluator
from searcharchive.postings import Postings
from searcharchive.store import IndexStore

from .conftest import write_jsonl

WORDS = ["detention", "solidarity", "verdict", "appeal", "lawyers"]


def statement(n: int, body: str | None = None) -> dict[str, object]:
    words = [w for k, w in enumerate(WORDS) if n % (k + 2)]
    return {
        "id": f"match-{n:03d}",
        "lang": "en",
        "title": f"Statement {n} on {WORDS[n % len(WORDS)]}",
        "body": body or " ".join(" ".join([w] * (n % 3 + 1)) for w in words) + " court hearing",
    }


CORPUS = [statement(n) for n in range(60)]
UPDATED = statement(7, "only hearing words now")


def build(folder: Path, runs: list[list[dict[str, object]]]) -> Path:
    for number, records in enumerate(runs):
        Indexer(folder).run([write_jsonl(folder.parent / f"{folder.name}-{number}.jsonl", records)])
    return IndexStore(folder).require_current()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One corpus built in one run and in three (the last updating a statement)."""
    folder = tmp_path_factory.mktemp("matching")
    final = [UPDATED if r["id"] == UPDATED["id"] else r for r in CORPUS]
    return {
        "one run": build(folder / "once", [final]),
        "three runs": build(folder / "runs", [CORPUS[:25], CORPUS[25:], [UPDATED]]),
    }


@contextmanager
def evaluator(generation: Path) -> Iterator[tuple[Evaluator, list[str]]]:
    columns = load_columns(generation, with_ids=True)
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        postings = Postings(searcher.reader(), generation, columns.size)
        assert columns.ids is not None
        yield Evaluator(postings, columns, searcher), columns.ids


QUERIES = {
    "term": wq.Term("exact", "verdict"),
    "and": wq.And([wq.Term("exact", "verdict"), wq.Term("exact", "appeal")]),
    "or": wq.Or([wq.Term("exact", "lawyers"), wq.Term("exact", "solidarity")]),
    "and-not": wq.AndNot(wq.Term("exact", "detention"), wq.Term("exact", "lawyers")),
    "not": wq.And([wq.Term("exact", "hearing"), wq.Not(wq.Term("exact", "verdict"))]),
    "phrase": wq.Phrase("exact", ["court", "hearing"]),
    "stemmed": wq.Term("body_en", "lawyer"),
    "title": wq.Term("title_exact", "appeal"),
    "nothing": wq.Term("exact", "quokka"),
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_the_documents_matched_are_those_whoosh_finds(builds: dict[str, Path], name: str) -> None:
    with evaluator(builds["three runs"]) as (evaluate, ids):
        mask, scores = evaluate.run(QUERIES[name])
        found = {ids[d] for d in np.flatnonzero(mask).tolist()}
        whoosh = {ids[d] for d in evaluate.searcher.docs_for_query(QUERIES[name])}
        assert found == whoosh
        assert (name == "nothing") == (not found)
        if name not in ("nothing", "not", "and-not"):
            assert (scores[mask] > 0).all()


def test_the_updated_statement_matches_its_new_text_only(builds: dict[str, Path]) -> None:
    with evaluator(builds["three runs"]) as (evaluate, ids):
        mask, _ = evaluate.run(wq.Term("exact", "only"))
        assert [ids[d] for d in np.flatnonzero(mask).tolist()] == [UPDATED["id"]]
        old, _ = evaluate.run(wq.Term("exact", WORDS[0]))
        assert UPDATED["id"] not in {ids[d] for d in np.flatnonzero(old).tolist()}


def test_more_occurrences_in_a_text_of_the_same_length_score_higher(tmp_path: Path) -> None:
    records = [
        {"id": "once", "lang": "en", "title": "T", "body": "verdict filler filler filler"},
        {"id": "thrice", "lang": "en", "title": "T", "body": "verdict verdict verdict filler"},
        {"id": "long", "lang": "en", "title": "T", "body": "verdict " + "filler " * 40},
        {"id": "other", "lang": "en", "title": "T", "body": "nothing of the kind here"},
    ]
    with evaluator(build(tmp_path / "index", [records])) as (evaluate, ids):
        _, scores = evaluate.run(wq.Term("exact", "verdict"))
        score = {ids[d]: float(scores[d]) for d in range(len(ids))}
        assert score["thrice"] > score["once"] > score["long"] > score["other"] == 0.0
        _, boosted = evaluate.run(wq.Term("exact", "verdict", boost=2.0))
        assert float(boosted[ids.index("once")]) == pytest.approx(2 * score["once"])


def test_scores_do_not_depend_on_how_the_index_was_segmented(builds: dict[str, Path]) -> None:
    answers = []
    for generation in builds.values():
        with evaluator(generation) as (evaluate, ids):
            answer = {}
            for name, query in QUERIES.items():
                mask, scores = evaluate.run(query)
                answer[name] = {ids[d]: float(scores[d]) for d in np.flatnonzero(mask).tolist()}
            answers.append(answer)
    assert answers[0] == answers[1]
