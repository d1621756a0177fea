"""One SQLAlchemy engine per database URL, shared by every `Store` in the process.

SQLite connections get `busy_timeout` (set first, before any statement that may need a lock),
`journal_mode=WAL` and `foreign_keys=ON`. They are put in driver autocommit mode and SQLAlchemy
emits `BEGIN` itself (the recipe from SQLAlchemy's SQLite notes), so DDL is transactional and a
writer can ask for `BEGIN IMMEDIATE` through the execution option `dmm_sqlite_begin`: a write
transaction then takes SQLite's write lock at its start and waits for it (busy_timeout) instead of
failing half-way with "database is locked".

Several processes on one SQLite file (several app processes, CLI runs, tests): SQLite does not call
the busy handler where waiting could deadlock, which is exactly the case of two connections
switching a NEW file to WAL at once (each holds a read lock and wants the exclusive one). So the
switch is made only when the file is not in WAL yet, and the first connection and the migrations
of a process run under an exclusive file lock (`<file>.lock`, fcntl), one process at a time; the
switch is also retried on SQLITE_BUSY, the one place where SQLite documents that retrying is
needed. Once the file is in WAL (a persistent setting), connections never need that lock.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from storage.config import normalise_url
from storage.migrations import migrate
from storage.pool import PoolSettings

SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for another process's write to finish (a save takes milliseconds;
the margin covers a busy machine) before "database is locked"."""
WAL_SWITCH_ATTEMPTS = 50

_engines: dict[str, Engine] = {}
_migrated: set[str] = set()
_lock = threading.RLock()


def _forget_inherited_engines() -> None:
    """In a forked child: never use the parent's pooled connections (SQLAlchemy's advice:
    `dispose(close=False)`), start with fresh engines and a fresh lock."""
    global _lock
    _lock = threading.RLock()
    for engine in _engines.values():
        engine.dispose(close=False)
    _engines.clear()
    _migrated.clear()


os.register_at_fork(after_in_child=_forget_inherited_engines)


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
            with _sqlite_file_lock(engine):
                migrate(engine)
            _migrated.add(key)
    return engine


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """An exclusive lock on `<database file>.lock` (other processes wait); a no-op for other
    databases and for in-memory SQLite."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    import fcntl

    lock_path = Path(database).with_name(Path(database).name + ".lock")
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


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
    """A new engine; its pool as `PoolSettings.from_env()` says (an in-memory SQLite keeps
    SQLAlchemy's own pool: one database per connection)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        in_memory = database in ("", ":memory:") or "mode=memory" in database + str(parsed.query)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            **({} if in_memory else PoolSettings.from_env().engine_arguments()),
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **PoolSettings.from_env().engine_arguments())


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see below
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")  # first: later statements may wait
            _ensure_wal(cursor)
            # With WAL, NORMAL survives an application crash or restart; only a power loss may drop
            # the last commit. It halves the time of saving one answer.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get("dmm_sqlite_begin", "BEGIN"))


def _ensure_wal(cursor: Any) -> None:
    """Put the file in WAL mode unless it already is (a persistent setting, normally made once by
    the first process under the file lock). SQLite returns SQLITE_BUSY without waiting when two
    connections make this switch at once (waiting could deadlock), so that case is retried."""
    if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    for attempt in range(WAL_SWITCH_ATTEMPTS):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == WAL_SWITCH_ATTEMPTS - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
