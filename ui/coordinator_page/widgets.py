"""Small pieces every section uses: remembered choices, row clicks, charts with image downloads."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st
from altair.utils.data import to_values
from streamlit import dataframe_util

from scoring.numbers import chart_locale
from ui.i18n import current_language, t

try:  # Streamlit switches Altair's global theme and data transformer under this lock while it converts
    from streamlit.elements.vega_charts import _altair_globals_lock as ALTAIR_GLOBALS
except ImportError:  # pragma: no cover - a Streamlit without it: our own lock, the same rule for our charts
    ALTAIR_GLOBALS = threading.Lock()

SECTIONS = ("overview", "responses", "heatmap", "provinces", "agencies", "trends", "import")


PENDING_SECTION = "coord_section_next"


def open_section_next_run(section: str) -> None:
    """Ask for `section` to be open after the rerun. The section selector may already be drawn in
    this run (an import from a populated page), and Streamlit refuses a write to a drawn widget's
    state, so the wish waits in its own key and `apply_pending_section` sets it before drawing."""
    st.session_state[PENDING_SECTION] = section


def apply_pending_section() -> None:
    section = st.session_state.pop(PENDING_SECTION, None)
    if section in SECTIONS:
        st.session_state["coord_section"] = section


def keep_valid(key: str, options: list[str], many: bool) -> None:
    """Drop a remembered filter value that the data no longer offers."""
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if many:
        kept = [v for v in (value or []) if v in options]
        if kept != list(value or []):
            st.session_state[key] = kept
    elif value not in options:
        del st.session_state[key]


def vega_spec(chart: alt.TopLevelMixin, lang: str) -> dict[str, Any]:
    """The chart's Vega-Lite spec in the language's number format ("9,9 %" / "9.9%"), as
    `st.altair_chart` would send it but built once, without Altair's schema validation (most of a
    chart's cost on every run) and without Altair's default theme (Streamlit drops it too). The data
    travel in the spec's named `datasets`. A plain dict: pages cache it per population and filters."""
    datasets: dict[str, Any] = {}
    # Not top level: no theme merged in; the named datasets are collected into `datasets`.
    context = {"datasets": datasets, "top_level": False}
    with ALTAIR_GLOBALS, alt.data_transformers.disable_max_rows():  # the default transformer, no row cap
        spec = chart.to_dict(validate=False, context=context)
    spec.setdefault("config", {})["locale"] = chart_locale(lang)  # what `localised` sets, on the dict
    spec["$schema"] = alt.SCHEMA_URL
    if datasets:
        spec["datasets"] = datasets
    return spec


def spec_with_rows(build: Callable[[], alt.TopLevelMixin], words: object, rows: pd.DataFrame,
                   lang: str) -> dict[str, Any]:
    """The spec of a chart whose one dataset is `rows` and whose spec apart from them depends only on
    `words` (its labels, names and settings: a `reports.population_charts` chart drawn in the rows'
    order). Altair builds the spec once per `words` and language (`build()`, with any rows); a
    filter change only swaps the rows in. The dataset keeps its name, so the browser's chart takes
    the new rows instead of being drawn anew. The rows are kept as the Arrow bytes Streamlit sends a
    dataset as (Streamlit passes bytes through), made once per filters: Altair's records went through
    its sanitising and, on every run, back into a frame and into Arrow (a tenth of a filter change's
    server time). `file_spec` turns them into records again for a downloaded file."""
    template = _template(json.dumps(words, sort_keys=True, default=str), lang, build)
    (name,) = template["datasets"]
    return {**template, "datasets": {name: dataframe_util.convert_anything_to_arrow_bytes(rows)}}


@st.cache_resource(max_entries=64, show_spinner=False)
def _template(words: str, lang: str, _build: Callable[[], alt.TopLevelMixin]) -> dict[str, Any]:
    """Shared read-only: callers copy the top level and never change the rest."""
    del words  # part of the cache key only
    return vega_spec(_build(), lang)


def show_chart(chart: alt.TopLevelMixin, key: str, name: str, stretch: bool = True) -> None:
    """The chart in the page's number format, with PNG and SVG downloads generated only when clicked."""
    show_spec(vega_spec(chart, current_language()), key, name, stretch)


def show_spec(spec: dict[str, Any], key: str, name: str, stretch: bool = True) -> None:
    """A spec from `vega_spec` (e.g. cached), with PNG and SVG downloads generated only when clicked
    (as a file: with Altair's theme, as `chart.to_dict()` gives it)."""
    st.vega_lite_chart(spec, width="stretch" if stretch else "content", key=f"coord_chart_{key}")
    c_png = c_svg = st.container(horizontal=True, key=f"coord_images_{key}")
    c_png.download_button(t("coordinator.chart_png"), lambda: chart_png(file_spec(spec)), file_name=f"{name}.png",
                          mime="image/png", key=f"coord_png_{key}", type="tertiary", on_click="ignore",
                          icon=":material/image:")
    c_svg.download_button(t("coordinator.chart_svg"), lambda: chart_svg(file_spec(spec)).encode("utf-8"),
                          file_name=f"{name}.svg", mime="image/svg+xml", key=f"coord_svg_{key}", type="tertiary",
                          on_click="ignore", icon=":material/image:")


def file_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec as a file gets it: Altair's active theme under the chart's own settings, every dataset
    as records (as Altair writes them)."""
    datasets = {name: to_values(pa.ipc.open_stream(rows).read_pandas())["values"] if isinstance(rows, bytes) else rows
                for name, rows in spec.get("datasets", {}).items()}
    plain = {**spec, "datasets": datasets} if datasets else dict(spec)
    return alt.utils.update_nested(alt.theme.get()(), copy.deepcopy(plain), copy=True)


def chart_png(spec: dict[str, Any]) -> bytes:
    from reports.base import chart_png as render  # vl-convert and fpdf load on the first click only

    return render(spec)


def chart_svg(spec: dict[str, Any]) -> str:
    from reports.base import chart_svg as render

    return render(spec)


def select_row(table_key: str, target_key: str, ids: list[str]) -> None:
    """A dataframe row click → the matching selectbox value."""
    selection = st.session_state.get(table_key)
    rows = getattr(getattr(selection, "selection", None), "rows", None)
    if rows is None and isinstance(selection, dict):
        rows = selection.get("selection", {}).get("rows")
    if rows:
        st.session_state[target_key] = ids[rows[0]]

