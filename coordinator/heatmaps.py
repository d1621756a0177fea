"""Heatmaps: agencies × dimensions (the top rows in a chosen order), and groups × dimensions
(province or type means, weakest first)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from coordinator.data import Population
from coordinator.rankings import worst_first
from coordinator.selection import Filters, GroupBy, group_keys, selection
from scoring.collation import collation_rank

HeatmapMeasure = Literal["level", "gap"]
HeatmapSort = Literal["weakest", "strongest", "largest_gap", "name"]
HEATMAP_SORTS: tuple[str, ...] = ("weakest", "strongest", "largest_gap", "name")
HEATMAP_MEASURES: tuple[str, ...] = ("level", "gap")


@dataclass(frozen=True)
class Heatmap:
    """A long frame (row, agency_id, agency_name, dimension_id, value) of the `shown` top rows out of `total`."""

    frame: pd.DataFrame
    shown: int
    total: int


def _sort_order(agencies: pd.DataFrame, year: str, sort: HeatmapSort | str) -> np.ndarray:
    if sort == "strongest":
        keys = agencies[["overall_score", "agency_name"]].assign(overall_score=-agencies["overall_score"])
        return keys.sort_values(["overall_score", "agency_name"], na_position="last", kind="stable").index.to_numpy()
    if sort == "largest_gap":
        keys = pd.DataFrame({"gap": -agencies[f"gap_{year}"].fillna(np.inf), "score": agencies["overall_score"]})
        return keys.sort_values(["gap", "score"], na_position="first", kind="stable").index.to_numpy()
    names = collation_rank(agencies["agency_name"])
    if sort == "name":
        return names.sort_values(kind="stable").index.to_numpy()
    return worst_first(agencies).index.to_numpy()


def heatmap(
    pop: Population,
    filters: Filters,
    year: str,
    measure: HeatmapMeasure | str = "level",
    sort: HeatmapSort | str = "weakest",
    top_n: int = 50,
) -> Heatmap:
    """Agencies × dimensions: each dimension's level, or how many levels it lacks for `year`."""
    mask = selection(pop, filters)
    positions = np.flatnonzero(mask)
    agencies = pop.agencies.iloc[positions].reset_index(drop=True)
    values = pop.matrix("level" if measure == "level" else f"gap_{year}")[positions]
    order = _sort_order(agencies, year, sort)[: max(int(top_n), 0)]
    dims = pop.dimension_ids
    shown = len(order)
    frame = pd.DataFrame(
        {
            "row": np.repeat(np.arange(shown), len(dims)),
            "agency_id": np.repeat(agencies["agency_id"].to_numpy()[order], len(dims)),
            "agency_name": np.repeat(agencies["agency_name"].to_numpy()[order], len(dims)),
            "dimension_id": np.tile(np.array(dims, dtype=object), shown),
            "value": values[order].ravel(),
        }
    )
    return Heatmap(frame=frame, shown=shown, total=len(positions))


def group_heatmap(
    pop: Population, filters: Filters, year: str, by: GroupBy | str = "agency_type",
    measure: HeatmapMeasure | str = "level",
) -> pd.DataFrame:
    """Mean dimension level (or mean gap) per group × dimension: columns group, dimension_id, value, agencies."""
    mask = selection(pop, filters)
    agencies = pop.agencies[mask]
    values = pop.matrix("level" if measure == "level" else f"gap_{year}")[mask]
    keys = group_keys(agencies, by).to_numpy()
    wide = pd.DataFrame(values, columns=pop.dimension_ids)
    means = wide.groupby(keys).mean()
    counts = pd.Series(keys).value_counts()
    long = means.rename_axis(index="group", columns="dimension_id").stack(future_stack=True)
    long = long.rename("value").reset_index()
    long["agencies"] = long["group"].map(counts).astype(int)
    # Rows weakest first: the groups' mean over the dimensions (lowest level, or largest gap, first).
    overall = means.mean(axis=1).sort_values(ascending=measure != "gap", kind="stable")
    long["row"] = long["group"].map({g: i for i, g in enumerate(overall.index)})
    return long.sort_values(["row", "dimension_id"], kind="stable").reset_index(drop=True)
