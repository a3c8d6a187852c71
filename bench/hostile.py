"""Hostile traffic against a real `searcharchive serve` on loopback (issue #11).

    python -m bench.hostile --index IX [--random-queries 10000] [--exports 10]
                            [--mix-random 1000] [--out bench/results/hostile-20000.json]

Four phases, one server, every request to 127.0.0.1, each phase bounded by
--max-minutes:

1. --random-queries queries of random words (no index holds them), four
   clients at once, on a fresh server (after 50 ordinary searches): its RSS
   before and after;
2. ordinary searches alone (words of the index's own titles, 1–2 a query):
   their p50/p99, the baseline;
3. --exports concurrent CSV exports of everything while /healthz is asked
   again and again: /healthz p50/p99/max, each export's rows and status;
4. the hostile mix: --exports exports and --mix-random random-word queries
   while one client makes ordinary searches: their p50/p99, RSS before and after.

Prints the figures and writes them as JSON. A 503 (a full gate, with
Retry-After) is counted, not retried; any other failure fails the run.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from . import system
from .timing import percentile

LETTERS = "abcdefghijklmnopqrstuvwxyzабвгдежзійклмнопрстуўфхцчшыьэюя"
WORD = re.compile(r"[^\W\d_]{4,}")
WARM_UP = 50  # ordinary searches before the first RSS reading


@dataclass
class Tally:
    """Latencies (ms) and status counts of one kind of request."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, started: float) -> None:
        with self.lock:
            self.latencies.append((time.perf_counter() - started) * 1000)
            self.statuses[status] += 1

    def summary(self) -> dict[str, Any]:
        values = sorted(self.latencies)
        return {
            "count": len(values),
            "p50_ms": round(percentile(values, 50), 1) if values else None,
            "p99_ms": round(percentile(values, 99), 1) if values else None,
            "max_ms": round(values[-1], 1) if values else None,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
        }


def get(url: str, tally: Tally, timeout: float = 600) -> int:
    """GET `url`, reading the body through; its size in lines (a CSV's rows + 1)."""
    started = time.perf_counter()
    lines = 0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            for chunk in iter(lambda: response.read(65536), b""):
                lines += chunk.count(b"\n")
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
        error.read()
    tally.add(status, started)
    if status not in (200, 503):
        raise RuntimeError(f"{url} answered {status}")
    return lines


def random_queries(count: int, seed: int) -> list[str]:
    rng = random.Random(f"hostile/{seed}")
    return [
        " ".join(
            "".join(rng.choice(LETTERS) for _ in range(rng.randint(5, 12)))
            for _ in range(rng.randint(1, 3))
        )
        for _ in range(count)
    ]


def ordinary_queries(index: Path, count: int, seed: int) -> list[str]:
    """Queries of one or two words taken from the index's own statement titles."""
    from searcharchive.archive import Archive
    from searcharchive.request import SearchRequest

    archive = Archive.open(index)
    words: list[str] = []
    for page in range(1, 11):
        result = archive.search(SearchRequest(size=100, page=page))
        words += [w.lower() for hit in result.hits for w in WORD.findall(hit.statement.title)]
    rng = random.Random(f"ordinary/{seed}")
    return [" ".join(rng.sample(words, rng.randint(1, 2))) for _ in range(count)]


def rss(server: psutil.Process) -> float:
    return round(system.rss_mb(server), 1)


def search_url(base: str, q: str) -> str:
    return f"{base}/api/search?" + urllib.parse.urlencode({"q": q})


def run_all(tasks: list[Callable[[], object]], workers: int) -> None:
    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(task) for task in tasks]:
            future.result()


def exporting(base: str, count: int, tally: Tally, rows: list[int]) -> threading.Thread:
    """`count` exports of everything at once, in a thread that ends when they all have."""

    def export() -> None:
        rows.append(get(f"{base}/export.csv", tally) - 1)

    thread = threading.Thread(target=run_all, args=([export] * count, count), daemon=True)
    thread.start()
    return thread


def while_running(
    threads: list[threading.Thread], request: Callable[[], object], deadline: float, pause: float
) -> None:
    """`request()` again and again while any of `threads` runs."""
    while any(thread.is_alive() for thread in threads):
        if time.monotonic() > deadline:
            raise RuntimeError("a phase ran past --max-minutes")
        request()
        time.sleep(pause)


def phases(
    args: argparse.Namespace, base: str, server: psutil.Process
) -> Iterator[tuple[str, Any]]:
    bound = args.max_minutes * 60
    ordinary = ordinary_queries(args.index, args.ordinary + WARM_UP, args.seed)
    run_all([lambda q=q: get(search_url(base, q), Tally()) for q in ordinary[-WARM_UP:]], 4)
    rss_before = rss(server)  # a fresh server, after a few searches
    randoms = Tally()
    queries = random_queries(args.random_queries, args.seed)
    run_all([lambda q=q: get(search_url(base, q), randoms) for q in queries], 4)
    yield (
        "random_words",
        {**randoms.summary(), "rss_before_mb": rss_before, "rss_after_mb": rss(server)},
    )

    alone = Tally()
    run_all([lambda q=q: get(search_url(base, q), alone) for q in ordinary[: args.ordinary]], 1)
    yield "ordinary_alone", alone.summary()

    health, exports, rows = Tally(), Tally(), []
    started = time.monotonic()
    thread = exporting(base, args.exports, exports, rows)
    while_running([thread], lambda: get(f"{base}/healthz", health), started + bound, 0.02)
    thread.join()
    yield (
        "exports_and_healthz",
        {
            "healthz": health.summary(),
            "exports": {**exports.summary(), "rows": sorted(rows)},
            "seconds": round(time.monotonic() - started, 1),
        },
    )

    rss_before = rss(server)
    mixed, exports, rows, randoms = Tally(), Tally(), [], Tally()
    started = time.monotonic()
    export_thread = exporting(base, args.exports, exports, rows)
    more = random_queries(args.mix_random, args.seed + 1)
    random_thread = threading.Thread(
        target=run_all,
        args=([lambda q=q: get(search_url(base, q), randoms) for q in more], 4),
        daemon=True,
    )
    random_thread.start()
    cycle = iter(ordinary * 100)
    load = [export_thread, random_thread]
    while_running(load, lambda: get(search_url(base, next(cycle)), mixed), started + bound, 0)
    yield (
        "hostile_mix",
        {
            "ordinary": mixed.summary(),
            "random_words": randoms.summary(),
            "exports": {**exports.summary(), "rows": sorted(rows)},
            "rss_before_mb": rss_before,
            "rss_after_mb": rss(server),
            "seconds": round(time.monotonic() - started, 1),
        },
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--random-queries", type=int, default=10_000)
    parser.add_argument("--exports", type=int, default=10)
    parser.add_argument("--mix-random", type=int, default=1_000)
    parser.add_argument("--ordinary", type=int, default=300, help="timed ordinary searches")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-minutes", type=float, default=30, help="bound on each phase")
    parser.add_argument("--out", type=Path, help="JSON file for the figures")
    args = parser.parse_args(argv)
    log = Path(tempfile.gettempdir()) / "bench-hostile-server.log"
    print(f"server log: {log}", flush=True)
    figures: dict[str, Any] = {"machine": system.machine(), "index": str(args.index)}
    with system.server(args.index, log) as (base, server):
        figures["documents"] = system.get_json(f"{base}/healthz")["documents"]
        for name, values in phases(args, base, server):
            figures[name] = values
            print(f"{name}: {json.dumps(values)}", flush=True)
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
