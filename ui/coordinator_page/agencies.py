"""The agencies section: the ranking table (worst first) and one agency's drill-down."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from coordinator import rankings, selection
from coordinator.data import (
    Population,
)
from coordinator.selection import Filters
from ui.coordinator_page.labels import LIGHT_EMOJI, light_names, table_headers, tr_for, type_names
from ui.coordinator_page.source import PopulationSource, bundle_key, cached_drill, scope_key
from ui.coordinator_page.widgets import keep_valid, select_row
from ui.i18n import t
from ui.table_numbers import number_table, show_numbers


def display_ranking(table: pd.DataFrame, pop: Population, lang: str) -> tuple[Styler, dict[str, Any]]:
    """The ranking table with readable type and light, its numbers in the language's format, and its
    column headers."""
    tr = tr_for(lang)
    shown = table.drop(columns=["province"]).copy()
    shown["agency_type"] = shown["agency_type"].map(type_names(tr))
    shown["province_name"] = shown["province_name"].fillna("")
    lights = light_names(tr)
    shown["light"] = shown["light"].map({k: f"{LIGHT_EMOJI[k]} {v}" for k, v in lights.items()})
    headers = table_headers(pop.bundle, tr, lang)
    config: dict[str, Any] = {column: headers.get(column, column) for column in shown.columns}
    config["agency_name"] = st.column_config.TextColumn(headers["agency_name"], width="medium", pinned=True)
    config["overall_score"] = st.column_config.NumberColumn(headers["overall_score"])
    config["met"] = st.column_config.CheckboxColumn(headers["met"])
    return number_table(shown, lang, decimals={"overall_score": 2}), config


def render_agencies(pop: Population, filters: Filters, year: str, lang: str, source: PopulationSource) -> None:
    round_ = selection.chosen_round(pop, filters)
    st.subheader(t("coordinator.ranking_title", round=round_))
    st.caption(t("coordinator.ranking_caption"))
    ranking = rankings.ranking(pop, filters, year)
    ids = ranking["agency_id"].tolist()
    keep_valid("coord_drill", ids, many=False)
    table, config = display_ranking(ranking, pop, lang)
    show_numbers(table, hide_index=True, column_config=config, key="coord_rank_table", selection_mode="single-row",
                 on_select=functools.partial(select_row, "coord_rank_table", "coord_drill", ids), height=420)
    names = dict(zip(ranking["agency_id"], ranking["agency_name"], strict=True))
    picked = st.selectbox(t("coordinator.drill_pick"), ids, index=None, key="coord_drill",
                          format_func=lambda a: f"{names.get(a, a)} ({a})",
                          placeholder=t("coordinator.drill_placeholder"))
    if picked:
        render_drill_down(pop, source, picked, str(round_))


def render_drill_down(pop: Population, source: PopulationSource, agency_id: str, round_: str) -> None:
    """The agency's full results (the IT lead's view), re-scored alone from storage and cached."""
    rows = pop.agencies[(pop.agencies["agency_id"] == agency_id) & (pop.agencies["round"] == round_)]
    if rows.empty or pd.isna(rows["assessment_id"].iloc[0]):
        return
    assessment_id = int(rows["assessment_id"].iloc[0])
    st.divider()
    st.caption(t("coordinator.drill_title", agency=rows["agency_name"].iloc[0], round=round_))
    bundle = pop.bundle
    try:
        result = cached_drill(source.store.url, scope_key(source.scope), bundle_key(bundle), assessment_id,
                               source.round_stamp(round_), source.store, source.scope, bundle)
    except Exception as exc:
        st.warning(t("coordinator.drill_unavailable", error=exc))
        return
    try:
        from ui.results_view import render_agency_result
    except ImportError:
        st.info(t("coordinator.drill_missing"))
        st.json(result.model_dump(mode="json", include={"agency_id", "round", "overall_level", "overall_score",
                                                          "targets"}), expanded=False)
        return
    render_agency_result(result, bundle, key=f"coord_drill_{assessment_id}")

