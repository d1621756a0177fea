"""Which assessments a coordinator's view shows: the filters, their one boolean mask per population
and filters, the values each filter can take, and the groups views count by (all, type, province).

Every view of `coordinator` selects with `selection` and never re-scores: the engine's columns are
read as they are, so no view can disagree with an agency's own result."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from coordinator.data import Population
from scoring.collation import sort_key

GroupBy = Literal["all", "agency_type", "province"]
GROUPINGS: tuple[str, ...] = ("all", "agency_type", "province")
ALL = "all"
MINISTRIES = "ministries"  # the group of the ministries in a by-province view


@dataclass(frozen=True)
class Filters:
    """Which assessments a view shows. Empty tuples mean "all"; `round=None` means the latest round."""

    round: str | None = None
    agency_types: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()  # e.g. ("accepted",): count only reviewed assessments

    def with_round(self, round_: str | None) -> Filters:
        return replace(self, round=round_)


def chosen_round(pop: Population, filters: Filters) -> str | None:
    if filters.round is not None and filters.round in pop.rounds:
        return filters.round
    return pop.latest_round


def selection(pop: Population, filters: Filters, *, all_rounds: bool = False) -> np.ndarray:
    """The boolean mask of the assessments the filters keep (one round unless `all_rounds`); each
    view of a page run asks for the same one, so it is computed once per population and filters."""
    known = pop.masks.get((filters, all_rounds))
    if known is None:
        known = pop.masks[(filters, all_rounds)] = _selection(pop, filters, all_rounds)
    return known.copy()


def _selection(pop: Population, filters: Filters, all_rounds: bool) -> np.ndarray:
    agencies = pop.agencies
    mask = np.ones(len(agencies), dtype=bool)
    if not all_rounds:
        mask &= (agencies["round"] == chosen_round(pop, filters)).to_numpy(dtype=bool)
    if filters.agency_types:
        mask &= agencies["agency_type"].isin(filters.agency_types).to_numpy(dtype=bool)
    if filters.provinces:
        mask &= agencies["province_key"].isin(filters.provinces).to_numpy(dtype=bool)
    if filters.versions:
        mask &= agencies["questionnaire_version"].isin(filters.versions).to_numpy(dtype=bool)
    if filters.statuses and "status" in agencies:
        mask &= agencies["status"].isin(filters.statuses).to_numpy(dtype=bool)
    return mask


def filter_options(pop: Population) -> dict[str, list[str]]:
    """The values each filter can take, from the data."""
    agencies = pop.agencies
    present = set(agencies["agency_type"].unique())
    return {
        "round": pop.rounds,
        "agency_type": [t for t in ("ministry", "province", "commune") if t in present],
        "province": sorted(pop.province_names, key=lambda p: sort_key(pop.province_names[p])),
        "version": sorted(agencies["questionnaire_version"].dropna().unique().tolist(), key=_version_key),
    }


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in str(version).split("."))


def group_keys(agencies: pd.DataFrame, by: GroupBy | str) -> pd.Series:
    """Each agency's group: its type, its province (ministries as one group), or all alike."""
    if by == "agency_type":
        return agencies["agency_type"].astype(object).rename("group")
    if by == "province":  # ministries belong to no province: one labelled group of their own
        return agencies["province_key"].astype(object).fillna(MINISTRIES).rename("group")
    return pd.Series(ALL, index=agencies.index, name="group", dtype=object)
