"""How long "Load the national demo" takes, with the answer check before and after issue 12's fix.

    python benchmarks/bench_demo_load.py                                   # SQLite only
    python benchmarks/bench_demo_load.py --postgres postgresql+psycopg://postgres@127.0.0.1:54329/dmm_test
    python benchmarks/bench_demo_load.py --total 3385                      # the whole national population

Runs `coordinator.demo.load_demo` on one round of the synthetic population into a fresh database
(a temporary SQLite file; a throw-away PostgreSQL schema), twice per database, printed side by side:

- "per answer": every answer checked with `check_answer_fits`, which looks the questionnaire up in
  the content registry (a folder scan) for each answer, as the import did before;
- "per response": `check_answers_fit`, one lookup per imported response, the same core rule per answer.

The questionnaire YAML is parsed once before timing (it is cached by file either way). The load
average is printed, as the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coordinator.demo import load_demo
from scoring import Bundle, load_bundle
from storage import Scope, Store
from storage import imports as storage_imports
from storage.checks import check_answer_fits, shipped_questionnaire
from storage.scratch import scratch_postgres_schema, scratch_sqlite


def _per_answer(questionnaire_id: str, version: str, answers: Iterable[tuple[str, str | None]],
                agency_type: str | None) -> None:
    for question_id, value in answers:
        check_answer_fits(questionnaire_id, version, question_id, value, agency_type)


@contextmanager
def _database(kind: str, postgres: str | None) -> Iterator[str]:
    if kind == "SQLite":
        with scratch_sqlite() as url:
            yield url
    else:
        assert postgres
        with scratch_postgres_schema(postgres, prefix="dmm_bench_demo") as url:
            yield url


def timed_load(kind: str, postgres: str | None, bundle: Bundle, total: int | None, old: bool) -> float:
    with _database(kind, postgres) as url:
        store = Store(url)
        patch = mock.patch.object(storage_imports, "check_answers_fit", _per_answer) if old else None
        if patch:
            patch.start()
        try:
            start = time.perf_counter()
            report = load_demo(store, bundle, Scope.national(), total=total, rounds=1)
            seconds = time.perf_counter() - start
        finally:
            if patch:
                patch.stop()
        assert report.imported == report.assessments, report
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--total", type=int, default=500, help="agencies (default 500; 3385 = national)")
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL"), help="PostgreSQL base URL")
    args = parser.parse_args()
    bundle = load_bundle()
    shipped_questionnaire(bundle.questionnaire.id, bundle.questionnaire.version)  # parse the YAML once
    kinds = ["SQLite"] + (["PostgreSQL"] if args.postgres and args.postgres.startswith("postgresql") else [])
    print(f"load_demo, 1 round, {args.total} agencies; load average {os.getloadavg()}")
    print(f"{'database':<12}{'per answer s':>14}{'per response s':>16}{'ratio':>8}")
    for kind in kinds:
        old = timed_load(kind, args.postgres, bundle, args.total, old=True)
        new = timed_load(kind, args.postgres, bundle, args.total, old=False)
        print(f"{kind:<12}{old:>14.2f}{new:>16.2f}{old / new:>8.2f}")
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
