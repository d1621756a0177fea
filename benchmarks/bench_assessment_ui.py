"""How long one answer change takes on the assessment page, next to Streamlit's own floor.

    python benchmarks/bench_assessment_ui.py

With AppTest (server side: the callback that saves the answer plus the script run), on the step of
the largest dimension: the median of 15 answer changes. The floor is a bare Streamlit script with
the same widgets (radios with the same options and captions, text and number inputs, selectboxes,
buttons, popovers and as many markdown elements), written to a temp file and timed the same way.
Targets: ratio <= 1.5 and under 150 ms. Prints figures; no asserts.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 15
WARMUP = 3
TARGET_RATIO = 1.5
TARGET_MS = 150.0


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _elements(at) -> Counter[str]:
    counts: Counter[str] = Counter()

    def walk(node) -> None:
        kind = getattr(node, "type", None)
        if kind:
            counts[kind] += 1
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return counts


def setup_app(folder: Path):
    os.environ["DMM_SQLITE_PATH"] = str(folder / "bench.sqlite3")
    os.environ.pop("DATABASE_URL", None)
    from streamlit.testing.v1 import AppTest

    from scoring.content import load_bundle
    from scoring.schemas.response import Agency
    from storage import Scope, Store
    from ui import state

    state._store.clear()
    bundle = load_bundle()
    store = Store()
    scope = Scope.national()
    store.upsert_agency(Agency(id="xa_bench", name="Ủy ban nhân dân xã Đắk Hà", type="commune",
                               province="tinh_dak_lak"), scope, "bench")
    info = store.create_assessment("xa_bench", "2026", bundle.questionnaire.id, bundle.questionnaire.version,
                                   scope, "bench")
    largest = max(bundle.questionnaire.dimensions, key=lambda d: len(d.questions))
    question = next(q for q in largest.questions if q.kind == "level")
    at = AppTest.from_file(str(ROOT / "app_router.py"), default_timeout=60)
    at.query_params["a"] = str(info.id)
    at.run()
    at.switch_page("app_pages/assessment.py").run()
    at.selectbox(key="journey_step_select").set_value(largest.id).run()
    assert not at.exception, at.exception
    key = f"q_{info.id}_{question.id}_choice"

    def check(value: int) -> None:
        assert not at.exception, at.exception
        assert store.load_answers(info.id, scope)[question.id].value == value  # really saved

    return at, key, check, f"{largest.id} ({len(largest.questions)} questions)"


def bare_script(counts: Counter[str]) -> str:
    """A script with the same widgets and elements as the measured page, and nothing else."""
    caption = "Lãnh đạo cơ quan đã phê duyệt kiến trúc dữ liệu mô tả các miền dữ liệu, cơ sở dữ liệu và luồng dữ liệu."
    lines = [
        "import streamlit as st",
        f"CAPTIONS = [{caption!r}] * 5 + ['', '']",
        "LEVELS = [1, 2, 3, 4, 5, 'na', 'dont_know']",
    ]
    radios = counts["radio"]
    for i in range(radios):
        if i % 2 == 0:
            lines.append(f"st.radio('q{i}', LEVELS, index=None, key='r{i}', captions=CAPTIONS, "
                         "format_func=lambda v: f'Cấp {v}')")
        else:
            lines.append(f"st.radio('q{i}', ['value', 'na', 'dont_know'], key='r{i}', horizontal=True)")
    for i in range(counts["number_input"]):
        lines.append(f"st.number_input('n{i}', 0.0, 100.0, value=None, key='n{i}')")
    for i in range(counts["text_input"]):
        lines.append(f"st.text_input('t{i}', key='t{i}')")
    for i in range(counts["selectbox"]):
        lines.append(f"st.selectbox('s{i}', list(range(10)), key='s{i}')")
    for i in range(counts["button"]):
        lines.append(f"st.button('b{i}', key='b{i}')")
    for i in range(counts["popover"]):
        lines.append(f"with st.popover('p{i}'):\n    st.markdown('guide {i}')")
    for i in range(max(0, counts["markdown"] - counts["popover"])):
        lines.append(f"st.markdown('**{i}.** text')")
    return "\n".join(lines) + "\n"


def setup_bare(counts: Counter[str], folder: Path):
    from streamlit.testing.v1 import AppTest

    script = folder / "bare.py"
    script.write_text(bare_script(counts), encoding="utf-8")
    at = AppTest.from_file(str(script), default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def timed_change(at, key: str, value: int) -> float:
    at.radio(key=key).set_value(value)
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start


class _Clock:
    """Where the app's time goes: wraps a few functions in-process (AppTest runs the script in a
    thread of this process) and sums their time per answer change."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.enabled = False

    def wrap(self, owner: object, name: str, tag: str) -> None:
        original = getattr(owner, name)
        clock = self

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                if clock.enabled:
                    clock.spent[tag] = clock.spent.get(tag, 0.0) + time.perf_counter() - start

        setattr(owner, name, timed)

    def take(self) -> dict[str, float]:
        spent, self.spent = self.spent, {}
        return spent


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        app, app_key, check, label = setup_app(folder)
        counts = _elements(app)
        bare = setup_bare(counts, folder)
        from streamlit.navigation.page import StreamlitPage
        from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

        from storage import Store

        clock = _Clock()
        clock.wrap(ScriptRunner, "_run_script", "script")
        clock.wrap(StreamlitPage, "run", "page")
        clock.wrap(Store, "save_answer", "save")
        # Interleaved, so that load from other processes affects both the same way.
        app_samples, bare_samples = [], []
        parts: dict[str, list[float]] = {"script": [], "page": [], "save": []}
        for i in range(WARMUP + RUNS):
            value = i % 5 + 1
            clock.enabled = True
            app_time = timed_change(app, app_key, value)
            clock.enabled = False
            spent = clock.take()
            check(value)
            bare_time = timed_change(bare, "r0", value)
            if i >= WARMUP:
                app_samples.append(app_time)
                bare_samples.append(bare_time)
                for tag in parts:
                    parts[tag].append(spent.get(tag, 0.0))
    app_ms, bare_ms = _median_ms(app_samples), _median_ms(bare_samples)
    widgets = {k: counts[k] for k in ("radio", "number_input", "text_input", "selectbox", "button", "popover")}
    print(f"largest step: {label}; widgets {widgets}; markdown elements {counts['markdown']}")
    print(f"answer change on the assessment page (median of {RUNS}): {app_ms:7.1f} ms  (target < {TARGET_MS:.0f} ms)")
    print(f"bare Streamlit script, same widgets   (median of {RUNS}): {bare_ms:7.1f} ms")
    script, page, save = (_median_ms(parts[k]) for k in ("script", "page", "save"))
    print(f"  of which (medians): the saving callback's store.save_answer {save:.1f} ms; the page "
          f"(app_pages/assessment.py) {page:.1f} ms; app.py around it, callbacks and script start "
          f"{script - page:.1f} ms; AppTest outside the script {app_ms - script:.1f} ms")
    ratio = app_ms / bare_ms if bare_ms else float("inf")
    verdict = "OK" if ratio <= TARGET_RATIO and app_ms < TARGET_MS else "ABOVE TARGET"
    print(f"ratio: {ratio:.2f}  (target <= {TARGET_RATIO})  {verdict}")


if __name__ == "__main__":
    main()
