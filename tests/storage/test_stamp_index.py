"""The coordinators' change stamp is read on every page run: the database answers it from an index
alone (migration 9), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import event, text

from storage import Scope, Store
from storage.stamps import locked_change_stamp

NATIONAL = Scope.national()


def _plan(store: Store) -> str:
    """The database's plan for the national change-stamp query, as one text."""
    compiled: list[str] = []

    def keep(conn: object, cursor: object, statement: str, parameters: object, context: object,
             executemany: bool) -> tuple[str, object]:
        if "count(" in statement.lower():
            compiled.append(statement)
        return statement, parameters

    event.listen(store.engine, "before_cursor_execute", keep, retval=True)
    try:
        locked_change_stamp(store, NATIONAL)
    finally:
        event.remove(store.engine, "before_cursor_execute", keep)
    (statement,) = compiled
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            literal = statement.replace("?", "'submitted'")
            rows = conn.execute(text(f"EXPLAIN QUERY PLAN {literal}")).all()
            return "\n".join(str(r[-1]) for r in rows)
        # A tiny, never vacuumed test table is otherwise read whole or through a bitmap.
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        conn.execute(text("SET LOCAL enable_bitmapscan = off"))
        literal = statement.replace("%(status_1_1)s", "'submitted'").replace("%(status_1_2)s", "'accepted'")
        return "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {literal}")).all())


def test_the_change_stamp_is_read_from_a_covering_index(db_url: str) -> None:
    store = Store(db_url)
    plan = _plan(store)
    if store.engine.dialect.name == "sqlite":
        assert "COVERING INDEX ix_assessments_status_changed" in plan, plan
    else:
        assert "Index Only Scan using ix_assessments_status_changed" in plan, plan
