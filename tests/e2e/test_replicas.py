"""Two app servers on one PostgreSQL, as a national deployment runs them behind a reverse proxy
(docs/DEPLOYMENT.md): an answer saved through one server is shown by the other after a reload, and a
submission through one is in the other's coordinator figures at its next page load (the cached
population is keyed on a change stamp read from the database, not per process or per time-to-live).

Needs env DATABASE_URL (PostgreSQL; .ci/run's PostgreSQL pass); skipped without it, FAILS without it
when DMM_REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy.engine import make_url

from scoring.content import load_bundle
from scoring.schemas.response import Agency
from storage import Scope, Store, normalise_url
from storage.scratch import scratch_postgres_schema
from tests.e2e.conftest import wait_idle
from tests.e2e.servers import AppServer, block, checked_level
from tests.ui.conftest import sample_response

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

NATIONAL = Scope.national()
SUBMITTED = Agency(id="xa_hoa_binh", name="UBND xã Hòa Bình", type="commune", province="tinh_dak_lak")
DRAFT = Agency(id="xa_dak_ha", name="Ủy ban nhân dân xã Đắk Hà", type="commune", province="tinh_dak_lak")
VISIBLE_WITHIN_S = 60.0
"""The stated time: a submission through one server is in the other's coordinator figures at that
server's NEXT page load (no time-to-live: the cache key is read from the database). The first load
that starts after the submission must show it; the bound only allows for that load itself on a
busy shared 2-core machine (measured 2.9-5.1 s)."""


@pytest.fixture
def shared_database() -> Iterator[str]:
    base = os.environ.get("DATABASE_URL", "").strip()
    if not base or make_url(normalise_url(base)).get_backend_name() != "postgresql":
        reason = "two app servers share one PostgreSQL: set DATABASE_URL (DATABASE_URL=$(bash .ci/start-postgres.sh))"
        if os.environ.get("DMM_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"DMM_REQUIRE_POSTGRES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    with scratch_postgres_schema(base, prefix="dmm_e2e") as url:
        yield url


@pytest.fixture
def two_servers(shared_database: str, tmp_path: Path) -> Iterator[tuple[AppServer, AppServer]]:
    env = {**os.environ, "DATABASE_URL": shared_database, "PYTHONUNBUFFERED": "1"}
    env.pop("DMM_SQLITE_PATH", None)
    servers = (AppServer(env=env, log=tmp_path / "a.log"), AppServer(env=env, log=tmp_path / "b.log"))
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def agencies_tile(page):
    """The value of the "agencies assessed" tile, found by its label (the page draws its tiles in turn)."""
    tile = page.locator('[data-testid="stMetric"]').filter(has_text="Cơ quan đã đánh giá")
    return tile.locator('[data-testid="stMetricValue"]')


def test_two_servers_on_one_database(shared_database: str, two_servers, browser, page) -> None:
    server_a, server_b = two_servers
    bundle = load_bundle()
    question = next(q for q in bundle.questionnaire.dimensions[1].questions if q.kind == "level")
    store = Store(shared_database)
    store.import_response(sample_response(bundle, agency=SUBMITTED), NATIONAL, "setup", status="submitted")
    aid = store.import_response(
        sample_response(bundle, agency=DRAFT, skip=(question.id,)), NATIONAL, "setup", status="draft"
    ).id

    other = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    other.set_default_timeout(30_000)
    page_b = other.new_page()
    try:
        # B's coordinator has scored the population once (and cached it): one agency.
        page_b.goto(f"{server_b.url}/coordinator?lang=vi")
        wait_idle(page_b, timeout=120_000)
        expect(agencies_tile(page_b), "before: one submitted agency").to_have_text("1")

        # An answer saved through A...
        step = f"step={question.dimension_id}"
        page.goto(f"{server_a.url}/assessment?a={aid}&lang=vi&{step}")
        wait_idle(page)
        name = bundle.questionnaire.level_definition(3).name.vi
        block(page, aid, question.id).get_by_text(f"Cấp 3 · {name}", exact=True).click()
        block(page, aid, question.id).get_by_text("Đã trả lời").first.wait_for()  # saved by server A
        assert checked_level(page, aid, question.id) == 3
        # ...is shown by B after a reload.
        page_b.goto(f"{server_b.url}/assessment?a={aid}&lang=vi&{step}")
        wait_idle(page_b)
        block(page_b, aid, question.id).locator('input[type="radio"]:checked').wait_for(state="attached")
        assert checked_level(page_b, aid, question.id) == 3, "server B shows the answer saved through A"

        # A submission through A...
        page.goto(f"{server_a.url}/assessment?a={aid}&lang=vi&step=__review__")
        wait_idle(page)
        page.get_by_text("Tôi xác nhận các câu trả lời là chính xác", exact=False).click()
        wait_idle(page)
        page.get_by_role("button", name="Nộp bản đánh giá").click()
        page.get_by_text("Đã nộp bản đánh giá").first.wait_for()  # the page confirms the submission
        submitted_at = time.monotonic()
        # ...is in B's coordinator figures at its next page load.
        page_b.goto(f"{server_b.url}/coordinator?lang=vi")
        wait_idle(page_b, timeout=120_000)
        # The page does not refresh by itself: this is the first load's figure, once drawn.
        expect(agencies_tile(page_b), "B's first load after the submission counts it").to_have_text("2")
        seen_after = time.monotonic() - submitted_at
        print(f"submission through server A counted by server B's coordinator after {seen_after:.1f} s")
        assert seen_after < VISIBLE_WITHIN_S, f"seen after {seen_after:.1f} s"
        assert page_b.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        other.close()
