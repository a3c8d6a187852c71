"""A segment's term table looked up from memory: its hash slots read once per file.

Whoosh finds a term in a segment's term table (the `.trm` file, an on-disk hash
table) by reading four places of the file: the term's hash slot (and the next ones
while another term's hash holds them), the entry's two lengths, its key, and its
value. A term the segment lacks costs the slot reads, and most terms a query asks
for are lacking: a Belarusian word has no English stem, a common noun no name key.
On a machine whose page cache does not keep the index (a busy server; DAMON's
pageout on the benchmark's machine) each of those reads may wait for the disk.

`SlotTable` holds every term's hash and entry position, sorted by hash, in the
process's own memory: 8 bytes a term (~10 MB for a segment of 1.2 M terms; 12 in a
term file past 4 GB), read from the file's own hash tables in one sequential read.
A lacking term then costs no read at all, and a present one a single read of its
entry (lengths, key, value).
The tables are shared by segment file (`table_for`), so a generation that keeps the
segments of the one before reads only its new segments' tables.
"""

from __future__ import annotations

import os
import struct
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh.filedb.filetables import OrderedHashReader

from .index_files import PreadFile, file_identity

# Whoosh's hash file (filetables.HashWriter): an entry is two big-endian int32
# lengths, then the key, then the value; a hash slot is a uint32 hash and an int64
# entry position, position 0 marking an empty slot (no entry starts at 0: the file
# starts with its magic).
ENTRY_LENGTHS = struct.Struct("!ii")
_SLOT = np.dtype([("hash", ">u4"), ("position", ">i8")])
_READ_AT_ONCE = 1 << 30  # Linux reads at most ~2 GB a call
# an entry read at once with its value: a term's info is tens of bytes, and a term in
# a few documents carries their postings inline; a longer value costs a second read
ENTRY_READ = 512


class SlotTable:
    """The (hash, entry position) of every key of one hash file, sorted by hash."""

    def __init__(self, hashes: np.ndarray, positions: np.ndarray):
        self.hashes = hashes
        self.positions = positions

    @classmethod
    def read(cls, reader: OrderedHashReader) -> SlotTable:
        """The table of the hash file `reader` reads: its buckets' hash tables lie one
        after the other from the first bucket's, read at once. ValueError if the file
        is damaged: its tables apart, cut short, or pointing outside its entries."""
        start = reader.tables[0][0]
        slots = sum(count for _, count in reader.tables)
        last_start, last_count = reader.tables[-1]
        if last_start + last_count * _SLOT.itemsize != start + slots * _SLOT.itemsize:
            raise ValueError("the hash tables do not lie one after the other")
        size = slots * _SLOT.itemsize
        data = b"".join(
            reader.dbfile.get(start + at, min(_READ_AT_ONCE, size - at))
            for at in range(0, size, _READ_AT_ONCE)
        )
        if len(data) != size:
            raise ValueError(f"{slots} hash slots expected, {len(data) // _SLOT.itemsize} read")
        raw = np.frombuffer(data, dtype=_SLOT)
        positions = raw["position"].astype(np.int64)
        used = positions != 0
        hashes = raw["hash"][used].astype(np.uint32)
        positions = positions[used]
        if len(positions) and not (
            reader.startofdata <= positions.min() and positions.max() < reader.endofdata
        ):
            raise ValueError("a hash slot points outside the file's entries")
        if len(positions) == 0 or int(positions.max()) < 2**32:
            # one sort of (hash, position) packed in 64 bits, not an argsort and two takes
            packed = np.sort(
                (hashes.astype(np.uint64) << np.uint64(32)) | positions.astype(np.uint64)
            )
            return cls((packed >> np.uint64(32)).astype(np.uint32), packed.astype(np.uint32))
        order = np.argsort(hashes, kind="stable")
        return cls(hashes[order], positions[order])

    def candidates(self, keyhash: int) -> np.ndarray:
        """The entry positions of the keys whose hash is `keyhash`."""
        # the needle of the array's own type: a Python int would cast the array whole
        needle = np.uint32(keyhash)
        first = int(self.hashes.searchsorted(needle, side="left"))
        if first == len(self.hashes) or self.hashes[first] != needle:
            return self.positions[:0]  # the common case: a term the segment lacks
        return self.positions[first : int(self.hashes.searchsorted(needle, side="right"))]


class MemoryHashReader:
    """A Whoosh `OrderedHashReader` whose look-ups by key use a `SlotTable`; ordered
    reads (prefixes, iteration, the nearest key) are the reader's own."""

    def __init__(self, reader: OrderedHashReader, table: SlotTable):
        self.on_disk = reader
        self.table = table
        self._hashfn = reader.hashfn
        self._get = reader.dbfile.get

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "on_disk":  # not set yet (copy, pickle)
            raise AttributeError(name)
        return getattr(self.on_disk, name)

    def _entry(self, key: bytes) -> tuple[int, int, bytes] | None:
        """The value's (position, length) in the file and the bytes read after the key,
        of `key`'s entry; None when the file has no such key."""
        for position in self.table.candidates(self._hashfn(key)):
            start = int(position)
            data = self._get(start, ENTRY_LENGTHS.size + len(key) + ENTRY_READ)
            keylen, datalen = ENTRY_LENGTHS.unpack_from(data)
            if keylen == len(key) and data[ENTRY_LENGTHS.size : ENTRY_LENGTHS.size + keylen] == key:
                return (
                    start + ENTRY_LENGTHS.size + keylen,
                    datalen,
                    data[ENTRY_LENGTHS.size + keylen :],
                )
        return None

    def ranges_for_key(self, key: bytes) -> Iterator[tuple[int, int]]:
        found = self._entry(key)
        if found is not None:
            yield found[0], found[1]

    def range_for_key(self, key: bytes) -> tuple[int, int]:
        found = self._entry(key)
        if found is None:
            raise KeyError(key)
        return found[0], found[1]

    def get(self, key: bytes, default: bytes | None = None) -> bytes | None:
        found = self._entry(key)
        if found is None:
            return default
        datapos, datalen, read = found
        if len(read) >= datalen:
            return read[:datalen]
        return read + self._get(datapos + len(read), datalen - len(read))

    def __getitem__(self, key: bytes) -> bytes:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def all(self, key: bytes) -> Iterator[bytes]:
        value = self.get(key)
        if value is not None:
            yield value

    def __contains__(self, key: bytes) -> bool:
        return self._entry(key) is not None


# by the file's identity: a table lives while a generation's reader holds it (and its
# open file, so the inode is not reused meanwhile)
_tables: weakref.WeakValueDictionary[tuple[int, ...], SlotTable] = weakref.WeakValueDictionary()
_tables_lock = threading.Lock()


def table_for(reader: OrderedHashReader) -> SlotTable:
    """The slot table of the hash file `reader` reads, shared while anything holds it:
    a segment file a new generation links from the last is the same file, read once.
    (A file read otherwise than by `PreadFile`, one inside a compound segment file,
    say, is read each time.)"""
    if not isinstance(reader.dbfile, PreadFile):
        return SlotTable.read(reader)
    identity = file_identity(os.fstat(reader.dbfile.fileno()))
    with _tables_lock:
        table = _tables.get(identity)
    if table is None:
        table = SlotTable.read(reader)
        with _tables_lock:
            table = _tables.setdefault(identity, table)
    return table


def read_terms_from_memory(reader: Any) -> None:
    """Make each Whoosh segment of `reader` (a searcher's reader) find terms through a
    `SlotTable`."""
    for segment, _ in reader.leaf_readers():
        terms: Any = getattr(segment, "_terms", None)
        tindex = getattr(terms, "_tindex", None)
        if not isinstance(tindex, OrderedHashReader):
            continue  # another codec, or installed already
        terms._tindex = MemoryHashReader(tindex, table_for(tindex))
