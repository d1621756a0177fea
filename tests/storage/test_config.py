"""Which database: DATABASE_URL, then .streamlit/secrets.toml, then a SQLite file; and its settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from storage import Store, dispose_engine, normalise_url, resolve_database_url, sqlite_url
from storage.engine import SQLITE_BUSY_TIMEOUT_MS, engine_for


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DMM_SQLITE_PATH", raising=False)
    return tmp_path


def test_default_is_a_sqlite_file_in_data_whose_folder_is_created(here: Path) -> None:
    assert resolve_database_url() == f"sqlite:///{here / 'data' / 'dmm.sqlite3'}"
    assert (here / "data").is_dir()


def test_dmm_sqlite_path_chooses_the_file(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DMM_SQLITE_PATH", "var/db/x.sqlite3")
    assert resolve_database_url() == f"sqlite:///{here / 'var' / 'db' / 'x.sqlite3'}"
    assert (here / "var" / "db").is_dir()


def test_database_url_wins_and_is_given_the_psycopg_driver(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (here / ".streamlit").mkdir()
    (here / ".streamlit" / "secrets.toml").write_text('database_url = "postgresql://other/db"\n')
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db.example:5432/dmm")
    assert resolve_database_url() == "postgresql+psycopg://u:p@db.example:5432/dmm"
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/d")
    assert resolve_database_url() == "postgresql+psycopg://u@h/d"


def test_streamlit_secrets_connections_sql_url(here: Path) -> None:
    (here / ".streamlit").mkdir()
    (here / ".streamlit" / "secrets.toml").write_text(
        'database_url = "postgresql://fallback/db"\n[connections.sql]\nurl = "postgresql://app@pg:5432/dmm"\n'
    )
    assert resolve_database_url() == "postgresql+psycopg://app@pg:5432/dmm"


def test_streamlit_secrets_top_level_database_url(here: Path) -> None:
    (here / ".streamlit").mkdir()
    (here / ".streamlit" / "secrets.toml").write_text('database_url = "postgresql://app@pg/dmm"\n')
    assert resolve_database_url() == "postgresql+psycopg://app@pg/dmm"


def test_normalise_leaves_other_urls_alone() -> None:
    assert normalise_url("postgresql+psycopg://a/b") == "postgresql+psycopg://a/b"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "p.sqlite3")
    try:
        with engine_for(url).connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        dispose_engine(url)


def test_stores_of_one_url_share_one_engine(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "s.sqlite3")
    try:
        assert Store(url).engine is Store(url).engine
    finally:
        dispose_engine(url)


def test_store_without_url_uses_the_resolved_database(here: Path) -> None:
    store = Store()
    try:
        assert store.url == f"sqlite:///{here / 'data' / 'dmm.sqlite3'}"
        assert (here / "data" / "dmm.sqlite3").is_file()
    finally:
        dispose_engine(store.url)
