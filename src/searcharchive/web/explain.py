"""A search that explains itself: how the query was read, which other spellings it
matched, and, when nothing matches, only the changes that would widen this search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import product
from typing import Any

from ..archive import SearchResult
from ..citations import citation_label, parent_ids
from ..facet_table import SELECTABLE
from ..request import SearchRequest
from ..spelling import respell_query
from .links import search_url
from .locale import gettext as _
from .params import request_params


@dataclass
class ReadArticle:
    """An article the query cites, as the line under the search box names it; a part
    offers the search for its whole article."""

    label: str
    whole_label: str | None = None
    whole_url: str | None = None


@dataclass
class Suggestion:
    text: str
    url: str | None  # None: advice without a link ("fewer words")
    count: int | None = None  # how many statements the changed search finds


def read_articles(result: SearchResult, prefix: str) -> list[ReadArticle]:
    lang = result.request.ui_lang
    out = []
    for cid in result.articles:
        read = ReadArticle(citation_label(cid, lang))
        parents = parent_ids(cid)
        if len(parents) >= 2:  # a part: code, article, part
            whole = parents[-1]
            changed = replace(result.request, q=f"article:{whole}")
            read.whole_label = citation_label(whole, lang)
            read.whole_url = search_url(prefix, request_params(changed))
        out.append(read)
    return out


def other_spellings(result: SearchResult) -> list[str]:
    """The other spellings the hits of this page matched, each once, in order."""
    forms = [form for hit in result.hits for form in hit.matched_forms]
    return list(dict.fromkeys(forms))


MAX_RESPELLINGS = 4  # respelt queries counted for one page (a bound on the work)
MAX_NEAR = 2  # of which shown at most


def respelt_queries(query: str, near: dict[str, list[str]]) -> list[str]:
    """The query with its misspelt words replaced by near spellings (`near`: each word's,
    best first), the likeliest first: every word's best guess, then the next guesses."""
    words = list(near)
    choices = sorted(product(*(range(len(near[w])) for w in words)), key=lambda c: (sum(c), c))
    queries = []
    for choice in choices[:MAX_RESPELLINGS]:
        respelt = query
        for word, i in zip(words, choice, strict=True):
            respelt = respell_query(respelt, word, near[word][i])
        if respelt != query:
            queries.append(respelt)
    return list(dict.fromkeys(queries))


def near_spellings(
    result: SearchResult,
    prefix: str,
    count: Callable[[SearchRequest], int],
    near: Callable[[list[str], bool], dict[str, list[str]]],
) -> list[Suggestion]:
    """A "did you mean": the query with near spellings (spelling.py) of the words that
    find nothing, in the case they were typed, each with how many statements it finds
    under the same filters; only those that find some."""
    request = result.request
    if result.total or not result.words:
        return []
    out: list[Suggestion] = []
    for query in respelt_queries(request.q, near(result.words, request.exact)):
        changed = replace(request, q=query, page=1)
        found = count(changed)
        if found:
            text = _("Did you mean “%(query)s”?") % {"query": query}
            out.append(Suggestion(text, search_url(prefix, request_params(changed)), found))
        if len(out) == MAX_NEAR:
            break
    return out


def suggestions(
    result: SearchResult,
    prefix: str,
    count: Callable[[SearchRequest], int],
    near: Callable[[list[str], bool], dict[str, list[str]]] | None = None,
) -> list[Suggestion]:
    """For a search without hits, the changes that would give some (`count` answers how
    many a changed request finds): a near spelling of a word that finds nothing (`near`
    gives them), never advice that does not apply, such as removing filters a search
    does not have, or a wider range that finds nothing either."""
    request = result.request
    if result.total:
        return []
    respelt = near_spellings(result, prefix, count, near) if near else []
    candidates = []
    if request.exact:
        candidates.append(
            (_("Search other spellings and word forms too"), replace(request, exact=False))
        )
    if request.date_from or request.date_to:
        candidates.append((_("Search all dates"), replace(request, date_from=None, date_to=None)))
    chosen = [getattr(request, facet.field) for facet in SELECTABLE]
    cleared: dict[str, Any] = {facet.field: [] for facet in SELECTABLE}
    if any(chosen) or request.undated:
        unfiltered = replace(request, undated=False, **cleared)
        candidates.append((_("Remove the filters"), unfiltered))
    out: list[Suggestion] = []
    for text, changed in candidates:
        found = count(replace(changed, page=1))
        if found:
            out.append(Suggestion(text, search_url(prefix, request_params(changed)), found))
    if not out and len(candidates) > 1:  # no one change is enough: all of them at once
        widest = replace(
            request, exact=False, date_from=None, date_to=None, page=1, undated=False, **cleared
        )
        found = count(widest)
        if found:
            url = search_url(prefix, request_params(widest))
            out.append(Suggestion(_("Search without any of these limits"), url, found))
    if len(result.words) > 1:
        out.append(Suggestion(_("Try fewer words."), None))
    return respelt + out
