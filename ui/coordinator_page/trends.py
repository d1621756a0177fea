"""The trends section: shares per round, the projection with its range, changes between rounds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from coordinator import selection, trends
from coordinator.data import (
    Population,
)
from coordinator.selection import Filters
from reports import population_charts as charts
from scoring import numbers
from scoring.numbers import fmt_pct
from ui.coordinator_page.labels import (
    LIGHT_EMOJI,
    chart_labels,
    fmt_points,
    fmt_reach,
    light_names,
    measure_names,
    status_names,
    table_headers,
    target_names,
    tr_for,
    type_names,
)
from ui.coordinator_page.widgets import keep_valid, show_chart
from ui.i18n import t
from ui.table_numbers import number_table, show_numbers


def render_trends(pop: Population, filters: Filters, year: str, lang: str) -> None:
    tr = tr_for(lang)
    labels = chart_labels(tr)
    measures = measure_names(pop, tr)
    st.subheader(t("coordinator.trends_title"))
    if len(pop.rounds) < 2:
        st.info(t("coordinator.trend_single_round"))
    c_group, c_measure, _ = st.columns([1.3, 1.3, 2])
    group = c_group.selectbox(t("coordinator.trend_group"), selection.GROUPINGS, key="coord_trend_group",
                              format_func=lambda g: tr(f"coordinator.group_by_{g}"))
    data = trends.trend(pop, filters, by=group)
    if group == "all":
        shown_measures = measures
    else:
        chosen = c_measure.selectbox(t("coordinator.trend_measure"), list(measures), key="coord_trend_measure",
                                     format_func=measures.get)
        shown_measures = {chosen: measures[chosen]}
    group_names = type_names(tr) if group == "agency_type" else pop.province_names if group == "province" else None
    show_chart(charts.trend_chart(data, shown_measures, labels, group_names=group_names, rounds=pop.rounds),
               "trend", f"trend-{group}")

    st.subheader(t("coordinator.projection_title"))
    st.caption(t("coordinator.projection_caption"))
    projection = trends.projection(pop, filters)
    targets = target_names(pop, tr, lang)
    statuses = status_names(tr)
    if (projection["status"] == "no_trend").any():
        st.info(t("coordinator.projection_too_few", rounds=len(pop.rounds), needed=trends.MIN_ROUNDS_FOR_PROJECTION))

    def ranged(value: str, low: str, high: str) -> str:
        return value if low == high or numbers.MISSING in (value, low, high) else t(
            "coordinator.projection_range", value=value, low=low, high=high)

    shown = pd.DataFrame({
        t("coordinator.col_target"): projection["key"].map(targets),
        t("coordinator.col_first_round"): projection["first_round"],
        t("coordinator.col_last_round"): projection["last_round"],
        t("coordinator.col_last_share"): projection["last_share"].map(lambda v: fmt_pct(v, lang)),
        t("coordinator.col_gain"): [ranged(fmt_points(g, lang, tr), fmt_points(lo, lang, tr), fmt_points(hi, lang, tr))
                                    for g, lo, hi in projection[["gain_per_year", "gain_low", "gain_high"]].itertuples(
                                        index=False)],
        t("coordinator.col_projected"): [ranged(fmt_pct(v, lang), fmt_pct(lo, lang), fmt_pct(hi, lang))
                                         for v, lo, hi in projection[["projected_share", "projected_low",
                                                                      "projected_high"]].itertuples(index=False)],
        t("coordinator.col_status"): projection["status"].map(statuses),
        t("coordinator.col_reach_year"): [ranged(fmt_reach(v, tr), fmt_reach(e, tr), fmt_reach(late, tr))
                                          for v, e, late in projection[["reach_year", "reach_year_early",
                                                                        "reach_year_late"]].itertuples(index=False)],
    })
    st.dataframe(shown, hide_index=True, key="coord_projection_table")
    observed = trends.observed_shares(pop, filters)
    if not observed.empty:
        show_chart(charts.projection_chart(observed, projection, targets, labels), "projection", "projection")

    if len(pop.rounds) >= 2:
        st.subheader(t("coordinator.changes_title"))
        c_from, c_to, _ = st.columns([1, 1, 3])
        keep_valid("coord_changes_from", pop.rounds, many=False)
        keep_valid("coord_changes_to", pop.rounds, many=False)
        first = c_from.selectbox(t("coordinator.changes_from"), pop.rounds, index=0, key="coord_changes_from")
        last = c_to.selectbox(t("coordinator.changes_to"), pop.rounds, index=len(pop.rounds) - 1,
                              key="coord_changes_to")
        changes = trends.agency_changes(pop, filters, first, last)
        change = changes["level_change"]
        st.caption(t("coordinator.changes_caption", improved=int((change > 0).sum()), same=int((change == 0).sum()),
                     declined=int((change < 0).sum())))
        changes["agency_type"] = changes["agency_type"].map(type_names(tr))
        changes["province_name"] = changes["province_name"].fillna("")
        show_numbers(number_table(changes, lang, decimals=dict.fromkeys(("score_from", "score_to", "score_change"), 2)),
                     hide_index=True, key="coord_changes_table", height=320,
                     column_config={c: t(f"coordinator.col_{k}") for c, k in (
                         ("agency_id", "agency_id"), ("agency_name", "agency"), ("agency_type", "type"),
                         ("province_name", "province"), ("level_from", "level_from"), ("level_to", "level_to"),
                         ("level_change", "level_change"), ("score_from", "score_from"), ("score_to", "score_to"),
                         ("score_change", "score_change"))})
        agencies = changes["agency_id"].tolist()
        names = dict(zip(changes["agency_id"], changes["agency_name"], strict=True))
        keep_valid("coord_trend_agency", agencies, many=False)
        picked = st.selectbox(t("coordinator.agency_trend_pick"), agencies, index=None, key="coord_trend_agency",
                              format_func=lambda a: f"{names.get(a, a)} ({a})",
                              placeholder=t("coordinator.drill_placeholder"))
        if picked:
            history = trends.agency_history(pop, picked, year)
            history["light"] = history["light"].map({k: f"{LIGHT_EMOJI[k]} {v}" for k, v in light_names(tr).items()})
            headers = table_headers(pop.bundle, tr, lang)
            show_numbers(number_table(history, lang, decimals={"overall_score": 2}), hide_index=True,
                         key="coord_history_table",
                         column_config={c: headers.get(c, c) for c in history.columns})

