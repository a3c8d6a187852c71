"""The public address: never from the Host header; configured, or the server's own.

Links in Atom feeds and CSV exports are absolute: they come from `--base-url` (or
SEARCHARCHIVE_BASE_URL), else from the address the server answers on. Redirects are
relative and keep the language prefix.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from .outputs import ATOM, atom, csv_rows, entry_id
from .servers import serving

EVIL = "forged-host.invalid"  # conftest's hostile tag names evil.example itself

HOST_ROUTES = [
    "/",
    "/be/?q=court",
    "/statements/hostile-en",
    "/ru/statements/hostile-ru",
    "/tags/security%20test",
    "/feed.atom",
    "/be/feed.atom?q=court",
    "/feed.atom?tag=undated+test",
    "/export.csv",
    "/export.csv?q=court",
    "/api/search?q=court",
    "/api/statements/hostile-en",
    "/api/openapi.json",
    "/healthz",
    "/no/such/page",
    "/statements/hostile-en/",
    "/be/statements/hostile-en/?with=hostile-ru",
    "/tags/security%20test/",
    "/feed.atom/",
    "/static/style.css",
]


def evil_anywhere(response: httpx.Response) -> list[str]:
    found = [f"{k}: {v}" for k, v in response.headers.items() if EVIL in v.lower()]
    return found + (["body"] if EVIL.encode() in response.content.lower() else [])


@pytest.mark.parametrize("route", HOST_ROUTES)
def test_a_forged_host_header_reaches_no_link_and_no_redirect(output_site: str, route: str) -> None:
    with httpx.Client(base_url=output_site, headers={"host": EVIL}, timeout=30) as http:
        response = http.get(route)
    assert response.status_code < 500
    assert not evil_anywhere(response), (route, response.status_code, evil_anywhere(response))
    location = response.headers.get("location", "")
    assert not location.startswith("//") and "\\" not in location


def test_feed_and_csv_links_use_the_servers_own_address_by_default(
    output_client: httpx.Client,
) -> None:
    own = str(output_client.base_url).rstrip("/")
    feed = atom(
        output_client.get("/be/feed.atom", params={"q": "Seviarynets"}, headers={"host": EVIL})
    )
    assert feed.findtext(f"{ATOM}id") == f"{own}/be/feed.atom?q=Seviarynets"
    for entry in feed.findall(f"{ATOM}entry"):
        assert (entry.findtext(f"{ATOM}id") or "").startswith(f"{own}/be/statements/")
    rows = csv_rows(output_client.get("/export.csv", params={"q": "court"}, headers={"host": EVIL}))
    assert rows and all(r["link"] == f"{own}/statements/{r['id']}" for r in rows)


@pytest.mark.parametrize(
    ("route", "location"),
    [
        ("/statements/hostile-en/", "/statements/hostile-en"),
        ("/be/statements/hostile-en/", "/be/statements/hostile-en"),
        ("/ru/statements/hostile-en/?with=hostile-ru", "/ru/statements/hostile-en?with=hostile-ru"),
        ("/be/tags/security%20test/", "/be/tags/security%20test"),
        ("/ru/feed.atom/?q=court", "/ru/feed.atom?q=court"),
        ("/be//", "/be/"),
    ],
)
def test_redirects_are_relative_and_keep_the_language(
    output_client: httpx.Client, route: str, location: str
) -> None:
    response = output_client.get(route, headers={"host": EVIL})
    assert response.status_code == 307
    assert response.headers["location"] == location
    assert output_client.get(location).status_code == 200


@pytest.mark.parametrize(
    "route", ["//forged.invalid/", "/%5Cforged.invalid/", "/be//forged.invalid/", "/tags//x/"]
)
def test_no_redirect_leaves_the_site(output_site: str, route: str) -> None:
    with httpx.Client(base_url=output_site, timeout=30) as http:
        location = http.get(route).headers.get("location")
    if location is not None:
        assert location.startswith("/") and not location.startswith("//") and "\\" not in location
        assert urlsplit(urljoin(output_site, location)).netloc == urlsplit(output_site).netloc


@pytest.fixture(scope="module")
def configured_site(output_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Two worker processes, the public address from the environment."""
    log = tmp_path_factory.mktemp("configured") / "server.log"
    env = {"SEARCHARCHIVE_BASE_URL": "https://archive.example.org/"}
    with serving(output_index, log, options=("--workers", "2"), env=env) as server:
        yield server.base


def test_the_configured_base_url_makes_every_absolute_link(configured_site: str) -> None:
    base = "https://archive.example.org"
    with httpx.Client(base_url=configured_site, headers={"host": EVIL}, timeout=30) as http:
        feed = atom(http.get("/ru/feed.atom", params={"tag": "security test"}))
        rows = csv_rows(http.get("/export.csv", params={"tag": "security test"}))
    assert feed.findtext(f"{ATOM}id") == f"{base}/ru/feed.atom?tag=security+test"
    links = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert links and all(
        link == f"{base}/ru/statements/{entry_id(e)}"
        for link, e in zip(links, feed.findall(f"{ATOM}entry"), strict=True)
    )
    assert rows and all(r["link"] == f"{base}/statements/{r['id']}" for r in rows)


@pytest.mark.parametrize(
    "value",
    ["ftp://archive.example.org", "archive.example.org", "https://", "https://a.example/x?y=1"],
)
def test_a_base_url_that_is_not_one_is_refused(output_index: Path, value: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "searcharchive", "serve", "--index", str(output_index)]
        + ["--port", "1", "--base-url", value],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Invalid value for '--base-url'" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
