"""Links (web/links.py): base URLs, paths, facet toggles and the pager; and every link the site
renders resolves, hostile tags included (slash, quotes, 150 characters, Cyrillic, %, ?, #, a
leading dot, spaces, markup, control characters)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx
import pytest

from searcharchive.archive import Archive
from searcharchive.facet_table import BY_NAME
from searcharchive.request import SearchRequest
from searcharchive.web.links import (
    checked_base_url,
    pager,
    search_url,
    statement_url,
    tag_url,
    toggled,
)

from .outputs import all_statements, html_page

EXPANDED = ("/tags/", "/statements/", "/organizations/", "/articles/", "/facets/")
MAX_FETCHES = 4000


def expands(url: str) -> bool:
    """Pages whose links the crawl follows: home, its paging, the facet pages, the entity
    pages (tags, organizations, articles) and statement pages (unprefixed; the /be/ and /ru/
    versions of each are fetched through its language links)."""
    parts = urlsplit(url)
    if parts.path == "/":
        return {k for k, _ in parse_qsl(parts.query)} <= {"page"}
    return parts.path.startswith(EXPANDED)


def test_every_link_on_home_tag_statement_and_paging_pages_resolves(
    output_client: httpx.Client, output_archive: Archive
) -> None:
    queue, seen, statuses = ["/"], {"/"}, {}
    while queue:
        url = queue.pop(0)
        response = output_client.get(url)
        statuses[url] = response.status_code
        assert len(statuses) < MAX_FETCHES, "the crawl did not end"
        if response.status_code != 200 or not expands(url):
            continue
        for href in html_page(response).links:
            target = urljoin(url, href.split("#", 1)[0])
            if target.startswith("/") and not target.startswith("//") and target not in seen:
                seen.add(target)
                queue.append(target)
    broken = {url: status for url, status in statuses.items() if status != 200}
    assert not broken, broken
    tag_pages = {urlsplit(u).path for u in statuses if urlsplit(u).path.startswith("/tags/")}
    every_tag = {t for s in all_statements(output_archive) for t in s.tags}
    reached = {httpx.URL(p).path[len("/tags/") :] for p in tag_pages}
    assert every_tag <= reached, every_tag - reached  # the crawl saw every tag's page
    assert any("page=2" in u and u.startswith("/tags/a%2Fb") for u in statuses)
    for kind in ("/organizations/", "/articles/", "/facets/"):
        assert any(urlsplit(u).path.startswith(kind) for u in statuses), kind
    print(f"\nFIGURE crawl: {len(statuses)} URLs, {len(tag_pages)} tag pages, all 200")


# ---------------------------------------------------------------- the URLs links.py builds


@pytest.mark.parametrize(
    "value",
    ["https://archive.example.org", "http://127.0.0.1:8000/", " https://a.example:443 "],
)
def test_a_base_url_is_a_scheme_and_host(value: str) -> None:
    assert checked_base_url(value) == value.strip().rstrip("/")


@pytest.mark.parametrize(
    "value",
    [
        "archive.example.org",
        "ftp://archive.example.org",
        "https://archive.example.org/path",
        "https://user@archive.example.org",
        "https://archive.example.org?x=1",
        "https://archive.example.org#top",
        "https://archive.example.org:99999",
        "https://",
    ],
)
def test_anything_else_is_refused_with_an_example(value: str) -> None:
    with pytest.raises(ValueError, match="such as https://archive.example.org"):
        checked_base_url(value)


def test_ids_and_tags_are_one_path_segment_each() -> None:
    assert tag_url("/be", "a/b ?#%") == "/be/tags/a%2Fb%20%3F%23%25"
    assert statement_url("", "immediately-release-1") == "/statements/immediately-release-1"
    assert search_url("/ru", []) == "/ru/"
    assert search_url("", [("q", "ст. 342"), ("tag", "a&b")], "/feed.atom") == (
        "/feed.atom?q=%D1%81%D1%82.+342&tag=a%26b"
    )


def test_a_facet_value_toggles_on_and_off_back_to_the_first_page() -> None:
    request = SearchRequest(q="x", tags=["a"], page=3)
    tag, org = BY_NAME["tag"], BY_NAME["org"]
    assert toggled(request, tag, "b") == [("q", "x"), ("tag", "a"), ("tag", "b")]
    assert toggled(request, tag, "a") == [("q", "x")]
    assert toggled(request, org, "viasna") == [("q", "x"), ("tag", "a"), ("org", "viasna")]
    assert request.tags == ["a"]  # the request itself is left as it was


def test_the_pager_links_the_neighbouring_pages_of_a_real_search(archive: Archive) -> None:
    total = archive.search(SearchRequest(size=100)).total
    assert total >= 5
    result = archive.search(SearchRequest(q="", size=1, page=3, sort="newest"))
    pages = pager(result, "/be")
    assert (pages["page"], pages["pages"]) == (3, total)
    assert pages["previous"] == "/be/?sort=newest&size=1&page=2"
    assert pages["next"] == "/be/?sort=newest&size=1&page=4"
    assert [p for p, _ in pages["window"]] == [1, 2, 3, 4, 5]
    first = pager(archive.search(SearchRequest(size=100)), "")
    assert first["previous"] is None and first["next"] is None
    assert first["window"] == [(1, "/?size=100")]


def test_every_page_links_the_lists_of_tags_and_persons(server: str) -> None:
    """The site header: the tag and person lists, in the reader's language, and they answer."""
    for prefix, tags, persons in (("", "Tags", "Persons"), ("/be", "Тэгі", "Асобы")):
        page = httpx.get(f"{server}{prefix}/").text
        header = page.split('<nav class="sections"', 1)[1].split("</nav>", 1)[0]
        assert f'href="{prefix}/tags/">{tags}</a>' in header
        assert f'href="{prefix}/persons/">{persons}</a>' in header
        for path in ("/tags/", "/persons/"):
            assert httpx.get(f"{server}{prefix}{path}").status_code == 200
