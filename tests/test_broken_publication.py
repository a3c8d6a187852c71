"""A published generation that cannot be read, and an archive that fails while serving: the
last good generation answers, errors leak nothing."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from searcharchive.archive import Archive, SearchResult
from searcharchive.errors import IndexCorrupt
from searcharchive.request import SearchRequest

from .faults import api, assert_safe, raw_get, sample_index
from .servers import Server, serving

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
