"""End-to-end fixtures: a real `streamlit run app.py` on a free port and Debian's headless Chromium.

Never a downloaded browser: Playwright drives /usr/bin/chromium. The server gets its own SQLite
file (or the DATABASE_URL of the run), so a restart keeps the data, as in production.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.servers import CHROMIUM, CHROMIUM_ARGS, ROOT, AppServer

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "ROOT", "AppServer", "drawn", "screenshot", "wait_idle"]

SCREENSHOTS = ROOT / "screenshots"


@pytest.fixture
def app_server(tmp_path: Path) -> Iterator[AppServer]:
    env = {**os.environ, "DMM_SQLITE_PATH": str(tmp_path / "e2e.sqlite3"), "PYTHONUNBUFFERED": "1"}
    server = AppServer(env=env, log=tmp_path / "streamlit.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, tmp_path: Path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="vi-VN")
    context.set_default_timeout(30_000)
    tab = context.new_page()
    yield tab
    context.close()


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the app is mounted and its script has finished running."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=timeout, state="attached")
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=timeout, state="attached")


def drawn(page, timeout: float = 30_000) -> None:
    """Wait until every chart on the page has drawn its canvas or SVG (charts load and draw after the
    script run, and again after a window resize)."""
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]')]"
                           ".every(chart => chart.querySelector('canvas, svg'))", timeout=timeout)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under screenshots/ (kept out of git) for a person to look at,
    once the page and its charts have drawn."""
    drawn(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
