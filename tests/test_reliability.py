"""Faults and hostile requests against the real thing: indexer and server in subprocesses.

Every test works on a real index on disk, runs `python -m searcharchive` as a user
would, and breaks something for real: SIGKILL, a full tmpfs, garbage in the index
files, directories swapped under a running server, requests built to escape the
URL space or to be too big. Guarantees and the figures of the last run are listed
in RELIABILITY.md.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx
import psutil
import pytest

from searcharchive.bulk import BulkWriteFailed
from searcharchive.errors import IndexCorrupt
from searcharchive.indexer import Indexer
from searcharchive.sample import sample_sources
from searcharchive.search import Archive, SearchRequest, SearchResult
from searcharchive.store import IndexStore

from .conftest import write_jsonl
from .servers import Server, free_port, serving

PYTHON = sys.executable
BIG = 3000  # records in the corpus the killed indexer is working through
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


def records(word: str, count: int, prefix: str | None = None, seed: int = 7) -> list[dict]:
    """`count` English statements that all contain `word` (and no other corpus's word)."""
    rng = random.Random(seed)
    prefix = prefix or word
    return [
        {
            "id": f"{prefix}-{number:05d}",
            "lang": "en",
            "title": f"Statement {number} on the {word}",
            "body": f"About the {word}, number {number}. "
            + " ".join(rng.choice(VOCABULARY) for _ in range(150)),
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


def sample_index(index: Path) -> str:
    report = Indexer(index).run(sample_sources(), rebuild=True)
    assert report.generation and not report.rejected
    return report.generation


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
    """Requests in a loop from a thread; every non-200 answer or transport error is kept."""

    base: str
    paths: list[str]
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


# ---------------------------------------------------------------- the indexer killed


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("big") / "quokka.jsonl", records("quokka", BIG))


@pytest.mark.parametrize("delay", [0.0, 1.5], ids=["when-tmp-appears", "mid-write"])
def test_sigkill_mid_run_leaves_the_served_index_and_a_rerun_publishes(
    tmp_path: Path, big_corpus: Path, delay: float
) -> None:
    index = tmp_path / "index"
    published = sample_index(index)
    before = snapshot(index / published)
    store = IndexStore(index)

    with serving(index, tmp_path / "server.log") as server:
        with hammering(server.base, ["/api/search?q=Seviarynets", "/?q=statement"]) as hammer:
            indexer = start_cli(
                tmp_path / "killed.log", "index", str(big_corpus), "--index", str(index)
            )
            wait_for(lambda: any(index.glob("tmp-*")) or indexer.poll() is not None, 60, 0.005)
            time.sleep(delay)
            assert indexer.poll() is None, "the indexer finished before it could be killed"
            indexer.send_signal(signal.SIGKILL)
            assert indexer.wait(timeout=10) == -signal.SIGKILL
            time.sleep(0.5)
        figure(f"served during SIGKILL ({delay} s)", f"{len(hammer.statuses)} requests, all 200")
        assert hammer.failures == [] and hammer.statuses

        assert store.current_name() == published
        assert [g.name for g in store.generations()] == [published]
        assert snapshot(index / published) == before
        found = cli("search", "Seviarynets", "--index", str(index), "--json")
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout)["generation"] == published
        assert json.loads(found.stdout)["total"] >= 1
        assert total(index, "quokka") == 0
        assert api(server.base, q="quokka")["total"] == 0

        started = time.monotonic()
        rerun = cli("index", str(big_corpus), "--index", str(index))
        seconds = time.monotonic() - started
        figure(f"rerun after SIGKILL ({delay} s)", f"{seconds:.1f} s for {BIG} records")
        assert rerun.returncode == 0, rerun.stderr
        no_traceback(rerun.stdout, rerun.stderr)
        assert f"read {BIG}, indexed {BIG}, updated 0, unchanged 0, rejected 0" in rerun.stdout
        assert store.current_name() not in (None, published)
        assert not list(index.glob("tmp-*"))
        assert total(index, "quokka") == BIG
        assert total(index, "Seviarynets") >= 1
        wait_for(lambda: api(server.base, q="quokka")["total"] == BIG, 10)


# ---------------------------------------------------------------- a full build in processes


def helpers_of(indexer: subprocess.Popen[bytes], timeout: float = 60) -> list[psutil.Process]:
    """The indexing processes a full build has started (waits until there are two)."""
    parent = psutil.Process(indexer.pid)
    wait_for(lambda: len(parent.children()) >= 2 or indexer.poll() is not None, timeout, 0.01)
    assert indexer.poll() is None, "the build finished before its processes could be seen"
    return parent.children()


def gone(processes: list[psutil.Process]) -> bool:
    return not [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def test_sigkill_mid_rebuild_leaves_no_process_behind_and_a_rerun_publishes(
    tmp_path: Path, big_corpus: Path
) -> None:
    """A full build writes in several processes: killing the indexer ends them too."""
    index = tmp_path / "index"
    published = sample_index(index)
    before = snapshot(index / published)
    command = ("index", str(big_corpus), "--index", str(index), "--rebuild", "--processes", "2")
    indexer = start_cli(tmp_path / "killed.log", *command)
    helpers = helpers_of(indexer)
    time.sleep(1.0)
    indexer.send_signal(signal.SIGKILL)
    assert indexer.wait(timeout=10) == -signal.SIGKILL
    seconds = wait_for(lambda: gone(helpers), 10)
    figure("processes of a killed full build", f"{len(helpers)} gone {seconds:.1f} s after it")
    store = IndexStore(index)
    assert store.current_name() == published and snapshot(index / published) == before
    assert total(index, "Seviarynets") >= 1

    rerun = cli(*command)
    assert rerun.returncode == 0, rerun.stderr
    no_traceback(rerun.stdout, rerun.stderr)
    assert f"read {BIG}, indexed {BIG}, updated 0, unchanged 0, rejected 0" in rerun.stdout
    assert not list(index.glob("tmp-*"))
    assert total(index, "quokka") == BIG and total(index, "Seviarynets") == 0


def test_ctrl_c_mid_rebuild_stops_every_process_without_a_traceback(
    tmp_path: Path, big_corpus: Path
) -> None:
    index = tmp_path / "index"
    published = sample_index(index)
    log = tmp_path / "interrupted.log"
    indexer = start_cli(
        log, "index", str(big_corpus), "--index", str(index), "--rebuild", "--processes", "2"
    )
    helpers = helpers_of(indexer)
    time.sleep(0.5)
    for process in (*helpers, psutil.Process(indexer.pid)):  # as a terminal's Ctrl-C does
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(signal.SIGINT)
    assert indexer.wait(timeout=30) == 130
    wait_for(lambda: gone(helpers), 10)
    output = log.read_text()
    no_traceback(output)
    assert "interrupted" in output
    assert IndexStore(index).current_name() == published
    assert not list(index.glob("tmp-*"))


def _analyser_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    import searcharchive.analysis as analysis

    real = analysis.FoldFilter.__call__

    def explode(self: Any, tokens: Any) -> Any:
        def watched() -> Any:
            for token in tokens:
                if token.text == "Kaboom":
                    raise RuntimeError("the analyser failed")
                yield token

        return real(self, watched())

    monkeypatch.setattr(analysis.FoldFilter, "__call__", explode)


def _disk_fills_up(monkeypatch: pytest.MonkeyPatch) -> None:
    from whoosh.multiproc import SubWriterTask

    def full(self: Any, filename: str, doc_count: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(SubWriterTask, "_process_file", full)


@pytest.mark.parametrize(
    ("breakage", "error", "message"),
    [
        (_analyser_fails, BulkWriteFailed, "the analyser failed"),
        (_disk_fills_up, OSError, "No space left on device"),
    ],
    ids=["analyser-raises", "disk-full"],
)
def test_a_failing_indexing_process_publishes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    breakage: Callable[[pytest.MonkeyPatch], None],
    error: type[Exception],
    message: str,
) -> None:
    """A process of a full build fails and loses the documents it held: the build says
    why (an OSError stays one, for the CLI's message) and the published generation stays."""
    index = tmp_path / "index"
    published = sample_index(index)
    others = set(psutil.Process().children())  # servers of other tests
    breakage(monkeypatch)  # the build's forked processes inherit it
    rows = records("quokka", 250) + [
        {"id": "bad", "lang": "en", "title": "Kaboom", "body": "Kaboom here."}
    ]
    source = write_jsonl(tmp_path / "some.jsonl", rows)
    with pytest.raises(error, match=message):
        Indexer(index, processes=2).run([source], rebuild=True)
    assert IndexStore(index).current_name() == published
    assert not list(index.glob("tmp-*"))
    assert set(psutil.Process().children()) <= others  # no indexing process left


def test_indexing_processes_killed_from_outside_fail_the_build_instead_of_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The OOM killer takes both processes of a full build (SIGKILL, possibly while one
    holds the job queue's lock): the indexer must not wait forever on a full queue."""
    import searcharchive.bulk as bulk

    index = tmp_path / "index"
    published = sample_index(index)
    others = set(psutil.Process().children())

    def killed_soon(parent: int) -> None:  # runs in each forked process
        time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(bulk, "_exit_with_parent", killed_soon)
    source = write_jsonl(tmp_path / "many.jsonl", records("quokka", 2000))
    outcome: list[BaseException | None] = []

    def build() -> None:
        try:
            Indexer(index, processes=2).run([source], rebuild=True)
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 - the test inspects it
            outcome.append(error)

    worker = threading.Thread(target=build, daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "the indexer hung after its processes were killed"
    assert isinstance(outcome[0], BulkWriteFailed), outcome
    assert "exit code -9" in str(outcome[0])
    assert IndexStore(index).current_name() == published
    assert not list(index.glob("tmp-*"))
    assert set(psutil.Process().children()) <= others


@dataclass
class Interrupted:
    code: int
    output: str
    published: str
    current: str | None
    leftovers: list[str]


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory: pytest.TempPathFactory, big_corpus: Path) -> Interrupted:
    """An indexer run stopped with Ctrl-C (SIGINT) once it has started writing."""
    folder = tmp_path_factory.mktemp("interrupted")
    index = folder / "index"
    published = sample_index(index)
    log = folder / "interrupted.log"
    indexer = start_cli(log, "index", str(big_corpus), "--index", str(index))
    wait_for(lambda: any(index.glob("tmp-*")) or indexer.poll() is not None, 60, 0.005)
    time.sleep(0.5)
    assert indexer.poll() is None, "the indexer finished before it could be interrupted"
    indexer.send_signal(signal.SIGINT)
    code = indexer.wait(timeout=30)
    leftovers = [p.name for p in index.glob("tmp-*")]
    return Interrupted(
        code, log.read_text(), published, IndexStore(index).current_name(), leftovers
    )


def test_ctrl_c_stops_the_indexer_cleanly(interrupted: Interrupted) -> None:
    assert interrupted.code != 0
    no_traceback(interrupted.output)
    assert interrupted.current == interrupted.published
    assert interrupted.leftovers == []  # the half-built generation is removed on the way out


def test_ctrl_c_exits_130_saying_interrupted(interrupted: Interrupted) -> None:
    assert interrupted.code == 130 and "interrupted" in interrupted.output, interrupted.output


def test_a_second_indexer_is_refused_while_one_runs(tmp_path: Path, big_corpus: Path) -> None:
    index = tmp_path / "index"
    published = sample_index(index)
    first = start_cli(tmp_path / "first.log", "index", str(big_corpus), "--index", str(index))
    try:
        wait_for(lambda: any(index.glob("tmp-*")) or first.poll() is not None, 60, 0.005)
        small = write_jsonl(tmp_path / "few.jsonl", records("narwhal", 3))
        second = cli("index", str(small), "--index", str(index))
        assert first.poll() is None, "the first indexer finished too soon to test this"
    finally:
        first.kill()
        first.wait(timeout=10)
    assert second.returncode == 2, second.stdout + second.stderr
    no_traceback(second.stdout, second.stderr)
    assert second.stderr.startswith("error:") and "another indexer" in second.stderr
    assert IndexStore(index).current_name() == published


def test_publishing_leaves_the_previous_generation_untouched(tmp_path: Path) -> None:
    """A new generation never writes into the one it was built from (its files are shared by
    hard links), so a server still on it, or a rollback by hand, sees it as it was."""
    index = tmp_path / "index"
    first = sample_index(index)
    before = snapshot(index / first)
    statements = Archive.open(index).search(SearchRequest()).total
    Indexer(index).run([write_jsonl(tmp_path / "more.jsonl", records("narwhal", 30))])
    assert IndexStore(index).current_name() != first
    assert snapshot(index / first) == before
    (index / "CURRENT").write_text(first + "\n", encoding="ascii")  # README: "CURRENT last"
    assert Archive.open(index).search(SearchRequest()).total == statements


def test_sigkill_while_the_new_generation_is_finished_publishes_nothing_half_done(
    tmp_path: Path, big_corpus: Path
) -> None:
    """Killed after Whoosh's commit, while the catalog and facet columns are written."""
    index = tmp_path / "index"
    published = sample_index(index)
    old = index / published
    before = snapshot(old)
    store = IndexStore(index)
    indexer = start_cli(tmp_path / "killed.log", "index", str(big_corpus), "--index", str(index))

    def finishing() -> bool:
        return indexer.poll() is not None or any(
            (work / "catalog.json").exists() for work in index.glob("tmp-*")
        )

    wait_for(finishing, 120, 0.002)
    killed = indexer.poll() is None
    if killed:
        indexer.send_signal(signal.SIGKILL)
        indexer.wait(timeout=10)
    figure("SIGKILL after commit", "killed while finishing" if killed else "run finished first")

    assert snapshot(old) == before
    if store.current_name() == published:
        assert total(index, "quokka") == 0 and total(index, "Seviarynets") >= 1
    else:
        assert total(index, "quokka") == BIG
    rerun = cli("index", str(big_corpus), "--index", str(index))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert total(index, "quokka") == BIG and total(index, "Seviarynets") >= 1
    assert not list(index.glob("tmp-*"))


# ---------------------------------------------------------------- a full disk


@functools.cache
def tmpfs_problem() -> str | None:
    """Why a tmpfs cannot be mounted here, or None when it can."""
    if os.geteuid() != 0:
        return "mounting a tmpfs needs root"
    if not shutil.which("mount") or not shutil.which("umount"):
        return "no mount/umount command"
    folder = tempfile.mkdtemp(prefix="searcharchive-mount-check-")
    try:
        tried = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", folder],
            capture_output=True,
            text=True,
        )
        if tried.returncode:
            return f"mount -t tmpfs is not permitted here: {tried.stderr.strip()}"
        subprocess.run(["umount", folder], check=True)
        return None
    finally:
        os.rmdir(folder)


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)]).returncode:
            subprocess.run(["umount", "-l", str(folder)])


@dataclass
class FullDiskRun:
    first: subprocess.CompletedProcess[str]
    full: subprocess.CompletedProcess[str]
    published: str | None
    after: str | None
    generations: list[str]
    leftovers: list[str]
    search: subprocess.CompletedProcess[str]
    free_before: int
    free_after: int
    again: subprocess.CompletedProcess[str]
    quokka_after_again: int


@pytest.fixture(scope="module")
def full_disk(tmp_path_factory: pytest.TempPathFactory, big_corpus: Path) -> FullDiskRun:
    problem = tmpfs_problem()
    if problem:
        pytest.skip(problem)
    folder = tmp_path_factory.mktemp("disk")
    with small_disk(folder / "mnt", "3m") as disk:
        index = disk / "index"
        first = cli("index", *map(str, sample_sources()), "--index", str(index))
        store = IndexStore(index)
        published = store.current_name()
        free_before = shutil.disk_usage(disk).free
        full = cli("index", str(big_corpus), "--index", str(index))
        after = store.current_name()
        generations = [g.name for g in store.generations()]
        leftovers = [p.name for p in index.glob("tmp-*")]
        free_after = shutil.disk_usage(disk).free
        search = cli("search", "Seviarynets", "--index", str(index), "--json")
        small = write_jsonl(folder / "few.jsonl", records("quokka", 5))
        again = cli("index", str(small), "--index", str(index))
        quokkas = total(index, "quokka")
    figure("full disk", f"exit {full.returncode}: {full.stderr.strip()[:200]}")
    return FullDiskRun(
        first,
        full,
        published,
        after,
        generations,
        leftovers,
        search,
        free_before,
        free_after,
        again,
        quokkas,
    )


def test_full_disk_fails_cleanly_and_keeps_the_published_generation(
    full_disk: FullDiskRun,
) -> None:
    run = full_disk
    assert run.first.returncode == 0, run.first.stderr
    assert run.full.returncode != 0
    no_traceback(run.full.stdout, run.full.stderr)
    assert run.full.stderr.startswith("error:")
    assert "no space left" in run.full.stderr.lower()
    assert run.after == run.published and run.generations == [run.published]
    assert run.leftovers == []  # the half-built generation is removed ...
    assert run.free_after >= run.free_before - 64 * 1024  # ... and its space given back
    assert run.search.returncode == 0, run.search.stderr
    assert json.loads(run.search.stdout)["total"] >= 1
    assert run.again.returncode == 0, run.again.stderr  # once there is room, indexing works
    assert run.quokka_after_again == 5


def test_full_disk_during_a_full_build_in_processes_fails_cleanly(
    tmp_path: Path, big_corpus: Path
) -> None:
    """The disk fills up in one of the build's processes: the same clear error."""
    problem = tmpfs_problem()
    if problem:
        pytest.skip(problem)
    with small_disk(tmp_path / "mnt", "3m") as disk:
        index = disk / "index"
        published = sample_index(index)
        full = cli("index", str(big_corpus), "--index", str(index), "--rebuild", "--processes", "2")
        assert full.returncode == 2, full.stdout + full.stderr
        no_traceback(full.stdout, full.stderr)
        assert "no space left" in full.stderr.lower(), full.stderr
        assert IndexStore(index).current_name() == published
        assert not list(index.glob("tmp-*"))
        assert total(index, "Seviarynets") >= 1


def test_full_disk_message_says_what_happened(full_disk: FullDiskRun) -> None:
    assert full_disk.full.returncode == 2
    assert "unexpected failure" not in full_disk.full.stderr
    assert "please report" not in full_disk.full.stderr


# ---------------------------------------------------------------- a damaged index


def _garbage(pattern: str) -> Callable[[Path], None]:
    def damage(index: Path) -> None:
        generation = index / (IndexStore(index).current_name() or "")
        files = list(generation.glob(pattern))
        assert files, pattern
        for path in files:
            path.write_bytes(random.Random(path.name).randbytes(300))

    return damage


def _truncate_all(index: Path) -> None:
    for path in (index / (IndexStore(index).current_name() or "")).iterdir():
        path.write_bytes(b"")


def _damage_postings(index: Path) -> None:
    """Every posting list overwritten, the term table and everything else intact: opening the
    index still works, the first search that reads postings fails."""
    generation = index / (IndexStore(index).current_name() or "")
    for path in generation.glob("*.pst"):
        path.write_bytes(b"\xff" * path.stat().st_size)


def _current(text: bytes) -> Callable[[Path], None]:
    def damage(index: Path) -> None:
        (index / "CURRENT").write_bytes(text)

    return damage


def _delete_generation(index: Path) -> None:
    shutil.rmtree(index / (IndexStore(index).current_name() or "missing"))


DAMAGED_FILES = {
    "garbage-postings": _garbage("*.pst"),
    "garbage-terms": _garbage("*.trm"),
    "garbage-toc": _garbage("_MAIN_*.toc"),
    "garbage-everywhere": _garbage("*"),
    "truncated-files": _truncate_all,
}
BROKEN_POINTER = {
    "current-names-missing-generation": _current(b"gen-000042\n"),
    "current-is-garbage": _current(b"\x00\xffnot a generation\n"),
    "generation-folder-deleted": _delete_generation,
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("pristine") / "index"
    sample_index(index)
    return index


def damaged(pristine: Path, tmp_path: Path, damage: Callable[[Path], None]) -> Path:
    index = tmp_path / "index"
    shutil.copytree(pristine, index)
    damage(index)
    return index


@pytest.mark.parametrize("case", [*DAMAGED_FILES, *BROKEN_POINTER, "no-index"])
def test_search_on_a_damaged_or_missing_index_says_so_without_a_traceback(
    pristine: Path, tmp_path: Path, case: str
) -> None:
    if case == "no-index":
        index = tmp_path / "nothing-here"
    else:
        index = damaged(pristine, tmp_path, {**DAMAGED_FILES, **BROKEN_POINTER}[case])
    result = cli("search", "Seviarynets", "--index", str(index))
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    no_traceback(result.stdout, result.stderr)
    assert result.stderr.startswith("error:") and "unexpected failure" not in result.stderr


# each file of a generation on its own: Whoosh's own, and the sidecars we derive from them
ONE_FILE = [
    "*.pst",
    "*.trm",
    "*.col",
    "_MAIN_*.toc",
    "columns.npz",
    "frequent.npz",
    "meta.json",
    "catalog.json",
    "persons.json",
]


def test_every_file_of_a_generation_is_covered_below(pristine: Path) -> None:
    generation = pristine / (IndexStore(pristine).current_name() or "")
    names = {p.name for p in generation.iterdir()} - {"MAIN_WRITELOCK"}
    covered = {p.name for pattern in ONE_FILE for p in generation.glob(pattern)}
    assert names <= covered, f"add a damage case for {sorted(names - covered)}"


def _search_json(index: Path) -> subprocess.CompletedProcess[str]:
    return cli("search", "Seviarynets", "--index", str(index), "--json", "--limit", "100")


@pytest.fixture(scope="module")
def pristine_answer(pristine: Path) -> dict[str, Any]:
    found = _search_json(pristine)
    assert found.returncode == 0, found.stderr
    answer = json.loads(found.stdout)
    return {"total": answer["total"], "ids": [h["id"] for h in answer["hits"]]}


@pytest.mark.parametrize("pattern", ONE_FILE)
def test_one_damaged_file_is_recovered_from_or_reported_never_misread(
    pristine: Path, pristine_answer: dict[str, Any], tmp_path: Path, pattern: str
) -> None:
    generation = pristine / (IndexStore(pristine).current_name() or "")
    if not list(generation.glob(pattern)):
        pytest.skip(f"this version writes no {pattern}")
    index = damaged(pristine, tmp_path, _garbage(pattern))
    for result in (
        _search_json(index),
        cli("index", str(sample_sources()[1]), "--index", str(index)),
    ):
        no_traceback(result.stdout, result.stderr)
        assert "unexpected failure" not in result.stderr, result.stderr
        assert result.returncode in (0, 2), (result.returncode, result.stderr)
        if result.returncode == 2:
            assert result.stderr.startswith("error:"), result.stderr
    found = _search_json(index)
    if found.returncode == 0:  # recovered: then with the right answer, not a silently wrong one
        answer = json.loads(found.stdout)
        assert answer["total"] == pristine_answer["total"]
        assert [h["id"] for h in answer["hits"]] == pristine_answer["ids"]


def test_search_on_damaged_postings_says_the_index_is_damaged(
    pristine: Path, tmp_path: Path
) -> None:
    index = damaged(pristine, tmp_path, _damage_postings)
    result = cli("search", "Seviarynets", "--index", str(index))
    no_traceback(result.stdout, result.stderr)
    assert result.returncode == 2 and "unexpected failure" not in result.stderr, result.stderr


@pytest.mark.parametrize("case", list(DAMAGED_FILES))
def test_serve_on_a_damaged_index_refuses_to_start_with_a_message(
    pristine: Path, tmp_path: Path, case: str
) -> None:
    index = damaged(pristine, tmp_path, DAMAGED_FILES[case])
    code, output = serve_outcome(index, tmp_path / "serve.log")
    assert code == 2, output
    no_traceback(output)
    assert output.startswith("error:") and "cannot be read" in output, output


@pytest.mark.parametrize("case", list(BROKEN_POINTER))
def test_serve_on_a_broken_current_pointer_refuses_to_start(
    pristine: Path, tmp_path: Path, case: str
) -> None:
    index = damaged(pristine, tmp_path, BROKEN_POINTER[case])
    before = sorted(p.name for p in index.iterdir())
    code, output = serve_outcome(index, tmp_path / "serve.log")
    assert code == 2 and "error:" in output, output
    no_traceback(output)
    assert sorted(p.name for p in index.iterdir()) == before


# ---------------------------------------------------------------- the index replaced under a server

SEARCHES = [
    "/api/search?q=statement",
    "/?q=statement",
    "/api/search?sort=newest&size=5",
    "/feed.atom",
    "/healthz",
]


def test_rebuilds_and_removed_generations_while_serving_keep_answering(tmp_path: Path) -> None:
    index = tmp_path / "index"
    sample_index(index)
    words = ["quokka", "narwhal", "axolotl", "pangolin"]
    corpora = [write_jsonl(tmp_path / f"{w}.jsonl", records(w, 150)) for w in words]
    with serving(index, tmp_path / "server.log") as server:
        with hammering(server.base, SEARCHES) as hammer:
            for word, corpus in zip(words, corpora, strict=True):
                rebuilt = cli("index", str(corpus), "--index", str(index), "--rebuild")
                assert rebuilt.returncode == 0, rebuilt.stderr
                wait_for(lambda w=word: api(server.base, q=w)["total"] == 150, 10)
            # the indexer keeps 3 generations; remove the older ones by hand as well
            current = IndexStore(index).current_name()
            removed = [g for g in IndexStore(index).generations() if g.name != current]
            for old in removed:
                shutil.rmtree(old)
            time.sleep(1)
        figure("rebuilds while serving", f"{len(hammer.statuses)} requests, {hammer.failures}")
        assert hammer.failures == []
        assert len(hammer.statuses) >= 20
        assert removed, "the indexer left no old generation to remove"
        assert api(server.base, q="pangolin")["total"] == 150
        assert api(server.base, q="Seviarynets")["total"] == 0
        assert api(server.base, q="quokka")["total"] == 0


def build(index: Path, tmp_path: Path, *batches: list[dict]) -> str:
    """An index built by one indexer run per batch; returns its published generation."""
    for number, batch in enumerate(batches):
        report = Indexer(index).run([write_jsonl(tmp_path / f"batch-{number}.jsonl", batch)])
        assert report.generation and not report.rejected
    return IndexStore(index).current_name() or ""


def swap_directory(index: Path, replacement: Path) -> None:
    """Replace the whole index directory: two renames, then the old one is deleted."""
    old = index.with_name(index.name + ".old")
    os.rename(index, old)
    os.rename(replacement, index)
    shutil.rmtree(old)


def test_index_directory_swapped_by_rename_keeps_answering_and_serves_the_new_one(
    tmp_path: Path,
) -> None:
    index = tmp_path / "index"
    old = build(index, tmp_path, records("quokka", 20))
    replacement = tmp_path / "replacement"
    new = build(replacement, tmp_path, records("narwhal", 10), records("narwhal", 20, "more"))
    assert new != old
    with serving(index, tmp_path / "server.log") as server:
        with hammering(server.base, SEARCHES) as hammer:
            time.sleep(0.5)
            swap_directory(index, replacement)
            waited = wait_for(lambda: api(server.base, q="narwhal")["total"] == 30, 10)
            time.sleep(0.5)
        figure(
            "directory swap", f"new content after {waited:.2f} s, {len(hammer.statuses)} requests"
        )
        assert hammer.failures == []
        assert api(server.base, q="quokka")["total"] == 0
        assert httpx.get(f"{server.base}/healthz").json()["generation"] == new


def test_index_directory_swapped_for_one_with_the_same_generation_name(tmp_path: Path) -> None:
    index = tmp_path / "index"
    old = build(index, tmp_path, records("quokka", 20))
    replacement = tmp_path / "replacement"
    assert build(replacement, tmp_path, records("narwhal", 30)) == old
    with serving(index, tmp_path / "server.log") as server:
        assert api(server.base, q="quokka")["total"] == 20
        swap_directory(index, replacement)
        time.sleep(2)
        assert api(server.base, q="narwhal")["total"] == 30
        assert api(server.base, q="quokka")["total"] == 0


# a published generation that cannot be read (a bad sync, a full disk on another host, ...)


@pytest.fixture(scope="module")
def broken_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    folder = tmp_path_factory.mktemp("broken")
    index = folder / "index"
    good = sample_index(index)
    with serving(index, folder / "server.log") as server:
        assert api(server.base, q="Seviarynets")["total"] >= 1
        broken = index / "gen-000002"
        broken.mkdir()
        for path in (index / good).iterdir():
            (broken / path.name).write_bytes(random.Random(path.name).randbytes(200))
        (index / "CURRENT").write_text("gen-000002\n", encoding="ascii")
        time.sleep(0.5)
        yield server, index


BROKEN_ROUTES = [
    "/",
    "/?q=Seviarynets",
    "/api/search?q=Seviarynets",
    "/statements/immediately-release-pavel-seviarynets-ef4ec130b5",
    "/api/statements/immediately-release-pavel-seviarynets-ef4ec130b5",
    "/tags/joint%20statement",
    "/feed.atom",
    "/export.csv",
]


def test_a_broken_publication_leaks_nothing_in_error_responses(
    broken_server: tuple[Server, Path],
) -> None:
    server, index = broken_server
    for route in BROKEN_ROUTES:
        for _ in range(2):  # once on the cached generation, once after the reload check
            status, headers, body, _ = raw_get(server.base, route)
            assert status in (200, 404), (route, status)  # the last good generation answers
            assert_safe(status, headers, body, secrets=(str(index),), check_headers=False)
            time.sleep(0.25)


class FailingArchive(Archive):
    """A real archive whose searches fail unexpectedly: the app's last line of defence."""

    def search(self, request: SearchRequest) -> SearchResult:
        raise RuntimeError(f"boom in {self.store.root}")


def test_error_500_responses_carry_the_security_headers(web_index: Path) -> None:
    from starlette.testclient import TestClient

    from searcharchive.web.app import create_app

    archive = FailingArchive(web_index)
    client = TestClient(create_app(web_index, archive=archive), raise_server_exceptions=False)
    for route in ("/?q=Seviarynets", "/api/search?q=Seviarynets", "/be/?q=x", "/feed.atom"):
        response = client.get(route)
        assert response.status_code == 500, route
        assert "set-cookie" not in response.headers
        assert_safe(
            response.status_code,
            dict(response.headers),
            response.content,
            secrets=(str(web_index),),
        )


class UnreadableArchive(Archive):
    """A real archive whose index turns out to be unreadable while serving."""

    def search(self, request: SearchRequest) -> SearchResult:
        raise IndexCorrupt(f"the index generation {self.store.root}/gen-000009 cannot be read")


@pytest.mark.parametrize(
    ("prefix", "title"), [("", "The archive is unavailable"), ("/ru", "Архив недоступен")]
)
def test_an_unreadable_index_is_a_503_in_the_readers_language(
    web_index: Path, prefix: str, title: str
) -> None:
    from starlette.testclient import TestClient

    from searcharchive.web.app import create_app

    client = TestClient(create_app(web_index, archive=UnreadableArchive(web_index)))
    page = client.get(f"{prefix}/?q=Seviarynets")
    assert page.status_code == 503 and title in page.text
    api = client.get("/api/search?q=x")
    assert api.status_code == 503 and api.json() == {
        "error": "the archive cannot be read right now"
    }
    for response in (page, api):
        assert_safe(
            response.status_code,
            dict(response.headers),
            response.content,
            secrets=(str(web_index),),
        )


def test_healthz_reports_a_broken_publication_without_paths(
    broken_server: tuple[Server, Path],
) -> None:
    server, index = broken_server
    time.sleep(0.25)
    status, headers, body, _ = raw_get(server.base, "/healthz")
    assert status == 200 and json.loads(body)["status"] == "degraded"
    assert_safe(status, headers, body, secrets=(str(index),))


def test_a_broken_publication_is_answered_from_the_last_good_generation(
    broken_server: tuple[Server, Path],
) -> None:
    server, _ = broken_server
    statuses = []
    for _ in range(6):
        statuses.append(httpx.get(f"{server.base}/api/search?q=Seviarynets").status_code)
        time.sleep(0.25)
    assert statuses == [200] * 6


# ---------------------------------------------------------------- scale-out

REPLICA_QUERIES: list[dict[str, str]] = [
    {},
    {"q": "Seviarynets"},
    {"q": "Северинец", "lang": "ru"},
    {"q": "ч. 1 ст. 342 УК"},
    {"q": '"human rights" -Ukraine'},
    {"q": "viasna", "sort": "newest"},
    {"tag": "joint statement", "lang": "be"},
    {"article": "cc"},
    {"q": "Seviarynets", "exact": "1"},
    {"page": "2", "size": "3"},
    {"q": "quokka"},
]


def test_workers_of_one_server_answer_alike_and_follow_a_new_publication(tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = sample_index(index)
    with serving(index, tmp_path / "w.log", options=("--workers", "2")) as server:
        answers = {json.dumps(api(server.base, q="Seviarynets"), sort_keys=True) for _ in range(20)}
        assert len(answers) == 1 and api(server.base)["generation"] == first
        Indexer(index).run([write_jsonl(tmp_path / "w.jsonl", records("wombat", 5))])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            totals = {api(server.base, q="wombat")["total"] for _ in range(10)}
            if totals == {5}:
                break
            time.sleep(0.2)
        assert totals == {5}


def test_two_replicas_answer_alike_and_both_follow_a_new_publication(tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = sample_index(index)
    with (
        serving(index, tmp_path / "a.log") as a,
        serving(index, tmp_path / "b.log") as b,
    ):
        for params in REPLICA_QUERIES:
            assert api(a.base, **params) == api(b.base, **params), params
        assert api(a.base)["generation"] == first

        started = time.monotonic()
        report = Indexer(index).run([write_jsonl(tmp_path / "q.jsonl", records("quokka", 40))])
        published = time.monotonic()

        def caught_up(base: str) -> bool:
            health = httpx.get(f"{base}/healthz", timeout=10).json()
            return health["generation"] == report.generation and (
                api(base, q="quokka")["total"] == 40
            )

        wait_for(lambda: caught_up(a.base) and caught_up(b.base), 10, 0.02)
        figure(
            "replicas",
            f"index run {published - started:.2f} s, both serving "
            f"{report.generation} {time.monotonic() - published:.2f} s after publication",
        )
        for params in REPLICA_QUERIES:
            assert api(a.base, **params) == api(b.base, **params), params
        assert a.process.poll() is None and b.process.poll() is None


# ---------------------------------------------------------------- hostile requests


@pytest.fixture(scope="module")
def hostile_server(web_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(web_index, tmp_path_factory.mktemp("hostile") / "server.log") as server:
        yield server.base
        no_traceback(server.output())


TRAVERSALS = [
    "/statements/..%2f..%2fetc%2fpasswd",
    "/statements/../../etc/passwd",
    "/statements/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/statements/..",
    "/statements/x%0a",
    "/statements/%00",
    "/be/statements/..%2f..%2fetc%2fpasswd",
    "/api/statements/..%2f..%2fetc%2fpasswd",
    "/api/statements/..%2F..%2Fpyproject.toml",
    "/api/statements/%2e%2e",
    "/tags/..%2F..",
    "/tags/..",
    "/tags/..%2F..%2Fetc%2Fpasswd",
    "/tags/%00",
    "/static/..%2f..%2fpyproject.toml",
    "/static/../../pyproject.toml",
    "/static/..%2f..%2f..%2f..%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/app.py",
    "/static/%2e%2e%2fapp.py",
    "/static/..%5c..%5capp.py",
    "/static/%2fetc%2fpasswd",
    "/static//etc/passwd",
    "/ru/static/..%2f..%2fapp.py",
    "/static/%00",
    "//etc/passwd",
    "/statements/" + "a" * 161,
    "/statements/" + "a" * 5000,
    "/api/statements/" + "a" * 5000,
    "/tags/" + "a" * 5000,
    "/static/" + "a" * 5000,
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=lambda t: t[:40])
def test_ids_tags_and_static_paths_cannot_leave_their_space(
    hostile_server: str, target: str
) -> None:
    status, headers, body, _ = raw_get(hostile_server, target)
    assert status in (400, 404), (status, body[:300])
    assert_safe(status, headers, body)


def _query(pairs: list[tuple[str, str]]) -> str:
    return urlencode(pairs, quote_via=quote)


ADVERSARIAL_Q = ('"(title:ст. 342 OR NOT -article:"cc:342"* AND (((' * 3000)[:100_000]
OVERSIZED = {
    "q-100kb-api": "/api/search?q=" + "x" * 100_000,
    "q-100kb-page": "/?q=" + "y" * 100_000,
    "q-100kb-feed": "/feed.atom?q=" + "z" * 100_000,
    "q-100kb-csv": "/export.csv?q=" + "w" * 100_000,
    "q-100kb-adversarial": "/api/search?" + _query([("q", ADVERSARIAL_Q)]),
    "q-100kb-cyrillic": "/?" + _query([("q", "Северинец " * 10_000)]),
    "1000-tags-api": "/api/search?" + _query([("tag", f"tag {n}") for n in range(1000)]),
    "1000-tags-page": "/?" + _query([("tag", "joint statement")] * 1000),
    "1000-long-orgs": "/api/search?" + _query([("org", "o" * 1000)] * 1000),
    "1000-articles": "/api/search?" + _query([("article", f"cc:{n}") for n in range(1000)]),
    "1000-langs": "/api/search?" + _query([("lang", "en")] * 1000),
    "1000-bad-langs": "/api/search?" + _query([("lang", f"x{n}") for n in range(1000)]),
    "huge-page-size": "/api/search?page=" + "9" * 60 + "&size=" + "9" * 60,
    "negative-size": "/api/search?size=-5&page=-3",
    "page-beyond-max": "/api/search?page=10001&size=100&q=statement",
    "bad-dates": "/api/search?from=99999-01-01&to=0000-00-00",
    "tag-page-huge-page": "/tags/joint%20statement?page=" + "9" * 40,
}


@pytest.mark.parametrize("name", list(OVERSIZED))
def test_oversized_parameters_are_clamped_or_refused_in_bounded_time(
    hostile_server: str, name: str
) -> None:
    target = OVERSIZED[name]
    status, headers, body, seconds = raw_get(hostile_server, target)
    figure(f"oversized {name}", f"{len(target):,} B request: {status} in {seconds:.2f} s")
    assert seconds < 30  # a hang guard, not a performance figure
    if status == REFUSED:
        # uvicorn (h11) refuses a request head over 16 KB that arrives in several reads: it
        # answers 400 and closes at once, so the client may see a reset instead
        assert len(target) > 16 * 1024, "a small request was dropped"
        assert httpx.get(f"{hostile_server}/healthz", timeout=10).status_code == 200
        return
    assert status in (200, 400, 414, 431), (status, body[:300])
    assert len(body) < 2_000_000  # nothing is reflected back a thousand times
    if status in (400, 431) and "content-security-policy" not in headers:
        assert body.startswith(b"Invalid HTTP request"), body[:300]  # uvicorn's own 400
        return
    assert_safe(status, headers, body)
    if status == 200 and headers.get("content-type", "").startswith("application/json"):
        data = json.loads(body)
        assert 1 <= data["size"] <= 100 and 1 <= data["page"] <= 10_000
        assert len(data["hits"]) <= data["size"]


def test_a_huge_accept_language_header_is_harmless(hostile_server: str) -> None:
    status, headers, body, _ = raw_get(
        hostile_server, "/", headers={"Accept-Language": "be;q=0.9," * 5_000}
    )
    assert status == 200
    assert_safe(status, headers, body)


SCANNED = [
    "/",
    "/be/?q=Северинец",
    "/ru/?q=%22unterminated",
    "/?q=title:",
    "/?q=(((",
    "/?sort=sideways",
    "/?from=yesterday",
    "/?lang=xx",
    "/?page=abc",
    "/statements/immediately-release-pavel-seviarynets-ef4ec130b5",
    "/statements/hostile-en",
    "/statements/nope",
    "/tags/joint%20statement",
    "/tags/security%20test",
    "/tags/no-such-tag",
    "/feed.atom?q=Seviarynets",
    "/feed.atom?sort=sideways",
    "/export.csv?q=hostile",
    "/export.csv?from=x",
    "/api/search?q=hostile",
    "/api/search?sort=sideways",
    "/api/search?from=2020-02-30",
    "/api/search?from=2021-01-01&to=2020-01-01",
    "/api/statements/hostile-ru",
    "/api/statements/nope",
    "/api/openapi.json",
    "/api/nothing",
    "/healthz",
    "/static/style.css",
    "/static/missing.css",
    "/no/such/page",
]


def test_every_response_has_security_headers_and_leaks_nothing(hostile_server: str) -> None:
    statuses = {}
    for route in SCANNED:
        for method in ("GET", "POST", "HEAD"):
            status, headers, body, _ = raw_get(hostile_server, route, method=method)
            statuses[f"{method} {route}"] = status
            assert status < 500, (method, route, status, body[:300])
            assert_safe(status, headers, body)
    assert statuses["GET /"] == 200 and statuses["GET /api/search?sort=sideways"] == 400
    assert statuses["POST /api/search?q=hostile"] == 405


MARKUP = '"><script>alert(1)</script>'
REFLECTED = [
    "/?q=" + quote(MARKUP),
    "/be/?q=" + quote(MARKUP) + "&tag=" + quote(MARKUP),
    "/?from=" + quote(MARKUP),
    "/?sort=" + quote(MARKUP),
    "/?page=" + quote(MARKUP),
    "/statements/" + quote(MARKUP, safe=""),
    "/no/such/" + quote(MARKUP, safe=""),
    "/tags/" + quote(MARKUP, safe=""),
    "/tags/security%20test?q=" + quote(MARKUP),
    "/feed.atom?q=" + quote(MARKUP),
    "/feed.atom?tag=" + quote(MARKUP),
    "/?q=hostile",
    "/statements/hostile-en",
]


@pytest.mark.parametrize("target", REFLECTED)
def test_markup_in_urls_and_records_is_never_served_as_markup(
    hostile_server: str, target: str
) -> None:
    status, headers, body, _ = raw_get(hostile_server, target)
    assert status in (200, 400, 404), (status, body[:300])
    assert_safe(status, headers, body)
    assert headers["content-type"].startswith(("text/html", "application/atom+xml")), headers
    assert b"<script>alert(1)" not in body and b"<img src=x" not in body


# ---------------------------------------------------------------- a server without write access


def test_server_runs_unprivileged_on_a_read_only_index(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to start the server as another user")
    as_nobody = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
    if not shutil.which("setpriv"):
        pytest.skip("setpriv is not installed")
    probe = subprocess.run(
        [*as_nobody, PYTHON, "-c", "import searcharchive.web.app, uvicorn"],
        capture_output=True,
        text=True,
    )
    if probe.returncode:
        pytest.skip(f"the venv is not usable by uid 65534: {probe.stderr.strip()[-300:]}")

    root = Path(tempfile.mkdtemp(prefix="searcharchive-readonly-"))  # pytest's tmp is 0700
    try:
        os.chmod(root, 0o755)
        index = root / "index"
        sample_index(index)
        for path in [index, *index.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        write = subprocess.run(
            [*as_nobody, PYTHON, "-c", f"open({str(index / 'probe')!r}, 'w')"],
            capture_output=True,
        )
        assert write.returncode != 0, "uid 65534 can write to the index: the test proves nothing"
        before = snapshot(index)
        with serving(index, tmp_path / "server.log", prefix=as_nobody) as server:
            assert api(server.base, q="Seviarynets")["total"] >= 1
            for route in (
                "/be/?q=Северинец",
                "/feed.atom",
                "/export.csv",
                "/tags/joint%20statement",
            ):
                assert httpx.get(f"{server.base}{route}").status_code == 200, route
            assert snapshot(index) == before  # it wrote nothing, and needed nothing written
            # root publishes a new generation; the unprivileged server follows it
            report = Indexer(index).run([write_jsonl(root / "q.jsonl", records("quokka", 10))])
            wait_for(lambda: api(server.base, q="quokka")["total"] == 10, 10)
            assert httpx.get(f"{server.base}/healthz").json()["generation"] == report.generation
            no_traceback(server.output())
    finally:
        shutil.rmtree(root, ignore_errors=True)
