"""The only door into storage: `Store`, and the value types its methods return.

Every method takes a `Scope` and stays inside it. Each write is one transaction that also writes
its audit row, so an answer is on disk (and audited) when `save_answer` returns.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Literal

import numpy as np
import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    and_,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from scoring.model import SEMVER, Agency, AnswerNote, Response
from storage.access import READ, guarded
from storage.checks import (
    check_agency,
    check_answer_fits,
    checked_assessment_id,
    checked_note,
    checked_round,
)
from storage.config import normalise_url, resolve_database_url
from storage.engine import ensure_migrated
from storage.errors import AccessDenied, AssessmentLocked, DuplicateAssessment, InvalidValue, NotFound, StaleAnswer
from storage.prefill import Carry, carry_answers
from storage.schema import (
    AgencyRow,
    AnswerRow,
    AssessmentRow,
    AuditRow,
    StatusChangeRow,
    UTCDateTime,
    utcnow,
)
from storage.scope import Scope
from storage.values import Answer, canonical_value, parse_value

Status = Literal["draft", "submitted", "returned", "accepted"]
LOCKED_STATUSES: tuple[str, ...] = ("submitted", "accepted")
"""Handed in: nobody changes the answers (returned goes back to the agency, accepted is final)."""
FRAME_COLUMNS: tuple[str, ...] = (
    "agency_id",
    "agency_name",
    "agency_type",
    "province",
    "round",
    "question_id",
    "answer",
)

A = AgencyRow
S = AssessmentRow
W = AnswerRow
L = AuditRow


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP
"""Default of the note arguments: leave that note field as it is."""

Note = str | None | Literal[_Keep.KEEP]


@dataclass(frozen=True)
class AssessmentInfo:
    id: int
    agency_id: str
    round: str
    questionnaire_id: str
    questionnaire_version: str
    status: Status
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    answered_count: int

    @property
    def is_submitted(self) -> bool:
        """Handed in and read-only (submitted, or accepted by the reviewer)."""
        return self.status in LOCKED_STATUSES


@dataclass(frozen=True)
class StoredAnswer:
    value: Answer | None
    """int, float, "na" or "dont_know"; None while only a note has been typed."""
    na_reason: str | None
    evidence: str | None
    updated_at: datetime
    version: int = 0
    """The version this row was last written at; name it as `based_on` when saving a change to it.
    An absent row is version 0."""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    agency_id: str | None
    assessment_id: int | None
    question_id: str | None
    old_value: str | None
    new_value: str | None
    detail: str | None


class Store:
    """Storage for agencies, assessments, answers and the audit trail.

    `Store(url)` is cheap: engines are shared per URL and the schema is migrated once per process.
    `url=None` uses `resolve_database_url()` (env DATABASE_URL, .streamlit/secrets.toml, SQLite).
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = normalise_url(url) if url else resolve_database_url()
        self.engine = ensure_migrated(self.url)
        self._sqlite = self.engine.dialect.name == "sqlite"

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    # --- transactions ------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if self._sqlite:
                conn.execution_options(dmm_sqlite_begin="BEGIN IMMEDIATE")
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    # --- agencies ----------------------------------------------------------------------------

    @guarded("upsert_agency")
    def upsert_agency(self, agency: Agency, scope: Scope, actor: str) -> None:
        """Add the agency, or change its name/type/province. Both the old and the new agency must
        lie inside the scope (a province cannot take over another province's commune)."""
        actor = _actor(actor)
        with self._write() as conn:
            self._upsert_agency(conn, agency, scope, actor)

    @guarded(READ)
    def get_agency(self, agency_id: str, scope: Scope) -> Agency | None:
        with self._read() as conn:
            row = conn.execute(_agency_select().where(A.id == agency_id)).first()
        if row is None:
            return None
        if not scope.allows(row):
            raise AccessDenied(f"Agency {agency_id} is outside your access ({scope.describe()}).")
        return _agency(row)

    @guarded(READ)
    def list_agencies(self, scope: Scope, agency_type: str | None = None) -> list[Agency]:
        stmt = _agency_select().where(_scope_clause(scope)).order_by(A.type, A.id)
        if agency_type is not None:
            stmt = stmt.where(A.type == agency_type)
        with self._read() as conn:
            return [_agency(row) for row in conn.execute(stmt)]

    # --- assessments -------------------------------------------------------------------------

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

    # --- answers -----------------------------------------------------------------------------

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

    # --- import ------------------------------------------------------------------------------

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

    # --- reading for coordinators ------------------------------------------------------------

    @guarded(READ)
    def submitted_answers_frame(
        self, scope: Scope, round: str | None = None, questionnaire_id: str | None = None
    ) -> pd.DataFrame:
        """One row per answer of every SUBMITTED (or accepted) assessment in scope, in ONE query. Columns:
        agency_id, agency_name, agency_type, province, round, question_id, answer (the canonical
        text: "3", "57.5", "na", "dont_know")."""
        filters = [S.status.in_(LOCKED_STATUSES), _scope_clause(scope)]
        if round is not None:
            filters.append(S.round == str(round))
        if questionnaire_id is not None:
            filters.append(S.questionnaire_id == questionnaire_id)
        # Two narrow reads instead of one wide join: the agency details once per assessment, and
        # three short columns per answer fetched straight from the driver (no Row objects), so a
        # national round of 250,000 answers costs a fraction of a second and little memory.
        meta_stmt = (
            select(S.id, A.id, A.name, A.type, A.province, S.round)
            .join(A, A.id == S.agency_id)
            .where(*filters)
            .order_by(A.id, S.round, S.questionnaire_id)
        )
        answers_stmt = (
            select(W.assessment_id, W.question_id, W.value)
            .join(S, S.id == W.assessment_id)
            .join(A, A.id == S.agency_id)
            .where(*filters, W.value.is_not(None))
            .order_by(W.assessment_id, W.question_id)
        )
        with self._read() as conn:
            meta = conn.execute(meta_stmt).all()
            answers = conn.execute(answers_stmt).cursor.fetchall()
        return _answers_frame(meta, answers)

    @guarded(READ)
    def rounds(self, scope: Scope, status: Status | None = None) -> list[str]:
        """The rounds that have assessments in scope, oldest first."""
        stmt = select(S.round).distinct().join(A, A.id == S.agency_id).where(_scope_clause(scope))
        if status is not None:
            stmt = stmt.where(S.status == status)
        with self._read() as conn:
            return sorted(conn.execute(stmt).scalars(), key=round_sort_key)

    @guarded("history")
    def audit_trail(self, scope: Scope, assessment_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
        """The latest audit entries in scope, newest first."""
        stmt = select(L).order_by(L.id.desc()).limit(max(0, int(limit)))
        if scope.level != "national":
            stmt = stmt.where(L.agency_id.in_(select(A.id).where(_scope_clause(scope))))
        with self._read() as conn:
            if assessment_id is not None:
                assessment_id = checked_assessment_id(assessment_id)
                if conn.execute(select(S.id).where(S.id == assessment_id)).first() is not None:
                    self._assessment_in_scope(conn, assessment_id, scope)
                stmt = stmt.where(L.assessment_id == assessment_id)
            rows = conn.execute(stmt).all()
        return [
            AuditEntry(
                id=r.id,
                at=r.at,
                actor=r.actor,
                action=r.action,
                agency_id=r.agency_id,
                assessment_id=r.assessment_id,
                question_id=r.question_id,
                old_value=r.old_value,
                new_value=r.new_value,
                detail=r.detail,
            )
            for r in rows
        ]

    # --- internals ---------------------------------------------------------------------------

    def _upsert_agency(self, conn: Connection, agency: Agency, scope: Scope, actor: str) -> None:
        province = agency.province or None
        check_agency(agency)
        if not scope.allows(agency):
            raise AccessDenied(
                f"Agency {agency.id} ({_agency_words(agency)}) is outside your access ({scope.describe()}); "
                "it cannot be added or changed from here."
            )
        old = conn.execute(_agency_select().where(A.id == agency.id).with_for_update()).first()
        new_json = _agency_json(agency.name, agency.type, province)
        if old is None:
            conn.execute(
                insert(A).values(
                    id=agency.id, name=agency.name, type=agency.type, province=province, created_at=utcnow()
                )
            )
            self._audit(conn, actor, "agency_created", agency.id, new_value=new_json)
            return
        if not scope.allows(old):
            raise AccessDenied(
                f"Agency {agency.id} already exists as {_agency_words(old)}, outside your access "
                f"({scope.describe()}); it cannot be changed from here."
            )
        if (old.name, old.type, old.province) == (agency.name, agency.type, province):
            return
        conn.execute(update(A).where(A.id == agency.id).values(name=agency.name, type=agency.type, province=province))
        self._audit(
            conn,
            actor,
            "agency_updated",
            agency.id,
            old_value=_agency_json(old.name, old.type, old.province),
            new_value=new_json,
        )

    def _agency_in_scope(self, conn: Connection, agency_id: str, scope: Scope, doing: str) -> Row[Any]:
        row = conn.execute(_agency_select().where(A.id == agency_id)).first()
        if row is None:
            raise NotFound(f"There is no agency {agency_id!r}; add the agency first.")
        if not scope.allows(row):
            raise AccessDenied(
                f"You cannot {doing} agency {agency_id} ({_agency_words(row)}): it is outside your access "
                f"({scope.describe()})."
            )
        return row

    def _assessment_in_scope(self, conn: Connection, assessment_id: int, scope: Scope, lock: bool = False) -> Row[Any]:
        assessment_id = checked_assessment_id(assessment_id)
        stmt = (
            select(
                S.id,
                S.agency_id,
                S.round,
                S.questionnaire_id,
                S.questionnaire_version,
                S.status,
                S.submitted_at,
                A.type,
                A.province,
            )
            .join(A, A.id == S.agency_id)
            .where(S.id == assessment_id)
        )
        if lock:
            stmt = stmt.with_for_update(of=S)
        row: Row[Any] | None = conn.execute(stmt).first()  # type: ignore[assignment]
        if row is None:
            raise NotFound(
                f"Assessment {assessment_id} does not exist (it may have been replaced by an import); "
                "reload the list of assessments."
            )
        if not scope.allows(_AgencyKey(row.agency_id, row.type, row.province)):
            raise AccessDenied(
                f"Assessment {assessment_id} belongs to agency {row.agency_id}, which is outside your access "
                f"({scope.describe()})."
            )
        return row

    def _writable(self, conn: Connection, assessment_id: int, scope: Scope) -> Row[Any]:
        """The assessment's head row, locked for this transaction; refuses a submitted one."""
        row = self._assessment_in_scope(conn, assessment_id, scope, lock=True)
        if row.status == "accepted":
            raise AssessmentLocked(
                f"Assessment {assessment_id} was accepted by its reviewer and is final; start a new round instead.",
                assessment_id,
            )
        if row.status == "submitted":
            when = f" on {row.submitted_at:%Y-%m-%d}" if row.submitted_at else ""
            raise AssessmentLocked(
                f"Assessment {assessment_id} was submitted{when} and can no longer be changed; "
                "start a new round instead.",
                assessment_id,
            )
        return row

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

    def _import_one(self, conn: Connection, response: Response, scope: Scope, actor: str, status: Status) -> int:
        agency = response.agency
        self._upsert_agency(conn, agency, scope, actor)
        round = _round(response.round)
        questionnaire_id = _text("questionnaire id", response.questionnaire, 64)
        version = _version(response.version)
        rows = _answer_rows(response)
        for r in rows:
            check_answer_fits(questionnaire_id, version, r["question_id"], r["value"], agency.type)
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

    def _info(self, conn: Connection, assessment_id: int) -> AssessmentInfo:
        return _assessment_info(conn.execute(_info_select().where(S.id == assessment_id)).one())

    def _infos(self, conn: Connection, ids: Sequence[int]) -> list[AssessmentInfo]:
        if not ids:
            return []
        return [_assessment_info(r) for r in conn.execute(_info_select().where(S.id.in_(sorted(set(ids)))))]

    def _audit(
        self,
        conn: Connection,
        actor: str,
        action: str,
        agency_id: str | None,
        assessment_id: int | None = None,
        question_id: str | None = None,
        *,
        old_value: str | None = None,
        new_value: str | None = None,
        detail: str | None = None,
    ) -> None:
        conn.execute(
            insert(L).values(
                at=utcnow(),
                actor=actor,
                action=action,
                agency_id=agency_id,
                assessment_id=assessment_id,
                question_id=question_id,
                old_value=old_value,
                new_value=new_value,
                detail=detail,
            )
        )


# --- helpers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _AgencyKey:
    id: str
    type: str
    province: str | None


def _answers_frame(meta: Sequence[Any], answers: Sequence[tuple[Any, str, str]]) -> pd.DataFrame:
    """The long answer frame (FRAME_COLUMNS) as categoricals built from integer codes."""
    if not answers:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in FRAME_COLUMNS})
    assessment_ids, question_ids, values = zip(*answers, strict=True)
    order = {row[0]: i for i, row in enumerate(meta)}  # assessments in agency, round order
    position = np.fromiter((order[a] for a in assessment_ids), dtype=np.int64, count=len(answers))
    columns: dict[str, Any] = {}
    for index, name in enumerate(("agency_id", "agency_name", "agency_type", "province", "round"), start=1):
        codes, uniques = pd.factorize(pd.Series([row[index] for row in meta], dtype=object), use_na_sentinel=True)
        columns[name] = pd.Categorical.from_codes(codes[position], pd.Index(uniques, dtype=object))
    for name, texts in (("question_id", question_ids), ("answer", values)):
        codes, uniques = pd.factorize(np.asarray(texts, dtype=object))
        columns[name] = pd.Categorical.from_codes(codes, pd.Index(uniques, dtype=object))
    frame = pd.DataFrame(columns)
    # Rows in agency, round, question order, whatever order the database returned them in.
    frame["_position"] = position
    return (
        frame.sort_values(["_position", "question_id"], kind="stable").drop(columns="_position").reset_index(drop=True)
    )


def round_sort_key(round: str) -> tuple[tuple[int, int | str], ...]:
    """Order rounds as text with embedded numbers compared as numbers ("2026-2" < "2026-10")."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", round))


def _scope_clause(scope: Scope) -> ColumnElement[bool]:
    """The SQL form of `Scope.allows` on the agencies table."""
    ids = sorted(scope.ids)
    if scope.level == "national":
        return true()
    if scope.level == "agency":
        return A.id.in_(ids)
    if scope.level == "ministry":
        return and_(A.type == "ministry", A.id.in_(ids))
    return or_(and_(A.type == "province", A.id.in_(ids)), and_(A.type == "commune", A.province.in_(ids)))


def _agency_select() -> Any:
    return select(A.id, A.name, A.type, A.province)


def _agency(row: Row[Any]) -> Agency:
    return Agency(id=row.id, name=row.name, type=row.type, province=row.province)


def _agency_words(agency: Any) -> str:
    if agency.type == "commune":
        return f"a commune of province {agency.province}"
    return f"a {agency.type}"


def _agency_json(name: str, type: str, province: str | None) -> str:
    return json.dumps({"name": name, "type": type, "province": province}, ensure_ascii=False)


def _info_select() -> Any:
    answered = (
        select(func.count())
        .select_from(W)
        .where(W.assessment_id == S.id, W.value.is_not(None))
        .correlate(S)
        .scalar_subquery()
    )
    return select(
        S.id,
        S.agency_id,
        S.round,
        S.questionnaire_id,
        S.questionnaire_version,
        S.status,
        S.created_at,
        S.updated_at,
        S.submitted_at,
        answered.label("answered_count"),
    )


def _assessment_info(row: Row[Any]) -> AssessmentInfo:
    return AssessmentInfo(
        id=int(row.id),
        agency_id=row.agency_id,
        round=row.round,
        questionnaire_id=row.questionnaire_id,
        questionnaire_version=row.questionnaire_version,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        answered_count=int(row.answered_count),
    )


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


def _actor(actor: str) -> str:
    return _text("actor (who is making the change)", actor, 200)


def _text(what: str, value: object, max_length: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(f"{what}: a non-empty text is required, got {value!r}")
    value = value.strip()
    if len(value) > max_length:
        raise InvalidValue(f"{what}: at most {max_length} characters, got {len(value)}")
    return value


def _round(round: object) -> str:
    if isinstance(round, int) and not isinstance(round, bool):
        round = str(round)
    return checked_round(_text("round", round, 32))


def _version(version: object) -> str:
    text = _text("questionnaire version", version, 32)
    if not SEMVER.match(text):
        raise InvalidValue(f"questionnaire version {text!r} is not of the form MAJOR.MINOR.PATCH (for example 1.0.0)")
    return text


def _question_id(question_id: object) -> str:
    return _text("question id", question_id, 128)


def _note(note: Note) -> Note:
    if note is KEEP or note is None:
        return note
    if not isinstance(note, str):
        raise InvalidValue(f"a note must be a text, got {note!r}")
    note = note.strip()
    return checked_note(note) if note else None
