"""How fast the national coordinator page is with the whole country in the database.

    python benchmarks/bench_coordinator.py                                        # SQLite (a temp file)
    DATABASE_URL=$(bash .ci/start-postgres.sh) python benchmarks/bench_coordinator.py   # and PostgreSQL
    python benchmarks/bench_coordinator.py --sqlite data/bench.sqlite3            # keep/reuse a loaded file

Loads the synthetic national dataset (`coordinator.demo`: about 3,385 agencies × 3 rounds, every
question answered) into the database, then drives the page with Streamlit's AppTest and prints,
server side:

- the page's first render in a fresh process (cold: load every submitted answer and score it);
- the first render of a new session once the scored population is cached (warm), target < 2 s;
- the first visit of another round (reads that round once);
- a filter change on loaded data (agency type, province, round), target < 0.3 s; each section;
- the process's resident memory (VmRSS, and the peak VmHWM), target < 400 MB.

The PostgreSQL run uses a throw-away schema that is dropped afterwards.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import make_url  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from coordinator.demo import load_demo  # noqa: E402
from scoring import load_bundle  # noqa: E402
from storage import Scope, Store, normalise_url  # noqa: E402
from storage.scratch import scratch_postgres_schema, scratch_sqlite  # noqa: E402

PAGE = str(ROOT / "app_pages" / "coordination.py")
TARGET_FIRST_S = 2.0
TARGET_FILTER_S = 0.3
TARGET_RSS_MB = 400.0
REPEATS = 5


def memory_mb() -> dict[str, float]:
    """VmRSS (now) and VmHWM (peak) of this process, in MB."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, amount, _unit = line.split()
                values[key.rstrip(":")] = int(amount) / 1024
    return values


def _use_database(url: str) -> None:
    """Point the app (`ui.state.get_store`, which reads the environment) at `url`."""
    if url.startswith("sqlite"):
        os.environ.pop("DATABASE_URL", None)
        os.environ["DMM_SQLITE_PATH"] = make_url(url).database or ""
    else:
        os.environ["DATABASE_URL"] = url
    from ui import state

    state._store.clear()


def _timed_run(at: AppTest) -> float:
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"the page failed: {at.exception[0].value}")
    return elapsed


def load_dataset(url: str, total: int | None) -> None:
    started = time.perf_counter()
    report = load_demo(Store(url), load_bundle(), Scope.national(), total=total)
    print(f"  dataset: {report.agencies} agencies, {report.assessments} assessments "
          f"({report.imported} imported in {time.perf_counter() - started:.1f} s, {report.skipped} already present)")


def bench(url: str, total: int | None) -> dict[str, float]:
    import streamlit as st

    # Load the dataset in a child process, so this process's memory is the page's alone.
    subprocess.run([sys.executable, __file__, "--load-into", url, *(["--agencies", str(total)] if total else [])],
                   check=True)
    _use_database(url)
    st.cache_data.clear()
    gc.collect()

    figures: dict[str, float] = {"rss_before_mb": memory_mb().get("VmRSS", float("nan"))}
    at = AppTest.from_file(PAGE, default_timeout=600)
    figures["first_render_cold_s"] = _timed_run(at)
    figures["rss_after_cold_mb"] = memory_mb().get("VmRSS", float("nan"))
    figures["peak_after_cold_mb"] = memory_mb().get("VmHWM", float("nan"))
    warm = []
    for _ in range(3):
        fresh = AppTest.from_file(PAGE, default_timeout=120)
        warm.append(_timed_run(fresh))
    figures["first_render_warm_s"] = statistics.median(warm)
    figures["rss_after_warm_mb"] = memory_mb().get("VmRSS", float("nan"))

    provinces = [a.id for a in Store(url).list_agencies(Scope.national(), agency_type="province")]
    rounds = at.selectbox(key="coord_round").options
    # The first visit of each other round reads that round from the database (once per data change).
    first_loads = []
    for round_ in rounds[:-1]:
        at.selectbox(key="coord_round").set_value(round_)
        first_loads.append(_timed_run(at))
    figures["other_round_first_load_s"] = max(first_loads) if first_loads else 0.0
    changes = []
    everyone = at.metric[0].value
    for i in range(REPEATS):
        at.multiselect(key="coord_types").set_value(["commune"] if i % 2 == 0 else [])
        changes.append(_timed_run(at))
        at.multiselect(key="coord_provinces").set_value(provinces[i % 3: i % 3 + 2] if i % 2 == 0 else [])
        changes.append(_timed_run(at))
        if i == 0:
            assert at.metric[0].value != everyone, "the filters did not apply"
        at.selectbox(key="coord_round").set_value(rounds[i % len(rounds)])
        changes.append(_timed_run(at))
    figures["filter_change_median_s"] = statistics.median(changes)
    figures["filter_change_max_s"] = max(changes)
    figures["rss_after_filters_mb"] = memory_mb().get("VmRSS", float("nan"))
    figures["peak_after_filters_mb"] = memory_mb().get("VmHWM", float("nan"))
    for section in ("heatmap", "provinces", "agencies", "trends", "overview"):
        at.segmented_control(key="coord_section").set_value(section)
        figures[f"section_{section}_s"] = _timed_run(at)
        at.multiselect(key="coord_types").set_value(["commune"])
        figures[f"section_{section}_filtered_s"] = _timed_run(at)
        at.multiselect(key="coord_types").set_value([])
        _timed_run(at)
    gc.collect()
    memory = memory_mb()
    figures["rss_mb"] = memory.get("VmRSS", float("nan"))
    figures["peak_rss_mb"] = memory.get("VmHWM", float("nan"))
    return figures


def report(name: str, figures: dict[str, float]) -> None:
    print(f"\n{name}")
    for key, value in figures.items():
        unit = "MB" if key.endswith("_mb") else "s"
        print(f"  {key:32s} {value:8.3f} {unit}")
    checks = [
        ("first render (warm cache)", figures["first_render_warm_s"], TARGET_FIRST_S, "s"),
        ("filter change (median)", figures["filter_change_median_s"], TARGET_FILTER_S, "s"),
        ("resident memory", figures["rss_mb"], TARGET_RSS_MB, "MB"),
    ]
    for label, value, target, unit in checks:
        verdict = "ok" if value <= target else "OVER TARGET"
        print(f"  {label:32s} {value:8.3f} {unit} (target < {target:g} {unit}) {verdict}")
    if figures["first_render_cold_s"] > TARGET_FIRST_S:
        print(f"  note: the cold first render ({figures['first_render_cold_s']:.2f} s) reads every submitted "
              "answer from the database once per data change; later sessions reuse the cached result.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, default=None, help="total agencies (default: the national 3,385)")
    parser.add_argument("--sqlite", default=None, help="SQLite file to use and keep (default: a temp file)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default=None,
                        help="run one database in this process (default: each in its own process)")
    parser.add_argument("--load-into", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "").strip()
    if args.load_into:
        load_dataset(args.load_into, args.agencies)
        return
    if args.backend == "sqlite":
        with scratch_sqlite(args.sqlite) as url:
            report("SQLite", bench(url, args.agencies))
        return
    if args.backend == "postgresql":
        with scratch_postgres_schema(normalise_url(base)) as url:
            report("PostgreSQL", bench(url, args.agencies))
        return
    # One process per database, so each memory figure is that database's alone.
    extra = [*(["--agencies", str(args.agencies)] if args.agencies else []),
             *(["--sqlite", args.sqlite] if args.sqlite else [])]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    subprocess.run([sys.executable, __file__, "--backend", "sqlite", *extra], env=env, check=True)
    if base:
        subprocess.run([sys.executable, __file__, "--backend", "postgresql", *extra], check=True)
    else:
        print("\nPostgreSQL: skipped (set DATABASE_URL, e.g. DATABASE_URL=$(bash .ci/start-postgres.sh))")


if __name__ == "__main__":
    main()
