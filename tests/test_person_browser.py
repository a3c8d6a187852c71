"""The person page in Chromium at 390 and 1280 px: no horizontal scroll, nothing asked
from another host, no serious axe finding, the facts beside the statements on a
desktop and under them on a phone, with a link to them above the statements."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from .test_browser import (
    CHROMIUM,
    DESKTOP,
    FLAGS,
    PHONE,
    assert_same_host,
    open_axe_page,
    open_page,
    serious_violations,
    shot,
)
from .test_person_pages import ALES, CORPUS
from .test_persons import _index

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium as test_browser.py launches it."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def person_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from .servers import running_server

    index: Path = _index(tmp_path_factory.mktemp("person-browser"), [CORPUS])
    with running_server(index) as base:
        yield base


@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_person_page_at_phone_and_desktop_widths(
    browser: Browser, person_server: str, device: str, viewport: dict[str, int]
) -> None:
    requests: list[str] = []
    page = open_page(browser, person_server, requests, viewport=viewport)
    for prefix in ("", "/be", "/ru"):
        for route in (f"/persons/{ALES}", "/persons/"):
            page.goto(person_server + prefix + route)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], (prefix + route, width)
    page.goto(f"{person_server}/be/persons/{ALES}")
    statements = page.locator(".entity-main").bounding_box()
    facts = page.locator(".entity-facts").bounding_box()
    assert statements is not None and facts is not None
    to_facts = page.locator(".to-facts a")
    if device == "desktop":
        assert facts["x"] >= statements["x"] + statements["width"]  # beside
        assert not to_facts.is_visible()
    else:
        assert facts["y"] >= statements["y"] + statements["height"]  # under
        link = to_facts.bounding_box()  # and reached from above the statements
        assert link is not None and link["y"] + link["height"] <= statements["y"]
        assert to_facts.get_attribute("href") == "#facts"
    shot(page, f"person-{device}")
    assert_same_host(requests, person_server)


@pytest.mark.parametrize("route", [f"/ru/persons/{ALES}", "/be/persons/?name=Бяляц"])
def test_axe_finds_no_serious_violation_on_person_pages(
    browser: Browser, person_server: str, route: str
) -> None:
    requests: list[str] = []
    page = open_axe_page(browser, person_server, requests, viewport=DESKTOP)
    assert serious_violations(page, person_server + route) == []
