"""How a population of agencies stands against the population targets (e.g. 90 % at level 5 by 2030)."""

from __future__ import annotations

import pandas as pd

from scoring.engine import ScoreResult

SUMMARY_COLUMNS = [
    "group_by",
    "group",
    "year",
    "target",
    "min_level",
    "target_share",
    "agencies",
    "meeting",
    "share",
    "met",
    "share_gap",
]


def population_summary(result: ScoreResult, by: tuple[str, ...] = ("agency_type", "province")) -> pd.DataFrame:
    """Share of agencies meeting each target, overall and per group, in one vectorised pass.

    Two kinds of target per year: the agency target ("each agency at level ≥ N and every dimension
    at its minimum", column met_<year>) and each population target ("share S at level ≥ N").
    An agency whose level cannot be rated (too many don't-know) counts as not meeting.
    """
    agencies = result.agencies
    targets = result.bundle.targets
    indicator_columns: dict[str, pd.Series] = {}
    specs = []
    for year in result.bundle.years:
        year_target = targets.years[year]
        column = f"meets_agency_{year}"
        indicator_columns[column] = agencies[f"met_{year}"].astype(bool)
        specs.append((year, "agency_target", year_target.agency_min_level, 1.0, column))
        for population in year_target.population:
            column = f"at_least_{population.min_level}_{year}"
            indicator_columns[column] = (agencies["overall_level"] >= population.min_level).fillna(False)
            specs.append((year, "population", population.min_level, population.share, column))
    flags = pd.DataFrame(indicator_columns)
    spec_table = pd.DataFrame(specs, columns=["year", "target", "min_level", "target_share", "indicator"])
    tables = [_overall_counts(flags)]
    tables += [_counts(flags, agencies[column].fillna("—").astype(str), column) for column in by if column in agencies]
    long = pd.concat(tables, ignore_index=True).merge(spec_table, on="indicator")
    long["share"] = (long["meeting"] / long["agencies"]).where(long["agencies"] > 0, 0.0)
    long["met"] = long["share"] + 1e-9 >= long["target_share"]
    long["share_gap"] = (long["target_share"] - long["share"]).clip(lower=0)
    return long[SUMMARY_COLUMNS].reset_index(drop=True)


def _overall_counts(flags: pd.DataFrame) -> pd.DataFrame:
    """`_counts` for the one group "all" (column sums; a groupby costs most of a coordinator's tiles).
    No agency: no row, as a groupby of nothing gives."""
    if flags.empty:
        return pd.DataFrame({"group": pd.Series(dtype=object), "indicator": pd.Series(dtype=str),
                             "meeting": pd.Series(dtype=int), "agencies": pd.Series(dtype=int), "group_by": "all"})
    meeting = flags.to_numpy(dtype=bool).sum(axis=0)
    return pd.DataFrame({"group": "all", "indicator": flags.columns, "meeting": meeting.astype(int),
                         "agencies": len(flags), "group_by": "all"})


def _counts(flags: pd.DataFrame, keys: pd.Series, group_by: str) -> pd.DataFrame:
    grouped = flags.groupby(keys.to_numpy())
    meeting = grouped.sum().astype(int).stack().rename("meeting")
    meeting.index.names = ["group", "indicator"]
    out = meeting.reset_index()
    out["agencies"] = out["group"].map(grouped.size()).astype(int)
    out["group_by"] = group_by
    return out
