"""The catalog: what the index knows of each statement beside its document.

    gen-000009/catalog.json          every entry as of the last full write
    gen-000009/catalog-recent.json   entries added or changed since then (if any)

A full build writes `catalog.json` whole. An incremental run links the previous
generation's `catalog.json` (a published file is never written again, so the
link is a free, safe copy) and writes only `catalog-recent.json`: the previous
recent entries plus its own. Once the recent entries pass a share of the whole,
the run writes the whole again. Publishing one statement then costs writing and
flushing its entry and the few since the last full write, not the whole catalog.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from .store import CATALOG

RECENT = "catalog-recent.json"
RECENT_SHARE = 8  # the whole is written again once recent entries pass 1/8 of it
RECENT_MIN = 2000  # ... and this many


@dataclass(slots=True)  # one per statement: no __dict__ each
class CatalogEntry:
    """A statement's content hash, the file it was last read from, and when it first
    entered the archive."""

    fingerprint: str
    source: str = ""
    added: str = ""

    @classmethod
    def from_json(cls, value: Any) -> CatalogEntry:
        if isinstance(value, str):  # catalogs of earlier versions held the hash alone
            return cls(value)
        return cls(*value)

    def to_json(self) -> list[str]:
        return [self.fingerprint, self.source, self.added]


class Catalog:
    """Entries by statement id: those of the last full write, as stored (an entry is
    made when asked for), and the recent ones, which take precedence."""

    def __init__(
        self, whole: dict[str, Any] | None = None, recent: dict[str, CatalogEntry] | None = None
    ) -> None:
        self.whole: dict[str, Any] = whole or {}
        self.recent: dict[str, CatalogEntry] = dict(recent or {})
        self.linked_from: Path | None = None  # the generation whose catalog.json is `whole`

    def get(self, key: str) -> CatalogEntry | None:
        entry = self.recent.get(key)
        if entry is None and key in self.whole:
            entry = CatalogEntry.from_json(self.whole[key])
        return entry

    def __setitem__(self, key: str, entry: CatalogEntry) -> None:
        self.recent[key] = entry

    def __len__(self) -> int:
        return len(self.whole) + sum(1 for key in self.recent if key not in self.whole)

    def __iter__(self) -> Iterator[str]:
        yield from self.whole
        yield from (key for key in self.recent if key not in self.whole)

    def copy(self) -> Catalog:
        """A catalog to change without changing this one (the whole is shared, never changed)."""
        copy = Catalog(self.whole, self.recent)
        copy.linked_from = self.linked_from
        return copy

    def as_json(self) -> dict[str, Any]:
        """Every entry as stored in a whole catalog file."""
        return {**self.whole, **{key: entry.to_json() for key, entry in self.recent.items()}}


def read_catalog(generation: Path | None) -> Catalog:
    """A generation's catalog ({} when it has none); raises OSError or ValueError when a
    file of it cannot be read."""
    if generation is None or not (generation / CATALOG).exists():
        return Catalog()
    whole = orjson.loads((generation / CATALOG).read_bytes())
    recent: dict[str, Any] = {}
    if (generation / RECENT).exists():
        recent = orjson.loads((generation / RECENT).read_bytes())
    if not isinstance(whole, dict) or not isinstance(recent, dict):
        raise ValueError(f"the catalog of {generation} is not a mapping")
    catalog = Catalog(whole, {key: CatalogEntry.from_json(value) for key, value in recent.items()})
    catalog.linked_from = generation
    return catalog


def write_catalog(work: Path, catalog: Catalog) -> Catalog:
    """The catalog files of the generation being built in `work`: the recent entries
    beside a link to the previous whole, or the whole written afresh. Returns the
    catalog as `read_catalog` would read it back (its `linked_from` to be set to the
    generation once published)."""
    source = catalog.linked_from
    keep = (
        source is not None
        and catalog.whole
        and len(catalog.recent) <= max(RECENT_MIN, len(catalog.whole) // RECENT_SHARE)
    )
    if keep and source is not None:
        os.link(source / CATALOG, work / CATALOG)
        recent = {key: entry.to_json() for key, entry in catalog.recent.items()}
        (work / RECENT).write_bytes(orjson.dumps(recent))
        return Catalog(catalog.whole, catalog.recent)
    whole = catalog.as_json()
    (work / CATALOG).write_bytes(orjson.dumps(whole))
    return Catalog(whole)
