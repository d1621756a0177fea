"""Small pieces every section uses: remembered choices, row clicks, charts with image downloads."""

from __future__ import annotations

import functools
from typing import Any

import altair as alt
import streamlit as st

from reports.population_charts import localised
from ui.i18n import current_language, t

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


def show_chart(chart: alt.TopLevelMixin, key: str, name: str, stretch: bool = True) -> None:
    """The chart in the page's number format ("9,9 %" / "9.9%"), with PNG and SVG downloads
    generated only when clicked."""
    chart = localised(chart, current_language())
    st.altair_chart(chart, width="stretch" if stretch else "content", key=f"coord_chart_{key}")
    spec = functools.partial(_spec, chart)
    c_png = c_svg = st.container(horizontal=True, key=f"coord_images_{key}")
    c_png.download_button(t("coordinator.chart_png"), lambda: chart_png(spec()), file_name=f"{name}.png",
                          mime="image/png", key=f"coord_png_{key}", type="tertiary", on_click="ignore",
                          icon=":material/image:")
    c_svg.download_button(t("coordinator.chart_svg"), lambda: chart_svg(spec()).encode("utf-8"),
                          file_name=f"{name}.svg", mime="image/svg+xml", key=f"coord_svg_{key}", type="tertiary",
                          on_click="ignore", icon=":material/image:")


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return chart.to_dict()


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

