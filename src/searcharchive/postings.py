"""Term postings as numpy arrays, read block by block from Whoosh's segments.

Whoosh's matchers walk postings one document at a time in Python; reading a
term's blocks wholesale (ids and term frequencies, ~128 postings a block) and
doing the boolean algebra and scoring in numpy is what makes a common word,
an AND of common words, or a facet count cost milliseconds at 100,000
statements. Each generation keeps an LRU of the arrays it has read (bounded
by entries and bytes, misses included: see caches.py); the
indexer also writes the documents of the most frequent terms as packed bits
(`frequent.npz`), so a common word costs no postings read even the first time;
a generation reads a term's row of bits when a search first needs it, checked
against the CRC stored for the row (`FrequentRows`).
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.filetables import OrderedHashReader
from whoosh.formats import Positions
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound

from .caches import BoundedCache
from .term_tables import ENTRY_LENGTHS

FREQUENT_FILE = "frequent.npz"
FREQUENT_FIELDS = ("exact", "body_en", "body_be", "body_ru", "fold")
FREQUENT_SHARE = 0.02  # a term in 2% of documents or more has its documents precomputed
FREQUENT_MIN_DOCS = 2000
CACHE_BYTES = 128 * 1024 * 1024
CACHE_ENTRIES = 20_000  # terms, found or not: a word not in the index is cached too
BLOCK_BYTES = 32 * 1024 * 1024
BLOCK_ENTRIES = 20_000  # posting blocks (~128 postings each) of frequent words (_blocks)
VALUE_BYTES = 33  # a bytes object beside its data

logger = logging.getLogger(__name__)
_ZIP_LOCAL_HEADER = struct.Struct("<4s5H3I2H")  # a zip member's local header, fixed part
EMPTY_IDS = np.empty(0, dtype=np.int32)
PROBED_TERMS = 3  # words of each segment whose first postings are read on opening


def frequent_threshold(documents: int) -> int:
    """Documents from which a term is frequent, in an index of `documents` documents."""
    return max(FREQUENT_MIN_DOCS, int(documents * FREQUENT_SHARE))


EMPTY_TF = np.empty(0, dtype=np.float32)
NO_POSITIONS = (np.empty(0, dtype=np.int32), np.empty(0, dtype=np.int32))  # Postings.positions


def _term_text(term: bytes | str) -> str:
    """A term as Whoosh's term walk gives it (bytes in a W3 segment) as text."""
    return term.decode("utf-8") if isinstance(term, bytes) else term


Block = tuple[np.ndarray, Sequence[bytes]]  # a posting block's ids and encoded values


def _blocks(
    matcher: Any,
    wanted: np.ndarray | None = None,
    kept: BoundedCache[Block] | None = None,
    key: tuple[Any, ...] = (),
) -> Iterator[Block]:
    """A term's postings block by block: document ids (from 0 in the segment) and the
    encoded values, from Whoosh's W3 matcher or the list matcher of inlined postings.
    `wanted`: ascending ids (from 0 in the segment); a W3 block is read only if it may
    hold one of them (its header gives its last id: the blocks before are skipped).
    `kept`: blocks already read, under `key` and the block's number (a block's zlib
    and pickle cost more than the few values a search decodes from it)."""
    if isinstance(matcher, ListMatcher):
        yield np.asarray(matcher._ids, dtype=np.int32), matcher._values
        return
    next_wanted, number = 0, -1
    while matcher.is_active():
        number += 1
        if wanted is not None:
            if next_wanted == len(wanted):
                return
            if int(wanted[next_wanted]) > matcher._maxid:  # nothing wanted in this block
                matcher._next_block()
                continue
            next_wanted = int(np.searchsorted(wanted, matcher._maxid, side="right"))
        block = kept.get((*key, number)) if kept is not None else None
        if block is None:
            if matcher._data is None:
                matcher._read_data()
            matcher._read_values()
            block = (_block_ids(matcher), tuple(matcher._values))
            if kept is not None:
                cost = block[0].nbytes + sum(len(value) + VALUE_BYTES for value in block[1])
                kept.put((*key, number), block, cost)
        yield block
        matcher._next_block()


def _block_ids(matcher: W3LeafMatcher) -> np.ndarray:
    """The ids of the block the matcher has read (its `_data`), as `_read_ids` decodes
    them (deltas from 0, or bytes for byte ids), in numpy."""
    block_ids = matcher._data[0]
    if matcher._byteids:
        return np.frombuffer(bytes(block_ids), dtype=np.uint8).astype(np.int32)
    return np.cumsum(np.asarray(block_ids, dtype=np.int64)).astype(np.int32)


def _leaf_arrays(matcher: Any, base: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    ids: list[np.ndarray] = []
    tfs: list[np.ndarray] = []
    if isinstance(matcher, W3LeafMatcher):
        # a block's data as W3LeafMatcher._read_ids and _read_weights read it, decoded
        # in numpy, not a Python step per posting: ids as deltas from 0 in each block
        # (or bytes, for byte ids), the weights as None (all 1), one float for all, or
        # one each
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            weights = matcher._data[1]
            decoded = _block_ids(matcher)
            ids.append(decoded + base)
            if weights is None or isinstance(weights, float):
                tfs.append(np.full(len(decoded), 1.0 if weights is None else weights, np.float32))
            else:
                tfs.append(np.asarray(weights, dtype=np.float32))
            matcher._next_block()
    elif isinstance(matcher, ListMatcher):
        ids.append(np.asarray(matcher._ids, dtype=np.int32) + base)
        weights = matcher._weights
        tfs.append(
            np.ones(len(matcher._ids), dtype=np.float32)
            if weights is None
            else np.asarray(weights, dtype=np.float32)
        )
    else:  # any other matcher: the slow, general way
        got_ids: list[int] = []
        got_tfs: list[float] = []
        while matcher.is_active():
            got_ids.append(matcher.id())
            got_tfs.append(matcher.weight())
            matcher.next()
        ids.append(np.asarray(got_ids, dtype=np.int32) + base)
        tfs.append(np.asarray(got_tfs, dtype=np.float32))
    return ids, tfs


def read_postings(
    reader: Any, field: str, text: str, first_doc: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """All (doc, tf) of a term in the segments at or after `first_doc` (all by default),
    deleted documents included (they are masked later)."""
    ids: list[np.ndarray] = []
    tfs: list[np.ndarray] = []
    for segment, base in reader.leaf_readers():
        if base + segment.doc_count_all() <= first_doc or field not in segment.schema:
            continue
        fieldobj = segment.schema[field]
        try:  # one look-up in the term table, not a test and then a look-up
            matcher = segment._terms.matcher(field, fieldobj.to_bytes(text), fieldobj.format)
        except TermNotFound:
            continue
        leaf_ids, leaf_tfs = _leaf_arrays(matcher, base)
        ids += leaf_ids
        tfs += leaf_tfs
    if not ids:
        return EMPTY_IDS, EMPTY_TF
    return np.concatenate(ids), np.concatenate(tfs)


_POSITION_COUNT = struct.calcsize("!i")  # a Positions value: its count, then the pickle


def read_positions(
    reader: Any,
    field: str,
    text: str,
    within: np.ndarray | None = None,
    kept: BoundedCache[Block] | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Every (document, position) of a term in a field with positions: two int32 arrays,
    ordered by document and position within it, deleted documents included (masked
    later). `within`: a mask of the documents wanted (only the posting blocks that hold
    one are read; `kept` keeps those blocks, see `_blocks`). None when the field has no positions or a segment is not Whoosh's
    W3 codec (then Whoosh walks the positions itself).

    A value is Whoosh's `Positions` encoding (`Positions.decode_positions` reads it the
    same way): the count, then a pickle of the deltas between positions (its STOP may
    have been dropped: one more is harmless)."""
    ids: list[np.ndarray] = []
    counts: list[int] = []
    deltas: list[int] = []
    for segment, base in reader.leaf_readers():
        if field not in segment.schema:
            continue
        fieldobj, terms = segment.schema[field], segment._terms
        if type(fieldobj.format) is not Positions or not hasattr(terms, "term_info"):
            return None
        wanted = None
        if within is not None:
            wanted = np.flatnonzero(within[base : base + segment.doc_count_all()])
            if not len(wanted):
                continue
        key = fieldobj.to_bytes(text)
        try:
            info = terms.term_info(field, key)
        except TermNotFound:
            continue
        matcher = terms._codec.postings_reader(terms._postfile, info, fieldobj.format, (field, key))
        for block_ids, values in _blocks(matcher, wanted, kept, (field, text, base)):
            if wanted is not None:
                at = np.minimum(np.searchsorted(wanted, block_ids), len(wanted) - 1)
                chosen = np.flatnonzero(wanted[at] == block_ids)
                block_ids, values = block_ids[chosen], [values[i] for i in chosen.tolist()]
            ids.append(block_ids + base)
            for value in values:
                found = pickle.loads(value[_POSITION_COUNT:] + b".")
                counts.append(len(found))
                deltas.extend(found)
    if not deltas:
        return EMPTY_IDS, EMPTY_IDS
    per_doc = np.asarray(counts, dtype=np.int64)
    running = np.cumsum(np.asarray(deltas, dtype=np.int64))
    # deltas restart at each document: take away the running sum before its first one
    starts = np.cumsum(per_doc) - per_doc
    before = np.where(starts > 0, running[np.maximum(starts - 1, 0)], 0)
    positions = running - np.repeat(before, per_doc)
    return np.repeat(np.concatenate(ids), per_doc), positions.astype(np.int32)


_TERM_DF = struct.Struct("!I")  # in a W3TermInfo: flags (1 byte) and weight (4), then this
_TERM_DF_AT = 5
_TABLE_CHUNK = 4 * 1024 * 1024


def doc_frequencies(leaf: Any, field: str) -> Iterator[tuple[bytes, int]]:
    """(term, document frequency) of every term of `field` in one segment, in order:
    what `leaf.iter_field(field)` gives with each term info's `doc_frequency()`, read
    from the segment's term table in large chunks instead of a seek and three reads
    per term (a full build's last single-process step walked 600,000 terms that way)."""
    table = getattr(getattr(leaf, "_terms", None), "_tindex", None)
    table = getattr(table, "on_disk", table)  # a term_tables.MemoryHashReader's file
    if not isinstance(table, OrderedHashReader) or not hasattr(table, "endofdata"):
        for term, info in leaf.iter_field(field):  # another codec: the general way
            yield term, info.doc_frequency()
        return
    if field not in leaf._terms._fieldmap:  # no document of the segment has the field
        return
    prefix = leaf._terms._keycoder(field, b"")
    position = table.closest_key_pos(prefix)
    if position is None:
        return
    end = table.endofdata
    data, start = b"", position  # data holds the table's bytes from `start` on
    while position < end:
        offset = position - start
        if offset + ENTRY_LENGTHS.size > len(data):
            data, start, offset = (
                table.dbfile.get(position, min(_TABLE_CHUNK, end - position)),
                position,
                0,
            )
        keylength, valuelength = ENTRY_LENGTHS.unpack_from(data, offset)
        entry = ENTRY_LENGTHS.size + keylength + valuelength
        if offset + entry > len(data):  # the entry crosses the chunk: read from it on
            data = table.dbfile.get(position, max(entry, min(_TABLE_CHUNK, end - position)))
            start, offset = position, 0
        key = data[offset + ENTRY_LENGTHS.size : offset + ENTRY_LENGTHS.size + keylength]
        if not key.startswith(prefix):
            return
        value_at = offset + ENTRY_LENGTHS.size + keylength
        (frequency,) = _TERM_DF.unpack_from(data, value_at + _TERM_DF_AT)
        yield key[len(prefix) :], frequency
        position += entry


def _frequent_terms(reader: Any, threshold: int) -> list[tuple[str, str]]:
    """The terms of FREQUENT_FIELDS in `threshold` documents or more.

    Counted segment by segment: a multi-segment reader's own term walk looks
    every term up in every segment, which costs more than the postings."""
    found: list[tuple[str, str]] = []
    leaves = [leaf for leaf, _ in reader.leaf_readers()]
    for field in FREQUENT_FIELDS:
        if field not in reader.schema:
            continue
        counts: dict[bytes, int] = {}
        for leaf in leaves:
            for term, frequency in doc_frequencies(leaf, field):
                counts[term] = counts.get(term, 0) + frequency
        for term in sorted(t for t, n in counts.items() if n >= threshold):
            found.append((field, _term_text(term)))
    return found


def write_frequent(
    reader: Any, generation: Path, previous: Path | None = None, reused: int = 0
) -> None:
    """Packed document bits of each frequent term, for the fields a query word searches.

    The bits describe the documents of the build that wrote them. When the first
    `reused` documents are unchanged since a previous generation (an incremental
    run appended segments), its file still holds for them: it is linked, not
    rewritten (its files are never written again), and a reader adds the newer
    documents from their small segments (`Postings.mask`). Terms that have
    become frequent since are read on demand until the next rebuild.
    """
    old = previous / FREQUENT_FILE if previous is not None else None
    if old is not None and reused and 0 < (frequent_size(old) or 0) <= reused:
        os.link(old, generation / FREQUENT_FILE)
        return
    size = reader.doc_count_all()
    rows: list[np.ndarray] = []
    names: list[list[str]] = []
    for field, text in _frequent_terms(reader, frequent_threshold(size)):
        bits = np.zeros(size, dtype=bool)
        bits[read_postings(reader, field, text)[0]] = True
        rows.append(np.packbits(bits))
        names.append([field, text])
    packed = np.stack(rows) if rows else np.zeros((0, (size + 7) // 8), dtype=np.uint8)
    terms = np.frombuffer(json.dumps(names).encode("utf-8"), dtype=np.uint8)
    checks = np.array([zlib.crc32(row.tobytes()) for row in rows], dtype=np.uint32)
    with (generation / FREQUENT_FILE).open("wb") as handle:
        np.savez(handle, bits=packed, terms=terms, size=np.array([size]), checks=checks)


def frequent_size(path: Path) -> int | None:
    """Documents a frequent-terms file describes, or None if it is missing or unreadable
    (its bits are not read)."""
    try:
        with np.load(path) as data:
            return int(data["size"][0])
    except (OSError, EOFError, KeyError, ValueError, IndexError, zipfile.BadZipFile):
        return None


class FrequentRows:
    """The packed rows of a frequent-terms file, each read from the file when first
    asked for (a generation opens without reading megabytes of bits it may never
    use) and checked against the CRC the indexer stored for it: a damaged row is
    never used (None), its term's postings are read instead. A file written before
    the checks were kept is read whole, checked by its zip CRC, as before."""

    def __init__(self, path: Path, data: Any, covered: int):
        self.path = path
        self.row_bytes = (covered + 7) // 8
        self.loaded: np.ndarray | None = None
        self.checks: np.ndarray | None = None
        self.offset = 0
        if "checks" in data.files:
            self.checks = data["checks"]
            self.offset, shape = _stored_array_at(path, data.zip.getinfo("bits.npy"))
            if shape != (len(self.checks), self.row_bytes):
                raise ValueError(f"{path}: bits of shape {shape} for {len(self.checks)} terms")
        else:
            bits = data["bits"]
            if bits.shape[1:] != (self.row_bytes,):
                raise ValueError(f"{path}: rows of {bits.shape[1:]} bytes")
            self.loaded = bits

    def row(self, index: int) -> np.ndarray | None:
        """The row, or None if it is damaged; raises OSError if the file cannot be read
        now (removed with its generation, no descriptor left): not a damaged row."""
        if self.loaded is not None:
            return self.loaded[index]
        assert self.checks is not None
        with self.path.open("rb") as handle:
            handle.seek(self.offset + index * self.row_bytes)
            raw = handle.read(self.row_bytes)
        if len(raw) != self.row_bytes or zlib.crc32(raw) != int(self.checks[index]):
            logger.warning("%s: row %d is damaged; its postings are read instead", self.path, index)
            return None
        return np.frombuffer(raw, dtype=np.uint8)


def _stored_array_at(path: Path, info: zipfile.ZipInfo) -> tuple[int, tuple[int, ...]]:
    """Where the data of an uncompressed .npy member of a .npz file starts, and its
    shape (np.savez stores its members uncompressed); `info` is the member's entry in
    the zip directory the open NpzFile read."""
    member = info.filename
    if info.compress_type != zipfile.ZIP_STORED:
        raise ValueError(f"{path}: {member} is compressed")
    with path.open("rb") as handle:
        handle.seek(info.header_offset)
        local = handle.read(_ZIP_LOCAL_HEADER.size)
        if len(local) != _ZIP_LOCAL_HEADER.size or not local.startswith(b"PK\x03\x04"):
            raise ValueError(f"{path}: no local header for {member}")
        name_length, extra_length = _ZIP_LOCAL_HEADER.unpack(local)[-2:]
        if handle.read(name_length) != member.encode("utf-8"):
            raise ValueError(f"{path}: the local header is not {member}'s")
        handle.seek(extra_length, os.SEEK_CUR)
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(handle)
        elif version in ((2, 0), (3, 0)):  # 3.0 differs in the header's encoding only
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(handle)
        else:
            raise ValueError(f"{path}: {member} has npy version {version}")
        if fortran or dtype != np.uint8:
            raise ValueError(f"{path}: {member} is not rows of bytes")
        return handle.tell(), tuple(shape)


class Postings:
    """One generation's postings: frequent terms from the sidecar, others read and cached."""

    def __init__(self, reader: Any, generation: Path, size: int):
        self.reader = reader
        self.size = size
        self.frequent: dict[tuple[str, str], int] = {}
        self.rows: FrequentRows | None = None
        self.covered = 0  # documents the bits describe; later ones are read from the index
        path = generation / FREQUENT_FILE
        try:
            with np.load(path) as data:
                covered = int(data["size"][0])
                if covered <= size:
                    rows = FrequentRows(path, data, covered)
                    names = json.loads(bytes(data["terms"]).decode("utf-8"))
                    self.frequent = {(f, t): i for i, (f, t) in enumerate(names)}
                    self.rows, self.covered = rows, covered
        except (OSError, EOFError, KeyError, ValueError, IndexError, zipfile.BadZipFile):
            pass  # missing or damaged: every term is read from the index instead
        self.cache: BoundedCache[tuple[np.ndarray, np.ndarray]] = BoundedCache(
            CACHE_ENTRIES, CACHE_BYTES
        )
        # posting blocks of frequent words read for a phrase's few documents
        self.blocks: BoundedCache[Block] = BoundedCache(BLOCK_ENTRIES, BLOCK_BYTES)

    def probe(self) -> None:
        """Read the first block of postings of each segment's first exact words (raises
        if they are damaged). A block, not the whole list: the index's first words
        (numbers) are in most documents, and a new generation is probed on opening."""
        for segment, _ in self.reader.leaf_readers():
            if "exact" not in segment.schema:
                continue
            fieldobj = segment.schema["exact"]
            for term, _ in islice(segment.iter_field("exact"), PROBED_TERMS):
                key = term if isinstance(term, bytes) else fieldobj.to_bytes(term)
                matcher = segment._terms.matcher("exact", key, fieldobj.format)
                if isinstance(matcher, W3LeafMatcher):
                    matcher._read_ids()
                    matcher._read_weights()
                else:
                    matcher.id()

    def mask(self, field: str, text: str) -> np.ndarray | None:
        """The documents of a frequent term as a boolean mask, or None if it is not
        frequent or its row cannot be used (then its postings are read)."""
        index = self.frequent.get((field, text))
        if index is None or self.rows is None:
            return None
        key = ("frequent", field, text)
        hit = self.cache.get(key)
        if hit is None:
            try:
                row = self.rows.row(index)
            except OSError as error:  # read as any other term, this time
                logger.info("%s: %s", self.rows.path, error)
                return None
            if row is None:  # damaged: read as any other term from now on
                self.frequent.pop((field, text), None)
                return None
            hit = (row, EMPTY_TF)  # the cache holds (ids, tf) pairs: the row as ids
            self.cache.put(key, hit, row.nbytes)
        mask = np.unpackbits(hit[0], count=self.size).astype(bool)
        if self.covered < self.size:  # documents appended since the bits were written
            mask[self._appended(field, text)] = True
        return mask

    def _appended(self, field: str, text: str) -> np.ndarray:
        """Documents of a term in the segments holding documents after the frequent
        bits' (earlier documents of those segments are postings of the term too)."""
        key = ("appended", field, text)
        hit = self.cache.get(key)
        if hit is not None:
            return hit[0]
        arrays = read_postings(self.reader, field, text, first_doc=self.covered)
        self.cache.put(key, arrays, arrays[0].nbytes + arrays[1].nbytes)
        return arrays[0]

    def positions(
        self, field: str, text: str, within: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """A term's (documents, positions) as `read_positions` gives them: all of them,
        kept like its postings, or those of the documents `within`, read from the posting
        blocks that hold them (the blocks are kept, `self.blocks`)."""
        if within is not None:
            return read_positions(self.reader, field, text, within, self.blocks)
        key = ("positions", field, text)
        hit = self.cache.get(key)
        if hit is None:
            found = read_positions(self.reader, field, text)
            hit = found if found is not None else NO_POSITIONS
            self.cache.put(key, hit, hit[0].nbytes + hit[1].nbytes)
        return None if hit is NO_POSITIONS else hit

    def get(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        key = (field, text)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        arrays = read_postings(self.reader, field, text)
        self.cache.put(key, arrays, arrays[0].nbytes + arrays[1].nbytes)
        return arrays


class LiveLexicon:
    """A generation's terms as a query's prefix expansion sees them: those of live
    documents only. Whoosh keeps the terms of a document deleted by an update until
    its segment is merged, and a term of deleted documents only would take one of
    the expansions a prefix is allowed, and only in an index built run by run."""

    def __init__(self, postings: Postings, alive: np.ndarray):
        self.postings = postings
        self.alive = alive

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]:
        for term in self.postings.reader.expand_prefix(field, prefix):
            text = _term_text(term)
            if self.is_live(field, text):
                yield text

    def is_live(self, field: str, text: str) -> bool:
        return self.documents(field, text) > 0

    def documents(self, field: str, text: str) -> int:
        """How many live documents hold the term."""
        bits = self.postings.mask(field, text)
        if bits is not None:
            return int((bits & self.alive).sum())
        ids, _ = self.postings.get(field, text)
        return int(self.alive[ids].sum())
