"""Right after a language switch, every kind of widget still works on the first click: the browser
holds each select widget's value as its old translated label (the bug: vi -> en, then the next
click showed "no such rubric")."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.content import load_bundle
from storage import Scope, Store
from tests.e2e.conftest import wait_idle
from tests.ui.conftest import AGENCY

pytestmark = pytest.mark.e2e
NATIONAL = Scope.national()


def switch_language(page, name: str) -> None:
    page.locator(".st-key-lang input").click()
    page.get_by_role("option").filter(has_text=name).first.click()
    wait_idle(page)


def no_error(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("no such rubric").count() == 0


def test_every_widget_works_on_the_first_click_after_a_switch(app_server, page) -> None:
    bundle = load_bundle()
    store = Store(f"sqlite:///{Path(app_server.env['DMM_SQLITE_PATH'])}")
    store.upsert_agency(AGENCY, NATIONAL, "t")
    info = store.create_assessment(AGENCY.id, "2026", bundle.questionnaire.id, bundle.questionnaire.version,
                                   NATIONAL, "t")
    aid = info.id
    dims = bundle.questionnaire.dimensions
    q1 = next(q for q in dims[0].questions if q.kind == "level")
    # In another dimension than the first, so choosing its step asks for a run.
    numeric = next(q for q in bundle.questionnaire.questions if q.kind == "numeric" and q.dimension_id != dims[0].id)
    block = lambda qid: page.locator(f".st-key-block_{aid}_{qid.replace('.', '__')}")  # noqa: E731

    page.goto(f"{app_server.url}/assessment?lang=vi&a={aid}")
    wait_idle(page)
    block(q1.id).get_by_text(f"Cấp 2 · {bundle.questionnaire.level_definition(2).name.vi}", exact=True).click()
    wait_idle(page)

    # A radio, right after vi -> en.
    switch_language(page, "English")
    block(q1.id).get_by_text(f"Level 3 · {bundle.questionnaire.level_definition(3).name.en}", exact=True).click()
    wait_idle(page)
    no_error(page)
    assert store.load_answers(aid, NATIONAL)[q1.id].value == 3
    # the new label, not the old (the box shows the name before its parenthesis; the full name is below it)
    assert bundle.rubric.name.en.split(" (")[0] in page.locator(".st-key-rubric").inner_html()

    # The step selector (a selectbox), right after en -> vi.
    switch_language(page, "Tiếng Việt")
    page.locator(".st-key-journey_step_select input").click()
    numeric_dimension = bundle.questionnaire.dimension(numeric.dimension_id)
    page.get_by_role("option").filter(has_text=numeric_dimension.name.vi).first.click()
    wait_idle(page)
    no_error(page)

    # The numeric mode radio, right after vi -> en.
    switch_language(page, "English")
    block(numeric.id).get_by_text("Don't know", exact=False).first.click()
    wait_idle(page)
    no_error(page)
    assert store.load_answers(aid, NATIONAL)[numeric.id].value == "dont_know"

    # A text field and a button, right after en -> vi.
    switch_language(page, "Tiếng Việt")
    evidence = block(numeric.id).locator("textarea, input[type='text']").last
    evidence.fill("Báo cáo thống kê 2025")
    page.locator(".st-key-journey_next_bottom button").click()
    wait_idle(page)
    no_error(page)
    assert store.load_answers(aid, NATIONAL)[numeric.id].evidence == "Báo cáo thống kê 2025"

    # The rubric selectbox itself, right after vi -> en.
    switch_language(page, "English")
    page.locator(".st-key-rubric input").click()
    current = page.locator(".st-key-rubric input").input_value()
    page.get_by_role("option").filter(has_not_text=current).first.click()  # another rubric: a run
    wait_idle(page)
    no_error(page)
    # The Start page's segmented control and checkbox-free form, right after en -> vi.
    switch_language(page, "Tiếng Việt")
    page.goto(f"{app_server.url}/?a={aid}")
    wait_idle(page)
    switch_language(page, "English")
    page.locator(".st-key-start_agency_mode button").last.click()
    wait_idle(page)
    no_error(page)
