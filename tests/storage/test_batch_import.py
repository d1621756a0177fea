"""The batched import (issue 12): one set-based path under `import_responses` and `import_answer_frame`
keeps the guarantees of a loop over responses in one transaction. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scoring import Bundle
from scoring.response_frame import responses_frame
from scoring.responses import parse_response
from scoring.schemas.response import Agency, AnswerNote, Response
from storage import AccessDenied, AssessmentLocked, InvalidValue, Store
from storage.access import Principal
from storage.accounts import Accounts
from storage.review import Review
from tests.hostile.conftest import snapshot

from .conftest import ACTOR, NATIONAL

SAMPLES = Path(__file__).resolve().parents[2] / "sample_responses" / "v1"


def sample(bundle: Bundle, name: str = "bo_tai_chinh_2026.yaml", **changes: object) -> Response:
    response = parse_response((SAMPLES / name).read_bytes(), name, bundle)
    return response.model_copy(update=changes)


def with_id(response: Response, agency_id: str, name: str | None = None) -> Response:
    agency = response.agency.model_copy(update={"id": agency_id, "name": name or response.agency.name})
    return response.model_copy(update={"agency": agency})


def stored_answers(store: Store) -> list[tuple]:
    """(agency, round, question, value, na_reason, evidence) of every stored answer."""
    out = []
    for info in store.list_assessments(NATIONAL):
        for question_id, answer in store.load_answers(info.id, NATIONAL).items():
            out.append((info.agency_id, info.round, question_id, answer.value, answer.na_reason, answer.evidence))
    return sorted(out)


def test_a_frame_is_stored_exactly_as_the_same_responses(db_url: str, shipped: Bundle, tmp_path: Path) -> None:
    responses = [sample(shipped), sample(shipped, "phuong_ben_thanh_2026.yaml"),
                 sample(shipped, round="2027")]
    responses[0] = responses[0].model_copy(update={"notes": {
        **responses[0].notes, "governance.strategy": AnswerNote(evidence="QĐ 12/QĐ-BTC", na_reason=None)}})
    by_responses = Store(db_url)
    by_responses.import_responses(responses, NATIONAL, ACTOR)
    from storage.scratch import scratch_sqlite
    with scratch_sqlite(tmp_path / "frame.sqlite3") as other:
        by_frame = Store(other)
        infos = by_frame.import_answer_frame(responses_frame(responses), shipped.questionnaire.id,
                                             shipped.questionnaire.version, NATIONAL, ACTOR)
        assert [(i.agency_id, i.round, i.status) for i in infos] == [
            (r.agency.id, r.round, "submitted") for r in responses]
        assert [i.answered_count for i in infos] == [len(r.answers) for r in responses]
        assert stored_answers(by_frame) == stored_answers(by_responses)
        assert by_frame.list_agencies(NATIONAL) == by_responses.list_agencies(NATIONAL)


def test_one_batch_replays_as_one_import_after_the_other(db_url: str, shipped: Bundle) -> None:
    store = Store(db_url)
    first = sample(shipped)
    second = with_id(sample(shipped, answers={"governance.strategy": 4}, notes={}), first.agency.id,
                     name="Bộ Tài chính (tên mới)")
    infos = store.import_responses([first, second], NATIONAL, ACTOR)
    assert infos[0].id == infos[1].id  # the same assessment: the second replaced the first
    assert store.to_response(infos[1].id, NATIONAL).answers == {"governance.strategy": 4}
    assert store.get_agency(first.agency.id, NATIONAL).name == "Bộ Tài chính (tên mới)"
    trail = [(e.action, e.detail or "") for e in store.audit_trail(NATIONAL, infos[0].id)]
    assert [a for a, _ in trail] == ["replaced", "imported"]  # newest first
    assert f"{len(first.answers)} answers" in trail[0][1] and "1 answers" in trail[0][1]
    with store.engine.connect() as conn:
        from sqlalchemy import text
        actions = [r[0] for r in conn.execute(text("SELECT action FROM audit_log ORDER BY id"))]
    assert actions.count("agency_created") == 1 and actions.count("agency_updated") == 1


def test_an_accepted_assessment_stops_the_whole_batch(db_url: str, shipped: Bundle) -> None:
    store = Store(db_url)
    done = store.import_response(sample(shipped), NATIONAL, ACTOR)
    review = Review(store)
    review.accept(done.id, NATIONAL, "reviewer@mof.gov.vn")
    before = snapshot(store)
    batch = [with_id(sample(shipped), "bo_moi"), sample(shipped), with_id(sample(shipped), "bo_khac")]
    with pytest.raises(AssessmentLocked):
        store.import_responses(batch, NATIONAL, ACTOR)
    frame = responses_frame(batch)
    with pytest.raises(AssessmentLocked):
        store.import_answer_frame(frame, shipped.questionnaire.id, shipped.questionnaire.version, NATIONAL, ACTOR)
    assert snapshot(store) == before


@pytest.mark.parametrize(("question", "value", "words"), [
    ("governance.strategy", "9", "not a level"),
    ("no.such_question", "3", "unknown question id"),
    ("governance.strategy", True, "not a"),
])
def test_a_bad_answer_anywhere_in_a_frame_stores_nothing(db_url: str, shipped: Bundle, question: str,
                                                         value: object, words: str) -> None:
    store = Store(db_url)
    store.import_response(sample(shipped), NATIONAL, ACTOR)
    before = snapshot(store)
    frame = responses_frame([with_id(sample(shipped), f"bo_{i}") for i in range(3)]).astype({"answer": object})
    bad = frame.index[(frame["agency_id"] == "bo_2")][0]
    frame.loc[bad, ["question_id", "answer"]] = [question, value]
    with pytest.raises(InvalidValue, match=words):
        store.import_answer_frame(frame, shipped.questionnaire.id, shipped.questionnaire.version, NATIONAL, ACTOR)
    assert snapshot(store) == before


def test_a_bad_agency_in_a_frame_stores_nothing(db_url: str, shipped: Bundle) -> None:
    store = Store(db_url)
    frame = responses_frame([with_id(sample(shipped), f"bo_{i}") for i in range(3)])
    frame["agency_type"] = frame["agency_type"].astype(object)
    frame.loc[frame["agency_id"] == "bo_1", "agency_type"] = "village"
    with pytest.raises(InvalidValue, match="village"):
        store.import_answer_frame(frame, shipped.questionnaire.id, shipped.questionnaire.version, NATIONAL, ACTOR)
    assert store.list_agencies(NATIONAL) == []


def test_roles_and_scopes_hold_for_the_frame_door(db_url: str, shipped: Bundle) -> None:
    store = Store(db_url)
    store.upsert_agency(Agency(id="hn", name="UBND Thành phố Hà Nội", type="province"), NATIONAL, ACTOR)
    accounts = Accounts(store)
    accounts.add_user("coord@mic.gov.vn", "coordinator", "national", NATIONAL, ACTOR)
    accounts.add_user("lead@hn.gov.vn", "it_lead", "agency:hn", NATIONAL, ACTOR)
    frame = responses_frame([sample(shipped)])  # the ministry bo_tai_chinh
    before = snapshot(store)
    for who in (Principal("coord@mic.gov.vn", "coordinator", "national"),  # coordinators read, never import
                Principal("lead@hn.gov.vn", "it_lead", "agency:hn")):  # another agency
        with pytest.raises(AccessDenied):
            store.import_answer_frame(frame, shipped.questionnaire.id, shipped.questionnaire.version, who, ACTOR)
        after = snapshot(store)
        assert {k: v for k, v in after.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}
        assert after["audit"][-1][3] == "refused"  # the refusal is audited


def test_empty_frame_and_empty_batch_store_nothing(db_url: str, shipped: Bundle) -> None:
    store = Store(db_url)
    empty = pd.DataFrame({c: [] for c in ("agency_id", "agency_name", "agency_type", "province", "round",
                                          "question_id", "answer")})
    assert store.import_answer_frame(empty, shipped.questionnaire.id, shipped.questionnaire.version,
                                     NATIONAL, ACTOR) == []
    assert store.import_responses([], NATIONAL, ACTOR) == []
    assert store.list_assessments(NATIONAL) == []
