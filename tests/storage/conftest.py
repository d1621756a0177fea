"""Fixtures for the storage tests: every `db_url` test runs on SQLite AND on PostgreSQL.

The PostgreSQL variant needs env DATABASE_URL (`DATABASE_URL=$(bash .ci/start-postgres.sh)`); without
it that variant is skipped, or FAILS when DMM_REQUIRE_POSTGRES=1 (so CI cannot skip it silently).
Each PostgreSQL test gets a fresh schema (dropped afterwards) and the migrations run inside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from scoring.schemas.response import Agency
from storage import Scope, Store, normalise_url
from storage.scratch import scratch_postgres_schema, scratch_sqlite

HOW_TO_START = "start one with: DATABASE_URL=$(bash .ci/start-postgres.sh) pytest tests/storage"

# The agencies of the stories: two provinces with communes, and a ministry.
AGENCIES = (
    Agency(id="hn", name="UBND Thành phố Hà Nội", type="province"),
    Agency(id="hn_ba_dinh", name="Phường Ba Đình", type="commune", province="hn"),
    Agency(id="hn_hoan_kiem", name="Phường Hoàn Kiếm", type="commune", province="hn"),
    Agency(id="hcm", name="UBND TP Hồ Chí Minh", type="province"),
    Agency(id="hcm_ben_thanh", name="Phường Bến Thành", type="commune", province="hcm"),
    Agency(id="btc", name="Bộ Tài chính", type="ministry"),
)
NATIONAL = Scope.national()
ACTOR = "coordinator@mic.gov.vn"


def _postgres_base_url() -> str:
    base = os.environ.get("DATABASE_URL", "").strip()
    required = os.environ.get("DMM_REQUIRE_POSTGRES") == "1"
    if not base:
        reason = f"PostgreSQL variant needs env DATABASE_URL, which is not set; {HOW_TO_START}"
        if required:
            pytest.fail(f"DMM_REQUIRE_POSTGRES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    base = normalise_url(base)
    if make_url(base).get_backend_name() != "postgresql":
        reason = f"PostgreSQL variant: DATABASE_URL is not a PostgreSQL URL ({make_url(base).drivername})"
        if required:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return base


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database: a fresh SQLite file, or a fresh schema in the PostgreSQL of DATABASE_URL."""
    if request.param == "sqlite":
        with scratch_sqlite(tmp_path_factory.mktemp("db") / "dmm.sqlite3") as url:
            yield url
        return
    with scratch_postgres_schema(_postgres_base_url(), prefix="dmm_test") as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


@pytest.fixture
def world(store: Store) -> Store:
    """A store holding the agencies of the stories."""
    for agency in AGENCIES:
        store.upsert_agency(agency, NATIONAL, ACTOR)
    return store
