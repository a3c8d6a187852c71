"""A generation: one published index on disk, opened once and read by many searches.

It holds the Whoosh searcher, the facet columns, the postings and the gazetteers the
index was built with, and reads records, translations and document numbers. The
on-disk format itself (CURRENT, the schema check, stored gazetteers) is store.py's.
"""

from __future__ import annotations

import logging
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from .caches import BoundedCache
from .columns import Columns, load_columns
from .errors import IndexCorrupt
from .gazetteer import Gazetteer
from .index_files import open_index
from .labels import Labeller
from .languages import LANGS
from .matching import Evaluator
from .order import Order
from .persons import PersonTable, load_table
from .postings import LiveLexicon, Postings
from .spelling import Speller
from .statement import Statement
from .store import check_schema, stored_gazetteers
from .term_tables import read_terms_from_memory

logger = logging.getLogger(__name__)

WHOOSH_CACHE_ENTRIES = 10_000  # Whoosh's searcher caches (unbounded of themselves)
RECORD_CACHE_ENTRIES = 4096  # decoded records: a few hundred pages of hits and translations
RECORD_CACHE_BYTES = 64 * 1024 * 1024
ANSWER_CACHE_ENTRIES = 16  # the unfiltered archive's facets, per UI language
ANSWER_CACHE_BYTES = 64 * 1024 * 1024


def identity(path: Path) -> tuple[int, int]:
    """A generation folder replaced by another of the same name is another generation."""
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_dev, stat.st_ino)


class Generation:
    """One published index generation: its searcher and facet columns, opened once."""

    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        self.identity = (path, identity(path))
        check_schema(path)
        try:
            self.index = open_index(path)
            self.searcher = self.index.searcher()
            read_terms_from_memory(self.searcher.reader())
            self.columns: Columns = load_columns(path)
            self.postings = Postings(self.searcher.reader(), path, self.columns.size)
            self.evaluator = Evaluator(self.postings, self.columns, self.searcher)
            self.lexicon = LiveLexicon(self.postings, self.columns.alive)
            self.postings.probe()  # damaged postings are found now, not by a reader's search
            # the built-in gazetteers plus those the index was built with (`--organizations`)
            self.organizations = Gazetteer.builtin(
                "organizations", stored_gazetteers(path, "organizations")
            )
            persons = Gazetteer.builtin("persons", stored_gazetteers(path, "persons"))
            self.labels = Labeller(
                self.organizations,
                persons,
                person_names=lambda pid, lang: self.persons.display_name(pid, lang),
            )
        except Exception as error:
            raise IndexCorrupt(f"the index generation {path} cannot be read: {error}") from None
        self.order = Order(self.columns)
        # live documents, group by group (group g from group_starts[g] to group_starts[g + 1])
        self.group_order = self.order.by_group
        counts = np.bincount(self.columns.group[self.group_order], minlength=1)
        self.group_starts = np.concatenate(([0], np.cumsum(counts)))
        self.lock = threading.Lock()
        self.warming: threading.Thread | None = None  # see warm()
        # decoded records by docnum: a page of hits, its translations, the next request's
        # page of the same browse read a record's compressed JSON once, not each time
        self.records: BoundedCache[Statement] = BoundedCache(
            RECORD_CACHE_ENTRIES, RECORD_CACHE_BYTES
        )
        # answers every unfiltered request shares (Archive._facets)
        self.answers: BoundedCache[Any] = BoundedCache(ANSWER_CACHE_ENTRIES, ANSWER_CACHE_BYTES)

    def warm(self) -> None:
        """Sort, once and in a thread of its own, what later searches ask for but the
        first need not wait for (a new generation answers its first search sooner):
        each facet's pairs by document and by group run, the other orders, the person
        table's look-ups of names."""
        if self.warming is not None:
            return
        thread = threading.Thread(target=self._warm, name=f"warm {self.name}", daemon=True)
        try:
            thread.start()
        except RuntimeError as error:  # no thread to be had: searches sort what they need
            logger.warning("generation %s is not warmed: %s", self.name, error)
            return
        self.warming = thread

    def _warm(self) -> None:
        try:
            columns = self.columns
            for pairs in columns.facets.values():
                pairs.group_runs(columns.group_sizes)
                _ = pairs.by_doc  # kept by the pairs
            for preferred in range(len(LANGS)):
                self.order.faces(preferred)
            for sort in ("newest", "oldest"):
                self.order.by_date(sort)
            self.persons.prepare_lookups()
        except Exception:  # searches sort what they need themselves
            logger.exception("warming generation %s failed", self.name)

    @cached_property
    def persons(self) -> PersonTable:
        """The generation's person table (persons.py), read when first asked for; an
        empty one if the generation has none."""
        return load_table(self.path) or PersonTable({}, {}, {})

    @cached_property
    def speller(self) -> Speller:
        """Near spellings among the generation's words (spelling.py)."""
        return Speller(self.searcher.reader(), self.lexicon)

    def trim_caches(self) -> None:
        """Whoosh's searcher remembers the idf of every term a phrase check looked up,
        and every filter, without bound: emptied once they pass WHOOSH_CACHE_ENTRIES."""
        for name in ("_idf_cache", "_filter_cache"):
            cache = getattr(self.searcher, name, None)
            if isinstance(cache, dict) and len(cache) > WHOOSH_CACHE_ENTRIES:
                cache.clear()

    def record(self, docnum: int) -> Statement:
        """The statement stored as document `docnum` (shared between requests: read it,
        never change it)."""
        statement = self.records.get(docnum)
        if statement is None:
            stored = self.searcher.stored_fields(docnum)["record"]
            statement = Statement.from_json(orjson.loads(stored))
            # its strings take up to two bytes a character (lead and body overlap little)
            self.records.put(docnum, statement, 2 * len(stored))
        return statement

    def _others(self, docnum: int) -> list[int]:
        """The other documents of the document's group, in LANGS order, then by id."""
        g = self.columns.group[docnum]
        group = self.group_order[self.group_starts[g] : self.group_starts[g + 1]]
        return [d for d in group.tolist() if d != docnum]

    def translations(self, docnum: int) -> list[Statement]:
        """The other statements of the document's group, in LANGS order, then by id."""
        return [self.record(d) for d in self._others(docnum)]

    def translation_links(self, docnum: int) -> list[dict[str, str]]:
        """Id, language and title of each of `translations`, from the columns: a page of
        hits lists its translations without reading their records."""
        titles, ids = self.columns.titles, self.columns.id_texts
        if titles is None or ids is None:
            return [
                {"id": other.id, "lang": other.lang, "title": other.title}
                for other in self.translations(docnum)
            ]
        return [
            {"id": ids[d], "lang": LANGS[self.columns.lang[d]], "title": titles[d]}
            for d in self._others(docnum)
        ]

    def docnum_of(self, statement_id: str) -> int | None:
        docnum = self.searcher.document_number(id=statement_id)
        return int(docnum) if docnum is not None else None
