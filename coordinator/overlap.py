"""Run a long load as steps, preparing the next step on this thread while the database stores the
current one on a worker thread (e.g. the national demo: the answers of a batch checked in Python
while PostgreSQL writes the previous batch).

A step is three calls: `prepare()` (Python work, no database: this thread), `run(prepared)` (the
database work: the worker thread, one step at a time, in order) and `done(result)` (this thread,
e.g. a Streamlit progress bar, which only works on the script's thread). The order of effects is
that of a plain loop `done(run(prepare()))` over the steps; only `prepare` of step n + 1 runs
early, while step n is stored:

- at most one step is being stored and one prepared (memory for two batches, not the load);
- `done(n)` is called, in order, once step n is stored and before step n + 1 is handed to the
  worker: nothing is being written while it runs, so it sees the database as the plain loop would;
- the first error stops the load: no later step is run; if `prepare(n + 1)` fails while step n is
  being stored, the error is raised only after step n has ended (committed or rolled back), and
  step n's own error wins, as it came first in the plain loop. Each `run` is one transaction of
  its own, so what a failed load leaves is whole steps, never part of one.

The worker is a thread, not a process: psycopg and sqlite3 release the GIL while they wait for
the database, which is what the overlap uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Step:
    prepare: Callable[[], Any]
    run: Callable[[Any], Any]
    done: Callable[[Any], None] = lambda _result: None


def run_steps(steps: Iterable[Step], overlap: bool = True) -> None:
    """Run every step (see the module's doc); with `overlap=False`, a plain loop on this thread."""
    if not overlap:
        for step in steps:
            step.done(step.run(step.prepare()))
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dmm-store") as worker:
        running: tuple[Step, Future[Any]] | None = None
        try:
            for step in steps:
                prepared = step.prepare()  # while the worker stores the previous step
                if running is not None:
                    previous, running = running, None
                    _finish(*previous)
                running = (step, worker.submit(step.run, prepared))
            if running is not None:
                previous, running = running, None
                _finish(*previous)
        except BaseException:
            if running is not None:  # a prepare (or the steps' iterator) failed: the stored step ends first
                stored_error = running[1].exception()  # waits
                if stored_error is not None:
                    raise stored_error from None
            raise


def _finish(step: Step, stored: Future[Any]) -> None:
    step.done(stored.result())
