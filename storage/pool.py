"""The connection pool of each engine: how many database connections one app process keeps and
how long a session waits for one (env `DMM_DB_POOL_SIZE`, `DMM_DB_MAX_OVERFLOW`,
`DMM_DB_POOL_TIMEOUT`; docs/DEPLOYMENT.md).

A Streamlit process runs each session's script in a thread, and a save or a page's read holds a
connection for a few milliseconds, so a handful of connections serves many sessions. When all are
taken for longer than the timeout (a process overloaded far past its core, PostgreSQL stalled),
the waiting call fails at once with `DatabaseBusy`, a `StorageError` the pages show as "not saved,
try again", rather than a SQLAlchemy traceback after half a minute.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exc
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

from storage.errors import DatabaseBusy, StorageError

DEFAULT_POOL_SIZE = 10
DEFAULT_MAX_OVERFLOW = 10
DEFAULT_POOL_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class PoolSettings:
    size: int = DEFAULT_POOL_SIZE
    """Connections kept open between uses."""
    max_overflow: int = DEFAULT_MAX_OVERFLOW
    """Extra connections opened under load and closed when returned."""
    timeout_s: float = DEFAULT_POOL_TIMEOUT_S
    """How long a call waits for a free connection before `DatabaseBusy`."""

    @classmethod
    def from_env(cls) -> PoolSettings:
        return cls(
            size=_number("DMM_DB_POOL_SIZE", DEFAULT_POOL_SIZE, int, 1),
            max_overflow=_number("DMM_DB_MAX_OVERFLOW", DEFAULT_MAX_OVERFLOW, int, 0),
            timeout_s=_number("DMM_DB_POOL_TIMEOUT", DEFAULT_POOL_TIMEOUT_S, float, 0.001),
        )

    def engine_arguments(self) -> dict[str, Any]:
        """`create_engine` arguments for a pooled engine (PostgreSQL, a SQLite file)."""
        return {
            "poolclass": BoundedQueuePool,
            "pool_size": self.size,
            "max_overflow": self.max_overflow,
            "pool_timeout": self.timeout_s,
        }


def _number(name: str, default: float, kind: type[int] | type[float], least: float) -> Any:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or value < least:
        kind_words = "a whole number" if kind is int else "a number of seconds"
        raise StorageError(f"{name}={raw!r}: give {kind_words} of at least {least:g} (default {default:g})")
    return value


class BoundedQueuePool(QueuePool):
    """SQLAlchemy's `QueuePool` whose exhaustion raises `DatabaseBusy` with a plain message."""

    def _do_get(self) -> ConnectionPoolEntry:
        try:
            return super()._do_get()
        except exc.TimeoutError as error:
            size, overflow, timeout = self.size(), self._max_overflow, self._timeout
            raise DatabaseBusy(
                f"The database is busy: all {size + max(overflow, 0)} connections of this app process stayed in "
                f"use for {timeout:g} s, so this step was not carried out and nothing was changed. Try again in "
                "a moment. (Administrators: a process serving more sessions than its CPU keeps up with needs more "
                "app processes; the pool is set by DMM_DB_POOL_SIZE, DMM_DB_MAX_OVERFLOW and DMM_DB_POOL_TIMEOUT, "
                "see docs/DEPLOYMENT.md.)"
            ) from error
