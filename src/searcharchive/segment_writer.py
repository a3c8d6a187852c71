"""A Whoosh segment writer that keeps postings grouped by term: the same files, less work.

Whoosh's `SegmentWriter` puts every posting in its pool as its own tuple (field, term,
document, weight, value), sorts them all, pickles them one by one into runs on disk when
`limitmb` is passed, merges the runs posting by posting, and hands each posting to the
postings writer, which reads the document's field length back from disk for it. For an
archive of long texts that was most of a full build's time (about 670 postings per
statement).

`TermSegmentWriter` writes byte for byte the same segment (tests/test_segment_writer.py
compares the files), but:

- its pool (`TermPool`) appends each posting to its term's list, and spills to disk a
  run of whole terms (one pickle per few thousand terms), merged term by term;
- the postings of a term are cut into Whoosh's blocks directly, with the field lengths
  the writer noted when it added the document.

It is for full builds (a fresh segment from added documents): merging other segments
into it (`add_reader`) is left to Whoosh's writer.
"""

from __future__ import annotations

import heapq
import pickle
from array import array
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.util import random_name
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from .errors import ArchiveError

Key = tuple[str, bytes]
TERMS_PER_PICKLE = 4096
# what the pool counts against its limit: a key, a list and its entries (three
# pointers per posting), and a value that is not shared with other postings
TERM_BYTES = 200
POSTING_BYTES = 24
VALUE_BYTES = 33


class UnsupportedSchema(ArchiveError):
    """A field needs what this writer does not write (term vectors, a spelling field)."""


class TermPool:
    """Postings grouped by (field, term): each term's list holds document, weight and
    value, flat, in the order documents were added (ascending document numbers)."""

    def __init__(self, tempstore: Any, limitmb: int):
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.terms: dict[Key, list[Any]] = {}
        self.runs: list[str] = []
        self.fieldnames: set[str] = set()
        # equal weights and equal small values (frequencies) are one object each
        self._weights: dict[float, float] = {}
        self._values: dict[bytes, bytes] = {}

    def add_field(self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, float, bytes]]):
        """A document's postings in one field: (term, weight, value) per distinct term."""
        terms = self.terms
        weights = self._weights
        values = self._values
        added = 0
        for tbytes, weight, vbytes in items:
            key = (fieldname, tbytes)
            postings = terms.get(key)
            if postings is None:
                postings = terms[key] = []
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
        """Write the terms held in memory to a run on disk, in order."""
        if not self.terms:
            return
        name = f"{random_name()}.terms"  # the processes of a build share the folder
        with self.tempstore.create_file(name).raw_file() as handle:
            ordered = sorted(self.terms.items())
            for start in range(0, len(ordered), TERMS_PER_PICKLE):
                pickle.dump(ordered[start : start + TERMS_PER_PICKLE], handle, 5)
        self.runs.append(name)
        self.terms = {}
        self.size = 0

    def _read_run(self, name: str) -> Iterator[tuple[Key, list[Any]]]:
        with self.tempstore.open_file(name).raw_file() as handle:
            while True:
                try:
                    chunk = pickle.load(handle)
                except EOFError:
                    break
                yield from chunk
        self.tempstore.delete_file(name)

    def sorted_terms(self) -> Iterator[tuple[Key, list[Any]]]:
        """Every term once, in (field, term) order, with its postings in document order."""
        if not self.runs:
            for key in sorted(self.terms):
                yield key, self.terms.pop(key)
            return
        self.save()
        # runs are in the order documents were added; heapq.merge keeps that order for
        # equal keys, so a term's postings concatenate in document order
        sources = [self._read_run(name) for name in self.runs]
        merged = heapq.merge(*sources, key=lambda item: item[0])
        for key, parts in groupby(merged, key=lambda item: item[0]):
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


def write_postings(
    fieldwriter: W3FieldWriter,
    schema: Any,
    terms: Iterable[tuple[Key, list[Any]]],
    lengths: dict[str, bytearray],
) -> None:
    """What `FieldWriter.add_postings` writes for these postings, block by block."""
    current = None
    postwriter: Any = None
    blocklimit = 0
    field_lengths: list[int | None] = []
    for (fieldname, tbytes), flat in terms:
        if fieldname != current:
            if current is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            postwriter = fieldwriter._postwriter
            blocklimit = postwriter._blocklimit
            field_lengths = [byte_to_length(b) if b else None for b in lengths.get(fieldname, b"")]
            current = fieldname
        fieldwriter.start_term(tbytes)
        ids = flat[0::3]
        weights = flat[1::3]
        values = flat[2::3]
        count = len(ids)
        for start in range(0, count, blocklimit):
            end = min(start + blocklimit, count)
            block_ids = ids[start:end]
            block_weights = weights[start:end]
            postwriter._ids = array("I", block_ids)
            postwriter._weights = array("f", block_weights)
            postwriter._values = [value for value in values[start:end] if value]
            known = [n for d in block_ids if d < len(field_lengths) and (n := field_lengths[d])]
            postwriter._minlength = min(known) if known else None
            postwriter._maxlength = max(known) if known else 0
            postwriter._maxweight = max(0, *block_weights)
            if end < count:  # the last block is written by finish_term, marked last
                postwriter._write_block()
        fieldwriter.finish_term()
    if current is not None:
        fieldwriter.finish_field()


class TermSegmentWriter(SegmentWriter):
    """`SegmentWriter` with a `TermPool` and block-wise postings writing (module doc)."""

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        if kwargs.get("docbase"):
            raise UnsupportedSchema("a TermSegmentWriter numbers its documents from 0")
        super().__init__(ix, limitmb=limitmb, **kwargs)
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise UnsupportedSchema(f"field {name!r}: term vectors or spelling words")
        self.pool: Any = TermPool(self._tempstorage, limitmb)
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
                    for tbytes, freq, weight, vbytes in field.index(value):
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
        write_postings(self.fieldwriter, self.schema, self.pool.sorted_terms(), self.lengths)
        self.fieldwriter.close()
