"""The review workflow of a national programme, and the division of work inside an agency.

    draft -> submitted -> (returned with comments -> submitted again)* -> accepted

The IT lead submits (`Store.submit`); the reviewer of the agency's province or ministry comments
per answer or on the whole assessment, returns it for changes (a reason is required) or accepts it.
Accepted is final and read-only. Every step is a row of `status_history` (who, when, from, to,
why) and of the audit trail. The IT lead assigns dimensions to the agency's respondents; a
respondent may change only the answers of their dimensions (see `storage.access`).

Every method takes a `Scope` (trusted code) or the signed-in `Principal`, like `Store`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, delete, insert, select

from storage.access import READ, Principal, Who, guarded
from storage.errors import InvalidValue, NotFound, WorkflowError
from storage.schema import AssignmentRow, AuditRow, ReviewCommentRow, StatusChangeRow, UserRow, utcnow
from storage.scope import Scope
from storage.service import Store, _actor, _question_id, _text


def _scope(who: Who) -> Scope:
    """Inside a `guarded` method the scope is always a `Scope`: the decorator has replaced a Principal."""
    return cast(Scope, who)

C = ReviewCommentRow
H = StatusChangeRow
G = AssignmentRow
U = UserRow
MAX_COMMENT = 4000


@dataclass(frozen=True)
class Comment:
    id: int
    assessment_id: int
    question_id: str | None
    """None: a comment on the whole assessment."""
    parent_id: int | None
    author: str
    author_role: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class StatusChange:
    from_status: str | None
    to_status: str
    actor: str
    at: datetime
    reason: str | None


@dataclass(frozen=True)
class Assignment:
    dimension_id: str
    email: str
    display_name: str | None
    assigned_by: str
    assigned_at: datetime


@dataclass(frozen=True)
class WorkflowSummary:
    """What the results page and the PDF print about the review."""

    status: str
    submitted_by: str | None
    submitted_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    returned_count: int
    accepted_at: datetime | None


@dataclass(frozen=True)
class AnswerAuthor:
    actor: str
    at: datetime


class Review:
    def __init__(self, store: Store) -> None:
        self.store = store

    # --- transitions -----------------------------------------------------------------------------

    @guarded("return")
    def return_for_changes(self, assessment_id: int, reason: str, scope: Who, actor: str) -> None:
        """Send a submitted assessment back to its agency; `reason` says what to change."""
        actor, reason = _actor(actor), _text("reason for returning", reason, MAX_COMMENT)
        with self.store._write() as conn:
            row = self._head(conn, assessment_id, _scope(scope), "submitted", "return")
            self.store._transition(conn, row, "returned", actor, reason, "returned for changes")

    @guarded("accept")
    def accept(self, assessment_id: int, scope: Who, actor: str, reason: str | None = None) -> None:
        """Accept a submitted assessment: final, read-only, counted in the national figures."""
        actor = _actor(actor)
        reason = _text("note", reason, MAX_COMMENT) if reason and reason.strip() else None
        with self.store._write() as conn:
            row = self._head(conn, assessment_id, _scope(scope), "submitted", "accept")
            self.store._transition(conn, row, "accepted", actor, reason, "accepted")

    @guarded(READ)
    def history(self, assessment_id: int, scope: Who) -> list[StatusChange]:
        with self.store._read() as conn:
            self.store._assessment_in_scope(conn, assessment_id, _scope(scope))
            rows = conn.execute(
                select(H.from_status, H.to_status, H.actor, H.at, H.reason)
                .where(H.assessment_id == assessment_id)
                .order_by(H.id)
            ).all()
        return [StatusChange(r.from_status, r.to_status, r.actor, r.at, r.reason) for r in rows]

    @guarded(READ)
    def summary(self, assessment_id: int, scope: Who) -> WorkflowSummary:
        """Status, submitter, reviewer and dates, from the status history."""
        with self.store._read() as conn:
            head = self.store._assessment_in_scope(conn, assessment_id, _scope(scope))
            rows = conn.execute(
                select(H.to_status, H.actor, H.at).where(H.assessment_id == assessment_id).order_by(H.id)
            ).all()
        submitted = [r for r in rows if r.to_status == "submitted"]
        reviewed = [r for r in rows if r.to_status in ("returned", "accepted")]
        accepted = [r for r in rows if r.to_status == "accepted"]
        return WorkflowSummary(
            status=head.status,
            submitted_by=submitted[-1].actor if submitted else None,
            submitted_at=submitted[-1].at if submitted else head.submitted_at,
            reviewed_by=reviewed[-1].actor if reviewed else None,
            reviewed_at=reviewed[-1].at if reviewed else None,
            returned_count=sum(1 for r in rows if r.to_status == "returned"),
            accepted_at=accepted[-1].at if accepted else None,
        )

    # --- comments --------------------------------------------------------------------------------

    @guarded("comment")
    def add_comment(
        self,
        assessment_id: int,
        body: str,
        scope: Who,
        actor: str,
        question_id: str | None = None,
        parent_id: int | None = None,
        who: Principal | None = None,
    ) -> Comment:
        """A comment on one answer (`question_id`), on the whole assessment (None), or a reply
        (`parent_id`, same assessment). Only while the assessment is submitted or returned."""
        actor = _actor(actor)
        body = _text("comment", body, MAX_COMMENT)
        question_id = None if question_id is None else _question_id(question_id)
        role = who.role if who is not None else "local"
        with self.store._write() as conn:
            head = self.store._assessment_in_scope(conn, assessment_id, _scope(scope), lock=True)
            if head.status not in ("submitted", "returned"):
                raise WorkflowError(
                    f"Assessment {assessment_id} is {head.status}: comments are made on a submitted or "
                    "returned assessment."
                )
            if parent_id is not None:
                parent = conn.execute(select(C.assessment_id, C.question_id).where(C.id == parent_id)).first()
                if parent is None or parent.assessment_id != assessment_id:
                    raise NotFound(f"Comment {parent_id} is not a comment of assessment {assessment_id}.")
                question_id = parent.question_id
            now = utcnow()
            new_id = int(
                conn.execute(  # type: ignore[index]  # inserted_primary_key is set after an insert
                    insert(C).values(
                        assessment_id=assessment_id,
                        question_id=question_id,
                        parent_id=parent_id,
                        author=actor,
                        author_role=role,
                        body=body,
                        created_at=now,
                    )
                ).inserted_primary_key[0]
            )
            self.store._audit(
                conn, actor, "replied" if parent_id else "commented", head.agency_id, assessment_id, question_id,
                new_value=body[:500],
            )
        return Comment(new_id, assessment_id, question_id, parent_id, actor, role, body, now)

    @guarded(READ)
    def comments(self, assessment_id: int, scope: Who, question_id: str | None = None) -> list[Comment]:
        """Comments of the assessment, oldest first (of one question when `question_id` is given)."""
        stmt = select(C).where(C.assessment_id == assessment_id).order_by(C.id)
        if question_id is not None:
            stmt = stmt.where(C.question_id == question_id)
        with self.store._read() as conn:
            self.store._assessment_in_scope(conn, assessment_id, _scope(scope))
            rows = conn.execute(stmt).all()
        return [
            Comment(r.id, r.assessment_id, r.question_id, r.parent_id, r.author, r.author_role, r.body, r.created_at)
            for r in rows
        ]

    # --- dividing the work -----------------------------------------------------------------------

    @guarded("assign")
    def respondents(self, agency_id: str, scope: Who) -> list[tuple[str, str | None]]:
        """The agency's active respondents: (e-mail, display name)."""
        with self.store._read() as conn:
            self.store._agency_in_scope(conn, agency_id, _scope(scope), "see the respondents of")
            rows = conn.execute(
                select(U.email, U.display_name)
                .where(U.role == "respondent", U.scope == f"agency:{agency_id}", U.active.is_(True))
                .order_by(U.email)
            ).all()
        return [(r.email, r.display_name) for r in rows]

    @guarded("assign")
    def assign(self, assessment_id: int, dimension_id: str, email: str, scope: Who, actor: str) -> None:
        """Give one dimension of a draft (or returned) assessment to a respondent of the same agency."""
        actor = _actor(actor)
        dimension_id = _text("dimension id", dimension_id, 64)
        email = (email or "").strip().lower()
        with self.store._write() as conn:
            head = self.store._writable(conn, assessment_id, _scope(scope))
            user = conn.execute(select(U.id, U.role, U.scope, U.active).where(U.email == email)).first()
            if user is None or not user.active or user.role != "respondent":
                raise InvalidValue(f"{email or '(empty)'} is not an active respondent; ask your administrator.")
            if user.scope != f"agency:{head.agency_id}":
                raise InvalidValue(f"{email} answers for {user.scope}, not for agency {head.agency_id}.")
            key = (G.assessment_id == assessment_id, G.dimension_id == dimension_id, G.user_id == user.id)
            if conn.execute(select(G.user_id).where(*key)).first() is not None:
                return
            conn.execute(
                insert(G).values(
                    assessment_id=assessment_id, dimension_id=dimension_id, user_id=user.id,
                    assigned_by=actor, assigned_at=utcnow(),
                )
            )
            self.store._audit(
                conn, actor, "assigned", head.agency_id, assessment_id, new_value=f"{dimension_id} {email}"
            )

    @guarded("assign")
    def unassign(self, assessment_id: int, dimension_id: str, email: str, scope: Who, actor: str) -> None:
        actor = _actor(actor)
        email = (email or "").strip().lower()
        with self.store._write() as conn:
            head = self.store._writable(conn, assessment_id, _scope(scope))
            user_id = conn.execute(select(U.id).where(U.email == email)).scalar_one_or_none()
            if user_id is None:
                return
            gone = conn.execute(
                delete(G).where(G.assessment_id == assessment_id, G.dimension_id == dimension_id, G.user_id == user_id)
            ).rowcount
            if gone:
                self.store._audit(
                    conn, actor, "unassigned", head.agency_id, assessment_id, old_value=f"{dimension_id} {email}"
                )

    @guarded(READ)
    def assignments(self, assessment_id: int, scope: Who) -> list[Assignment]:
        with self.store._read() as conn:
            self.store._assessment_in_scope(conn, assessment_id, _scope(scope))
            rows = conn.execute(
                select(G.dimension_id, U.email, U.display_name, G.assigned_by, G.assigned_at)
                .join(U, U.id == G.user_id)
                .where(G.assessment_id == assessment_id)
                .order_by(G.dimension_id, U.email)
            ).all()
        return [Assignment(r.dimension_id, r.email, r.display_name, r.assigned_by, r.assigned_at) for r in rows]

    @guarded("history")
    def answered_by(self, assessment_id: int, scope: Who) -> dict[str, AnswerAuthor]:
        """Who last changed each answer, and when (from the audit trail)."""
        with self.store._read() as conn:
            self.store._assessment_in_scope(conn, assessment_id, _scope(scope))
            rows = conn.execute(
                select(AuditRow.question_id, AuditRow.actor, AuditRow.at)
                .where(
                    AuditRow.assessment_id == assessment_id,
                    AuditRow.action.in_(("answer_saved", "answer_cleared")),
                )
                .order_by(AuditRow.id)
            ).all()
        return {r.question_id: AnswerAuthor(r.actor, r.at) for r in rows if r.question_id}

    # --- internals -------------------------------------------------------------------------------

    def _head(self, conn: Connection, assessment_id: int, scope: Scope, needed: str, doing: str) -> Any:
        row = self.store._assessment_in_scope(conn, assessment_id, scope, lock=True)
        if row.status != needed:
            raise WorkflowError(
                f"Assessment {assessment_id} is {row.status}; only a {needed} assessment can be {doing}ed."
            )
        return row
