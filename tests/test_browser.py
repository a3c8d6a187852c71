"""Debian's Chromium driven by Playwright against the real server: a reader's session."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, Request, sync_playwright

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEFAULT_VIEWPORT = {"width": 1280, "height": 720}  # Playwright's


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


# the tab of each kind of context, per browser: a new context and page cost Chromium ~0.5 s
# (a renderer process), and the browser tests open about fifty
_TABS: dict[tuple[int, tuple[tuple[str, object], ...]], Page] = {}
_RECORDERS: dict[int, Callable[[Request], None]] = {}


def open_page(
    browser: Browser,
    server: str,
    requests: list[str],
    viewport: dict | None = None,
    axe: bool = False,
    **options: object,
) -> Page:
    """A page for one test, recording the URLs it asks for in `requests`: the browser's tab
    of these context options (`axe`: with axe in every document), emptied (about:blank)
    and set to `viewport`. A test opens its first URL itself; no cookie, storage or script
    state outlives a document on this site, so nothing of the last test's page is left."""
    key = (id(browser), (("axe", axe), *sorted(options.items())))
    page = _TABS.get(key)
    if page is None or page.is_closed() or page.context.browser is not browser:
        context = browser.new_context(**options)  # type: ignore[arg-type]
        if axe:
            context.add_init_script(path=str(AXE))
        page = _TABS[key] = context.new_page()
    else:
        page.remove_listener("request", _RECORDERS.pop(id(page)))
        page.goto("about:blank")
    page.set_viewport_size(viewport or DEFAULT_VIEWPORT)  # type: ignore[arg-type]
    recorder = _RECORDERS[id(page)] = lambda request: requests.append(request.url)
    page.on("request", recorder)
    return page


def follow(link: Locator) -> None:
    """Click `link` and wait until the page it opens has loaded. A click returns once the
    navigation has started, before the new document is parsed: a count read right after it
    could see a page that holds none of its results yet (CI saw 0 hits of 2 once)."""
    with link.page.expect_navigation():
        link.click()


def open_axe_page(
    browser: Browser, server: str, requests: list[str], viewport: dict | None = None
) -> Page:
    """A page with axe in every document it opens: axe is the test's own script, so only
    this context bypasses our CSP. Given once to the context, Chromium runs it at each
    page's start (handing it to each page afterwards cost ~0.1 s of a page's ~0.4 s)."""
    return open_page(browser, server, requests, viewport, axe=True, bypass_csp=True)


AXE_RUN = """async () => {
  if (typeof axe === "undefined") throw new Error("axe is not loaded: open the page with open_axe_page");
  return await axe.run(document, {resultTypes: ['violations']});
}"""


def assert_same_host(requests: list[str], server: str) -> None:
    host = urlsplit(server).netloc
    outside = [url for url in requests if urlsplit(url).netloc not in (host, "")]
    assert requests and not outside, outside


def shot(page: Page, name: str) -> None:
    """The page's first screen, for a person to look at; the whole page with
    FULL_SCREENSHOTS=1 (a long facet page's full shot takes a second of Chromium's time,
    and the suite takes a hundred)."""
    ARTIFACTS.mkdir(exist_ok=True)
    full = os.environ.get("FULL_SCREENSHOTS") == "1"
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_search_filter_read_translation_and_switch_language(
    browser: Browser, server: str, device: str, viewport: dict
) -> None:
    requests: list[str] = []
    page = open_page(browser, server, requests, viewport=viewport, java_script_enabled=False)
    page.goto(server + "/en/")
    page.get_by_label("Search statements").fill("Seviarynets")
    follow(page.get_by_role("button", name="Search"))
    assert page.locator("ol.hits > li").count() == 2
    shot(page, f"{device}-search")

    facets = page.locator("aside.facets")

    def toggle(label: str) -> Any:
        """A facet value's filter toggle (beside it, the link to its own page)."""
        return facets.locator(".value > a:first-child", has_text=label)

    follow(toggle("joint statement"))
    follow(toggle("security test"))  # a second tag: OR inside the facet
    assert "tag=joint+statement" in page.url and "tag=security+test" in page.url
    assert page.locator("ol.hits > li").count() == 2
    # the codes on the search page; their articles on the facet page
    follow(facets.locator("a.all[href*='/facets/article']"))
    follow(page.locator("a.open[href*='parent=cao']"))
    follow(page.locator("ul.facet-values li > a:first-child", has_text="Art. 23.34"))
    assert "article=cao%3A23.34" in page.url and "tag=security+test" in page.url
    assert page.locator("ol.hits > li").count() == 1
    shot(page, f"{device}-filtered")

    follow(page.locator("ol.hits > li h3 a").first)
    assert "/statements/immediately-release-pavel-seviarynets-ef4ec130b5" in page.url
    assert page.locator("h1").inner_text() == "Immediately release Pavel Seviarynets!"
    shot(page, f"{device}-statement")

    follow(page.locator("nav.read-in").get_by_role("link", name="Беларуская"))
    assert page.url.endswith("/statements/immediately-release-pavel-seviarynets-ef4ec130b5-be")
    assert "Севярынец" in page.locator("article").first.inner_text()

    follow(page.locator("nav.languages").get_by_role("link", name="Русский"))
    assert page.url.startswith(server + "/ru/statements/")
    assert page.locator("html").get_attribute("lang") == "ru"
    shot(page, f"{device}-statement-ru")
    assert_same_host(requests, server)


def test_phone_layout_has_no_horizontal_scroll(browser: Browser, server: str) -> None:
    requests: list[str] = []
    page = open_page(browser, server, requests, viewport=PHONE)
    routes = [
        "/",
        "/?q=Viasna",
        "/statements/immediately-release-pavel-seviarynets-ef4ec130b5",
        "/tags/joint%20statement",
    ]
    for route in [prefix + route for prefix in ("", "/be", "/ru") for route in routes]:
        page.goto(server + route)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (route, width)
    assert_same_host(requests, server)


@pytest.mark.parametrize(
    "route",
    [
        "/",
        "/be/?q=Севярынец",
        "/ru/statements/immediately-release-pavel-seviarynets-ef4ec130b5",
        "/tags/joint%20statement",
        "/statements/nope",
    ],
)
def test_axe_finds_no_serious_violation(browser: Browser, server: str, route: str) -> None:
    requests: list[str] = []
    page = open_axe_page(browser, server, requests, viewport=DESKTOP)
    assert serious_violations(page, server + route) == []


def serious_violations(page: Page, url: str) -> list[tuple[str, str, list[Any]]]:
    """What axe finds serious or critical on `url` (a page from open_axe_page)."""
    page.goto(url)
    results = page.evaluate(AXE_RUN)
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_keyboard_reaches_the_search_box_and_the_facets(browser: Browser, server: str) -> None:
    requests: list[str] = []
    page = open_page(browser, server, requests, viewport=DESKTOP)
    page.goto(server + "/")
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.append(
            page.evaluate(
                "document.activeElement.id || document.activeElement.textContent.trim().slice(0, 40)"
            )
        )
    assert "q" in focused
    assert any("joint statement" in f for f in focused) or "exact" in focused


def box(locator: object) -> dict:
    found = locator.bounding_box()  # type: ignore[attr-defined]
    assert found is not None
    return found


@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_article_titles_keep_facet_counts_on_one_line(
    browser: Browser, server: str, device: str, viewport: dict, lang: str
) -> None:
    """Titles under the labels of the article facet (a code's articles, on the facet page):
    every count on one line, level with its label's first line; a title under its label."""
    requests: list[str] = []
    page = open_page(browser, server, requests, viewport=viewport, java_script_enabled=False)
    page.goto(f"{server}/{lang}/?q=Seviarynets")
    article_section = page.locator("aside.facets section").filter(
        has=page.locator("a.all[href*='/facets/article']")
    )
    codes = article_section.locator(".value > a:first-child")
    titled = 0
    for parent in ("cc", "cao"):
        page.goto(f"{server}/{lang}/facets/article?q=Seviarynets&parent={parent}")
        links = page.locator("ul.facet-values li > a:first-child")
        assert links.count() > 0
        for i in range(links.count()):
            link = links.nth(i)
            count, label = box(link.locator(".count")), box(link.locator(".label"))
            assert one_line(link.locator(".count")), i
            line = float(
                link.locator(".count").evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
            )
            assert abs(count["y"] - label["y"]) < line / 2, (i, count, label)  # beside the label
            assert count["x"] + count["width"] <= viewport["width"]
            if link.locator(".title").count():
                titled += 1
                title = box(link.locator(".title"))
                assert title["y"] >= label["y"] + label["height"] - 1  # under the label
                assert title["x"] + title["width"] <= count["x"]  # never under the count
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        shot(page, f"{device}-{lang}-article-facet-{parent}")
    assert titled == 2  # cao:23.34 and cc:342
    page.goto(f"{server}/{lang}/?q=Seviarynets")
    assert codes.count() == 2  # the search page lists the codes
    hit = page.locator("ol.hits > li").filter(has=page.locator("ul.cited"))
    assert hit.count() == 2
    hit.last.screenshot(path=str(ARTIFACTS / f"{device}-{lang}-hit-articles.png"))

    page.goto(f"{server}/{lang}/statements/immediately-release-pavel-seviarynets-ef4ec130b5")
    cited = page.locator("section.metadata ul.cited li")
    assert cited.count() == 1 and "23.34 —" in cited.inner_text().replace("\n", " ")
    assert page.locator(".article-note").is_visible()
    page.locator("section.metadata").screenshot(
        path=str(ARTIFACTS / f"{device}-{lang}-statement-articles.png")
    )
    assert_same_host(requests, server)


@pytest.fixture(scope="module")
def reading_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Several pages of results, undated statements, a translated one (tests/reading_corpus.py)."""
    from .reading_corpus import build_reading_index
    from .servers import running_server

    with running_server(build_reading_index(tmp_path_factory.mktemp("reading"))) as base:
        yield base


FILTERED = "?q=volunteer&tag=court+watch&lang=en&from=2024-01-01&size=4&page=2"


def one_line(locator: object) -> bool:
    height = box(locator)["height"]
    line = float(locator.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))  # type: ignore[attr-defined]
    return height < 1.5 * line


@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
@pytest.mark.parametrize("lang", ["en", "be", "ru"])
def test_active_filters_pages_dates_and_a_statement_read_from_a_search(
    browser: Browser, reading_server: str, device: str, viewport: dict, lang: str
) -> None:
    server = reading_server
    requests: list[str] = []
    page = open_page(browser, server, requests, viewport=viewport, java_script_enabled=False)
    page.goto(f"{server}/{lang}/{FILTERED}")
    first_hit = box(page.locator("ol.hits > li").first)
    bar = page.locator("nav.active-filters")
    assert bar.locator("li").count() == 3  # tag, language, from
    assert box(bar)["y"] + box(bar)["height"] <= first_hit["y"]  # above the first result
    to_filters = page.locator(".to-filters a")
    if device == "phone":
        assert to_filters.is_visible() and "3" in to_filters.inner_text()
        assert box(to_filters)["y"] < first_hit["y"]
    else:
        assert not to_filters.is_visible()
    counts = page.locator("aside.facets .count")
    assert counts.count() > 4
    for i in range(counts.count()):
        assert one_line(counts.nth(i)), i
    pager = page.locator("nav.pager .page-of")
    assert pager.is_visible() and "2" in pager.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(page, f"{device}-{lang}-active-filters")

    follow(bar.locator("li a").first)  # × on the tag
    assert "tag=" not in page.url and "q=volunteer" in page.url and "lang=en" in page.url

    page.goto(f"{server}/{lang}/?q=volunteer&from=2025-01-01&to=2024-01-01")
    problem = page.locator("#date-problems")
    assert problem.is_visible()
    to_field = box(page.locator("#to"))
    assert 0 <= box(problem)["y"] - (to_field["y"] + to_field["height"]) < 60  # beside them
    assert page.locator("#q").input_value() == "volunteer"
    assert page.locator("ol.hits > li").count() > 0
    shot(page, f"{device}-{lang}-reversed-dates")

    page.goto(f"{server}/{lang}/?q=volunteer&tag=court+watch&sort=oldest")
    follow(page.locator("ol.hits > li h3 a").nth(1))
    assert "hit=2" in page.url
    assert page.locator("article mark").count() > 0
    nav = page.locator("nav.in-search")
    assert nav.locator("a[rel=prev]").is_visible() and nav.locator("a[rel=next]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(page, f"{device}-{lang}-statement-from-search")
    follow(nav.locator("a[rel=next]"))
    assert "hit=3" in page.url and page.locator("article mark").count() > 0
    assert_same_host(requests, server)


@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
@pytest.mark.parametrize(
    "route",
    [
        "/ru/" + FILTERED + "&undated=1&to=2023-01-01",
        "/be/statements/court-watch-translated-en?q=volunteer&hit=2",
    ],
)
def test_axe_finds_no_serious_violation_on_the_new_parts(
    browser: Browser, reading_server: str, route: str, device: str, viewport: dict
) -> None:
    requests: list[str] = []
    page = open_axe_page(browser, reading_server, requests, viewport=viewport)
    assert serious_violations(page, reading_server + route) == []
