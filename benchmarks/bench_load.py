"""Load on the answer path: many simulated IT leads saving answers at once (bounded, loopback only).

    DATABASE_URL=$(bash .ci/start-postgres.sh) python benchmarks/bench_load.py
    ... python benchmarks/bench_load.py --users 200 --interval 0.5 --seconds 60 --processes 1,4

Each simulated user has its own agency and draft assessment and saves one answer about every
`--interval` seconds (on a fixed schedule with jitter, so a slow save does not slow the user down),
through the same calls the assessment page makes: `ui.journey.save_choice` with the row the page
was seeded with (so the optimistic version check runs), then the row the save returns. Users are
threads, as Streamlit runs each session's script in a thread; with N processes the users are shared
out between N forked processes, as behind a reverse proxy with N app processes.

Printed per process count, side by side: saves sent, acknowledged, errors, answers in the database
vs acknowledged (final values compared question by question, and audit rows counted), p50/p95/p99
save latency, and where the time goes: the CPU the app processes (users' threads) spent per
acknowledged save and the 1-minute load average at the start and end of the
run. Goal: 0 errors, 0 lost, p95 < 200 ms. PostgreSQL runs in a throw-away schema;
without DATABASE_URL it runs on a temporary SQLite file (prints so).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from scoring.content import Bundle, load_bundle
from scoring.schemas.response import Agency
from storage import Scope, Store, StoredAnswer, normalise_url
from storage.schema import AuditRow
from storage.scratch import scratch_postgres_schema, scratch_sqlite
from ui import journey

SCOPE = Scope.national()
TARGET_P95_MS = 200.0


@dataclass
class UserLog:
    assessment_id: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    sent: int = 0
    acknowledged: int = 0
    errors: list[str] = field(default_factory=list)
    final: dict[str, int] = field(default_factory=dict)  # question -> last acknowledged level
    cpu_s: float = 0.0  # CPU seconds of the whole process while its users ran (set on its first log)


def simulate_user(store: Store, bundle: Bundle, assessment_id: int, questions: Sequence[str], interval: float,
                  until: float, seed: int, log: UserLog) -> None:
    rng = random.Random(seed)
    seeded: dict[str, StoredAnswer | None] = {}  # what the page shows: the rows its widgets were seeded with
    next_at = time.monotonic() + rng.uniform(0, interval)
    while True:
        pause = next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        if time.monotonic() >= until:
            return
        question = rng.choice(questions)
        current = seeded.get(question)
        level = rng.choice([lv for lv in (1, 2, 3, 4, 5) if current is None or current.value != lv])
        log.sent += 1
        started = time.perf_counter()
        try:
            outcome = journey.save_choice(store, bundle, assessment_id, question, level, None, SCOPE,
                                          f"user{seed}", current)
        except Exception as error:  # a benchmark reports everything
            log.errors.append(f"{type(error).__name__}: {error}")
        else:
            log.latencies_ms.append((time.perf_counter() - started) * 1000)
            if outcome.saved:
                log.acknowledged += 1
                seeded[question] = outcome.row
                log.final[question] = level
            else:
                log.errors.append(f"refused {outcome.refusal}: {outcome.detail}")
        next_at += interval * rng.uniform(0.8, 1.2)


def run_users(url: str, users: Sequence[tuple[int, int]], questions: Sequence[str], interval: float,
              seconds: float, start_at: float) -> list[UserLog]:
    """Run the given (user number, assessment id) as threads in this process; return their logs."""
    store = Store(url)
    bundle = load_bundle()
    pause = start_at - time.time()
    if pause > 0:
        time.sleep(pause)
    until = time.monotonic() + seconds
    cpu_start = time.process_time()
    logs = [UserLog(assessment_id=aid) for _, aid in users]
    threads = [
        threading.Thread(target=simulate_user,
                         args=(store, bundle, aid, questions, interval, until, number, logs[i]), daemon=True)
        for i, (number, aid) in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if logs:
        logs[0].cpu_s = time.process_time() - cpu_start
    return logs


def _child(url: str, users: list[tuple[int, int]], questions: list[str], interval: float, seconds: float,
           start_at: float, results: multiprocessing.Queue, measured: Any) -> None:
    try:
        results.put(run_users(url, users, questions, interval, seconds, start_at))
    except BaseException as error:  # report, never hang the parent
        results.put([UserLog(errors=[f"process failed: {type(error).__name__}: {error}"])])
    measured.wait(timeout=120)  # the parent reads the load average while every user's process is alive


def percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(url: str, bundle: Bundle, users: int, interval: float, seconds: float, processes: int) -> dict[str, object]:
    store = Store(url)
    questions = [q.id for q in bundle.questionnaire.questions if q.kind == "level"]
    tag = f"load{processes}p"
    assessments = []
    for number in range(users):
        agency = Agency(id=f"{tag}_{number}", name=f"Xã thử tải {number}", type="commune", province="tinh_load")
        store.upsert_agency(agency, SCOPE, "bench")
        assessments.append(store.create_assessment(agency.id, "2026", bundle.questionnaire.id,
                                                   bundle.questionnaire.version, SCOPE, "bench").id)
    pairs = list(enumerate(assessments))
    start_at = time.time() + 2.0
    load_before = os.getloadavg()[0]
    if processes == 1:
        logs = run_users(url, pairs, questions, interval, seconds, start_at)
    else:
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        shares = [pairs[i::processes] for i in range(processes)]
        measured = context.Event()
        children = [context.Process(target=_child,
                                    args=(url, share, questions, interval, seconds, start_at, results, measured))
                    for share in shares]
        for child in children:
            child.start()
        logs = [log for _ in children for log in results.get(timeout=seconds + 600)]
    load_after = os.getloadavg()[0]
    if processes != 1:
        measured.set()
        for child in children:
            child.join(timeout=60)

    latencies = [ms for log in logs for ms in log.latencies_ms]
    errors = [e for log in logs for e in log.errors]
    acknowledged = sum(log.acknowledged for log in logs)
    # What the database holds, against what each user was told was saved.
    lost = 0
    for log in logs:
        if not log.assessment_id:
            continue
        stored = store.load_answers(log.assessment_id, SCOPE)
        lost += sum(1 for q, level in log.final.items() if q not in stored or stored[q].value != level)
    with store.engine.connect() as conn:
        audited = conn.execute(
            select(func.count()).select_from(AuditRow)
            .where(AuditRow.action == "answer_saved", AuditRow.agency_id.like(f"{tag}_%"))
        ).scalar_one()
    return {
        "processes": processes,
        "sent": sum(log.sent for log in logs),
        "acknowledged": acknowledged,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "audited": int(audited),
        "lost": lost + max(0, acknowledged - int(audited)),
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "per_s": acknowledged / seconds,
        "client_cpu_ms": 1000 * sum(log.cpu_s for log in logs) / max(acknowledged, 1),
        "load": f"{load_before:.0f}-{load_after:.0f}",
    }



def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between one user's saves")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--processes", default="1,4", help="comma-separated process counts to compare")
    args = parser.parse_args(argv)
    counts = [int(p) for p in args.processes.split(",") if p.strip()]
    bundle = load_bundle()
    base = os.environ.get("DATABASE_URL", "").strip()
    database = scratch_postgres_schema(base, prefix="dmm_load") if base else scratch_sqlite()
    kind = "PostgreSQL" if base else "SQLite (no DATABASE_URL)"
    print(f"{args.users} users, one save each ~{args.interval} s, {args.seconds:.0f} s per run, on {kind}; "
          f"{os.cpu_count()} CPU cores (shared with whatever else runs on the machine)")
    rows = []
    with database as url:
        if base:
            url = normalise_url(url)
        for processes in counts:
            rows.append(run(url, bundle, args.users, args.interval, args.seconds, processes))
    header = f"{'processes':>9} {'sent':>7} {'acked':>7} {'errors':>6} {'in DB':>7} {'lost':>5} " \
             f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'saves/s':>8} {'app CPU':>10} {'load':>6}"
    print(header)
    for row in rows:
        print(f"{row['processes']:>9} {row['sent']:>7} {row['acknowledged']:>7} {row['errors']:>6} "
              f"{row['audited']:>7} {row['lost']:>5} {row['p50']:>8.1f} {row['p95']:>8.1f} {row['p99']:>8.1f} "
              f"{row['per_s']:>8.1f} {row['client_cpu_ms']:>7.2f} ms "
              f"{row['load']:>6}")
        if row["first_error"]:
            print(f"  first error with {row['processes']} processes: {row['first_error']}")
    ok = all(r["errors"] == 0 and r["lost"] == 0 for r in rows)
    best = min(r["p95"] for r in rows)
    print(f"goal: 0 errors, 0 lost, p95 < {TARGET_P95_MS:.0f} ms -> "
          f"{'errors/lost: none' if ok else 'ERRORS OR LOSS'}; best p95 {best:.1f} ms "
          f"({'met' if best < TARGET_P95_MS else 'not met'})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
