"""One SQLAlchemy engine per database URL, shared by every `Store` in the process.

SQLite connections get `journal_mode=WAL`, `busy_timeout=5000` and `foreign_keys=ON`. They are put
in driver autocommit mode and SQLAlchemy emits `BEGIN` itself (the recipe from SQLAlchemy's SQLite
notes), so DDL is transactional and a writer can ask for `BEGIN IMMEDIATE` through the execution
option `dmm_sqlite_begin`: a write transaction then takes SQLite's write lock at its start and
waits for it (busy_timeout) instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from storage.config import normalise_url
from storage.migrations import migrate

_engines: dict[str, Engine] = {}
_migrated: set[str] = set()
_lock = threading.RLock()


def engine_for(url: str) -> Engine:
    """The shared engine for `url` (created on first use)."""
    key = normalise_url(url)
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _create(key)
            _engines[key] = engine
        return engine


def ensure_migrated(url: str) -> Engine:
    """The shared engine for `url`, its schema brought up to date once per process."""
    key = normalise_url(url)
    engine = engine_for(key)
    with _lock:
        if key not in _migrated:
            migrate(engine)
            _migrated.add(key)
    return engine


def dispose_engine(url: str) -> None:
    """Close the pooled connections of `url` and forget its engine (tests; a simulated restart)."""
    key = normalise_url(url)
    with _lock:
        engine = _engines.pop(key, None)
        _migrated.discard(key)
    if engine is not None:
        engine.dispose()


def dispose_all_engines() -> None:
    with _lock:
        urls = list(_engines)
    for url in urls:
        dispose_engine(url)


def _create(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5.0})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see below
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA busy_timeout=5000")  # first: switching to WAL may wait for a lock
            cursor.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL survives an application crash or restart; only a power loss may drop
            # the last commit. It halves the time of saving one answer.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get("dmm_sqlite_begin", "BEGIN"))
