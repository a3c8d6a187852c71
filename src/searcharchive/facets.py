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


SMALL = 0.02  # below this share of documents, count from the documents' own pairs


DENSE = 0.1  # above this share of documents, groups are hit by a weighted count


def groups_hit(columns: Columns, mask: np.ndarray) -> np.ndarray:
    """Per group ordinal, whether a masked document is in it. A dense mask is summed
    group by group (no branch per document: a third of the time of picking out its
    documents at 30% of 100,000)."""
    if np.count_nonzero(mask) > DENSE * len(mask):
        return np.bincount(columns.group, weights=mask, minlength=len(columns.group_sizes)) > 0
    hit = np.zeros(len(columns.group_sizes), dtype=bool)
    hit[columns.group[mask]] = True
    return hit


class Filtered:
    """A facet mask, how many documents it holds and, computed when first asked for,
    which they are and its `groups_hit`: facets counted under the same filters (most
    often all of them) share them."""

    def __init__(self, columns: Columns, mask: np.ndarray):
        self.columns = columns
        self.mask = mask
        self.count = int(np.count_nonzero(mask))
        self._docs: np.ndarray | None = None
        self._hit: np.ndarray | None = None

    def docs(self) -> np.ndarray:
        if self._docs is None:
            self._docs = np.flatnonzero(self.mask)
        return self._docs

    def hit(self) -> np.ndarray:
        if self._hit is None:
            self._hit = groups_hit(self.columns, self.mask)
        return self._hit


def distinct_group_counts(
    columns: Columns, pairs: Pairs, mask: np.ndarray, filtered: Filtered | None = None
) -> np.ndarray:
    """Per value, how many distinct groups have a masked document with that value.
    `filtered`: the mask's `Filtered`, when the caller keeps it for other facets. A few
    documents are counted from their own pairs once the pairs are sorted by document
    (until then, from a pass over the pairs: a new generation's first searches need
    not wait for that sort, which Generation.warm does)."""
    size = len(pairs.values)
    shared = filtered if filtered is not None else Filtered(columns, mask)
    if not shared.count:
        return np.zeros(size, dtype=np.int64)
    if shared.count < SMALL * len(mask):
        if not pairs.sorted_by_doc:
            keep = mask[pairs.docs]
            return _runs_counted(pairs.value_of[keep], pairs.groups[keep], size)
        values, groups = pairs.of_docs(shared.docs())
        if not len(values):
            return np.zeros(size, dtype=np.int64)
        keys = np.unique(values.astype(np.int64) * (int(groups.max()) + 1) + groups)
        return np.bincount(keys // (int(groups.max()) + 1), minlength=size)
    runs = pairs.group_runs(columns.group_sizes)
    hit_groups = shared.hit()
    counts = runs.whole.sums(hit_groups[runs.whole_groups], size)
    counts += runs.single.sums(mask[runs.single_docs], size)
    keep = mask[runs.mixed_docs]
    return counts + _runs_counted(runs.mixed_values[keep], runs.mixed_groups[keep], size)


def _runs_counted(values: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    """Per value, the distinct groups among pairs sorted by (value, group): a new group
    starts where either changes."""
    if not len(values):
        return np.zeros(size, dtype=np.int64)
    first = np.ones(len(values), dtype=bool)
    first[1:] = (values[1:] != values[:-1]) | (groups[1:] != groups[:-1])
    return np.bincount(values[first], minlength=size)


def count_facets(
    columns: Columns,
    base: np.ndarray,
    dated: np.ndarray,
    selections: dict[str, list[str]],
    within: bool = False,
    size: int = 0,
) -> tuple[dict[str, list[FacetCount]], dict[str, int]]:
    """Each facet's counted values and how many values it has (those counted and the
    selected ones), by facet name. `base` is query and liveness; `dated` is the from/to
    range (its own facets ignore it). `within`: every facet counted under every
    selection, its own included. `size`: a flat facet listed most counted first lists
    only its `size` most counted values (and those tied with the last) and the selected
    ones, so that the values a page does not show are never labelled."""
    masks = {f.name: value_mask(columns, f.name, selections.get(f.name, [])) for f in SELECTABLE}
    counts: dict[str, list[FacetCount]] = {}
    totals: dict[str, int] = {}
    # facets under the same filters (most often all of them) share one mask and its
    # groups: keyed by which filters apply, not by comparing masks of every document
    shared: dict[tuple[bool, tuple[str, ...]], Filtered] = {}
    narrowed = not dated.all()  # a date range (the date facets are counted without it)
    for facet in FACETS:
        name = facet.name
        applied = {
            other: other_mask
            for other, other_mask in masks.items()
            if (within or other != name) and other_mask is not None
        }
        within_dates = narrowed and facet.kind != "date"
        key = (within_dates, tuple(applied))
        filtered = shared.get(key)
        if filtered is None:
            mask = base & dated if within_dates else base.copy()
            for other_mask in applied.values():
                mask &= other_mask
            filtered = shared[key] = Filtered(columns, mask)
        mask = filtered.mask
        pairs = columns.facets[name]
        per_value = distinct_group_counts(columns, pairs, mask, filtered)
        chosen = set(selections.get(name, []))
        # the values counted and the selected ones, in the column's order: a pass over
        # those, not over every value of the archive (a person facet has thousands)
        listed = np.flatnonzero(per_value)
        picked = [pairs.ordinals[value] for value in chosen if value in pairs.ordinals]
        unseen = [ordinal for ordinal in picked if not per_value[ordinal]]
        totals[name] = len(listed) + len(unseen)
        if size and facet.by_count and facet.kind == "flat" and len(listed) > size:
            cut = np.partition(per_value[listed], len(listed) - size)[len(listed) - size]
            listed = listed[per_value[listed] >= cut]
            unseen = [ordinal for ordinal in picked if per_value[ordinal] < cut]
        if unseen:
            listed = np.sort(np.concatenate([listed, np.asarray(unseen, dtype=listed.dtype)]))
        counts[name] = [
            FacetCount(pairs.values[ordinal], count, pairs.values[ordinal] in chosen)
            for ordinal, count in zip(listed.tolist(), per_value[listed].tolist(), strict=True)
        ]
    return counts, totals


def filter_mask(columns: Columns, selections: dict[str, list[str]]) -> np.ndarray:
    mask = np.ones(columns.size, dtype=bool)
    for facet in SELECTABLE:
        selected = value_mask(columns, facet.name, selections.get(facet.name, []))
        if selected is not None:
            mask &= selected
    return mask
