"""Phrases checked from word positions in numpy (matching.Evaluator._adjacent) on real
indexes: the same documents as Whoosh's own positions walk, for words frequent (bits of
their documents) and rare, read whole or for a few documents only, in indexes of one and
of several segments with an updated statement, and again from what the first search kept.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq

from searcharchive import matching, postings
from searcharchive.analysis import fold_form
from searcharchive.columns import load_columns
from searcharchive.document_terms import words_of
from searcharchive.indexer import Indexer
from searcharchive.matching import Evaluator
from searcharchive.postings import Postings, read_positions
from searcharchive.store import IndexStore

from .conftest import write_jsonl

COMMON = ["the", "of", "and", "court"]  # in most statements
MIDDLE = ["hearing", "prison", "appeal", "lawyers", "verdict"]
RARE = ["lantern", "quorum", "meridian"]
REAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "real-dev"
NAMES = ["Mikalai Statkevich", "Aliaksei Shchupik", "Pavel Seviarynets"]


def body(rng: random.Random) -> str:
    """Words drawn with weights, names now and then (a given name often alone)."""
    words: list[str] = []
    for _ in range(rng.randrange(30, 70)):
        pick = rng.random()
        if pick < 0.45:
            words.append(rng.choice(COMMON))
        elif pick < 0.8:
            words.append(rng.choice(MIDDLE))
        elif pick < 0.803:  # each in ~5% of the statements
            words.append(rng.choice(RARE))
        elif pick < 0.9:
            name = rng.choice(NAMES).split()
            words += name if rng.random() < 0.5 else name[::-1] if rng.random() < 0.3 else name[:1]
        else:
            words.append(rng.choice(["Mikalai", "detention", "solidarity"]))
    return " ".join(words) + "."


def statements(start: int, count: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    return [
        {"id": f"phr-{n:04d}", "lang": "en", "title": f"Statement {n}", "body": body(rng)}
        for n in range(start, start + count)
    ]


@pytest.fixture(scope="module")
def generations(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The corpus in one run and in three (the third rewriting ten statements), with a
    term in 60 documents frequent (its documents written as bits), so that both kinds of
    word are in them; each segment holds several posting blocks of the common words."""
    folder = tmp_path_factory.mktemp("phrase-positions")
    first, second = statements(0, 300, 1), statements(300, 300, 2)
    rewritten = [{**r, "body": body(random.Random(3 + n))} for n, r in enumerate(first[:10])]
    final = rewritten + first[10:] + second
    built: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(postings, "FREQUENT_MIN_DOCS", 60)
        for name, runs in (("one run", [final]), ("three runs", [first, second, rewritten])):
            index = folder / name.replace(" ", "-")
            for number, records in enumerate(runs):
                source = write_jsonl(folder / f"{index.name}-{number}.jsonl", records)
                Indexer(index).run([source])
            built[name] = IndexStore(index).require_current()
    return built


@contextmanager
def evaluator(generation: Path) -> Iterator[Evaluator]:
    columns = load_columns(generation)
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        yield Evaluator(Postings(searcher.reader(), generation, columns.size), columns, searcher)


def whooshs_walk(evaluate: Evaluator, node: wq.Phrase) -> set[int]:
    docs = evaluate.searcher.docs_for_query(node)
    return {d for d in docs if evaluate.alive[d]}


def ours(evaluate: Evaluator, node: wq.Phrase) -> set[int]:
    docs = evaluate._adjacent(node)
    assert docs is not None, f"{node} was left to Whoosh's walk"
    return {d for d in docs.tolist() if evaluate.alive[d]}


def phrases() -> list[wq.Phrase]:
    """Every ordered pair of the words, some triples, the names in both orders as typed
    (exact) and as keys (fold), a word twice, a word no statement has."""
    words = [*COMMON, *MIDDLE, *RARE, "statkevich", "mikalai"]
    found = [wq.Phrase("exact", [a, b]) for a in words for b in words]
    rng = random.Random(4)
    found += [wq.Phrase("exact", rng.sample(words, 3)) for _ in range(40)]
    found += [wq.Phrase("exact", ["court", "court"]), wq.Phrase("exact", ["of", "quokka"])]
    for name in NAMES:
        for parts in (name.split(), name.split()[::-1]):
            found.append(wq.Phrase("exact", [p.lower() for p in parts]))
            found.append(wq.Phrase("fold", [fold_form(p) for p in parts]))
    return found


@pytest.fixture(scope="module")
def walked(generations: dict[str, Path]) -> dict[str, list[tuple[wq.Phrase, set[int]]]]:
    """Each build's phrases and the documents Whoosh's walk finds for them."""
    found = {}
    for name, generation in generations.items():
        with evaluator(generation) as evaluate:
            found[name] = [(node, whooshs_walk(evaluate, node)) for node in phrases()]
    return found


@pytest.mark.parametrize("whole", [matching.WHOLE_POSITIONS, 0, 10**9])
@pytest.mark.parametrize("built", ["one run", "three runs"])
def test_phrases_match_the_documents_of_whooshs_walk(
    generations: dict[str, Path],
    walked: dict[str, list[tuple[wq.Phrase, set[int]]]],
    built: str,
    whole: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`whole` 0: every word's positions read for the documents left only; 10**9: every
    word but the frequent ones read whole; each phrase asked twice (the second from
    what the first kept)."""
    monkeypatch.setattr(matching, "WHOLE_POSITIONS", whole)
    with evaluator(generations[built]) as evaluate:
        frequent = {w for w in COMMON if evaluate.postings.mask("exact", w) is not None}
        assert frequent == set(COMMON)  # the bits' path is taken
        assert evaluate.postings.mask("exact", "lantern") is None
        for node, expected in walked[built] * 2:
            assert ours(evaluate, node) == expected, node
        assert sum(bool(expected) for _, expected in walked[built]) > len(walked[built]) / 2


def test_a_frequent_words_positions_are_read_from_the_blocks_of_the_documents_asked(
    generations: dict[str, Path],
) -> None:
    with evaluator(generations["three runs"]) as evaluate:
        reader = evaluate.postings.reader
        docs, positions = read_positions(reader, "exact", "the") or ((), ())
        every = set(np.asarray(docs).tolist())
        assert len(every) > 2 * 128  # posting blocks of 128 documents: several of them
        wanted = np.zeros(evaluate.size, dtype=bool)
        chosen = sorted(every)[5::97]
        wanted[chosen] = True
        kept = evaluate.postings.blocks
        for _ in range(2):  # the second time from the blocks kept
            some = read_positions(reader, "exact", "the", wanted, kept)
            assert some is not None
            assert sorted(set(some[0].tolist())) == chosen
            each = np.isin(np.asarray(docs), chosen)
            assert some[1].tolist() == np.asarray(positions)[each].tolist()
        assert 0 < len(kept) < len(every) / 128 + 3  # the blocks holding one, not all


@pytest.mark.skipif(not REAL_DEV.exists(), reason="../shared real-dev not present")
def test_real_statements_phrases_match_whooshs_walk(tmp_path: Path) -> None:
    """Pairs and triples of adjacent words of the real statements, as typed and as name
    keys, and the same words out of order."""
    index = tmp_path / "index"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(postings, "FREQUENT_MIN_DOCS", 20)
        Indexer(index, processes=1).run([REAL_DEV / "statements.jsonl"])
    texts = [
        json.loads(line)
        for line in (REAL_DEV / "statements.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    nodes: list[wq.Phrase] = []
    for record in texts:
        words = words_of(f"{record.get('title', '')} {record.get('body', '')}")
        for start in range(0, max(0, len(words) - 3), 53):
            run = words[start : start + 2 + start % 2]
            nodes.append(wq.Phrase("exact", [w.lower() for w in run]))
            nodes.append(wq.Phrase("exact", [w.lower() for w in run[::-1]]))
            keys = [fold_form(w) for w in run]
            if all(keys):
                nodes.append(wq.Phrase("fold", keys))
    with evaluator(IndexStore(index).require_current()) as evaluate:
        assert any(
            evaluate.postings.mask("exact", w) is not None for w in ("і", "и", "the", "у", "в")
        )
        checked = 0
        for node in islice(nodes, 1500):
            assert ours(evaluate, node) == whooshs_walk(evaluate, node), node
            checked += 1
        assert checked > 500


def test_a_frequent_word_in_too_many_documents_left_is_walked_by_whoosh(
    generations: dict[str, Path],
    walked: dict[str, list[tuple[wq.Phrase, set[int]]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past POSITIONS_DOCUMENTS documents left, a frequent word's positions are not read
    (Whoosh's walk holds less at a time); a rare word first leaves few documents."""
    monkeypatch.setattr(matching, "POSITIONS_DOCUMENTS", 40)
    with evaluator(generations["one run"]) as evaluate:
        common = wq.Phrase("exact", ["of", "the"])
        assert evaluate._adjacent(common) is None
        rare = wq.Phrase("exact", ["the", "lantern"])
        assert evaluate._adjacent(rare) is not None
        for node, expected in walked["one run"]:
            mask, _ = evaluate._positions(node)
            assert {d for d in np.flatnonzero(mask).tolist() if evaluate.alive[d]} == expected


def test_a_phrase_checked_within_some_documents_finds_those_of_them_whoosh_does(
    generations: dict[str, Path], walked: dict[str, list[tuple[wq.Phrase, set[int]]]]
) -> None:
    with evaluator(generations["three runs"]) as evaluate:
        within = np.zeros(evaluate.size, dtype=bool)
        within[::3] = True
        for node, expected in walked["three runs"]:
            docs = evaluate._adjacent(node, within)
            assert docs is not None
            assert {d for d in docs.tolist() if evaluate.alive[d]} == {
                d for d in expected if within[d]
            }
