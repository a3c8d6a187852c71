"""The archive: `Archive.open(path).search(SearchRequest(...)) -> SearchResult`, and `get`.

The CLI, the web app, the feeds, the CSV export and the benchmark all call it;
nothing else talks to Whoosh. An `Archive` follows the published generation:
each call checks CURRENT and, when the indexer has published a new one, opens
it (searcher + facet columns) and answers from it; a call that started on the
old generation finishes on it. Every answer names the generation it came from,
and a caller that needs several calls to agree (the CSV export's pages) pins
one with `at=`. A generation whose folder is replaced while a call reads it
(the whole index directory swapped by rename) fails that read; the call then
answers from the generation published now.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from .columns import Columns
from .dates import day_key
from .errors import N_, ArchiveError, IndexCorrupt
from .facet_table import BY_NAME, FacetValue
from .facets import count_facets, filter_mask, selections
from .gazetteer import Gazetteer
from .generation import Generation, identity
from .labels import Labeller
from .languages import LANGS
from .query import Note, ParsedQuery, parse_query
from .request import SearchRequest, validated
from .snippets import Matcher, highlight, mark_words, plain
from .statement import Statement
from .store import IndexStore

T = TypeVar("T")
RELOAD_CHECK_SECONDS = 0.2
MAX_RESPELT = 3  # query words looked up for near spellings (a bound on the work)
FACET_VALUE_BYTES = 400  # a labelled FacetValue with its strings, for the answers' cache
logger = logging.getLogger("searcharchive")


@dataclass
class Hit:
    statement: Statement
    snippet: str
    title_html: str  # the title escaped, the query's words in <mark> as in the snippet
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
            "authors": s.authors,
            "articles": s.articles,
            "persons": s.persons,
            "group": s.group,
            "lead": s.lead,
            "title_html": self.title_html,
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
    # the date facet's undated row (a documented special case beside `facets`: no year
    # holds it): results without a date, under every filter but the date's, as years are
    undated: int = 0
    # how many values each facet has (under its key): more than `facets` lists when the
    # request asked for its most counted values only (SearchRequest.facet_size)
    facet_totals: dict[str, int] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)  # the query's plain words, as parsed
    articles: list[str] = field(default_factory=list)  # the articles the query cites

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.size))

    def to_json(self, facets: dict[str, list[FacetValue]] | None = None) -> dict[str, Any]:
        """The result as JSON, with every facet value, or only those of `facets` given."""
        listed = self.facets if facets is None else facets
        return {
            "total": self.total,
            "page": self.request.page,
            "size": self.request.size,
            "sort": self.request.effective_sort,
            "hits": [hit.to_json() for hit in self.hits],
            "facets": {key: [v.to_json() for v in values] for key, values in listed.items()},
            "undated": self.undated,
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
    def __init__(self, index_dir: str | Path, warm: bool = False):
        """`warm`: a server's archive, which sorts in the background what later
        searches ask for after a generation's first answer (Generation.warm); a
        one-shot command answers once and needs none of it."""
        self.store = IndexStore(index_dir)
        self.warm = warm
        self._generation: Generation | None = None
        self._checked = 0.0
        self._pointer_seen: tuple[int, int, int] | None = None
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
    def open(cls, index_dir: str | Path, warm: bool = False) -> Archive:
        archive = cls(index_dir, warm)
        archive.generation()
        return archive

    def generation(self) -> Generation:
        """The published generation, reopened when CURRENT names a new one: a stat of
        CURRENT per call (publishing replaces the file, so a new generation is answered
        from at once), and a full look every RELOAD_CHECK_SECONDS."""
        now = time.monotonic()
        current = self._generation
        pointer = self._pointer()
        if (
            current is not None
            and now - self._checked < RELOAD_CHECK_SECONDS
            and pointer == self._pointer_seen
        ):
            return current
        with self._lock:
            self._checked = now
            self._pointer_seen = pointer
            try:
                path = self.store.require_current()
                if self._generation is None or (path, identity(path)) != self._generation.identity:
                    self._generation = self._open(path)
                self.problem = None
            except ArchiveError as error:
                if self._generation is None:
                    raise
                # keep answering from the last good generation; /healthz says why
                self.problem = str(error)
                logger.error("cannot switch index generation: %s", error)
            return self._generation

    def _pointer(self) -> tuple[int, int, int] | None:
        """CURRENT's inode and time: another file once a run has published."""
        try:
            info = os.stat(self.store.current_file)
        except OSError:
            return None
        return (info.st_dev, info.st_ino, info.st_mtime_ns)

    def _open(self, path: Path) -> Generation:
        """Open a generation; if its folder was replaced while it was being opened (the
        index directory swapped by rename), open the one published now instead."""
        before = identity(path)
        try:
            return Generation(path)
        except IndexCorrupt:
            if identity(path) == before and self.store.require_current() == path:
                raise
            return Generation(self.store.require_current())

    @staticmethod
    def _replaced(gen: Generation) -> bool:
        """Its folder is no longer the one it was opened from, or is gone."""
        return (gen.path, identity(gen.path)) != gen.identity

    def _read(self, gen: Generation, work: Callable[[Generation], T]) -> T:
        with gen.lock:
            try:
                return work(gen)
            except ArchiveError:
                raise
            except Exception as error:  # Whoosh on damaged files raises bare Exceptions
                raise IndexCorrupt(
                    f"the index generation {gen.path} cannot be read: {error}"
                ) from None
            finally:
                gen.trim_caches()
                if self.warm:
                    gen.warm()  # after its first answer, which need not wait for it

    def _answer(self, at: Generation | None, work: Callable[[Generation], T]) -> T:
        """`work` on the pinned or the published generation, once more on the generation
        published now if the folder of the one it read was replaced under it."""
        gen = at or self.generation()
        try:
            return self._read(gen, work)
        except IndexCorrupt:
            if at is not None or not self._replaced(gen):
                raise
            logger.warning("generation %s was replaced while read; reading anew", gen.path)
            self._checked = 0.0  # look at CURRENT now, not after RELOAD_CHECK_SECONDS
            return self._read(self.generation(), work)

    def get(self, statement_id: str) -> Found | None:
        """A statement and its translations, or None."""

        def found(gen: Generation) -> Found | None:
            docnum = gen.docnum_of(statement_id)
            if docnum is None:
                return None
            return Found(gen.record(docnum), gen.translations(docnum), gen.name)

        return self._answer(None, found)

    def search(self, request: SearchRequest, at: Generation | None = None) -> SearchResult:
        """Answer `request` from the published generation, or from `at` when given."""
        request = validated(request)

        def answer(gen: Generation) -> SearchResult:
            parsed = parse_query(
                request.q, gen.organizations, request.exact, gen.lexicon, lambda: gen.persons
            )
            return self._search(gen, request, parsed)

        return self._answer(at, answer)

    def near_spellings(self, words: list[str], exact: bool = False) -> dict[str, list[str]]:
        """Near spellings (spelling.py) of each of the first MAX_RESPELT words that find
        nothing on their own (stems and other scripts included, unless `exact`), for
        suggestions when a search has no hits; words that find something are left out."""

        def near(gen: Generation) -> dict[str, list[str]]:
            found: dict[str, list[str]] = {}
            for word in words[:MAX_RESPELT]:
                parsed = parse_query(word, gen.organizations, exact, gen.lexicon)
                if parsed.query is not None and gen.evaluator.run(parsed.query)[0].any():
                    continue
                found[word] = gen.speller.near(word)
            return {word: near for word, near in found.items() if near}

        return self._answer(None, near)

    def _search(self, gen: Generation, request: SearchRequest, parsed: ParsedQuery) -> SearchResult:
        columns = gen.columns
        base = columns.alive.copy()
        scores = None
        if parsed.query is not None:
            matched, scores = gen.evaluator.run(parsed.query)
            base &= matched
        dated = self._date_mask(columns, request)
        chosen = selections(request)
        # the whole archive, unfiltered: its facets are the same for every such request
        everything = parsed.query is None and not self._narrowed(request, chosen)
        mask = base & dated & filter_mask(columns, chosen)
        total = gen.order.groups(mask)
        offset = (request.page - 1) * request.size
        if request.effective_sort == "relevance" and scores is not None:
            page = self._ranked_page(gen, scores, mask, offset, request.size)
        else:
            page = self._dated_page(gen, mask, request, offset)
        facets, totals, undated = self._facets(gen, request, base, dated, chosen, everything)
        matchers: dict[tuple[str, bool], Matcher] = {}
        hits = [self._hit(gen, docnum, score, parsed, request, matchers) for docnum, score in page]
        notes = [*parsed.notes, *self._person_notes(gen, parsed, request.ui_lang)]
        return SearchResult(
            request,
            total,
            hits,
            facets,
            notes,
            gen.name,
            undated,
            totals,
            parsed.words,
            parsed.articles,
        )

    @staticmethod
    def _person_notes(gen: Generation, parsed: ParsedQuery, ui_lang: str) -> list[Note]:
        """`person:` that named one person: which one, in the reader's language."""
        return [
            Note(
                N_("person: searched for %(name)s in every spelling"),
                (("name", gen.persons.display_name(pid, ui_lang) or pid),),
            )
            for pid in parsed.persons
        ]

    @staticmethod
    def _narrowed(request: SearchRequest, chosen: dict[str, list[str]]) -> bool:
        """A date range, undated only, or a facet value narrows the documents searched."""
        dates = bool(request.date_from or request.date_to or request.undated)
        return dates or any(chosen.values())

    def _facets(
        self,
        gen: Generation,
        request: SearchRequest,
        base: np.ndarray,
        dated: np.ndarray,
        chosen: dict[str, list[str]],
        everything: bool,
    ) -> tuple[dict[str, list[FacetValue]], dict[str, int], int]:
        """The labelled facet counts, how many values each facet has (by key) and the
        undated row; those of the whole archive (`everything`) are counted once per
        generation, UI language and facet size."""
        key = ("everything", request.ui_lang, request.facet_size)
        cached = gen.answers.get(key) if everything else None
        if cached is None:
            columns = gen.columns
            counts, totals = count_facets(
                columns, base, dated, chosen, request.facets_within, request.facet_size
            )
            # the date facet's "undated" row: counted as its year rows are (every filter
            # but the date's), but kept beside them, for no year column holds undated ones
            undated_mask = base & filter_mask(columns, chosen) & (columns.date_start == 0)
            cached = (
                gen.labels.facets(counts, request.ui_lang),
                {BY_NAME[name].key: total for name, total in totals.items()},
                gen.order.groups(undated_mask),
            )
            if everything:
                gen.answers.put(key, cached, FACET_VALUE_BYTES * sum(map(len, counts.values())))
        facets, totals, undated = cached
        # a caller may reorder its result's lists; the values themselves are never changed
        return {name: list(values) for name, values in facets.items()}, dict(totals), undated

    def _date_mask(self, columns: Columns, request: SearchRequest) -> np.ndarray:
        """Partial dates are intervals: a statement of "2020-07" overlaps any range touching July."""
        if request.undated:
            return columns.date_start == 0
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
                matchers[key] = Matcher(parsed.words, statement.lang, request.exact, parsed.names)
            matcher = matchers[key]
        translations = gen.translation_links(docnum)
        snippet = highlight(
            statement.body or statement.title,
            matcher,
            articles=parsed.articles,
            summary=statement.lead,
            cited=statement.cited,
        )
        # the other spellings that matched, as the reader sees them: in the title or snippet
        shown = f"{statement.title}\n{plain(snippet)}"
        matched = matcher.other_forms(shown) if matcher else []
        title = mark_words(statement.title, matcher)
        return Hit(statement, str(snippet), str(title), score, translations, matched)
