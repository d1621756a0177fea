"""Which database to use.

In order of precedence:

1. env `DATABASE_URL` (PostgreSQL; `postgres://` and `postgresql://` become `postgresql+psycopg://`);
2. `.streamlit/secrets.toml` (relative to the working directory): `[connections.sql] url = "..."`,
   or a top-level `database_url = "..."`;
3. an embedded SQLite file: env `DMM_SQLITE_PATH`, default `data/dmm.sqlite3` relative to the
   working directory (its folder is created).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from storage.errors import StorageError

DEFAULT_SQLITE_PATH = Path("data") / "dmm.sqlite3"
SECRETS_PATH = Path(".streamlit") / "secrets.toml"


def normalise_url(url: str) -> str:
    """Make a PostgreSQL URL use the psycopg 3 driver; leave every other URL as it is."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_url(path: str | os.PathLike[str]) -> str:
    """The SQLAlchemy URL of a SQLite file, creating the file's folder if needed."""
    file = Path(path).expanduser().resolve()
    file.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{file}"


def resolve_database_url() -> str:
    """The database URL this process should use (see the module docstring for the order)."""
    from_env = os.environ.get("DATABASE_URL", "").strip()
    if from_env:
        return normalise_url(from_env)
    from_secrets = _url_from_secrets(Path.cwd() / SECRETS_PATH)
    if from_secrets:
        return normalise_url(from_secrets)
    return sqlite_url(os.environ.get("DMM_SQLITE_PATH", "").strip() or DEFAULT_SQLITE_PATH)


def _url_from_secrets(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            secrets = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise StorageError(f"{path} is not valid TOML ({error}); fix it or remove it to use SQLite") from None
    connections = secrets.get("connections")
    if isinstance(connections, dict):
        sql = connections.get("sql")
        if isinstance(sql, dict) and isinstance(sql.get("url"), str) and sql["url"].strip():
            return str(sql["url"])
    database_url = secrets.get("database_url")
    if isinstance(database_url, str) and database_url.strip():
        return database_url
    return None
