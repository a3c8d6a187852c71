"""Every link the site renders resolves, hostile tags included (slash, quotes, 150
characters, Cyrillic, %, ?, #, a leading dot, spaces, markup, control characters)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx

from searcharchive.archive import Archive

from .outputs import all_statements, html_page

EXPANDED = ("/tags/", "/statements/")
MAX_FETCHES = 4000


def expands(url: str) -> bool:
    """Pages whose links the crawl follows: home, its paging, tag pages, statement pages
    (unprefixed; the /be/ and /ru/ versions of each are fetched through its language links)."""
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
    print(f"\nFIGURE crawl: {len(statuses)} URLs, {len(tag_pages)} tag pages, all 200")
