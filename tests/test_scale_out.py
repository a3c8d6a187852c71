"""Workers of one server and replicas on one index answer alike and follow a new publication;
a server runs unprivileged on a read-only index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from searcharchive.indexer import Indexer

from .conftest import write_jsonl
from .faults import PYTHON, api, figure, no_traceback, records, sample_index, snapshot, wait_for
from .servers import serving

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


@pytest.mark.slow
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
