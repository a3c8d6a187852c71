"""Term tables looked up from memory (term_tables.py): the same answers as Whoosh's
own look-ups in its on-disk hash tables, fewer reads, tables shared by segment file."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter, md5_hash

from searcharchive.generation import Generation
from searcharchive.index_files import ReadingStorage
from searcharchive.indexer import Indexer
from searcharchive.postings import doc_frequencies
from searcharchive.store import IndexStore
from searcharchive.term_tables import MemoryHashReader, SlotTable, read_terms_from_memory

from .conftest import write_jsonl

# two keys of one 32-bit hash (Whoosh's md5 hash), found once by counting up from
# b"term-0" (the tests check that they still collide)
FIRST, SECOND = b"term-92937", b"term-97541"


def write_table(folder: Path, items: dict[bytes, bytes]) -> OrderedHashReader:
    """A Whoosh ordered hash file of `items`, opened for reading as generations are."""
    storage = FileStorage(str(folder))
    writer = OrderedHashWriter(storage.create_file("table.trm"))
    for key in sorted(items):
        writer.add(key, items[key])
    writer.close()
    reading = ReadingStorage(str(folder))
    return OrderedHashReader(reading.open_file("table.trm"), reading.file_length("table.trm"))


def test_every_key_and_no_other_is_found_with_whooshs_value(tmp_path: Path) -> None:
    assert md5_hash(FIRST) == md5_hash(SECOND)
    items = {b"key-%d" % n: b"value %d " % n * (n % 5) for n in range(3000)}
    items[FIRST] = b"the first of two keys with one hash"
    items[b"long"] = bytes(range(256)) * 9  # a value past one read of an entry
    whooshs = write_table(tmp_path, items)
    ours = MemoryHashReader(whooshs, SlotTable.read(whooshs))
    assert len(ours.table.hashes) == len(items)
    for key, value in items.items():
        assert ours[key] == value == whooshs[key]
        assert key in ours
        assert ours.range_for_key(key) == whooshs.range_for_key(key)
        assert list(ours.all(key)) == [value]
    # absent keys, one of them of a present key's hash
    for absent in (b"key-3000", b"ke", SECOND):
        assert absent not in ours and absent not in whooshs
        assert ours.get(absent) is None and list(ours.ranges_for_key(absent)) == []
        assert ours.get(absent, b"default") == b"default"
        with pytest.raises(KeyError):
            ours[absent]
        with pytest.raises(KeyError):
            ours.range_for_key(absent)
    # what is not a look-up by key is the reader's own
    assert list(ours.keys_from(b"key-2998")) == list(whooshs.keys_from(b"key-2998"))


def test_two_keys_of_one_hash_are_told_apart_by_their_bytes(tmp_path: Path) -> None:
    assert md5_hash(FIRST) == md5_hash(SECOND)
    whooshs = write_table(tmp_path, {FIRST: b"one", SECOND: b"two", b"other": b"three"})
    ours = MemoryHashReader(whooshs, SlotTable.read(whooshs))
    assert len(ours.table.candidates(md5_hash(FIRST))) == 2
    assert (ours[FIRST], ours[SECOND], ours[b"other"]) == (b"one", b"two", b"three")


class FarSlots:
    """A hash file's reader whose slots point past 4 GB: entries as far as that are
    too big a file for a test, so its slots are made and its reads answered here."""

    def __init__(self, slots: list[tuple[int, int]]):
        self.tables = [(4096, len(slots))] + [(4096 + 12 * len(slots), 0)] * 255
        self.startofdata, self.endofdata = 13, 2**40
        self.data = b"".join(struct.pack("!Iq", *slot) for slot in slots)
        self.dbfile = self

    def get(self, position: int, length: int) -> bytes:
        return self.data[position - 4096 : position - 4096 + length]


def test_a_file_past_4_gb_keeps_its_positions_whole() -> None:
    far = 2**33 + 5
    table = SlotTable.read(FarSlots([(7, far), (0, 0), (3, 100), (7, far + 40)]))  # type: ignore[arg-type]
    assert table.positions.dtype == np.int64
    assert list(table.hashes) == [3, 7, 7]
    assert list(table.candidates(7)) == [far, far + 40] and list(table.candidates(5)) == []


@pytest.mark.parametrize(
    "slots, problem",
    [
        ([(7, 2**41)], "outside"),  # past the entries
        ([(7, -5)], "outside"),  # before them
    ],
)
def test_a_damaged_slot_is_an_error_not_a_term_lost(
    slots: list[tuple[int, int]], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        SlotTable.read(FarSlots(slots))  # type: ignore[arg-type]


def test_slots_cut_short_are_an_error(tmp_path: Path) -> None:
    whooshs = write_table(tmp_path, {b"key-%d" % n: b"v" for n in range(50)})
    whooshs.tables[-1] = (whooshs.tables[-1][0], whooshs.tables[-1][1] + 10_000)
    with pytest.raises(ValueError):
        SlotTable.read(whooshs)


def records(start: int, count: int) -> list[dict[str, object]]:
    return [
        {
            "id": f"tt-{n:03d}",
            "lang": "en",
            "title": f"Appeal {n}",
            "body": f"The court heard witness{n} about detention{n % 7} and the appeal.",
        }
        for n in range(start, start + count)
    ]


@pytest.fixture
def two_runs(tmp_path: Path) -> tuple[Path, Path]:
    """An index's first generation and the next, which adds a segment to the first's
    (a test's own: the tables of files another test opened may still be shared)."""
    folder = tmp_path
    index = folder / "index"
    Indexer(index).run([write_jsonl(folder / "first.jsonl", records(0, 40))])
    first = IndexStore(index).require_current()
    Indexer(index).run([write_jsonl(folder / "second.jsonl", records(40, 5))])
    return first, IndexStore(index).require_current()


def test_a_generation_finds_terms_from_memory_with_the_answers_of_whooshs_tables(
    two_runs: tuple[Path, Path],
) -> None:
    _, folder = two_runs
    generation = Generation(folder)
    segments = [segment for segment, _ in generation.searcher.reader().leaf_readers()]
    assert len(segments) == 2
    with FileStorage(str(folder)).open_index().reader() as whooshs:
        theirs = [segment for segment, _ in whooshs.leaf_readers()]
        for ours, their in zip(segments, theirs, strict=True):
            assert isinstance(ours._terms._tindex, MemoryHashReader)
            terms = list(their.all_terms())
            assert len(terms) > 50
            for field, text in terms:
                assert (field, text) in ours
                assert ours.term_info(field, text).doc_frequency() == (
                    their.term_info(field, text).doc_frequency()
                )
                assert (field, text + b"\x00x") not in ours
    hits = {hit.statement.id for hit in generation_search(folder, "witness7")}
    assert hits == {"tt-007"}


def generation_search(folder: Path, words: str) -> list[object]:
    from searcharchive.archive import Archive, SearchRequest

    return Archive.open(folder.parent).search(SearchRequest(q=words)).hits


def test_a_new_generation_reads_the_tables_of_its_new_segments_only(
    two_runs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_runs
    linked = {os.stat(path).st_ino for path in first.glob("*.trm")}
    assert linked & {os.stat(path).st_ino for path in second.glob("*.trm")}  # the premise
    kept = Generation(first)
    read: list[int] = []
    original = SlotTable.read.__func__  # type: ignore[attr-defined]

    def counted(cls: type[SlotTable], reader: OrderedHashReader) -> SlotTable:
        table = original(cls, reader)
        read.append(len(table.hashes))
        return table

    monkeypatch.setattr(SlotTable, "read", classmethod(counted))
    later = Generation(second)
    assert len(read) == 1  # the second run's segment; the first's is the same file
    (shared,) = [
        segment._terms._tindex.table for segment, _ in kept.searcher.reader().leaf_readers()
    ]
    assert shared in [
        segment._terms._tindex.table for segment, _ in later.searcher.reader().leaf_readers()
    ]


def test_a_reader_already_reading_from_memory_is_left_as_it_is(two_runs: tuple[Path, Path]) -> None:
    _, folder = two_runs
    generation = Generation(folder)
    reader = generation.searcher.reader()
    before = [segment._terms._tindex for segment, _ in reader.leaf_readers()]
    read_terms_from_memory(reader)
    assert [segment._terms._tindex for segment, _ in reader.leaf_readers()] == before


def test_a_generation_reads_prefixes_and_closes_through_whooshs_tables(
    two_runs: tuple[Path, Path],
) -> None:
    _, folder = two_runs
    generation = Generation(folder)
    words = sorted(generation.lexicon.expand_prefix("exact", "witness4"))
    assert words == ["witness4", "witness40", "witness41", "witness42", "witness43", "witness44"]
    generation.searcher.close()


def test_the_frequent_term_walk_reads_a_generations_term_tables_itself(
    two_runs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`postings.doc_frequencies` reads the file under a `MemoryHashReader` in chunks,
    not term by term through Whoosh's term infos."""
    _, folder = two_runs
    generation = Generation(folder)
    with FileStorage(str(folder)).open_index().reader() as whooshs:
        theirs = {
            id(ours): [(term, info.doc_frequency()) for term, info in their.iter_field("exact")]
            for (ours, _), (their, _) in zip(
                generation.searcher.reader().leaf_readers(), whooshs.leaf_readers(), strict=True
            )
        }
    for segment, _ in generation.searcher.reader().leaf_readers():
        monkeypatch.setattr(segment, "iter_field", None)  # the general way, not taken
        assert list(doc_frequencies(segment, "exact")) == theirs[id(segment)]
        assert len(theirs[id(segment)]) > 5
