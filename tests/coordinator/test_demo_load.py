"""The national demo loader with its store overlapped (coordinator.overlap): the progress bar sees
every batch and round in order, each with the database as it was when that step ended; an error
in the middle leaves whole batches only (each batch is one transaction; the failed one leaves
nothing), and loading again completes the demo as a clean load does. On SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import threading

import numpy as np
import pytest
from sqlalchemy import func, select

import coordinator.demo as demo
from coordinator.demo import demo_frame, load_demo
from coordinator.scores import layout_of
from scoring import Bundle
from storage import Store
from storage.results import stale_assessments
from storage.schema import AnswerRow, AssessmentResultRow, AuditRow
from tests.coordinator.test_imports import NATIONAL

AGENCIES, ROUNDS, BATCH = 40, 2, 10  # 4 batches per round


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "BATCH", BATCH)


def counts(store: Store) -> tuple[int, int, int, int]:
    """(assessments, answers, audit rows naming an assessment, stored results)."""
    with store.engine.connect() as conn:
        answers = conn.execute(select(func.count()).select_from(AnswerRow)).scalar_one()
        audit = conn.execute(select(func.count()).select_from(AuditRow)
                             .where(AuditRow.assessment_id.is_not(None))).scalar_one()
        results = conn.execute(select(func.count()).select_from(AssessmentResultRow)).scalar_one()
    return len(store.list_assessments(NATIONAL)), answers, audit, results


def stored_answers(store: Store) -> set[tuple[str, str, str, str]]:
    """(agency, round, question, value) of every stored answer."""
    infos = {a.id: a for a in store.list_assessments(NATIONAL)}
    with store.engine.connect() as conn:
        rows = conn.execute(select(AnswerRow.assessment_id, AnswerRow.question_id, AnswerRow.value)).all()
    return {(infos[i].agency_id, infos[i].round, q, v) for i, q, v in rows}


def answers_per_assessment(shipped: Bundle) -> dict[tuple[str, str], int]:
    frame = demo_frame(shipped, total=AGENCIES, rounds=ROUNDS)
    sizes = frame.groupby(["agency_id", "round"], observed=True).size()
    return {(str(a), str(r)): int(n) for (a, r), n in sizes.items()}


def whole(store: Store, shipped: Bundle) -> bool:
    """Every stored assessment holds all of its answers (none is half loaded)."""
    sizes = answers_per_assessment(shipped)
    return all(a.answered_count == sizes[(a.agency_id, a.round)] for a in store.list_assessments(NATIONAL))


@pytest.mark.parametrize("overlap", [True, False], ids=["overlap", "plain"])
def test_the_bar_sees_every_batch_and_round_in_order_with_the_database_of_that_moment(
        store: Store, shipped: Bundle, small_batches: None, overlap: bool) -> None:
    layout = layout_of(shipped)
    seen: list[tuple[float, int, int, int]] = []

    def progress(share: float) -> None:
        assert threading.current_thread() is threading.main_thread()  # Streamlit's bar needs the script's thread
        rounds = {a.round for a in store.list_assessments(NATIONAL)}
        unscored = sum(len(stale_assessments(store, NATIONAL, layout, shipped.questionnaire.id, round=r))
                       for r in rounds)
        seen.append((share, len(store.list_assessments(NATIONAL)), len(rounds), unscored))

    report = load_demo(store, shipped, NATIONAL, total=AGENCIES, rounds=ROUNDS, progress=progress, overlap=overlap)
    assert (report.imported, report.skipped) == (80, 0)
    # Per round (2026 first): 4 batches of 10 agencies, then its scores; then the final 1.0.
    assert [(count, rounds, unscored) for _, count, rounds, unscored in seen] == [
        (10, 1, 10), (20, 1, 20), (30, 1, 30), (40, 1, 40), (40, 1, 0),
        (50, 2, 10), (60, 2, 20), (70, 2, 30), (80, 2, 40), (80, 2, 0),
        (80, 2, 0),
    ]
    shares = [share for share, *_ in seen]
    assert all(a < b for a, b in itertools.pairwise(shares[:-1])) and shares[-2:] == [1.0, 1.0]
    assert whole(store, shipped)
    assert counts(store) == (80, sum(answers_per_assessment(shipped).values()), 80, 80)


def test_a_store_error_mid_load_leaves_whole_batches_and_loading_again_completes(
        store: Store, db_url: str, shipped: Bundle, small_batches: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The third batch fails inside its transaction, after its answers were written (at its audit
    rows): the error reaches the caller, the two batches before it are stored whole, nothing of the
    third (nor of the fourth, prepared meanwhile) is; the next load resumes and completes."""
    from storage import imports

    written = imports._AuditRows.write
    calls = {"n": 0}

    def failing_write(self: imports._AuditRows, conn: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("the disk is full")
        written(self, conn)  # type: ignore[arg-type]

    monkeypatch.setattr(imports._AuditRows, "write", failing_write)
    with pytest.raises(RuntimeError, match="the disk is full"):
        load_demo(store, shipped, NATIONAL, total=AGENCIES, rounds=ROUNDS, overlap=True)
    assert not [t for t in threading.enumerate() if t.name.startswith("dmm-store")]
    assessments = store.list_assessments(NATIONAL)
    assert len(assessments) == 2 * BATCH and {a.round for a in assessments} == {"2026"}
    assert whole(store, shipped)
    sizes = answers_per_assessment(shipped)
    assert counts(store)[:3] == (20, sum(sizes[(a.agency_id, a.round)] for a in assessments), 20)

    monkeypatch.setattr(imports._AuditRows, "write", written)
    again = load_demo(store, shipped, NATIONAL, total=AGENCIES, rounds=ROUNDS, overlap=True)
    assert (again.imported, again.skipped) == (60, 20)
    assert whole(store, shipped)
    assert counts(store) == (80, sum(sizes.values()), 80, 80)
    assert stale_assessments(store, NATIONAL, layout_of(shipped), shipped.questionnaire.id) == []
    frame = demo_frame(shipped, total=AGENCIES, rounds=ROUNDS)
    assert stored_answers(store) == set(zip(frame["agency_id"].astype(str), frame["round"].astype(str),
                                            frame["question_id"].astype(str), frame["answer"].astype(str),
                                            strict=True))


def test_a_check_error_while_a_batch_is_stored_lets_that_batch_end_first(
        store: Store, shipped: Bundle, small_batches: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batch 3 fails its checks while batch 2 is being stored: batch 2 is committed whole before
    the error reaches the caller (as in a plain loop, where batch 2 came first); nothing after."""
    checked = demo.batch_from_frame
    calls = {"n": 0}

    def failing_check(*args: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise ValueError("a bad answer")
        return checked(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(demo, "batch_from_frame", failing_check)
    with pytest.raises(ValueError, match="a bad answer"):
        load_demo(store, shipped, NATIONAL, total=AGENCIES, rounds=ROUNDS, overlap=True)
    assert len(store.list_assessments(NATIONAL)) == 2 * BATCH and whole(store, shipped)
    assert not [t for t in threading.enumerate() if t.name.startswith("dmm-store")]
    assert np.array_equal(sorted(a.round for a in store.list_assessments(NATIONAL)), ["2026"] * 20)
