"""A Whoosh segment writer that keeps postings grouped by term: the same files, less work.

Whoosh's `SegmentWriter` puts every posting in its pool as its own tuple (field, term,
document, weight, value), sorts them all, pickles them one by one into runs on disk when
`limitmb` is passed, merges the runs posting by posting, and hands each posting to the
postings writer, which reads the document's field length back from disk for it. For an
archive of long texts that was most of a full build's time (about 670 postings per
statement).

`TermSegmentWriter` can write byte for byte the same segment (tests/test_segment_writer.py
compares the files), but:

- its pool (`TermPool`) appends each posting to its term's list, and spills to disk a
  run of whole terms (one pickle per thousand terms at most), merged term by term;
- the postings of a term are cut into Whoosh's blocks directly, with the field lengths
  the writer noted when it added the document.

By default two choices of the format differ from Whoosh's, both read by Whoosh's
reader as they are: short blocks are not compressed (`COMPRESS_FROM`), and a block's
data is pickled with protocol 4, not 2 (`BLOCK_PROTOCOL`).

It writes segments of added documents: full builds, and incremental runs that append a
segment without merging (their updates delete the old documents in the older segments,
as Whoosh's writer does). Merging other segments into it (`add_reader`) is left to
Whoosh's writer.
"""

from __future__ import annotations

import heapq
import pickle
import struct
import zlib
from array import array
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter, sub
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3TermInfo
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util import random_name
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from .document_terms import FieldTerms, words_of
from .errors import ArchiveError

Key = tuple[str, bytes]
# a run is read back a chunk at a time, one chunk per run held while they are merged (a
# process of a 100,000-statement build merges ~45 runs, of 300,000 ~130): a chunk ends
# after TERMS_PER_PICKLE terms or CHUNK_SLOTS list entries (three a posting), whichever
# comes first. Read back, a chunk of 8,192 postings took ~1.5 MB, ~200 MB a process at
# 300,000; of 2,048, ~0.4 MB, and a chunk's terms are let go of as they are merged
TERMS_PER_PICKLE = 1024
CHUNK_SLOTS = 3 * 2048
CHUNK_LENGTH = struct.Struct("<Q")
# a block's pickled data shorter than this is written uncompressed: most terms have one
# short block, which zlib makes no smaller (60 bytes → 61), and compressing them was a
# tenth of a build
COMPRESS_FROM = 80
# the pickle protocol of a block's data (its ids, weights and values). Whoosh writes
# protocol 2, which stores each bytes value (a posting's positions) as a call that
# decodes a latin-1 string: a block of positions pickled in 6.1 µs and read back in
# 9.7 µs, and compressed to 13.1 MB where protocol 4 gives 7.0 MB (1.3 and 2.9 µs; the
# real statements of a 1,500-statement build). Whoosh's reader reads any protocol.
BLOCK_PROTOCOL = 4
TERM_INFO = W3TermInfo._struct  # flags, weight, doc frequency, lengths, max weight, ids
# what the pool counts against its limit: a key, a list and its entries (three
# pointers per posting), and a value that is not shared with other postings
TERM_BYTES = 200
POSTING_BYTES = 24
VALUE_BYTES = 33
_KEY = itemgetter(0)  # a pooled term's (field, term)


class _HashBucket:
    """One of the 256 lists of (hash, position) pairs Whoosh's `HashWriter` keeps for the
    term table until it closes, in two arrays: 12 bytes a term instead of ~130 (a tuple of
    two ints and a list slot), ~180 MB a writing process of a 300,000-statement build.
    `HashWriter.add` appends a pair, `HashWriter._write_hashes` reads them back in order."""

    __slots__ = ("hashes", "positions")

    def __init__(self) -> None:
        self.hashes = array("I")  # the key's hash: 32 bits (filetables.md5_hash)
        self.positions = array("q")  # where its entry starts in the file

    def append(self, entry: tuple[int, int]) -> None:
        self.hashes.append(entry[0])
        self.positions.append(entry[1])

    def __len__(self) -> int:
        return len(self.hashes)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.hashes, self.positions, strict=True)


class UnsupportedSchema(ArchiveError):
    """A field needs what this writer does not write (term vectors, a spelling field)."""


class TermPool:
    """Postings grouped by field and term: each term's list holds document, weight and
    value, flat, in the order documents were added (ascending document numbers)."""

    def __init__(self, tempstore: Any, limitmb: int):
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.terms: dict[str, dict[bytes, list[Any]]] = {}  # field -> term -> postings
        self.runs: list[str] = []
        self.fieldnames: set[str] = set()
        # equal weights and equal small values (frequencies) are one object each
        self._weights: dict[float, float] = {}
        self._values: dict[bytes, bytes] = {}

    def add_field(self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, float, bytes]]):
        """A document's postings in one field: (term, weight, value) per distinct term."""
        terms = self.terms.get(fieldname)
        if terms is None:
            terms = self.terms[fieldname] = {}
        weights = self._weights
        values = self._values
        added = 0
        for tbytes, weight, vbytes in items:
            postings = terms.get(tbytes)
            if postings is None:
                postings = terms[tbytes] = []
                added += TERM_BYTES + len(tbytes)
            if type(weight) is float:
                weight = weights.setdefault(weight, weight)
            if vbytes is not None and len(vbytes) <= 8:
                vbytes = values.setdefault(vbytes, vbytes)
            elif vbytes is not None:
                added += VALUE_BYTES + len(vbytes)
            postings += (docnum, weight, vbytes)
            added += POSTING_BYTES * 3
        self.fieldnames.add(fieldname)
        self.size += added
        if self.size > self.limit:
            self.save()

    def save(self) -> None:
        """Write the terms held in memory to a run on disk, in order: length-prefixed
        pickles of a few thousand postings each (read back whole, not through a file)."""
        if not self.terms:
            return
        name = f"{random_name()}.terms"  # the processes of a build share the folder
        with self.tempstore.create_file(name).raw_file() as handle:
            chunk: list[tuple[Key, list[Any]]] = []
            held = 0
            for term in self._in_order():
                chunk.append(term)
                held += len(term[1])
                if held >= CHUNK_SLOTS or len(chunk) >= TERMS_PER_PICKLE:
                    self._write_chunk(handle, chunk)
                    chunk, held = [], 0
            if chunk:
                self._write_chunk(handle, chunk)
        self.runs.append(name)
        self.size = 0

    @staticmethod
    def _write_chunk(handle: Any, chunk: list[tuple[Key, list[Any]]]) -> None:
        data = pickle.dumps(chunk, 5)
        handle.write(CHUNK_LENGTH.pack(len(data)))
        handle.write(data)

    def _in_order(self) -> Iterator[tuple[Key, list[Any]]]:
        """The terms held in memory, in (field, term) order, let go of as they are read."""
        fields, self.terms = self.terms, {}
        for fieldname in sorted(fields):
            terms = fields.pop(fieldname)
            for tbytes in sorted(terms):
                yield (fieldname, tbytes), terms.pop(tbytes)

    def _read_run(self, name: str) -> Iterator[tuple[Key, list[Any]]]:
        with self.tempstore.open_file(name).raw_file() as handle:
            while header := handle.read(CHUNK_LENGTH.size):
                (length,) = CHUNK_LENGTH.unpack(header)
                chunk = pickle.loads(handle.read(length))
                chunk.reverse()
                while chunk:  # each term let go of once merged, not the chunk at its end
                    yield chunk.pop()
        self.tempstore.delete_file(name)

    def sorted_terms(self) -> Iterator[tuple[Key, list[Any]]]:
        """Every term once, in (field, term) order, with its postings in document order."""
        if not self.runs:
            yield from self._in_order()
            return
        self.save()
        # runs are in the order documents were added; heapq.merge keeps that order for
        # equal keys, so a term's postings concatenate in document order
        sources = [self._read_run(name) for name in self.runs]
        merged = heapq.merge(*sources, key=_KEY)
        for key, parts in groupby(merged, key=_KEY):
            postings: list[Any] = []
            for _, part in parts:
                postings += part
            yield key, postings
        self.runs = []

    def cleanup(self) -> None:
        for name in self.runs:
            try:
                self.tempstore.delete_file(name)
            except OSError:
                pass
        self.runs = []
        self.terms = {}


def _mini_weights(weights: array[float]) -> tuple[float, ...] | float | None:
    """W3PostingsWriter._mini_weights: None when all are 1, one when all are equal
    (counted in C: `array.count`, not a comparison a posting in Python)."""
    count = len(weights)
    if weights.count(1.0) == count:
        return None
    if weights.count(weights[0]) == count:
        return weights[0]
    return tuple(weights)


def _mini_values(values: list[bytes], fixedsize: int | None) -> Any:
    """W3PostingsWriter._mini_values (empty values are not kept)."""
    if fixedsize is None or fixedsize < 0:
        return tuple(filter(None, values))
    if fixedsize == 0:
        return None
    return b"".join(filter(None, values))


def _term_postings(
    flat: list[Any],
    lengths: bytes,
    fixedsize: int | None,
    blocklimit: int,
    compression: int,
    compress_from: int,
    protocol: int = BLOCK_PROTOCOL,
) -> tuple[bytes, tuple[Any, ...]]:
    """One term's postings as W3PostingsWriter writes them (a header, then blocks of
    `blocklimit` postings, the last one's length negative), and the W3TermInfo figures
    (weight, document frequency, min and max length bytes, max weight). `lengths`: each
    document's field length as its length byte (0: none); a byte stands for its length
    in order, so the shortest length is the smallest byte, and W3TermInfo stores bytes.

    Most terms have one posting or a few: the work per term is kept to calls in C
    (`map`, `filter`, `array.count`), not a Python step per posting."""
    if len(flat) == 3:
        return _one_posting(flat, lengths, fixedsize, compression, compress_from, protocol)
    ids = flat[0::3]
    weights = flat[1::3]
    values = flat[2::3]
    count = len(ids)
    parts = [WHOOSH3_HEADER_MAGIC]
    total_weight: float = 0
    minbyte = 0  # 0: no length known yet (a length byte is 1 or more)
    maxbyte = 0
    maxweight: float = 0
    length_of = lengths.__getitem__ if lengths else None
    for start in range(0, count, blocklimit):
        end = min(start + blocklimit, count)
        block_ids = ids[start:end]
        block_weights = array("f", weights[start:end])
        known = list(filter(None, map(length_of, block_ids))) if length_of else []
        block_min = min(known) if known else 0
        block_max = max(known) if known else 0
        heaviest = max(weights[start:end])
        block_maxweight = heaviest if heaviest > 0 else 0  # max(0, *weights), as Whoosh
        data = (
            tuple(map(sub, block_ids, (0, *block_ids[:-1]))),  # deltas from 0
            _mini_weights(block_weights),
            _mini_values(values[start:end], fixedsize),
        )
        databytes = pickle.dumps(data, protocol)
        level = compression if len(databytes) >= compress_from else 0
        if level:
            databytes = zlib.compress(databytes, level)
        info = (end - start, block_ids[-1], block_maxweight, level, block_min, block_max)
        infobytes = pickle.dumps(info, 2)
        size = len(infobytes) + len(databytes)
        parts += (pack_int(-size if end == count else size), infobytes, databytes)
        # W3TermInfo.add_block
        total_weight += sum(block_weights)
        if block_min and (not minbyte or block_min < minbyte):
            minbyte = block_min
        maxbyte = max(maxbyte, block_max)
        maxweight = max(maxweight, block_maxweight)
    return b"".join(parts), (total_weight, count, minbyte, maxbyte, maxweight)


def _one_posting(
    flat: list[Any],
    lengths: bytes,
    fixedsize: int | None,
    compression: int,
    compress_from: int,
    protocol: int,
) -> tuple[bytes, tuple[Any, ...]]:
    """`_term_postings` of a term in one document (more than half of a segment's terms):
    the same bytes and figures, without the lists and loops of many postings."""
    docnum, weight, value = flat
    stored = array("f", (weight,))[0]  # the weight as a block stores it (32 bits)
    length = lengths[docnum] if lengths else 0
    maxweight = weight if weight > 0 else 0  # max(0, *weights), as Whoosh
    if fixedsize is None or fixedsize < 0:
        values: Any = (value,) if value else ()
    elif fixedsize == 0:
        values = None
    else:
        values = value or b""
    data = ((docnum,), None if stored == 1.0 else stored, values)
    databytes = pickle.dumps(data, protocol)
    level = compression if len(databytes) >= compress_from else 0
    if level:
        databytes = zlib.compress(databytes, level)
    infobytes = pickle.dumps((1, docnum, maxweight, level, length, length), 2)
    size = len(infobytes) + len(databytes)
    postings = b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-size), infobytes, databytes))
    return postings, (stored, 1, length, length, maxweight)


def write_postings(
    fieldwriter: W3FieldWriter,
    schema: Any,
    terms: Iterable[tuple[Key, list[Any]]],
    lengths: dict[str, bytearray],
    compress_from: int = 0,
    protocol: int = 2,
) -> None:
    """What `FieldWriter.add_postings` writes for these postings: the postings file and
    the term table (W3FieldWriter, W3PostingsWriter and W3TermInfo, term by term).
    Blocks whose data is shorter than `compress_from` bytes are left uncompressed (each
    block says so; Whoosh's reader decompresses only blocks that say they are); a
    block's data is pickled with `protocol` (Whoosh's: 2)."""
    postfile = fieldwriter._postfile
    offset = postfile.tell()
    add_term = fieldwriter._tindex.add
    codec = fieldwriter._codec
    blocklimit, compression = codec._blocklimit, codec._compression
    current = None
    prefix = b""
    fixedsize: int | None = None
    field_lengths = b""
    for (fieldname, tbytes), flat in terms:
        if fieldname != current:
            if current is not None:
                fieldwriter.finish_field()
            field = schema[fieldname]
            fieldwriter.start_field(fieldname, field)
            prefix = pack_ushort(fieldwriter._fieldid)
            fixedsize = field.format.fixed_value_size()
            field_lengths = bytes(lengths.get(fieldname, b""))
            current = fieldname
        postings, (weight, count, minbyte, maxbyte, maxweight) = _term_postings(
            flat, field_lengths, fixedsize, blocklimit, compression, compress_from, protocol
        )
        postfile.write(postings)
        info = TERM_INFO.pack(
            False,
            weight,
            count,
            minbyte,
            maxbyte,
            maxweight,
            flat[0],
            flat[-3],
        )
        add_term(prefix + tbytes, info + pack_long(offset) + pack_int(len(postings)))
        offset += len(postings)
    if current is not None:
        fieldwriter.finish_field()


class _CountingFile:
    """A file written from start to end whose `tell` needs no system call (a buffered
    file asks the operating system each time: the term table asks twice per term)."""

    def __init__(self, file: Any) -> None:
        self._file = file
        self._position = file.tell()

    def write(self, data: bytes) -> int:
        self._position += len(data)
        return int(self._file.write(data))

    def tell(self) -> int:
        return self._position

    def seek(self, *args: Any) -> int:
        self._file.seek(*args)
        self._position = self._file.tell()
        return self._position

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


class TermSegmentWriter(SegmentWriter):
    """`SegmentWriter` with a `TermPool` and block-wise postings writing (module doc)."""

    def __init__(
        self,
        ix: Any,
        limitmb: int = 128,
        compress_from: int = COMPRESS_FROM,
        block_protocol: int = BLOCK_PROTOCOL,
        **kwargs: Any,
    ) -> None:
        """`compress_from=0` compresses every block and `block_protocol=2` pickles them
        as Whoosh's writer does (the same files, byte for byte)."""
        self.compress_from = compress_from
        self.block_protocol = block_protocol
        if kwargs.get("docbase"):
            raise UnsupportedSchema("a TermSegmentWriter numbers its documents from 0")
        super().__init__(ix, limitmb=limitmb, **kwargs)
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise UnsupportedSchema(f"field {name!r}: term vectors or spelling words")
        self.pool: Any = TermPool(self._tempstorage, limitmb)
        for written in (self.fieldwriter._tindex.dbfile, self.fieldwriter._postfile):
            written.file = _CountingFile(written.file)
        self.fieldwriter._tindex.buckets = [_HashBucket() for _ in range(256)]
        # the fields whose terms document_terms.py finds from words split once per text
        self.fast_fields = {
            name: terms
            for name, field in self.schema.items()
            if field.indexed and (terms := FieldTerms.for_field(field)) is not None
        }
        # each document's field lengths as the length column stores them (one byte)
        self.lengths: dict[str, bytearray] = {}

    def add_reader(self, reader: Any) -> None:
        raise UnsupportedSchema("a TermSegmentWriter writes added documents only")

    def _note_length(self, fieldname: str, docnum: int, length: int) -> None:
        column = self.lengths.setdefault(fieldname, bytearray())
        if len(column) <= docnum:
            column.extend(bytes(docnum + 1 - len(column)))
        column[docnum] = length_to_byte(length)

    def add_document(self, **fields: Any) -> None:
        """`SegmentWriter.add_document`, its postings handed to the pool field by field."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        words: dict[str, list[str]] = {}  # each text of the document split once
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    items = []
                    fast = self.fast_fields.get(fieldname)
                    if fast is not None and isinstance(value, str):
                        if value not in words:
                            words[value] = words_of(value)
                        postings = fast.postings(words[value])
                    else:
                        postings = field.index(value)
                    for tbytes, freq, weight, vbytes in postings:
                        items.append((tbytes, weight * boost, vbytes))
                        length += freq
                    if not field.scorable:
                        length = 0
                    self.pool.add_field(fieldname, docnum, items)
                    if length:
                        self._note_length(fieldname, docnum, length)
                custom = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, custom if field.stored else None, length)
                column = field.column_type
                if column and custom is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(custom))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        write_postings(
            self.fieldwriter,
            self.schema,
            self.pool.sorted_terms(),
            self.lengths,
            self.compress_from,
            self.block_protocol,
        )
        self.fieldwriter.close()
