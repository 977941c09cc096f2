"""The page in a real browser (headless Chromium, JavaScript off): sign in with the link, every panel
with the embedded sandbox's figures, no console error, no failed request, accessibility basics, a
phone's width, and the screenshots in docs/ taken of the page as it is now.

Screenshots: `BILLBOT_TEST_SCREENSHOTS=write .venv/bin/pytest tests/billbot/web/test_browser.py` writes
them; otherwise the test checks that the committed ones carry the current page's fingerprint (its
structure and stylesheet; figures may move a little with the demo's clock, the layout may not).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from billbot.app.command import Actor
from billbot.app.replies.model import Response
from billbot.app.table import execute, parse
from billbot.web.style import stylesheet
from tests.billbot.web.browser import (
    DESKTOP,
    PHONE,
    chromium,
    click_and_wait,
    console_errors,
    failed_requests,
    full_page_screenshot,
    png_size,
    text_of,
)
from tests.billbot.web.conftest import VIEWER, Web

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = {DESKTOP[0]: ROOT / "docs/screenshots/dashboard-desktop.png",
               PHONE[0]: ROOT / "docs/screenshots/dashboard-phone.png"}  # fmt: skip
PANELS = ("balance", "limits", "spend", "by-model", "by-workspace", "by-key", "tickets")
FIGURE = re.compile(r"\$[\d,]+\.\d\d")
JS = (Path(__file__).parent / "checks.js").read_text()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium(javascript=False) as driver:  # the page must work without any script
        yield driver


@pytest.fixture(scope="module")
def dashboard(web: Web, browser: Any) -> Any:
    """The browser signed in through a fresh link: opened, "Sign in" pressed, on the dashboard."""
    browser.get(web.link(VIEWER))
    click_and_wait(browser, "form[action='/signin'] button")
    assert browser.current_url == f"{web.url}/", browser.page_source[:500]
    return browser


def answer(web: Web, text: str) -> Response:
    now = web.runtime.now()
    reply = execute(parse(text, now), web.runtime.services(), Actor(VIEWER, admin=False), now)
    assert isinstance(reply, Response)
    return reply


def check(driver: Any, name: str) -> Any:
    return driver.execute_script(f"{JS}\nreturn {name}();")


def test_the_link_signs_in_and_every_panel_shows_the_sandboxs_figures(web: Web, dashboard: Any) -> None:
    page = dashboard
    assert page.find_element("tag name", "h1").text == "Claude API dashboard · month to date"
    for key in PANELS:
        panel = page.find_element("id", f"panel-{key}")
        source = panel.find_element("class name", "source").text
        expected = "Source: billbot tickets" if key == "tickets" else "Source: sandbox · simulated org 'demo'"
        assert source.startswith(expected), (key, source)
        assert FIGURE.search(panel.text) or key == "tickets", (key, panel.text)
    spend = answer(web, "/claude-spend mtd")
    billed = page.find_element("css selector", "#panel-spend .facts dd").text
    assert billed == spend.facts[0].value  # the same answer as Slack's, to the cent
    workspaces = answer(web, "/claude-spend mtd by workspace").tables[0].rows
    cells = page.find_elements("css selector", "#panel-by-workspace tbody tr")
    assert [tuple(c.text for c in row.find_elements("css selector", "th, td")) for row in cells] == list(
        workspaces
    )
    bars = page.find_elements("css selector", "#panel-spend svg.chart-wide rect.bar-0")
    assert len(bars) == 21  # November 1–21 billed; the rest of the month is the forecast band
    assert page.find_elements("css selector", "#panel-spend svg polygon.band")
    tickets = page.find_element("id", "panel-tickets").text
    assert "#1" in tickets and "#2" in tickets and re.search(r"20\d\d-\d\d-\d\d", tickets)
    assert "Balance (simulated)" in page.find_element("id", "panel-balance").text
    assert "Admin: record a top-up" not in page.page_source  # a viewer changes no money
    assert console_errors(page) == []
    assert failed_requests(page) == []


def test_html_and_accessibility_basics(dashboard: Any) -> None:
    assert check(dashboard, "structureProblems") == []
    assert check(dashboard, "labelProblems") == []
    assert check(dashboard, "tableProblems") == []
    assert check(dashboard, "chartProblems") == []
    assert check(dashboard, "contrastProblems") == []


def test_selectors_are_plain_links_and_forms(web: Web, dashboard: Any) -> None:
    page = dashboard
    click_and_wait(page, "nav a[href*='period=7d']")
    assert page.find_element("tag name", "h1").text == "Claude API dashboard · last 7 days"
    select = page.find_element("id", "workspace")
    select.find_element("css selector", "option[value='Production']").click()
    click_and_wait(page, "form.selectors button")
    assert page.find_element("tag name", "h1").text == "Claude API dashboard · last 7 days · Production"
    scoped = answer(web, "/claude-spend 7d workspace Production").facts[0].value
    assert page.find_element("css selector", "#panel-spend .facts dd").text == scoped
    period = page.find_element("id", "period")
    period.clear()
    period.send_keys("someday")
    click_and_wait(page, "form.selectors button")
    assert "someday" in page.find_element("css selector", "[role=alert]").text
    assert console_errors(page) == [] and failed_requests(page) == []
    page.get(f"{web.url}/")


def test_readable_on_a_phone(dashboard: Any) -> None:
    page = dashboard
    page.set_window_size(*PHONE)
    try:
        page.get(page.current_url)
        assert check(page, "overflowProblems") == []
        lefts = {round(p.rect["x"]) for p in page.find_elements("css selector", ".panel")}
        assert len(lefts) == 1  # one column
    finally:
        page.set_window_size(*DESKTOP)


def fingerprint(driver: Any, width: int) -> str:
    """The page's structure at `width` and its stylesheet, digits left out (the figures move)."""
    structure = re.sub(r"\d", "0", check(driver, "structure"))
    return hashlib.sha256(f"{width}\n{stylesheet()}\n{structure}".encode()).hexdigest()[:24]


def test_the_screenshots_in_docs_are_of_the_current_page(web: Web, dashboard: Any) -> None:
    page = dashboard
    page.get(f"{web.url}/")
    write = os.environ.get("BILLBOT_TEST_SCREENSHOTS") == "write"
    try:
        for width, path in SCREENSHOTS.items():
            page.set_window_size(width, 800)
            page.get(f"{web.url}/")
            current = fingerprint(page, width)
            if write:
                full_page_screenshot(page, width, path, current)
            assert path.exists(), f"{path} is missing: run with BILLBOT_TEST_SCREENSHOTS=write"
            png = path.read_bytes()
            assert png_size(png)[0] == width
            assert text_of(png) == current, (
                f"{path.name} is not of the current page: BILLBOT_TEST_SCREENSHOTS=write "
                ".venv/bin/pytest tests/billbot/web/test_browser.py, then commit docs/screenshots/"
            )
    finally:
        page.set_window_size(*DESKTOP)
    assert console_errors(page) == [] and failed_requests(page) == []
