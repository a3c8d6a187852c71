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


@contextmanager
def serving(
    index_dir: Path,
    log: Path,
    prefix: tuple[str, ...] = (),
    timeout: float = 60,
    options: tuple[str, ...] = (),
    env: Mapping[str, str] | None = None,
) -> Iterator[Server]:
    """`searcharchive serve` in a subprocess; its output goes to a file, never an unread pipe."""
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
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}:\n{server.output()}")
            try:
                if httpx.get(f"{server.base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start in time:\n{server.output()}")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_server(index_dir: Path, timeout: float = 60.0) -> Iterator[str]:
    """The base URL of a server whose log is thrown away with it."""
    with tempfile.TemporaryDirectory() as folder:
        with serving(index_dir, Path(folder) / "server.log", timeout=timeout) as server:
            yield server.base
