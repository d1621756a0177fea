"""How long "Load the national demo" takes, against the floor of the database itself (issue 12).

    python benchmarks/bench_demo_load.py                                   # SQLite, national x 3 rounds
    python benchmarks/bench_demo_load.py --postgres postgresql+psycopg://postgres@127.0.0.1:54329/dmm_test
    python benchmarks/bench_demo_load.py --total 500 --rounds 1           # a quick look
    python benchmarks/bench_demo_load.py --runs 3                          # 3 runs each, then the medians

Per database (a temporary SQLite file; a throw-away PostgreSQL schema), printed side by side:

- "load_demo": `coordinator.demo.load_demo` into an empty database: the synthetic population built,
  every answer checked and stored through the one import path (`Store.import_answer_frame`), with
  audit rows, and every assessment scored and its result stored;
- "floor": the same answer rows (assessment id, question id, value, notes, time stamp, version)
  written by `storage.bulk.bulk_insert` (the import's own way to the driver) into a table of the
  answers' layout (same primary key, WITHOUT ROWID on SQLite; no foreign key or key check, no
  agencies, assessments, audit or scores): the database's own cost of the rows, which no import
  can beat.

The questionnaire YAML is parsed once before timing (the app has it cached). The load average is
printed before and after, as the machine may be shared: compare the ratio, not the seconds. The
"cpu s" columns add the CPU seconds of this process and of its PostgreSQL server processes (read
from /proc, so only for a server on this machine): less sensitive to the others' load than the
wall clock, which waits for a core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, Text, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coordinator.demo import demo_frame, load_demo
from scoring import Bundle, load_bundle
from storage import Scope, Store
from storage.bulk import Same, bulk_insert
from storage.checks import shipped_questionnaire
from storage.schema import UTCDateTime, utcnow
from storage.scratch import scratch_postgres_schema, scratch_sqlite

TAG = f"dmm_bench_demo_{os.getpid()}"  # the application_name of the benchmark's PostgreSQL sessions


@contextmanager
def _database(kind: str, postgres: str | None) -> Iterator[str]:
    if kind == "SQLite":
        with scratch_sqlite() as url:
            yield url
    else:
        assert postgres
        with scratch_postgres_schema(postgres, prefix="dmm_bench_demo") as url:
            yield make_url(url).update_query_dict({"application_name": TAG}).render_as_string(False)


class CpuClock:
    """CPU seconds of this process plus those of the PostgreSQL backends serving it (/proc)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.start = self._now()

    def _backends(self) -> dict[int, float]:
        if self.engine.dialect.name != "postgresql":
            return {}
        with self.engine.connect() as conn:
            pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE application_name = :tag"),
                                {"tag": TAG}).scalars().all()
        ticks = os.sysconf("SC_CLK_TCK")
        seconds = {}
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # a remote server: no figure
                return {-1: float("nan")}
            seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks
        return seconds

    def _now(self) -> tuple[float, dict[int, float]]:
        return time.process_time(), self._backends()

    def seconds(self) -> float:
        own, backends = self._now()
        return own - self.start[0] + sum(v - self.start[1].get(pid, 0.0) for pid, v in backends.items())


def timed_load(kind: str, postgres: str | None, bundle: Bundle, total: int | None,
               rounds: int) -> tuple[float, float]:
    with _database(kind, postgres) as url:
        store = Store(url)
        cpu = CpuClock(store.engine)
        start = time.perf_counter()
        report = load_demo(store, bundle, Scope.national(), total=total, rounds=rounds)
        seconds = time.perf_counter() - start
        assert report.imported == report.assessments, report
        return seconds, cpu.seconds()


def timed_floor(kind: str, postgres: str | None, bundle: Bundle, total: int | None,
                rounds: int) -> tuple[float, float]:
    """The answer rows of the same dataset, written by the driver alone into a bare table."""
    frame = demo_frame(bundle, total=total, rounds=rounds)
    owner = frame.groupby(["agency_id", "round"], observed=True, sort=False).ngroup().to_numpy()
    table = Table("bare_answers", MetaData(), Column("assessment_id", Integer, primary_key=True),
                  Column("question_id", String(128), primary_key=True), Column("value", Text),
                  Column("na_reason", Text), Column("evidence", Text), Column("updated_at", UTCDateTime()),
                  Column("version", Integer), sqlite_with_rowid=False)  # the answers table's layout (migration 10)
    with _database(kind, postgres) as url:
        engine = Store(url).engine
        table.metadata.create_all(engine)
        cpu = CpuClock(engine)
        start = time.perf_counter()
        with engine.begin() as conn:
            bulk_insert(conn, table, {
                "assessment_id": owner.astype(np.int64), "question_id": frame["question_id"].astype(str).tolist(),
                "value": frame["answer"].astype(str).tolist(), "na_reason": Same(None), "evidence": Same(None),
                "updated_at": Same(utcnow()), "version": Same(1),
            })
        seconds = time.perf_counter() - start
        return seconds, cpu.seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--total", type=int, default=None, help="agencies (default: the national 3,385)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL"), help="PostgreSQL base URL")
    parser.add_argument("--runs", type=int, default=1, help="runs per database (floor and load_demo in turn); "
                        "with more than one, the medians follow")
    args = parser.parse_args()
    bundle = load_bundle()
    shipped_questionnaire(bundle.questionnaire.id, bundle.questionnaire.version)  # parse the YAML once
    kinds = ["SQLite"] + (["PostgreSQL"] if args.postgres and args.postgres.startswith("postgresql") else [])
    print(f"load_demo, {args.rounds} rounds, {args.total or 'national'} agencies; load average {os.getloadavg()}")
    print(f"{'database':<12}{'load_demo s':>13}{'floor s':>10}{'ratio':>8}"
          f"{'load_demo cpu s':>17}{'floor cpu s':>13}{'cpu ratio':>11}")
    runs: dict[str, list[tuple[float, float, float, float]]] = {kind: [] for kind in kinds}
    for _ in range(args.runs):
        for kind in kinds:
            floor, floor_cpu = timed_floor(kind, args.postgres, bundle, args.total, args.rounds)
            seconds, cpu = timed_load(kind, args.postgres, bundle, args.total, args.rounds)
            runs[kind].append((seconds, floor, cpu, floor_cpu))
            _row(kind, seconds, floor, cpu, floor_cpu)
    if args.runs > 1:
        print("medians of the runs (each column on its own; the ratios are of the medians):")
        for kind, figures in runs.items():
            _row(kind, *(statistics.median(column) for column in zip(*figures, strict=True)))
    print(f"load average after {os.getloadavg()}")


def _row(kind: str, seconds: float, floor: float, cpu: float, floor_cpu: float) -> None:
    print(f"{kind:<12}{seconds:>13.2f}{floor:>10.2f}{seconds / floor:>8.2f}"
          f"{cpu:>17.2f}{floor_cpu:>13.2f}{cpu / floor_cpu:>11.2f}")


if __name__ == "__main__":
    main()
