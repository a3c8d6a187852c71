"""Load test: `searcharchive serve` under 50 concurrent readers for 60 s, on loopback.

    python -m bench.load --index IX [--users 50] [--seconds 60]
                         [--rebuild-from CORPUS | --publish-from NEW.jsonl]

With --rebuild-from, `searcharchive index CORPUS --rebuild` runs while the load
does; with --publish-from, `searcharchive index NEW.jsonl` adds to the index:
either way a new generation is published under traffic, and the load goes on
until the indexer has exited and 15 s more (bounded by --max-minutes). Prints
requests per second, p50/p99 latency, failures and 5xx, and how many responses
each index generation answered; exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from . import system

HERE = Path(__file__).resolve().parent


def publisher(args: argparse.Namespace) -> list[str] | None:
    """The indexer command that publishes a new generation during the load, if any."""
    source = args.rebuild_from or args.publish_from
    if not source:
        return None
    extra = ["--rebuild"] if args.rebuild_from else []
    return [sys.executable, "-m", "searcharchive", "index", str(source)] + [
        "--index",
        str(args.index),
        *extra,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--seconds",
        type=int,
        default=60,
        help="load duration; with a publisher, at least until it exits and 15 s more",
    )
    parser.add_argument(
        "--max-minutes", type=float, default=90, help="hard bound on the whole load run"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument(
        "--rebuild-from", type=Path, help="corpus to rebuild the index from during the load"
    )
    parser.add_argument(
        "--publish-from", type=Path, help="statements to add during the load (incrementally)"
    )
    args = parser.parse_args(argv)
    log = Path(tempfile.gettempdir()) / "searcharchive-load-server.log"  # kept for a look
    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            system.server(args.index, log, port=args.port, workers=args.workers) as (base, _),
        ):
            return _load(args, base, Path(tmp))
    except RuntimeError as error:  # the server did not start: say why, no traceback
        raise SystemExit(f"{error}: is {args.index} a current index?") from None


def _load(args: argparse.Namespace, base: str, tmp: Path) -> int:
    indexer: subprocess.Popen[bytes] | None = None
    indexer_window = ""
    generation_before = httpx.get(f"{base}/healthz").json()["generation"]
    try:
        prefix = tmp / "load"
        served_by = tmp / "generations.json"
        locust = subprocess.Popen(
            [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py")]
            + ["--headless", "-u", str(args.users), "-r", str(args.users)]
            + ["-t", f"{int(args.max_minutes * 60)}s", "--host", base]
            + ["--csv", str(prefix), "--only-summary", "--stop-timeout", "10"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={
                **os.environ,
                "LOAD_GENERATIONS": str(served_by),
                "LOAD_REBUILDING": "1" if args.rebuild_from else "0",
            },
        )
        started = time.monotonic()
        deadline = started + args.seconds
        hard_deadline = started + args.max_minutes * 60
        command = publisher(args)
        if command:
            time.sleep(min(10, args.seconds / 4))
            indexer = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            indexer_started = time.monotonic() - started
        while locust.poll() is None and time.monotonic() < hard_deadline:
            if indexer is not None and indexer.poll() is None:
                deadline = max(deadline, time.monotonic() + 15)
            elif indexer is not None and not indexer_window:
                ended = time.monotonic() - started
                indexer_window = (
                    f"indexer ran from {indexer_started:.0f} s to {ended:.0f} s of the "
                    f"load, exit code {indexer.returncode}"
                )
            if time.monotonic() >= deadline:
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        if locust.poll() is None:
            locust.send_signal(signal.SIGTERM)  # locust writes its summary and exits
        try:
            _, errors = locust.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            locust.kill()
            _, errors = locust.communicate()
        rows = list(csv.DictReader((prefix.parent / "load_stats.csv").open()))
        failures = list(csv.DictReader((prefix.parent / "load_failures.csv").open()))
        generations = json.loads(served_by.read_text()) if served_by.exists() else {}
    finally:
        if indexer is not None and indexer.poll() is None:  # past --max-minutes: a failure
            indexer.terminate()
            indexer.wait(timeout=60)
            indexer_window = indexer_window or "the indexer had not finished by --max-minutes"
        generation_after = httpx.get(f"{base}/healthz").json()["generation"]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(f"{args.users} users for {elapsed:.0f} s against {args.index}")
    print(f"{'request':28} {'count':>8} {'fail':>6} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for row in rows:
        print(
            f"{row['Name'][:28]:28} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):8.1f} {row['50%']:>8} {row['99%']:>8}"
        )
    print(f"generation before {generation_before}, after {generation_after}")
    if indexer_window:
        print(indexer_window)
    print(
        "responses per generation: " + ", ".join(f"{g} {n}" for g, n in sorted(generations.items()))
    )
    for failure in failures:
        print(
            f"failure: {failure['Method']} {failure['Name']}: {failure['Error']} ×{failure['Occurrences']}"
        )
    if locust.returncode not in (0, 1):  # 1: locust saw failures, listed above
        print(errors.decode(errors="replace")[-2000:], file=sys.stderr)
    indexer_failed = indexer is not None and indexer.returncode != 0
    # locust's own exit code counts failures up to the very end; its CSV is written
    # once a second, so it can miss the last second's
    failed = int(total["Failure Count"]) or locust.returncode == 1
    return 1 if failed or indexer_failed else 0


if __name__ == "__main__":
    sys.exit(main())
