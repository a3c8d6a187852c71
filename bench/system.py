"""Processes the harness measures: builds as subprocesses (time, peak RSS), and a real server."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

MB = 1024 * 1024


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    capped: bool = False


def _tree_memory(process: psutil.Process) -> int:
    """Memory of a process and its children: the sum of their proportional set sizes
    (PSS), so pages that forked processes share are counted once, not once a process."""
    try:
        procs = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            info = proc.memory_full_info()
            total += getattr(info, "pss", info.rss)
    return total


def memory_cap_mb() -> float:
    """Default guard for a build: 70% of the machine's memory (a runaway indexer must not
    take the machine, shared with others, down with it)."""
    return psutil.virtual_memory().total * 0.7 / MB


def measured(command: list[str], log_dir: Path, name: str, cap_mb: float | None = None) -> Run:
    """Run a command to completion: wall time, and peak memory (the process's own RSS
    high-water mark from wait4, or the sampled PSS sum of its process tree, whichever is
    higher). A process tree growing past `cap_mb` is killed (returncode -9, `Run.capped`)."""
    cap = (cap_mb or memory_cap_mb()) * MB
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / f"{name}.out", log_dir / f"{name}.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        sampled = [0]
        capped = threading.Event()
        done = threading.Event()

        def sample() -> None:
            with contextlib.suppress(psutil.Error):
                proc = psutil.Process(process.pid)
                while not done.wait(0.2):
                    sampled[0] = max(sampled[0], _tree_memory(proc))
                    if sampled[0] > cap:
                        capped.set()
                        for child in [*proc.children(recursive=True), proc]:
                            with contextlib.suppress(psutil.Error):
                                child.kill()
                        return

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        process.returncode = os.waitstatus_to_exitcode(status)
    peak = max(usage.ru_maxrss * 1024, sampled[0])  # ru_maxrss is in KiB on Linux
    return Run(
        seconds,
        peak / MB,
        process.returncode,
        out_path.read_text(encoding="utf-8", errors="replace"),
        err_path.read_text(encoding="utf-8", errors="replace"),
        capped.is_set(),
    )


def dir_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / MB
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / MB


def current_generation(index_dir: Path) -> Path:
    return index_dir / (index_dir / "CURRENT").read_text(encoding="ascii").strip()


def link_copy_index(source: Path, target: Path) -> None:
    """A private copy of an index's published generation: Whoosh's own files (never
    rewritten) as hard links, everything else as real copies, so that indexing into
    the copy cannot touch the source."""
    shutil.rmtree(target, ignore_errors=True)
    generation = current_generation(source)
    (target / generation.name).mkdir(parents=True)
    for item in generation.iterdir():
        if not item.is_file() or item.name == "MAIN_WRITELOCK":
            continue
        if item.name.startswith(("MAIN_", "_MAIN_")):
            os.link(item, target / generation.name / item.name)
        else:
            shutil.copy2(item, target / generation.name / item.name)
    shutil.copy2(source / "CURRENT", target / "CURRENT")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server(
    index_dir: Path,
    log: Path,
    timeout: float = 600.0,
    port: int | None = None,
    workers: int = 1,
) -> Iterator[tuple[str, psutil.Process]]:
    """`searcharchive serve` on loopback (a free port unless given), once /healthz answers."""
    port = port or free_port()
    command = [sys.executable, "-m", "searcharchive", "serve", "--index", str(index_dir)]
    command += ["--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}; see {log}")
            with contextlib.suppress(OSError):
                get_json(f"{base}/healthz", timeout=2)
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start within {timeout:.0f} s; see {log}")
            time.sleep(0.2)
        yield base, psutil.Process(process.pid)
    finally:
        stop(process)


def stop(process: subprocess.Popen[Any]) -> None:
    """Ask a process we started to stop (SIGTERM); kill it if it has not within 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def fetch(url: str, params: dict | None = None, timeout: float = 60.0) -> bytes:
    """GET a page, redirects followed; an error status raises (stdlib only, so the bench
    extra needs no HTTP client)."""
    if params:
        url += "?" + urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return bytes(response.read())


def get_json(url: str, params: dict | None = None, timeout: float = 60.0) -> dict:
    """GET a JSON document."""
    return dict(json.loads(fetch(url, params, timeout)))


def rss_mb(process: psutil.Process) -> float:
    """The server's resident memory (one process: its RSS)."""
    try:
        return float(process.memory_info().rss) / MB
    except psutil.Error:
        return 0.0


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = psutil.virtual_memory().total / 1024**3
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), {ram:.0f} GB RAM; "
        f"Python {platform.python_version()}, whoosh-reloaded {_version('whoosh-reloaded')}, "
        f"SQLite {sqlite3.sqlite_version}, tantivy {_version('tantivy')}"
    )


def source_fingerprint() -> str:
    """Of the searcharchive package's code and data: a cached index of other code is stale."""
    import searcharchive

    root = Path(searcharchive.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
