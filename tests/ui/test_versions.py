"""Versions side by side in the app: new rounds on the newest version, older rounds still open on their own."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring import registry
from scoring.content import load_bundle
from scoring.schemas.response import Agency, Response
from storage import Store
from tests.conftest import REGISTRY
from tests.ui.conftest import ACTOR, NATIONAL, open_page, texts
from ui import state

COMMUNE = Agency(id="xa_thu", name="UBND xã Thử", type="commune", province="tinh_hue")


def _as_dmm_vn(source: Path, target: Path, replace: tuple[str, str]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source.read_text(encoding="utf-8").replace(*replace), encoding="utf-8")


@pytest.fixture
def two_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The shipped dmm-vn 1.0.0 beside a small 2.0.0 (the fixture `mini` 2.0.0 under the id dmm-vn)."""
    questionnaires, rubrics, targets = tmp_path / "questionnaires", tmp_path / "rubrics", tmp_path / "targets"
    (questionnaires / "dmm-vn").mkdir(parents=True)
    shutil.copy(registry.questionnaire_path("dmm-vn", "1.0.0"), questionnaires / "dmm-vn" / "1.0.0.yaml")
    shutil.copytree(registry.RUBRIC_DIR, rubrics)
    shutil.copytree(registry.TARGETS_DIR, targets)
    _as_dmm_vn(
        REGISTRY / "questionnaires/mini/2.0.0.yaml", questionnaires / "dmm-vn/2.0.0.yaml", ("id: mini", "id: dmm-vn")
    )
    mini_ref = ("{id: mini, major: 2}", "{id: dmm-vn, major: 2}")
    _as_dmm_vn(REGISTRY / "rubrics/mini-2/standard.yaml", rubrics / "dmm-vn-2/standard.yaml", mini_ref)
    lenient = (
        (REGISTRY / "rubrics/mini-2/standard.yaml").read_text(encoding="utf-8").replace("id: standard", "id: lenient")
    )
    (rubrics / "dmm-vn-2/lenient.yaml").write_text(lenient.replace(*mini_ref), encoding="utf-8")
    _as_dmm_vn(REGISTRY / "targets/mini-2/qd-2629.yaml", targets / "dmm-vn-2/qd-2629.yaml", mini_ref)
    monkeypatch.setattr(registry, "QUESTIONNAIRE_DIR", questionnaires)
    monkeypatch.setattr(registry, "RUBRIC_DIR", rubrics)
    monkeypatch.setattr(registry, "TARGETS_DIR", targets)
    monkeypatch.delenv("DMM_QUESTIONNAIRE_VERSION", raising=False)
    state._bundle.clear()
    state._stamps.clear()
    yield tmp_path
    state._bundle.clear()
    state._stamps.clear()


def test_new_round_uses_the_newest_version_and_asks_only_what_applies(two_versions: Path, store: Store) -> None:
    assert registry.offered_version() == "2.0.0"
    store.upsert_agency(COMMUNE, NATIONAL, ACTOR)
    at = open_page("app_pages/start.py")
    at.selectbox(key="start_agency").set_value(COMMUNE.id).run()
    at.text_input(key="start_round").set_value("2027")
    at.button(key="start_new_round").click().run()
    assert not at.exception, at.exception
    [info] = store.list_assessments(NATIONAL, agency_id=COMMUNE.id)
    assert info.questionnaire_version == "2.0.0"
    shown = texts(at)
    assert "Question alpha.platform" in shown and "Question beta.ministry_only" not in shown
    assert "2.0.0" in shown


def test_a_1_0_0_round_still_opens_and_scores_on_1_0_0(two_versions: Path, store: Store) -> None:
    old = load_bundle("dmm-vn", "1.0.0")
    store.upsert_agency(COMMUNE, NATIONAL, ACTOR)
    answers: dict[str, int | float | str] = {
        q.id: (3 if q.kind == "level" else 60.0) for q in old.questionnaire.questions
    }
    response = Response(questionnaire="dmm-vn", version="1.0.0", agency=COMMUNE, round="2026", answers=answers)
    store.import_response(response, NATIONAL, ACTOR)
    [info] = store.list_assessments(NATIONAL, agency_id=COMMUNE.id)
    assert info.questionnaire_version == "1.0.0"
    at = open_page("app_pages/results.py", assessment_id=info.id)
    assert not at.exception, at.exception
    shown = texts(at)
    assert old.questionnaire.dimensions[0].name.vi in shown  # 1.0.0's dimensions, not the 2.0.0 fixture's
    at = open_page("app_pages/assessment.py", assessment_id=info.id)
    assert not at.exception, at.exception
    assert old.questionnaire.dimensions[0].questions[0].text.vi in texts(at)


def test_a_commune_can_answer_provided_in_the_wizard(two_versions: Path, store: Store) -> None:
    store.upsert_agency(COMMUNE, NATIONAL, ACTOR)
    info = store.create_assessment(COMMUNE.id, "2027", "dmm-vn", "2.0.0", NATIONAL, ACTOR)
    at = open_page("app_pages/assessment.py", assessment_id=info.id)
    radio = next(r for r in at.radio if "alpha.platform" in r.key)
    assert "dùng chung của tỉnh bảo đảm (tính như cấp độ 3)" in radio.options[-1]
    radio.set_value("provided").run()
    assert not at.exception, at.exception
    assert store.load_answers(info.id, NATIONAL)["alpha.platform"].value == "provided"
    others = [r for r in at.radio if "alpha.one" in r.key]
    assert others and all("của tỉnh bảo đảm" not in str(o) for o in others[0].options)  # not providable


@pytest.fixture
def shipped_newest(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("DMM_QUESTIONNAIRE_VERSION", raising=False)
    state._bundle.clear()
    state._stamps.clear()
    yield
    state._bundle.clear()
    state._stamps.clear()


def test_trainer_on_the_newest_version_shows_glossary_guidance_and_advice(shipped_newest: None, store: Store) -> None:
    newest = load_bundle("dmm-vn", registry.offered_version())
    at = open_page("app_pages/training.py")
    at.segmented_control(key="trainer_view").set_value("glossary").run()
    assert not at.exception, at.exception
    shown = texts(at) + "".join(str(e.label) for e in at.expander)
    if newest.questionnaire.glossary:
        table = at.table[0].value
        assert newest.questionnaire.glossary[0].term.vi in table.iloc[:, 0].tolist()
    for item in newest.questionnaire.respondent_guidance:
        assert item.title.vi in shown
    at.segmented_control(key="trainer_view").set_value("criteria").run()
    if any(o.next_steps for q in newest.questionnaire.questions for o in q.options):
        at.toggle(key="criteria_advice").set_value(True).run()
        first = newest.questionnaire.dimensions[0].questions[0]
        html_text = "".join(str(m.value) for m in at.markdown)
        assert "Bước tiếp theo:" in html_text and first.option(1).next_steps.vi[:30] in html_text


def test_coordinator_says_when_rounds_use_different_versions(two_versions: Path, store: Store) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import ROOT

    old = load_bundle("dmm-vn", "1.0.0")
    store.upsert_agency(COMMUNE, NATIONAL, ACTOR)
    answers_1 = {q.id: (3 if q.kind == "level" else 60.0) for q in old.questionnaire.questions}
    store.import_response(
        Response(questionnaire="dmm-vn", version="1.0.0", agency=COMMUNE, round="2026", answers=answers_1),
        NATIONAL,
        ACTOR,
    )
    new = load_bundle("dmm-vn", "2.0.0").for_agency_type("commune")
    answers_2 = {q.id: (4 if q.kind == "level" else 90.0) for q in new.questionnaire.questions}
    store.import_response(
        Response(questionnaire="dmm-vn", version="2.0.0", agency=COMMUNE, round="2027", answers=answers_2),
        NATIONAL,
        ACTOR,
    )
    at = AppTest.from_file(str(ROOT / "app_pages" / "coordination.py"), default_timeout=120)
    at.session_state["lang"] = "vi"
    at.run()
    assert not at.exception, at.exception
    notes = [i.value for i in at.info if "phiên bản bộ câu hỏi khác nhau" in str(i.value)]
    assert notes and "2026: 1.0.0; 2027: 2.0.0" in notes[0]
    at.selectbox(key="coord_round").set_value("2026").run()  # the 1.0.0 round scores on 1.0.0: level 3 everywhere
    assert not at.exception, at.exception


def test_results_of_a_2_0_0_commune_round_with_provided_and_unasked_questions(two_versions: Path, store: Store) -> None:
    new = load_bundle("dmm-vn", "2.0.0").for_agency_type("commune")
    answers: dict[str, int | float | str] = {
        q.id: (3 if q.kind == "level" else 60.0) for q in new.questionnaire.questions
    }
    answers["alpha.platform"] = "provided"
    store.upsert_agency(COMMUNE, NATIONAL, ACTOR)
    store.import_response(
        Response(questionnaire="dmm-vn", version="2.0.0", agency=COMMUNE, round="2027", answers=answers),
        NATIONAL,
        ACTOR,
    )
    [info] = store.list_assessments(NATIONAL, agency_id=COMMUNE.id)
    at = open_page("app_pages/results.py", assessment_id=info.id)
    assert not at.exception, at.exception
    shown = texts(at)
    # the fixture's 2.0.0 targets ask a commune for level 2 in 2027 (agency_type_min_levels); level 3 meets it
    assert "Mục tiêu 2027: cấp 2" in shown and "Đạt mục tiêu" in shown
    downloads = [b for b in at.get("download_button")]
    assert downloads  # PDF / Excel built for a round with `provided` and unasked questions
