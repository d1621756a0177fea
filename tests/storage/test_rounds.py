"""Rounds opened, re-dated, closed and reopened through `storage.rounds`, on SQLite and PostgreSQL:
what a closed round refuses, the version a round is answered on, and the audit trail of each change.
(Who may do it is in test_roles.py.)"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scoring.registry import versions
from storage import InvalidValue, NotFound, Store
from storage.rounds import RoundClosed, Rounds, open_rounds, round_version
from storage.tracking import deadlines

from .conftest import ACTOR, NATIONAL

QID = "dmm-vn"
SOON = date.today() + timedelta(days=30)


def test_open_change_close_reopen(world: Store) -> None:
    rounds = Rounds(world)
    version = versions(QID)[-1]
    rounds.open_round("2027", QID, version, SOON, NATIONAL, ACTOR, note="Theo QĐ 2629")
    assert round_version(world, "2027") == (QID, version) and open_rounds(world) == ["2027"]
    assert deadlines(world)["2027"].deadline == SOON, "the banner's deadline is the round's"
    draft = world.create_assessment("hn_ba_dinh", "2027", QID, version, NATIONAL, ACTOR)

    later = SOON + timedelta(days=14)
    rounds.set_deadline("2027", later, NATIONAL, ACTOR)
    rounds.close("2027", NATIONAL, ACTOR)
    assert open_rounds(world) == [] and "2027" not in deadlines(world), "a closed round has no deadline banner"
    with pytest.raises(RoundClosed, match="Round 2027 was closed"):
        world.create_assessment("hn_hoan_kiem", "2027", QID, version, NATIONAL, ACTOR)
    with pytest.raises(RoundClosed, match="submit"):
        world.submit(draft.id, NATIONAL, ACTOR)
    assert world.get_assessment(draft.id, NATIONAL).status == "draft"
    rounds.reopen("2027", NATIONAL, ACTOR)
    world.create_assessment("hn_hoan_kiem", "2027", QID, version, NATIONAL, ACTOR)

    (record,) = rounds.list_rounds(NATIONAL)
    assert (record.round, record.deadline, record.questionnaire_version, record.is_closed, record.counts) == (
        "2027", later, version, False, {"draft": 2})
    trail = [(e.action, e.old_value, e.new_value, e.detail) for e in world.audit_trail(NATIONAL, limit=50)
             if e.action in ("round_opened", "deadline", "round_closed", "round_reopened")]
    assert sorted(trail, key=repr) == sorted([
        ("round_opened", None, SOON.isoformat(), f"round 2027 on {QID} {version}"),
        ("deadline", SOON.isoformat(), later.isoformat(), "round 2027"),
        ("round_closed", None, None, "round 2027"),
        ("round_reopened", None, None, "round 2027"),
    ], key=repr)


def test_a_round_is_answered_on_its_version(world: Store) -> None:
    old, new = versions(QID)[0], versions(QID)[-1]
    assert old != new, "the registry ships two versions"
    Rounds(world).open_round("2027", QID, old, SOON, NATIONAL, ACTOR)
    with pytest.raises(InvalidValue, match=f"answered on questionnaire {QID} {old}"):
        world.create_assessment("hn_ba_dinh", "2027", QID, new, NATIONAL, ACTOR)
    assert world.list_assessments(NATIONAL) == []


def test_bad_round_requests_change_nothing(world: Store) -> None:
    rounds = Rounds(world)
    version = versions(QID)[-1]
    world.create_assessment("hn_ba_dinh", "2026", QID, versions(QID)[0], NATIONAL, ACTOR)
    cases = [
        (lambda: rounds.open_round("2027", QID, "9.9.9", SOON, NATIONAL, ACTOR), "not in the content registry"),
        (lambda: rounds.open_round("2027", QID, version, date.today() - timedelta(days=1), NATIONAL, ACTOR),
         "in the past"),
        (lambda: rounds.open_round("2" * 40, QID, version, SOON, NATIONAL, ACTOR), "at most 32 characters"),
        (lambda: rounds.open_round("2026", QID, version, SOON, NATIONAL, ACTOR), "another questionnaire version"),
        (lambda: rounds.close("2030", NATIONAL, ACTOR), "no record"),
    ]
    for call, message in cases:
        with pytest.raises((InvalidValue, NotFound), match=message):
            call()
    rounds.open_round("2027", QID, version, SOON, NATIONAL, ACTOR)
    with pytest.raises(InvalidValue, match="already open"):
        rounds.open_round("2027", QID, version, SOON, NATIONAL, ACTOR)
    with pytest.raises(InvalidValue, match="choose another date or close"):
        rounds.set_deadline("2027", None, NATIONAL, ACTOR)
    assert [(r.round, r.deadline) for r in rounds.list_rounds(NATIONAL)] == [("2026", None), ("2027", SOON)]


def test_a_deadline_on_a_round_agencies_started_is_kept_and_the_round_can_then_be_closed(world: Store) -> None:
    rounds = Rounds(world)
    world.create_assessment("hn_ba_dinh", "2026", QID, versions(QID)[0], NATIONAL, ACTOR)
    rounds.set_deadline("2026", SOON, NATIONAL, ACTOR)
    assert round_version(world, "2026") is None, "a deadline alone fixes no version"
    rounds.close("2026", NATIONAL, ACTOR)
    with pytest.raises(RoundClosed):
        world.create_assessment("hn_hoan_kiem", "2026", QID, versions(QID)[0], NATIONAL, ACTOR)
