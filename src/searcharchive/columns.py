"""Per-generation facet columns: what each document's facet values are, as numpy arrays.

Counting facets with Whoosh's `groupedby` walks posting lists for every query;
here a query's matching documents become a boolean mask and each facet is
counted with one masked `bincount`. The arrays are written by the indexer beside
the generation they describe (`columns.npz`), so a read-only server loads them
instead of rebuilding.

Multi-valued facets are stored as (doc, value) pairs sorted by value then group,
so that counting distinct results (translation groups) per value needs only a
masked diff, no sort.

Document numbers depend on how the index was built (input order, which build
process took which batch, updates appended by incremental runs), so nothing a
reader sees may follow them: each live document's `rank` is its place among
the live statement ids in sorted order, the key that breaks every tie (see
order.py). The ids are kept too (`ids.text`), so that an incremental run ranks
the old and new documents together without reading the old ones.

An incremental run appends a Whoosh segment without merging (document numbers
of the older segments stay as they were), so its columns are the previous
generation's plus the new documents' rows: publishing one statement costs
reading one statement, not the whole archive.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.reading import IndexReader

from .citations import with_parents
from .dates import PartialDate, day_key
from .facet_table import FACETS
from .index_files import open_index
from .languages import LANGS
from .persons import load_table
from .postings import write_frequent

FILE = "columns.npz"
MULTI = tuple(facet.name for facet in FACETS)  # a column per facet (facet_table.py)
EXTENDED = tuple(name for name in MULTI if name != "person")  # extended by incremental runs


@dataclass(frozen=True)
class Segments:
    """Items sorted by value ordinal, as the values that have any and where each one's
    items start: a per-value sum of the items is one `np.add.reduceat` in C."""

    values: np.ndarray  # the value ordinals that have items, ascending
    starts: np.ndarray  # where each of those values' items start

    @classmethod
    def of(cls, sorted_values: np.ndarray) -> Segments:
        first = np.ones(len(sorted_values), dtype=bool)
        first[1:] = sorted_values[1:] != sorted_values[:-1]
        starts = np.flatnonzero(first)
        return cls(sorted_values[starts], starts)

    def sums(self, items: np.ndarray, size: int) -> np.ndarray:
        """Per value ordinal (`size` of them), the sum of its items (booleans count)."""
        counts = np.zeros(size, dtype=np.int64)
        if len(self.starts):
            counts[self.values] = np.add.reduceat(items, self.starts, dtype=np.int64)
        return counts


@dataclass(frozen=True)
class GroupRuns:
    """A facet's pairs by run of one value and one group, for counting distinct groups
    without a pass over every pair: a run that holds every document of its group is
    counted when the group is (any of its documents); a run of one document when that
    document is; the few runs left (some of a group's documents) pair by pair. Runs
    keep the pairs' order (by value), so a kind's runs are counted value by value as
    `Segments`, with no sort and no branch per run."""

    whole_groups: np.ndarray
    whole: Segments
    single_docs: np.ndarray
    single: Segments
    mixed_values: np.ndarray  # the pairs of the other runs, in pair order
    mixed_groups: np.ndarray
    mixed_docs: np.ndarray


@dataclass
class Pairs:
    """(document, value) pairs of one facet, sorted by value then group; a document
    has each of its values once."""

    values: list[str]
    docs: np.ndarray  # doc number of each pair
    value_of: np.ndarray  # value ordinal of each pair
    groups: np.ndarray  # group ordinal of each pair's doc
    starts: np.ndarray  # pairs of value v are docs[starts[v]:starts[v + 1]]
    ordinals: dict[str, int] = field(init=False, repr=False)
    _runs: tuple[np.ndarray, GroupRuns] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _by_doc: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self.ordinals = {value: i for i, value in enumerate(self.values)}

    def group_runs(self, group_sizes: np.ndarray) -> GroupRuns:
        """The pairs as GroupRuns, given how many documents each group has (every
        document numbered, deleted ones too: a run is whole only when no document of
        its group lacks the value). Kept once found (by the first count that needs
        them, or Generation.warm)."""
        if self._runs is not None and self._runs[0] is group_sizes:
            return self._runs[1]
        count = len(self.docs)
        first = np.ones(count, dtype=bool)
        first[1:] = (self.value_of[1:] != self.value_of[:-1]) | (
            self.groups[1:] != self.groups[:-1]
        )
        starts = np.flatnonzero(first)
        lengths = np.diff(np.append(starts, count))
        run_groups = self.groups[starts]
        whole = lengths == group_sizes[run_groups]
        # a run's documents ascend (pairs are built in document order): a document
        # twice in one (columns written before pairs were made unique) is no whole run
        repeated = np.flatnonzero(~first[1:] & (self.docs[1:] <= self.docs[:-1])) + 1
        whole[np.searchsorted(starts, repeated, side="right") - 1] = False
        single = ~whole & (lengths == 1)
        mixed = np.repeat(~whole & ~single, lengths)
        runs = GroupRuns(
            run_groups[whole],
            Segments.of(self.value_of[starts[whole]]),
            self.docs[starts[single]],
            Segments.of(self.value_of[starts[single]]),
            self.value_of[mixed],
            self.groups[mixed],
            self.docs[mixed],
        )
        self._runs = (group_sizes, runs)
        return runs

    @property
    def by_doc(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The same pairs ordered by document, for counting a few documents without a
        full pass: (value, group) of each, and where each document's start. Sorted
        when first asked for: an indexer extending the columns never is."""
        if self._by_doc is None:
            order = np.argsort(self.docs, kind="stable")
            size = int(self.docs.max()) + 1 if len(self.docs) else 0
            starts = np.searchsorted(self.docs[order], np.arange(size + 1))
            self._by_doc = (self.value_of[order], self.groups[order], starts)
        return self._by_doc

    @property
    def sorted_by_doc(self) -> bool:
        """`by_doc` is at hand (a generation sorts it in the background: Generation.warm)."""
        return self._by_doc is not None

    def of_docs(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(value, group) of every pair of the given documents."""
        by_value, by_group, doc_starts = self.by_doc
        docs = docs[docs < len(doc_starts) - 1]
        starts, ends = doc_starts[docs], doc_starts[docs + 1]
        lengths = ends - starts
        if not lengths.sum():
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.int32)
        index = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        return by_value[index], by_group[index]

    def docs_of(self, value: str) -> np.ndarray:
        index = self.ordinals.get(value)
        if index is None:
            return np.empty(0, dtype=np.int32)
        return self.docs[self.starts[index] : self.starts[index + 1]]


@dataclass
class Texts:
    """A string per document in one UTF-8 buffer with the end of each: the titles of
    300,000 statements cost their bytes, not a Python string each."""

    data: np.ndarray  # uint8
    ends: np.ndarray  # int64: document d's text is data[ends[d - 1] + gap:ends[d]]
    gap: int = 0  # bytes between two texts (1: the newline of a file of lines)

    @classmethod
    def of(cls, texts: list[str], before: Texts | None = None) -> Texts:
        """The texts of `before` (without gaps) followed by `texts`."""
        assert before is None or not before.gap, "texts with gaps are read, not extended"
        encoded = [text.encode("utf-8") for text in texts]
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        if before is None:
            return cls(data, np.cumsum(lengths))
        start = int(before.ends[-1]) if len(before.ends) else 0
        return cls(
            np.concatenate([before.data, data]),
            np.concatenate([before.ends, start + np.cumsum(lengths)]),
        )

    @classmethod
    def split(cls, joined: np.ndarray) -> Texts:
        """The texts of a UTF-8 buffer of lines joined by newlines (the ids file), read
        in place."""
        breaks = np.flatnonzero(joined == ord("\n"))
        return cls(joined, np.append(breaks, len(joined)).astype(np.int64), gap=1)

    def __getitem__(self, docnum: int) -> str:
        start = int(self.ends[docnum - 1]) + self.gap if docnum else 0
        return bytes(self.data[start : int(self.ends[docnum])]).decode("utf-8")

    def prefix(self, size: int) -> Texts:
        data = self.data[: int(self.ends[size - 1]) if size else 0]
        return Texts(data, self.ends[:size], self.gap)


@dataclass
class Columns:
    size: int
    alive: np.ndarray  # bool per doc
    group: np.ndarray  # group ordinal per doc
    date_start: np.ndarray  # yyyymmdd, 0 if undated
    date_end: np.ndarray
    lang: np.ndarray  # 0 en, 1 be, 2 ru
    facets: dict[str, Pairs]
    lengths: dict[str, np.ndarray]  # words in the title and in title + body, for BM25
    group_names: list[str]
    rank: np.ndarray  # place of each live document's id among the live ids; deleted: after all
    ids: list[str] | None = None  # statement id per doc ("" if deleted); None unless asked for
    last_id: str = ""  # id of the last document: a check that document numbers held
    appended_from: int = 0  # documents before this number were taken from a previous generation
    # each document's title ("" if deleted): a hit's translations are listed without
    # reading their records; None in columns written before titles were kept
    titles: Texts | None = None
    id_texts: Texts | None = None  # the ids as read by a search (`ids` is for the indexer)

    @cached_property
    def group_sizes(self) -> np.ndarray:
        """Documents per group ordinal, deleted ones too (Pairs.group_runs)."""
        return np.bincount(self.group, minlength=len(self.group_names))


def prefix(columns: Columns, size: int) -> Columns:
    """The columns of the first `size` documents: what still holds once the segments
    after them were merged (their documents renumbered) by an incremental run."""
    if size >= columns.size:
        return columns
    live = np.flatnonzero(columns.alive[:size])
    order = live[np.argsort(columns.rank[live], kind="stable")]
    ids = columns.ids[:size] if columns.ids is not None else None
    return Columns(
        size,
        columns.alive[:size],
        columns.group[:size],
        columns.date_start[:size],
        columns.date_end[:size],
        columns.lang[:size],
        {name: _pairs_before(pairs, size) for name, pairs in columns.facets.items()},
        {name: lengths[:size] for name, lengths in columns.lengths.items()},
        columns.group_names,
        _ranks(order, size),
        ids,
        ids[-1] if ids else "",
        titles=columns.titles.prefix(size) if columns.titles is not None else None,
    )


def _pairs_before(pairs: Pairs, size: int) -> Pairs:
    """The pairs of documents before `size` (still in value, then group order)."""
    keep = pairs.docs < size
    value_of = pairs.value_of[keep]
    starts = np.searchsorted(value_of, np.arange(len(pairs.values) + 1)).astype(np.int64)
    return Pairs(pairs.values, pairs.docs[keep], value_of, pairs.groups[keep], starts)


def _ranks(order: list[int] | np.ndarray, size: int) -> np.ndarray:
    """Rank of each document from the live ones in id order; deleted ones after all."""
    rank = np.full(size, len(order), dtype=np.int32)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int32)
    return rank


def id_ranks(ids: list[str], alive: np.ndarray) -> np.ndarray:
    """Each live document's place among the live ids in sorted order (ids are unique among
    live documents); deleted documents come after all of them."""
    return _ranks(sorted(np.flatnonzero(alive).tolist(), key=ids.__getitem__), len(ids))


def extended_ranks(previous: Columns, ids: list[str], alive: np.ndarray) -> np.ndarray:
    """`id_ranks` of a generation whose first documents are `previous`'s: its live
    documents, already in id order, less those deleted since, merged with the new
    ones: a pass over the archive and a sort of the new documents only."""
    old_live = np.flatnonzero(previous.alive)
    kept = np.empty(len(old_live), dtype=np.int64)
    kept[previous.rank[old_live]] = old_live
    kept = kept[alive[kept]]
    new = sorted(
        (previous.size + np.flatnonzero(alive[previous.size :])).tolist(), key=ids.__getitem__
    )
    kept_ids = [ids[d] for d in kept.tolist()]
    places = [bisect_left(kept_ids, ids[d]) for d in new]
    return _ranks(np.insert(kept, places, new), len(ids))


def _doc_values(record: dict[str, Any]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {
        "tag": record.get("tags") or [],
        "org": record.get("authors") or [],  # "By organization": authors and signatories
        "mention": record.get("organizations") or [],  # every organization named
        "person": [],  # from the person table, for every document (_person_pairs)
        "article": sorted(with_parents(record.get("articles") or [])),
        "lang": [record["lang"]],
        "year": [],
        "month": [],
    }
    if record.get("date"):
        date = PartialDate.parse_iso(record["date"])
        values["year"] = [f"{date.year:04d}"]
        if date.month:
            values["month"] = [f"{date.year:04d}-{date.month:02d}"]
    return values


def _grow(old: np.ndarray | None, size: int, dtype: Any) -> np.ndarray:
    array = np.zeros(size, dtype=dtype)
    if old is not None:
        array[: len(old)] = old
    return array


def build_columns(generation: Path, previous: Columns | None = None) -> Columns:
    """All documents' columns, or the previous generation's plus the documents after it."""
    with open_index(generation).reader() as reader:
        return _columns_of(reader, previous, _persons_of(generation))


def _persons_of(generation: Path) -> Mapping[str, list[str]]:
    """Statement id -> person ids, from the generation's person table (persons.py)."""
    table = load_table(generation)
    return table.statements if table is not None else {}


def _person_pairs(
    ids: list[str], alive: np.ndarray, persons: Mapping[str, list[str]], start: int = 0
) -> list[tuple[str, int]]:
    """The person column of the live documents from `start`: the clusters of a run's
    person table may change for statements it did not read (a surname alone joins its
    one full name), so this column is filled afresh for every document, unless the
    table was updated (persons.update_table: older statements keep their persons)."""
    return [
        (pid, docnum)
        for docnum in (start + np.flatnonzero(alive[start:])).tolist()
        for pid in persons.get(ids[docnum], ())
    ]


def _columns_of(
    reader: IndexReader,
    previous: Columns | None,
    persons: Mapping[str, list[str]],
    persons_updated: bool = False,
) -> Columns:
    size = reader.doc_count_all()
    start = 0
    if previous is not None and previous.ids is not None and 0 < previous.size <= size:
        if reader.stored_fields(previous.size - 1).get("id") == previous.last_id:
            start = previous.size
    base = previous if start else None
    alive = _grow(base.alive if base else None, size, bool)
    group = _grow(base.group if base else None, size, np.int32)
    date_start = _grow(base.date_start if base else None, size, np.int32)
    date_end = _grow(base.date_end if base else None, size, np.int32)
    lang = _grow(base.lang if base else None, size, np.int8)
    title_length = _grow(base.lengths["title"] if base else None, size, np.uint32)
    body_length = _grow(base.lengths["body"] if base else None, size, np.uint32)
    group_names = list(base.group_names) if base else []
    ids = [*(base.ids or []), *[""] * (size - start)] if base else [""] * size
    titles = [""] * (size - start)  # of the documents from `start`
    old_titles = base.titles if base is not None else None
    group_ords = {name: i for i, name in enumerate(group_names)}
    raw: dict[str, list[tuple[str, int]]] = {name: [] for name in MULTI}
    deleted = {
        base + docnum
        for segment, base in reader.leaf_readers()
        if segment.has_deletions()
        for docnum in segment.deleted_docs_set
    }
    docnums = range(start, size) if start else range(size)
    for docnum in docnums:
        if docnum in deleted:
            continue
        stored = reader.stored_fields(docnum)
        record = json.loads(stored["record"])
        alive[docnum] = True
        ids[docnum] = stored["id"]
        titles[docnum - start] = record["title"]
        if record["group"] not in group_ords:
            group_ords[record["group"]] = len(group_names)
            group_names.append(record["group"])
        group[docnum] = group_ords[record["group"]]
        lang[docnum] = LANGS.index(record["lang"])
        # None when the field has no word in this document (e.g. a title of "!!!")
        title_length[docnum] = reader.doc_field_length(docnum, "title_exact", 0) or 0
        body_length[docnum] = reader.doc_field_length(docnum, "exact", 0) or 0
        if record.get("date"):
            date = PartialDate.parse_iso(record["date"])
            date_start[docnum] = day_key(date.start())
            date_end[docnum] = day_key(date.end())
        for name, values in _doc_values(record).items():
            raw[name].extend((value, docnum) for value in values)
    if deleted:
        alive[np.fromiter(deleted, dtype=np.int64)] = False
    last_id = reader.stored_fields(size - 1).get("id", "") if size else ""
    extended = {*EXTENDED, "person"} if persons_updated else set(EXTENDED)
    raw["person"] = _person_pairs(ids, alive, persons, start if "person" in extended else 0)
    facets = {
        name: _pairs(raw[name], group, base.facets[name] if base and name in extended else None)
        for name in MULTI
    }
    lengths = {"title": title_length, "body": body_length}
    return Columns(
        size,
        alive,
        group,
        date_start,
        date_end,
        lang,
        facets,
        lengths,
        group_names,
        extended_ranks(base, ids, alive) if base else id_ranks(ids, alive),
        ids,
        last_id,
        start,
        # an older columns file kept no titles: none are kept until the next rebuild
        None if base is not None and base.titles is None else Texts.of(titles, old_titles),
    )


def _pairs(new: list[tuple[str, int]], group: np.ndarray, old: Pairs | None) -> Pairs:
    """(doc, value) pairs sorted by value, then group (then as given: old pairs first).
    Old pairs are sorted already, and keep their groups (a document's group never
    changes): the new ones are sorted and inserted, not everything sorted again."""
    old_values = old.values if old else []
    new = list(dict.fromkeys(new))  # a document has each value once (Pairs)
    values = sorted(set(old_values) | {value for value, _ in new})
    ordinal = {value: i for i, value in enumerate(values)}
    docs = np.array([doc for _, doc in new], dtype=np.int32)
    value_of = np.array([ordinal[value] for value, _ in new], dtype=np.int32)
    groups = group[docs] if len(docs) else np.empty(0, dtype=np.int32)
    order = np.lexsort((groups, value_of)) if len(docs) else np.empty(0, dtype=np.int64)
    docs, value_of, groups = docs[order], value_of[order], groups[order]
    if old is not None and len(old.docs):
        # ordinals of the old values keep their order among all the values
        remap = np.array([ordinal[value] for value in old_values], dtype=np.int32)
        old_value_of = remap[old.value_of]
        span = np.int64(len(group) + 1)
        places = np.searchsorted(
            old_value_of.astype(np.int64) * span + old.groups,
            value_of.astype(np.int64) * span + groups,
            side="right",
        )
        docs = np.insert(old.docs.astype(np.int32), places, docs)
        value_of = np.insert(old_value_of, places, value_of)
        groups = np.insert(old.groups.astype(np.int32), places, groups)
    starts = np.searchsorted(value_of, np.arange(len(values) + 1)).astype(np.int64)
    return Pairs(values, docs, value_of, groups, starts)


def write_columns(
    generation: Path,
    previous: Path | None = None,
    persons: Mapping[str, list[str]] | None = None,
    persons_updated: bool = False,
    kept: int | None = None,
    old: Columns | None = None,
) -> Columns:
    """Columns and frequent-term bits of a generation, reusing a previous one's if given
    (its first `kept` documents' if the run renumbered the others; `old`: its columns,
    with ids, when the caller has them, else they are read). Returns the columns.
    The person column is `persons` (statement id -> person ids), else the generation's
    person table (persons.py); `persons_updated`: the table gave the statements of the
    previous generation the same persons, so their rows are kept too."""
    if previous is None:
        old = None
    elif old is None and (previous / FILE).exists():
        old = load_columns(previous, with_ids=True)
    if old is not None and kept is not None:
        old = prefix(old, kept)
    with open_index(generation).reader() as reader:
        columns = _columns_of(
            reader,
            old,
            _persons_of(generation) if persons is None else persons,
            persons_updated,
        )
        _save(generation, columns)
        reused = columns.appended_from
        write_frequent(reader, generation, previous if reused else None, reused)
    return columns


def _save(generation: Path, columns: Columns) -> None:
    arrays: dict[str, np.ndarray] = {
        "alive": columns.alive,
        "group": columns.group,
        "date_start": columns.date_start,
        "date_end": columns.date_end,
        "lang": columns.lang,
        "length.title": columns.lengths["title"],
        "length.body": columns.lengths["body"],
        "rank": columns.rank,
        "ids.text": _text_array("\n".join(columns.ids or [])),
    }
    if columns.titles is not None:
        arrays["titles.data"] = columns.titles.data
        arrays["titles.ends"] = columns.titles.ends
    names: dict[str, Any] = {"groups": columns.group_names, "last_id": columns.last_id}
    for name, pairs in columns.facets.items():
        arrays[f"{name}.docs"] = pairs.docs
        arrays[f"{name}.value_of"] = pairs.value_of
        arrays[f"{name}.groups"] = pairs.groups
        arrays[f"{name}.starts"] = pairs.starts
        names[name] = pairs.values
    arrays["values"] = _text_array(json.dumps(names))
    with (generation / FILE).open("wb") as handle:
        np.savez(handle, **arrays)  # type: ignore[arg-type]


def _text_array(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _text(array: np.ndarray) -> str:
    return bytes(array).decode("utf-8")


def load_columns(generation: Path, with_ids: bool = False) -> Columns:
    """The generation's columns file, or columns built afresh if it is missing or older.
    The ids (for extending the columns) are read only when asked for: searching needs
    their ranks only."""
    try:
        return _read_columns(generation / FILE, with_ids)
    except (OSError, KeyError, ValueError):
        return build_columns(generation)


def _read_columns(path: Path, with_ids: bool) -> Columns:
    with np.load(path) as data:
        names = json.loads(_text(data["values"]))
        size = len(data["alive"])
        ids = (_text(data["ids.text"]).split("\n") if size else []) if with_ids else None
        if ids is not None and len(ids) != size:
            raise ValueError(f"{path}: {len(ids)} ids for {len(data['alive'])} documents")
        facets = {
            name: Pairs(
                names[name],
                data[f"{name}.docs"],
                data[f"{name}.value_of"],
                data[f"{name}.groups"],
                data[f"{name}.starts"],
            )
            for name in MULTI
        }
        return Columns(
            size,
            data["alive"],
            data["group"],
            data["date_start"],
            data["date_end"],
            data["lang"],
            facets,
            {"title": data["length.title"], "body": data["length.body"]},
            names["groups"],
            data["rank"],
            ids,
            names.get("last_id", ""),
            titles=Texts(data["titles.data"], data["titles.ends"])
            if "titles.ends" in data
            else None,
            id_texts=Texts.split(data["ids.text"]) if size else Texts.of([]),
        )
