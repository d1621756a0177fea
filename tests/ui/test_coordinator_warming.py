"""The server's start-up warming leaves the coordinator's first run nothing to compute: the latest
round is read and its default views (tiles, overview tables and charts, filter options) are cached,
in each language, under the key the page asks with."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coordinator.demo import load_demo
from scoring import Bundle
from storage import Store
from tests.ui.conftest import NATIONAL
from ui.coordinator_page import overview, source

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "coordination.py")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_first_run_after_warming_computes_no_view(store: Store, bundle: Bundle, lang: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    load_demo(store, bundle, NATIONAL, total=120, rounds=2)
    overview.cached_overview.clear()
    overview.cached_headline.clear()
    source._index_states()[1].clear()
    computed: list[tuple[object, ...]] = []
    views, tiles = overview.overview, overview.headline.headline

    def counted_views(*args: object) -> overview.Overview:
        computed.append(("overview", *args[1:]))
        return views(*args)  # type: ignore[arg-type]

    def counted_tiles(*args: object) -> overview.headline.Headline:
        computed.append(("tiles", *args[1:]))
        return tiles(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(overview, "overview", counted_views)
    monkeypatch.setattr(overview.headline, "headline", counted_tiles)
    source._warm_latest_round("standard")
    warmed = len(computed)
    assert warmed == 3, computed  # the tiles once, the overview in vi and en

    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    assert at.metric, "the tiles are drawn"
    assert len(computed) == warmed, computed[warmed:]  # everything came from the caches

    at.multiselect(key="coord_types").set_value(["commune"])
    at.run()
    assert [c[0] for c in computed[warmed:]] == ["tiles", "overview"]  # a new filter is computed once
