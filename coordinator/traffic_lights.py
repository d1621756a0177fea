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
    table = count_table(keys, agencies[f"light_{year}"], LIGHTS)
    table.index.name = "group"
    table.columns.name = None
    table["total"] = table[list(LIGHTS)].sum(axis=1)
    table["share_green"] = table["GREEN"] / table["total"].where(table["total"] > 0)
    return table.reset_index()


def count_table(rows: pd.Series, columns: pd.Series, labels: tuple[str, ...]) -> pd.DataFrame:
    """How many rows have each (row value, column value): `pd.crosstab(rows, columns)` with the
    columns `labels` in that order (0 where none), rows sorted, missing values left out; counted
    with numpy (`crosstab` took most of a filter change's view time)."""
    row_values, column_values = rows.astype(object).to_numpy(), columns.astype(object).to_numpy()
    keep = pd.notna(row_values) & pd.notna(column_values)
    row_codes, row_index = pd.factorize(row_values[keep], sort=True)
    column_codes = pd.Index(labels).get_indexer(column_values[keep])
    counted = column_codes >= 0  # a row with only other values is kept, with zeros (as crosstab)
    cells = row_codes[counted] * len(labels) + column_codes[counted]
    counts = np.bincount(cells, minlength=len(row_index) * len(labels))
    table = pd.DataFrame(counts.reshape(len(row_index), len(labels)).astype(int),
                         index=pd.Index(row_index, dtype=object, name=rows.name),
                         columns=pd.Index(list(labels), name=columns.name))
    return table


def light_rule(pop: Population) -> int:
    """The YELLOW band of the targets YAML: at most this many levels short of the target."""
    return int(pop.bundle.targets.traffic_light.yellow_max_gap)


def level_distribution(pop: Population, filters: Filters) -> pd.DataFrame:
    """Agencies per overall level (and "unrated") per agency type: columns agency_type, level, agencies, share."""
    agencies = pop.agencies[selection(pop, filters)]
    overall = agencies["overall_level"].to_numpy(dtype=float)
    codes = np.where(np.isnan(overall), len(LEVEL_LABELS) - 1, np.nan_to_num(overall, nan=1.0).astype(int) - 1)
    level = pd.Series(np.array(LEVEL_LABELS, dtype=object)[codes], index=agencies.index, name="overall_level")
    table = count_table(agencies["agency_type"], level, LEVEL_LABELS)
    long = table.rename_axis(index="agency_type", columns="level").stack().rename("agencies").reset_index()
    totals = long.groupby("agency_type")["agencies"].transform("sum")
    long["share"] = long["agencies"] / totals.where(totals > 0)
    return long
