"""The end-of-run marker: the last element of every script run, so a browser test knows that the run
its action caused has finished (tests/e2e/conftest.py `wait_idle`, `reruns`).

Streamlit's own `data-test-script-state="notRunning"` cannot say that alone: right after a click it
still reads notRunning until the rerun starts, and between the two runs of an `st.rerun()` it reads
notRunning again. The marker is drawn only when a run really ends (a full run at the end of the page
frame, a fragment's own rerun at the end of that fragment; never by a run that `st.rerun()` cut
short) and carries a value no earlier run of any session showed: a random token per session and a
run counter. A test takes the markers on the page before its action and waits until a new one is
drawn and the script state is notRunning.

It is a hidden element (`display: none`: no space, no pixels, not read by screen readers) of about
a hundred bytes per run.
"""

from __future__ import annotations

import functools
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

MARKER_CLASS = "dmm-run-end"
ATTRIBUTE = "data-run-end"
_STATE_KEY = "_dmm_run_end"
# The marker's element container takes no room: without this the page's flex gap would add space.
_HIDE = f"<style>.stElementContainer:has(.{MARKER_CLASS}) {{ display: none; }}</style>"

P = ParamSpec("P")
R = TypeVar("R")

_nesting = threading.local()  # fragments running inside this script thread's run, outermost first


def mark_run_end() -> None:
    """Draw the marker: call it as the last thing a run does."""
    token, count = st.session_state.get(_STATE_KEY, (secrets.token_hex(4), 0))
    count += 1
    st.session_state[_STATE_KEY] = (token, count)
    st.html(f'<div class="{MARKER_CLASS}" {ATTRIBUTE}="{token}-{count}" aria-hidden="true"></div>{_HIDE}')


@contextmanager
def page_run() -> Iterator[None]:
    """Around the page frame's run: the marker ends it, also when a page fails (the error is shown
    and the run is over), but not when `st.rerun()` or `st.switch_page` starts another run."""
    try:
        yield
    except Exception:
        mark_run_end()
        raise
    mark_run_end()


def stop_run() -> None:
    """`st.stop()` that still marks the end of the run (after `st.stop()` nothing can be drawn)."""
    mark_run_end()
    st.stop()


def marks_fragment_run(body: Callable[P, R]) -> Callable[P, R]:
    """For a fragment's function, under `@st.fragment`: when the fragment reruns alone, its run ends
    with the marker. In a full run, or inside another fragment's rerun, the outer run marks its end."""

    @functools.wraps(body)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        depth = getattr(_nesting, "depth", 0)
        ends_run = depth == 0 and _fragment_run()
        _nesting.depth = depth + 1
        try:
            result = body(*args, **kwargs)
        except Exception:  # the error is shown and the run is over
            if ends_run:
                mark_run_end()
            raise
        finally:  # a rerun or a stop (BaseException) ends this run without a marker: the next run draws it
            _nesting.depth = depth
        if ends_run:
            mark_run_end()
        return result

    return run


def _fragment_run() -> bool:
    ctx = get_script_run_ctx(suppress_warning=True)
    return bool(ctx and ctx.fragment_ids_this_run)
