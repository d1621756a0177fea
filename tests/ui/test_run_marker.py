"""The end-of-run marker (ui/run_marker.py) the browser tests wait for: drawn once as the last element
of every run that ends (a full run, a fragment's own rerun, a stop, a failure), never by a run that
`st.rerun()` cuts short, and never twice with the same value."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

SCRIPT = """
import streamlit as st
from ui.run_marker import marks_fragment_run, page_run, stop_run

@st.fragment
@marks_fragment_run
def panel():
    st.button("inside", key="inside")

    @st.fragment
    @marks_fragment_run
    def inner():
        st.button("innermost", key="innermost")

    inner()

with page_run():
    st.button("outside", key="outside")
    panel()
    mode = st.session_state.get("mode")
    if mode == "stop":
        stop_run()
    if mode == "rerun" and not st.session_state.get("rerun_done"):
        st.session_state["rerun_done"] = True
        st.rerun()
    if mode == "fail":
        raise ValueError("boom")
    st.write("end of page")
"""
MARKER = re.compile(r'data-run-end="([0-9a-f]{8})-(\d+)"')


def _markers(at: AppTest) -> list[tuple[str, int]]:
    found = [MARKER.search(element.proto.body) for element in at.get("html")]
    return [(match[1], int(match[2])) for match in found if match]


def _last_is_marker(at: AppTest) -> bool:
    last = list(at.main)[-1]
    return last.type == "html" and bool(MARKER.search(last.proto.body))


def test_every_ending_run_draws_one_new_marker_last() -> None:
    at = AppTest.from_string(SCRIPT).run()
    assert not at.exception
    [(token, first)] = _markers(at)
    assert _last_is_marker(at) and "dmm-run-end" in at.get("html")[0].proto.body

    at.button(key="outside").click().run()
    assert _markers(at) == [(token, first + 1)] and _last_is_marker(at)

    at.session_state["mode"] = "stop"  # the page stops early: the run still says it ended
    at.run()
    assert _markers(at) == [(token, first + 2)] and "end of page" not in [m.value for m in at.markdown]

    at.session_state["mode"] = "rerun"  # two runs, one marker: the run st.rerun() cut short draws none
    at.run()
    assert _markers(at) == [(token, first + 3)]

    at.session_state["mode"] = "fail"  # the error is shown and the run is over
    at.run()
    assert at.exception and _markers(at) == [(token, first + 4)]

    other = AppTest.from_string(SCRIPT).run()  # another session never shows the same value
    assert _markers(other)[0][0] != token


def test_a_fragment_rerun_ends_with_its_own_marker_once() -> None:
    at = AppTest.from_string(SCRIPT).run()
    [(token, count)] = _markers(at)
    at.button(key="inside").click().run()  # only the fragment reruns: the inner fragment draws none
    assert _markers(at) == [(token, count + 1)]
    at.button(key="innermost").click().run()
    assert _markers(at) == [(token, count + 2)]
    at.run()  # a full run: the page frame's marker only
    assert _markers(at) == [(token, count + 3)] and _last_is_marker(at)


def test_every_stop_and_fragment_of_the_app_marks_its_run_end() -> None:
    """A bare `st.stop()` or an unmarked fragment would leave the browser tests waiting for a run end
    that is never drawn (they time out instead of testing)."""
    root = Path(__file__).resolve().parents[2]
    sources = [root / "app.py", root / "app_router.py", *(root / "app_pages").rglob("*.py"),
               *(root / "ui").rglob("*.py")]
    problems = []
    for path in sources:
        if path.name == "run_marker.py":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            code = line.split("#")[0]
            if "st.stop()" in code:
                problems.append(f"{path.relative_to(root)}:{number}: st.stop() (use ui.run_marker.stop_run)")
            if code.strip().startswith("@st.fragment") and lines[number].strip() != "@marks_fragment_run":
                problems.append(f"{path.relative_to(root)}:{number}: a fragment without @marks_fragment_run")
    assert not problems, problems
