"""Crash safety: the server is killed with SIGKILL in the middle of an assessment (no clean shutdown,
no flush, no goodbye), restarted, and every answer the page had acknowledged is there; SQLite's
integrity check passes on the file the dead server left behind."""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path

import pytest

from scoring.content import load_bundle
from scoring.schemas.response import Agency
from storage import Scope, Store, sqlite_url
from tests.e2e.conftest import wait_idle
from tests.e2e.servers import block, checked_level

pytestmark = pytest.mark.e2e

AGENCY = Agency(id="xa_dak_ha", name="Ủy ban nhân dân xã Đắk Hà", type="commune", province="tinh_dak_lak")
NATIONAL = Scope.national()


def test_sigkill_mid_assessment_loses_no_acknowledged_answer(app_server, page, tmp_path: Path) -> None:
    if "DATABASE_URL" in app_server.env:
        pytest.skip("the crash test checks the SQLite file; the PostgreSQL pass covers the replicas test")
    database = Path(app_server.env["DMM_SQLITE_PATH"])
    bundle = load_bundle()
    store = Store(sqlite_url(database))
    store.upsert_agency(AGENCY, NATIONAL, "setup")
    aid = store.create_assessment(
        AGENCY.id, "2026", bundle.questionnaire.id, bundle.questionnaire.version, NATIONAL, "setup"
    ).id
    dimension = bundle.questionnaire.dimensions[0]
    questions = [q for q in dimension.questions if q.kind == "level"]
    given = {q.id: 1 + index % 5 for index, q in enumerate(questions)}
    noted = questions[0].id

    page.goto(f"{app_server.url}/assessment?a={aid}&lang=vi")
    wait_idle(page)
    for question in questions:
        level = given[question.id]
        name = bundle.questionnaire.level_definition(level).name.vi
        block(page, aid, question.id).get_by_text(f"Cấp {level} · {name}", exact=True).click()
        wait_idle(page)
        # Acknowledged by the page: the server's run has redrawn the question's badge as answered.
        block(page, aid, question.id).get_by_text("Đã trả lời").first.wait_for()
        assert checked_level(page, aid, question.id) == level
    evidence = block(page, aid, noted).get_by_label("Minh chứng (ghi chú hoặc đường dẫn)")
    evidence.fill("Quyết định số 15/QĐ-UBND")
    block(page, aid, noted).get_by_role("button", name="Lưu minh chứng").click()
    block(page, aid, noted).get_by_text("Đã lưu lúc").wait_for()

    # Kill the whole server process group at once: no shutdown handlers run.
    assert app_server.process is not None
    os.killpg(app_server.process.pid, signal.SIGKILL)
    app_server.process.wait(timeout=30)
    assert app_server.process.returncode == -signal.SIGKILL

    with sqlite3.connect(database) as conn:  # opening it replays the write-ahead log, as a restart does
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    app_server.start()
    page.goto(f"{app_server.url}/assessment?a={aid}&lang=vi")
    wait_idle(page)
    block(page, aid, questions[-1].id).locator('input[type="radio"]:checked').wait_for(state="attached")
    for question in questions:
        assert checked_level(page, aid, question.id) == given[question.id], question.id
    assert block(page, aid, noted).get_by_label("Minh chứng (ghi chú hoặc đường dẫn)").input_value() == (
        "Quyết định số 15/QĐ-UBND")
    assert page.locator('[data-testid="stException"]').count() == 0
    stored = Store(sqlite_url(database)).load_answers(aid, NATIONAL)
    assert {q: stored[q].value for q in given} == given
