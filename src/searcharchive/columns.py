"""Per-generation facet columns: what each document's facet values are, as numpy arrays.

Counting facets with Whoosh's `groupedby` walks posting lists for every query;
here a query's matching documents become a boolean mask and each facet is
counted with one masked `bincount`. The arrays are written by the indexer beside
the generation they describe (`columns.npz`), so a read-only server loads them
instead of rebuilding.

Multi-valued facets are stored as (doc, value) pairs sorted by value then group,
so that counting distinct results (translation groups) per value needs only a
masked diff, no sort.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from .citations import parent_ids
from .dates import PartialDate
from .postings import write_frequent

FILE = "columns.npz"
MULTI = ("tag", "org", "article", "lang", "year", "month")


@dataclass
class Pairs:
    values: list[str]
    docs: np.ndarray  # doc number of each pair
    value_of: np.ndarray  # value ordinal of each pair
    groups: np.ndarray  # group ordinal of each pair's doc
    starts: np.ndarray  # pairs of value v are docs[starts[v]:starts[v + 1]]

    def docs_of(self, value: str) -> np.ndarray:
        try:
            index = self.values.index(value)
        except ValueError:
            return np.empty(0, dtype=np.int32)
        return self.docs[self.starts[index] : self.starts[index + 1]]


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


def _doc_values(record: dict) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {
        "tag": record.get("tags") or [],
        "org": record.get("organizations") or [],
        "article": sorted({a for c in record.get("articles") or [] for a in (*parent_ids(c), c)}),
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


def build_columns(generation: Path) -> Columns:
    ix = whoosh_index.open_dir(str(generation))
    with ix.reader() as reader:
        size = reader.doc_count_all()
        alive = np.zeros(size, dtype=bool)
        group = np.zeros(size, dtype=np.int32)
        date_start = np.zeros(size, dtype=np.int32)
        date_end = np.zeros(size, dtype=np.int32)
        lang = np.zeros(size, dtype=np.int8)
        title_length = np.zeros(size, dtype=np.uint32)
        body_length = np.zeros(size, dtype=np.uint32)
        group_ords: dict[str, int] = {}
        raw: dict[str, list[tuple[str, int]]] = {name: [] for name in MULTI}
        for docnum, stored in reader.iter_docs():
            record = json.loads(stored["record"])
            alive[docnum] = True
            title_length[docnum] = reader.doc_field_length(docnum, "title_exact", 0)
            body_length[docnum] = reader.doc_field_length(docnum, "exact", 0)
            group[docnum] = group_ords.setdefault(record["group"], len(group_ords))
            lang[docnum] = ("en", "be", "ru").index(record["lang"])
            if record.get("date"):
                date = PartialDate.parse_iso(record["date"])
                date_start[docnum] = int(date.start().strftime("%Y%m%d"))
                date_end[docnum] = int(date.end().strftime("%Y%m%d"))
            for name, values in _doc_values(record).items():
                raw[name].extend((value, docnum) for value in values)
    facets = {name: _pairs(pairs, group) for name, pairs in raw.items()}
    lengths = {"title": title_length, "body": body_length}
    return Columns(size, alive, group, date_start, date_end, lang, facets, lengths)


def _pairs(pairs: list[tuple[str, int]], group: np.ndarray) -> Pairs:
    values = sorted({value for value, _ in pairs})
    ordinal = {value: i for i, value in enumerate(values)}
    docs = np.array([doc for _, doc in pairs], dtype=np.int32)
    value_of = np.array([ordinal[value] for value, _ in pairs], dtype=np.int32)
    groups = group[docs] if len(docs) else np.empty(0, dtype=np.int32)
    order = np.lexsort((groups, value_of)) if len(docs) else np.empty(0, dtype=np.int64)
    docs, value_of, groups = docs[order], value_of[order], groups[order]
    starts = np.searchsorted(value_of, np.arange(len(values) + 1)).astype(np.int64)
    return Pairs(values, docs, value_of, groups, starts)


def write_columns(generation: Path) -> None:
    columns = build_columns(generation)
    ix = whoosh_index.open_dir(str(generation))
    with ix.reader() as reader:
        write_frequent(reader, generation)
    arrays: dict[str, np.ndarray] = {
        "alive": columns.alive,
        "group": columns.group,
        "date_start": columns.date_start,
        "date_end": columns.date_end,
        "lang": columns.lang,
        "length.title": columns.lengths["title"],
        "length.body": columns.lengths["body"],
    }
    names: dict[str, list[str]] = {}
    for name, pairs in columns.facets.items():
        arrays[f"{name}.docs"] = pairs.docs
        arrays[f"{name}.value_of"] = pairs.value_of
        arrays[f"{name}.groups"] = pairs.groups
        arrays[f"{name}.starts"] = pairs.starts
        names[name] = pairs.values
    arrays["values"] = np.frombuffer(json.dumps(names).encode("utf-8"), dtype=np.uint8)
    with (generation / FILE).open("wb") as handle:
        np.savez(handle, **arrays)  # type: ignore[arg-type]


def load_columns(generation: Path) -> Columns:
    path = generation / FILE
    if not path.exists():
        return build_columns(generation)
    with np.load(path) as data:
        names = json.loads(bytes(data["values"]).decode("utf-8"))
        facets = {
            name: Pairs(
                values,
                data[f"{name}.docs"],
                data[f"{name}.value_of"],
                data[f"{name}.groups"],
                data[f"{name}.starts"],
            )
            for name, values in names.items()
        }
        return Columns(
            len(data["alive"]),
            data["alive"],
            data["group"],
            data["date_start"],
            data["date_end"],
            data["lang"],
            facets,
            {"title": data["length.title"], "body": data["length.body"]},
        )
