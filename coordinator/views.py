"""The coordinator's views of a scored population, as plain frames (vectorised; no per-agency loops).

Every function takes a `Population` (see `coordinator.data`) and `Filters`, selects assessments
with one boolean mask, and never re-scores: the engine's columns (`overall_level`, `light_<year>`,
`gap_<year>`, ...) are read as they are, so these views cannot disagree with an agency's own
result. The headline tiles come from `scoring.population_summary` itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from coordinator.data import Population
from scoring import population_summary
from scoring.collation import collation_rank, sort_key

LIGHTS = ("GREEN", "YELLOW", "RED")
UNRATED = "unrated"
LEVEL_LABELS = ("1", "2", "3", "4", "5", UNRATED)
EPSILON = 1e-9

HeatmapMeasure = Literal["level", "gap"]
HeatmapSort = Literal["weakest", "strongest", "largest_gap", "name"]
HEATMAP_SORTS: tuple[str, ...] = ("weakest", "strongest", "largest_gap", "name")
HEATMAP_MEASURES: tuple[str, ...] = ("level", "gap")
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


# --- headline ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    """One population target: the share of agencies at `min_level` or above against `target_share`."""

    year: str
    min_level: int
    target_share: float
    agencies: int
    meeting: int
    share: float
    gap: float
    met: bool


@dataclass(frozen=True)
class Headline:
    agencies: int
    tiles: list[Tile]


def headline(pop: Population, filters: Filters) -> Headline:
    """Agencies assessed and each population target of the targets YAML, straight from
    `scoring.population_summary` (so the tiles equal the core's numbers)."""
    mask = selection(pop, filters)
    summary = population_summary(pop.selected(mask), by=())  # type: ignore[arg-type]
    rows = summary[(summary["group_by"] == "all") & (summary["target"] == "population")]
    found = {(str(r.year), int(r.min_level)): r for r in rows.itertuples(index=False)}
    tiles = []
    for year, target in sorted(pop.bundle.targets.years.items()):
        for population in sorted(target.population, key=lambda p: p.min_level):
            r = found.get((year, population.min_level))
            if r is None:  # nobody selected: the summary has no row, the target is not met
                tiles.append(Tile(year=year, min_level=population.min_level, target_share=population.share,
                                  agencies=0, meeting=0, share=0.0, gap=population.share, met=False))
                continue
            tiles.append(Tile(
                year=year, min_level=population.min_level, target_share=float(r.target_share),
                agencies=int(r.agencies), meeting=int(r.meeting), share=float(r.share),
                gap=float(r.share_gap), met=bool(r.met),
            ))
    return Headline(agencies=int(mask.sum()), tiles=tiles)


# --- traffic lights ----------------------------------------------------------------------------


def light_counts(pop: Population, filters: Filters, year: str, by: GroupBy = "agency_type") -> pd.DataFrame:
    """GREEN / YELLOW / RED counts per group (columns group, GREEN, YELLOW, RED, total, share_green)."""
    agencies = pop.agencies[selection(pop, filters)]
    keys = _group_keys(agencies, by)
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


def _group_keys(agencies: pd.DataFrame, by: GroupBy | str) -> pd.Series:
    if by == "agency_type":
        return agencies["agency_type"].astype(object).rename("group")
    if by == "province":  # ministries belong to no province: one labelled group of their own
        return agencies["province_key"].astype(object).fillna(MINISTRIES).rename("group")
    return pd.Series(ALL, index=agencies.index, name="group", dtype=object)


# --- heatmaps ----------------------------------------------------------------------------------


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


def worst_first(agencies: pd.DataFrame) -> pd.DataFrame:
    """Agencies weakest first: unrated, then by official level, then by score, then by name in
    Vietnamese order. A level-2 agency always comes before a level-3 one, whatever their scores."""
    keys = pd.DataFrame({"level": agencies["overall_level"].astype(float),
                         "score": agencies["overall_score"].astype(float),
                         "name": collation_rank(agencies["agency_name"])}, index=agencies.index)
    order = keys.sort_values(["level", "score", "name"], na_position="first", kind="stable").index
    return agencies.loc[order]


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
    keys = _group_keys(agencies, by).to_numpy()
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


# --- distributions -----------------------------------------------------------------------------


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


def dimension_shortfall(pop: Population, filters: Filters, year: str) -> pd.DataFrame:
    """Per dimension, how many selected agencies are below the level `year` requires, worst first.

    Columns: dimension_id, required, agencies, below, unrated, share_below, mean_level.
    """
    mask = selection(pop, filters)
    levels = pop.matrix("level")[mask]
    gaps = pop.matrix(f"gap_{year}")[mask]
    below = (np.nan_to_num(gaps, nan=0.0) > 0).sum(axis=0)
    unrated = np.isnan(levels).sum(axis=0)
    n = int(mask.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_level = np.where(n - unrated > 0, np.nansum(levels, axis=0) / np.maximum(n - unrated, 1), np.nan)
    frame = pd.DataFrame(
        {
            "dimension_id": pop.dimension_ids,
            "required": pop.required(year).astype(int),
            "agencies": n,
            "below": below.astype(int),
            "unrated": unrated.astype(int),
            "share_below": below / n if n else np.zeros(len(below)),
            "mean_level": mean_level,
        }
    )
    frame = frame.sort_values(["share_below", "mean_level"], ascending=[False, True], kind="stable")
    return frame.reset_index(drop=True)


def indicator_status(pop: Population, filters: Filters, year: str) -> pd.DataFrame:
    """Each numeric indicator with a target for `year`: columns indicator_id, target, agencies,
    reported, meeting, share (an agency that did not report counts as not meeting; one that answered
    the indicator N/A leaves `agencies`, so it is neither)."""
    targets = [(i.id, i.targets[year]) for i in pop.bundle.targets.indicators if year in i.targets]
    mask = selection(pop, filters)
    indicators = pop.frames.indicators
    chosen = indicators[mask[indicators["position"].to_numpy(dtype=int)]]
    ids = chosen["indicator_id"].astype("category")  # counted per category code: no string grouping
    codes, names = ids.cat.codes.to_numpy(), list(ids.cat.categories)
    known = codes >= 0

    def per_indicator(weights: np.ndarray) -> dict[str, int]:
        counts = np.bincount(codes[known], weights=weights[known], minlength=len(names))
        return {name: round(float(count)) for name, count in zip(names, counts, strict=True)}

    reported = per_indicator(chosen["value"].notna().to_numpy(dtype=float))
    meeting = per_indicator(np.nan_to_num(chosen[f"met_{year}"].to_numpy(dtype=float)))
    not_applicable = per_indicator((~chosen["applicable"].astype(bool)).to_numpy(dtype=float))
    frame = pd.DataFrame(targets, columns=["indicator_id", "target"])
    # An agency that answered the indicator N/A is not counted (neither meeting nor missing).
    frame["agencies"] = int(mask.sum()) - frame["indicator_id"].map(not_applicable).fillna(0).astype(int)
    frame["reported"] = frame["indicator_id"].map(reported).fillna(0).astype(int)
    frame["meeting"] = frame["indicator_id"].map(meeting).fillna(0).astype(int)
    frame["share"] = (frame["meeting"] / frame["agencies"].where(frame["agencies"] > 0)).fillna(0.0)
    return frame


# --- provinces ---------------------------------------------------------------------------------


def province_rollup(pop: Population, filters: Filters, year: str) -> pd.DataFrame:
    """Each province as national monitoring reports it: its own light and the share of its communes
    that are GREEN. Columns: province, province_name, province_light, province_level, communes,
    GREEN, YELLOW, RED, share_green, mean_level. Worst share first."""
    agencies = pop.agencies[selection(pop, filters)]
    light = f"light_{year}"
    communes = agencies[agencies["agency_type"] == "commune"]
    counts = pd.crosstab(communes["province_key"].astype(object), communes[light].astype(object))
    counts = counts.reindex(columns=list(LIGHTS), fill_value=0)
    own = agencies[agencies["agency_type"] == "province"].set_index("agency_id")
    keys = sorted(set(counts.index) | set(own.index))
    frame = pd.DataFrame(index=pd.Index(keys, name="province", dtype=object))
    frame["province_name"] = [pop.province_names.get(k, k) for k in keys]
    frame["province_light"] = own[light].astype(object).reindex(keys)
    frame["province_level"] = own["overall_level"].reindex(keys)
    counts = counts.reindex(keys, fill_value=0).astype(int)
    frame["communes"] = counts.sum(axis=1)
    for column in LIGHTS:
        frame[column] = counts[column]
    frame["share_green"] = frame["GREEN"] / frame["communes"].where(frame["communes"] > 0)
    commune_levels = communes.groupby(communes["province_key"].astype(object))["overall_level"].mean()
    frame["mean_level"] = commune_levels.reindex(keys)
    frame = frame.reset_index()
    frame["name_rank"] = collation_rank(frame["province_name"])
    frame = frame.sort_values(["share_green", "name_rank"], na_position="last", kind="stable")
    return frame.drop(columns="name_rank").reset_index(drop=True)


def province_tiles(pop: Population, filters: Filters, year: str, tiles: pd.DataFrame) -> pd.DataFrame:
    """The tile-grid map: each province of `tiles` (province, short, tile_row, tile_col) with its
    agencies (its office and communes) in the selection and the share meeting `year`'s target.
    Provinces with nobody selected keep their tile with no share."""
    agencies = pop.agencies[selection(pop, filters)]
    local = agencies[agencies["province_key"].notna()]
    grouped = local.groupby(local["province_key"].astype(object))[f"met_{year}"]
    out = tiles.copy()
    out["agencies"] = out["province"].map(grouped.size()).fillna(0).astype(int)
    out["meeting"] = out["province"].map(grouped.sum()).fillna(0).astype(int)
    out["share"] = (out["meeting"] / out["agencies"].where(out["agencies"] > 0)).astype(float)
    return out


# --- ranking -----------------------------------------------------------------------------------

RANKING_COLUMNS = [
    "rank", "agency_id", "agency_name", "agency_type", "province", "province_name", "round",
    "questionnaire_version", "overall_score", "overall_level", "light", "gap", "met",
    "indicators_met", "indicators_total", "dont_know",
]


def ranking(pop: Population, filters: Filters, year: str) -> pd.DataFrame:
    """The filtered table: one row per selected agency, WEAKEST first (unrated, then by level, then
    by score), with every dimension's level.

    Columns `RANKING_COLUMNS` then one column per dimension id. Rank 1 is the strongest (highest
    level, then score; ties share a rank); agencies that cannot be rated have no rank.
    """
    mask = selection(pop, filters)
    agencies = pop.agencies[mask]
    table = pd.DataFrame(
        {
            "agency_id": agencies["agency_id"].astype(object),
            "agency_name": agencies["agency_name"].astype(object),
            "agency_type": agencies["agency_type"].astype(object),
            "province": agencies["province_key"].astype(object),
            "province_name": agencies["province_key"].map(pop.province_names).astype(object),
            "round": agencies["round"].astype(object),
            "questionnaire_version": agencies["questionnaire_version"].astype(object),
            "overall_score": agencies["overall_score"].round(2),
            "overall_level": agencies["overall_level"].astype("Int64"),
            "light": agencies[f"light_{year}"].astype(object),
            "gap": agencies[f"gap_{year}"].astype("Int64"),
            "met": agencies[f"met_{year}"].astype(bool),
            "indicators_met": agencies[f"indicators_met_{year}"].astype(int),
            "indicators_total": agencies[f"indicators_total_{year}"].astype(int),
            "dont_know": agencies["dont_know"].astype(int),
        }
    )
    # Rank 1 is the best: the highest official level, then the highest score (ties share a rank).
    strength = table["overall_level"].astype(float) * 10 + table["overall_score"].astype(float)
    table["rank"] = strength.rank(method="min", ascending=False).astype("Int64")
    levels = pd.DataFrame(pop.matrix("level")[mask], columns=pop.dimension_ids, index=table.index).astype("Int64")
    table = pd.concat([table[RANKING_COLUMNS], levels], axis=1)
    return worst_first(table).reset_index(drop=True)


# --- rounds: trends and projection -------------------------------------------------------------


def population_levels(pop: Population) -> list[int]:
    """The minimum levels named by the population targets (e.g. [3, 4, 5])."""
    return sorted({p.min_level for y in pop.bundle.targets.years.values() for p in y.population})


def trend(pop: Population, filters: Filters, by: GroupBy | str = "all") -> pd.DataFrame:
    """Per round and group: agencies, mean overall level and score, and the share at each target
    level or above (`ge_3`, `ge_4`, `ge_5`; unrated agencies count as below)."""
    agencies = pop.agencies[selection(pop, filters, all_rounds=True)]
    keys = _group_keys(agencies, by)
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
