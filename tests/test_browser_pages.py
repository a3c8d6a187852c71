"""Facet and entity pages in Chromium, at 1280 and 390 px, in en/be/ru, against a served
archive of 3,000 generated statements (bench/generate.py) plus the sample: counts on one
line, every tag reachable from the home page, active filters above the first result on a
phone, no horizontal scroll, axe-clean. Screenshots go to tests/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bench.generate import write_corpus
from playwright.sync_api import Browser, Page

from searcharchive.indexer import Indexer
from searcharchive.sample import sample_sources

from .servers import running_server
from .test_browser import (
    DESKTOP,
    PHONE,
    assert_same_host,
    box,
    browser,  # noqa: F401  (the module's Chromium)
    one_line,
    open_page,
    serious_violations,
    shot,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
GENERATED = 3_000
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
    write_corpus(GENERATED, folder / "corpus", seed=7)
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
    counts = page.locator(selector)
    for i in range(counts.count()):
        assert one_line(counts.nth(i)), (page.url, i)
    return counts.count()


def test_counts_on_one_line_no_sideways_scroll_and_axe_clean(
    browser: Browser,  # noqa: F811
    large: str,
    view: tuple[str, dict, str],
) -> None:
    device, viewport, lang = view
    requests: list[str] = []
    # axe is injected by the test itself, so only this context bypasses our CSP
    page = open_page(browser, large, requests, viewport=viewport, bypass_csp=True)
    routes = [
        "/",
        "/facets/tag",
        "/facets/tag?filter=a",
        "/facets/mention?sort=label",
        "/facets/article?parent=cc",
        "/tags/",
        *entity_routes(large),
    ]
    for route in routes:
        assert serious_violations(page, f"{large}/{lang}{route}") == [], route  # opens it
        assert page.locator("h1").count() == 1, route
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
    section.locator("a.all").click()
    while True:
        reached |= set(
            page.locator("ul.facet-values li > a:first-child").evaluate_all(
                "es => es.map(e => e.href)"
            )
        )
        following = page.locator("nav.pager a[rel=next]")
        if not following.count():
            break
        following.click()
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
    page.locator("ul.facet-values li > a:first-child").nth(2).click()  # a tag selected
    page.goto(page.url + "&lang=" + lang)
    first_hit = box(page.locator("ol.hits > li").first)
    bar = page.locator("nav.active-filters")
    assert bar.locator("li").count() == 2
    assert box(bar)["y"] + box(bar)["height"] <= first_hit["y"]
    assert first_hit["y"] < 2 * PHONE["height"]  # results first, not after the filters
    shot(page, f"pages-phone-{lang}-active-filters")
