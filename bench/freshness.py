"""How soon a new statement is found by a running server, two ways a deployment adds one.

- **watched** (what a deployment runs, and the `freshness_s` figure): a resident
  `searcharchive index --watch FOLDER --index INDEX`, started once; the statement's
  file is written under a hidden name and renamed into FOLDER; timed from the rename.
- **one-shot** (`details.server.freshness_cli_s`): `searcharchive index FILE --index
  INDEX` started for the file, as a cron job would; timed from starting the process,
  which pays Python's start-up, the imports and the compiled gazetteers each time.

Either way the time runs until `/api/search?q=<its unique word>`, polled every 20 ms,
finds it. `python -m bench.freshness INDEX` measures both alone (without the corpus,
the peers and the timed classes of `python -m bench`), the watched rounds first, on
a private link copy of INDEX, with the load average beside each round: on a shared
machine the figures are noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from . import system
from .timing import summary

POLL_S = 0.02
TIMEOUT_S = 600


def fresh_record(word: str) -> dict[str, Any]:
    today = date.today()
    return {
        "id": f"fresh-{word}",
        "lang": "en",
        "group": f"fresh-{word}",
        "title": f"A fresh statement on {word}",
        "body": f"Minsk – {today:%B} {today.day}, {today.year}\n\nThe statement mentions {word}.",
        "date": today.isoformat(),
        "tags": ["statement"],
    }


def fresh_word(rng: random.Random) -> str:
    """A word found nowhere else."""
    return "zz" + "".join(rng.choice(string.ascii_lowercase) for _ in range(10))


def _found(base: str, word: str) -> bool:
    return bool(system.get_json(f"{base}/api/search", {"q": word}).get("total", 0))


def one_shot(base: str, index: Path, folder: Path, word: str, log: Path) -> tuple[float, float]:
    """Seconds from starting `searcharchive index FILE` to the server finding `word`,
    and the seconds the indexer process took."""
    source = folder / f"{word}.jsonl"
    source.write_text(json.dumps(fresh_record(word)) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "searcharchive", "index", str(source), "--index", str(index)]
    with log.open("wb") as out:
        started = time.perf_counter()
        indexer = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        indexer_s = None
        while True:
            found = _found(base, word)
            now = time.perf_counter() - started
            if indexer_s is None and indexer.poll() is not None:
                indexer_s = now
            if found:
                break
            if now > TIMEOUT_S or indexer.poll() not in (None, 0):
                raise SystemExit(f"the new statement never appeared; see {log}")
            time.sleep(POLL_S)
        indexer.wait()
    return now, indexer_s if indexer_s is not None else now


@contextlib.contextmanager
def watching(index: Path, folder: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`searcharchive index --watch FOLDER` on the index, once it says it is watching."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "searcharchive", "index", "--watch", str(folder)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--index", str(index)], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while b"watching" not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the watching indexer did not start; see {log}")
            time.sleep(0.05)
        yield process
    finally:
        system.stop(process)


def watched(base: str, folder: Path, word: str, log: Path) -> float:
    """Seconds from a file renamed into the watched folder to the server finding `word`."""
    hidden = folder / f".{word}.tmp"
    hidden.write_text(json.dumps(fresh_record(word)) + "\n", encoding="utf-8")
    started = time.perf_counter()
    hidden.rename(folder / f"{word}.jsonl")
    while not _found(base, word):
        if time.perf_counter() - started > TIMEOUT_S:
            raise SystemExit(f"the new statement never appeared; see {log}")
        time.sleep(POLL_S)
    return time.perf_counter() - started


def measure(
    base: str, index: Path, work: Path, rounds: int, seed: int, watch: bool = True
) -> dict[str, Any]:
    """`rounds` statements each way: through a watcher (the only indexer meanwhile, as
    in a deployment), then one-shot (only these if not `watch`: code from before
    `index --watch`)."""
    rng = random.Random(f"freshness/{seed}")
    figures: dict[str, list[float]] = {"watched": [], "one_shot": [], "indexer_process": []}
    loads: list[float] = []
    drop = work / "incoming"
    # a drop folder left by an earlier run holds the same words (the same seed): the
    # watcher would index them at its start, and they would be "found" at once
    shutil.rmtree(drop, ignore_errors=True)
    if watch:
        with watching(index, drop, work / "index-watch.out"):
            for _ in range(rounds):
                loads.append(os.getloadavg()[0])
                figures["watched"].append(watched(base, drop, fresh_word(rng), work / "w.out"))
    for _ in range(rounds):
        loads.append(os.getloadavg()[0])
        total, process = one_shot(base, index, work, fresh_word(rng), work / "index-fresh.out")
        figures["one_shot"].append(total)
        figures["indexer_process"].append(process)
    return {
        "rounds": rounds,
        "load_average": [round(load, 2) for load in loads],
        **{f"{way}_s": [round(value, 3) for value in values] for way, values in figures.items()},
        **{f"{way}_ms": summary([v * 1000 for v in values]) for way, values in figures.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.freshness", description=__doc__)
    parser.add_argument("index", type=Path, help="a built index (only read: a copy is written)")
    parser.add_argument("--rounds", type=int, default=5, help="statements added each way")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--one-shot-only", action="store_true", help="for code from before `index --watch`"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="freshness-") as tmp:
        work = Path(tmp)
        copy = work / "index"
        system.link_copy_index(args.index, copy)
        with system.server(copy, work / "server.log") as (base, _):
            figures = measure(base, copy, work, args.rounds, args.seed, not args.one_shot_only)
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
