"""The coordinator page's "load the national demo" button in AppTest, on SQLite and PostgreSQL: the
load runs its batches through coordinator.overlap (a worker thread stores, the script's thread
draws the progress bar) and the page then says what was loaded. A small demo stands in for the
national one (40 agencies x 2 rounds, batches of 10), with the overlap on both databases."""

from __future__ import annotations

import functools
import threading

import pytest

import coordinator.demo as demo
import ui.coordinator_page.imports as imports_section
from storage import Store
from tests.ui.conftest import NATIONAL, texts
from tests.ui.test_coordinator import open_coordinator


def test_the_demo_button_loads_with_the_bar_on_the_scripts_thread(store: Store,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    shares: list[tuple[float, bool]] = []
    real_load = demo.load_demo

    def small_demo(*args: object, progress: object = None, **kwargs: object) -> demo.DemoReport:
        assert callable(progress)

        def watched(share: float) -> None:  # the page's bar, called where Streamlit allows it
            shares.append((share, threading.current_thread().name.startswith("dmm-store")))
            progress(share)

        return real_load(*args, progress=watched, total=40, rounds=2, overlap=True, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(demo, "BATCH", 10)
    monkeypatch.setattr(imports_section, "load_demo", functools.partial(small_demo))
    at = open_coordinator("en")
    at.button(key="coord_demo").click().run()
    assert not at.exception, at.exception
    assert "Loaded 80 assessments (0 were already present)." in texts(at)
    assert len(store.list_assessments(NATIONAL)) == 80
    assert len(shares) == 11 and not any(on_worker for _, on_worker in shares) and shares[-1][0] == 1.0
