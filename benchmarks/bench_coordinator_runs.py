"""What one coordinator page run costs the server, national demo × 3 rounds: the whole script (the
router and the coordinator page, in `streamlit.testing.v1.AppTest`), warm and at a filter change.

    python benchmarks/bench_coordinator_runs.py                      # SQLite
    python benchmarks/bench_coordinator_runs.py --postgres URL       # ... and PostgreSQL beside it
    python benchmarks/bench_coordinator_runs.py --root OTHER_CHECKOUT --databases sqlite   # another version

The browser benchmark (`bench_coordinator_browser.py`) measures what a coordinator waits for, but on a
shared machine its wall-clock times move with the neighbours' load. This one prints the CPU time of
the process per run (`time.process_time`; the script runs in AppTest's thread, nothing else is busy)
beside the wall time, so that two versions of the page can be compared under any load:

- warm run: the same page run again (what a new browser tab on a warm server costs the server);
- new filter: "Agency type" changed as to a value not chosen before (the per-filter caches cleared);
- filter seen before: the same changes again, caches kept.

Medians of `--runs` runs. `--root` runs another checkout's app (its code first on `sys.path`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

FILTERS = (["commune"], ["ministry"], ["province"], [])


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def clear_filter_caches() -> None:
    """Forget the views computed per filter (where the checkout has such caches), so the next
    filter change computes them as a filter never chosen before would."""
    from ui.coordinator_page import overview

    for name in ("cached_overview", "cached_headline"):
        cached = getattr(overview, name, None)
        if cached is not None:
            cached.clear()


def measure(root: Path, url: str, runs: int) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    from coordinator.demo import load_demo
    from scoring import load_bundle
    from storage import Scope, Store

    out: dict[str, float] = {}
    started = time.perf_counter()
    load_demo(Store(url), load_bundle(), Scope.national(), rounds=3)
    out["demo_load_s"] = time.perf_counter() - started
    app = AppTest.from_file(str(root / "app_router.py"), default_timeout=600)
    app.session_state["lang"] = "vi"
    app.run()
    app.switch_page("app_pages/coordination.py")
    out["first_run_s"], _ = _timed(app.run)
    assert not app.exception, app.exception
    app.run()
    samples = [_timed(app.run) for _ in range(runs)]
    out["warm_wall_ms"] = statistics.median(s[0] for s in samples) * 1000
    out["warm_cpu_ms"] = statistics.median(s[1] for s in samples) * 1000

    def change(types: list[str]) -> None:
        app.multiselect(key="coord_types").set_value(types)
        app.run()

    for label, clear in (("new_filter", True), ("seen_filter", False)):
        samples = []
        for i in range(runs):
            if clear:
                clear_filter_caches()
            samples.append(_timed(lambda i=i: change(FILTERS[i % len(FILTERS)])))
        assert not app.exception, app.exception
        out[f"{label}_wall_ms"] = statistics.median(s[0] for s in samples) * 1000
        out[f"{label}_cpu_ms"] = statistics.median(s[1] for s in samples) * 1000
    return out


ROWS = [
    ("demo_load_s", "demo load (answers stored, scores persisted), s", "{:.1f}"),
    ("first_run_s", "first coordinator run (cold caches), s", "{:.2f}"),
    ("warm_cpu_ms", "warm run, CPU ms", "{:.0f}"),
    ("warm_wall_ms", "  wall ms", "{:.0f}"),
    ("new_filter_cpu_ms", "filter change, new filter, CPU ms", "{:.0f}"),
    ("new_filter_wall_ms", "  wall ms", "{:.0f}"),
    ("seen_filter_cpu_ms", "filter change, filter seen before, CPU ms", "{:.0f}"),
    ("seen_filter_wall_ms", "  wall ms", "{:.0f}"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--runs", type=int, default=12)
    args = parser.parse_args()
    root = args.root.resolve()
    sys.path.insert(0, str(root))
    os.chdir(root)
    from storage.scratch import scratch_postgres_schema, scratch_sqlite
    from ui import state

    kinds = [k for k in args.databases.split(",") if k == "sqlite" or args.postgres]
    results: dict[str, dict[str, float]] = {}
    for kind in kinds:
        with tempfile.TemporaryDirectory() as folder:
            if kind == "sqlite":
                path = Path(folder) / "runs.sqlite3"
                os.environ.pop("DATABASE_URL", None)
                os.environ["DMM_SQLITE_PATH"] = str(path)
                database = scratch_sqlite(path)
            else:
                database = scratch_postgres_schema(args.postgres, prefix="dmm_bench")
            with database as url:
                if kind != "sqlite":
                    os.environ["DATABASE_URL"] = url
                state._store.clear()
                results[kind] = measure(root, url, args.runs)
        print(f"[{kind}] {results[kind]}", file=sys.stderr, flush=True)
    print(f"coordinator page runs (AppTest, router + page), national demo x 3 rounds; {root}; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'':52}" + "".join(f"{k:>14}" for k in kinds))
    for key, label, fmt in ROWS:
        print(f"{label:52}" + "".join(f"{fmt.format(results[k][key]):>14}" for k in kinds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
