"""Optimistic versioning of answers: a save names the version it saw; a stale one is refused, never a
silent overwrite. Every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from scoring.schemas.response import Response
from storage import AssessmentLocked, Scope, StaleAnswer, Store
from tests.storage.conftest import ACTOR, AGENCIES, NATIONAL

Q = "governance.policy"
LAN, MINH = "lan@badinh.gov.vn", "minh@badinh.gov.vn"


def start(store: Store, round: str = "2026") -> int:
    return store.create_assessment("hn_ba_dinh", round, "dmm", "1.0.0", NATIONAL, ACTOR).id


def version_of(store: Store, assessment: int, question: str = Q) -> int:
    row = store.load_answers(assessment, NATIONAL).get(question)
    return 0 if row is None else row.version


def test_each_change_gives_the_answer_a_new_version_and_returns_it(world: Store) -> None:
    assessment = start(world)
    assert version_of(world, assessment) == 0  # no row yet
    first = world.save_answer(assessment, Q, 3, NATIONAL, LAN, based_on=0)
    assert first == version_of(world, assessment) > 0
    second = world.save_answer(assessment, Q, 4, NATIONAL, LAN, based_on=first)
    assert second == version_of(world, assessment) > first
    third = world.save_note(assessment, Q, NATIONAL, LAN, evidence="QĐ 12/QĐ-UBND", based_on=second)
    assert third == version_of(world, assessment) > second


def test_a_save_based_on_a_stale_version_is_refused_and_changes_nothing(world: Store) -> None:
    assessment = start(world)
    seen_by_both = world.save_answer(assessment, Q, 2, NATIONAL, ACTOR)
    lan = world.save_answer(assessment, Q, 3, NATIONAL, LAN, based_on=seen_by_both)
    trail_before = len(world.audit_trail(NATIONAL, assessment))

    with pytest.raises(StaleAnswer, match="changed by someone else") as refused:
        world.save_answer(assessment, Q, 5, NATIONAL, MINH, based_on=seen_by_both)
    assert (refused.value.based_on, refused.value.current, refused.value.question_id) == (seen_by_both, lan, Q)
    with pytest.raises(StaleAnswer):
        world.save_note(assessment, Q, NATIONAL, MINH, evidence="Minh's note", based_on=seen_by_both)

    stored = world.load_answers(assessment, NATIONAL)[Q]
    assert (stored.value, stored.evidence, stored.version) == (3, None, lan)  # Lan's answer, untouched
    assert len(world.audit_trail(NATIONAL, assessment)) == trail_before  # and nothing audited

    # Minh reloads, sees Lan's answer and its version, and may then change it.
    latest = world.load_answers(assessment, NATIONAL)[Q].version
    world.save_answer(assessment, Q, 5, NATIONAL, MINH, based_on=latest)
    assert world.load_answers(assessment, NATIONAL)[Q].value == 5


def test_two_people_answering_a_new_question_the_second_is_refused(world: Store) -> None:
    assessment = start(world)
    world.save_answer(assessment, Q, 3, NATIONAL, LAN, based_on=0)
    with pytest.raises(StaleAnswer):
        world.save_answer(assessment, Q, 4, NATIONAL, MINH, based_on=0)
    assert world.load_answers(assessment, NATIONAL)[Q].value == 3


def test_a_version_is_never_reused_after_an_answer_was_cleared(world: Store) -> None:
    assessment = start(world)
    old = world.save_answer(assessment, Q, 3, NATIONAL, LAN, based_on=0)
    assert world.save_answer(assessment, Q, None, NATIONAL, LAN, based_on=old) == 0  # row deleted
    again = world.save_answer(assessment, Q, 4, NATIONAL, LAN, based_on=0)
    assert again != old
    with pytest.raises(StaleAnswer):  # a page still showing the first answer cannot overwrite
        world.save_answer(assessment, Q, 1, NATIONAL, MINH, based_on=old)


def test_a_no_op_save_bumps_neither_version_nor_updated_at(world: Store) -> None:
    assessment = start(world)
    version = world.save_answer(assessment, Q, 3, NATIONAL, LAN, evidence="Biên bản", based_on=0)
    row = world.load_answers(assessment, NATIONAL)[Q]
    head = world.get_assessment(assessment, NATIONAL)
    trail = len(world.audit_trail(NATIONAL, assessment))

    assert world.save_answer(assessment, Q, 3, NATIONAL, LAN, based_on=version) == version
    assert world.save_answer(assessment, Q, "3", NATIONAL, LAN, evidence="  Biên bản ") == version
    assert world.save_note(assessment, Q, NATIONAL, LAN, evidence="Biên bản", based_on=version) == version
    # The same answer saved from a stale page is no conflict: nobody's answer is overwritten.
    assert world.save_answer(assessment, Q, 3, NATIONAL, MINH, based_on=0) == version

    after = world.load_answers(assessment, NATIONAL)[Q]
    assert (after.version, after.updated_at) == (row.version, row.updated_at)
    assert world.get_assessment(assessment, NATIONAL).updated_at == head.updated_at
    assert len(world.audit_trail(NATIONAL, assessment)) == trail


def test_saves_without_a_version_are_unchecked_as_for_imports_and_scripts(world: Store) -> None:
    assessment = start(world)
    world.save_answer(assessment, Q, 3, NATIONAL, LAN)
    world.save_answer(assessment, Q, 4, NATIONAL, MINH)
    assert world.load_answers(assessment, NATIONAL)[Q].value == 4


def test_an_import_gives_new_versions_so_pages_opened_before_cannot_overwrite(world: Store) -> None:
    assessment = start(world)
    seen = world.save_answer(assessment, Q, 2, NATIONAL, LAN, based_on=0)
    agency = next(a for a in AGENCIES if a.id == "hn_ba_dinh")
    world.import_response(
        Response(questionnaire="dmm", version="1.0.0", agency=agency, round="2026", answers={Q: 4}),
        NATIONAL, ACTOR, status="draft",
    )
    assert version_of(world, assessment) != seen
    with pytest.raises(StaleAnswer):
        world.save_answer(assessment, Q, 1, NATIONAL, LAN, based_on=seen)
    assert world.load_answers(assessment, NATIONAL)[Q].value == 4


def test_prefilled_answers_have_a_version_and_can_be_changed(world: Store) -> None:
    earlier = start(world, "2025")
    world.save_answer(earlier, Q, 2, NATIONAL, LAN)
    later = world.create_assessment(
        "hn_ba_dinh", "2026", "dmm", "1.0.0", NATIONAL, ACTOR, prefill_from_previous=True
    ).id
    copied = version_of(world, later)
    assert copied > 0
    changed = world.save_answer(later, Q, 3, NATIONAL, LAN, based_on=copied)
    assert changed > copied
    with pytest.raises(StaleAnswer):
        world.save_answer(later, Q, 4, NATIONAL, MINH, based_on=copied)


def test_a_submitted_assessment_says_locked_before_anything_about_versions(world: Store) -> None:
    assessment = start(world)
    world.save_answer(assessment, Q, 3, NATIONAL, LAN)
    world.submit(assessment, NATIONAL, LAN)
    with pytest.raises(AssessmentLocked):
        world.save_answer(assessment, Q, 4, NATIONAL, LAN, based_on=0)


def test_racing_saves_from_one_version_exactly_one_wins(world: Store) -> None:
    """Eight sessions all seeded with the same version save different answers at the same time:
    exactly one is stored, the other seven are told so."""
    import threading

    assessment = start(world)
    seen = world.save_answer(assessment, Q, 1, NATIONAL, ACTOR)
    barrier = threading.Barrier(8)
    outcomes: list[object] = [None] * 8
    scope = Scope.for_agency("hn_ba_dinh")

    def save(index: int) -> None:
        barrier.wait()
        try:
            outcomes[index] = world.save_answer(assessment, Q, 2 + index % 4, scope, f"user{index}", based_on=seen)
        except StaleAnswer as refused:
            outcomes[index] = refused

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Values 2, 3, 4, 5, 2, 3, 4, 5: the first save wins; its twin (same value) is then a no-op,
    # which overwrites nobody and succeeds; the six others are refused.
    winners = [i for i, o in enumerate(outcomes) if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, StaleAnswer)]
    stored = world.load_answers(assessment, NATIONAL)[Q]
    assert len(winners) == 2 and len(refused) == 6, outcomes
    assert {2 + i % 4 for i in winners} == {stored.value}
    saved = [e for e in world.audit_trail(NATIONAL, assessment) if e.action == "answer_saved"]
    assert len(saved) == 2  # the seed and exactly one change


@pytest.mark.parametrize("other_change", ["changed", "cleared", "first_answer", "same_answer"])
def test_a_save_that_waited_for_another_saves_lock_still_sees_its_change(world: Store, other_change: str) -> None:
    """Minh's save starts while Lan's save of the same question holds the assessment's lock, and runs
    once Lan's commits. On PostgreSQL Minh's first statement reads a snapshot taken before that
    commit; his save must still be checked against Lan's row (refused as stale, or a no-op when Lan
    stored the very answer he gives), never written over it."""
    import threading
    import time

    from sqlalchemy import delete, insert, select, text, update

    from storage.schema import AnswerRow, AssessmentRow

    assessment = start(world)
    seen = 0 if other_change == "first_answer" else world.save_answer(assessment, Q, 2, NATIONAL, LAN)
    lans_value = {"changed": "4", "cleared": None, "first_answer": "4", "same_answer": "5"}[other_change]
    outcome: list[object] = []

    def minh_saves() -> None:
        try:
            outcome.append(world.save_answer(assessment, Q, 5, NATIONAL, MINH, based_on=seen))
        except StaleAnswer as refused:
            outcome.append(refused)

    minh = threading.Thread(target=minh_saves)
    with world._write() as lan:  # Lan's save, by hand, holding the assessment's lock
        revision = lan.execute(
            update(AssessmentRow).where(AssessmentRow.id == assessment)
            .values(revision=AssessmentRow.revision + 1).returning(AssessmentRow.revision)
        ).scalar_one()
        key = (AnswerRow.assessment_id == assessment) & (AnswerRow.question_id == Q)
        if lans_value is None:
            lan.execute(delete(AnswerRow).where(key))
        elif seen:
            lan.execute(update(AnswerRow).where(key).values(value=lans_value, version=revision))
        else:
            lan.execute(insert(AnswerRow).values(assessment_id=assessment, question_id=Q, value=lans_value,
                                                 updated_at=world.get_assessment(assessment, NATIONAL).updated_at,
                                                 version=revision))
        minh.start()
        if not world._sqlite:  # wait until Minh's save waits for Lan's lock (SQLite: for its write lock)
            pid = lan.execute(text("SELECT pg_backend_pid()")).scalar_one()
            deadline = time.monotonic() + 60
            with world.engine.connect() as watcher:
                blocked = text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
                while not watcher.execute(blocked, {"pid": pid}).scalar_one():
                    watcher.rollback()  # pg_stat_activity is read once per transaction
                    minh.join(0.01)
                    assert minh.is_alive(), f"Minh's save did not wait for Lan's lock: {outcome}"
                    assert time.monotonic() < deadline, "Minh's save is not seen waiting for Lan's lock"
    minh.join()

    stored = world.load_answers(assessment, NATIONAL).get(Q)
    if other_change == "same_answer":
        assert outcome == [revision] and stored is not None and stored.version == revision  # a no-op, no conflict
    else:
        assert len(outcome) == 1 and isinstance(outcome[0], StaleAnswer), outcome
        assert outcome[0].current == (0 if lans_value is None else revision)
    assert (None if stored is None else str(stored.value)) == lans_value, "Lan's answer stays"
    with world.engine.connect() as conn:
        minhs = conn.execute(select(text("count(*)")).select_from(text("audit_log"))
                             .where(text("actor = :minh")), {"minh": MINH}).scalar_one()
    assert minhs == 0, "nothing of Minh's was written or audited"
