"""`Store` use case: import whole responses (for example from files) in one transaction, adding or
updating their agencies and replacing an existing assessment of the same round."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from scoring.model import Response
from storage.access import guarded
from storage.agencies import AgenciesMixin
from storage.checks import check_answers_fit
from storage.errors import AssessmentLocked, InvalidValue
from storage.inputs import _actor, _note, _question_id, _round, _text, _version
from storage.records import AssessmentInfo, Status
from storage.schema import utcnow
from storage.scope import Scope
from storage.store_base import S, W
from storage.values import canonical_value


class ImportsMixin(AgenciesMixin):
    """Whole responses imported in one transaction (agencies added or updated on the way)."""

    def import_response(
        self, response: Response, scope: Scope, actor: str, status: Status = "submitted"
    ) -> AssessmentInfo:
        """Store a whole response (for example from a file), adding or updating its agency.

        An existing assessment of the same agency, round and questionnaire is REPLACED: its answers
        are deleted and the assessment (same id) takes the response's answers, version and status.
        The audit trail says whether it was imported or replaced.
        """
        return self.import_responses([response], scope, actor, status)[0]

    @guarded("import")
    def import_responses(
        self, responses: Iterable[Response], scope: Scope, actor: str, status: Status = "submitted"
    ) -> list[AssessmentInfo]:
        """`import_response` for many responses in ONE transaction: all are stored or none."""
        actor = _actor(actor)
        if status not in ("draft", "submitted"):  # returned and accepted come only from a reviewer
            raise InvalidValue(f"status must be 'draft' or 'submitted', not {status!r}")
        with self._write() as conn:
            ids = [self._import_one(conn, response, scope, actor, status) for response in responses]
            infos = {info.id: info for info in self._infos(conn, ids)}
        return [infos[i] for i in ids]

    def _import_one(self, conn: Connection, response: Response, scope: Scope, actor: str, status: Status) -> int:
        agency = response.agency
        self._upsert_agency(conn, agency, scope, actor)
        round = _round(response.round)
        questionnaire_id = _text("questionnaire id", response.questionnaire, 64)
        version = _version(response.version)
        rows = _answer_rows(response)
        check_answers_fit(questionnaire_id, version, ((r["question_id"], r["value"]) for r in rows), agency.type)
        now = utcnow()
        existing = conn.execute(
            select(S.id, S.status, S.questionnaire_version)
            .where(S.agency_id == agency.id, S.round == round, S.questionnaire_id == questionnaire_id)
            .with_for_update()
        ).first()
        if existing is not None and existing.status == "accepted":
            raise AssessmentLocked(
                f"Agency {agency.id}'s assessment for round {round} was accepted by its reviewer and is final; "
                "it cannot be replaced by an import.",
                int(existing.id),
            )
        head = {
            "questionnaire_version": version,
            "status": status,
            "updated_at": now,
            "submitted_at": now if status == "submitted" else None,
        }
        answered = sum(1 for r in rows if r["value"] is not None)
        if existing is None:
            assessment_id = int(
                conn.execute(  # type: ignore[index]  # inserted_primary_key is set after an insert
                    insert(S).values(
                        agency_id=agency.id,
                        round=round,
                        questionnaire_id=questionnaire_id,
                        created_at=now,
                        revision=1,
                        **head,
                    )
                ).inserted_primary_key[0]
            )
            revision = 1
            action = "imported"
            detail = (
                f"imported a {status} response for round {round} of {questionnaire_id} {version}: {answered} answers"
            )
        else:
            assessment_id = int(existing.id)
            removed = conn.execute(
                select(func.count()).select_from(W).where(W.assessment_id == assessment_id, W.value.is_not(None))
            ).scalar_one()
            conn.execute(delete(W).where(W.assessment_id == assessment_id))
            # A new revision: a page opened before the import cannot overwrite what it brought.
            revision = conn.execute(
                update(S).where(S.id == assessment_id).values(**head, revision=S.revision + 1).returning(S.revision)
            ).scalar_one()
            action = "replaced"
            detail = (
                f"replaced the {existing.status} assessment of round {round} "
                f"({existing.questionnaire_version}, {removed} answers) by an imported {status} response "
                f"({version}, {answered} answers)"
            )
        if rows:
            for r in rows:
                r["assessment_id"] = assessment_id
                r["updated_at"] = now
                r["version"] = int(revision)
            conn.execute(insert(W), rows)
        self._audit(
            conn,
            actor,
            action,
            agency.id,
            assessment_id,
            old_value=None if existing is None else existing.status,
            new_value=status,
            detail=detail,
        )
        return assessment_id


def _answer_rows(response: Response) -> list[dict[str, Any]]:
    rows = []
    for question_id in sorted(set(response.answers) | set(response.notes)):
        _question_id(question_id)
        answer = response.answers.get(question_id)
        note = response.notes.get(question_id)
        na_reason = _note(note.na_reason) if note else None
        evidence = _note(note.evidence) if note else None
        value = None if answer is None else canonical_value(answer)
        if value is None and na_reason is None and evidence is None:
            continue
        rows.append({"question_id": question_id, "value": value, "na_reason": na_reason, "evidence": evidence})
    return rows
