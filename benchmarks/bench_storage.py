"""How long saving one answer takes (the user waits for it on every click). Target: under 20 ms.

    python benchmarks/bench_storage.py                                     # SQLite (a temp file)
    DATABASE_URL=$(bash .ci/start-postgres.sh) python benchmarks/bench_storage.py   # and PostgreSQL

Times `save_answer` 200 times on an assessment that already holds ~60 answers, each save changing
the stored value (so every call writes the row, its audit entry and the assessment's updated_at),
and prints the median and the 95th percentile. Also times one bulk import of 200 responses of 60
answers. PostgreSQL runs in a throw-away schema that is dropped afterwards.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from scoring.schemas.response import Agency, Response
from storage import Scope, Store, normalise_url
from storage.scratch import scratch_postgres_schema, scratch_sqlite

TARGET_MS = 20.0
SAVES = 200
QUESTIONS = [f"d{d}.q{q}" for d in range(6) for q in range(10)]  # 60 questions
SCOPE = Scope.national()
ACTOR = "bench"


def bench(url: str) -> dict[str, float]:
    store = Store(url)
    store.upsert_agency(Agency(id="hn", name="Hà Nội", type="province"), SCOPE, ACTOR)
    assessment = store.create_assessment("hn", "2026", "dmm", "1.0.0", SCOPE, ACTOR).id
    for i, question in enumerate(QUESTIONS):
        store.save_answer(assessment, question, 1 + i % 5, SCOPE, ACTOR)

    timings = []
    for i in range(SAVES):
        question = QUESTIONS[i % len(QUESTIONS)]
        value: int | float = 1 + (i + 1 + i // len(QUESTIONS)) % 5 if i % 3 else 10.0 + i * 0.5
        started = time.perf_counter()
        store.save_answer(assessment, question, value, SCOPE, ACTOR)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()

    responses = [
        Response(
            questionnaire="dmm",
            version="1.0.0",
            agency=Agency(id=f"hn_x{n}", name=f"Xã {n}", type="commune", province="hn"),
            round="2026",
            answers={q: 1 + (n + i) % 5 for i, q in enumerate(QUESTIONS)},
        )
        for n in range(200)
    ]
    started = time.perf_counter()
    store.import_responses(responses, SCOPE, ACTOR)
    bulk = time.perf_counter() - started
    return {
        "median": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "bulk_s": bulk,
    }


def main() -> int:
    results: list[tuple[str, dict[str, float]]] = []
    with scratch_sqlite() as url:
        results.append(("SQLite (WAL, file)", bench(url)))
    base = os.environ.get("DATABASE_URL", "").strip()
    if base:
        with scratch_postgres_schema(normalise_url(base)) as url:
            results.append(("PostgreSQL", bench(url)))
    else:
        print("PostgreSQL: skipped (set DATABASE_URL, e.g. DATABASE_URL=$(bash .ci/start-postgres.sh))")

    print(
        f"save_answer, {SAVES} saves on an assessment of {len(QUESTIONS)} answers "
        f"(target: under {TARGET_MS:g} ms)"
    )
    slow = False
    for name, r in results:
        verdict = "OK" if r["median"] < TARGET_MS else "TOO SLOW"
        slow |= r["median"] >= TARGET_MS
        print(
            f"  {name:20s} median {r['median']:6.2f} ms   p95 {r['p95']:6.2f} ms   {verdict}"
            f"   | bulk import of 200 responses x {len(QUESTIONS)} answers: {r['bulk_s']:.2f} s"
        )
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
