"""Versioned schema migrations, the same on SQLite and PostgreSQL, applied automatically.

The database records the steps it has had in `schema_version` (one row per step). `migrate(engine)`
applies the missing steps in order, each recorded in the same transaction as its DDL, so a crash
half-way leaves the database at the last complete step. Running it again is a no-op.

To change the schema: append a `Migration` with the next version number to `MIGRATIONS` (never
edit a step that has shipped), and change `storage.schema` to match. A step's DDL is written out
in the step itself, not taken from `storage.schema`, because the ORM classes describe only the
latest shape. `tests/storage` checks that the migrated database matches `storage.schema`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
)

from storage.errors import SchemaTooNew
from storage.schema import UTCDateTime, utcnow


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


_version_meta = MetaData()
schema_version = Table(
    "schema_version",
    _version_meta,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", UTCDateTime(), nullable=False),
)


def _m001_initial(conn: Connection) -> None:
    meta = MetaData()
    Table(
        "agencies",
        meta,
        Column("id", String(64), primary_key=True),
        Column("name", Text, nullable=False),
        Column("type", String(16), nullable=False),
        Column("province", String(64), nullable=True),
        Column("created_at", UTCDateTime(), nullable=False),
        CheckConstraint("type IN ('ministry', 'province', 'commune')", name="ck_agencies_type"),
        Index("ix_agencies_province", "province"),
    )
    Table(
        "assessments",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(
            "agency_id", String(64), ForeignKey("agencies.id", name="fk_assessments_agency"), nullable=False
        ),
        Column("round", String(32), nullable=False),
        Column("questionnaire_id", String(64), nullable=False),
        Column("questionnaire_version", String(32), nullable=False),
        Column("status", String(16), nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("updated_at", UTCDateTime(), nullable=False),
        Column("submitted_at", UTCDateTime(), nullable=True),
        UniqueConstraint(
            "agency_id", "round", "questionnaire_id", name="uq_assessments_agency_round_questionnaire"
        ),
        CheckConstraint("status IN ('draft', 'submitted')", name="ck_assessments_status"),
        Index("ix_assessments_status_round", "status", "round"),
        sqlite_autoincrement=True,
    )
    Table(
        "answers",
        meta,
        Column(
            "assessment_id",
            Integer,
            ForeignKey("assessments.id", ondelete="CASCADE", name="fk_answers_assessment"),
            primary_key=True,
        ),
        Column("question_id", String(128), primary_key=True),
        Column("value", Text, nullable=True),
        Column("na_reason", Text, nullable=True),
        Column("evidence", Text, nullable=True),
        Column("updated_at", UTCDateTime(), nullable=False),
    )
    Table(
        "audit_log",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("at", UTCDateTime(), nullable=False),
        Column("actor", String(200), nullable=False),
        Column("action", String(32), nullable=False),
        Column("agency_id", String(64), nullable=True),
        Column("assessment_id", Integer, nullable=True),
        Column("question_id", String(128), nullable=True),
        Column("old_value", Text, nullable=True),
        Column("new_value", Text, nullable=True),
        Column("detail", Text, nullable=True),
        Index("ix_audit_log_agency", "agency_id", "at"),
        Index("ix_audit_log_assessment", "assessment_id", "at"),
        sqlite_autoincrement=True,
    )
    meta.create_all(conn, checkfirst=False)


def _m002_answer_versions(conn: Connection) -> None:
    """Optimistic versioning: every answer row carries the version it was last written at, drawn
    from its assessment's `revision` counter (so a version is never reused, even after a row was
    deleted and written again). Existing rows start at version 1 and their assessments at revision 1."""
    conn.execute(text("ALTER TABLE assessments ADD COLUMN revision INTEGER NOT NULL DEFAULT 0"))
    conn.execute(text("ALTER TABLE answers ADD COLUMN version INTEGER NOT NULL DEFAULT 1"))
    conn.execute(text("UPDATE assessments SET revision = 1"))


def _m003_accounts_and_review(conn: Connection) -> None:
    # The review workflow adds two statuses. PostgreSQL swaps the CHECK constraint; SQLite cannot
    # alter one, but a looser CHECK does not change the stored rows, so the table's recorded SQL is
    # rewritten in place (the procedure SQLite's ALTER TABLE documentation gives for such changes).
    old_check = "'draft', 'submitted')"
    new_check = "'draft', 'submitted', 'returned', 'accepted')"
    if conn.dialect.name == "sqlite":
        version = int(conn.exec_driver_sql("PRAGMA schema_version").scalar_one())
        conn.exec_driver_sql("PRAGMA writable_schema=ON")
        conn.execute(
            text(
                "UPDATE sqlite_master SET sql = replace(sql, :old, :new) "
                "WHERE type = 'table' AND name = 'assessments'"
            ),
            {"old": old_check, "new": new_check},
        )
        conn.exec_driver_sql(f"PRAGMA schema_version={version + 1}")
        conn.exec_driver_sql("PRAGMA writable_schema=OFF")
    else:
        conn.execute(text("ALTER TABLE assessments DROP CONSTRAINT ck_assessments_status"))
        conn.execute(
            text(f"ALTER TABLE assessments ADD CONSTRAINT ck_assessments_status CHECK (status IN ({new_check})")
        )
    meta = MetaData()
    Table("assessments", meta, Column("id", Integer, primary_key=True))
    Table(
        "users",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("email", String(254), nullable=False),
        Column("sub", String(255), nullable=True),
        Column("display_name", Text, nullable=True),
        Column("role", String(16), nullable=False),
        Column("scope", String(80), nullable=False),
        Column("active", Boolean, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("updated_at", UTCDateTime(), nullable=False),
        CheckConstraint(
            "role IN ('respondent', 'it_lead', 'reviewer', 'coordinator', 'trainer', 'admin')", name="ck_users_role"
        ),
        UniqueConstraint("email", name="uq_users_email"),
        UniqueConstraint("sub", name="uq_users_sub"),
        sqlite_autoincrement=True,
    )
    Table(
        "assignments",
        meta,
        Column(
            "assessment_id",
            Integer,
            ForeignKey("assessments.id", ondelete="CASCADE", name="fk_assignments_assessment"),
            primary_key=True,
        ),
        Column("dimension_id", String(64), primary_key=True),
        Column("user_id", Integer, ForeignKey("users.id", name="fk_assignments_user"), primary_key=True),
        Column("assigned_by", String(200), nullable=False),
        Column("assigned_at", UTCDateTime(), nullable=False),
    )
    Table(
        "review_comments",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(
            "assessment_id",
            Integer,
            ForeignKey("assessments.id", ondelete="CASCADE", name="fk_review_comments_assessment"),
            nullable=False,
        ),
        Column("question_id", String(128), nullable=True),
        Column("parent_id", Integer, ForeignKey("review_comments.id", name="fk_review_comments_parent"), nullable=True),
        Column("author", String(200), nullable=False),
        Column("author_role", String(16), nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Index("ix_review_comments_assessment", "assessment_id", "id"),
        sqlite_autoincrement=True,
    )
    Table(
        "status_history",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(
            "assessment_id",
            Integer,
            ForeignKey("assessments.id", ondelete="CASCADE", name="fk_status_history_assessment"),
            nullable=False,
        ),
        Column("from_status", String(16), nullable=True),
        Column("to_status", String(16), nullable=False),
        Column("actor", String(200), nullable=False),
        Column("at", UTCDateTime(), nullable=False),
        Column("reason", Text, nullable=True),
        Index("ix_status_history_assessment", "assessment_id", "id"),
        sqlite_autoincrement=True,
    )
    for name in ("users", "assignments", "review_comments", "status_history"):
        meta.tables[name].create(conn, checkfirst=False)


def _m004_evidence_documents(conn: Connection) -> None:
    meta = MetaData()
    Table("assessments", meta, Column("id", Integer, primary_key=True))
    table = Table(
        "evidence_documents",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(
            "assessment_id",
            Integer,
            ForeignKey("assessments.id", ondelete="CASCADE", name="fk_evidence_documents_assessment"),
            nullable=False,
        ),
        Column("question_id", String(128), nullable=False),
        Column("file_name", String(255), nullable=False),
        Column("media_type", String(128), nullable=False),
        Column("size", Integer, nullable=False),
        Column("sha256", String(64), nullable=False),
        Column("content", LargeBinary, nullable=False),
        Column("uploaded_at", UTCDateTime(), nullable=False),
        Column("uploaded_by", String(200), nullable=False),
        Index("ix_evidence_documents_answer", "assessment_id", "question_id"),
        sqlite_autoincrement=True,
    )
    table.create(conn, checkfirst=False)


def _m005_results_and_deadlines(conn: Connection) -> None:
    """Persisted scores (one row per assessment and scoring: the coordinator reads these, never the
    answers) and each round's deadline."""
    meta = MetaData()
    Table("assessments", meta, Column("id", Integer, primary_key=True))
    Table(
        "assessment_results",
        meta,
        Column(
            "assessment_id",
            Integer,
            ForeignKey("assessments.id", ondelete="CASCADE", name="fk_assessment_results_assessment"),
            primary_key=True,
        ),
        Column("scoring_key", String(200), primary_key=True),
        Column("content_stamp", String(64), nullable=False),
        Column("computed_at", UTCDateTime(), nullable=False),
        Column("overall_score", Float, nullable=True),
        Column("overall_level", Float, nullable=True),
        Column("overall_gated_level", Float, nullable=True),
        Column("overall_continuous_level", Float, nullable=True),
        Column("rated", Boolean, nullable=False),
        Column("answered", Integer, nullable=False),
        Column("na", Integer, nullable=False),
        Column("dont_know", Integer, nullable=False),
        Column("unanswered", Integer, nullable=False),
        Column("targets", LargeBinary, nullable=False),
        Column("dimensions", LargeBinary, nullable=False),
        Column("indicators", LargeBinary, nullable=False),
        Index("ix_assessment_results_key", "scoring_key", "assessment_id"),
    )
    Table(
        "round_deadlines",
        meta,
        Column("round", String(32), primary_key=True),
        Column("deadline", Date, nullable=False),
        Column("note", Text, nullable=True),
        Column("updated_at", UTCDateTime(), nullable=False),
        Column("updated_by", String(200), nullable=False),
    )
    meta.tables["assessment_results"].create(conn)
    meta.tables["round_deadlines"].create(conn)


def _m006_dimension_comments(conn: Connection) -> None:
    meta = MetaData()
    Table("assessments", meta, Column("id", Integer, primary_key=True))
    table = Table(
        "dimension_comments",
        meta,
        Column(
            "assessment_id",
            Integer,
            ForeignKey("assessments.id", ondelete="CASCADE", name="fk_dimension_comments_assessment"),
            primary_key=True,
        ),
        Column("dimension_id", String(64), primary_key=True),
        Column("comment", Text, nullable=False),
        Column("updated_at", UTCDateTime(), nullable=False),
        Column("updated_by", String(200), nullable=False),
    )
    table.create(conn, checkfirst=False)


def _m007_round_records(conn: Connection) -> None:
    """A round opened by an administrator records the questionnaire version it is answered on, and
    when it was closed (no new drafts, no submissions). Rows from before (a deadline only) keep
    NULLs: such a round takes whatever version its agencies chose and is open."""
    stamp = DateTime(timezone=True).compile(dialect=conn.dialect)
    for column in ("questionnaire_id VARCHAR(64)", "questionnaire_version VARCHAR(32)", f"closed_at {stamp}",
                   "closed_by VARCHAR(200)"):
        conn.execute(text(f"ALTER TABLE round_deadlines ADD COLUMN {column}"))


def _m008_commune_register(conn: Connection) -> None:
    """The communes expected to answer, uploaded by a coordinator (the register's commune CSV):
    replaces the shipped stand-in for response tracking."""
    meta = MetaData()
    Table(
        "register_communes",
        meta,
        Column("id", String(64), primary_key=True),
        Column("name", Text, nullable=False),
        Column("province", String(64), nullable=False),
        Column("uploaded_at", UTCDateTime(), nullable=False),
        Column("uploaded_by", String(200), nullable=False),
    )
    meta.tables["register_communes"].create(conn)


def _m009_change_stamp_index(conn: Connection) -> None:
    """An index that covers the change-stamp query (`storage.stamps.locked_change_stamp`: per locked
    status, count, latest `updated_at` and highest id), read on every coordinator run: without it the
    query visits every locked assessment's table row (ten thousand with the national demo)."""
    conn.execute(text("CREATE INDEX ix_assessments_status_changed ON assessments (status, updated_at, id)"))


def _m010_answers_for_bulk_loads(conn: Connection) -> None:
    """The answers table, written 750,000 rows at a time by imports and the national demo.

    SQLite: rebuilt as a WITHOUT ROWID table (the primary key IS the table: one B-tree to write
    instead of the rows plus the key's index, a quarter smaller, answers of one assessment
    together). Same columns, keys and foreign key.

    PostgreSQL: the foreign key to assessments becomes triggers enforcing the same rule. A foreign
    key checks each inserted row with its own query (an after-row trigger): two thirds of a
    750,000-answer import. An INSERT is now checked as one set at the end of the statement: every
    referenced assessment locked once (FOR KEY SHARE, as the foreign key does, so that it cannot be
    deleted before the commit) and the statement refused (foreign_key_violation) if a row names no
    assessment. Moving an answer to another assessment is checked per row, deleting an assessment
    deletes its answers (ON DELETE CASCADE), and the id of an assessment with answers cannot change
    (NO ACTION); the row-level triggers fire only when an id changes, which the program never does."""
    if conn.dialect.name == "sqlite":
        conn.execute(text(
            "CREATE TABLE answers_keyed ("
            " assessment_id INTEGER NOT NULL,"
            " question_id VARCHAR(128) NOT NULL,"
            " value TEXT, na_reason TEXT, evidence TEXT,"
            " updated_at DATETIME NOT NULL,"
            " version INTEGER DEFAULT 1 NOT NULL,"
            " PRIMARY KEY (assessment_id, question_id),"
            " CONSTRAINT fk_answers_assessment FOREIGN KEY (assessment_id) REFERENCES assessments (id)"
            " ON DELETE CASCADE"
            ") WITHOUT ROWID"
        ))
        conn.execute(text(
            "INSERT INTO answers_keyed (assessment_id, question_id, value, na_reason, evidence, updated_at, version)"
            " SELECT assessment_id, question_id, value, na_reason, evidence, updated_at, version FROM answers"
        ))
        conn.execute(text("DROP TABLE answers"))
        conn.execute(text("ALTER TABLE answers_keyed RENAME TO answers"))
        return
    for statement in _ANSWERS_NEED_AN_ASSESSMENT:
        conn.execute(text(statement))


_ANSWERS_NEED_AN_ASSESSMENT = (
    "ALTER TABLE answers DROP CONSTRAINT fk_answers_assessment",
    """CREATE FUNCTION dmm_answers_need_assessment() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    DECLARE orphan integer;
    BEGIN
        PERFORM 1 FROM assessments s WHERE s.id IN (SELECT DISTINCT n.assessment_id FROM new_answers n)
            ORDER BY s.id FOR KEY SHARE OF s;
        SELECT n.assessment_id INTO orphan FROM new_answers n
            WHERE NOT EXISTS (SELECT 1 FROM assessments s WHERE s.id = n.assessment_id) LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'insert on table "answers" violates foreign key constraint %', 'fk_answers_assessment'
                USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_answers_assessment', TABLE = 'answers',
                      DETAIL = format('Key (assessment_id)=(%s) is not present in table "assessments".', orphan);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER answers_need_assessment AFTER INSERT ON answers
    REFERENCING NEW TABLE AS new_answers FOR EACH STATEMENT EXECUTE FUNCTION dmm_answers_need_assessment()""",
    """CREATE FUNCTION dmm_answer_moves_need_assessment() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    BEGIN
        PERFORM 1 FROM assessments s WHERE s.id = NEW.assessment_id FOR KEY SHARE OF s;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'update on table "answers" violates foreign key constraint %', 'fk_answers_assessment'
                USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_answers_assessment', TABLE = 'answers',
                      DETAIL = format('Key (assessment_id)=(%s) is not present in table "assessments".',
                                      NEW.assessment_id);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER answers_move_needs_assessment AFTER UPDATE OF assessment_id ON answers FOR EACH ROW
    WHEN (OLD.assessment_id IS DISTINCT FROM NEW.assessment_id) EXECUTE FUNCTION dmm_answer_moves_need_assessment()""",
    """CREATE FUNCTION dmm_assessments_delete_answers() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    BEGIN
        DELETE FROM answers a USING old_assessments o WHERE a.assessment_id = o.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER assessments_delete_answers AFTER DELETE ON assessments
    REFERENCING OLD TABLE AS old_assessments FOR EACH STATEMENT EXECUTE FUNCTION dmm_assessments_delete_answers()""",
    """CREATE FUNCTION dmm_answered_ids_stay() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM answers a WHERE a.assessment_id = OLD.id) THEN
            RAISE EXCEPTION 'update on table "assessments" violates foreign key constraint % on table "answers"',
                'fk_answers_assessment'
                USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_answers_assessment', TABLE = 'assessments',
                      DETAIL = format('Key (id)=(%s) is still referenced from table "answers".', OLD.id);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER assessments_answered_ids_stay AFTER UPDATE OF id ON assessments FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION dmm_answered_ids_stay()""",
)



def _m011_answers_key_check_by_ids(conn: Connection) -> None:
    """The set-based check of migration 10 over the DISTINCT assessment ids of an INSERT (one pass
    over the new rows to collect them, then one lookup per assessment, which also locks it) instead
    of a second pass that looked every new row up: a 750,000-answer import's check went from 0.9 s
    to 0.2 s of server time. PostgreSQL only; the rule and the error are unchanged."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(_ANSWERS_CHECKED_BY_IDS))


_ANSWERS_CHECKED_BY_IDS = """CREATE OR REPLACE FUNCTION dmm_answers_need_assessment() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    DECLARE ids integer[]; locked integer; orphan integer;
    BEGIN
        SELECT array_agg(DISTINCT n.assessment_id) INTO ids FROM new_answers n;
        SELECT count(*) INTO locked FROM (SELECT 1 FROM assessments s WHERE s.id = ANY (ids) ORDER BY s.id
                                          FOR KEY SHARE OF s) l;
        IF locked < coalesce(cardinality(ids), 0) THEN
            SELECT min(i) INTO orphan FROM unnest(ids) i WHERE NOT EXISTS (SELECT 1 FROM assessments s WHERE s.id = i);
            RAISE EXCEPTION 'insert on table "answers" violates foreign key constraint %', 'fk_answers_assessment'
                USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_answers_assessment', TABLE = 'answers',
                      DETAIL = format('Key (assessment_id)=(%s) is not present in table "assessments".', orphan);
        END IF;
        RETURN NULL;
    END $$"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "agencies, assessments, answers and audit_log", _m001_initial),
    Migration(2, "answer versions (optimistic concurrency)", _m002_answer_versions),
    Migration(3, "users, assignments, review comments, status history", _m003_accounts_and_review),
    Migration(4, "evidence documents per answer", _m004_evidence_documents),
    Migration(5, "persisted assessment results and round deadlines", _m005_results_and_deadlines),
    Migration(6, "the agency's comment per dimension", _m006_dimension_comments),
    Migration(7, "round records: questionnaire version and closing", _m007_round_records),
    Migration(8, "the commune register uploaded by a coordinator", _m008_commune_register),
    Migration(9, "an index covering the coordinators' change stamp", _m009_change_stamp_index),
    Migration(10, "answers for bulk loads (SQLite: WITHOUT ROWID; PostgreSQL: set-based key check)",
              _m010_answers_for_bulk_loads),
    Migration(11, "answers' key check over distinct assessment ids (PostgreSQL)", _m011_answers_key_check_by_ids),
)
LATEST_VERSION = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    """The schema version of the database behind `conn` (0 for an empty database)."""
    if not conn.dialect.has_table(conn, "schema_version"):
        return 0
    return int(conn.execute(select(func.coalesce(func.max(schema_version.c.version), 0))).scalar_one())


def migrate(engine: Engine) -> int:
    """Bring the database up to `LATEST_VERSION`; return how many steps were applied.

    Safe to call from several processes at once: PostgreSQL takes an advisory lock, SQLite an
    immediate (write) transaction, so the second caller waits and then finds nothing to do.
    """
    _check_ordered(MIGRATIONS)
    with engine.connect() as conn:
        conn.execution_options(dmm_sqlite_begin="BEGIN IMMEDIATE")
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.dmm_migrate'))")
                )
            _version_meta.create_all(conn, checkfirst=True)
            version = current_version(conn)
            if version > LATEST_VERSION:
                raise SchemaTooNew(
                    f"The database is at schema version {version}, newer than this program knows "
                    f"({LATEST_VERSION}). Install the newer version of the program that last used it."
                )
            pending = [m for m in MIGRATIONS if m.version > version]
            for step in pending:
                step.apply(conn)
                conn.execute(
                    schema_version.insert().values(version=step.version, name=step.name, applied_at=utcnow())
                )
    return len(pending)


def _check_ordered(migrations: tuple[Migration, ...]) -> None:
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"storage.migrations: versions must be 1, 2, 3, ... in order, got {versions}")
