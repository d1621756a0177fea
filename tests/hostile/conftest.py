"""A store holding the sample agencies (submitted), with the corpus's target agency-round as a DRAFT,
and a snapshot of every stored row to prove that refused files change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from scoring.content import Bundle
from scoring.responses import parse_response
from storage import Scope, Store
from storage.schema import AgencyRow, AnswerRow, AssessmentRow, AuditRow
from storage.scratch import scratch_sqlite
from tests.hostile.corpus import SAMPLE, TARGET, base_text, corpus_bundle
from tests.storage.conftest import db_url  # noqa: F401 - the SQLite + PostgreSQL fixture

NATIONAL = Scope.national()
ACTOR = "hostile-tests"


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    return corpus_bundle()


def populate(store: Store, bundle: Bundle) -> None:
    files = sorted(SAMPLE.parent.glob("*.yaml"))
    responses = [parse_response(base_text().encode() if p == SAMPLE else p.read_bytes(), p.name, bundle)
                 for p in files]
    target = [r for r in responses if (r.agency.id, r.round) == TARGET]
    others = [r for r in responses if (r.agency.id, r.round) != TARGET]
    store.import_responses(others, NATIONAL, ACTOR, status="submitted")
    store.import_responses(target, NATIONAL, ACTOR, status="draft")


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order (audit rows included: a refusal writes none)."""
    tables = {"agencies": AgencyRow, "assessments": AssessmentRow, "answers": AnswerRow, "audit": AuditRow}
    out = {}
    with store.engine.connect() as conn:
        for name, table in tables.items():
            columns = list(table.__table__.columns)
            out[name] = [tuple(r) for r in conn.execute(select(*columns).order_by(*table.__table__.primary_key))]
    return out


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory, bundle: Bundle) -> Iterator[Store]:
    """One populated SQLite store for the per-kind tests of a module (nothing may change it)."""
    path: Path = tmp_path_factory.mktemp("hostile") / "dmm.sqlite3"
    with scratch_sqlite(path) as url:
        store = Store(url)
        populate(store, bundle)
        yield store


@pytest.fixture(scope="module")
def before(shared_store: Store) -> dict[str, list[tuple]]:
    return snapshot(shared_store)
