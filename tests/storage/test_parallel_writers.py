"""Several processes on one database: no "database is locked", nothing lost. SQLite and PostgreSQL.

The processes are forked (the machine's cores are shared; a fork starts in milliseconds) and start
together behind a barrier, so they really do collide.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from scoring.schemas.response import Agency
from storage import MIGRATIONS, Scope, Store
from storage.migrations import schema_version
from storage.schema import AnswerRow, AuditRow
from tests.storage.conftest import ACTOR, NATIONAL

CONTEXT = multiprocessing.get_context("fork")
AGENCY = Agency(id="hn_ba_dinh", name="Phường Ba Đình", type="commune", province="hn")


def _in_processes(count: int, work: Callable[..., Any], *args: Any, timeout: float = 300) -> list[Any]:
    """Run `work(index, *args)` in `count` forked processes released together; return each one's
    result or its traceback text."""
    barrier = CONTEXT.Barrier(count)
    results = CONTEXT.Queue()

    def child(index: int) -> None:
        try:
            barrier.wait(timeout=120)
            results.put((index, work(index, *args)))
        except BaseException:
            results.put((index, traceback.format_exc()))

    processes = [CONTEXT.Process(target=child, args=(i,)) for i in range(count)]
    for process in processes:
        process.start()
    outcome = dict(results.get(timeout=timeout) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    return [outcome[i] for i in range(count)]


def _open_and_write(index: int, url: str) -> int:
    store = Store(url)  # the first use of the file in this process: connect, WAL, migrate
    scope = Scope.national()
    store.upsert_agency(Agency(id=f"agency_{index}", name=f"Agency {index}", type="ministry"), scope, ACTOR)
    return index


def test_24_processes_opening_a_fresh_store_at_once(db_url: str) -> None:
    outcomes = _in_processes(24, _open_and_write, db_url)
    assert outcomes == list(range(24)), "\n".join(str(o) for o in outcomes if not isinstance(o, int))
    store = Store(db_url)
    with store.engine.connect() as conn:
        applied = conn.execute(select(schema_version.c.version).order_by(schema_version.c.version)).scalars()
        assert list(applied) == [m.version for m in MIGRATIONS]  # each step once
    assert len(store.list_agencies(NATIONAL)) == 24


def _write_answers(index: int, url: str, assessments: list[int], writes: int) -> int:
    """`writes` saves, alternating between the shared assessments; returns how many were acknowledged
    (returned without an error). Any error ends the process with its traceback."""
    store = Store(url)
    acknowledged = 0
    for number in range(writes):
        assessment = assessments[number % len(assessments)]
        store.save_answer(assessment, f"p{index}.q{number}", 1 + number % 5, NATIONAL, f"writer{index}",
                          evidence=f"process {index} write {number}", based_on=0)
        acknowledged += 1
    return acknowledged


def test_parallel_writers_lose_nothing(db_url: str) -> None:
    processes, writes = 8, 30
    setup = Store(db_url)
    setup.upsert_agency(Agency(id="hn", name="UBND Thành phố Hà Nội", type="province"), NATIONAL, ACTOR)
    setup.upsert_agency(AGENCY, NATIONAL, ACTOR)
    assessments = [setup.create_assessment(AGENCY.id, r, "dmm", "1.0.0", NATIONAL, ACTOR).id for r in ("2025", "2026")]

    outcomes = _in_processes(processes, _write_answers, db_url, assessments, writes)

    errors = [o for o in outcomes if not isinstance(o, int)]
    assert errors == [], "\n".join(errors)
    acknowledged = sum(outcomes)
    assert acknowledged == processes * writes
    with setup.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(AnswerRow)).scalar_one()
        audited = conn.execute(
            select(func.count()).select_from(AuditRow).where(AuditRow.action == "answer_saved")
        ).scalar_one()
    assert rows == acknowledged
    assert audited == acknowledged
    stored = {**setup.load_answers(assessments[0], NATIONAL), **setup.load_answers(assessments[1], NATIONAL)}
    assert stored["p3.q7"].evidence == "process 3 write 7"
    versions = [a.version for a in setup.load_answers(assessments[0], NATIONAL).values()]
    assert len(set(versions)) == len(versions)  # every change took its own version of the assessment


def test_a_process_setting_up_a_sqlite_file_holds_the_others_back(tmp_path) -> None:
    """The first connection (the switch to WAL, where SQLite cannot wait for a lock) and the
    migrations run under an exclusive lock on `<file>.lock`: while another process holds it, a new
    store waits instead of failing."""
    import fcntl
    import os
    import queue

    from storage import sqlite_url

    database = tmp_path / "locked.sqlite3"
    url = sqlite_url(database)
    holder = os.open(f"{database}.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)
    opened = CONTEXT.Queue()

    def open_store() -> None:
        os.close(holder)  # the fork's copy of the descriptor: only the test's own copy holds the lock now
        opened.put(len(Store(url).list_agencies(Scope.national())))

    process = CONTEXT.Process(target=open_store)
    process.start()
    try:
        with pytest.raises(queue.Empty):
            opened.get(timeout=1.5)  # still waiting for the lock
    finally:
        os.close(holder)  # releases it
    assert opened.get(timeout=120) == 0
    process.join(timeout=60)
    assert process.exitcode == 0
