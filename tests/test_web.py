"""The real app over HTTP (uvicorn in a subprocess): every route in every UI language."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest
from markupsafe import escape

from searcharchive.archive import Archive
from searcharchive.citations import citation_label, title_in
from searcharchive.request import SearchRequest

SEVIARYNETS = "immediately-release-pavel-seviarynets-ef4ec130b5"
PREFIXES = {"en": "/en", "be": "/be", "ru": "/ru"}
NOT_FOUND = {"en": "Not found", "be": "Не знойдзена", "ru": "Не найдено"}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def client(server: str) -> httpx.Client:
    return httpx.Client(base_url=server, timeout=30)


@pytest.fixture(scope="module")
def local(web_index: Path) -> Archive:
    return Archive.open(web_index)


ROUTES = [
    "/",
    "/?q=Северинец&sort=newest",
    "/?tag=joint+statement&tag=security+test&lang=be",
    f"/statements/{SEVIARYNETS}",
    f"/statements/{SEVIARYNETS}-be",
    "/tags/joint%20statement",
    "/tags/joint%20statement?page=2&size=3",
]


@pytest.mark.parametrize("lang", ["en", "be", "ru"])
@pytest.mark.parametrize("route", ROUTES)
def test_pages_in_every_ui_language(client: httpx.Client, lang: str, route: str) -> None:
    response = client.get(PREFIXES[lang] + route)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert response.headers["content-language"] == lang
    by_header = client.get(route, headers={"accept-language": f"{lang}-BY,{lang};q=0.9,en;q=0.5"})
    assert f'<html lang="{lang}">' in by_header.text


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_ui_strings_are_translated(client: httpx.Client, lang: str) -> None:
    english = client.get("/en/").text
    translated = client.get(PREFIXES[lang] + "/").text
    for phrase in ("Filters", "Search statements", "Legal article", "Language"):
        assert phrase in english and phrase not in translated


def test_every_response_carries_security_headers_and_no_cookie(client: httpx.Client) -> None:
    for route in [
        *ROUTES,
        "/feed.atom",
        "/export.csv",
        "/api/search",
        "/healthz",
        "/statements/nope",
    ]:
        response = client.get(route)
        csp = response.headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "set-cookie" not in response.headers


def test_pages_reference_only_their_own_host(client: httpx.Client) -> None:
    for route in ROUTES:
        html = client.get(route).text
        for url in re.findall(r'(?:src|href|action)="([^"]*)"', html):
            assert url.startswith(("/", "#", "?")), url
        assert "<script" not in html.replace("&lt;script", "")


def test_api_search_matches_the_search_api(client: httpx.Client, local: Archive) -> None:
    data = client.get(
        "/api/search", params=[("q", "Seviarynets"), ("lang", "en"), ("lang", "ru")]
    ).json()
    expected = local.search(SearchRequest(q="Seviarynets", langs=["en", "ru"])).to_json()
    assert data["total"] == expected["total"] >= 2
    assert [h["id"] for h in data["hits"]] == [h["id"] for h in expected["hits"]]
    assert data["facets"]["lang"] == expected["facets"]["lang"]
    assert {"value", "label", "count", "selected", "parent"} <= set(data["facets"]["article"][0])
    assert all(t.keys() == {"id", "lang", "title"} for h in data["hits"] for t in h["translations"])


def test_api_statement_and_404(client: httpx.Client) -> None:
    data = client.get(f"/api/statements/{SEVIARYNETS}").json()
    assert data["statement"]["articles"] == ["cao:23.34"]
    assert sorted(t["lang"] for t in data["translations"]) == ["be", "ru"]
    assert client.get("/api/statements/nope").status_code == 404
    assert client.get("/api/statements/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_csv_export_matches_the_search_and_neutralises_formulas(
    client: httpx.Client, local: Archive
) -> None:
    response = client.get("/export.csv", params={"q": "Seviarynets"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = local.search(SearchRequest(q="Seviarynets", size=100))
    assert [r["id"] for r in rows] == [h.statement.id for h in expected.hits]
    hostile = next(r for r in rows if r["id"].startswith("hostile"))
    assert hostile["tags"].startswith("'=")
    everything = list(
        csv.DictReader(
            io.StringIO(
                client.get("/export.csv", params={"lang": "ru"}).content.decode("utf-8-sig")
            )
        )
    )
    titles = [r["title"] for r in everything]
    assert "'=1+2 Заявление о Северинце" in titles
    assert all(
        not cell.startswith(("=", "+", "-", "@")) for row in everything for cell in row.values()
    )


def test_feed_of_a_search_and_of_a_tag(client: httpx.Client, local: Archive) -> None:
    feed = ET.fromstring(client.get("/feed.atom", params={"q": "Viasna"}).content)
    entries = feed.findall(f"{ATOM}entry")
    expected = local.search(SearchRequest(q="Viasna", sort="newest", size=20))
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        h.statement.title for h in expected.hits
    ]  # type: ignore[union-attr]
    tag_feed = ET.fromstring(client.get("/feed.atom", params={"tag": "joint statement"}).content)
    assert len(tag_feed.findall(f"{ATOM}entry")) == 7
    page = client.get("/tags/joint%20statement").text
    assert 'type="application/atom+xml"' in page and "/feed.atom?tag=joint+statement" in page


def test_hostile_text_is_shown_as_text_everywhere(client: httpx.Client) -> None:
    pages = [
        client.get("/statements/hostile-en").text,
        client.get("/", params={"q": "Seviarynets"}).text,
        client.get("/", params={"q": "onerror img"}).text,
        client.get("/ru/", params={"q": "Северинец"}).text,
    ]
    for html in pages:
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages[0]
    api = client.get("/api/search", params={"q": "onerror"}).json()
    assert "<img" not in api["hits"][0]["snippet"] and "&lt;img" in api["hits"][0]["snippet"]
    feed = client.get("/feed.atom", params={"q": "onerror"}).content
    entry_title = ET.fromstring(feed).find(f"{ATOM}entry/{ATOM}title")
    assert (
        entry_title is not None
        and entry_title.text == "<script>alert(1)</script> Statement on Seviarynets"
    )
    assert b"<script>" not in feed


def test_a_hits_title_marks_the_query_words_escaped_like_its_snippet(
    client: httpx.Client,
) -> None:
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; Statement on "
    api = client.get("/api/search", params={"q": "Seviarynets"}).json()
    (hit,) = [h for h in api["hits"] if h["id"] == "hostile-en"]
    assert hit["title_html"] == escaped + "<mark>Seviarynets</mark>"
    ru = client.get("/api/search", params={"q": "Северинец"}).json()
    (hit,) = [h for h in ru["hits"] if h["id"] == "hostile-ru"]
    assert hit["title_html"] == "=1+2 Заявление о <mark>Северинце</mark>"  # another case
    browse = client.get("/api/search", params={"tag": "security test"}).json()
    (hit,) = browse["hits"]  # one hit for the translation group, no word to mark
    assert hit["title_html"] == escaped + "Seviarynets"
    page = client.get("/", params={"q": "Seviarynets"}).text
    link = re.search(
        r'<h3><a href="([^"]+)">' + re.escape(escaped) + "<mark>Seviarynets</mark>", page
    )
    assert link is not None, "the hit's title is marked on the search page"
    reading = client.get(unescape(link.group(1))).text
    assert f"<h1>{escaped}<mark>Seviarynets</mark></h1>" in reading


@pytest.mark.parametrize("lang", ["en", "be", "ru"])
def test_unknown_statement_and_tag_are_404_pages_in_the_readers_language(
    client: httpx.Client, lang: str
) -> None:
    for route in ("/statements/no-such-statement", "/tags/no-such-tag", "/no/such/page"):
        response = client.get(PREFIXES[lang] + route)
        assert response.status_code == 404
        assert NOT_FOUND[lang] in response.text


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"page": "-1"}, 200),
        ({"page": "abc"}, 400),
        ({"from": "yesterday"}, 400),
        ({"to": "2020-13-01"}, 400),
        ({"from": "2022-01-01", "to": "2020-01-01"}, 400),
        ({"size": str(10**9)}, 200),
        ({"sort": "sideways"}, 400),
        ({"lang": "de"}, 400),
        ({"q": "x" * 5000}, 200),
        ({"q": '"unclosed AND OR title:'}, 200),
        ({"tag": ["t"] * 500}, 200),
        ({"to": ["", "2020-01-01"]}, 400),  # a one-value parameter given twice
        ({"page": ["1", "2"]}, 400),
    ],
)
@pytest.mark.parametrize("route", ["/", "/api/search", "/feed.atom", "/export.csv"])
def test_bad_parameters_are_400_or_clamped_never_500(
    client: httpx.Client, route: str, params: dict, status: int
) -> None:
    response = client.get(route, params=params)
    if route == "/" and set(params) <= {"from", "to"} and isinstance(params.get("to", ""), str):
        status = 200  # the search page keeps the search and explains the dates beside them
    assert response.status_code == status
    if status == 400 and route == "/api/search":
        assert response.json()["error"]
    if route == "/api/search" and "size" in params:
        assert response.json()["size"] == 100


def test_healthz_and_openapi(client: httpx.Client, local: Archive) -> None:
    health = client.get("/healthz").json()
    assert health == {"status": "ok", "generation": local.generation().name, "documents": 24}
    schema = client.get("/api/openapi.json").json()
    assert {"/api/search", "/api/statements/{id}"} <= set(schema["paths"])


@pytest.mark.parametrize(
    "route",
    [
        "/?q=court",
        f"/statements/{SEVIARYNETS}",
        "/tags/joint%20statement",
        "/feed.atom?tag=joint+statement",
        "/export.csv?q=court",
        "/api/search?q=court",
        f"/api/statements/{SEVIARYNETS}",
    ],
)
def test_every_answer_from_the_archive_names_its_generation(
    client: httpx.Client, local: Archive, route: str
) -> None:
    """How a reader (or the load test) can tell that an answer came from one generation."""
    response = client.get(route)
    assert response.status_code == 200
    assert response.headers["x-index-generation"] == local.generation().name
    if route.startswith("/api/"):
        assert response.json()["generation"] == local.generation().name


def test_facet_links_are_permalinks_with_multi_select(client: httpx.Client) -> None:
    html = client.get("/", params=[("tag", "joint statement")]).text
    assert 'href="/?tag=joint+statement&amp;tag=security+test"' in html
    both = client.get(
        "/api/search", params=[("tag", "joint statement"), ("tag", "security test")]
    ).json()
    assert both["total"] == 8
    tag_counts = {f["value"]: f["count"] for f in both["facets"]["tag"]}
    assert tag_counts["joint statement"] == 7 and tag_counts["security test"] == 1


def test_serving_does_not_load_the_indexing_stack(sample_index: Path) -> None:
    """A server opens, searches and renders from the on-disk format (store.py) alone:
    the indexer, its readers and its multiprocess writer stay unloaded."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from starlette.testclient import TestClient\n"
        "from searcharchive.web.app import create_app\n"
        f"client = TestClient(create_app({str(sample_index)!r}))\n"
        "assert client.get('/', params={'q': 'Seviarynets'}).status_code == 200\n"
        "assert client.get('/feed.atom').status_code == 200\n"
        "serving = ('searcharchive.request', 'searcharchive.generation', 'searcharchive.archive',\n"
        "           'searcharchive.store', 'searcharchive.facets', 'searcharchive.web.links')\n"
        "assert all(m in sys.modules for m in serving), [m for m in serving if m not in sys.modules]\n"
        "loaded = [m for m in ('searcharchive.indexer', 'searcharchive.readers',\n"
        "          'searcharchive.bulk', 'searcharchive.extraction') if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


# --- article titles (data/article_titles.yaml) in facets, hits and statement pages --------

# the sample cites cao:23.34 (Seviarynets) and cc:368 (Klimovich); hostile-en (conftest)
# cites cc:342:1, whose article has a title, and cc:339, which has none
MASS_EVENTS = {
    "en": "Violation of the procedure for organising or holding mass events",
    "be": "Парушэнне парадку арганізацыі або правядзення масавых мерапрыемстваў",
    "ru": "Нарушение порядка организации или проведения массовых мероприятий",
}
OLD_CODE_NOTE = {
    "en": "The Code of 2003, in force until 1 March 2021; 24.23 in the Code of 2021",
    "be": "Кодэкс 2003 года, які дзейнічаў да 1 сакавіка 2021 года; 24.23 у Кодэксе 2021 года",
    "ru": "Кодекс 2003 года, действовавший до 1 марта 2021 года; 24.23 в Кодексе 2021 года",
}


def label(cid: str, lang: str) -> str:
    return str(escape(citation_label(cid, lang)))


def title(cid: str, lang: str) -> str:
    text = title_in(cid, lang)
    assert text is not None, cid
    return str(escape(text))


def assert_no_dangling_dash(html: str) -> None:
    """An untitled article is its label alone: no dash, no empty title."""
    assert '<span class="title"></span>' not in html
    assert re.search(r"—\s*</", html) is None
    assert f"{label('cc:339', 'en')} —" not in html


@pytest.mark.parametrize("lang", ["en", "be", "ru"])
def test_article_titles_in_the_facet_in_the_readers_language(
    client: httpx.Client, lang: str
) -> None:
    """The search page lists the codes; the facet page opens a code's articles (with their
    titles) and an article's parts (its title once, above them)."""
    html = client.get(PREFIXES[lang] + "/", params={"q": "Seviarynets"}).text
    facets = html[html.index('<aside class="facets"') : html.index("</aside>")]
    assert f'<span class="label">{label("cc", lang)}</span> <span class="count">' in facets
    assert title("cc:342", lang) not in facets and MASS_EVENTS[lang] not in facets
    assert MASS_EVENTS[lang] == title_in("cao:23.34", lang)
    level = PREFIXES[lang] + "/facets/article"
    cao = client.get(level, params={"q": "Seviarynets", "parent": "cao"}).text
    assert (
        f'<span class="label">{label("cao:23.34", lang)}</span> '
        f'<span class="title">{MASS_EVENTS[lang]}</span></span>'
    ) in cao
    cc = client.get(level, params={"q": "Seviarynets", "parent": "cc"}).text
    assert f'<span class="title">{title("cc:342", lang)}</span>' in cc
    # no title: the label alone
    assert f'<span class="label">{label("cc:339", lang)}</span></span>' in cc
    # the parts sit under their article, which shows the title: once is enough there
    parts = client.get(level, params={"q": "Seviarynets", "parent": "cc:342"}).text
    assert parts.count(title("cc:342", lang)) == 1
    assert f'<span class="label">{label("cc:342:1", lang)}</span></span>' in parts
    assert_no_dangling_dash(html)
    assert_no_dangling_dash(parts)


@pytest.mark.parametrize("lang", ["en", "be", "ru"])
def test_hits_list_their_articles_with_titles(client: httpx.Client, lang: str) -> None:
    html = client.get(PREFIXES[lang] + "/", params={"q": "Seviarynets"}).text
    hits = html[html.index('<ol class="hits">') :]
    assert (
        f'<a href="{PREFIXES[lang]}/?article=cao%3A23.34">{label("cao:23.34", lang)}</a>'
        f'<span class="title"> — {MASS_EVENTS[lang]}</span>'
    ) in hits
    # a part shows its article's title; an untitled article, its label alone
    assert (
        f'{label("cc:342:1", lang)}</a><span class="title"> — {title("cc:342", lang)}</span>'
    ) in hits
    assert f'<a href="{PREFIXES[lang]}/?article=cc%3A339">{label("cc:339", lang)}</a></li>' in hits
    assert_no_dangling_dash(hits)


def test_a_hit_lists_the_articles_searched_for_first(client: httpx.Client) -> None:
    asked = client.get("/en/", params={"q": "Seviarynets", "article": "cc:339"}).text
    cited = re.findall(r'<ul class="cited"[^>]*>(.*?)</ul>', asked, re.S)
    assert len(cited) == 1
    assert cited[0].index("Art. 339") < cited[0].index("Art. 342")
    assert "<strong>Criminal Code, Art. 339</strong>" in cited[0]
    typed = client.get("/en/", params={"q": "ч. 1 ст. 342 УК"}).text
    assert "<strong>Criminal Code, Art. 342, Part 1</strong></a>" in typed
    assert "— Organisation and preparation of actions" in typed


@pytest.mark.parametrize("lang", ["en", "be", "ru"])
def test_statement_page_lists_cited_articles_with_titles_and_notes(
    client: httpx.Client, lang: str
) -> None:
    html = client.get(f"{PREFIXES[lang]}/statements/{SEVIARYNETS}").text
    assert re.search(
        re.escape(
            f'{label("cao:23.34", lang)}</a><span class="title"> — {MASS_EVENTS[lang]}</span>'
        )
        + r' <a class="entity" href="[^"]*cao%3A23.34">.*?</a>\s*'
        + re.escape(f'<small class="article-note">{OLD_CODE_NOTE[lang]}</small>'),
        html,
    )
    hostile = client.get(f"{PREFIXES[lang]}/statements/hostile-en").text
    assert (
        f'{label("cc:342:1", lang)}</a><span class="title"> — {title("cc:342", lang)}</span>'
    ) in hostile
    # no title: the label, then the link to the article's page
    assert re.search(
        rf'{re.escape(label("cc:339", lang))}</a> <a class="entity" href="[^"]*cc%3A339"',
        hostile,
    )
    assert "article-note" not in hostile  # neither article has a note
    assert_no_dangling_dash(hostile)
    klimovich = client.get(
        f"{PREFIXES[lang]}/", params={"article": "cc:368", "lang": "en"}
    ).text  # the other titled article of the sample, in a hit
    assert f'<span class="title"> — {title("cc:368", lang)}</span>' in klimovich


@pytest.mark.parametrize("lang", ["en", "be", "ru"])
def test_api_facet_values_carry_the_article_title(client: httpx.Client, lang: str) -> None:
    headers = {"accept-language": lang}
    search = client.get("/api/search", params={"q": "Seviarynets"}, headers=headers).json()
    page = client.get("/api/facets/article", params={"q": "Seviarynets"}, headers=headers).json()
    for values in (search["facets"]["article"], page["values"]):
        titles = {v["value"]: v["title"] for v in values}
        assert titles == {
            "cao": None,
            "cao:23.34": MASS_EVENTS[lang],
            "cc": None,
            "cc:339": None,
            "cc:342": title_in("cc:342", lang),
            "cc:342:1": title_in("cc:342", lang),
        }
    assert all("title" not in v for v in search["facets"]["tag"])


def test_csv_export_has_the_article_titles_in_the_readers_language(client: httpx.Client) -> None:
    for lang in ("en", "ru"):
        response = client.get(f"{PREFIXES[lang]}/export.csv", params={"q": "Seviarynets"})
        rows = {
            r["id"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
        }
        assert rows[SEVIARYNETS]["article_titles"] == f"cao:23.34 — {MASS_EVENTS[lang]}"
        assert rows["hostile-en"]["articles"] == "cc:342:1; cc:339"
        assert rows["hostile-en"]["article_titles"] == f"cc:342:1 — {title_in('cc:342', lang)}"
