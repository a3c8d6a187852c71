"""Term tables looked up from memory (term_tables.py): the same answers as Whoosh's
own look-ups in its on-disk hash tables, fewer reads, tables shared by segment file."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter, md5_hash

from searcharchive.generation import Generation
from searcharchive.index_files import ReadingStorage
from searcharchive.indexer import Indexer
from searcharchive.store import IndexStore
from searcharchive.term_tables import MemoryHashReader, SlotTable, read_terms_from_memory

from .conftest import write_jsonl


def colliding_keys() -> tuple[bytes, bytes]:
    """Two keys of one 32-bit hash (Whoosh's md5 hash), found by counting up."""
    seen: dict[int, bytes] = {}
    for number in itertools.count():
        key = b"term-%d" % number
        other = seen.setdefault(md5_hash(key), key)
        if other != key:
            return other, key
    raise AssertionError("unreachable")


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
    first, second = colliding_keys()
    items = {b"key-%d" % n: b"value %d " % n * (n % 5) for n in range(3000)}
    items[first] = b"the first of two keys with one hash"
    items[b"long"] = bytes(range(256)) * 9  # a value past one read of an entry
    whooshs = write_table(tmp_path, items)
    ours = MemoryHashReader(whooshs, SlotTable.read(whooshs))
    assert len(ours._table.hashes) == len(items)
    for key, value in items.items():
        assert ours[key] == value == whooshs[key]
        assert key in ours
        assert ours.range_for_key(key) == whooshs.range_for_key(key)
        assert list(ours.all(key)) == [value]
    # an absent key: one of no hash in the table, and one whose hash a present key has
    for absent in (b"key-3000", b"ke", second):
        assert absent not in ours and absent not in whooshs
        assert ours.get(absent) is None and list(ours.ranges_for_key(absent)) == []
        with pytest.raises(KeyError):
            ours[absent]
    # what is not a look-up by key is the reader's own
    assert list(ours.keys_from(b"key-2998")) == list(whooshs.keys_from(b"key-2998"))


def test_two_keys_of_one_hash_are_told_apart_by_their_bytes(tmp_path: Path) -> None:
    first, second = colliding_keys()
    whooshs = write_table(tmp_path, {first: b"one", second: b"two", b"other": b"three"})
    ours = MemoryHashReader(whooshs, SlotTable.read(whooshs))
    assert len(ours._table.candidates(md5_hash(first))) == 2
    assert (ours[first], ours[second], ours[b"other"]) == (b"one", b"two", b"three")


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
    tables = [
        [
            segment._terms._tindex._table
            for segment, _ in generation.searcher.reader().leaf_readers()
        ]
        for generation in (kept, later)
    ]
    assert tables[1][0] is tables[0][0] and tables[1][1] is not tables[0][0]
    trm = sorted(second.glob("*.trm"))
    assert {os.stat(path).st_ino for path in trm} & {os.stat(p).st_ino for p in first.glob("*.trm")}


def test_a_reader_already_reading_from_memory_is_left_as_it_is(two_runs: tuple[Path, Path]) -> None:
    _, folder = two_runs
    generation = Generation(folder)
    reader = generation.searcher.reader()
    before = [segment._terms._tindex for segment, _ in reader.leaf_readers()]
    assert read_terms_from_memory(reader, str(folder)) == 0
    assert [segment._terms._tindex for segment, _ in reader.leaf_readers()] == before
