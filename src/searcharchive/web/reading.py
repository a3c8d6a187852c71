"""A statement page as a reader reaches it: from a search (its words marked, the
previous and next hits), with where it came from and how to cite it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from markupsafe import Markup
from starlette.requests import Request

from ..archive import Archive
from ..dates import PartialDate
from ..errors import BadParameter
from ..i18n import format_partial_date
from ..request import DEFAULT_SIZE, MAX_SIZE, NO_FACET_VALUES, SearchRequest
from ..snippets import Matcher, mark_words
from ..statement import Statement
from .links import hit_url, public_base, search_url, statement_url, with_page
from .locale import gettext as _
from .params import int_param, request_params, search_request

MAX_HIT = 100_000  # a hit's place in a search, as the statement URL carries it


@dataclass
class Neighbour:
    title: str
    url: str


@dataclass
class FromSearch:
    """The search a statement page was opened from."""

    back_url: str  # the page of results the statement is on
    position: int
    total: int
    previous: Neighbour | None
    next: Neighbour | None
    words: list[str]
    exact: bool


def from_search(request: Request, archive: Archive, statement: Statement) -> FromSearch | None:
    """The search of a statement URL that carries one (`?q=…&hit=N`), or None. A URL
    whose search cannot be read still shows the statement, only without it."""
    params = request.query_params
    if "hit" not in params:
        return None
    try:
        position = int_param(params, "hit", 1, 1, MAX_HIT)
        search = replace(
            search_request(params, request.state.ui_lang, size=1, problems=[]),
            facet_size=NO_FACET_VALUES,
        )
    except BadParameter:
        return None
    prefix = request.state.lang_prefix
    size = int_param(params, "size", DEFAULT_SIZE, 1, MAX_SIZE)
    neighbours: dict[int, Neighbour] = {}
    words: list[str] = []
    total = 0
    for place in (position - 1, position + 1):
        if place < 1:
            continue
        result = archive.search(replace(search, page=place, size=1))
        words, total = result.words, result.total
        if result.hits:
            hit = result.hits[0].statement
            url = _hit_url(prefix, search, place, hit.id)
            neighbours[place] = Neighbour(hit.title, url)
    back = search_url(prefix, with_page(replace(search, size=size), (position - 1) // size + 1))
    return FromSearch(
        back,
        position,
        total,
        neighbours.get(position - 1),
        neighbours.get(position + 1),
        words,
        search.exact,
    )


def _hit_url(prefix: str, search: SearchRequest, place: int, statement_id: str) -> str:
    params = [p for p in request_params(search) if p[0] != "size"]
    return hit_url(prefix, params, place, statement_id)


def marked_text(statement: Statement, found: FromSearch | None) -> tuple[Markup, list[Markup]]:
    """The title and the body's paragraphs, escaped, the search's words marked when
    there is one."""
    matcher = Matcher(found.words, statement.lang, found.exact) if found and found.words else None
    paragraphs = [mark_words(p, matcher) for p in statement.body.split("\n\n")]
    return mark_words(statement.title, matcher), paragraphs


def translated_note(statement: Statement) -> str:
    """What the archive's translation was made from, in the reader's language."""
    notes = {
        "en": _("Translated by the archive from English."),
        "be": _("Translated by the archive from Belarusian."),
        "ru": _("Translated by the archive from Russian."),
    }
    return notes.get(
        statement.translated_from,
        _("Translated by the archive; the original is in another language."),
    )


@dataclass
class Citation:
    title: str
    organizations: list[str]
    date: str
    permalink: str
    accessed: str


def citation(
    request: Request, statement: Statement, organizations: list[str], today: date
) -> Citation:
    """A "cite this" block: the permalink is absolute and carries no search."""
    lang = request.state.ui_lang
    base = public_base(request)
    return Citation(
        statement.title,
        organizations,
        format_partial_date(statement.date, lang, _("undated")),
        base + statement_url(request.state.lang_prefix, statement.id),
        format_partial_date(PartialDate(today.year, today.month, today.day), lang, ""),
    )
