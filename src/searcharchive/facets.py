"""Disjunctive facet counts over per-generation columns.

OR inside a facet, AND across facets; each facet is counted with every other
facet's filter applied but not its own, so a reader can widen a choice. Counts
are of results, that is of translation groups, the unit the hit list shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .columns import Columns, Pairs
from .facet_table import FACETS, SELECTABLE

if TYPE_CHECKING:
    from .request import SearchRequest


def selections(request: SearchRequest) -> dict[str, list[str]]:
    """The values a request selects, facet by facet (facet_table.SELECTABLE)."""
    chosen: dict[str, list[str]] = {}
    for facet in SELECTABLE:
        values: list[str] = getattr(request, facet.field)
        chosen[facet.name] = [v.lower() for v in values] if facet.lowercase else values
    return chosen


@dataclass
class FacetCount:
    value: str
    count: int
    selected: bool


def value_mask(columns: Columns, facet: str, selected: list[str]) -> np.ndarray | None:
    """Documents having any of the selected values (OR), or None when nothing is selected."""
    if not selected:
        return None
    mask = np.zeros(columns.size, dtype=bool)
    pairs = columns.facets[facet]
    for value in selected:
        mask[pairs.docs_of(value)] = True
    return mask


SMALL = 0.02  # below this share of documents, count from the documents, not all pairs


def distinct_group_counts(pairs: Pairs, mask: np.ndarray) -> np.ndarray:
    """Per value, how many distinct groups have a masked document with that value."""
    docs = np.flatnonzero(mask)
    if len(docs) < SMALL * len(mask):
        values, groups = pairs.of_docs(docs)
        if not len(values):
            return np.zeros(len(pairs.values), dtype=np.int64)
        keys = np.unique(values.astype(np.int64) * (int(groups.max()) + 1) + groups)
        return np.bincount(keys // (int(groups.max()) + 1), minlength=len(pairs.values))
    keep = mask[pairs.docs]
    values = pairs.value_of[keep]
    groups = pairs.groups[keep]
    if not len(values):
        return np.zeros(len(pairs.values), dtype=np.int64)
    # pairs are sorted by (value, group): a new group starts where either changes
    first = np.ones(len(values), dtype=bool)
    first[1:] = (values[1:] != values[:-1]) | (groups[1:] != groups[:-1])
    return np.bincount(values[first], minlength=len(pairs.values))


def count_facets(
    columns: Columns,
    base: np.ndarray,
    dated: np.ndarray,
    selections: dict[str, list[str]],
) -> dict[str, list[FacetCount]]:
    """`base` is query and liveness; `dated` is the from/to range (its own facets ignore it)."""
    masks = {f.name: value_mask(columns, f.name, selections.get(f.name, [])) for f in SELECTABLE}
    counts: dict[str, list[FacetCount]] = {}
    for facet in FACETS:
        name = facet.name
        mask = base.copy() if facet.kind == "date" else base & dated
        for other, other_mask in masks.items():
            if other != name and other_mask is not None:
                mask &= other_mask
        pairs = columns.facets[name]
        per_value = distinct_group_counts(pairs, mask)
        chosen = set(selections.get(name, []))
        counts[name] = [
            FacetCount(value, int(count), value in chosen)
            for value, count in zip(pairs.values, per_value, strict=True)
            if count or value in chosen
        ]
    return counts


def filter_mask(columns: Columns, selections: dict[str, list[str]]) -> np.ndarray:
    mask = np.ones(columns.size, dtype=bool)
    for facet in SELECTABLE:
        selected = value_mask(columns, facet.name, selections.get(facet.name, []))
        if selected is not None:
            mask &= selected
    return mask
