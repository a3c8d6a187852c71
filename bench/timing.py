"""Timing engines on the query pools: a warm-up, a cold pass (each request once), a server mix."""

from __future__ import annotations

import gc
import random
import statistics
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .queries import CLASSES, ENTITY_CLASSES, BenchQuery, mix, split

Search = Callable[[BenchQuery], int]


@dataclass
class Limits:
    cold: int  # timed requests per class in the cold pass (each a distinct request)
    mix: int  # timed requests per class in the server mix (repeats)
    budget_s: float  # per class and pass: stop early past this much time


@dataclass
class Timings:
    cold: dict[str, list[float]] = field(default_factory=dict)  # class -> milliseconds
    mix: dict[str, list[float]] = field(default_factory=dict)
    totals: dict[str, list[int]] = field(default_factory=dict)  # class -> result totals (cold)
    errors: dict[str, str] = field(default_factory=dict)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: list[float]) -> dict[str, float] | None:
    if not values:
        return None
    return {"p50_ms": round(percentile(values, 50), 2), "p95_ms": round(percentile(values, 95), 2)}


def mean(values: list[int]) -> float:
    return round(statistics.fmean(values), 1) if values else 0.0


def _run(
    search: Search,
    requests: list[BenchQuery],
    limits: Limits,
    into: dict[str, list[float]],
    timings: Timings,
    totals: bool,
) -> None:
    spent: dict[str, float] = {}
    for request in requests:
        cls = request.cls
        if cls in timings.errors or spent.get(cls, 0.0) > limits.budget_s:
            continue
        started = time.perf_counter()
        try:
            total = search(request)
        except Exception as error:  # a peer that cannot answer a class is reported, not fatal
            timings.errors[cls] = f"{type(error).__name__}: {error}"
            traceback.print_exc()
            continue
        elapsed = time.perf_counter() - started
        spent[cls] = spent.get(cls, 0.0) + elapsed
        into.setdefault(cls, []).append(elapsed * 1000)
        if totals:
            timings.totals.setdefault(cls, []).append(total)


def time_engine(
    search: Search,
    pools: dict[str, list[BenchQuery]],
    limits: Limits,
    seed: int,
    progress: Callable[[str], None],
) -> Timings:
    timings = Timings()
    rng = random.Random(f"order/{seed}")
    warm: list[BenchQuery] = []
    cold: list[BenchQuery] = []
    mixed: list[BenchQuery] = []
    for cls in CLASSES:
        warm_part, timed = split(pools.get(cls, []))
        warm += warm_part
        cold += timed[: limits.cold]
        mixed += mix(timed[: max(limits.cold, 1)], limits.mix, seed)
    rng.shuffle(cold)
    rng.shuffle(mixed)
    gc.collect()
    for request in warm:
        try:
            search(request)
        except Exception:  # reported by the timed passes
            pass
    progress(f"cold pass: {len(cold)} requests")
    _run(search, cold, limits, timings.cold, timings, totals=True)
    progress(f"server mix: {len(mixed)} requests")
    _run(search, mixed, limits, timings.mix, timings, totals=False)
    return timings


def ours(index_dir: Path) -> Search:
    """Our answer to a request: a search request's `Archive.search`, or everything the JSON
    handler of an entity's page computes (web/persons.person_json: the search person=ID,
    the persons named with them, the table's names and spellings; web/entities.entity_data:
    the search for one facet value and its top values); the HTML page makes the same calls."""
    from searcharchive.archive import Archive
    from searcharchive.request import SearchRequest
    from searcharchive.web.entities import entity_data
    from searcharchive.web.links import SHOWN_VALUES
    from searcharchive.web.persons import person_json

    archive = Archive.open(index_dir, warm=True)  # as a server opens it

    def search(query: BenchQuery) -> int:
        if query.cls in ENTITY_CLASSES:
            asked = SearchRequest(page=query.page, ui_lang=query.ui_lang)
            if query.kind == "persons":
                data = person_json(archive, query.terms[0], asked)
                if data is None:
                    raise LookupError(f"no person {query.terms[0]!r} in the index")
            else:
                data = entity_data(archive, query.kind, query.terms[0], asked)
            return int(data["total"])
        request = SearchRequest(
            q=query.q,
            tags=list(query.tags),
            mentions=list(query.orgs),  # organizations the texts name (not authors)
            langs=list(query.langs),
            sort=query.sort,
            page=query.page,
            size=query.size,
            ui_lang=query.ui_lang,
            facet_size=SHOWN_VALUES,  # as web/pages.search_page asks: the values it shows
        )
        return archive.search(request).total

    return search
