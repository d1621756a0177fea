"""Across rounds: trends per group, one agency's history, changes between two rounds, and the
projection of each population target with a range."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from coordinator.data import Population
from coordinator.selection import Filters, GroupBy, group_keys, selection

EPSILON = 1e-9


def population_levels(pop: Population) -> list[int]:
    """The minimum levels named by the population targets (e.g. [3, 4, 5])."""
    return sorted({p.min_level for y in pop.bundle.targets.years.values() for p in y.population})


def trend(pop: Population, filters: Filters, by: GroupBy | str = "all") -> pd.DataFrame:
    """Per round and group: agencies, mean overall level and score, and the share at each target
    level or above (`ge_3`, `ge_4`, `ge_5`; unrated agencies count as below)."""
    agencies = pop.agencies[selection(pop, filters, all_rounds=True)]
    keys = group_keys(agencies, by)
    level = agencies["overall_level"]
    flags = pd.DataFrame({f"ge_{k}": (level >= k).fillna(False).astype(float) for k in population_levels(pop)},
                         index=agencies.index)
    flags["mean_level"] = level
    flags["mean_score"] = agencies["overall_score"]
    flags["agencies"] = 1
    grouped = flags.groupby([agencies["round"].astype(object).rename("round"), keys])
    out = grouped.mean()
    out["agencies"] = grouped["agencies"].sum().astype(int)
    out = out.reset_index()
    order = {r: i for i, r in enumerate(pop.rounds)}
    out["round_order"] = out["round"].map(order)
    return out.sort_values(["round_order", "group"], kind="stable").drop(columns="round_order").reset_index(drop=True)


def agency_history(pop: Population, agency_id: str, year: str) -> pd.DataFrame:
    """One agency across rounds: overall score, level, light and each dimension's level."""
    rows = (pop.agencies["agency_id"] == agency_id).to_numpy(dtype=bool)
    agencies = pop.agencies[rows]
    table = pd.DataFrame(
        {
            "round": agencies["round"].astype(object),
            "overall_score": agencies["overall_score"].round(2),
            "overall_level": agencies["overall_level"].astype("Int64"),
            "light": agencies[f"light_{year}"].astype(object),
        }
    )
    levels = pd.DataFrame(pop.matrix("level")[rows], columns=pop.dimension_ids, index=table.index).astype("Int64")
    table = pd.concat([table, levels], axis=1)
    order = {r: i for i, r in enumerate(pop.rounds)}
    return table.sort_values("round", key=lambda s: s.map(order)).reset_index(drop=True)


def agency_changes(pop: Population, filters: Filters, from_round: str, to_round: str) -> pd.DataFrame:
    """Every selected agency assessed in both rounds: level and score then and now, and the change.
    Columns: agency_id, agency_name, agency_type, province_name, level_from, level_to, level_change,
    score_from, score_to, score_change; largest improvement first."""
    agencies = pop.agencies[selection(pop, filters, all_rounds=True)]
    both = agencies[agencies["round"].isin([from_round, to_round])]
    wide = both.pivot_table(index="agency_id", columns="round", values=["overall_level", "overall_score"],
                            aggfunc="first", dropna=False)
    if from_round not in wide.columns.get_level_values(1) or to_round not in wide.columns.get_level_values(1):
        return pd.DataFrame(columns=["agency_id", "agency_name", "agency_type", "province_name", "level_from",
                                     "level_to", "level_change", "score_from", "score_to", "score_change"])
    present = both.groupby("agency_id")["round"].nunique()
    keep = present[present == (2 if from_round != to_round else 1)].index
    wide = wide.loc[wide.index.isin(keep)]
    meta = both.drop_duplicates("agency_id", keep="last").set_index("agency_id")
    out = pd.DataFrame(
        {
            "agency_id": wide.index.to_numpy(dtype=object),
            "agency_name": meta["agency_name"].reindex(wide.index).to_numpy(dtype=object),
            "agency_type": meta["agency_type"].reindex(wide.index).to_numpy(dtype=object),
            "province_name": meta["province_key"].reindex(wide.index).map(pop.province_names).to_numpy(dtype=object),
            "level_from": wide[("overall_level", from_round)].to_numpy(),
            "level_to": wide[("overall_level", to_round)].to_numpy(),
            "score_from": wide[("overall_score", from_round)].round(2).to_numpy(),
            "score_to": wide[("overall_score", to_round)].round(2).to_numpy(),
        }
    )
    out["level_change"] = out["level_to"] - out["level_from"]
    out["score_change"] = (out["score_to"] - out["score_from"]).round(2)
    for column in ("level_from", "level_to", "level_change"):
        out[column] = out[column].astype("Int64")
    out = out[["agency_id", "agency_name", "agency_type", "province_name", "level_from", "level_to",
               "level_change", "score_from", "score_to", "score_change"]]
    return out.sort_values(["score_change", "agency_name"], ascending=[False, True], na_position="last",
                           kind="stable").reset_index(drop=True)


_YEAR = re.compile(r"^\s*(\d{4})")


def round_year(round_: str) -> int | None:
    """The year a round stands for ("2026" → 2026, "2026-2" → 2026); None when it names none."""
    match = _YEAR.match(str(round_))
    return int(match.group(1)) if match else None


REACH_HORIZON = 2050  # beyond this year a projected "year reached" is shown as "after 2050"
MIN_ROUNDS_FOR_PROJECTION = 3  # two points make a line but no range: below this, nothing is projected
PROJECTION_COLUMNS = [
    "key", "year", "min_level", "target_share", "rounds", "first_round", "last_round", "last_share",
    "gain_per_year", "gain_low", "gain_high", "projected_share", "projected_low", "projected_high", "status",
    "reach_year", "reach_year_early", "reach_year_late",
]


def projection(pop: Population, filters: Filters) -> pd.DataFrame:
    """Whether the current pace reaches each population target of the targets YAML.

    The share at `min_level` or above is taken per round (rounds are years: "2025", "2026", ...).
    The yearly gain is the least-squares slope of share over year; the projection adds that gain
    for each year from the last round to the target year (clipped to 0-100 %). The range
    (`gain_low`..`gain_high`, `projected_low`..`projected_high`, `reach_year_early`..`reach_year_late`)
    uses the slowest and the fastest yearly pace seen between consecutive rounds. Status: `met`
    (the last round already meets it), `on_track`, `off_track`, or `no_trend` (fewer than
    `MIN_ROUNDS_FOR_PROJECTION` rounds in different years: nothing is projected). `reach_year`: when
    the pace would reach the target (None if never).
    """
    shares = trend(pop, filters, by="all")
    shares["year_number"] = shares["round"].map(round_year)
    usable = shares.dropna(subset=["year_number"])
    years = usable["year_number"].to_numpy(dtype=float)
    rows = []
    for year, target in sorted(pop.bundle.targets.years.items()):
        for population in target.population:
            column = f"ge_{population.min_level}"
            values = usable[column].to_numpy(dtype=float)
            row: dict[str, object] = {
                "key": column, "year": year, "min_level": population.min_level, "target_share": population.share,
                "rounds": len(usable), "first_round": None, "last_round": None, "last_share": math.nan,
                "gain_per_year": math.nan, "gain_low": math.nan, "gain_high": math.nan,
                "projected_share": math.nan, "projected_low": math.nan, "projected_high": math.nan,
                "status": "no_trend", "reach_year": None, "reach_year_early": None, "reach_year_late": None,
            }
            if len(usable):
                row.update(first_round=str(usable["round"].iloc[0]), last_round=str(usable["round"].iloc[-1]),
                           last_share=float(values[-1]))
            row.update(_project(years, values, int(year), population.share))
            rows.append(row)
    frame = pd.DataFrame(rows, columns=PROJECTION_COLUMNS)
    for column in ("reach_year", "reach_year_early", "reach_year_late"):
        frame[column] = pd.array([pd.NA if v is None or pd.isna(v) else int(v) for v in frame[column]],
                                 dtype="Int64")
    return frame


def observed_shares(pop: Population, filters: Filters) -> pd.DataFrame:
    """The share at each target level per round, long: columns round, year, key (``ge_3``), share.
    Rounds that name no year are left out (they cannot be placed on a time axis)."""
    shares = trend(pop, filters, by="all")
    keys = [f"ge_{k}" for k in population_levels(pop)]
    long = shares.melt(id_vars=["round"], value_vars=keys, var_name="key", value_name="share")
    long["year"] = long["round"].map(round_year)
    long = long.dropna(subset=["year"])
    long["year"] = long["year"].astype(int)
    return long[["round", "year", "key", "share"]].reset_index(drop=True)


def _project(years: np.ndarray, shares: np.ndarray, target_year: int, target_share: float) -> dict[str, object]:
    if len(shares) == 0:
        return {}
    last_year, last_share = float(years[-1]), float(shares[-1])
    if last_share + EPSILON >= target_share:
        return {"status": "met", "reach_year": int(last_year), "projected_share": last_share,
                "gain_per_year": _slope(years, shares)}
    if len(np.unique(years)) < MIN_ROUNDS_FOR_PROJECTION:
        return {"status": "no_trend"}
    gain = _slope(years, shares)
    steps = np.diff(shares) / np.diff(years)
    low, high = float(steps.min()), float(steps.max())

    def at_target(pace: float) -> float:
        return float(np.clip(last_share + pace * (target_year - last_year), 0.0, 1.0))

    def reached(pace: float) -> int | None:
        return int(last_year + math.ceil((target_share - last_share) / pace - EPSILON)) if pace > EPSILON else None

    projected = at_target(gain)
    status = "on_track" if projected + EPSILON >= target_share else "off_track"
    return {"gain_per_year": gain, "gain_low": low, "gain_high": high, "projected_share": projected,
            "projected_low": at_target(low), "projected_high": at_target(high), "status": status,
            "reach_year": reached(gain), "reach_year_early": reached(high), "reach_year_late": reached(low)}


def _slope(years: np.ndarray, shares: np.ndarray) -> float:
    if len(np.unique(years)) < 2:
        return math.nan
    x = years - years.mean()
    return float((x * (shares - shares.mean())).sum() / (x * x).sum())
