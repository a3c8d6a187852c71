"""Helpers of the fault tests: corpora, the CLI and the server in subprocesses, hostile HTTP.

The fault tests work on a real index on disk, run `python -m searcharchive` as a user would,
and break something for real; the guarantees and the figures of the last run are listed in
RELIABILITY.md.
"""

from __future__ import annotations

import atexit
import hashlib
import http.client
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from searcharchive.archive import Archive
from searcharchive.indexer import Indexer
from searcharchive.request import SearchRequest
from searcharchive.sample import sample_sources

from .servers import free_port

PYTHON = sys.executable
BIG = 3000  # records in the corpus the killed indexer is working through
# words a record of it: long enough for a run to outlast the tests' kill points (an
# incremental run of it takes ~5 s, a two-process rebuild ~3 s on this machine, quiet)
BIG_WORDS = 60
# '.py", line' rather than '.py"': a 404 page links the requested path (escaped) in its
# language switch, so a request for /static/../app.py legitimately shows 'app.py"'
LEAK_MARKERS = ("Traceback", 'File "/', '.py", line', "/work/", "site-packages", "pytest-of-")
FILE_MARKERS = ("root:x:0:0", "[build-system]", "def create_app", "from __future__")
VOCABULARY = (
    "human rights defenders demand release of political prisoners court Minsk statement "
    "solidarity detention lawyers torture trial verdict appeal journalists freedom assembly"
).split()


def figure(name: str, value: object) -> None:
    """A measurement for RELIABILITY.md (shown with `pytest -s`)."""
    print(f"\nFIGURE {name}: {value}")


# ---------------------------------------------------------------- helpers: corpora


def records(
    word: str, count: int, prefix: str | None = None, seed: int = 7, words: int = 150
) -> list[dict]:
    """`count` English statements that all contain `word` (and no other corpus's word),
    of `words` words each."""
    rng = random.Random(seed)
    prefix = prefix or word
    return [
        {
            "id": f"{prefix}-{number:05d}",
            "lang": "en",
            "title": f"Statement {number} on the {word}",
            "body": f"About the {word}, number {number}. "
            + " ".join(rng.choice(VOCABULARY) for _ in range(words)),
            "date": f"2021-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
            "tags": [word],
        }
        for number in range(count)
    ]


def total(index: Path, query: str) -> int:
    return Archive.open(index).search(SearchRequest(q=query, size=1)).total


def snapshot(folder: Path) -> dict[str, str]:
    """Content hash of every file below `folder`."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@cache
def _pristine_sample() -> tuple[Path, str]:
    """The sample indexed once a process, in a folder removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="pristine-sample-"))
    atexit.register(shutil.rmtree, folder, True)
    report = Indexer(folder / "index").run(sample_sources(), rebuild=True)
    assert report.generation and not report.rejected
    return folder / "index", report.generation


def sample_index(index: Path) -> str:
    """The sample's index at `index` (a copy of one built once: a rebuild forks two writing
    processes, and a dozen tests start from it); returns its published generation."""
    pristine, generation = _pristine_sample()
    shutil.copytree(pristine, index)
    return generation


def wait_for(condition: Callable[[], object], timeout: float, interval: float = 0.05) -> float:
    """Seconds until `condition()` held; AssertionError after `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"still not true after {timeout} s")
        time.sleep(interval)
    return time.monotonic() - started


# ---------------------------------------------------------------- helpers: processes


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "searcharchive", *args], capture_output=True, text=True, timeout=timeout
    )


def start_cli(log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [PYTHON, "-m", "searcharchive", *args], stdout=out, stderr=subprocess.STDOUT
        )


def no_traceback(*outputs: str) -> None:
    for output in outputs:
        assert "Traceback" not in output, output


def serve_outcome(index_dir: Path, log: Path, timeout: float = 60) -> tuple[int | None, str]:
    """Start `serve` and see what it does: (exit code, output), or (None, output) if it serves."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [PYTHON, "-m", "searcharchive", "serve", "--index", str(index_dir)]
            + ["--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return process.returncode, log.read_text(errors="replace")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code:
                    return None, log.read_text(errors="replace")
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"serve neither exited nor served in {timeout} s")
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


@dataclass
class Hammer:
    """Requests in a loop from a thread; every non-200 answer or transport error is kept.
    A short pause after each leaves the machine's cores to what is being tested (an
    indexer, a rebuild): a loop without one took a core of its own and the server's."""

    base: str
    paths: list[str]
    pause: float = 0.01
    statuses: list[int] = field(default_factory=list)
    failures: list[tuple[str, object]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=15) as client:
            while not self.stop.is_set():
                for path in self.paths:
                    try:
                        response = client.get(path)
                    except httpx.HTTPError as error:
                        self.failures.append((path, repr(error)))
                        continue
                    self.statuses.append(response.status_code)
                    if response.status_code != 200:
                        self.failures.append((path, (response.status_code, response.text[:300])))
                    self.stop.wait(self.pause)


@contextmanager
def hammering(base: str, paths: list[str]) -> Iterator[Hammer]:
    hammer = Hammer(base, paths)
    thread = threading.Thread(target=hammer.run, daemon=True)
    thread.start()
    try:
        yield hammer
    finally:
        hammer.stop.set()
        thread.join(timeout=30)


def api(base: str, **params: Any) -> dict[str, Any]:
    response = httpx.get(f"{base}/api/search", params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


REFUSED = 0  # raw_get's status when the server closed the connection instead of answering


def raw_get(
    base: str, target: str, method: str = "GET", headers: Mapping[str, str] | None = None
) -> tuple[int, dict[str, str], bytes, float]:
    """A request sent byte for byte: no client-side path normalisation, no URL length limit.

    Non-ASCII characters are percent-encoded; nothing else is touched.
    """
    target = "".join(c if ord(c) < 128 else quote(c) for c in target)
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=60)
    started = time.monotonic()
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        received = {name.lower(): value for name, value in response.getheaders()}
        return response.status, received, body, time.monotonic() - started
    except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
        return REFUSED, {}, b"", time.monotonic() - started
    finally:
        connection.close()


def assert_safe(
    status: int,
    headers: Mapping[str, Any],
    body: bytes,
    secrets: tuple[str, ...] = (),
    check_headers: bool = True,
) -> None:
    """Security headers present; no traceback, filesystem path or file content in the body."""
    if check_headers:
        flat = {
            name.lower(): ", ".join(value) if isinstance(value, list) else str(value)
            for name, value in headers.items()
        }
        csp = flat.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp, (status, flat)
        assert flat.get("x-content-type-options") == "nosniff", (status, flat)
        assert flat.get("referrer-policy") == "no-referrer", (status, flat)
    text = body.decode("utf-8", errors="replace")
    for marker in (*LEAK_MARKERS, *FILE_MARKERS, *secrets):
        assert marker not in text, f"{marker!r} in a {status} response: {text[:500]}"
