"""Every kind of page in Chromium, at 1280 and 390 px, in en/be/ru, against a served
archive of 3,000 short generated statements (bench/generate.py) plus the sample: counts on one
line, every tag reachable from the home page, active filters above the first result on a
phone, an entity's facts reachable from the top on a phone, no horizontal scroll,
axe-clean (any impact), headings in order, the keyboard going down the page as it is
seen; no link on those pages answers 404; the README's screenshots are current.
Screenshots go to tests/artifacts/."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import httpx
import pytest
from bench.generate import write_corpus
from playwright.sync_api import Browser, Page

from searcharchive.indexer import Indexer
from searcharchive.sample import sample_sources

from .outputs import html_page
from .servers import running_server
from .test_browser import (
    AXE_RUN,
    DESKTOP,
    PHONE,
    assert_same_host,
    box,
    browser,  # noqa: F401  (the module's Chromium)
    follow,
    open_axe_page,
    open_page,
    shot,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
GENERATED = 3_000
# the pages are about many statements, not long ones: texts a quarter of the benchmark's
# length index four times as fast, with the same entities, tags and dates
MEAN_WORDS = 80
LANGS = ("en", "be", "ru")
DEVICES = [("phone", PHONE), ("desktop", DESKTOP)]


@pytest.fixture(
    params=[(d, v, lang) for d, v in DEVICES for lang in LANGS],
    ids=[f"{d}-{lang}" for d, _ in DEVICES for lang in LANGS],
)
def view(request: pytest.FixtureRequest) -> tuple[str, dict, str]:
    """A device (its name and viewport) and a UI language."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def large_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("large")
    write_corpus(GENERATED, folder / "corpus", seed=7, mean_words=MEAN_WORDS)
    shards = sorted((folder / "corpus").glob("statements-*.jsonl"))
    report = Indexer(folder / "index").run([*shards, *sample_sources()], rebuild=True)
    assert report.indexed >= GENERATED and not report.rejected
    return folder / "index"


@pytest.fixture(scope="module")
def large(large_index: Path) -> Iterator[str]:
    with running_server(large_index) as base:
        yield base


@pytest.fixture
def phone(browser: Browser, large: str) -> Iterator[Page]:  # noqa: F811
    """A phone-sized page without JavaScript; it must have asked only our server."""
    requests: list[str] = []
    yield open_page(browser, large, requests, viewport=PHONE, java_script_enabled=False)
    assert_same_host(requests, large)


def listing_routes(server: str) -> list[str]:
    """Pages that list values with counts: home, facet pages, /tags/, entity pages."""
    return [
        "/",
        "/facets/tag",
        "/facets/tag?filter=a",
        "/facets/mention?sort=label",
        "/facets/article?parent=cc",
        "/tags/",
        *entity_routes(server),
    ]


def other_pages(server: str) -> dict[str, str]:
    """Every other kind of page (name: route): a search with filters, one without hits (a
    near spelling), the persons, a person, a statement with its translation, the errors."""
    return {
        "filtered": "/?q=Viasna&tag=joint+statement&from=2020-01-01",
        "no-hits": "/?q=Seviarynetss",
        "persons": "/persons/",
        "person": f"/persons/{first_value(server, 'person')}",
        "statement": "/statements/immediately-release-pavel-seviarynets-ef4ec130b5",
        "not-found": "/statements/no-such-statement",
        "bad-request": "/?lang=xx",
    }


def axe_violations(page: Page, url: str) -> list[tuple[str, str, list[Any]]]:
    """What axe finds on `url`, whatever its impact (serious_violations, stricter)."""
    page.goto(url)
    results = page.evaluate(AXE_RUN)
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]
    ]


def first_value(server: str, facet: str) -> str:
    data = httpx.get(f"{server}/api/facets/{facet}", params={"size": 1}).json()
    return str(data["values"][0]["value"])


def entity_routes(server: str) -> list[str]:
    org = first_value(server, "mention")
    tag = first_value(server, "tag")
    article = httpx.get(f"{server}/api/facets/article", params={"parent": "cc", "size": 1}).json()[
        "values"
    ][0]["value"]
    return [f"/organizations/{org}", f"/articles/{article}", f"/tags/{tag}"]


def assert_counts_on_one_line(page: Page, selector: str) -> int:
    """Every count is one line (as test_browser.one_line, measured in one call)."""
    heights = page.locator(selector).evaluate_all(
        "es => es.map(e => [e.getBoundingClientRect().height,"
        " parseFloat(getComputedStyle(e).lineHeight)])"
    )
    for i, (height, line) in enumerate(heights):
        assert height < 1.5 * line, (page.url, i)
    return len(heights)


# what a keyboard reaches, in its order (no positive tabindex on the site: the page's order)
FOCUS_ORDER = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]')]
  .filter(e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return !e.disabled && e.tabIndex >= 0 && s.visibility !== 'hidden' && r.width && r.height; })
  .map(e => ({top: e.getBoundingClientRect().top + scrollY, tabindex: e.tabIndex,
    column: e.closest('aside, article.compare') ? 'side' : 'main',
    text: (e.id || e.textContent).trim().slice(0, 40)}))"""
HEADINGS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
  .filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]))"""


def assert_headings_in_order(page: Page) -> None:
    """One h1 first, and no level skipped on the way down (h2 after h1, h3 after h2)."""
    levels = page.evaluate(HEADINGS)
    assert levels[0] == 1 and levels.count(1) == 1, (page.url, levels)
    skipped = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert not skipped, (page.url, levels)


def assert_keyboard_follows_the_page(page: Page, device: str) -> None:
    """Tab starts at the skip link, and goes down the page as it is seen: on a phone, one
    column, every next stop at or below the one before; on a desktop, the same within
    each column (the filters or facts beside the results, a translation beside its text)."""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip", page.url
    page.keyboard.press("Shift+Tab")
    stops = page.evaluate(FOCUS_ORDER)
    assert stops and all(stop["tabindex"] == 0 for stop in stops), page.url
    columns = (
        {"all": stops}
        if device == "phone"
        else {column: [s for s in stops if s["column"] == column] for column in ("main", "side")}
    )
    for column in columns.values():
        back = [
            (a["text"], b["text"])
            for a, b in zip(column, column[1:], strict=False)
            if b["top"] < a["top"] - 20
        ]
        assert not back, (page.url, device, back[:3])


def test_counts_on_one_line_no_sideways_scroll_and_axe_clean(
    browser: Browser,  # noqa: F811
    large: str,
    view: tuple[str, dict, str],
) -> None:
    device, viewport, lang = view
    requests: list[str] = []
    page = open_axe_page(browser, large, requests, viewport=viewport)
    for route in listing_routes(large):
        assert axe_violations(page, f"{large}/{lang}{route}") == [], route  # opens it
        assert page.locator("h1").count() == 1, route
        assert_headings_in_order(page)
        assert_keyboard_follows_the_page(page, device)
        shown = assert_counts_on_one_line(page, ".count")
        assert shown > 0, route
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], route
        name = route.strip("/").replace("/", "-").split("?")[0].replace(":", "-") or "home"
        shot(page, f"pages-{device}-{lang}-{name}"[:120])
    assert_same_host(requests, large)


@pytest.mark.parametrize("lang", LANGS)
def test_every_tag_can_be_selected_from_the_home_page(phone: Page, large: str, lang: str) -> None:
    """Through the tag section or its "Show all" page (and its pages), every tag of the
    archive has a link that selects it."""
    every = httpx.get(f"{large}/api/facets/tag", params={"size": 1000}).json()
    assert every["total"] == len(every["values"]) > 12
    page = phone
    page.goto(f"{large}/{lang}/")
    section = page.locator("aside.facets section").filter(has=page.locator("a.all[href*='/tag']"))
    reached = set(
        section.locator(".value > a:first-child").evaluate_all("es => es.map(e => e.href)")
    )
    follow(section.locator("a.all"))
    while True:
        reached |= set(
            page.locator("ul.facet-values li > a:first-child").evaluate_all(
                "es => es.map(e => e.href)"
            )
        )
        following = page.locator("nav.pager a[rel=next]")
        if not following.count():
            break
        follow(following)
    selected = {
        value
        for url in reached
        for name, value in httpx.URL(url).params.multi_items()
        if name == "tag"
    }
    assert selected == {v["value"] for v in every["values"]}


@pytest.mark.parametrize("lang", LANGS)
def test_active_filters_show_above_the_first_result_on_a_phone(
    phone: Page, large: str, lang: str
) -> None:
    page = phone
    page.goto(f"{large}/{lang}/facets/tag")
    follow(page.locator("ul.facet-values li > a:first-child").nth(2))  # a tag selected
    page.goto(page.url + "&lang=" + lang)
    first_hit = box(page.locator("ol.hits > li").first)
    bar = page.locator("nav.active-filters")
    assert bar.locator("li").count() == 2
    assert box(bar)["y"] + box(bar)["height"] <= first_hit["y"]
    assert first_hit["y"] < 2 * PHONE["height"]  # results first, not after the filters
    shot(page, f"pages-phone-{lang}-active-filters")


def test_every_other_kind_of_page_is_axe_clean_in_order_and_fits(
    browser: Browser,  # noqa: F811
    large: str,
    view: tuple[str, dict, str],
) -> None:
    """Search with filters, no hits, persons, a person, a statement, the error pages: axe
    finds nothing, headings and the keyboard go in order, nothing scrolls sideways."""
    device, viewport, lang = view
    requests: list[str] = []
    page = open_axe_page(browser, large, requests, viewport=viewport)
    for name, route in other_pages(large).items():
        assert axe_violations(page, f"{large}/{lang}{route}") == [], route
        assert_headings_in_order(page)
        assert_keyboard_follows_the_page(page, device)
        assert_counts_on_one_line(page, ".count")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], route
        shot(page, f"pages-{device}-{lang}-{name}")
    assert_same_host(requests, large)


@pytest.mark.parametrize("lang", LANGS)
def test_an_entity_s_facts_are_reachable_from_the_top_on_a_phone(
    phone: Page, large: str, lang: str
) -> None:
    """The statements come first on a phone; a link above them leads to the years and the
    values most often beside them (organizations, articles, tags; a person's spellings)."""
    page = phone
    for route in [*entity_routes(large), f"/persons/{first_value(large, 'person')}"]:
        page.goto(f"{large}/{lang}{route}")
        link = page.locator(".to-facts a")
        first = box(page.locator("ol.listing > li, ol.hits > li").first)
        assert link.is_visible() and box(link)["y"] + box(link)["height"] <= first["y"], route
        assert box(link)["y"] < PHONE["height"], route  # on the first screen
        facts = page.locator(str(link.get_attribute("href")))
        assert facts.locator("h2").count() >= 2, route  # years and what is beside them
        assert box(facts)["y"] > first["y"], route
        link.click()
        assert page.evaluate("scrollY") > 0 and abs(box(facts)["y"]) < 50, route  # in view


def test_no_rendered_link_answers_404(large: str) -> None:
    """Every link on the pages the tests above open, in en/be/ru, answers (one level, no
    following: a fixed set of pages, so a bounded crawl). A /be/ or /ru/ page's links keep
    its prefix (the language switch aside); the server strips the prefix before routing,
    so each link is fetched once, without it."""
    others = other_pages(large)
    del others["not-found"], others["bad-request"]  # an error page links itself, in each language
    pages = [*listing_routes(large), *others.values()]
    links: set[str] = set()
    with httpx.Client(base_url=large, timeout=60) as client:
        for lang in LANGS:
            for route in pages:
                url = f"/{lang}{route}"
                targets = {
                    urljoin(url, href.split("#", 1)[0]) for href in html_page(client.get(url)).links
                }
                targets = {t for t in targets if not urlsplit(t).netloc}  # a source elsewhere
                foreign = targets - UNPREFIXED - {t for t in targets if t.startswith(f"/{lang}/")}
                # the language switch only
                assert {unquote(bare(t)) for t in foreign} == {unquote(bare(url))}, foreign
                assert len(foreign) == len(LANGS) - 1, foreign
                links |= {bare(t) for t in targets}
    assert 100 < len(links) < MAX_CRAWL, len(links)

    with (
        httpx.Client(base_url=large, timeout=60, follow_redirects=True) as client,
        ThreadPoolExecutor(max_workers=3) as pool,
    ):
        codes = pool.map(lambda link: client.get(link).status_code, sorted(links))
        statuses = dict(zip(sorted(links), codes, strict=True))
    broken = {link: code for link, code in statuses.items() if code != 200}
    assert not broken, broken
    print(f"\nFIGURE crawl: {len(statuses)} links of {len(pages) * len(LANGS)} pages, all 200")


MAX_CRAWL = 2_000  # links the crawl may find: past it, the pages grew a list to look at
UNPREFIXED = {"/static/style.css", "/api/openapi.json"}  # the same in every language


def bare(url: str) -> str:
    """A site URL without its language prefix."""
    for lang in LANGS:
        if url == f"/{lang}" or url.startswith(f"/{lang}/"):
            return url[len(lang) + 1 :] or "/"
    return url


def test_the_readme_screenshots_are_current(tmp_path: Path) -> None:
    """scripts/screenshots run now gives the PNGs docs/ holds (the same size, and at most a
    few pixels apart): a change of the pages shown needs new screenshots in the README."""
    from PIL import Image, ImageChops

    root = Path(__file__).resolve().parents[1]
    run = subprocess.run(
        [sys.executable, str(root / "scripts" / "screenshots"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    for name in ("home.png", "entity.png", "phone.png"):
        with Image.open(root / "docs" / name) as kept, Image.open(tmp_path / name) as now:
            assert kept.size == now.size, name
            differ = ImageChops.difference(kept.convert("RGB"), now.convert("RGB")).convert("L")
            changed = sum(differ.point(lambda value: value > 48).histogram()[1:])
        assert changed <= 0.002 * kept.size[0] * kept.size[1], (
            f"docs/{name} is not what scripts/screenshots shows now ({changed} pixels): "
            "run .venv/bin/python scripts/screenshots"
        )
