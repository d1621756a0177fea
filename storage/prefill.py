"""Pre-filling a new round from a round answered on another questionnaire version.

Storage does not know the mapping rules: the caller passes a `Carry` (the core's `scoring.migrate`, through
`carry_for`), storage reads the source answers, hands them over and writes what comes back, in the same
transaction as the new assessment.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, insert, select

from scoring.schemas.response import AnswerNote
from storage.schema import AnswerRow as W
from storage.values import Answer, canonical_value, parse_value

# (source version, answers, notes) -> (answers, notes, what could not be carried)
Carry = Callable[
    [str, dict[str, Answer], dict[str, AnswerNote]], tuple[dict[str, Answer], dict[str, AnswerNote], list[str]]
]


def carry_answers(conn: Connection, source_id: int, source_version: str, new_id: int, carry: Carry, now: object) -> str:
    answers: dict[str, Answer] = {}
    notes: dict[str, AnswerNote] = {}
    for row in conn.execute(
        select(W.question_id, W.value, W.na_reason, W.evidence).where(W.assessment_id == source_id)
    ):
        if row.value is not None:
            answers[row.question_id] = parse_value(row.value)
        if row.na_reason or row.evidence:
            notes[row.question_id] = AnswerNote(na_reason=row.na_reason, evidence=row.evidence)
    carried, carried_notes, not_carried = carry(source_version, answers, notes)
    rows = [
        {
            "assessment_id": new_id,
            "question_id": qid,
            "value": canonical_value(value),
            "na_reason": (carried_notes.get(qid) or AnswerNote()).na_reason,
            "evidence": (carried_notes.get(qid) or AnswerNote()).evidence,
            "updated_at": now,
            "version": 1,
        }
        for qid, value in carried.items()
    ]
    if rows:
        conn.execute(insert(W), rows)
    detail = f"carried {len(rows)} answers from version {source_version}"
    if not_carried:
        detail += f"; not carried: {'; '.join(not_carried)}"
    return detail
