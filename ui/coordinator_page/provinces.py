"""The provinces section: the tile map, the province roll-up and one province's agencies."""

from __future__ import annotations

import functools

import streamlit as st

from coordinator import rankings, selection
from coordinator.data import (
    Population,
)
from coordinator.selection import Filters
from reports import population_charts as charts
from scoring.numbers import fmt_int, fmt_pct
from ui.coordinator_page.agencies import display_ranking, render_drill_down
from ui.coordinator_page.labels import LIGHT_EMOJI, chart_labels, light_names, tr_for
from ui.coordinator_page.source import PopulationSource
from ui.coordinator_page.widgets import keep_valid, select_row, show_chart
from ui.i18n import t
from ui.responses_view import get_register
from ui.table_numbers import number_table, show_numbers


def render_provinces(pop: Population, filters: Filters, year: str, lang: str, source: PopulationSource) -> None:
    tr = tr_for(lang)
    st.subheader(t("coordinator.provinces_title", year=year))
    st.caption(t("coordinator.provinces_caption", year=year))
    rollup = rankings.province_rollup(pop, filters, year)
    if rollup.empty:
        st.info(t("coordinator.province_none"))
        return
    lights = light_names(tr)
    shown = rollup.drop(columns=["province"]).copy()
    shown["province_light"] = shown["province_light"].map({k: f"{LIGHT_EMOJI[k]} {v}" for k, v in lights.items()})
    ids = rollup["province"].tolist()
    keep_valid("coord_prov_pick", ids, many=False)
    render_tile_map(pop, filters, year, lang)
    show_chart(charts.province_chart(rollup, chart_labels(tr)), "provinces", f"provinces-{year}")
    show_numbers(
        number_table(shown, lang, shares=("share_green",), decimals={"province_level": 0, "mean_level": 2}),
        hide_index=True, key="coord_prov_table", selection_mode="single-row", height=420,
        on_select=functools.partial(select_row, "coord_prov_table", "coord_prov_pick", ids),
        column_config={
            "province_name": st.column_config.TextColumn(t("coordinator.col_province"), pinned=True),
            "province_light": st.column_config.TextColumn(t("coordinator.col_province_light")),
            "province_level": st.column_config.NumberColumn(t("coordinator.col_province_level")),
            "communes": st.column_config.NumberColumn(t("coordinator.col_communes")),
            **{k: st.column_config.NumberColumn(f"{LIGHT_EMOJI[k]} {v}") for k, v in lights.items()},
            "share_green": st.column_config.NumberColumn(t("coordinator.col_share_green")),
            "mean_level": st.column_config.NumberColumn(t("coordinator.col_mean_level")),
        },
    )
    names = pop.province_names
    picked = st.selectbox(t("coordinator.province_pick"), ids, index=None, key="coord_prov_pick",
                          format_func=lambda p: names.get(p, p), placeholder=t("coordinator.province_pick_placeholder"))
    if picked:
        st.subheader(t("coordinator.province_detail", province=names.get(picked, picked)))
        row = rollup[rollup["province"] == picked].iloc[0]
        c1, c2, c3 = st.columns(3)
        c1.metric(t("coordinator.col_province_light"), str(shown.loc[row.name, "province_light"] or "–"))
        c2.metric(t("coordinator.col_communes"), fmt_int(int(row["communes"]), lang))
        c3.metric(t("coordinator.col_share_green"), fmt_pct(row["share_green"], lang))
        detail = rankings.ranking(pop, Filters(round=filters.round, agency_types=filters.agency_types,
                                            provinces=(picked,), versions=filters.versions), year)
        table, config = display_ranking(detail, pop, lang)
        members = detail["agency_id"].tolist()
        keep_valid("coord_prov_drill", members, many=False)
        show_numbers(table, hide_index=True, column_config=config, key="coord_prov_detail", height=380,
                     selection_mode="single-row",
                     on_select=functools.partial(select_row, "coord_prov_detail", "coord_prov_drill", members))
        member_names = dict(zip(detail["agency_id"], detail["agency_name"], strict=True))
        agency = st.selectbox(t("coordinator.drill_pick"), members, index=None, key="coord_prov_drill",
                              format_func=lambda a: f"{member_names.get(a, a)} ({a})",
                              placeholder=t("coordinator.drill_placeholder"))
        if agency:
            render_drill_down(pop, source, agency, str(selection.chosen_round(pop, filters)))


def render_tile_map(pop: Population, filters: Filters, year: str, lang: str) -> None:
    """The 34 provinces on a tile grid, coloured by the share of their agencies meeting `year`."""
    tr = tr_for(lang)
    tiles = rankings.province_tiles(pop, filters, year, get_register().tiles)
    st.markdown(f"**{t('coordinator.map_title', year=year)}**")
    st.caption(t("coordinator.map_caption", year=year))
    share_text = dict(zip(tiles["province"], tiles["share"].map(lambda v: fmt_pct(v, lang, 0)), strict=True))
    show_chart(charts.province_tile_map(tiles, chart_labels(tr), share_text), "tile_map", f"province-map-{year}",
               stretch=False)

