"""What every `Store` use case builds on: the engine, transactions, the scope checks of agencies and
assessments, the audit row writer, and the small SELECTs they share."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Connection, Row, Table, and_, func, insert, or_, select, true
from sqlalchemy.engine import make_url

from scoring.schemas.response import Agency
from storage.checks import checked_assessment_id
from storage.config import normalise_url, resolve_database_url
from storage.engine import ensure_migrated
from storage.errors import AccessDenied, AssessmentLocked, NotFound
from storage.records import AssessmentInfo
from storage.schema import AgencyRow, AnswerRow, AssessmentRow, AuditRow, utcnow
from storage.scope import Scope

A = AgencyRow
S = AssessmentRow
W = AnswerRow
L = AuditRow
AUDIT_INSERT = insert(cast(Table, AuditRow.__table__)).inline()


class StoreBase:
    """The engine and the shared internals of `Store` (see storage.service)."""

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

    # --- scope checks and shared reads ------------------------------------------------------

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

    def _assessment_in_scope(
        self, conn: Connection, assessment_id: int, scope: Scope, lock: bool = False, writable: bool = False
    ) -> Row[Any]:
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
        return checked_head(row, assessment_id, scope, writable)

    def _writable(self, conn: Connection, assessment_id: int, scope: Scope) -> Row[Any]:
        """The assessment's head row, locked for this transaction; refuses a submitted one."""
        return self._assessment_in_scope(conn, assessment_id, scope, lock=True, writable=True)

    def _info(self, conn: Connection, assessment_id: int) -> AssessmentInfo:
        return _assessment_info(conn.execute(_info_select().where(S.id == assessment_id)).one())

    def _infos(self, conn: Connection, ids: Sequence[int]) -> list[AssessmentInfo]:
        if not ids:
            return []
        return [_assessment_info(r) for r in conn.execute(_info_select().where(S.id.in_(sorted(set(ids)))))]

    # --- audit rows (written in the caller's transaction) ------------------------------------

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
        # Parameters, not `.values(...)`: one cached compiled statement for every audit row (building
        # a new statement per row was a tenth of an import's time); inline: the new row's id is not
        # fetched back (nobody reads it).
        conn.execute(
            AUDIT_INSERT,
            {
                "at": utcnow(),
                "actor": actor,
                "action": action,
                "agency_id": agency_id,
                "assessment_id": assessment_id,
                "question_id": question_id,
                "old_value": old_value,
                "new_value": new_value,
                "detail": detail,
            },
        )


def checked_head(row: Any, assessment_id: int, scope: Scope, writable: bool = False) -> Any:
    """An assessment's head row (agency_id, status, submitted_at, type, province; None: no such
    assessment) checked against `scope` and, when `writable`, against its status: the one place
    these refusals are worded, for the SELECT of `_assessment_in_scope` and for the answer save,
    which reads the head row back from its own UPDATE (`storage.answer_save`)."""
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
    if writable and row.status == "accepted":
        raise AssessmentLocked(
            f"Assessment {assessment_id} was accepted by its reviewer and is final; start a new round instead.",
            assessment_id,
        )
    if writable and row.status == "submitted":
        when = f" on {row.submitted_at:%Y-%m-%d}" if row.submitted_at else ""
        raise AssessmentLocked(
            f"Assessment {assessment_id} was submitted{when} and can no longer be changed; "
            "start a new round instead.",
            assessment_id,
        )
    return row


@dataclass(frozen=True)
class _AgencyKey:
    id: str
    type: str
    province: str | None


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

