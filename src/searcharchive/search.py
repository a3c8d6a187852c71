"""The one search API: `Archive.open(path).search(SearchRequest(...)) -> SearchResult`.

The CLI, the web app, the feeds, the CSV export and the benchmark all call it;
nothing else talks to Whoosh. An `Archive` follows the published generation:
each call checks CURRENT and, when the indexer has published a new one, opens
it (searcher + facet columns) and answers from it; a call that started on the
old generation finishes on it. Every answer names the generation it came from,
and a caller that needs several calls to agree (the CSV export's pages) pins
one with `at=`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index

from .columns import Columns, load_columns
from .errors import ArchiveError, BadParameter, IndexCorrupt
from .facets import count_facets, filter_mask
from .gazetteer import Gazetteer
from .labels import Labeller
from .matching import Evaluator
from .order import Order
from .persons import PersonTable, load_table
from .postings import LiveLexicon, Postings
from .query import Note, ParsedQuery, parse_query
from .snippets import Matcher, highlight, plain
from .statement import LANGS, Statement
from .store import IndexStore, check_schema, stored_gazetteers

SORTS = ("relevance", "newest", "oldest")
MAX_SIZE = 100
MAX_PAGE = 10_000
RELOAD_CHECK_SECONDS = 0.2
WHOOSH_CACHE_ENTRIES = 10_000  # Whoosh's searcher caches (unbounded of themselves)
logger = logging.getLogger("searcharchive")


@dataclass
class SearchRequest:
    q: str = ""
    tags: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    sort: str = ""  # relevance when there is a query, else newest
    page: int = 1
    size: int = 10
    exact: bool = False
    ui_lang: str = "en"  # labels, and the language preferred as a group's face

    def validated(self) -> SearchRequest:
        if self.sort and self.sort not in SORTS:
            raise BadParameter(f"sort must be one of {', '.join(SORTS)}, not '{self.sort}'")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise BadParameter("the 'from' date is after the 'to' date")
        bad_langs = [lang for lang in self.langs if lang not in LANGS]
        if bad_langs:
            raise BadParameter(f"unknown language '{bad_langs[0]}' (en, be or ru)")
        self.page = min(max(1, self.page), MAX_PAGE)
        self.size = min(max(1, self.size), MAX_SIZE)
        return self

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q.strip() else "newest")

    def selections(self) -> dict[str, list[str]]:
        return {
            "tag": self.tags,
            "org": self.orgs,
            "article": [a.lower() for a in self.articles],
            "lang": self.langs,
        }


@dataclass
class Hit:
    statement: Statement
    snippet: str
    score: float | None
    translations: list[dict[str, str]]
    matched_forms: list[str]

    def to_json(self) -> dict[str, Any]:
        s = self.statement
        return {
            "id": s.id,
            "lang": s.lang,
            "title": s.title,
            "date": s.date.iso() if s.date else None,
            "tags": s.tags,
            "organizations": s.organizations,
            "articles": s.articles,
            "persons": s.persons,
            "group": s.group,
            "lead": s.lead,
            "snippet": self.snippet,
            "translations": self.translations,
            "matched": self.matched_forms,
        }


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[dict[str, Any]]]
    notes: list[Note]
    generation: str

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.size))

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "page": self.request.page,
            "size": self.request.size,
            "sort": self.request.effective_sort,
            "hits": [hit.to_json() for hit in self.hits],
            "facets": self.facets,
            "notes": [str(note) for note in self.notes],
            "generation": self.generation,
        }


@dataclass
class Found:
    """A statement, its translations, and the generation they were read from."""

    statement: Statement
    translations: list[Statement]
    generation: str


def _identity(path: Path) -> tuple[int, int]:
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
        self.identity = (path, _identity(path))
        check_schema(path)
        try:
            self.index = whoosh_index.open_dir(str(path))
            self.searcher = self.index.searcher()
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
            self.labels = Labeller(self.organizations, persons)
        except Exception as error:
            raise IndexCorrupt(f"the index generation {path} cannot be read: {error}") from None
        self.order = Order(self.columns)
        # live documents, group by group (group g from group_starts[g] to group_starts[g + 1])
        self.group_order = self.order.by_group
        counts = np.bincount(self.columns.group[self.group_order], minlength=1)
        self.group_starts = np.concatenate(([0], np.cumsum(counts)))
        self.lock = threading.Lock()

    @cached_property
    def persons(self) -> PersonTable:
        """The generation's person table (persons.py), read when first asked for; an
        empty one if the generation has none."""
        return load_table(self.path) or PersonTable({}, {}, {})

    def trim_caches(self) -> None:
        """Whoosh's searcher remembers the idf of every term a phrase check looked up,
        and every filter, without bound: emptied once they pass WHOOSH_CACHE_ENTRIES."""
        for name in ("_idf_cache", "_filter_cache"):
            cache = getattr(self.searcher, name, None)
            if isinstance(cache, dict) and len(cache) > WHOOSH_CACHE_ENTRIES:
                cache.clear()

    def record(self, docnum: int) -> Statement:
        return Statement.from_json(json.loads(self.searcher.stored_fields(docnum)["record"]))

    def translations(self, docnum: int) -> list[Statement]:
        """The other statements of the document's group, in LANGS order, then by id."""
        g = self.columns.group[docnum]
        group = self.group_order[self.group_starts[g] : self.group_starts[g + 1]]
        return [self.record(int(d)) for d in group if d != docnum]

    def docnum_of(self, statement_id: str) -> int | None:
        docnum = self.searcher.document_number(id=statement_id)
        return int(docnum) if docnum is not None else None


class Archive:
    def __init__(self, index_dir: str | Path):
        self.store = IndexStore(index_dir)
        self._generation: Generation | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self.problem: str | None = None  # why a newer generation is not being served

    @property
    def labels(self) -> Labeller:
        """Names of facet values in the published generation (its gazetteers')."""
        return self.generation().labels

    @property
    def organizations(self) -> Gazetteer:
        return self.generation().organizations

    @classmethod
    def open(cls, index_dir: str | Path) -> Archive:
        archive = cls(index_dir)
        archive.generation()
        return archive

    def generation(self) -> Generation:
        """The published generation, reopened when CURRENT names a new one."""
        now = time.monotonic()
        current = self._generation
        if current is not None and now - self._checked < RELOAD_CHECK_SECONDS:
            return current
        with self._lock:
            self._checked = now
            try:
                path = self.store.require_current()
                identity = _identity(path)
                if self._generation is None or (path, identity) != self._generation.identity:
                    self._generation = Generation(path)
                self.problem = None
            except ArchiveError as error:
                if self._generation is None:
                    raise
                # keep answering from the last good generation; /healthz says why
                self.problem = str(error)
                logger.error("cannot switch index generation: %s", error)
            return self._generation

    def get(self, statement_id: str) -> Found | None:
        """A statement and its translations, or None."""
        gen = self.generation()
        with gen.lock:
            try:
                docnum = gen.docnum_of(statement_id)
                if docnum is None:
                    return None
                return Found(gen.record(docnum), gen.translations(docnum), gen.name)
            except Exception as error:
                raise IndexCorrupt(
                    f"the index generation {gen.path} cannot be read: {error}"
                ) from None

    def search(self, request: SearchRequest, at: Generation | None = None) -> SearchResult:
        """Answer `request` from the published generation, or from `at` when given."""
        request = request.validated()
        gen = at or self.generation()
        with gen.lock:
            try:
                parsed = parse_query(request.q, gen.organizations, request.exact, gen.lexicon)
                return self._search(gen, request, parsed)
            except ArchiveError:
                raise
            except Exception as error:  # Whoosh on damaged files raises bare Exceptions
                raise IndexCorrupt(
                    f"the index generation {gen.path} cannot be read: {error}"
                ) from None
            finally:
                gen.trim_caches()

    def _search(self, gen: Generation, request: SearchRequest, parsed: ParsedQuery) -> SearchResult:
        columns = gen.columns
        base = columns.alive.copy()
        scores = None
        if parsed.query is not None:
            matched, scores = gen.evaluator.run(parsed.query)
            base &= matched
        dated = self._date_mask(columns, request)
        selections = request.selections()
        mask = base & dated & filter_mask(columns, selections)
        total = gen.order.groups(mask)
        offset = (request.page - 1) * request.size
        if request.effective_sort == "relevance" and scores is not None:
            page = self._ranked_page(gen, scores, mask, offset, request.size)
        else:
            page = self._dated_page(gen, mask, request, offset)
        facets = count_facets(columns, base, dated, selections)
        matchers: dict[tuple[str, bool], Matcher] = {}
        hits = [self._hit(gen, docnum, score, parsed, request, matchers) for docnum, score in page]
        return SearchResult(
            request,
            total,
            hits,
            gen.labels.facets(facets, request.ui_lang),
            parsed.notes,
            gen.name,
        )

    def _date_mask(self, columns: Columns, request: SearchRequest) -> np.ndarray:
        """Partial dates are intervals: a statement of "2020-07" overlaps any range touching July."""
        if not (request.date_from or request.date_to):
            return np.ones(columns.size, dtype=bool)
        mask = columns.date_start > 0
        if request.date_from:
            mask &= columns.date_end >= int(request.date_from.strftime("%Y%m%d"))
        if request.date_to:
            mask &= columns.date_start <= int(request.date_to.strftime("%Y%m%d"))
        return mask

    def _dated_page(
        self, gen: Generation, mask: np.ndarray, request: SearchRequest, offset: int
    ) -> list[tuple[int, float | None]]:
        # relevance without a query to score by lists the oldest first, as it always has
        sort = "newest" if request.effective_sort == "newest" else "oldest"
        preferred = LANGS.index(request.ui_lang) if request.ui_lang in LANGS else 0
        faces = gen.order.dated(mask, sort, preferred, offset, request.size)
        return [(int(d), None) for d in faces]

    def _ranked_page(
        self, gen: Generation, scores: np.ndarray, mask: np.ndarray, offset: int, size: int
    ) -> list[tuple[int, float | None]]:
        """The best document of each group, groups ordered by that score."""
        return list(gen.order.ranked(scores, mask, offset, size))

    def _hit(
        self,
        gen: Generation,
        docnum: int,
        score: float | None,
        parsed: ParsedQuery,
        request: SearchRequest,
        matchers: dict[tuple[str, bool], Matcher],
    ) -> Hit:
        statement = gen.record(docnum)
        matcher = None
        if parsed.words:
            key = (statement.lang, request.exact)
            if key not in matchers:  # one per language: it remembers each word's verdict
                matchers[key] = Matcher(parsed.words, statement.lang, request.exact, parsed.names)
            matcher = matchers[key]
        translations = [
            {"id": other.id, "lang": other.lang, "title": other.title}
            for other in gen.translations(docnum)
        ]
        snippet = highlight(statement.body or statement.title, matcher, articles=parsed.articles)
        # the other spellings that matched, as the reader sees them: in the title or snippet
        shown = f"{statement.title}\n{plain(snippet)}"
        matched = matcher.other_forms(shown) if matcher else []
        return Hit(statement, str(snippet), score, translations, matched)
