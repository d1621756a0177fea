"""Migrations 10 and 11: the answers table for bulk loads, the same rules as before on both databases.

SQLite: answers become a WITHOUT ROWID table. PostgreSQL: the foreign key to assessments is enforced
by statement-level triggers (one set-based check per statement instead of one query per row). Tested
on a database holding answers from before the migration, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from storage import LATEST_VERSION, MIGRATIONS, current_version, migrate
from storage.bulk import Same, bulk_insert
from storage.engine import engine_for
from storage.migrations import schema_version
from storage.schema import AnswerRow

STAMP = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


def _migrated_to(engine: Engine, version: int) -> None:
    with engine.begin() as conn:
        schema_version.create(conn)
        for step in MIGRATIONS[:version]:
            step.apply(conn)
            conn.execute(schema_version.insert().values(version=step.version, name=step.name, applied_at=STAMP))


def _seed(conn: Connection) -> None:
    """Two assessments (the second without answers) and three answers, as an older program wrote them."""
    conn.execute(text("INSERT INTO agencies (id, name, type, created_at) VALUES ('hn', 'Hà Nội', 'province', :at)"),
                 {"at": STAMP})
    for id_, round_ in ((1, "2025"), (2, "2026")):
        conn.execute(text(
            "INSERT INTO assessments (id, agency_id, round, questionnaire_id, questionnaire_version, status,"
            " created_at, updated_at, revision) VALUES (:id, 'hn', :round, 'dmm-vn', '2.0.0', 'draft', :at, :at, 3)"),
            {"id": id_, "round": round_, "at": STAMP})
    for question, value, reason, version in (("gov.q1", "3", None, 1), ("gov.q2", "na", "không áp dụng", 2),
                                             ("gov.q3", None, None, 3)):
        conn.execute(text(
            "INSERT INTO answers (assessment_id, question_id, value, na_reason, updated_at, version)"
            " VALUES (1, :q, :v, :r, :at, :version)"), {"q": question, "v": value, "r": reason, "at": STAMP,
                                                        "version": version})


def _answers(conn: Connection) -> list[tuple[object, ...]]:
    return [tuple(r) for r in conn.execute(text(
        "SELECT assessment_id, question_id, value, na_reason, evidence, version FROM answers"
        " ORDER BY assessment_id, question_id"))]


def _refused_as_missing_assessment(error: BaseException) -> bool:
    message = str(error)
    return "FOREIGN KEY constraint failed" in message or "fk_answers_assessment" in message


@pytest.fixture
def upgraded(db_url: str) -> Engine:
    """A database at schema 9 with answers in it, then migrated by the program (steps 10 and 11)."""
    engine = engine_for(db_url)
    _migrated_to(engine, 9)
    with engine.begin() as conn:
        _seed(conn)
    assert migrate(engine) == LATEST_VERSION - 9
    return engine


def test_existing_answers_survive_the_migration(upgraded: Engine) -> None:
    with upgraded.connect() as conn:
        assert current_version(conn) == LATEST_VERSION
        assert _answers(conn) == [(1, "gov.q1", "3", None, None, 1), (1, "gov.q2", "na", "không áp dụng", None, 2),
                                  (1, "gov.q3", None, None, None, 3)]
        if conn.dialect.name == "sqlite":
            sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'answers'")).scalar_one()
            assert sql.rstrip().endswith("WITHOUT ROWID")


def test_one_answer_per_question_still(upgraded: Engine) -> None:
    with pytest.raises(DBAPIError), upgraded.begin() as conn:
        conn.execute(text("INSERT INTO answers (assessment_id, question_id, value, updated_at) "
                          "VALUES (1, 'gov.q1', '4', :at)"), {"at": STAMP})


def test_an_answer_needs_its_assessment(upgraded: Engine) -> None:
    with pytest.raises(DBAPIError) as refused, upgraded.begin() as conn:
        conn.execute(text("INSERT INTO answers (assessment_id, question_id, value, updated_at) "
                          "VALUES (2, 'gov.q1', '4', :at), (99, 'gov.q1', '4', :at)"), {"at": STAMP})
    assert _refused_as_missing_assessment(refused.value)
    with pytest.raises(DBAPIError) as moved, upgraded.begin() as conn:
        conn.execute(text("UPDATE answers SET assessment_id = 99 WHERE question_id = 'gov.q1'"))
    assert _refused_as_missing_assessment(moved.value)
    with upgraded.connect() as conn:
        assert len(_answers(conn)) == 3  # nothing of either statement stayed


def test_a_bulk_insert_naming_a_missing_assessment_stores_nothing(upgraded: Engine) -> None:
    table = AnswerRow.__table__
    with pytest.raises(Exception) as refused, upgraded.begin() as conn:
        bulk_insert(conn, table, {  # type: ignore[arg-type]
            "assessment_id": [2] * 500 + [77], "question_id": [f"q{i}" for i in range(501)],
            "value": ["2"] * 501, "updated_at": Same(STAMP), "version": Same(1)})
    assert _refused_as_missing_assessment(refused.value)
    assert isinstance(refused.value, IntegrityError)  # as SQLAlchemy raises it, on both databases
    with upgraded.begin() as conn:
        bulk_insert(conn, table, {  # type: ignore[arg-type]
            "assessment_id": [2] * 500, "question_id": [f"q{i}" for i in range(500)],
            "value": ["2"] * 500, "updated_at": Same(STAMP), "version": Same(1)})
        assert len(_answers(conn)) == 503


def test_deleting_an_assessment_deletes_its_answers_and_an_answered_id_stays(upgraded: Engine) -> None:
    with pytest.raises(DBAPIError), upgraded.begin() as conn:
        conn.execute(text("UPDATE assessments SET id = 50 WHERE id = 1"))
    with upgraded.begin() as conn:
        conn.execute(text("UPDATE assessments SET id = 60 WHERE id = 2"))  # no answers: allowed
        conn.execute(text("DELETE FROM assessments WHERE id = 1"))
        assert _answers(conn) == []


def test_an_assessment_being_answered_cannot_be_deleted_before_the_commit(db_url: str) -> None:
    """The set-based check locks the assessments it checked, as a foreign key does (PostgreSQL)."""
    engine = engine_for(db_url)
    migrate(engine)
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    with engine.begin() as conn:
        _seed(conn)
    with engine.connect() as writer, engine.connect() as other, writer.begin():
        writer.execute(text("INSERT INTO answers (assessment_id, question_id, value, updated_at) "
                            "VALUES (2, 'gov.q1', '4', :at)"), {"at": STAMP})
        with pytest.raises(DBAPIError, match="lock timeout"), other.begin():
            other.execute(text("SET LOCAL lock_timeout = '300ms'"))
            other.execute(text("DELETE FROM assessments WHERE id = 2"))
    with engine.connect() as conn:
        assert (2, "gov.q1", "4", None, None, 1) in _answers(conn)
