"""Word pairs chosen by document frequency (pair_words.py) on real indexes: a full build
pairs the words frequent in its input, a phrase of two of them is answered from pair
terms with exactly the documents a positions check gives, an incremental run keeps the
index's words, and an index written before the words were chosen still answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.index import TOC

from searcharchive import matching, pair_words
from searcharchive.analysis import PairFilter, pair_words_of, pairs_analyzer, phrase_words
from searcharchive.columns import load_columns
from searcharchive.indexer import Indexer
from searcharchive.matching import Evaluator
from searcharchive.pair_words import (
    MIN_DOCUMENTS,
    WALK_DOCUMENTS,
    choose_pair_words,
    frequent_words,
    generation_frequencies,
    sample_frequencies,
)
from searcharchive.postings import Postings
from searcharchive.store import IndexStore

from .conftest import write_jsonl

SENTENCES = [
    "The quorum ballot was counted twice by the observers.",
    "A ballot cast without a quorum was declared void by the chair.",
    "Members asked whether the ballot quorum rule applied to proxies.",
]


def statement(n: int, extra: str = "") -> dict[str, object]:
    body = [SENTENCES[n % 3], "The lantern stayed lit all night." if n % 2 else ""]
    if n % 5 == 0:
        body.append("Human rights defenders watched the count.")
    if n in (4, 9):
        body.append("A zephyr crossed the square.")
    return {
        "id": f"pair-{n:03d}",
        "lang": "en",
        "title": f"Minutes of meeting {n}",
        "body": " ".join([*body, extra]).strip(),
    }


CORPUS = [statement(n) for n in range(60)]
ADDED = [statement(n, "The meridian session followed.") for n in range(60, 90)]


class NoWalk(Evaluator):
    """The evaluator, failing if a phrase would walk word positions."""

    def _positions(self, node: wq.Query) -> tuple[np.ndarray, np.ndarray]:
        raise AssertionError(f"{node} walked positions")


@contextmanager
def evaluator(
    generation: Path, kind: type[Evaluator] = Evaluator
) -> Iterator[tuple[Evaluator, object]]:
    columns = load_columns(generation)
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        postings = Postings(searcher.reader(), generation, columns.size)
        yield kind(postings, columns, searcher), searcher


def positions_check(searcher: object, words: list[str]) -> set[int]:
    """The documents Whoosh itself finds for the phrase, walking positions."""
    return set(searcher.docs_for_query(wq.Phrase("exact", words)))  # type: ignore[attr-defined]


def matched(found: tuple[np.ndarray, np.ndarray]) -> set[int]:
    return {int(d) for d in np.flatnonzero(found[0])}


def index_words(generation: Path) -> frozenset[str]:
    schema = whoosh_index.open_dir(str(generation)).schema
    words = pair_words_of(schema["biword"].analyzer)
    assert words is not None
    return words


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pairs")
    Indexer(folder / "index").run([write_jsonl(folder / "first.jsonl", CORPUS)])
    return folder / "index"


def test_words_frequent_in_the_input_are_chosen_rare_ones_not(built: Path) -> None:
    words = index_words(IndexStore(built).require_current())
    assert {"quorum", "ballot", "lantern"} <= words  # in 60 and 30 of 60 statements
    assert "zephyr" not in words  # in 2
    assert phrase_words() <= words  # the fixed list stays


@pytest.mark.parametrize("words", [["quorum", "ballot"], ["ballot", "quorum"]])
def test_a_phrase_of_frequent_words_is_answered_from_pair_terms(
    built: Path, words: list[str]
) -> None:
    with evaluator(IndexStore(built).require_current(), NoWalk) as (found, searcher):
        expected = positions_check(searcher, words)
        assert 0 < len(expected) < len(CORPUS)  # adjacent in some statements only
        assert matched(found.run(wq.Phrase("exact", words))) == expected


def test_an_incremental_run_keeps_the_words(built: Path, tmp_path: Path) -> None:
    before = index_words(IndexStore(built).require_current())
    index = tmp_path / "index"
    Indexer(index).run([write_jsonl(tmp_path / "first.jsonl", CORPUS)])
    Indexer(index).run([write_jsonl(tmp_path / "added.jsonl", ADDED)])
    generation = IndexStore(index).require_current()
    assert index_words(generation) == before
    assert "meridian" not in before  # in every added statement, yet not paired now
    with evaluator(generation, NoWalk) as (found, searcher):
        expected = positions_check(searcher, ["quorum", "ballot"])
        assert any(d >= len(CORPUS) for d in expected)  # the added segment's too
        assert matched(found.run(wq.Phrase("exact", ["quorum", "ballot"]))) == expected


def without_own_words(generation: Path) -> None:
    """The generation's table of contents rewritten with the PairFilter of an index
    written before the words were chosen (no `words` attribute)."""
    storage = whoosh_index.open_dir(str(generation)).storage
    toc = TOC.read(storage, "MAIN")
    toc.schema._fields["biword"].analyzer = pairs_analyzer()
    assert "words" not in toc.schema["biword"].analyzer.items[-1].__dict__
    storage.delete_file(TOC._filename("MAIN", toc.generation))
    toc.write(storage, "MAIN")


def test_an_index_without_own_words_still_answers_phrases(tmp_path: Path) -> None:
    index = tmp_path / "index"
    Indexer(index).run([write_jsonl(tmp_path / "first.jsonl", CORPUS)])
    without_own_words(IndexStore(index).require_current())
    Indexer(index).run([write_jsonl(tmp_path / "added.jsonl", ADDED)])  # incremental
    generation = IndexStore(index).require_current()
    assert index_words(generation) == phrase_words()
    with evaluator(generation) as (found, searcher):
        assert found.pair_words["exact"] == phrase_words()
        for words in (["quorum", "ballot"], ["human", "rights"], ["rights", "defenders"]):
            expected = positions_check(searcher, words)
            assert expected, words
            assert matched(found.run(wq.Phrase("exact", words))) == expected
        reader = searcher.reader()  # type: ignore[attr-defined]
        # the added statements' pairs follow the fixed list, as the index's schema says
        added = set(range(len(CORPUS), len(CORPUS) + len(ADDED)))
        assert added & set(reader.postings("biword", "human rights").all_ids())
        assert not added & set(reader.postings("biword", "quorum ballot").all_ids())


def test_the_previous_generation_gives_exact_document_frequencies(built: Path) -> None:
    generation = IndexStore(built).require_current()
    counted = generation_frequencies(generation)
    assert counted is not None
    frequencies, documents = counted
    assert documents == len(CORPUS)
    assert frequencies["quorum"] == len(CORPUS)
    assert frequencies["lantern"] == len(CORPUS) // 2
    assert frequencies["zephyr"] == 2
    # a build from standard input alone samples nothing: the generation's words
    assert choose_pair_words([], generation) == index_words(generation)


def test_a_sample_reads_the_first_statements_of_each_file_in_proportion(
    tmp_path: Path,
) -> None:
    big = write_jsonl(tmp_path / "big.jsonl", CORPUS)
    small = write_jsonl(tmp_path / "small.jsonl", ADDED[:20])
    frequencies, documents, archive = sample_frequencies([big, small], statements=20)
    assert documents == 20
    # both files read in part: the input's statements estimated by the bytes read
    assert abs(archive - len(CORPUS) - 20) <= 0.1 * (len(CORPUS) + 20)
    assert 0 < frequencies["meridian"] < 10  # the small file's share, from its start
    assert frequencies["quorum"] == 20


def test_a_word_needs_its_share_and_a_minimum_of_documents() -> None:
    counts = {"often": 400, "sometimes": 199, "rare": MIN_DOCUMENTS - 1}
    assert {"often"} <= frequent_words(counts, 10_000) - phrase_words()
    assert not {"sometimes", "rare"} & frequent_words(counts, 10_000)
    assert "rare" not in frequent_words(counts, 100)  # 19% of them, but 19 documents
    assert PairFilter(frozenset({"often"})) != PairFilter()


def test_a_word_in_many_documents_of_a_large_archive_is_paired_at_any_share() -> None:
    """Walking a word's positions costs by its documents, not by its share: in a sample
    of 3,000 statements of 300,000, a word in 1% of them is in about 3,000."""
    archive = WALK_DOCUMENTS * 150
    counts = {"midword": 30, "fewer": 15}  # in 1% and 0.5% of a 3,000 sample
    assert "midword" not in frequent_words(counts, 3000)  # 1%: the whole archive
    assert "midword" in frequent_words(counts, 3000, archive=archive)
    assert "fewer" not in frequent_words(counts, 3000, archive=archive)
    assert "midword" in frequent_words({"midword": 3000}, archive)  # counted in all
    assert "fewer" not in frequent_words({"fewer": WALK_DOCUMENTS - 1}, archive)


def test_the_sample_estimates_the_archive_by_the_bytes_it_read(tmp_path: Path) -> None:
    """Escaped JSON (\\uXXXX, six bytes a Cyrillic letter) and a folder of one-statement
    files are estimated by the bytes of the input read, not of the records as parsed."""
    cyrillic = [{**record, "body": f"Заява праваабаронцаў. {record['body']}"} for record in CORPUS]
    escaped = tmp_path / "escaped.jsonl"
    escaped.write_text("".join(json.dumps(r) + "\n" for r in cyrillic), encoding="utf-8")
    assert "\\u0417" in escaped.read_text(encoding="utf-8")
    _, documents, archive = sample_frequencies([escaped], statements=20)
    assert documents == 20 and abs(archive - len(CORPUS)) <= 0.1 * len(CORPUS)
    folder = tmp_path / "one-each"
    folder.mkdir()
    for number, record in enumerate(CORPUS):
        write_jsonl(folder / f"{number:03d}.jsonl", [record])
    _, documents, archive = sample_frequencies([folder], statements=20)
    assert 15 <= documents <= 25 and abs(archive - len(CORPUS)) <= 0.1 * len(CORPUS)
    _, documents, archive = sample_frequencies([folder], statements=100)  # read whole
    assert documents == archive == len(CORPUS)


def test_a_first_build_pairs_by_the_archive_its_sample_estimates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sample of 20 of 60 statements: "lantern" is in 10 of them, under a share of
    90% but in 30 of the archive's (the bound lowered to 25), so it is paired only by
    the archive's size the sample estimates."""
    monkeypatch.setattr(pair_words, "SAMPLE_STATEMENTS", 20)
    monkeypatch.setattr(pair_words, "MIN_DOCUMENTS", 1)
    monkeypatch.setattr(pair_words, "PAIR_SHARE", 0.9)
    source = write_jsonl(tmp_path / "first.jsonl", CORPUS)
    monkeypatch.setattr(pair_words, "WALK_DOCUMENTS", 25)
    assert "lantern" in choose_pair_words([source], None)
    monkeypatch.setattr(pair_words, "WALK_DOCUMENTS", 35)
    assert "lantern" not in choose_pair_words([source], None)


def test_a_build_pairs_a_word_by_its_documents_and_a_phrase_beside_it_never_walks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "lantern" is in 30 of 60 statements: under a share of 90% it is paired only by
    its documents (the bound lowered to 25 for a small corpus)."""
    monkeypatch.setattr(pair_words, "PAIR_SHARE", 0.9)
    monkeypatch.setattr(pair_words, "WALK_DOCUMENTS", 25)
    index = tmp_path / "index"
    Indexer(index).run([write_jsonl(tmp_path / "first.jsonl", CORPUS)])
    generation = IndexStore(index).require_current()
    words = index_words(generation)
    assert {"lantern", "quorum"} <= words  # 30 and 60 documents
    assert "observers" not in words  # 20: its phrases walk positions
    with evaluator(generation, NoWalk) as (found, searcher):
        expected = positions_check(searcher, ["the", "lantern"])
        assert 0 < len(expected) < len(CORPUS)
        assert matched(found.run(wq.Phrase("exact", ["the", "lantern"]))) == expected


def test_a_longer_phrase_is_not_found_where_its_pairs_stand_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "ballot quorum rule": its pairs are in every statement, the three words one after
    another in half of them only; the pair terms find all, the texts keep the half."""
    records = [
        {
            "id": f"apart-{n:02d}",
            "lang": "en",
            "title": f"Rules of procedure {n}",
            "body": "The ballot quorum rule applied to proxies."
            if n % 2
            else "The ballot quorum was read aloud. Then the quorum rule applied.",
        }
        for n in range(40)
    ]
    Indexer(tmp_path / "index").run([write_jsonl(tmp_path / "apart.jsonl", records)])
    generation = IndexStore(tmp_path / "index").require_current()
    assert {"ballot", "quorum", "rule"} <= index_words(generation)
    words = ["ballot", "quorum", "rule"]
    with evaluator(generation, NoWalk) as (found, searcher):
        expected = positions_check(searcher, words)
        assert len(expected) == 20
        assert matched(found.run(wq.Phrase("exact", words))) == expected
        pairs = wq.And([wq.Term("biword", "ballot quorum"), wq.Term("biword", "quorum rule")])
        assert len(matched(found.run(pairs))) == 40  # the pairs alone find them all
    # more candidates than texts it reads: Whoosh's positions check decides
    monkeypatch.setattr(matching, "VERIFIED_TEXTS", 5)
    with evaluator(generation) as (found, searcher):
        assert matched(found.run(wq.Phrase("exact", words))) == expected
