"""The headline tiles and the overview section (lights, level distribution, shortfall, indicators)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from coordinator import headline, selection, target_gaps, traffic_lights
from coordinator.data import Population
from coordinator.selection import Filters
from reports import population_charts as charts
from scoring import numbers
from scoring.numbers import fmt_int, fmt_pct
from ui.coordinator_page.labels import (
    LIGHT_EMOJI,
    chart_labels,
    dimension_names,
    level_names,
    light_names,
    tr_for,
    type_names,
)
from ui.coordinator_page.source import PopulationKey
from ui.coordinator_page.widgets import show_spec, spec_with_rows
from ui.i18n import LANGUAGES, current_language, t
from ui.table_numbers import number_table, show_numbers


@st.cache_data(max_entries=128, show_spinner=False)
def cached_headline(key: PopulationKey, filters: Filters, _pop: Population) -> headline.Headline:
    del key  # part of the cache key only
    return headline.headline(_pop, filters)


def render_tiles(pop: Population, filters: Filters, key: PopulationKey) -> None:
    lang = current_language()
    head = cached_headline(key, filters, pop)
    columns = st.columns(1 + len(head.tiles))
    columns[0].metric(t("coordinator.tile_agencies"), fmt_int(head.agencies, lang),
                      help=t("coordinator.tile_agencies_help", round=selection.chosen_round(pop, filters)))
    for column, tile in zip(columns[1:], head.tiles, strict=True):
        target = fmt_pct(tile.target_share, lang, 0)
        label = t("coordinator.tile_share_top" if tile.min_level == 5 else "coordinator.tile_share",
                  level=tile.min_level, year=tile.year, target=target)
        if tile.met:
            delta = t("coordinator.tile_met", target=target)
        else:  # a distance to the target, not a decline: no arrow, no red
            delta = t("coordinator.tile_gap", gap=numbers.fmt_decimal(tile.gap * 100, lang), target=target)
        column.metric(
            label, fmt_pct(tile.share, lang), delta=delta, delta_color="off" if not tile.met else "normal",
            delta_arrow="off",
            help=t("coordinator.tile_help", meeting=fmt_int(tile.meeting, lang), agencies=fmt_int(tile.agencies, lang),
                   target=target, level=tile.min_level, year=tile.year),
        )


@dataclass(frozen=True)
class Overview:
    """What the overview draws, computed once per population, filters, year and language: the
    tables as shown and the charts as Vega-Lite specs (`widgets.vega_spec`)."""

    lights: pd.DataFrame
    lights_chart: dict[str, Any]
    distribution_chart: dict[str, Any]
    shortfall_chart: dict[str, Any]
    indicators: pd.DataFrame


@st.cache_data(max_entries=64, show_spinner=False)
def cached_overview(key: PopulationKey, filters: Filters, year: str, lang: str, _pop: Population) -> Overview:
    """The overview's content. A cached copy per session run: Streamlit's chart command consumes the
    spec's datasets, and the tables are relabelled here, never in the cache."""
    del key  # part of the cache key only
    return overview(_pop, filters, year, lang)


def overview(pop: Population, filters: Filters, year: str, lang: str) -> Overview:
    tr = tr_for(lang)
    labels = chart_labels(tr)
    names = type_names(tr)
    counts = pd.concat([traffic_lights.light_counts(pop, filters, year, by="all"),
                        traffic_lights.light_counts(pop, filters, year, by="agency_type")], ignore_index=True)
    distribution = traffic_lights.level_distribution(pop, filters)
    shortfall = target_gaps.dimension_shortfall(pop, filters, year)
    indicators = target_gaps.indicator_status(pop, filters, year)
    indicator_names = {i.id: i.name.get(lang) for i in pop.bundle.targets.indicators}
    indicators["indicator_id"] = indicators["indicator_id"].map(indicator_names)
    indicators["target"] = indicators["target"] / 100
    lights, levels, dimensions = light_names(tr), level_names(tr), dimension_names(pop.bundle, lang)
    return Overview(
        lights=counts.assign(group=counts["group"].map(names)),
        lights_chart=spec_with_rows(lambda: charts.lights_chart(counts, names, lights, labels),
                                    ("lights", names, lights, labels), charts.lights_data(counts, names, lights), lang),
        distribution_chart=spec_with_rows(lambda: charts.level_distribution_chart(distribution, names, levels, labels),
                                          ("levels", names, levels, labels),
                                          charts.level_distribution_data(distribution, names, levels), lang),
        shortfall_chart=spec_with_rows(lambda: charts.shortfall_chart(shortfall, dimensions, labels),
                                       ("shortfall", dimensions, labels), charts.shortfall_data(shortfall, dimensions),
                                       lang),
        indicators=indicators,
    )


def warm_default_views(pop: Population, key: PopulationKey, round_: str) -> None:
    """Compute what a coordinator's first run shows (the round with no filter chosen, the first
    target year, in each language) into the views' caches: called once when the server starts."""
    from ui.coordinator_page.filters import cached_filter_options, count_basis_default  # filters imports source

    filters = Filters(round=round_, statuses=count_basis_default(pop))
    cached_filter_options(key, pop)
    cached_headline(key, filters, pop)
    for lang in LANGUAGES:
        cached_overview(key, filters, pop.bundle.years[0], lang, pop)


def render_overview(pop: Population, filters: Filters, year: str, lang: str, key: PopulationKey) -> None:
    tr = tr_for(lang)
    level = pop.bundle.targets.years[year].agency_min_level
    content = cached_overview(key, filters, year, lang, pop)
    st.subheader(t("coordinator.lights_title", year=year))
    st.caption(t("coordinator.lights_rule", year=year, level=level, gap=traffic_lights.light_rule(pop)))
    left, right = st.columns([1, 1])
    with left:
        show_spec(content.lights_chart, "lights", f"lights-{year}")
    with right:
        show_numbers(
            number_table(content.lights, lang, shares=("share_green",)), hide_index=True, key="coord_lights_table",
            # the share first: in a half-width column the last columns are out of sight
            column_order=("group", "share_green", "GREEN", "YELLOW", "RED", "total"),
            column_config={
                "group": st.column_config.TextColumn(t("coordinator.col_group")),
                **{k: st.column_config.NumberColumn(f"{LIGHT_EMOJI[k]} {v}", width="small")
                   for k, v in light_names(tr).items()},
                "total": st.column_config.NumberColumn(t("coordinator.col_total"), width="small"),
                "share_green": st.column_config.NumberColumn(t("coordinator.col_share_green")),
            },
        )
    st.subheader(t("coordinator.distribution_title"))
    show_spec(content.distribution_chart, "distribution", "level-distribution")
    st.subheader(t("coordinator.shortfall_title", year=year))
    st.caption(t("coordinator.shortfall_caption"))
    show_spec(content.shortfall_chart, "shortfall", f"dimension-shortfall-{year}")
    st.subheader(t("coordinator.indicators_title", year=year))
    st.caption(t("coordinator.indicators_caption"))
    show_numbers(
        number_table(content.indicators, lang, shares={"target": 0, "share": 1}), hide_index=True,
        key="coord_indicators_table",
        column_config={
            "indicator_id": st.column_config.TextColumn(t("coordinator.col_indicator"), width="large"),
            "target": st.column_config.NumberColumn(t("coordinator.col_target")),
            "agencies": st.column_config.NumberColumn(t("coordinator.col_agencies")),
            "reported": st.column_config.NumberColumn(t("coordinator.col_reported")),
            "meeting": st.column_config.NumberColumn(t("coordinator.col_meeting")),
            "share": st.column_config.NumberColumn(t("coordinator.col_share")),
        },
    )
