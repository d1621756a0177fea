"""The storage module told as its users' stories. Every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import event

from scoring.schemas.response import Agency, AnswerNote, Response
from storage import (
    FRAME_COLUMNS,
    AccessDenied,
    AssessmentLocked,
    DuplicateAssessment,
    InvalidValue,
    NotFound,
    Scope,
    Store,
    dispose_engine,
)
from tests.storage.conftest import ACTOR, AGENCIES, NATIONAL

REPO = Path(__file__).resolve().parents[2]
LEAD = "it.lead@badinh.hanoi.gov.vn"
BA_DINH = Scope.for_agency("hn_ba_dinh")


def start(store: Store, agency_id: str = "hn_ba_dinh", round: str = "2026", scope: Scope = NATIONAL) -> int:
    return store.create_assessment(agency_id, round, "dmm", "1.0.0", scope, ACTOR).id


def response(agency_id: str, round: str, answers: dict, notes: dict | None = None) -> Response:
    agency = next(a for a in AGENCIES if a.id == agency_id)
    return Response(
        questionnaire="dmm", version="1.0.0", agency=agency, round=round, answers=answers, notes=notes or {}
    )


def count_selects(store: Store) -> tuple[list[str], object]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    return statements, record


# --- every answer is kept ----------------------------------------------------------------------


def test_an_answer_saved_survives_a_new_store_as_after_a_server_restart(world: Store, db_url: str) -> None:
    assessment = start(world, scope=BA_DINH)
    world.save_answer(assessment, "governance.policy", 3, BA_DINH, LEAD)
    world.save_answer(assessment, "quality.share_clean", 57.5, BA_DINH, LEAD, evidence="báo cáo 2026")

    dispose_engine(db_url)  # the server process goes away with its connection pool
    reopened = Store(db_url)
    answers = reopened.load_answers(assessment, BA_DINH)
    assert answers["governance.policy"].value == 3
    assert answers["quality.share_clean"].value == 57.5
    assert answers["quality.share_clean"].evidence == "báo cáo 2026"


def test_an_answer_saved_is_read_back_by_another_process(world: Store, db_url: str) -> None:
    assessment = start(world, scope=BA_DINH)
    world.save_answer(assessment, "governance.policy", 4, BA_DINH, LEAD)
    script = (
        "import json, sys\n"
        "from storage import Store, Scope\n"
        "answers = Store(sys.argv[1]).load_answers(int(sys.argv[2]), Scope.for_agency('hn_ba_dinh'))\n"
        "print(json.dumps({k: v.value for k, v in answers.items()}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script, db_url, str(assessment)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"governance.policy": 4}


def test_changing_an_answer_keeps_old_and_new_in_the_audit_trail(world: Store) -> None:
    assessment = start(world)
    before = world.get_assessment(assessment, NATIONAL).updated_at
    world.save_answer(assessment, "governance.policy", 2, BA_DINH, LEAD)
    world.save_answer(assessment, "governance.policy", 4, BA_DINH, LEAD)
    world.save_answer(assessment, "governance.policy", 4, BA_DINH, LEAD)  # the same again: nothing to record

    trail = [e for e in world.audit_trail(BA_DINH, assessment) if e.question_id == "governance.policy"]
    assert [(e.action, e.old_value, e.new_value, e.actor) for e in trail] == [
        ("answer_saved", "2", "4", LEAD),
        ("answer_saved", None, "2", LEAD),
    ]
    assert world.get_assessment(assessment, NATIONAL).updated_at > before


def test_clearing_an_answer_deletes_it_but_keeps_typed_evidence(world: Store) -> None:
    assessment = start(world)
    world.save_answer(assessment, "governance.policy", 3, BA_DINH, LEAD)
    world.save_answer(assessment, "governance.owner", 2, BA_DINH, LEAD, evidence="Quyết định 12/QĐ")
    assert world.get_assessment(assessment, BA_DINH).answered_count == 2

    world.save_answer(assessment, "governance.policy", None, BA_DINH, LEAD)
    world.save_answer(assessment, "governance.owner", None, BA_DINH, LEAD)

    stored = world.load_answers(assessment, BA_DINH)
    assert "governance.policy" not in stored
    assert stored["governance.owner"].value is None
    assert stored["governance.owner"].evidence == "Quyết định 12/QĐ"
    assert world.get_assessment(assessment, BA_DINH).answered_count == 0
    assert world.audit_trail(BA_DINH, assessment)[0].action == "answer_cleared"


def test_saves_from_several_sessions_at_once_all_arrive(world: Store) -> None:
    assessment = start(world)
    errors: list[BaseException] = []

    def session(worker: int) -> None:
        try:
            for i in range(15):
                world.save_answer(assessment, f"d{worker}.q{i}", 1 + (i % 5), BA_DINH, LEAD)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=session, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(world.load_answers(assessment, BA_DINH)) == 60


# --- submitted means read-only -----------------------------------------------------------------


def test_a_submitted_assessment_refuses_changes(world: Store) -> None:
    assessment = start(world)
    world.save_answer(assessment, "governance.policy", 3, BA_DINH, LEAD)
    world.submit(assessment, BA_DINH, LEAD)

    info = world.get_assessment(assessment, BA_DINH)
    assert info.status == "submitted" and info.is_submitted
    assert info.submitted_at is not None
    with pytest.raises(AssessmentLocked) as refused:
        world.save_answer(assessment, "governance.policy", 5, BA_DINH, LEAD)
    assert str(refused.value) == (
        f"Assessment {assessment} was submitted on {info.submitted_at:%Y-%m-%d} "
        "and can no longer be changed; start a new round instead."
    )
    with pytest.raises(AssessmentLocked):
        world.save_note(assessment, "governance.policy", BA_DINH, LEAD, evidence="late")
    with pytest.raises(AssessmentLocked):
        world.submit(assessment, BA_DINH, LEAD)
    assert world.load_answers(assessment, BA_DINH)["governance.policy"].value == 3
    assert world.load_answers(assessment, BA_DINH)["governance.policy"].evidence is None
    assert world.audit_trail(BA_DINH, assessment)[0].action == "submitted"


def test_one_assessment_per_agency_round_and_questionnaire(world: Store) -> None:
    first = start(world)
    with pytest.raises(DuplicateAssessment) as refused:
        start(world)
    assert refused.value.existing_id == first
    assert f"assessment {first}" in str(refused.value)
    other_round = start(world, round="2027")
    assert other_round != first


# --- scope -------------------------------------------------------------------------------------


def test_scope_a_commune_it_lead_cannot_read_another_communes_assessment(world: Store) -> None:
    mine = start(world, "hn_ba_dinh")
    theirs = start(world, "hn_hoan_kiem")
    world.save_answer(theirs, "governance.policy", 5, NATIONAL, ACTOR)

    for attempt in (
        lambda: world.get_assessment(theirs, BA_DINH),
        lambda: world.load_answers(theirs, BA_DINH),
        lambda: world.to_response(theirs, BA_DINH),
        lambda: world.save_answer(theirs, "governance.policy", 1, BA_DINH, LEAD),
        lambda: world.save_note(theirs, "governance.policy", BA_DINH, LEAD, evidence="x"),
        lambda: world.submit(theirs, BA_DINH, LEAD),
        lambda: world.audit_trail(BA_DINH, theirs),
        lambda: world.create_assessment("hn_hoan_kiem", "2027", "dmm", "1.0.0", BA_DINH, LEAD),
        lambda: world.get_agency("hn_hoan_kiem", BA_DINH),
    ):
        with pytest.raises(AccessDenied):
            attempt()
    with pytest.raises(AccessDenied) as denied:
        world.get_assessment(theirs, BA_DINH)
    assert "hn_hoan_kiem" in str(denied.value) and "outside your access" in str(denied.value)

    assert [a.id for a in world.list_assessments(BA_DINH)] == [mine]
    assert [a.id for a in world.list_agencies(BA_DINH)] == ["hn_ba_dinh"]
    assert {e.agency_id for e in world.audit_trail(BA_DINH)} == {"hn_ba_dinh"}
    assert world.load_answers(theirs, NATIONAL)["governance.policy"].value == 5  # untouched


def test_scope_a_province_sees_itself_and_its_communes_only(world: Store) -> None:
    hanoi = Scope.for_province("hn")
    for agency in AGENCIES:
        start(world, agency.id)
    assert {a.agency_id for a in world.list_assessments(hanoi)} == {"hn", "hn_ba_dinh", "hn_hoan_kiem"}
    assert {a.id for a in world.list_agencies(hanoi)} == {"hn", "hn_ba_dinh", "hn_hoan_kiem"}
    assert [a.id for a in world.list_agencies(hanoi, agency_type="commune")] == ["hn_ba_dinh", "hn_hoan_kiem"]
    assert len(world.list_assessments(NATIONAL)) == len(AGENCIES)

    # A province may add its own communes, but not take over (or create) another province's.
    world.upsert_agency(
        Agency(id="hn_tay_ho", name="Phường Tây Hồ", type="commune", province="hn"), hanoi, LEAD
    )
    with pytest.raises(AccessDenied):
        world.upsert_agency(
            Agency(id="hcm_ben_thanh", name="Phường Bến Thành", type="commune", province="hn"), hanoi, LEAD
        )
    with pytest.raises(AccessDenied):
        world.upsert_agency(Agency(id="hcm_q1", name="Quận 1", type="commune", province="hcm"), hanoi, LEAD)
    assert world.get_agency("hcm_ben_thanh", NATIONAL).province == "hcm"


def test_sql_filters_agree_with_scope_allows(world: Store) -> None:
    scopes = [
        NATIONAL,
        Scope.for_province("hn"),
        Scope.for_province("hcm"),
        Scope.for_ministry("btc"),
        Scope.for_ministry("hn"),  # not a ministry: covers nothing
        Scope.for_agency("hn_ba_dinh"),
        Scope.for_agencies(["hcm", "btc", "nowhere"]),
        Scope.for_agencies([]),
    ]
    for scope in scopes:
        expected = {a.id for a in AGENCIES if scope.allows(a)}
        assert {a.id for a in world.list_agencies(scope)} == expected, scope


# --- new rounds --------------------------------------------------------------------------------


def test_prefill_from_previous_round(world: Store) -> None:
    old = start(world, round="2025")
    world.save_answer(old, "governance.policy", 3, BA_DINH, LEAD, evidence="Kế hoạch 2025")
    world.save_answer(old, "quality.share_clean", 40, BA_DINH, LEAD)
    world.save_answer(old, "security.backup", "na", BA_DINH, LEAD, na_reason="không có máy chủ")
    world.submit(old, BA_DINH, LEAD)
    older = start(world, round="2024")
    world.save_answer(older, "governance.policy", 1, BA_DINH, LEAD)
    later = start(world, round="2027")
    world.save_answer(later, "governance.policy", 5, BA_DINH, LEAD)

    new = world.create_assessment(
        "hn_ba_dinh", "2026", "dmm", "1.1.0", BA_DINH, LEAD, prefill_from_previous=True
    )

    assert new.status == "draft" and new.answered_count == 3 and new.questionnaire_version == "1.1.0"
    copied = world.load_answers(new.id, BA_DINH)
    assert {k: v.value for k, v in copied.items()} == {
        "governance.policy": 3,
        "quality.share_clean": 40,
        "security.backup": "na",
    }
    assert copied["governance.policy"].evidence == "Kế hoạch 2025"
    assert copied["security.backup"].na_reason == "không có máy chủ"
    assert "from round 2025" in (world.audit_trail(BA_DINH, new.id)[0].detail or "")

    world.save_answer(new.id, "governance.policy", 4, BA_DINH, LEAD)  # the old round is not touched
    assert world.load_answers(old, BA_DINH)["governance.policy"].value == 3


def test_prefill_can_be_limited_to_the_questions_of_a_new_version(world: Store) -> None:
    old = start(world, round="2025")
    world.save_answer(old, "governance.policy", 3, BA_DINH, LEAD)
    world.save_answer(old, "governance.retired", 2, BA_DINH, LEAD)
    new = world.create_assessment(
        "hn_ba_dinh", "2026", "dmm", "2.0.0", BA_DINH, LEAD, True, prefill_questions={"governance.policy"}
    )
    assert set(world.load_answers(new.id, BA_DINH)) == {"governance.policy"}


def test_prefill_with_no_earlier_round_starts_empty(world: Store) -> None:
    new = world.create_assessment(
        "hn_ba_dinh", "2026", "dmm", "1.0.0", BA_DINH, LEAD, prefill_from_previous=True
    )
    assert new.answered_count == 0
    assert "no earlier round" in (world.audit_trail(BA_DINH, new.id)[0].detail or "")


# --- notes -------------------------------------------------------------------------------------


def test_na_reason_and_evidence_round_trip_through_to_response(world: Store) -> None:
    assessment = start(world)
    # evidence typed before the answer is chosen
    world.save_note(assessment, "quality.share_clean", BA_DINH, LEAD, evidence="Kết quả rà soát")
    world.save_answer(assessment, "security.backup", "na", BA_DINH, LEAD, na_reason="Không có máy chủ riêng")
    world.save_answer(assessment, "governance.policy", 3, BA_DINH, LEAD, evidence="Quyết định 45/QĐ-UBND")
    world.save_answer(assessment, "governance.owner", "dont_know", BA_DINH, LEAD)
    world.save_note(assessment, "governance.policy", BA_DINH, LEAD, na_reason="tạm thời")  # typed, then:
    world.save_note(assessment, "governance.policy", BA_DINH, LEAD, na_reason=None)  # cleared, evidence kept

    result = world.to_response(assessment, BA_DINH)

    assert result.answers == {
        "security.backup": "na",
        "governance.policy": 3,
        "governance.owner": "dont_know",
    }
    assert result.notes == {
        "quality.share_clean": AnswerNote(evidence="Kết quả rà soát"),
        "security.backup": AnswerNote(na_reason="Không có máy chủ riêng"),
        "governance.policy": AnswerNote(evidence="Quyết định 45/QĐ-UBND"),
    }
    assert result.agency == AGENCIES[1] and result.round == "2026" and result.version == "1.0.0"
    assert world.get_assessment(assessment, BA_DINH).answered_count == 3

    # and a response survives import -> to_response unchanged
    again = world.import_response(result.model_copy(update={"round": "2030"}), NATIONAL, ACTOR)
    assert world.to_response(again.id, NATIONAL) == result.model_copy(update={"round": "2030"})


# --- import ------------------------------------------------------------------------------------


def test_reimport_replaces_never_duplicates_and_is_audited(world: Store) -> None:
    first = world.import_response(
        response("hn_hoan_kiem", "2026", {"governance.policy": 2, "governance.owner": 3}), NATIONAL, ACTOR
    )
    assert first.status == "submitted" and first.answered_count == 2

    second = world.import_response(
        response(
            "hn_hoan_kiem", "2026", {"governance.policy": 4}, {"governance.policy": AnswerNote(evidence="QĐ")}
        ),
        NATIONAL,
        ACTOR,
    )

    assert second.id == first.id
    assert [a.id for a in world.list_assessments(NATIONAL, agency_id="hn_hoan_kiem")] == [first.id]
    assert world.to_response(first.id, NATIONAL).answers == {"governance.policy": 4}
    actions = [(e.action, e.detail) for e in world.audit_trail(NATIONAL, first.id)]
    assert actions[0][0] == "replaced" and "2 answers" in actions[0][1] and "1 answers" in actions[0][1]
    assert actions[1][0] == "imported"


def test_import_replaces_a_draft_typed_in_the_tool(world: Store) -> None:
    draft = start(world, "hn_hoan_kiem")
    world.save_answer(draft, "governance.policy", 1, NATIONAL, ACTOR)
    imported = world.import_response(
        response("hn_hoan_kiem", "2026", {"governance.owner": 5}), NATIONAL, ACTOR, "draft"
    )
    assert imported.id == draft and imported.status == "draft"
    assert world.to_response(draft, NATIONAL).answers == {"governance.owner": 5}


def test_import_adds_a_new_agency_and_respects_scope(world: Store) -> None:
    newcomer = Agency(id="hn_cau_giay", name="Phường Cầu Giấy", type="commune", province="hn")
    result = Response(questionnaire="dmm", version="1.0.0", agency=newcomer, round="2026", answers={"a.b": 2})
    world.import_response(result, Scope.for_province("hn"), ACTOR)
    assert world.get_agency("hn_cau_giay", NATIONAL) == newcomer
    with pytest.raises(AccessDenied):
        world.import_response(result, Scope.for_province("hcm"), ACTOR)


def test_bulk_import_uses_a_fixed_number_of_statements(world: Store) -> None:
    def statements_for(n_answers: int, round: str) -> int:
        statements, listener = count_selects(world)
        try:
            answers = {f"d{i // 10}.q{i % 10}": 1 + i % 5 for i in range(n_answers)}
            world.import_response(response("hn_ba_dinh", round, answers), NATIONAL, ACTOR)
        finally:
            event.remove(world.engine, "before_cursor_execute", listener)
        return len(statements)

    few, many = statements_for(10, "2025"), statements_for(200, "2026")
    assert few == many
    assert many < 20


def test_import_of_many_responses_is_one_transaction(world: Store) -> None:
    good = response("hn_ba_dinh", "2026", {"governance.policy": 3})
    outside = response("hcm_ben_thanh", "2026", {"governance.policy": 3})
    with pytest.raises(AccessDenied):
        world.import_responses([good, outside], Scope.for_province("hn"), ACTOR)
    assert world.list_assessments(NATIONAL) == []
    infos = world.import_responses([good, outside], NATIONAL, ACTOR)
    assert [i.agency_id for i in infos] == ["hn_ba_dinh", "hcm_ben_thanh"]


# --- coordinators ------------------------------------------------------------------------------


def test_submitted_answers_frame_has_one_row_per_answer_and_only_submitted(world: Store) -> None:
    world.import_response(
        response("hn_ba_dinh", "2026", {"g.a": 3, "g.b": "na", "q.c": 57.5}), NATIONAL, ACTOR
    )
    world.import_response(response("hcm", "2026", {"g.a": 5, "q.c": 80.0}), NATIONAL, ACTOR)
    world.import_response(response("btc", "2025", {"g.a": "dont_know"}), NATIONAL, ACTOR)
    world.import_response(response("hn_hoan_kiem", "2026", {"g.a": 1}), NATIONAL, ACTOR, status="draft")
    note_only = start(world, "hcm_ben_thanh")
    world.save_note(note_only, "g.a", NATIONAL, ACTOR, evidence="chưa trả lời")
    world.submit(note_only, NATIONAL, ACTOR)

    statements, listener = count_selects(world)
    try:
        frame = world.submitted_answers_frame(NATIONAL)
    finally:
        event.remove(world.engine, "before_cursor_execute", listener)

    # Two fixed reads (agency details, answers), never one per assessment.
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2
    assert tuple(frame.columns) == FRAME_COLUMNS
    assert len(frame) == 7  # six answers, and the assessment submitted with a note only (issue 12):
    empty = frame[frame["question_id"].isna()]
    assert list(empty["agency_id"]) == ["hcm_ben_thanh"] and empty["answer"].isna().all()  # scored as no answer
    rows = {(r.agency_id, r.question_id): r for r in frame.itertuples()}
    assert rows[("hn_ba_dinh", "q.c")].answer == "57.5"
    assert rows[("hcm", "q.c")].answer == "80"
    assert rows[("hn_ba_dinh", "g.b")].answer == "na"
    assert rows[("btc", "g.a")].answer == "dont_know"
    assert rows[("hn_ba_dinh", "g.a")].agency_name == "Phường Ba Đình"
    assert rows[("hn_ba_dinh", "g.a")].province == "hn"
    assert rows[("hn_ba_dinh", "g.a")].agency_type == "commune"
    assert "hn_hoan_kiem" not in set(frame.agency_id)

    assert len(world.submitted_answers_frame(NATIONAL, round="2025")) == 1
    assert set(world.submitted_answers_frame(Scope.for_province("hn")).agency_id) == {"hn_ba_dinh"}
    assert set(world.submitted_answers_frame(Scope.for_province("hcm")).agency_id) == {"hcm", "hcm_ben_thanh"}
    assert world.submitted_answers_frame(NATIONAL, questionnaire_id="other").empty
    assert tuple(world.submitted_answers_frame(NATIONAL, questionnaire_id="other").columns) == FRAME_COLUMNS
    assert world.rounds(NATIONAL) == ["2025", "2026"]
    assert world.rounds(Scope.for_province("hn"), status="submitted") == ["2026"]


# --- plain words -------------------------------------------------------------------------------


def test_errors_speak_plainly(world: Store) -> None:
    assessment = start(world)
    with pytest.raises(NotFound, match="Assessment 9999 does not exist"):
        world.get_assessment(9999, NATIONAL)
    with pytest.raises(NotFound, match="no agency 'nowhere'"):
        world.create_assessment("nowhere", "2026", "dmm", "1.0.0", NATIONAL, ACTOR)
    with pytest.raises(InvalidValue, match="not an answer"):
        world.save_answer(assessment, "governance.policy", "maybe", NATIONAL, ACTOR)
    with pytest.raises(InvalidValue, match=r"MAJOR\.MINOR\.PATCH"):
        world.create_assessment("hn", "2026", "dmm", "v1", NATIONAL, ACTOR)
    with pytest.raises(InvalidValue, match="actor"):
        world.save_answer(assessment, "governance.policy", 3, NATIONAL, "  ")


def test_timestamps_are_timezone_aware_utc(world: Store) -> None:
    assessment = start(world)
    world.save_answer(assessment, "governance.policy", 3, NATIONAL, ACTOR)
    info = world.get_assessment(assessment, NATIONAL)
    stamps = [
        info.created_at,
        info.updated_at,
        world.load_answers(assessment, NATIONAL)["governance.policy"].updated_at,
    ]
    stamps += [e.at for e in world.audit_trail(NATIONAL)]
    assert all(s.tzinfo is not None and s.utcoffset() == UTC.utcoffset(None) for s in stamps)
    assert info.created_at <= info.updated_at
