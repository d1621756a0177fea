"""The tables, as typed SQLAlchemy 2 ORM classes.

This is the *current* shape of the schema; `storage.migrations` holds the steps that build it
and a test checks that the two agree. Only `storage.service` reads or writes these tables.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

STATUSES: tuple[str, ...] = ("draft", "submitted", "returned", "accepted")
ROLES: tuple[str, ...] = ("respondent", "it_lead", "reviewer", "coordinator", "trainer", "admin")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database.

    PostgreSQL stores `timestamp with time zone`. SQLite has no time zones, so the value is stored
    as naive UTC and given back its UTC zone when read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: storage only accepts timezone-aware timestamps")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class SchemaVersionRow(Base):
    __tablename__ = "schema_version"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AgencyRow(Base):
    __tablename__ = "agencies"
    __table_args__ = (
        CheckConstraint("type IN ('ministry', 'province', 'commune')", name="ck_agencies_type"),
        Index("ix_agencies_province", "province"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16))
    province: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AssessmentRow(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint(
            "agency_id", "round", "questionnaire_id", name="uq_assessments_agency_round_questionnaire"
        ),
        CheckConstraint(
            "status IN ('draft', 'submitted', 'returned', 'accepted')", name="ck_assessments_status"
        ),
        Index("ix_assessments_status_round", "status", "round"),
        # Covers `storage.stamps.locked_change_stamp` (read on every coordinator run): count, latest
        # change and highest id per status from the index alone, no table row visited.
        Index("ix_assessments_status_changed", "status", "updated_at", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agency_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("agencies.id", name="fk_assessments_agency")
    )
    round: Mapped[str] = mapped_column(String(32))
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revision: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    """Bumped by every change to the assessment's answers; a changed answer takes it as its version."""


class AnswerRow(Base):
    """One question's answer and notes. `value` is NULL while only a note has been typed.

    The primary key (assessment_id, question_id) is the uniqueness rule: one row per question.
    On SQLite the table is WITHOUT ROWID (the key is the table). On PostgreSQL the foreign key to
    `assessments` is enforced by statement-level triggers with the same rule and name (migration 10,
    `storage.migrations._m010_answers_for_bulk_loads`): a real foreign key checks each row alone.
    """

    __tablename__ = "answers"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy's declarative attribute

    assessment_id: Mapped[int] = mapped_column(
        Integer,
        ForeignKey("assessments.id", ondelete="CASCADE", name="fk_answers_assessment"),
        primary_key=True,
    )
    question_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    na_reason: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    """The assessment's `revision` when this row was last changed: a save names the version it saw."""


class AuditRow(Base):
    """Who changed what, when. No foreign keys: the trail outlives what it describes."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_agency", "agency_id", "at"),
        Index("ix_audit_log_assessment", "assessment_id", "at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    agency_id: Mapped[str | None] = mapped_column(String(64))
    assessment_id: Mapped[int | None] = mapped_column(Integer)
    question_id: Mapped[str | None] = mapped_column(String(128))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)


class UserRow(Base):
    """A person who may sign in: matched to the identity provider by e-mail (lower case) or `sub`.

    `scope` is "national", "province:<id>", "ministry:<id>" or "agency:<id>"."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('respondent', 'it_lead', 'reviewer', 'coordinator', 'trainer', 'admin')", name="ck_users_role"
        ),
        UniqueConstraint("email", name="uq_users_email"),
        UniqueConstraint("sub", name="uq_users_sub"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254))
    sub: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AssignmentRow(Base):
    """A dimension of an assessment given to a respondent by the agency's IT lead."""

    __tablename__ = "assignments"

    assessment_id: Mapped[int] = mapped_column(
        Integer,
        ForeignKey("assessments.id", ondelete="CASCADE", name="fk_assignments_assessment"),
        primary_key=True,
    )
    dimension_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", name="fk_assignments_user"), primary_key=True
    )
    assigned_by: Mapped[str] = mapped_column(String(200))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReviewCommentRow(Base):
    """A reviewer's comment on one answer (`question_id`) or on the whole assessment (NULL), or a
    reply to another comment (`parent_id`)."""

    __tablename__ = "review_comments"
    __table_args__ = (
        Index("ix_review_comments_assessment", "assessment_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("assessments.id", ondelete="CASCADE", name="fk_review_comments_assessment")
    )
    question_id: Mapped[str | None] = mapped_column(String(128))
    parent_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("review_comments.id", name="fk_review_comments_parent")
    )
    author: Mapped[str] = mapped_column(String(200))
    author_role: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StatusChangeRow(Base):
    """One step of the review workflow: who moved the assessment from which status to which, when, why."""

    __tablename__ = "status_history"
    __table_args__ = (
        Index("ix_status_history_assessment", "assessment_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("assessments.id", ondelete="CASCADE", name="fk_status_history_assessment")
    )
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(Text)


class EvidenceDocumentRow(Base):
    """A document attached to one answer as evidence (a decision, a plan, a report). The bytes live
    in the database with their SHA-256; see `storage.evidence` for why."""

    __tablename__ = "evidence_documents"
    __table_args__ = (
        Index("ix_evidence_documents_answer", "assessment_id", "question_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("assessments.id", ondelete="CASCADE", name="fk_evidence_documents_assessment")
    )
    question_id: Mapped[str] = mapped_column(String(128))
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    uploaded_by: Mapped[str] = mapped_column(String(200))


class AssessmentResultRow(Base):
    """One assessment's scores under one scoring (questionnaire, rubric and targets by id and
    version: `scoring_key`), computed from content whose hash is `content_stamp`. Per-year and
    per-dimension values are packed little-endian float64 arrays in the content's order (years ×
    (met, gap, light, indicators met, indicators total); dimensions × (score, level, rated);
    indicators), valid only while the stamp matches: `storage.results` reads them in one pass."""

    __tablename__ = "assessment_results"
    __table_args__ = (Index("ix_assessment_results_key", "scoring_key", "assessment_id"),)

    assessment_id: Mapped[int] = mapped_column(
        Integer,
        ForeignKey("assessments.id", ondelete="CASCADE", name="fk_assessment_results_assessment"),
        primary_key=True,
    )
    scoring_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    content_stamp: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    overall_score: Mapped[float | None] = mapped_column(Float)
    overall_level: Mapped[float | None] = mapped_column(Float)
    overall_gated_level: Mapped[float | None] = mapped_column(Float)
    overall_continuous_level: Mapped[float | None] = mapped_column(Float)
    rated: Mapped[bool] = mapped_column(Boolean)
    answered: Mapped[int] = mapped_column(Integer)
    na: Mapped[int] = mapped_column(Integer)
    dont_know: Mapped[int] = mapped_column(Integer)
    unanswered: Mapped[int] = mapped_column(Integer)
    targets: Mapped[bytes] = mapped_column(LargeBinary)
    dimensions: Mapped[bytes] = mapped_column(LargeBinary)
    indicators: Mapped[bytes] = mapped_column(LargeBinary)


class RoundDeadlineRow(Base):
    """A round: the date by which agencies are asked to submit it (shown on every page) and, for a
    round opened on the administrator's page, its questionnaire version and when it was closed."""

    __tablename__ = "round_deadlines"

    round: Mapped[str] = mapped_column(String(32), primary_key=True)
    deadline: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(200))
    questionnaire_id: Mapped[str | None] = mapped_column(String(64))
    questionnaire_version: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(200))


class DimensionCommentRow(Base):
    """The agency's own comment on one dimension of its assessment (context for the reviewer and
    the record: what is planned, what is special about the agency)."""

    __tablename__ = "dimension_comments"

    assessment_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("assessments.id", ondelete="CASCADE", name="fk_dimension_comments_assessment"),
        primary_key=True,
    )
    dimension_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    comment: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(200))


class RegisterCommuneRow(Base):
    """A commune of the uploaded commune register (who is expected to answer); replaced whole by
    each upload (`storage.commune_register`)."""

    __tablename__ = "register_communes"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    province: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    uploaded_by: Mapped[str] = mapped_column(String(200))
