"""Load test: `searcharchive serve` under 50 concurrent readers for 60 s, on loopback.

    python -m bench.load --index IX [--users 50] [--seconds 60]
                         [--rebuild-from CORPUS | --publish-from NEW.jsonl]

With --rebuild-from, `searcharchive index CORPUS --rebuild` runs while the load
does; with --publish-from, `searcharchive index NEW.jsonl` adds to the index:
either way a new generation is published under traffic. Prints requests
per second, p50/p99 latency, failures and 5xx, and exits non-zero on any.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent


def start_server(index: Path, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "searcharchive", "serve", "--index", str(index)]
        + ["--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit(
                f"the server exited with {server.returncode}: is {index} a current index?"
            )
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument(
        "--rebuild-from", type=Path, help="corpus to rebuild the index from during the load"
    )
    parser.add_argument(
        "--publish-from", type=Path, help="statements to add during the load (incrementally)"
    )
    args = parser.parse_args(argv)
    base = f"http://127.0.0.1:{args.port}"
    server = start_server(args.index, args.port, args.workers)
    rebuild = None
    generations_before = httpx.get(f"{base}/healthz").json()["generation"]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "load"
            locust = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(HERE / "locustfile.py"),
                    "--headless",
                    "-u",
                    str(args.users),
                    "-r",
                    str(args.users),
                    "-t",
                    f"{args.seconds}s",
                    "--host",
                    base,
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--stop-timeout",
                    "10",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            source = args.rebuild_from or args.publish_from
            if source:
                time.sleep(min(10, args.seconds / 4))
                extra = ["--rebuild"] if args.rebuild_from else []
                rebuild = subprocess.Popen(
                    [sys.executable, "-m", "searcharchive", "index", str(source)]
                    + ["--index", str(args.index), *extra],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            _, errors = locust.communicate(timeout=args.seconds + 120)
            rows = list(csv.DictReader((prefix.parent / "load_stats.csv").open()))
            failures = list(csv.DictReader((prefix.parent / "load_failures.csv").open()))
    finally:
        if rebuild is not None:
            rebuild.wait(timeout=3600)
        generation_after = httpx.get(f"{base}/healthz").json()["generation"]
        server.terminate()
        server.wait(timeout=30)
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(f"{'request':28} {'count':>8} {'fail':>6} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for row in rows:
        print(
            f"{row['Name'][:28]:28} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):8.1f} {row['50%']:>8} {row['99%']:>8}"
        )
    print(f"generation before {generations_before}, after {generation_after}")
    for failure in failures:
        print(
            f"failure: {failure['Method']} {failure['Name']}: {failure['Error']} ×{failure['Occurrences']}"
        )
    if locust.returncode not in (0, 1):  # 1: locust saw failures, listed above
        print(errors.decode(errors="replace")[-2000:], file=sys.stderr)
    return 1 if int(total["Failure Count"]) else 0


if __name__ == "__main__":
    sys.exit(main())
