"""Term postings as numpy arrays (postings.py), read from real multi-segment indexes: the same
documents and frequencies as Whoosh's own matchers, the frequent terms' packed bits, and the
live lexicon a prefix expands over."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index as whoosh_index

from searcharchive import postings
from searcharchive.columns import load_columns
from searcharchive.indexer import Indexer
from searcharchive.postings import (
    FREQUENT_FILE,
    LiveLexicon,
    Postings,
    frequent_threshold,
    read_postings,
    write_frequent,
)
from searcharchive.store import IndexStore

from .conftest import write_jsonl

WORDS = ["detention", "solidarity", "verdict", "appeal", "lawyers", "assembly"]


def batch(start: int, count: int) -> list[dict[str, object]]:
    """Statements whose words repeat a known number of times (statement n has word k
    n % (k + 2) + 1 times), so that frequencies differ from document to document."""
    return [
        {
            "id": f"post-{n:03d}",
            "lang": "en",
            "title": f"Statement {n}",
            "body": " ".join(
                " ".join([word] * (n % (k + 2) + 1)) for k, word in enumerate(WORDS) if n % (k + 2)
            )
            + f" unique{n}",
        }
        for n in range(start, start + count)
    ]


@pytest.fixture(scope="module")
def segmented(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of three incremental runs (three segments), one statement updated."""
    folder = tmp_path_factory.mktemp("postings")
    index = folder / "index"
    runs = [batch(0, 40), batch(40, 30), [{**batch(5, 1)[0], "body": "rewritten text"}]]
    for number, records in enumerate(runs):
        Indexer(index).run([write_jsonl(folder / f"run-{number}.jsonl", records)])
    return IndexStore(index).require_current()


@pytest.fixture
def reader(segmented: Path) -> Iterator[Any]:
    with whoosh_index.open_dir(str(segmented)).reader() as opened:
        yield opened


def whooshs_own(reader: Any, field: str, text: str) -> tuple[list[int], list[float]]:
    """Whoosh's postings of a term: live documents only."""
    ids: list[int] = []
    freqs: list[float] = []
    for segment, base in reader.leaf_readers():
        if (field, text) in segment:
            for doc, freq in segment.postings(field, text).items_as("frequency"):
                ids.append(base + doc)
                freqs.append(float(freq))
    return ids, freqs


@pytest.mark.parametrize("word", ["detention", "verdict", "unique5", "rewritten", "absent"])
def test_postings_are_whooshs_documents_and_frequencies(reader: Any, word: str) -> None:
    assert len(list(reader.leaf_readers())) >= 2, "the index should have several segments"
    ids, tfs = read_postings(reader, "exact", word)
    live = [not reader.is_deleted(doc) for doc in ids.tolist()]  # deleted ones are masked later
    assert (ids[live].tolist(), tfs[live].tolist()) == whooshs_own(reader, "exact", word)
    assert len(ids) == 0 if word == "absent" else len(ids) > 0
    if word == "unique5":  # only in the version of statement 5 that was rewritten
        assert ids.tolist() == [5] and reader.is_deleted(5)


def test_postings_from_a_document_on_come_from_the_later_segments_only(reader: Any) -> None:
    ids, _ = read_postings(reader, "exact", "detention")
    leaves = list(reader.leaf_readers())
    second = leaves[1][1]  # the first document number of the second segment
    later, _ = read_postings(reader, "exact", "detention", first_doc=second)
    assert later.tolist() == [d for d in ids.tolist() if d >= second]
    assert 0 < len(later) < len(ids)


def test_frequent_terms_are_written_as_the_bits_of_their_documents(
    segmented: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postings, "FREQUENT_MIN_DOCS", 10)
    with whoosh_index.open_dir(str(segmented)).reader() as reader:
        size = reader.doc_count_all()
        assert frequent_threshold(size) == 10
        write_frequent(reader, tmp_path)
        loaded = Postings(reader, tmp_path, size)
        assert ("exact", "detention") in loaded.frequent
        assert ("exact", "unique5") not in loaded.frequent  # in one document only
        for field, text in loaded.frequent:
            mask = loaded.mask(field, text)
            assert mask is not None
            assert np.flatnonzero(mask).tolist() == read_postings(reader, field, text)[0].tolist()
        assert loaded.mask("exact", "unique5") is None
        ids, _ = loaded.get("exact", "unique7")  # read from the index instead
        assert ids.tolist() == whooshs_own(reader, "exact", "unique7")[0] == [7]


def test_a_missing_or_stale_frequent_file_means_every_term_is_read(
    segmented: Path, tmp_path: Path
) -> None:
    with whoosh_index.open_dir(str(segmented)).reader() as reader:
        size = reader.doc_count_all()
        assert Postings(reader, tmp_path, size).frequent == {}  # no file here
        (tmp_path / FREQUENT_FILE).write_bytes(b"not numpy")
        damaged = Postings(reader, tmp_path, size)
        assert damaged.frequent == {} and damaged.mask("exact", "detention") is None
        expected = read_postings(reader, "exact", "detention")[0].tolist()
        assert damaged.get("exact", "detention")[0].tolist() == expected
        damaged.probe()  # readable postings: no error


def test_a_frequent_terms_row_is_read_when_asked_for_and_a_damaged_one_never_used(
    segmented: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each row is checked against its stored CRC: a damaged row's term is read from the
    index instead (the right documents), the other rows still come from the file; a
    file written before the checks were kept is read whole, as before."""
    monkeypatch.setattr(postings, "FREQUENT_MIN_DOCS", 10)
    with whoosh_index.open_dir(str(segmented)).reader() as reader:
        size = reader.doc_count_all()
        write_frequent(reader, tmp_path)
        path = tmp_path / FREQUENT_FILE
        loaded = Postings(reader, tmp_path, size)
        assert loaded.rows is not None and loaded.rows.loaded is None  # nothing read yet
        expected = {term: read_postings(reader, *term)[0].tolist() for term in loaded.frequent}
        with np.load(path) as stored:  # as an older indexer wrote it: no checks
            older = {name: stored[name] for name in ("bits", "terms", "size")}
        damaged_term = ("exact", "detention")
        index = loaded.frequent[damaged_term]
        data = bytearray(path.read_bytes())
        data[loaded.rows.offset + index * loaded.rows.row_bytes] ^= 0xFF
        path.write_bytes(bytes(data))
        reopened = Postings(reader, tmp_path, size)
        assert reopened.mask(*damaged_term) is None  # not used: its postings are read
        ids, _ = reopened.get(*damaged_term)
        assert ids.tolist() == expected[damaged_term]
        others = [term for term in expected if term != damaged_term]
        assert others
        for term in others:
            mask = reopened.mask(*term)
            assert mask is not None and np.flatnonzero(mask).tolist() == expected[term]
        later, unread = Postings(reader, tmp_path, size), others[0]
        moved = path.rename(tmp_path / "elsewhere.npz")  # unreadable now: not damaged
        assert later.mask(*unread) is None  # this time its postings are read
        assert unread in later.frequent  # read from the file again once it is there
        moved.rename(path)
        assert np.flatnonzero(later.mask(*unread)).tolist() == expected[unread]
        with path.open("wb") as handle:
            np.savez(handle, **older)
        old = Postings(reader, tmp_path, size)
        assert old.rows is not None and old.rows.loaded is not None
        for term, documents in expected.items():
            mask = old.mask(*term)
            assert mask is not None and np.flatnonzero(mask).tolist() == documents


def test_a_prefix_expands_over_the_words_of_live_documents_only(segmented: Path) -> None:
    """Statement 5 was rewritten: its old unique word is still in Whoosh's terms."""
    columns = load_columns(segmented)
    with whoosh_index.open_dir(str(segmented)).reader() as reader:
        lexicon = LiveLexicon(Postings(reader, segmented, reader.doc_count_all()), columns.alive)
        everything = {postings._term_text(t) for t in reader.expand_prefix("exact", "unique")}
        live = set(lexicon.expand_prefix("exact", "unique"))
        assert "unique5" in everything and "unique5" not in live
        assert live == everything - {"unique5"}
        assert lexicon.is_live("exact", "rewritten") and not lexicon.is_live("exact", "unique5")


def test_document_frequencies_read_from_the_term_table_are_whooshs(segmented: Path) -> None:
    """The frequent-term walk reads each segment's term table itself: every field's terms and
    document frequencies as Whoosh's term infos give them, a field no segment document has
    included, over several small chunks of the table too."""
    with whoosh_index.open_dir(str(segmented)).reader() as opened:
        for leaf, _ in opened.leaf_readers():
            for field in opened.schema.names():
                if not opened.schema[field].indexed:
                    continue
                theirs = [(term, info.doc_frequency()) for term, info in leaf.iter_field(field)]
                assert list(postings.doc_frequencies(leaf, field)) == theirs, field
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(postings, "_TABLE_CHUNK", 64)  # entries cross chunk ends
                theirs = [(term, info.doc_frequency()) for term, info in leaf.iter_field("exact")]
                assert theirs and list(postings.doc_frequencies(leaf, "exact")) == theirs


def test_a_generation_reads_what_whoosh_reads_from_its_files(segmented: Path) -> None:
    """A generation reads its files' stretches with pread (index_files.py):
    the same terms and postings as Whoosh's own reading of the folder, and a read
    that leaves the file's position where it was."""
    from searcharchive.generation import Generation
    from searcharchive.index_files import ReadingStorage

    ours = Generation(segmented).searcher.reader()
    with whoosh_index.open_dir(str(segmented)).reader() as theirs:
        terms = list(theirs.all_terms())
        assert list(ours.all_terms()) == terms and len(terms) > 100
        for field, text in terms[::7]:
            assert whooshs_own(ours, field, text) == whooshs_own(theirs, field, text)
        assert list(ours.all_stored_fields()) == list(theirs.all_stored_fields())
    postings_file = sorted(segmented.glob("*.pst"))[0]
    opened = ReadingStorage(str(segmented)).open_file(postings_file.name)
    opened.seek(3)
    assert opened.get(0, 8) == postings_file.read_bytes()[:8]
    assert opened.tell() == 3
    opened.close()
