"""Throw-away databases for tests and benchmarks: a temporary SQLite file, or a fresh schema in
an existing PostgreSQL server (dropped afterwards), so runs never see each other's data."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from storage.config import normalise_url, sqlite_url
from storage.engine import dispose_engine


@contextmanager
def scratch_sqlite(path: str | Path | None = None) -> Iterator[str]:
    """The URL of a SQLite file: `path` if given (kept), else a temporary one (deleted)."""
    if path is not None:
        url = sqlite_url(path)
        try:
            yield url
        finally:
            dispose_engine(url)
        return
    with tempfile.TemporaryDirectory() as folder:
        url = sqlite_url(Path(folder) / "scratch.sqlite3")
        try:
            yield url
        finally:
            dispose_engine(url)


@contextmanager
def scratch_postgres_schema(base_url: str, prefix: str = "dmm_scratch") -> Iterator[str]:
    """A URL whose search_path is a new schema in the PostgreSQL of `base_url`; dropped on exit."""
    base = normalise_url(base_url)
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    try:
        yield url
    finally:
        dispose_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
