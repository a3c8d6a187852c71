"""Where our time goes per query class: cProfile over a class's timed pool, on a cached run.

    python -m bench.profile --size 20000 [--seed 1] [--classes common,phrase] [--top 12]

Needs the corpus and index of an earlier `python -m bench --size N` (bench/.cache/).
For each class, prints the functions with the largest share of the class's total
time, inclusive (cumulative) and exclusive (own time).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

from .harness import HERE, Workspace
from .queries import CLASSES, PoolBuilder, split
from .timing import ours
from .world import World


def shares(stats: pstats.Stats, total: float, key: int, top: int) -> list[tuple[float, str]]:
    rows = []
    for (filename, line, name), values in stats.stats.items():  # type: ignore[attr-defined]
        seconds = values[key]
        where = Path(filename).name if filename != "~" else ""
        package = "searcharchive" if "/searcharchive/" in filename else Path(filename).parent.name
        label = f"{package}/{where}:{line} {name}" if where else name
        rows.append((seconds / total, label))
    return sorted(rows, reverse=True)[:top]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--classes", default=",".join(CLASSES))
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    args = parser.parse_args(argv)
    ws = Workspace(args.cache, args.size, args.seed)
    if not (ws.index / "CURRENT").exists():
        print(f"no cached index in {ws.dir}: run python -m bench --size {args.size} first")
        return 2
    pools = PoolBuilder(World.of(args.seed), ws.corpus, args.size, args.seed, ws.index).build()
    search = ours(ws.index)
    for cls in args.classes.split(","):
        warm, timed = split(pools[cls])
        for query in warm:
            search(query)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for query in timed:
            search(query)
        profiler.disable()
        wall = time.perf_counter() - started
        stats = pstats.Stats(profiler)
        total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
        print(
            f"\n== {cls}: {len(timed)} requests, {wall * 1000 / len(timed):.1f} ms each under cProfile"
        )
        print("   inclusive (cumulative) share:")
        for share, label in shares(stats, total, 3, args.top):
            print(f"   {share:6.1%}  {label}")
        print("   exclusive (own time) share:")
        for share, label in shares(stats, total, 2, args.top):
            print(f"   {share:6.1%}  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
