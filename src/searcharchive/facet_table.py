"""The facet table: every facet defined once, and the typed value every facet lists.

A facet is a column of per-document values (columns.py fills it from each record,
under the facet's `name`), counted by facets.py, labelled by labels.py, linked by
web/links.py, listed by the JSON API under `key` and shown on the search page under
`heading`. A request selects values of a flat or tree facet through `field` (a
SearchRequest attribute, ?`param`=… in URLs); a date facet is chosen by from/to.

Adding a facet is a row here, its values in columns._doc_values, a request field,
and (when its values need one) a label in labels.Labeller.label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import N_


@dataclass(frozen=True)
class Facet:
    name: str  # the column, and the label lookup ("org")
    key: str  # the JSON key of its values ("organization")
    heading: str  # gettext message id of its heading on the search page
    kind: Literal["flat", "tree", "date"]
    param: str = ""  # the URL parameter selecting values (?org=…); "" for date facets
    field: str = ""  # the SearchRequest attribute holding the selection ("orgs")
    by_count: bool = False  # values listed most counted first (else in the column's order)
    lowercase: bool = False  # selections compared in lower case (article ids)
    nested: bool = False  # each value names its `parent` (cc:342 -> cc, 2020-07 -> 2020)
    entity: str = ""  # the path of its values' own pages (/organizations/{id}); web/entities.py


FACETS: tuple[Facet, ...] = (
    Facet("tag", "tag", N_("Tag"), "flat", "tag", "tags", by_count=True, entity="tags"),
    # by its authors and signatories (roles.py); "mention": every organization it names
    Facet(
        "org",
        "organization",
        N_("By organization"),
        "flat",
        "org",
        "orgs",
        by_count=True,
        entity="organizations",
    ),
    Facet(
        "mention",
        "mention",
        N_("Organizations mentioned"),
        "flat",
        "mention",
        "mentions",
        by_count=True,
        entity="organizations",
    ),
    # the person clusters of persons.py, by id; labelled with the display name
    Facet("person", "person", N_("Person"), "flat", "person", "persons", by_count=True),
    Facet(
        "article",
        "article",
        N_("Legal article"),
        "tree",
        "article",
        "articles",
        lowercase=True,
        nested=True,
        entity="articles",
    ),
    Facet("lang", "lang", N_("Language"), "flat", "lang", "langs"),
    Facet("year", "year", N_("Date"), "date"),
    Facet("month", "month", N_("Date"), "date", nested=True),
)
# a query term on "@<facet name>" is answered by that facet's column (matching.py):
# `person:` resolved to one person cluster is the term ("@person", its id)
COLUMN_FIELD = "@"
SELECTABLE = tuple(f for f in FACETS if f.field)  # chosen by values (OR within, AND across)
BY_NAME = {f.name: f for f in FACETS}
BY_KEY = {f.key: f for f in FACETS}


@dataclass
class FacetValue:
    """One value of a facet for a search (Datasette's facet results are the model):
    `to_json` is what the API lists; the page adds the `url` that toggles it and, in a
    tree, its `children`."""

    facet: Facet
    value: str
    label: str
    count: int
    selected: bool
    parent: str | None = None  # in a nested facet: the value one level up
    title: str | None = None  # in a tree facet: the article's own title
    url: str = ""
    entity_url: str = ""  # its own page (web/entities.py), where its facet has them
    children: list[FacetValue] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "value": self.value,
            "label": self.label,
            "count": self.count,
            "selected": self.selected,
        }
        if self.facet.nested:
            data["parent"] = self.parent
        if self.facet.kind == "tree":
            data["title"] = self.title
        return data
