"""`Store` use case: start (optionally pre-filled from the previous round), list, read and submit
assessments, and the status transitions that reviewers reuse."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, Row, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from storage.access import READ, guarded
from storage.errors import DuplicateAssessment
from storage.inputs import _actor, _round, _text, _version, round_sort_key
from storage.prefill import Carry, carry_answers
from storage.records import AssessmentInfo, Status
from storage.rounds import check_round_accepts
from storage.schema import StatusChangeRow, UTCDateTime, utcnow
from storage.scope import Scope
from storage.store_base import A, S, StoreBase, W, _assessment_info, _info_select, _scope_clause


class AssessmentsMixin(StoreBase):
    """Assessments: start (with pre-fill), list, read, submit; status transitions."""

    @guarded("create_assessment")
    def create_assessment(
        self,
        agency_id: str,
        round: str,
        questionnaire_id: str,
        questionnaire_version: str,
        scope: Scope,
        actor: str,
        prefill_from_previous: bool = False,
        *,
        prefill_questions: Collection[str] | None = None,
        prefill_carry: Carry | None = None,
    ) -> AssessmentInfo:
        """Start a draft assessment of one agency for one round.

        With `prefill_from_previous`, copy the answers and notes of the agency's latest earlier
        round of the same questionnaire ("earlier" compares rounds as text with numbers compared
        as numbers: "2025" < "2026", "2026-2" < "2026-10"); `prefill_questions` limits the copy to
        those question ids (for example the questions of the new questionnaire version). When that round
        was answered on another version, `prefill_carry` (see storage.prefill) carries its answers across.
        Raises `DuplicateAssessment` (with `existing_id`) if the agency already has one.
        """
        actor = _actor(actor)
        round = _round(round)
        questionnaire_id = _text("questionnaire id", questionnaire_id, 64)
        questionnaire_version = _version(questionnaire_version)
        try:
            with self._write() as conn:
                agency = self._agency_in_scope(conn, agency_id, scope, "start an assessment for")
                check_round_accepts(conn, round, "start an assessment", questionnaire_id, questionnaire_version)
                self._refuse_duplicate(conn, agency.id, round, questionnaire_id)
                now = utcnow()
                new_id = int(
                    conn.execute(  # type: ignore[index]  # inserted_primary_key is set after an insert
                        insert(S).values(
                            agency_id=agency.id,
                            round=round,
                            questionnaire_id=questionnaire_id,
                            questionnaire_version=questionnaire_version,
                            status="draft",
                            created_at=now,
                            updated_at=now,
                            submitted_at=None,
                        )
                    ).inserted_primary_key[0]
                )
                detail = f"new draft for round {round} of {questionnaire_id} {questionnaire_version}"
                if prefill_from_previous:
                    detail += "; " + self._prefill(
                        conn, new_id, agency.id, round, questionnaire_id, prefill_questions,
                        questionnaire_version, prefill_carry,
                    )
                self._audit(conn, actor, "assessment_created", agency.id, new_id, detail=detail)
                return self._info(conn, new_id)
        except IntegrityError:
            # Someone else created it between our check and our insert.
            with self._read() as conn:
                self._refuse_duplicate(conn, agency_id, round, questionnaire_id)
            raise

    @guarded(READ)
    def list_assessments(
        self,
        scope: Scope,
        agency_id: str | None = None,
        status: Status | Collection[Status] | None = None,
        round: str | None = None,
    ) -> list[AssessmentInfo]:
        """`status`: one status, or several (e.g. `LOCKED_STATUSES`: submitted or accepted)."""
        stmt = _info_select().join(A, A.id == S.agency_id).where(_scope_clause(scope))
        if agency_id is not None:
            stmt = stmt.where(S.agency_id == agency_id)
        if isinstance(status, str):
            stmt = stmt.where(S.status == status)
        elif status is not None:
            stmt = stmt.where(S.status.in_(sorted(status)))
        if round is not None:
            stmt = stmt.where(S.round == str(round))
        stmt = stmt.order_by(S.agency_id, S.round, S.questionnaire_id, S.id)
        with self._read() as conn:
            return [_assessment_info(row) for row in conn.execute(stmt)]

    @guarded(READ)
    def get_assessment(self, assessment_id: int, scope: Scope) -> AssessmentInfo:
        with self._read() as conn:
            self._assessment_in_scope(conn, assessment_id, scope)
            return self._info(conn, assessment_id)

    @guarded("submit")
    def submit(self, assessment_id: int, scope: Scope, actor: str, reason: str | None = None) -> None:
        """Make the assessment read-only (a draft, or one returned for changes: resubmitted).
        The caller checks completeness beforehand."""
        actor = _actor(actor)
        with self._write() as conn:
            row = self._writable(conn, assessment_id, scope)
            check_round_accepts(conn, row.round, "submit an assessment")
            answered = self._info(conn, assessment_id).answered_count
            verb = "resubmitted" if row.status == "returned" else "submitted"
            self._transition(conn, row, "submitted", actor, reason, f"{verb} with {answered} answers")

    def _transition(
        self, conn: Connection, row: Row[Any], to_status: Status, actor: str, reason: str | None, detail: str
    ) -> None:
        """Move a (locked) assessment to `to_status`: the head row, the status history and the audit
        trail, in the caller's transaction."""
        now = utcnow()
        values: dict[str, Any] = {"status": to_status, "updated_at": now}
        if to_status == "submitted":
            values["submitted_at"] = now
        conn.execute(update(S).where(S.id == row.id).values(**values))
        conn.execute(
            insert(StatusChangeRow).values(
                assessment_id=row.id, from_status=row.status, to_status=to_status, actor=actor, at=now, reason=reason
            )
        )
        action = "resubmitted" if (row.status, to_status) == ("returned", "submitted") else to_status
        full = f"{detail}: {reason}" if reason else detail
        self._audit(conn, actor, action, row.agency_id, row.id, old_value=row.status, new_value=to_status, detail=full)

    def _refuse_duplicate(self, conn: Connection, agency_id: str, round: str, questionnaire_id: str) -> None:
        existing = conn.execute(
            select(S.id, S.status).where(
                S.agency_id == agency_id, S.round == round, S.questionnaire_id == questionnaire_id
            )
        ).first()
        if existing is not None:
            raise DuplicateAssessment(
                f"Agency {agency_id} already has an assessment for round {round} of {questionnaire_id} "
                f"(assessment {existing.id}, {existing.status}); open that one instead of starting another.",
                int(existing.id),
            )

    def _prefill(
        self,
        conn: Connection,
        new_id: int,
        agency_id: str,
        round: str,
        questionnaire_id: str,
        only: Collection[str] | None,
        version: str | None = None,
        carry: Carry | None = None,
    ) -> str:
        earlier = [
            r
            for r in conn.execute(
                select(S.id, S.round, S.questionnaire_version).where(
                    S.agency_id == agency_id, S.questionnaire_id == questionnaire_id, S.id != new_id
                )
            )
            if round_sort_key(r.round) < round_sort_key(round)
        ]
        if not earlier:
            return "no earlier round to pre-fill from"
        source = max(earlier, key=lambda r: round_sort_key(r.round))
        if carry is not None and version is not None and source.questionnaire_version != version:
            carried = carry_answers(conn, source.id, source.questionnaire_version, new_id, carry, utcnow())
            conn.execute(update(S).where(S.id == new_id).values(revision=1))
            return f"pre-filled from round {source.round} (assessment {source.id}): {carried}"
        copy = select(
            literal(new_id),
            W.question_id,
            W.value,
            W.na_reason,
            W.evidence,
            literal(utcnow(), UTCDateTime()),
            literal(1),
        )
        copy = copy.where(W.assessment_id == source.id)
        if only is not None:
            copy = copy.where(W.question_id.in_(sorted(set(only))))
        conn.execute(
            insert(W).from_select(
                ["assessment_id", "question_id", "value", "na_reason", "evidence", "updated_at", "version"], copy
            )
        )
        conn.execute(update(S).where(S.id == new_id).values(revision=1))
        copied = conn.execute(
            select(func.count()).select_from(W).where(W.assessment_id == new_id, W.value.is_not(None))
        ).scalar_one()
        return f"pre-filled {copied} answers from round {source.round} (assessment {source.id})"
