"""`Store` use case: save answers and notes one question at a time (versioned, audited, refusing a
stale save), and read an assessment's answers back (also as the scoring core's `Response`)."""

from __future__ import annotations

import json
from typing import Any, Literal

from sqlalchemy import Connection, and_, delete, insert, select, update

from scoring.schemas.response import AnswerNote, Response
from storage.access import READ, guarded
from storage.checks import check_answer_fits
from storage.errors import StaleAnswer
from storage.inputs import KEEP, Note, _actor, _Keep, _note, _question_id
from storage.records import StoredAnswer
from storage.schema import utcnow
from storage.scope import Scope
from storage.store_base import A, S, StoreBase, W, _agency, _agency_select
from storage.values import Answer, canonical_value, parse_value


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
        actor = _actor(actor)
        question_id = _question_id(question_id)
        new_value = None if value is None else canonical_value(value)
        na_reason, evidence = _note(na_reason), _note(evidence)
        with self._write() as conn:
            row = self._writable(conn, assessment_id, scope)
            check_answer_fits(row.questionnaire_id, row.questionnaire_version, question_id, new_value, row.type)
            return self._change_answer(
                conn, row.agency_id, assessment_id, question_id, new_value, na_reason, evidence, actor, based_on
            )

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
        actor = _actor(actor)
        question_id = _question_id(question_id)
        na_reason, evidence = _note(na_reason), _note(evidence)
        with self._write() as conn:
            row = self._writable(conn, assessment_id, scope)
            check_answer_fits(row.questionnaire_id, row.questionnaire_version, question_id, None, row.type)
            return self._change_answer(
                conn, row.agency_id, assessment_id, question_id, KEEP, na_reason, evidence, actor, based_on
            )

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

    def _change_answer(
        self,
        conn: Connection,
        agency_id: str,
        assessment_id: int,
        question_id: str,
        value: str | Literal[_Keep.KEEP] | None,
        na_reason: Note,
        evidence: Note,
        actor: str,
        based_on: int | None = None,
    ) -> int:
        """Apply one change to a question's row (the assessment is locked by the caller); return
        the row's version afterwards (0: no row)."""
        old = conn.execute(
            select(W.value, W.na_reason, W.evidence, W.version).where(
                W.assessment_id == assessment_id, W.question_id == question_id
            )
        ).first()
        old_value, old_reason, old_evidence = (old.value, old.na_reason, old.evidence) if old else (None, None, None)
        old_version = int(old.version) if old else 0
        new_value = old_value if value is KEEP else value
        new_reason = old_reason if na_reason is KEEP else na_reason
        new_evidence = old_evidence if evidence is KEEP else evidence
        if (new_value, new_reason, new_evidence) == (old_value, old_reason, old_evidence):
            return old_version  # nothing changes, so nobody's answer is overwritten either
        if based_on is not None and int(based_on) != old_version:
            raise StaleAnswer(
                f"The answer to {question_id} was changed by someone else (another window, a colleague or "
                f"an import) after you opened it, so your change was NOT saved. Reload the latest answers, "
                f"check them and answer again if needed.",
                assessment_id,
                question_id,
                int(based_on),
                old_version,
            )
        now = utcnow()
        revision = conn.execute(
            update(S).where(S.id == assessment_id).values(updated_at=now, revision=S.revision + 1).returning(S.revision)
        ).scalar_one()
        key = and_(W.assessment_id == assessment_id, W.question_id == question_id)
        new_version = int(revision)
        if new_value is None and new_reason is None and new_evidence is None:
            conn.execute(delete(W).where(key))
            new_version = 0
        elif old is None:
            conn.execute(
                insert(W).values(
                    assessment_id=assessment_id,
                    question_id=question_id,
                    value=new_value,
                    na_reason=new_reason,
                    evidence=new_evidence,
                    updated_at=now,
                    version=new_version,
                )
            )
        else:
            conn.execute(
                update(W)
                .where(key)
                .values(
                    value=new_value, na_reason=new_reason, evidence=new_evidence, updated_at=now, version=new_version
                )
            )
        if new_value != old_value:
            self._audit(
                conn,
                actor,
                "answer_cleared" if new_value is None else "answer_saved",
                agency_id,
                assessment_id,
                question_id,
                old_value=old_value,
                new_value=new_value,
            )
        old_notes = {"na_reason": old_reason, "evidence": old_evidence}
        new_notes = {"na_reason": new_reason, "evidence": new_evidence}
        changed = [name for name in old_notes if old_notes[name] != new_notes[name]]
        if changed:
            self._audit(
                conn,
                actor,
                "note_saved",
                agency_id,
                assessment_id,
                question_id,
                old_value=json.dumps({k: old_notes[k] for k in changed}, ensure_ascii=False),
                new_value=json.dumps({k: new_notes[k] for k in changed}, ensure_ascii=False),
                detail=" and ".join(name.replace("_", " ") for name in changed) + " changed",
            )
        return new_version
