"""`python -m bench --size N`: build everything on one machine, time it, print a table, write JSON.

Steps: generate the corpus; index it with `searcharchive index` as a subprocess
(rate, peak RSS, size); build the peers from the same files the same way; build
the query pools; time ours and each peer on the same requests; start a real
server on a private copy of the index for its memory after a burst of searches
and for how soon a newly indexed statement is found. Corpus and indexes are
cached under bench/.cache/ by size and seed (ours also by a fingerprint of the
searcharchive sources); `--fresh` rebuilds, as the committed figures require.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from . import freshness, report, system
from .generate import GENERATOR_VERSION, write_corpus
from .peers import SqliteEngine, TantivyEngine, WhooshGroupedbyEngine
from .queries import CLASSES, ENTITY_CLASSES, SEARCH_CLASSES, BenchQuery, PoolBuilder, split
from .timing import Limits, Timings, mean, ours, summary, time_engine
from .world import World

HERE = Path(__file__).resolve().parent
PEER_BUILD_VERSION = 2
LIMITS = {
    "ours": Limits(cold=100, mix=200, budget_s=120),
    "whoosh_groupedby": Limits(cold=30, mix=0, budget_s=60),
    "sqlite_fts5": Limits(cold=100, mix=100, budget_s=60),
    "tantivy": Limits(cold=100, mix=200, budget_s=60),
}
QUICK = Limits(cold=15, mix=15, budget_s=20)
BURST = 300
FRESH_ROUNDS = 3  # new statements added each way (index --watch, index FILE): the median
ENTITY_HTTP = 40  # entity pages per class timed over HTTP, one at a time (JSON and HTML)
STARTED = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


class Workspace:
    def __init__(self, cache: Path, size: int, seed: int):
        self.dir = cache / f"{size}-seed{seed}-v{GENERATOR_VERSION}"
        self.corpus = self.dir / "corpus"
        self.index = self.dir / "index"
        self.sqlite = self.dir / "sqlite.db"
        self.tantivy = self.dir / "tantivy"
        self.logs = self.dir / "logs"
        self.builds_file = self.dir / "builds.json"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.builds: dict[str, Any] = (
            json.loads(self.builds_file.read_text()) if self.builds_file.exists() else {}
        )

    def save(self) -> None:
        self.builds_file.write_text(json.dumps(self.builds, indent=2))


def build_corpus(ws: Workspace, size: int, seed: int) -> None:
    if ws.builds.get("corpus", {}).get("size") == size and (ws.corpus / ".manifest.json").exists():
        say(f"corpus: reusing {ws.corpus}")
        ws.builds["corpus"]["reused"] = True
        return
    say(f"corpus: generating {size:,} statements")
    ws.builds = {"corpus": write_corpus(size, ws.corpus, seed)}
    ws.save()


def build_ours(ws: Workspace, size: int, cap_mb: float | None = None) -> dict[str, Any]:
    fingerprint = system.source_fingerprint()
    cached = ws.builds.get("ours")
    if cached and cached.get("fingerprint") == fingerprint and (ws.index / "CURRENT").exists():
        say("ours: reusing the index built by the same searcharchive code")
        return {**cached, "reused": True}
    say("ours: searcharchive index CORPUS --rebuild")
    shutil.rmtree(ws.index, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "searcharchive",
        "index",
        str(ws.corpus),
        "--index",
        str(ws.index),
        "--rebuild",
    ]
    run = system.measured(command, ws.logs, "index-ours", cap_mb)
    if run.capped:
        raise SystemExit(
            f"searcharchive index was stopped at {run.peak_rss_mb:,.0f} MB after "
            f"{run.seconds:,.0f} s: over the memory cap (--memory-cap-mb)"
        )
    if run.returncode != 0:
        raise SystemExit(
            f"searcharchive index failed ({run.returncode}):\n{run.stdout}\n{run.stderr[-3000:]}"
        )
    summary_line = run.stdout.strip().splitlines()[-1]
    rate = re.search(r"([\d,.]+) statements/s", summary_line)
    figures = {
        "docs_per_s": round(size / run.seconds, 1),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "index_mb": round(system.dir_mb(system.current_generation(ws.index)), 1),
        "seconds": round(run.seconds, 1),
        "cli_summary": summary_line,
        "cli_rate": float(rate.group(1).replace(",", "")) if rate else None,
        "fingerprint": fingerprint,
    }
    say(f"ours: {summary_line}")
    ws.builds["ours"] = figures
    ws.save()
    return figures


def build_peer(ws: Workspace, name: str, size: int) -> dict[str, Any]:
    cached = ws.builds.get(name)
    out = ws.sqlite if name == "sqlite_fts5" else ws.tantivy
    if cached and cached.get("version") == PEER_BUILD_VERSION and out.exists():
        say(f"{name}: reusing {out}")
        return {**cached, "reused": True}
    say(f"{name}: building")
    kind = "sqlite" if name == "sqlite_fts5" else "tantivy"
    run = system.measured(
        [sys.executable, "-m", "bench.peers", kind, str(ws.corpus), str(out)],
        ws.logs,
        f"index-{kind}",
    )
    if run.returncode != 0:
        raise SystemExit(f"{name} build failed:\n{run.stderr[-3000:]}")
    figures = {
        "docs_per_s": round(size / run.seconds, 1),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "index_mb": round(system.dir_mb(out), 1),
        "seconds": round(run.seconds, 1),
        "version": PEER_BUILD_VERSION,
    }
    ws.builds[name] = figures
    ws.save()
    return figures


def entity_paths(query: BenchQuery) -> tuple[str, str, dict[str, Any]]:
    """An entity page's JSON and HTML paths, under its UI language's prefix (/be/, /ru/),
    and its parameters, as the site links them (web/links.py)."""
    from searcharchive.web.entities import FILTERS
    from searcharchive.web.links import entity_api_url, entity_url, person_url

    value, prefix = query.terms[0], "" if query.ui_lang == "en" else f"/{query.ui_lang}"
    if query.kind == "persons":
        api, page = person_url(f"{prefix}/api", value), person_url(prefix, value)
    else:
        facet = FILTERS[query.kind]
        api, page = entity_api_url(prefix, facet, value), entity_url(prefix, facet, value)
    return api, page, {"page": query.page} if query.page > 1 else {}


def api_params(query: BenchQuery) -> dict[str, Any]:
    params: dict[str, Any] = {"q": query.q, "page": query.page, "size": query.size}
    if query.sort:
        params["sort"] = query.sort
    # the generator's organizations are those its texts name: our "mention" facet
    for name, values in (("tag", query.tags), ("mention", query.orgs), ("lang", query.langs)):
        if values:
            params[name] = list(values)
    return params


def burst(base: str, requests: list[BenchQuery]) -> list[float]:
    """Searches and entity pages' JSON over HTTP, four at a time, as a page's visitors make
    them; milliseconds each."""
    latencies: list[float] = []

    def get(query: BenchQuery) -> None:
        if query.cls in ENTITY_CLASSES:
            path, _, params = entity_paths(query)
        else:
            path, params = "/api/search", api_params(query)
        started = time.perf_counter()
        system.get_json(base + path, params, timeout=120)
        latencies.append((time.perf_counter() - started) * 1000)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(get, requests))
    return latencies


def entity_http(
    base: str, pools: dict[str, list[BenchQuery]], count: int
) -> dict[str, dict[str, Any]]:
    """Entity pages over HTTP, one at a time (what a visitor waits for, the server's
    routing, JSON encoding or template rendering included): per class, after its warm-up
    requests, the JSON of `count` requests of its timed pool and the HTML page of `count`
    others, so that neither answer finds the other's records decoded."""
    out: dict[str, dict[str, Any]] = {}
    for cls in ENTITY_CLASSES:
        warm, timed = split(pools.get(cls, []))
        for query in warm:
            api, page, params = entity_paths(query)
            system.fetch(base + api, params, timeout=120)
            system.fetch(base + page, params, timeout=120)
        figures: dict[str, list[float]] = {"json": [], "html": []}
        for number, query in enumerate(timed[: 2 * count]):
            api, page, params = entity_paths(query)
            kind, path = ("json", api) if number % 2 == 0 else ("html", page)
            started = time.perf_counter()
            system.fetch(base + path, params, timeout=120)
            figures[kind].append((time.perf_counter() - started) * 1000)
        out[cls] = {kind: summary(values) for kind, values in figures.items()}
        out[cls]["requests"] = len(figures["json"])
    return out


def server_checks(
    ws: Workspace, pools: dict[str, list[BenchQuery]], count: int, seed: int, entity_count: int
) -> dict[str, Any]:
    """Entity pages over HTTP, the server's RSS after a burst of requests, then the time
    a new statement takes to be found; on a private copy of the index, so the cached one
    stays as built."""
    copy = ws.dir / "server-index"
    system.link_copy_index(ws.index, copy)
    rng = random.Random(f"burst/{seed}")
    requests = [q for cls in CLASSES for q in split(pools.get(cls, []))[1]]
    requests = rng.choices(requests, k=count) if requests else []
    with system.server(copy, ws.logs / "server.log") as (base, process):
        rss_start = system.rss_mb(process)
        say(f"server: up at {base}, RSS {rss_start:.0f} MB; entity pages over HTTP")
        entities = entity_http(base, pools, entity_count)
        say(f"server: {len(requests)} requests over HTTP, four at a time")
        latencies = burst(base, requests)
        rss = system.rss_mb(process)
        say(f"server: RSS {rss:.0f} MB after the burst; adding new statements one by one")
        fresh = freshness.measure(base, copy, ws.logs, FRESH_ROUNDS, seed)
    fresh_s = statistics.median(fresh["watched_s"])
    cli_s = statistics.median(fresh["one_shot_s"])
    say(
        f"server: a new statement was found after {fresh_s:.2f} s (index --watch), {cli_s:.2f} s (index FILE)"
    )
    shutil.rmtree(copy, ignore_errors=True)
    http = summary(latencies) or {}
    return {
        "freshness_s": round(fresh_s, 3),
        "server_rss_mb": round(rss, 1),
        "details": {
            "server_rss_at_start_mb": round(rss_start, 1),
            "burst_requests": len(requests),
            "burst_http_p50_ms": http.get("p50_ms"),
            "burst_http_p95_ms": http.get("p95_ms"),
            "freshness_cli_s": round(cli_s, 3),
            "fresh_indexer_process_s": round(statistics.median(fresh["indexer_process_s"]), 3),
            "freshness": fresh,
            "entity_http": entities,
        },
    }


def assemble(timings: dict[str, Timings], pass_name: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for cls in CLASSES:
        out[cls] = {}
        for engine in ("ours", *report.PEERS):
            t = timings.get(engine)
            values = (t.cold if pass_name == "cold" else t.mix).get(cls, []) if t else []
            out[cls][engine] = summary(values)
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    cache = args.cache or HERE / ".cache"
    ws = Workspace(cache, args.size, args.seed)
    if args.fresh:
        shutil.rmtree(ws.dir, ignore_errors=True)
        ws = Workspace(cache, args.size, args.seed)
    build_corpus(ws, args.size, args.seed)
    indexing: dict[str, Any] = {
        "ours": build_ours(ws, args.size, args.memory_cap_mb),
        "sqlite_fts5": None,
        "tantivy": None,
    }
    if not args.skip_peers:
        for name in ("sqlite_fts5", "tantivy"):
            indexing[name] = build_peer(ws, name, args.size)
    say("pools: building the query pools from the corpus")
    pools = PoolBuilder(World.of(args.seed), ws.corpus, args.size, args.seed, ws.index).build()
    say("pools: " + ", ".join(f"{cls} {len(pool)}" for cls, pool in pools.items()))
    engines: dict[str, Any] = {"ours": lambda: ours(ws.index)}
    if not args.skip_peers:
        engines["whoosh_groupedby"] = lambda: WhooshGroupedbyEngine(ws.index).search
        engines["sqlite_fts5"] = lambda: SqliteEngine(ws.sqlite).search
        engines["tantivy"] = lambda: TantivyEngine(ws.tantivy).search
    timings: dict[str, Timings] = {}
    for name, factory in engines.items():
        limits = QUICK if args.quick else LIMITS[name]
        # the peers have no entity pages: they are timed on the search classes
        classes = CLASSES if name == "ours" else SEARCH_CLASSES
        say(f"{name}: opening")
        timings[name] = time_engine(
            factory(),
            {cls: pools[cls] for cls in classes if cls in pools},
            limits,
            args.seed,
            lambda m, n=name: say(f"{n}: {m}"),
        )
    checks = server_checks(
        ws, pools, 30 if args.quick else BURST, args.seed, 3 if args.quick else ENTITY_HTTP
    )
    strip = ("seconds", "cli_summary", "cli_rate", "fingerprint", "version", "reused")
    results: dict[str, Any] = {
        "size": args.size,
        "seed": args.seed,
        "machine": system.machine(),
        "indexing": {
            name: {k: v for k, v in figures.items() if k not in strip} if figures else None
            for name, figures in indexing.items()
        },
        "freshness_s": checks["freshness_s"],
        "server_rss_mb": checks["server_rss_mb"],
        "queries": assemble(timings, "cold"),
        "queries_mix": assemble(timings, "mix"),
    }
    results["targets"] = report.targets(results)
    results["details"] = {
        "generator": ws.builds["corpus"],
        "indexing_seconds": {name: f["seconds"] for name, f in indexing.items() if f},
        "ours_cli_summary": indexing["ours"]["cli_summary"],
        "pool_sizes": {cls: len(pool) for cls, pool in pools.items()},
        "timed_requests": {
            name: {cls: [len(t.cold.get(cls, [])), len(t.mix.get(cls, []))] for cls in CLASSES}
            for name, t in timings.items()
        },
        "mean_total": {
            name: {cls: mean(t.totals.get(cls, [])) for cls in CLASSES}
            for name, t in timings.items()
        },
        "errors": {name: t.errors for name, t in timings.items() if t.errors},
        "server": checks["details"],
        "quick": bool(args.quick),
        "reused_from_cache": sorted(
            [name for name, f in indexing.items() if f and f.get("reused")]
            + (["corpus"] if ws.builds["corpus"].get("reused") else [])
        ),
        "wall_s": round(time.perf_counter() - STARTED, 1),
    }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size", type=int, required=True, help="statements in the generated corpus"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="JSON results (default bench/results/SIZE.json)")
    parser.add_argument("--skip-peers", action="store_true", help="time ours only")
    parser.add_argument("--quick", action="store_true", help="few timed requests: a smoke run")
    parser.add_argument(
        "--fresh", action="store_true", help="rebuild corpus and indexes (for committed figures)"
    )
    parser.add_argument("--cache", type=Path, help="cache folder (default bench/.cache)")
    parser.add_argument(
        "--memory-cap-mb",
        type=float,
        help="stop an index build whose memory passes this (default: 70%% of the RAM)",
    )
    args = parser.parse_args(argv)
    results = run(args)
    out = args.out or HERE / "results" / f"{args.size}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(report.table(results))
    print(f"\nwall time {results['details']['wall_s']:.0f} s; figures written to {out}")
    return 0
