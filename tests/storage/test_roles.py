"""Roles enforced in the service layer, on SQLite and PostgreSQL.

For each role a table of calls made with the signed-in `Principal`: the allowed ones succeed, the
refused ones raise `AccessDenied`, write one `refused` audit row naming the person, and leave every
other stored row exactly as it was (cross-agency, cross-province and crafted ids included).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from scoring.registry import versions
from scoring.schemas.response import Agency, Response
from storage import AccessDenied, AssessmentLocked, InvalidValue, Store
from storage.access import Principal
from storage.accounts import Accounts
from storage.assessment_notes import save_dimension_comment
from storage.errors import WorkflowError
from storage.evidence import Evidence
from storage.results import ResultLayout, counted_index, read_results
from storage.review import Review
from storage.rounds import Rounds
from storage.schema import AuditRow
from storage.stamps import locked_change_stamp
from tests.evidence_files import pdf_bytes

from .conftest import ACTOR, NATIONAL

Q1 = "governance.policy"  # dimension "governance", assigned to the respondent
Q2 = "sharing.apis"  # dimension "sharing", not assigned
DATA_TABLES = ("agencies", "assessments", "answers", "users", "assignments", "review_comments", "status_history",
               "evidence_documents", "dimension_comments", "round_deadlines")
SOON = date.today() + timedelta(days=30)

USERS = {
    "lead_bd": ("lead@badinh.hn.gov.vn", "it_lead", "agency:hn_ba_dinh"),
    "resp_bd": ("resp@badinh.hn.gov.vn", "respondent", "agency:hn_ba_dinh"),
    "lead_hk": ("lead@hoankiem.hn.gov.vn", "it_lead", "agency:hn_hoan_kiem"),
    "rev_hn": ("review@hanoi.gov.vn", "reviewer", "province:hn"),
    "rev_hcm": ("review@hcm.gov.vn", "reviewer", "province:hcm"),
    "rev_btc": ("review@mof.gov.vn", "reviewer", "ministry:btc"),
    "coord_hn": ("coord@hanoi.gov.vn", "coordinator", "province:hn"),
    "coord_nat": ("coord@mic.gov.vn", "coordinator", "national"),
    "trainer": ("trainer@mic.gov.vn", "trainer", "national"),
    "admin": ("admin@mic.gov.vn", "admin", "national"),
}


@dataclass
class World:
    store: Store
    review: Review
    accounts: Accounts
    people: dict[str, Principal]
    bd_draft: int  # hn_ba_dinh 2026, draft; "governance" assigned to resp_bd
    bd_old: int  # hn_ba_dinh 2025, submitted (under review)
    hk: int  # hn_hoan_kiem 2026, submitted
    hcm: int  # hcm_ben_thanh 2026, submitted
    hn: int  # the province hn's own assessment, submitted
    btc: int  # the ministry btc, submitted


def _response(agency_id: str, round_: str = "2026") -> Response:
    agencies = {
        "hn": Agency(id="hn", name="UBND Thành phố Hà Nội", type="province"),
        "hn_ba_dinh": Agency(id="hn_ba_dinh", name="Phường Ba Đình", type="commune", province="hn"),
        "hn_hoan_kiem": Agency(id="hn_hoan_kiem", name="Phường Hoàn Kiếm", type="commune", province="hn"),
        "hcm_ben_thanh": Agency(id="hcm_ben_thanh", name="Phường Bến Thành", type="commune", province="hcm"),
        "btc": Agency(id="btc", name="Bộ Tài chính", type="ministry"),
    }
    return Response(questionnaire="dmm", version="1.0.0", agency=agencies[agency_id], round=round_,
                     answers={Q1: 2, Q2: 3})


@pytest.fixture
def w(world: Store) -> World:
    accounts = Accounts(world)
    people = {}
    for key, (email, role, scope) in USERS.items():
        accounts.add_user(email, role, scope, NATIONAL, ACTOR)
        people[key] = Principal(email, role, scope)
    review = Review(world)
    draft = world.create_assessment("hn_ba_dinh", "2026", "dmm", "1.0.0", NATIONAL, ACTOR)
    world.save_answer(draft.id, Q2, 4, NATIONAL, ACTOR)
    review.assign(draft.id, "governance", USERS["resp_bd"][0], NATIONAL, ACTOR)
    Evidence(world).add(draft.id, Q2, "ke-hoach.pdf", pdf_bytes(), NATIONAL, ACTOR)
    Rounds(world).set_deadline("2026", SOON, NATIONAL, ACTOR)
    ids = {}
    for name, agency, round_ in (("bd_old", "hn_ba_dinh", "2025"), ("hk", "hn_hoan_kiem", "2026"),
                                 ("hcm", "hcm_ben_thanh", "2026"), ("hn", "hn", "2026"), ("btc", "btc", "2026")):
        ids[name] = world.import_response(_response(agency, round_), NATIONAL, ACTOR, status="submitted").id
    return World(world, review, accounts, people, draft.id, **ids)


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.engine.connect() as conn:
        return {t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}"))), key=repr) for t in DATA_TABLES}


def refusals(store: Store) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(AuditRow.actor, AuditRow.new_value).where(AuditRow.action == "refused"))
        return [(r.actor, r.new_value) for r in rows]


Call = Callable[[World, Principal], Any]


def check(w: World, who: str, allowed: list[tuple[str, Call]], refused: list[tuple[str, Call]]) -> None:
    me = w.people[who]
    for label, call in refused:
        before, audited = snapshot(w.store), len(refusals(w.store))
        with pytest.raises(AccessDenied):
            call(w, me)
        assert snapshot(w.store) == before, f"{who}: refused call {label!r} changed stored rows"
        after = refusals(w.store)
        assert len(after) == audited + 1 and after[-1][0] == me.email, f"{who}: {label!r} not audited"
    for label, call in allowed:
        try:
            call(w, me)
        except Exception as error:  # pragma: no cover - the message names the case
            pytest.fail(f"{who}: allowed call {label!r} raised {error!r}")


# --- the calls, by name -------------------------------------------------------------------------

def read_bd(w: World, me: Principal) -> Any:
    return w.store.load_answers(w.bd_draft, me)


def read_hk(w: World, me: Principal) -> Any:
    return w.store.load_answers(w.hk, me)


def read_hcm(w: World, me: Principal) -> Any:
    return w.store.load_answers(w.hcm, me)


def read_btc(w: World, me: Principal) -> Any:
    return w.store.to_response(w.btc, me)


def list_all(w: World, me: Principal) -> Any:
    return w.store.list_assessments(me)


def answer_q1(w: World, me: Principal) -> None:
    w.store.save_answer(w.bd_draft, Q1, 5, me, "forged-actor")


def answer_q2(w: World, me: Principal) -> None:
    w.store.save_answer(w.bd_draft, Q2, 1, me, "forged-actor")


def note_q2(w: World, me: Principal) -> None:
    w.store.save_note(w.bd_draft, Q2, me, "x", evidence="QĐ 1")


def answer_hk(w: World, me: Principal) -> None:
    w.store.save_answer(w.hk, Q1, 5, me, "x")


def submit_bd(w: World, me: Principal) -> None:
    w.store.submit(w.bd_draft, me, "x")


def start_round(w: World, me: Principal) -> None:
    w.store.create_assessment("hn_ba_dinh", "2027", "dmm", "1.0.0", me, "x")


def start_round_hk(w: World, me: Principal) -> None:
    w.store.create_assessment("hn_hoan_kiem", "2027", "dmm", "1.0.0", me, "x")


def import_hk(w: World, me: Principal) -> None:
    w.store.import_response(_response("hn_hoan_kiem", "2027"), me, "x", status="draft")


def assign_bd(w: World, me: Principal) -> None:
    w.review.assign(w.bd_draft, "sharing", USERS["resp_bd"][0], me, "x")


def assign_hk(w: World, me: Principal) -> None:
    w.review.assign(w.hk, "sharing", USERS["resp_bd"][0], me, "x")


def comment_hk(w: World, me: Principal) -> None:
    w.review.add_comment(w.hk, "Thiếu minh chứng", me, "x", question_id=Q1)


def comment_hcm(w: World, me: Principal) -> None:
    w.review.add_comment(w.hcm, "Thiếu minh chứng", me, "x", question_id=Q1)


def return_hk(w: World, me: Principal) -> None:
    w.review.return_for_changes(w.hk, "Bổ sung minh chứng", me, "x")


def accept_hn(w: World, me: Principal) -> None:
    w.review.accept(w.hn, me, "x")


def accept_hcm(w: World, me: Principal) -> None:
    w.review.accept(w.hcm, me, "x")


def accept_btc(w: World, me: Principal) -> None:
    w.review.accept(w.btc, me, "x")


def return_bd_old(w: World, me: Principal) -> None:
    w.review.return_for_changes(w.bd_old, "why", me, "x")


def frame(w: World, me: Principal) -> Any:
    return w.store.submitted_answers_frame(me)


def add_user(w: World, me: Principal) -> None:
    w.accounts.add_user("new@x.gov.vn", "admin", "national", me, "x")


def promote_self(w: World, me: Principal) -> None:
    w.accounts.change_user(me.email, me, "x", role="admin", scope_text="national")


def list_users(w: World, me: Principal) -> Any:
    return w.accounts.list_users(me)


def evidence_q1(w: World, me: Principal) -> None:
    Evidence(w.store).add(w.bd_draft, Q1, "quyet-dinh.pdf", pdf_bytes(), me, "x")


def evidence_q2(w: World, me: Principal) -> None:
    Evidence(w.store).add(w.bd_draft, Q2, "quyet-dinh.pdf", pdf_bytes(), me, "x")


def evidence_hk(w: World, me: Principal) -> Any:
    return Evidence(w.store).list(w.hk, me)


def delete_first_evidence(w: World, me: Principal) -> None:
    document = Evidence(w.store).list(w.bd_draft, NATIONAL)[0]
    Evidence(w.store).delete(document.id, me, "x")


def dimension_comment_sharing(w: World, me: Principal) -> None:
    save_dimension_comment(w.store, w.bd_draft, "sharing", "Chưa có API", me, "x")


def history_bd(w: World, me: Principal) -> Any:
    return w.review.answered_by(w.bd_draft, me)


LAYOUT = ResultLayout("dmm 1.0.0", "stamp", ("2027",), ("governance", "sharing"), ())


def results_index(w: World, me: Principal) -> Any:
    return counted_index(w.store, me, "dmm")


def stored_results(w: World, me: Principal) -> Any:
    return read_results(w.store, me, LAYOUT, "dmm")


def change_stamp(w: World, me: Principal) -> Any:
    return locked_change_stamp(w.store, me)


def open_round(w: World, me: Principal) -> None:
    Rounds(w.store).open_round("2030", "dmm-vn", versions("dmm-vn")[-1], SOON, me, "x")


def move_deadline(w: World, me: Principal) -> None:
    Rounds(w.store).set_deadline("2026", SOON + timedelta(days=7), me, "x")


def close_round(w: World, me: Principal) -> None:
    Rounds(w.store).close("2026", me, "x")


def list_rounds(w: World, me: Principal) -> Any:
    return Rounds(w.store).list_rounds(me)


# --- per role ------------------------------------------------------------------------------------

def test_respondent(w: World) -> None:
    check(
        w, "resp_bd",
        allowed=[("answer an assigned dimension", answer_q1), ("read own agency", read_bd),
                 ("evidence for an assigned dimension", evidence_q1)],
        refused=[
            ("answer an unassigned dimension", answer_q2), ("note on an unassigned dimension", note_q2),
            ("evidence for an unassigned dimension", evidence_q2), ("delete evidence", delete_first_evidence),
            ("comment on an unassigned dimension", dimension_comment_sharing),
            ("another commune's evidence", evidence_hk),
            ("submit", submit_bd), ("answer another commune (crafted id)", answer_hk),
            ("read another commune", read_hk), ("start a round", start_round), ("assign", assign_bd),
            ("comment", comment_hk), ("list users", list_users), ("see who answered", history_bd),
            ("stored scores (every dimension of the agency)", results_index), ("stored results", stored_results),
            ("change stamp of scores", change_stamp), ("open a round", open_round),
            ("move a deadline", move_deadline), ("close a round", close_round), ("list rounds", list_rounds),
        ],
    )
    answers = w.store.load_answers(w.bd_draft, w.people["resp_bd"])
    assert set(answers) == {Q1}, "a respondent sees only the questions of their dimensions"
    trail = w.store.audit_trail(NATIONAL, w.bd_draft, limit=50)
    assert any(e.action == "answer_saved" and e.actor == USERS["resp_bd"][0] for e in trail), "actor is forced"
    assert all(e.actor != "forged-actor" for e in trail)


def test_it_lead(w: World) -> None:
    check(
        w, "lead_bd",
        allowed=[
            ("answer", answer_q2), ("evidence", evidence_q2), ("delete evidence", delete_first_evidence),
            ("dimension comment", dimension_comment_sharing), ("assign", assign_bd), ("start a round", start_round),
            ("see who answered", history_bd), ("submit", submit_bd), ("own stored scores", results_index),
        ],
        refused=[
            ("read another commune", read_hk), ("answer another commune", answer_hk),
            ("another commune's evidence", evidence_hk),
            ("start a round elsewhere", start_round_hk), ("import for another commune", import_hk),
            ("assign in another commune", assign_hk), ("comment on another commune", comment_hk),
            ("return", return_bd_old), ("accept", accept_hn), ("add a user", add_user),
            ("promote self", promote_self), ("list users", list_users), ("read another province", read_hcm),
            ("open a round", open_round), ("close a round", close_round), ("move a deadline", move_deadline),
        ],
    )
    with pytest.raises(AssessmentLocked):
        answer_q2(w, w.people["lead_bd"])  # submitted: read-only until returned
    assert {a.agency_id for a in list_all(w, w.people["lead_bd"])} == {"hn_ba_dinh"}
    assert set(results_index(w, w.people["lead_bd"])["agency_id"]) == {"hn_ba_dinh"}, "scores of its agency only"


def test_reviewer_of_a_province(w: World) -> None:
    check(
        w, "rev_hn",
        allowed=[
            ("read a commune of the province", read_hk), ("comment on an answer", comment_hk),
            ("return", return_hk), ("accept the province's own", accept_hn), ("read the list", list_all),
        ],
        refused=[
            ("read another province's commune", read_hcm), ("comment there", comment_hcm),
            ("accept there (crafted id)", accept_hcm), ("read a ministry", read_btc), ("answer", answer_q2),
            ("submit", submit_bd), ("assign", assign_bd), ("add a user", add_user),
            ("move a deadline", move_deadline), ("close a round", close_round),
        ],
    )
    assert {a.agency_id for a in list_all(w, w.people["rev_hn"])} == {"hn", "hn_ba_dinh", "hn_hoan_kiem"}


def test_reviewer_of_a_ministry(w: World) -> None:
    check(
        w, "rev_btc",
        allowed=[("read its ministry", read_btc), ("accept it", accept_btc)],
        refused=[("read a commune", read_hk), ("accept a province", accept_hn), ("return a commune", return_hk)],
    )


def test_coordinator(w: World) -> None:
    check(w, "coord_nat", allowed=[("read anything", read_hcm), ("national frame", frame),
                                   ("national scores", results_index), ("stored results", stored_results),
                                   ("change stamp", change_stamp), ("list rounds", list_rounds),
                                   ("move a deadline", move_deadline)],
          refused=[("answer", answer_q2), ("accept", accept_hn), ("comment", comment_hk), ("add a user", add_user)])
    check(w, "coord_hn", allowed=[("read its province", read_hk)],
          refused=[("read another province", read_hcm), ("return", return_hk),
                   ("move the national deadline", move_deadline), ("close a round", close_round),
                   ("open a round", open_round), ("list rounds", list_rounds)])
    assert set(frame(w, w.people["coord_hn"])["agency_id"]) == {"hn", "hn_ba_dinh", "hn_hoan_kiem"}
    assert set(results_index(w, w.people["coord_hn"])["agency_id"]) == {"hn", "hn_ba_dinh", "hn_hoan_kiem"}
    assert set(results_index(w, w.people["coord_nat"])["agency_id"]) == {
        "hn", "hn_ba_dinh", "hn_hoan_kiem", "hcm_ben_thanh", "btc"}
    assert sum(n for _, n, _, _ in change_stamp(w, w.people["coord_hn"])) == 3


def test_trainer_sees_no_agency_data(w: World) -> None:
    check(w, "trainer", allowed=[],
          refused=[("list assessments", list_all), ("read", read_hk), ("frame", frame), ("answer", answer_q2),
                   ("evidence", evidence_hk), ("national scores", results_index),
                   ("stored results", stored_results), ("change stamp of scores", change_stamp),
                   ("accept", accept_hn), ("list users", list_users), ("open a round", open_round),
                   ("move a deadline", move_deadline)])


def test_admin(w: World) -> None:
    check(w, "admin", allowed=[("list users", list_users), ("add a user", add_user), ("read", read_hcm),
                               ("open a round", open_round), ("move a deadline", move_deadline),
                               ("close a round", close_round), ("list rounds", list_rounds)],
          refused=[("answer", answer_q2), ("submit", submit_bd), ("accept", accept_hn), ("return", return_hk),
                   ("comment", comment_hk), ("assign", assign_bd)])
    trail = w.store.audit_trail(NATIONAL, limit=500)
    assert any(e.action == "user_added" and e.actor == USERS["admin"][0] and e.detail == "user new@x.gov.vn"
               for e in trail)
    assert {(e.action, e.detail) for e in trail if e.actor == USERS["admin"][0]} >= {
        ("round_opened", f"round 2030 on dmm-vn {versions('dmm-vn')[-1]}"), ("deadline", "round 2026"),
        ("round_closed", "round 2026")}, "every round change is audited under the administrator's name"
    assert [(r.round, r.is_closed) for r in list_rounds(w, w.people["admin"]) if r.deadline] == [
        ("2026", True), ("2030", False)]


def test_a_stale_session_is_refused_after_deactivation_or_a_role_change(w: World) -> None:
    lead = w.people["lead_bd"]
    w.accounts.change_user(lead.email, w.people["admin"], "x", active=False)
    before = snapshot(w.store)
    with pytest.raises(AccessDenied, match="not active"):
        answer_q2(w, lead)
    assert snapshot(w.store) == before
    w.accounts.change_user(lead.email, w.people["admin"], "x", active=True, role="respondent")
    with pytest.raises(AccessDenied, match="changed since you signed in"):
        read_bd(w, lead)
    assert Accounts(w.store).principal_for(lead.email) == Principal(lead.email, "respondent", "agency:hn_ba_dinh")


def test_the_review_journey(w: World) -> None:
    lead, rev = w.people["lead_bd"], w.people["rev_hn"]
    resp = w.people["resp_bd"]
    w.store.save_answer(w.bd_draft, Q1, 2, resp, "x")
    with pytest.raises(WorkflowError, match="draft"):
        w.review.accept(w.bd_draft, rev, "x")
    w.store.submit(w.bd_draft, lead, "x")
    with pytest.raises(InvalidValue, match="reason"):
        w.review.return_for_changes(w.bd_draft, " ", rev, "x")
    first = w.review.add_comment(w.bd_draft, "Mức 2 chưa đủ minh chứng", rev, "x", question_id=Q1)
    w.review.return_for_changes(w.bd_draft, "Xem lại câu chính sách", rev, "x")
    with pytest.raises(AccessDenied):
        w.store.submit(w.bd_draft, resp, "x")
    w.store.save_answer(w.bd_draft, Q1, 3, lead, "x")
    reply = w.review.add_comment(w.bd_draft, "Đã bổ sung Quyết định 12", lead, "x", parent_id=first.id)
    assert reply.question_id == Q1 and reply.author_role == "it_lead"
    w.store.submit(w.bd_draft, lead, "x")
    w.review.accept(w.bd_draft, rev, "x")
    with pytest.raises(AssessmentLocked):
        w.store.save_answer(w.bd_draft, Q1, 4, lead, "x")
    with pytest.raises(WorkflowError):
        w.review.add_comment(w.bd_draft, "late", rev, "x")
    steps = [(h.from_status, h.to_status, h.actor) for h in w.review.history(w.bd_draft, w.people["coord_nat"])]
    assert steps == [
        ("draft", "submitted", lead.email), ("submitted", "returned", rev.email),
        ("returned", "submitted", lead.email), ("submitted", "accepted", rev.email),
    ]
    summary = w.review.summary(w.bd_draft, lead)
    assert (summary.status, summary.submitted_by, summary.reviewed_by, summary.returned_count) == (
        "accepted", lead.email, rev.email, 1)
    assert [c.body for c in w.review.comments(w.bd_draft, lead, question_id=Q1)] == [
        "Mức 2 chưa đủ minh chứng", "Đã bổ sung Quyết định 12"]
    who = w.review.answered_by(w.bd_draft, lead)
    assert who[Q1].actor == lead.email and who[Q2].actor == ACTOR
    assert "hn_ba_dinh" in set(frame(w, w.people["coord_nat"])["agency_id"]), "accepted counts nationally"
    with pytest.raises(AssessmentLocked):
        w.store.import_response(_response("hn_ba_dinh"), NATIONAL, ACTOR)


def test_unknown_or_deactivated_people_get_no_principal(w: World) -> None:
    accounts = w.accounts
    assert accounts.principal_for("nobody@x.vn") is None
    assert accounts.principal_for("LEAD@badinh.hn.gov.vn") == w.people["lead_bd"]
    accounts.change_user("lead@badinh.hn.gov.vn", NATIONAL, ACTOR, active=False)
    assert accounts.principal_for("lead@badinh.hn.gov.vn") is None


def test_users_csv_reports_bad_rows_and_imports_good_ones(w: World) -> None:
    csv_text = (
        "email,role,scope,display_name\n"
        "an@xa.vn,respondent,agency:hn_ba_dinh,An\n"
        "not-an-email,respondent,agency:hn_ba_dinh,\n"
        "bo@xa.vn,boss,agency:hn_ba_dinh,\n"
        "ca@tinh.vn,reviewer,agency:hn,\n"
        "an@xa.vn,respondent,agency:hn_ba_dinh,\n"
        "review@hanoi.gov.vn,reviewer,province:hcm,Moved\n"
    )
    report = w.accounts.import_csv(csv_text, w.people["admin"], "x")
    assert report.added == ["an@xa.vn"] and report.updated == ["review@hanoi.gov.vn"]
    assert [n for n, _ in report.problems] == [3, 4, 5, 6]
    assert "not an e-mail" in report.problems[0][1] and "boss" in report.problems[1][1]
    assert "province:<id> or ministry:<id>" in report.problems[2][1] and "row 2" in report.problems[3][1]
    assert w.accounts.get_user("review@hanoi.gov.vn", NATIONAL).scope == "province:hcm"
    with pytest.raises(AccessDenied):
        w.accounts.import_csv(csv_text, w.people["lead_bd"], "x")
