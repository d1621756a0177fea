"""Words and numbers of the coordinator page: translated names of types, lights, levels, columns."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd

from coordinator import selection, traffic_lights, trends
from coordinator.data import (
    Population,
)
from scoring import Bundle, numbers
from scoring.numbers import fmt_pct
from ui.i18n import translate

AGENCY_TYPES = ("ministry", "province", "commune")
LIGHT_EMOJI = {"GREEN": "🟢", "YELLOW": "🟡", "RED": "🔴"}


def tr_for(lang: str) -> Callable[..., str]:
    """A translate function bound to one language (usable outside a script run, e.g. downloads)."""
    return functools.partial(translate, lang)


def fmt_points(value: float | None, lang: str, tr: Callable[..., str]) -> str:
    """A change of a share in percentage points: "+6,5 điểm %" / "+6.5 pp"."""
    text = numbers.fmt_points(value, lang)
    return text if text == numbers.MISSING else f"{text} {tr('coordinator.points_unit')}"


def fmt_reach(year: object, tr: Callable[..., str]) -> str:
    """The year a target would be reached, "after 2050" beyond the horizon, "–" never."""
    if year is None or pd.isna(year):
        return "–"
    if int(year) > trends.REACH_HORIZON:
        return tr("coordinator.reach_after", year=trends.REACH_HORIZON)
    return str(int(year))


def type_names(tr: Callable[..., str]) -> dict[str, str]:
    return {k: tr(f"coordinator.type_{k}") for k in AGENCY_TYPES} | {selection.ALL: tr("coordinator.group_all")}


def light_names(tr: Callable[..., str]) -> dict[str, str]:
    return {k: tr(f"coordinator.light_{k}") for k in traffic_lights.LIGHTS}


def level_names(tr: Callable[..., str]) -> dict[str, str]:
    names = {str(n): tr("common.level", level=n) for n in range(1, 6)}
    names[traffic_lights.UNRATED] = tr("common.not_rated")
    return names


def dimension_names(bundle: Bundle, lang: str) -> dict[str, str]:
    return {d.id: d.name.get(lang) for d in bundle.questionnaire.dimensions}


def status_names(tr: Callable[..., str]) -> dict[str, str]:
    return {k: tr(f"coordinator.status_{k}") for k in ("met", "on_track", "off_track", "no_trend")}


def measure_names(pop: Population, tr: Callable[..., str]) -> dict[str, str]:
    return {
        f"ge_{k}": tr("coordinator.measure_top" if k == 5 else "coordinator.measure_ge", level=k)
        for k in trends.population_levels(pop)
    }


def target_names(pop: Population, tr: Callable[..., str], lang: str) -> dict[str, str]:
    names = {}
    for year, target in sorted(pop.bundle.targets.years.items()):
        for population in target.population:
            key = "coordinator.target_name_top" if population.min_level == 5 else "coordinator.target_name"
            names[f"ge_{population.min_level}"] = tr(key, level=population.min_level, year=year,
                                                     share=fmt_pct(population.share, lang, 0))
    return names


def chart_labels(tr: Callable[..., str]) -> dict[str, str]:
    keys = ("share", "agencies", "agency", "level", "gap", "dimension", "group", "light", "round", "year",
            "measure", "target", "target_share", "share_below", "share_green", "below", "mean_level",
            "communes", "province", "green", "agency_type", "projected_low", "projected_high")
    return {k: tr(f"coordinator.chart_{k}") for k in keys}


def table_headers(bundle: Bundle, tr: Callable[..., str], lang: str) -> dict[str, str]:
    columns = {
        "rank": "rank", "agency_id": "agency_id", "agency_name": "agency", "agency_type": "type",
        "province": "province_id", "province_name": "province", "round": "round",
        "questionnaire_version": "version", "overall_score": "score", "overall_level": "level", "light": "light",
        "gap": "gap", "met": "met", "indicators_met": "indicators", "indicators_total": "indicators_total",
        "dont_know": "dont_know",
    }
    headers = {column: tr(f"coordinator.col_{key}") for column, key in columns.items()}
    return headers | dimension_names(bundle, lang)

