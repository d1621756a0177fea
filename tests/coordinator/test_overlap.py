"""coordinator.overlap: the next step is prepared while the current one runs on the worker, and
the effects keep the order of a plain loop (done in order on the calling thread, nothing run
after an error, no step still running when the error reaches the caller)."""

from __future__ import annotations

import threading

import pytest

from coordinator.overlap import Step, run_steps

WAIT = 10  # seconds: only reached when the overlap is missing (the test then fails, never hangs)


class Log:
    def __init__(self) -> None:
        self.events: list[str] = []
        self.lock = threading.Lock()
        self.threads: dict[str, int] = {}

    def add(self, event: str) -> None:
        with self.lock:
            self.events.append(event)
            self.threads[event] = threading.get_ident()


def steps(log: Log, n: int, fail_run: int | None = None, fail_prepare: int | None = None,
          prepared: list[threading.Event] | None = None) -> list[Step]:
    def prepare(i: int) -> int:
        log.add(f"prepare {i}")
        if prepared is not None:
            prepared[i].set()
        if i == fail_prepare:
            raise ValueError(f"prepare {i}")
        return i * 10

    def run(i: int, value: int) -> int:
        log.add(f"run {i}")
        if prepared is not None and i + 1 < n:  # step i waits until step i + 1 has been prepared
            assert prepared[i + 1].wait(WAIT), f"step {i + 1} was not prepared while step {i} ran"
        if i == fail_run:
            raise RuntimeError(f"run {i}")
        log.add(f"stored {i}")
        return value + 1

    def done(i: int, result: int) -> None:
        assert result == i * 10 + 1
        log.add(f"done {i}")

    return [Step(prepare=lambda i=i: prepare(i), run=lambda v, i=i: run(i, v), done=lambda r, i=i: done(i, r))
            for i in range(n)]


def test_the_next_step_is_prepared_while_the_current_one_runs_and_done_keeps_the_order() -> None:
    log = Log()
    prepared = [threading.Event() for _ in range(4)]
    run_steps(steps(log, 4, prepared=prepared))
    done = [e for e in log.events if e.startswith("done")]
    assert done == ["done 0", "done 1", "done 2", "done 3"]
    for i in range(4):  # each step prepared, stored, then reported; the report before the next step runs
        assert log.events.index(f"prepare {i}") < log.events.index(f"run {i}") < log.events.index(f"done {i}")
        if i < 3:
            assert log.events.index(f"done {i}") < log.events.index(f"run {i + 1}")
    caller = threading.get_ident()
    assert {log.threads[f"prepare {i}"] for i in range(4)} == {caller}
    assert {log.threads[f"done {i}"] for i in range(4)} == {caller}
    assert caller not in {log.threads[f"run {i}"] for i in range(4)}


def test_without_overlap_it_is_a_plain_loop_on_this_thread() -> None:
    log = Log()
    run_steps(steps(log, 3), overlap=False)
    assert log.events == [f"{what} {i}" for i in range(3) for what in ("prepare", "run", "stored", "done")]
    assert set(log.threads.values()) == {threading.get_ident()}


def test_a_failed_run_stops_the_load_no_later_step_runs() -> None:
    log = Log()
    with pytest.raises(RuntimeError, match="run 1"):
        run_steps(steps(log, 4, fail_run=1))
    assert "run 2" not in log.events and "run 3" not in log.events
    assert [e for e in log.events if e.startswith(("done", "stored"))] == ["stored 0", "done 0"]
    assert not [t for t in threading.enumerate() if t.name.startswith("dmm-store")]


def test_a_failed_prepare_lets_the_running_step_finish_first() -> None:
    log = Log()
    prepared = [threading.Event() for _ in range(4)]
    with pytest.raises(ValueError, match="prepare 2"):
        run_steps(steps(log, 4, fail_prepare=2, prepared=prepared))
    # Step 1 was running while step 2 was prepared: it ends (stored) before the error is raised.
    assert "stored 1" in log.events and "run 2" not in log.events
    assert not [t for t in threading.enumerate() if t.name.startswith("dmm-store")]


def test_a_run_error_wins_over_a_later_prepare_error() -> None:
    """As in the plain loop, where the store of step 1 fails before step 2 is prepared."""
    log = Log()
    prepared = [threading.Event() for _ in range(4)]
    with pytest.raises(RuntimeError, match="run 1"):
        run_steps(steps(log, 4, fail_run=1, fail_prepare=2, prepared=prepared))


def test_an_error_in_done_stops_the_load() -> None:
    """E.g. Streamlit stopping the script from the progress bar: nothing after it runs."""
    calls: list[int] = []

    def done(i: int) -> None:
        calls.append(i)
        if i == 1:
            raise KeyboardInterrupt

    ran: list[int] = []
    with pytest.raises(KeyboardInterrupt):
        run_steps([Step(prepare=lambda: None, run=lambda _, i=i: ran.append(i), done=lambda _, i=i: done(i))
                   for i in range(4)])
    assert calls == [0, 1] and ran == [0, 1]
