"""A new round on 2.0.0 pre-filled from a round answered on 1.0.0: the mapping carries the answers (storage only
writes what scoring.migrate returns), and what cannot be carried is written in the audit trail."""

from __future__ import annotations

from pathlib import Path

from scoring.content import load_bundle
from scoring.migrate import carry_for
from scoring.schemas.response import Agency, AnswerNote, Response
from storage import Scope, Store

NATIONAL = Scope.national()
COMMUNE = Agency(id="xa_x", name="Xã X", type="commune", province="tinh_x")


def test_prefill_from_an_older_version_uses_the_mapping(store: Store, fixture_registry: Path):
    old = Response(
        questionnaire="mini",
        version="1.0.0",
        agency=COMMUNE,
        round="2026",
        answers={"alpha.one": 4, "alpha.two": 2, "alpha.three": 5, "alpha.pct": 62.5, "beta.one": 2, "beta.two": 1},
        notes={"alpha.two": AnswerNote(evidence="QĐ 12")},
    )
    store.import_response(old, NATIONAL, "lead")
    new = load_bundle("mini", "2.0.0")
    info = store.create_assessment(
        COMMUNE.id, "2027", "mini", "2.0.0", NATIONAL, "lead", prefill_from_previous=True,
        prefill_questions=[q.id for q in new.questionnaire.questions], prefill_carry=carry_for(new, "commune"),
    )
    answers = {qid: a.value for qid, a in store.load_answers(info.id, NATIONAL).items()}
    # the same hand-computed values as tests/core/test_migrate.py::test_each_merge_rule_by_hand
    assert answers == {
        "alpha.one": 4, "alpha.merged": 2, "alpha.best": 2, "alpha.pct": 62.5, "beta.mean": 3, "beta.first": 4,
    }
    assert store.load_answers(info.id, NATIONAL)["alpha.merged"].evidence == "QĐ 12"
    [entry] = [e for e in store.audit_trail(NATIONAL, info.id) if e.action == "assessment_created"]
    assert "carried 6 answers from version 1.0.0" in entry.detail


def test_prefill_on_the_same_version_still_copies(store: Store, fixture_registry: Path):
    old = Response(questionnaire="mini", version="2.0.0", agency=COMMUNE, round="2026", answers={"alpha.one": 3})
    store.import_response(old, NATIONAL, "lead")
    new = load_bundle("mini", "2.0.0")
    info = store.create_assessment(
        COMMUNE.id, "2027", "mini", "2.0.0", NATIONAL, "lead", prefill_from_previous=True,
        prefill_carry=carry_for(new, "commune"),
    )
    assert {q: a.value for q, a in store.load_answers(info.id, NATIONAL).items()} == {"alpha.one": 3}
