"""The connection pool of an app process: set by DMM_DB_POOL_SIZE / DMM_DB_MAX_OVERFLOW /
DMM_DB_POOL_TIMEOUT, and when every connection stays taken a save fails at once with a plain
"database is busy" message and writes nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import time

import pytest

from scoring.content import load_bundle
from storage import DatabaseBusy, Scope, StorageError, Store
from storage.pool import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_SIZE, PoolSettings
from tests.storage.conftest import ACTOR, AGENCIES, NATIONAL
from ui import journey

Q = "governance.strategy"


def test_the_pool_is_set_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DMM_DB_POOL_SIZE", "DMM_DB_MAX_OVERFLOW", "DMM_DB_POOL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    assert PoolSettings.from_env() == PoolSettings(DEFAULT_POOL_SIZE, DEFAULT_MAX_OVERFLOW, 10.0)
    monkeypatch.setenv("DMM_DB_POOL_SIZE", "3")
    monkeypatch.setenv("DMM_DB_MAX_OVERFLOW", "0")
    monkeypatch.setenv("DMM_DB_POOL_TIMEOUT", "2.5")
    assert PoolSettings.from_env() == PoolSettings(3, 0, 2.5)
    for name, bad in (("DMM_DB_POOL_SIZE", "0"), ("DMM_DB_MAX_OVERFLOW", "many"), ("DMM_DB_POOL_TIMEOUT", "-1")):
        monkeypatch.setenv(name, bad)
        with pytest.raises(StorageError, match=f"{name}='{bad}'"):
            PoolSettings.from_env()
        monkeypatch.setenv(name, "1")


def test_an_exhausted_pool_refuses_a_save_at_once_and_plainly(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DMM_DB_POOL_SIZE", "2")
    monkeypatch.setenv("DMM_DB_MAX_OVERFLOW", "0")
    monkeypatch.setenv("DMM_DB_POOL_TIMEOUT", "0.3")
    store = Store(db_url)  # the URL's engine is made here, with the pool above
    assert (store.engine.pool.size(), store.engine.pool.timeout()) == (2, 0.3)  # type: ignore[attr-defined]
    bundle = load_bundle()
    store.upsert_agency(AGENCIES[1], NATIONAL, ACTOR)
    assessment = store.create_assessment(AGENCIES[1].id, "2026", bundle.questionnaire.id,
                                         bundle.questionnaire.version, NATIONAL, ACTOR).id
    saved = journey.save_choice(store, bundle, assessment, Q, 2, None, NATIONAL, ACTOR)
    assert saved.saved

    with store.engine.connect(), store.engine.connect():  # two sessions hold both connections
        started = time.monotonic()
        with pytest.raises(DatabaseBusy, match=r"The database is busy: all 2 connections .* in use for 0\.3 s"):
            store.save_answer(assessment, Q, 4, Scope.national(), ACTOR, based_on=saved.row.version)  # type: ignore[union-attr]
        refused = journey.save_choice(store, bundle, assessment, Q, 4, None, NATIONAL, ACTOR, saved.row)
        waited = time.monotonic() - started
    assert (refused.saved, refused.refusal) == (False, "storage_error")
    assert "nothing was changed" in refused.detail and "Try again in a moment" in refused.detail
    assert waited < 5, "a save waits the pool's timeout, not half a minute"
    stored = store.load_answers(assessment, NATIONAL)[Q]
    assert (stored.value, stored.version) == (2, saved.row.version)  # type: ignore[union-attr]
    # Once a connection is free again, the same save goes through.
    assert journey.save_choice(store, bundle, assessment, Q, 4, None, NATIONAL, ACTOR, saved.row).saved
