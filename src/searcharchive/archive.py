"""The archive: `Archive.open(path).search(SearchRequest(...)) -> SearchResult`, and `get`.

The CLI, the web app, the feeds, the CSV export and the benchmark all call it;
nothing else talks to Whoosh. An `Archive` follows the published generation:
each call checks CURRENT and, when the indexer has published a new one, opens
it (searcher + facet columns) and answers from it; a call that started on the
old generation finishes on it. Every answer names the generation it came from,
and a caller that needs several calls to agree (the CSV export's pages) pins
one with `at=`.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .columns import Columns
from .dates import day_key
from .errors import ArchiveError, IndexCorrupt
from .facet_table import FacetValue
from .facets import count_facets, filter_mask, selections
from .gazetteer import Gazetteer
from .generation import Generation, identity
from .labels import Labeller
from .languages import LANGS
from .query import Note, ParsedQuery, parse_query
from .request import SearchRequest, validated
from .snippets import Matcher, highlight, plain
from .statement import Statement
from .store import IndexStore

RELOAD_CHECK_SECONDS = 0.2
logger = logging.getLogger("searcharchive")


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
    facets: dict[str, list[FacetValue]]  # under each facet's key (facet_table.py)
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
            "facets": {key: [v.to_json() for v in values] for key, values in self.facets.items()},
            "notes": [str(note) for note in self.notes],
            "generation": self.generation,
        }


@dataclass
class Found:
    """A statement, its translations, and the generation they were read from."""

    statement: Statement
    translations: list[Statement]
    generation: str


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
                now_identity = identity(path)
                if self._generation is None or (path, now_identity) != self._generation.identity:
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
        request = validated(request)
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
        chosen = selections(request)
        mask = base & dated & filter_mask(columns, chosen)
        total = gen.order.groups(mask)
        offset = (request.page - 1) * request.size
        if request.effective_sort == "relevance" and scores is not None:
            page = self._ranked_page(gen, scores, mask, offset, request.size)
        else:
            page = self._dated_page(gen, mask, request, offset)
        facets = count_facets(columns, base, dated, chosen)
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
            mask &= columns.date_end >= day_key(request.date_from)
        if request.date_to:
            mask &= columns.date_start <= day_key(request.date_to)
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
                matchers[key] = Matcher(parsed.words, statement.lang, request.exact)
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
