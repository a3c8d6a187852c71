"""The request model: what a search asks for, and the one validator every caller uses.

The web app, the CLI and the benchmark build a `SearchRequest` and `Archive.search`
validates it with `validated`, which returns a checked copy (`dataclasses.replace`)
and never changes the request it was given. A refusal is a `BadParameter` carrying a
gettext message id and its values: the web shows it translated, the CLI in English.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from .errors import N_, BadDate, BadParameter
from .languages import LANGS

SORTS = ("relevance", "newest", "oldest")
DEFAULT_SIZE = 10
MAX_SIZE = 100
MAX_PAGE = 10_000
MAX_QUERY_CHARS = 500


# the facet size of a request whose page shows no facet value (a feed, a CSV export, a
# statement's neighbours in a search): each flat facet labels its most counted value only
NO_FACET_VALUES = 1


@dataclass
class SearchRequest:
    q: str = ""
    tags: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)  # by these organizations (authors, signatories)
    mentions: list[str] = field(default_factory=list)  # naming these organizations
    persons: list[str] = field(default_factory=list)  # naming these persons (persons.py ids)
    articles: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    sort: str = ""  # relevance when there is a query, else newest
    page: int = 1
    size: int = DEFAULT_SIZE
    exact: bool = False
    undated: bool = False  # only statements without a date (from/to are then ignored)
    ui_lang: str = "en"  # labels, and the language preferred as a group's face
    # every facet counted within the results, its own selection included: the values most
    # often beside the selected ones (an entity's page). By default a facet is counted
    # under every other facet's selection but not its own, so a reader can widen a choice.
    facets_within: bool = False
    # a flat facet listed most counted first (tags, organizations, persons): only its
    # `facet_size` most counted values (and those tied with the last) and the selected ones
    # are listed, for a page that shows no more; 0: every value. `SearchResult.facet_totals`
    # says how many values each facet has.
    facet_size: int = 0

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q.strip() else "newest")


def validated(request: SearchRequest, problems: list[BadDate] | None = None) -> SearchRequest:
    """`request` checked, its page and size brought within bounds: a new request.

    A reversed date range is a `BadDate`: raised, or, when the caller gives a
    `problems` list (the HTML search page), added to it and the range left out, so
    the reader keeps the query and the other filters."""
    bad_langs = [lang for lang in request.langs if lang not in LANGS]
    if bad_langs:
        raise BadParameter(
            N_("'lang' must be one of %(choices)s, not '%(value)s'"),
            choices=", ".join(LANGS),
            value=bad_langs[0][:40],
        )
    if request.sort and request.sort not in SORTS:
        raise BadParameter(
            N_("'sort' must be relevance, newest or oldest, not '%(value)s'"),
            value=request.sort[:40],
        )
    if request.date_from and request.date_to and request.date_from > request.date_to:
        reversed_range = BadDate(
            N_("the 'from' date is after the 'to' date"),
            N_("The “from” date is after the “to” date: no date range was applied."),
        )
        if problems is None:
            raise reversed_range
        problems.append(reversed_range)
        request = replace(request, date_from=None, date_to=None)
    return replace(
        request,
        page=min(max(1, request.page), MAX_PAGE),
        size=min(max(1, request.size), MAX_SIZE),
        facet_size=max(0, request.facet_size),
    )
