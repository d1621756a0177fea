"""End-to-end fixtures: a real `streamlit run app.py` on a free port and Debian's headless Chromium.

Never a downloaded browser: Playwright drives /usr/bin/chromium. The server gets its own SQLite
file (or the DATABASE_URL of the run), so a restart keeps the data, as in production.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.servers import CHROMIUM, CHROMIUM_ARGS, IDLE_AFTER, ROOT, RUN_MARKERS, AppServer

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "ROOT", "AppServer", "drawn", "reruns", "run_markers", "screenshot",
           "wait_idle"]

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


_seen: weakref.WeakKeyDictionary[Any, list[str]] = weakref.WeakKeyDictionary()


def run_markers(page) -> list[str]:
    """The end-of-run markers the page shows now (take them before an action, for `wait_idle`)."""
    return page.evaluate(RUN_MARKERS)


def wait_idle(page, timeout: float = 30_000, after: list[str] | None = None) -> list[str]:
    """Wait until a script run that the page did not show `after` (default: when this function last
    returned for this page) has ended, no script is running and every element has loaded; return the
    markers then shown.

    Call it after every action that reruns the script (a click, a page load, a reload, a sign-in, a
    server restart: a new session's markers are new too), never twice for one run: with nothing
    new to wait for it times out. `reruns(page)` takes the markers just before the action."""
    before = _seen.get(page, []) if after is None else after
    try:
        page.wait_for_function(IDLE_AFTER, arg=before, timeout=timeout)
    except PlaywrightTimeout as exc:
        state, loading = page.evaluate(
            "() => [document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState ?? 'no app',"
            " document.querySelectorAll('[data-testid=\"stSkeleton\"]').length]")
        raise AssertionError(f"no script run ended within {timeout / 1000:g} s: script state {state}, "
                             f"markers {run_markers(page)} (before: {before}), {loading} element(s) still "
                             "loading. Did the action rerun the script? (a resize, an expander or a tab does "
                             "not: wait for its element instead)") from exc
    seen = run_markers(page)
    _seen[page] = seen
    return seen


@contextmanager
def reruns(page, timeout: float = 30_000) -> Iterator[None]:
    """`with reruns(page): <action>` waits until the run(s) the action caused have ended."""
    before = run_markers(page)
    yield
    wait_idle(page, timeout, after=before)


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
