"""Traffic lights per group and the overall level distribution per agency type."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coordinator.data import Population
from coordinator.selection import Filters, GroupBy, group_keys, selection

LIGHTS = ("GREEN", "YELLOW", "RED")
UNRATED = "unrated"
LEVEL_LABELS = ("1", "2", "3", "4", "5", UNRATED)


def light_counts(pop: Population, filters: Filters, year: str, by: GroupBy = "agency_type") -> pd.DataFrame:
    """GREEN / YELLOW / RED counts per group (columns group, GREEN, YELLOW, RED, total, share_green)."""
    agencies = pop.agencies[selection(pop, filters)]
    keys = group_keys(agencies, by)
    table = pd.crosstab(keys, agencies[f"light_{year}"].astype(object)).reindex(columns=list(LIGHTS), fill_value=0)
    table.index.name = "group"
    table.columns.name = None
    table = table.astype(int)
    table["total"] = table[list(LIGHTS)].sum(axis=1)
    table["share_green"] = table["GREEN"] / table["total"].where(table["total"] > 0)
    return table.reset_index()


def light_rule(pop: Population) -> int:
    """The YELLOW band of the targets YAML: at most this many levels short of the target."""
    return int(pop.bundle.targets.traffic_light.yellow_max_gap)


def level_distribution(pop: Population, filters: Filters) -> pd.DataFrame:
    """Agencies per overall level (and "unrated") per agency type: columns agency_type, level, agencies, share."""
    agencies = pop.agencies[selection(pop, filters)]
    overall = agencies["overall_level"].to_numpy(dtype=float)
    codes = np.where(np.isnan(overall), len(LEVEL_LABELS) - 1, np.nan_to_num(overall, nan=1.0).astype(int) - 1)
    level = pd.Series(np.array(LEVEL_LABELS, dtype=object)[codes], index=agencies.index, name="overall_level")
    table = pd.crosstab(agencies["agency_type"].astype(object), level).reindex(columns=list(LEVEL_LABELS), fill_value=0)
    long = table.rename_axis(index="agency_type", columns="level").stack().rename("agencies").reset_index()
    totals = long.groupby("agency_type")["agencies"].transform("sum")
    long["share"] = long["agencies"] / totals.where(totals > 0)
    return long
