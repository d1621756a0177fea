"""The heatmap section: aggregated rows first (province or type x dimension), then one group's agencies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import streamlit as st

from coordinator import heatmaps, selection
from coordinator.data import (
    Population,
)
from coordinator.selection import Filters
from reports import population_charts as charts
from scoring.numbers import fmt_decimal, fmt_int
from ui.coordinator_page.labels import chart_labels, dimension_names, tr_for, type_names
from ui.coordinator_page.widgets import keep_valid, show_chart
from ui.i18n import t

HEATMAP_DEFAULT_ROWS = 40


HEATMAP_ROWS = ("province", "agency_type", "agencies")


def group_names(pop: Population, tr: Callable[..., str], by: str) -> dict[str, str]:
    """Row names of an aggregated heatmap: agency types, or provinces with the ministries labelled."""
    if by == "agency_type":
        return type_names(tr)
    return pop.province_names | {selection.MINISTRIES: tr("coordinator.type_ministry_label")}


def _group_filters(filters: Filters, by: str, group: str) -> Filters:
    if by == "agency_type":
        return replace(filters, agency_types=(group,))
    if group == selection.MINISTRIES:
        return replace(filters, agency_types=("ministry",), provinces=())
    return replace(filters, provinces=(group,))


def render_heatmap(pop: Population, filters: Filters, year: str, lang: str) -> None:
    """Aggregated first (province × dimension or type × dimension, weakest rows first), then the
    agencies of one chosen group: never a wall of thousands of rows."""
    tr = tr_for(lang)
    st.subheader(t("coordinator.heatmap_title"))
    c_rows, c_measure, c_sort, c_top = st.columns([1.4, 1.2, 1.2, 1])
    rows = c_rows.selectbox(t("coordinator.heatmap_rows"), HEATMAP_ROWS, key="coord_hm_rows",
                            format_func=lambda r: tr(f"coordinator.rows_{r}"))
    measure = c_measure.selectbox(t("coordinator.heatmap_measure"), heatmaps.HEATMAP_MEASURES, key="coord_hm_measure",
                                  format_func=lambda m: tr(f"coordinator.measure_{m}"))
    sort = c_sort.selectbox(t("coordinator.heatmap_sort"), heatmaps.HEATMAP_SORTS, key="coord_hm_sort",
                            format_func=lambda s: tr(f"coordinator.sort_{s}"))
    top = c_top.number_input(t("coordinator.heatmap_top"), min_value=5, max_value=300,
                             value=HEATMAP_DEFAULT_ROWS, step=5, key="coord_hm_top")
    dims = dimension_names(pop.bundle, lang)
    labels = chart_labels(tr)
    chosen = filters
    if rows != "agencies":
        grouped = heatmaps.group_heatmap(pop, filters, year, by=rows, measure=measure)
        if grouped.empty:
            return
        names = group_names(pop, tr, rows)
        grouped["agency_name"] = grouped["group"].map(lambda g: names.get(g, str(g)))
        grouped["text"] = grouped["value"].map(lambda v: fmt_decimal(v, lang))
        st.caption(t("coordinator.heatmap_groups_note", groups=fmt_int(grouped["group"].nunique(), lang),
                     agencies=fmt_int(int(selection.selection(pop, filters).sum()), lang)))
        chart = charts.heatmap_chart(grouped, dims, labels, measure=measure, id_field="-")
        show_chart(chart, "heatmap_groups", f"heatmap-{rows}-{measure}-{year}", stretch=False)
        order = grouped.drop_duplicates("group").sort_values("row")["group"].tolist()
        keep_valid("coord_hm_group", order, many=False)
        group = st.selectbox(t("coordinator.heatmap_drill"), order, index=None, key="coord_hm_group",
                             format_func=lambda g: names.get(g, str(g)),
                             placeholder=t("coordinator.heatmap_drill_placeholder"))
        if not group:
            return
        chosen = _group_filters(filters, rows, group)
        st.markdown(f"**{names.get(group, group)}**")
    data = heatmaps.heatmap(pop, chosen, year, measure=measure, sort=sort, top_n=int(top))
    st.caption(t("coordinator.heatmap_note", shown=fmt_int(data.shown, lang), total=fmt_int(data.total, lang),
                 sort=t(f"coordinator.sort_{sort}")))
    if data.shown:
        frame = data.frame.assign(text=data.frame["value"].map(lambda v: fmt_decimal(v, lang, 0)))
        chart = charts.heatmap_chart(frame, dims, labels, measure=measure)
        show_chart(chart, "heatmap", f"heatmap-{measure}-{year}", stretch=False)

