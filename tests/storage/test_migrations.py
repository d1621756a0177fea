"""Migrations: automatic, idempotent, the same on both databases, and in step with storage.schema."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, inspect, select, text

from storage import LATEST_VERSION, MIGRATIONS, SchemaTooNew, Store, current_version, migrate
from storage.engine import engine_for
from storage.migrations import schema_version
from storage.schema import Base


def test_migrating_an_empty_database_then_again_is_a_no_op(db_url: str) -> None:
    engine = engine_for(db_url)
    with engine.connect() as conn:
        assert current_version(conn) == 0
    assert migrate(engine) == len(MIGRATIONS)
    assert migrate(engine) == 0
    with engine.connect() as conn:
        assert current_version(conn) == LATEST_VERSION == MIGRATIONS[-1].version
        recorded = conn.execute(select(schema_version.c.version).order_by(schema_version.c.version)).scalars()
        assert list(recorded) == [m.version for m in MIGRATIONS]


def test_a_store_migrates_at_startup(db_url: str) -> None:
    store = Store(db_url)
    with store.engine.connect() as conn:
        assert current_version(conn) == LATEST_VERSION


def test_two_processes_starting_at_once_migrate_once(db_url: str) -> None:
    engine = engine_for(db_url)
    applied: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            applied.append(migrate(engine))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(applied) == [0, len(MIGRATIONS)]


def test_the_migrated_database_matches_storage_schema(db_url: str) -> None:
    engine = Store(db_url).engine
    inspector = inspect(engine)
    assert set(inspector.get_table_names()) == set(Base.metadata.tables)
    for name, table in Base.metadata.tables.items():
        columns = {c["name"]: c for c in inspector.get_columns(name)}
        assert set(columns) == {c.name for c in table.columns}, name
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable, f"{name}.{column.name}"
        assert set(inspector.get_pk_constraint(name)["constrained_columns"]) == {
            c.name for c in table.primary_key
        }
        foreign = {
            (tuple(fk["constrained_columns"]), fk["referred_table"])
            for fk in inspector.get_foreign_keys(name)
        }
        declared = {
            (tuple(c.name for c in fk.columns), fk.referred_table.name)
            for fk in table.foreign_key_constraints
        }
        if name == "answers" and engine.dialect.name == "postgresql":  # statement triggers (migration 10)
            declared.discard((("assessment_id",), "assessments"))
            assert _answer_triggers(engine) == PG_ANSWER_TRIGGERS
        assert foreign == declared, name
        indexes = {i["name"] for i in inspector.get_indexes(name)}
        assert {i.name for i in table.indexes} <= indexes, name
    unique = inspector.get_unique_constraints("assessments")
    assert [sorted(u["column_names"]) for u in unique] == [["agency_id", "questionnaire_id", "round"]]


PG_ANSWER_TRIGGERS = {
    ("answers", "answers_need_assessment"),
    ("answers", "answers_move_needs_assessment"),
    ("assessments", "assessments_delete_answers"),
    ("assessments", "assessments_answered_ids_stay"),
}


def _answer_triggers(engine: Engine) -> set[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"))
        return {(r[0], r[1]) for r in rows}


def test_a_database_from_a_newer_program_is_refused(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO schema_version (version, name, applied_at) VALUES (:v, 'future', :at)"),
            {"v": LATEST_VERSION + 1, "at": "2030-01-01 00:00:00"},
        )
    with pytest.raises(SchemaTooNew, match="newer than this program"):
        migrate(engine)
