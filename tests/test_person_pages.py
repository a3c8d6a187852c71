"""Person pages over HTTP: /persons/ (by number of statements, a name filter),
/persons/{id} in three UI languages (names, spellings, the statements newest first
with paging, the year histogram, what their statements name most often, the feed,
CSV and JSON of the search person=ID) and /api/persons/{id}."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from searcharchive import Archive, SearchRequest

from .test_persons import _index

ALES = "ales-bialiatski"
SERGEI = "siarhei-tsikhanouski"


def _record(sid: str, lang: str, date: str, title: str, **more: Any) -> dict[str, Any]:
    return {"id": sid, "lang": lang, "date": date, "title": title, "body": "Суд адбыўся.", **more}


CORPUS = [
    _record("p-1", "be", "2021-07-14", "Вызваліць Алеся Бяляцкага", organizations=["viasna"]),
    _record(
        "p-2",
        "ru",
        "2022-03-03",
        "Суд над Алесем Беляцким и Сергеем Тихановским",
        organizations=["viasna"],
        articles=["cc:342"],
    ),
    _record("p-3", "en", "2023-03-03", "Ales Bialiatski sentenced", articles=["cc:342"]),
    _record("p-4", "be", "2023-05-01", "Ліст Алесю Бяляцкаму і Сяргею Ціханоўскаму"),
    _record("p-5", "be", "2023-06-01", "Сяргей Ціханоўскі ў ШІЗА"),
    *[
        _record(f"p-more-{n:02d}", "en", f"2024-01-{n:02d}", f"Ales Bialiatski letter {n}")
        for n in range(1, 25)
    ],
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _index(tmp_path_factory.mktemp("person-pages"), [CORPUS])


@pytest.fixture(scope="module")
def client(index: Path) -> Iterator[httpx.Client]:
    from .servers import running_server

    with running_server(index) as base:
        with httpx.Client(base_url=base, timeout=30) as client:
            yield client


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def section(html: str, heading: str) -> str:
    start = html.index(f">{heading}</h2>")
    return html[start : html.index("</section>", start)]


def test_the_person_page_in_each_language(client: httpx.Client) -> None:
    names = {"": "Ales Bialiatski", "/be": "Алесь Бяляцкі", "/ru": "Алесь Беляцкий"}
    for prefix, name in names.items():
        response = client.get(f"{prefix}/persons/{ALES}")
        assert response.status_code == 200
        assert f"<h1>{name}</h1>" in response.text
        assert f"<title>{name} ·" in response.text


def test_the_page_lists_every_spelling_with_its_script_and_count(client: httpx.Client) -> None:
    html = client.get(f"/persons/{ALES}").text
    spellings = section(html, "Spellings")
    found = re.findall(
        r'<span class="label">([^<]*)</span> <span class="script">([^<]*)</span> '
        r'<span class="count">(\d+)</span>',
        spellings,
    )
    assert ("Алеся Бяляцкага", "Cyrillic", "1") in found
    assert ("Алесем Беляцким", "Cyrillic", "1") in found
    assert ("Ales Bialiatski", "Latin", "25") in found


def test_the_statements_are_the_search_newest_first_with_paging(
    client: httpx.Client, index: Path
) -> None:
    expected = Archive.open(index).search(SearchRequest(persons=[ALES], sort="newest", size=10))
    html = client.get(f"/persons/{ALES}").text
    listed = re.findall(r'<li class="hit" lang="\w+">\s*<h3><a href="/statements/([^"?]+)', html)
    assert listed == [hit.statement.id for hit in expected.hits]
    assert expected.total == 28
    pages = [h for h in hrefs(html) if h.startswith(f"/persons/{ALES}?") and "page=" in h]
    assert pages, "a pager"
    second = client.get(pages[0]).text
    later = re.findall(r'<li class="hit" lang="\w+">\s*<h3><a href="/statements/([^"?]+)', second)
    assert later and not set(later) & set(listed)
    # a page past the end leads to the last page of the person, not of another search
    far = client.get(f"/persons/{ALES}", params={"page": "99"}, follow_redirects=False)
    assert far.status_code == 303 and far.headers["location"].startswith(f"/persons/{ALES}?")


def test_the_year_histogram_and_what_the_statements_name(client: httpx.Client) -> None:
    html = client.get(f"/be/persons/{ALES}").text
    years = section(html, "Заявы па гадах")
    bars = re.findall(r'<span class="label">(\d{4})</span><meter[^>]*value="(\d+)"', years)
    assert dict(bars) == {"2021": "1", "2022": "1", "2023": "2", "2024": "24"}
    assert "<script" not in html
    with_them = section(html, "Часцей за ўсё згадваюцца разам")
    assert f'href="/be/persons/{SERGEI}"' in with_them and "Сяргей Ціханоўскі" in with_them
    assert re.search(r'<span class="count">2</span>', with_them)
    organizations = section(html, "Арганізацыі, што згадваюцца часцей")
    assert "/be/?" in organizations and "mention=viasna" in organizations
    assert re.search(r'<span class="count">2</span>', organizations)
    articles = section(html, "Артыкулы, што цытуюцца часцей")
    assert "article=cc%3A342" in articles
    assert "article=cc&" not in articles and not articles.count('article=cc"')  # no bare code


def test_feed_csv_and_json_of_the_person_search(client: httpx.Client) -> None:
    html = client.get(f"/persons/{ALES}").text
    wanted = {"/feed.atom", "/export.csv", f"/api/persons/{ALES}"}
    found = {
        urlsplit(h).path: dict(parse_qsl(urlsplit(h).query))
        for h in hrefs(html)
        if urlsplit(h).path in wanted
    }
    assert set(found) == wanted  # the JSON is the person's own: names, spellings, related
    assert found["/feed.atom"] == found["/export.csv"] == {"person": ALES}
    assert client.get(f"/api/persons/{ALES}").json()["id"] == ALES
    feed = client.get("/feed.atom", params={"person": ALES})
    assert feed.status_code == 200 and feed.text.count("<entry>") >= 10
    csv = client.get("/export.csv", params={"person": ALES})
    assert csv.status_code == 200 and len(csv.text.strip().splitlines()) == 29  # header + 28


def test_the_person_api(client: httpx.Client) -> None:
    answer = client.get(f"/api/persons/{SERGEI}").json()
    assert answer["names"]["en"] == "Siarhei Tsikhanouski"
    assert answer["total"] == 3
    assert [h["id"] for h in answer["hits"]] == ["p-5", "p-4", "p-2"]
    assert answer["years"] == {"2022": 1, "2023": 2}
    assert [p["value"] for p in answer["related"]["person"]] == [ALES]
    assert answer["links"]["search"] == f"/api/search?person={SERGEI}"
    missing = client.get("/api/persons/no-such-person")
    assert missing.status_code == 404 and missing.json() == {"error": "not found"}
    document = client.get("/api/openapi.json").json()
    assert "/api/persons/{id}" in document["paths"]


def test_unknown_person_is_a_translated_404(client: httpx.Client) -> None:
    response = client.get("/ru/persons/no-such-person")
    assert response.status_code == 404 and "Traceback" not in response.text


def test_the_list_of_persons_by_number_of_statements(client: httpx.Client) -> None:
    html = client.get("/be/persons/").text
    listed = re.findall(r'<a href="/be/persons/([^"]+)"><span class="label">([^<]*)</span>', html)
    assert listed[:2] == [(ALES, "Алесь Бяляцкі"), (SERGEI, "Сяргей Ціханоўскі")]
    # the filter: a part of any spelling, or a case form of the name
    for typed in ("Ціханоў", "tsikhanou", "Сергеем Тихановским"):
        filtered = client.get("/be/persons/", params={"name": typed}).text
        kept = re.findall(r'<a href="/be/persons/([^"]+)"><span class="label">', filtered)
        assert kept == [SERGEI], typed
        assert f'value="{typed}"' in filtered
    nothing = client.get("/persons/", params={"name": "<script>x"}).text
    assert "<script>x" not in nothing and "&lt;script&gt;x" in nothing


def test_a_statement_page_links_its_persons_pages(client: httpx.Client) -> None:
    html = client.get("/ru/statements/p-2").text
    assert f'href="/ru/persons/{ALES}"' in html and f'href="/ru/persons/{SERGEI}"' in html
