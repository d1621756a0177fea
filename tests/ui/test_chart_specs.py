"""The coordinator's charts are sent as specs built once (`ui.coordinator_page.widgets.vega_spec`,
cached per filters): each must be what `st.altair_chart` would have sent for the localised chart."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pyarrow as pa
import pytest
from altair.utils.data import to_values
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from reports import population_charts as charts
from reports.population_charts import localised
from scoring.numbers import chart_locale
from ui.coordinator_page.widgets import chart_svg, file_spec, spec_with_rows, vega_spec

COUNTS = pd.DataFrame({"group": ["all", "commune"], "GREEN": [1, 2], "YELLOW": [3, 4], "RED": [5, 6],
                       "total": [9, 12], "share_green": [1 / 9, 2 / 12]})
DISTRIBUTION = pd.DataFrame({"agency_type": ["commune"] * 6, "level": ["1", "2", "3", "4", "5", "unrated"],
                             "agencies": [5, 4, 3, 2, 1, 0], "share": [5 / 15, 4 / 15, 3 / 15, 2 / 15, 1 / 15, 0.0]})
SHORTFALL = pd.DataFrame({"dimension_id": ["a", "b"], "required": [3, 3], "agencies": [10, 10], "below": [7, 2],
                          "unrated": [0, 1], "share_below": [0.7, 0.2], "mean_level": [2.1, 3.4]})
CHARTS = {
    "lights": lambda: charts.lights_chart(COUNTS, {"all": "Tất cả"}, {"GREEN": "X", "YELLOW": "V", "RED": "Đ"}, {}),
    "distribution": lambda: charts.level_distribution_chart(DISTRIBUTION, {"commune": "Xã"},
                                                            {k: f"Cấp {k}" for k in DISTRIBUTION["level"]}, {}),
    "shortfall": lambda: charts.shortfall_chart(SHORTFALL, {"a": "Dữ liệu", "b": "Con người"}, {}),
}


def _without_data(spec: dict) -> tuple[str, list[pd.DataFrame]]:
    spec = dict(spec)
    datasets = spec.pop("datasets", {})
    frames = []
    for name in sorted(datasets):
        value = datasets[name]
        frame = pa.ipc.open_stream(io.BytesIO(value)).read_pandas() if isinstance(value, bytes) else pd.DataFrame(value)
        frames.append(frame.reset_index(drop=True))
    text = json.dumps(spec, sort_keys=True)
    return re.sub(r'"(data-[0-9a-f]+|[0-9a-f]{16,})"', '"<dataset>"', text), frames


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_a_cached_spec_is_what_streamlit_would_send(name: str, lang: str) -> None:
    chart = CHARTS[name]()
    ours, our_data = _without_data(vega_spec(chart, lang))
    theirs, their_data = _without_data(_convert_altair_to_vega_lite_spec(localised(chart, lang)))
    assert ours == theirs
    assert len(our_data) == len(their_data) == 1
    pd.testing.assert_frame_equal(our_data[0], their_data[0][list(our_data[0].columns)], check_dtype=False)
    assert vega_spec(chart, lang)["config"]["locale"] == chart_locale(lang)  # "9,9 %" / "9.9%" on the axes


def test_a_downloaded_chart_keeps_altairs_theme() -> None:
    chart = CHARTS["lights"]()
    assert file_spec(vega_spec(chart, "vi"))["config"]["view"] == chart.to_dict()["config"]["view"]


DATA = {
    "lights": (lambda counts: charts.lights_data(counts, {"all": "Tất cả"}, {"GREEN": "X", "YELLOW": "V", "RED": "Đ"}),
               COUNTS, COUNTS.iloc[::-1].assign(GREEN=[7, 0])),
    "distribution": (lambda d: charts.level_distribution_data(d, {"commune": "Xã"},
                                                              {k: f"Cấp {k}" for k in DISTRIBUTION["level"]}),
                     DISTRIBUTION, DISTRIBUTION.assign(agencies=[0, 1, 2, 3, 4, 5])),
    "shortfall": (lambda s: charts.shortfall_data(s, {"a": "Dữ liệu", "b": "Con người"}),
                  SHORTFALL, SHORTFALL.assign(share_below=[0.1, 0.9])),
}
BUILD = {
    "lights": lambda counts: charts.lights_chart(counts, {"all": "Tất cả"}, {"GREEN": "X", "YELLOW": "V", "RED": "Đ"},
                                                 {}),
    "distribution": lambda d: charts.level_distribution_chart(d, {"commune": "Xã"},
                                                              {k: f"Cấp {k}" for k in DISTRIBUTION["level"]}, {}),
    "shortfall": lambda s: charts.shortfall_chart(s, {"a": "Dữ liệu", "b": "Con người"}, {}),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_a_filter_change_swaps_the_rows_into_the_same_spec(name: str) -> None:
    """Built once with the first rows, the spec with other rows is the spec Altair builds for them
    (other order of groups included), under the same dataset name (the browser updates the chart)."""
    rows_of, first, other = DATA[name]
    words = (name, "test words")
    before = spec_with_rows(lambda: BUILD[name](first), words, rows_of(first), "vi")
    after = spec_with_rows(lambda: BUILD[name](pd.DataFrame()), words, rows_of(other), "vi")  # not built again
    assert list(after["datasets"]) == list(before["datasets"])
    assert after["datasets"] != before["datasets"]
    fresh_text, fresh_data = _without_data(vega_spec(BUILD[name](other), "vi"))
    after_text, after_data = _without_data(after)
    assert after_text == fresh_text
    pd.testing.assert_frame_equal(after_data[0], fresh_data[0])


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_a_downloaded_chart_has_its_rows_as_altair_writes_them(name: str) -> None:
    """The page's spec carries its rows as Arrow bytes (what Streamlit sends); a PNG or SVG file is made
    from records, as Altair writes them, and renders."""
    rows_of, first, _ = DATA[name]
    spec = spec_with_rows(lambda: BUILD[name](first), (name, "download"), rows_of(first), "vi")
    (dataset,) = spec["datasets"].values()
    assert isinstance(dataset, bytes)
    written = file_spec(spec)
    (records,) = written["datasets"].values()
    assert records == to_values(rows_of(first))["values"]
    assert chart_svg(written).lstrip().startswith("<svg")
