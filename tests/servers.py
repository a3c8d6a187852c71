"""Run `searcharchive serve` for real in a subprocess, on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from bench.system import stop

PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


PORT_TAKEN = "address already in use"  # uvicorn's words when another socket holds the port
PORT_TRIES = 5


def lost_the_port(server: Server) -> bool:
    """The server exited because its port was taken between free_port() and its bind: another
    process (a test worker in parallel, a client's outgoing connection) got it first."""
    return server.process.poll() is not None and PORT_TAKEN in server.output().lower()


@contextmanager
def serving(
    index_dir: Path,
    log: Path,
    prefix: tuple[str, ...] = (),
    timeout: float = 60,
    options: tuple[str, ...] = (),
    env: Mapping[str, str] | None = None,
) -> Iterator[Server]:
    """`searcharchive serve` in a subprocess; its output goes to a file, never an unread pipe.

    A free port can be taken by another process before the server binds it: then the server
    is started again on another port (a race of the test's setup, not of the code under test).
    """
    for attempt in range(1, PORT_TRIES + 1):
        port = free_port()
        with log.open("wb") as out:
            process = subprocess.Popen(
                [*prefix, PYTHON, "-m", "searcharchive", "serve"]
                + ["--index", str(index_dir), "--port", str(port), *options],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            )
        server = Server(f"http://127.0.0.1:{port}", process, log)
        try:
            started = _wait_until_serving(server, timeout)
        except BaseException:
            stop(process)
            raise
        if started:
            break
        stop(process)
        if attempt == PORT_TRIES:
            raise RuntimeError(f"no free port in {PORT_TRIES} tries:\n{server.output()}")
    try:
        yield server
    finally:
        stop(process)


def _wait_until_serving(server: Server, timeout: float) -> bool:
    """True once the server answers; False when it lost its port; RuntimeError otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            if lost_the_port(server):
                return False
            raise RuntimeError(
                f"server exited with {server.process.returncode}:\n{server.output()}"
            )
        try:
            if httpx.get(f"{server.base}/healthz", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"server did not start in time:\n{server.output()}")
        time.sleep(0.1)


@contextmanager
def running_server(index_dir: Path, timeout: float = 60.0) -> Iterator[str]:
    """The base URL of a server whose log is thrown away with it."""
    with tempfile.TemporaryDirectory() as folder:
        with serving(index_dir, Path(folder) / "server.log", timeout=timeout) as server:
            yield server.base


@contextmanager
def serving_records(folder: Path, records: list[dict[str, object]]) -> Iterator[httpx.Client]:
    """`records` indexed by the real Indexer in `folder` and served: a client of the server,
    which must have written no traceback when it stops."""
    from searcharchive.indexer import Indexer

    from .conftest import write_jsonl

    index_dir = folder / "index"
    report = Indexer(index_dir).run([write_jsonl(folder / "records.jsonl", records)])
    assert report.indexed == len(records) and not report.rejected
    with serving(index_dir, folder / "server.log") as server:
        with httpx.Client(base_url=server.base, timeout=30) as client:
            yield client
        assert "Traceback" not in server.output()
