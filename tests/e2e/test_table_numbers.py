"""Numbers in a coordinator table follow the app's language, not the browser's (issue 12, point 3).

The grid draws on a canvas; its search box matches the text a cell shows (glide-data-grid searches a
number cell's display text, not its value) and says how many cells matched. The ranking of the
national demo has ranks past 999: "1.081" in Vietnamese, "1,081" in English, in an English browser.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coordinator import rankings
from coordinator.data import Population
from coordinator.demo import load_demo
from coordinator.scores import read_population
from coordinator.selection import Filters
from scoring import load_bundle
from scoring.numbers import fmt_int
from storage import Scope, Store, sqlite_url
from tests.e2e.conftest import screenshot, wait_idle

pytestmark = pytest.mark.e2e

RESULTS = re.compile(r"^\d+ results?$")


def found(grid, text: str) -> None:
    """Wait until the grid's own search finds a cell showing `text` (the search runs in the browser,
    in chunks: the count rises from "0 results")."""
    grid.locator("input").first.fill(text)
    status = grid.get_by_text(RESULTS).first
    expect(status).not_to_have_text("0 results")


def a_rank_past_999(store: Store) -> int:
    """A rank the national ranking gives (ranks are shared by ties: not every number is one)."""
    bundle = load_bundle()
    pop = Population(bundle, read_population(store, Scope.national(), bundle))
    ranks = rankings.ranking(pop, Filters(round=pop.latest_round), bundle.years[0])["rank"].dropna()
    return int(ranks[ranks >= 1000].min())


def test_ranking_numbers_in_the_app_language(app_server, browser) -> None:
    store = Store(app_server.env.get("DATABASE_URL") or sqlite_url(app_server.env["DMM_SQLITE_PATH"]))
    load_demo(store, load_bundle(), Scope.national(), rounds=1)  # 3,385 agencies: ranks up to 3.385
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="en-US")  # an English browser
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        rank = a_rank_past_999(store)
        for lang, section in (("vi", "Xếp hạng và chi tiết"), ("en", "Ranking and details")):
            page.goto(f"{app_server.url}/coordinator?lang={lang}")
            wait_idle(page, timeout=120_000)
            page.locator('[data-testid="stButtonGroup"]').get_by_text(section, exact=True).click()
            wait_idle(page, timeout=60_000)
            grid = page.locator(".st-key-coord_rank_table")
            grid.locator("canvas").first.wait_for()
            if lang == "vi":
                screenshot(page, "coordinator-ranking-numbers-vi")
            grid.hover()
            grid.get_by_role("button", name="Search").click()
            found(grid, fmt_int(rank, lang))  # "1.081" / "1,081": the value alone ("1081") would not match
            if lang == "vi":
                screenshot(page, "coordinator-ranking-search-vi")
    finally:
        context.close()
