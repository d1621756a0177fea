"""Storage refuses what the app's own forms and files refuse, whoever calls it (one rule each, from
`scoring.identifiers` and `scoring.response_checks.check_answer`). SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from scoring.content import Bundle, load_bundle
from scoring.identifiers import agency_id_problem
from scoring.schemas.response import Agency, Response
from storage import InvalidValue, NotFound, Store
from tests.storage.conftest import ACTOR, NATIONAL
from ui import journey

AGENCY = Agency(id="bo_thu", name="Bộ Thử nghiệm", type="ministry")


@pytest.fixture(scope="module")
def shipped() -> Bundle:
    return load_bundle()


@pytest.fixture
def draft(store: Store, shipped: Bundle) -> int:
    store.upsert_agency(AGENCY, NATIONAL, ACTOR)
    q = shipped.questionnaire
    return store.create_assessment(AGENCY.id, "2026", q.id, q.version, NATIONAL, ACTOR).id


def level_and_numeric(bundle: Bundle) -> tuple[str, str]:
    questions = bundle.questionnaire.questions
    return (next(q.id for q in questions if q.kind == "level"), next(q.id for q in questions if q.kind == "numeric"))


def test_answers_are_checked_against_the_questionnaire(store: Store, draft: int, shipped: Bundle) -> None:
    level, numeric = level_and_numeric(shipped)
    for question, value in ((level, 99), (level, 3.7), (level, 0), (numeric, 150), ("governance.nope", 3)):
        with pytest.raises(InvalidValue):
            store.save_answer(draft, question, value, NATIONAL, ACTOR)
    with pytest.raises(InvalidValue, match="unknown question id"):
        store.save_note(draft, "governance.nope", NATIONAL, ACTOR, evidence="x")
    assert store.load_answers(draft, NATIONAL) == {}
    store.save_answer(draft, level, 4, NATIONAL, ACTOR)
    store.save_answer(draft, numeric, 3.7, NATIONAL, ACTOR)  # a percentage may be 3.7
    assert {k: v.value for k, v in store.load_answers(draft, NATIONAL).items()} == {level: 4, numeric: 3.7}


def test_an_import_with_an_unknown_question_stores_nothing(store: Store, shipped: Bundle) -> None:
    level, _ = level_and_numeric(shipped)
    q = shipped.questionnaire
    response = Response(questionnaire=q.id, version=q.version, agency=AGENCY, round="2026",
                        answers={level: 3, "governance.nope": 3})
    with pytest.raises(InvalidValue, match="unknown question id"):
        store.import_responses([response], NATIONAL, ACTOR)
    assert store.list_agencies(NATIONAL) == [] and store.list_assessments(NATIONAL) == []


def test_ids_no_row_can_have_are_not_found(store: Store, draft: int, shipped: Bundle) -> None:
    level, _ = level_and_numeric(shipped)
    for impossible in (2**63, 2**64, -1, 0):
        with pytest.raises(NotFound):
            store.get_assessment(impossible, NATIONAL)
        with pytest.raises(NotFound):
            store.save_answer(impossible, level, 3, NATIONAL, ACTOR)
        with pytest.raises(NotFound):
            store.audit_trail(NATIONAL, impossible)


def test_agencies_rounds_and_notes_follow_the_forms_rules(store: Store, draft: int, shipped: Bundle) -> None:
    level, _ = level_and_numeric(shipped)
    for bad in (
        Agency.model_construct(id="=HYPERLINK(\"x\")", name="X", type="ministry", province=None),
        Agency.model_construct(id="../../etc/passwd", name="X", type="ministry", province=None),
        Agency.model_construct(id="a\nb", name="X", type="ministry", province=None),
        Agency.model_construct(id="x" * 100, name="X", type="ministry", province=None),
        Agency.model_construct(id="bo_nul", name="Bộ\x00", type="ministry", province=None),
        Agency.model_construct(id="bo_long", name="B" * 201, type="ministry", province=None),
    ):
        with pytest.raises(InvalidValue):
            store.upsert_agency(bad, NATIONAL, ACTOR)
    assert [a.id for a in store.list_agencies(NATIONAL)] == [AGENCY.id]
    with pytest.raises(InvalidValue):
        store.create_assessment(AGENCY.id, "20\n27", shipped.questionnaire.id, shipped.questionnaire.version,
                                NATIONAL, ACTOR)
    for note in ("x" * 5001, "bằng chứng\x00"):
        with pytest.raises(InvalidValue):
            store.save_answer(draft, level, 3, NATIONAL, ACTOR, evidence=note)
    assert store.load_answers(draft, NATIONAL) == {}
    store.save_answer(draft, level, 3, NATIONAL, ACTOR, evidence="Quyết định 12\nBiên bản 3")  # line breaks are fine


@pytest.mark.parametrize("agency_id", ["xa_dak_ha", "bo-y-te.2026", "=HYPERLINK(1)", "../x", "a b", "x" * 65, "_x"])
def test_the_form_and_the_files_use_the_same_id_rule(agency_id: str) -> None:
    form_refuses = journey.build_agency("Tên", "ministry", None, agency_id).problems == ["id_invalid"]
    assert form_refuses == (agency_id_problem(agency_id) is not None)
    with pytest.raises(ValueError) if form_refuses else _nothing():
        Agency(id=agency_id, name="Tên", type="ministry")


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


def test_saving_what_is_stored_changes_no_timestamp(store: Store, draft: int, shipped: Bundle) -> None:
    """Mutation (issue 9): a no-op save bumping `updated_at`, which makes an unchanged draft look edited."""
    level, _ = level_and_numeric(shipped)
    store.save_answer(draft, level, 3, NATIONAL, ACTOR, evidence="Biên bản")
    before = store.get_assessment(draft, NATIONAL).updated_at, store.load_answers(draft, NATIONAL)[level]
    trail = len(store.audit_trail(NATIONAL, draft))
    store.save_answer(draft, level, 3, NATIONAL, ACTOR, evidence="Biên bản")
    store.save_note(draft, level, NATIONAL, ACTOR, evidence="Biên bản")
    after = store.get_assessment(draft, NATIONAL).updated_at, store.load_answers(draft, NATIONAL)[level]
    assert after == before and len(store.audit_trail(NATIONAL, draft)) == trail
