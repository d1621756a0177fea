"""`Store` use case: save answers and notes one question at a time (versioned, audited, refusing a
stale save), and read an assessment's answers back (also as the scoring core's `Response`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from scoring.schemas.response import AnswerNote, Response
from storage.access import READ, guarded
from storage.answer_save import save_question
from storage.inputs import KEEP, Note
from storage.records import StoredAnswer
from storage.scope import Scope
from storage.store_base import A, StoreBase, W, _agency, _agency_select
from storage.values import Answer, parse_value


class AnswersMixin(StoreBase):
    """Answers and notes: save one question at a time, read them back."""

    @guarded("save_answer")
    def save_answer(
        self,
        assessment_id: int,
        question_id: str,
        value: Answer | None,
        scope: Scope,
        actor: str,
        na_reason: Note = KEEP,
        evidence: Note = KEEP,
        *,
        based_on: int | None = None,
    ) -> int:
        """Store one answer at once, in one transaction with its audit row; return the row's version
        afterwards (0: no row left).

        `value`: a level 1-5, a number, "na", "dont_know", or None to clear the answer (the row is
        deleted unless a note is left on it). `na_reason` / `evidence`: KEEP (default) leaves the
        note as it is, a text replaces it, None or "" clears it. Saving what is already stored
        changes nothing (not even the version) and writes no audit row.
        `based_on`: the version of the row the person saw (`StoredAnswer.version`, 0 for no row);
        if the stored row has changed since, nothing is written and `StaleAnswer` is raised. None
        skips the check (imports, scripts).
        """
        return save_question(self, assessment_id, question_id, value, scope, actor, na_reason, evidence, based_on)

    @guarded("save_answer")
    def save_note(
        self,
        assessment_id: int,
        question_id: str,
        scope: Scope,
        actor: str,
        na_reason: Note = KEEP,
        evidence: Note = KEEP,
        *,
        based_on: int | None = None,
    ) -> int:
        """Change only the notes of a question, keeping its answer. A note may come before the
        answer: the row is then stored with no value (and is not counted as answered). Returns the
        row's version afterwards; `based_on` as in `save_answer`."""
        return save_question(self, assessment_id, question_id, KEEP, scope, actor, na_reason, evidence, based_on)

    @guarded(READ)
    def load_answers(self, assessment_id: int, scope: Scope) -> dict[str, StoredAnswer]:
        """Every stored row of the assessment, by question id (rows with only a note included)."""
        with self._read() as conn:
            self._assessment_in_scope(conn, assessment_id, scope)
            rows = conn.execute(
                select(W.question_id, W.value, W.na_reason, W.evidence, W.updated_at, W.version)
                .where(W.assessment_id == assessment_id)
                .order_by(W.question_id)
            ).all()
        return {
            r.question_id: StoredAnswer(
                value=None if r.value is None else parse_value(r.value),
                na_reason=r.na_reason,
                evidence=r.evidence,
                updated_at=r.updated_at,
                version=int(r.version),
            )
            for r in rows
        }

    @guarded(READ)
    def to_response(self, assessment_id: int, scope: Scope) -> Response:
        """The assessment as the scoring core's `Response` (answers without a value are left out of
        `answers`; their notes are kept in `notes`)."""
        with self._read() as conn:
            head = self._assessment_in_scope(conn, assessment_id, scope)
            agency_row = conn.execute(_agency_select().where(A.id == head.agency_id)).one()
            rows = conn.execute(
                select(W.question_id, W.value, W.na_reason, W.evidence)
                .where(W.assessment_id == assessment_id)
                .order_by(W.question_id)
            ).all()
        answers: dict[str, Any] = {}
        notes: dict[str, AnswerNote] = {}
        for r in rows:
            if r.value is not None:
                answers[r.question_id] = parse_value(r.value)
            if r.na_reason is not None or r.evidence is not None:
                notes[r.question_id] = AnswerNote(na_reason=r.na_reason, evidence=r.evidence)
        return Response(
            questionnaire=head.questionnaire_id,
            version=head.questionnaire_version,
            agency=_agency(agency_row),
            round=head.round,
            answers=answers,
            notes=notes,
        )
