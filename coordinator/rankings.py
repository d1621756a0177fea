"""Orders and roll-ups: weakest first, the filtered ranking table, the province roll-up and the
province tile map."""

from __future__ import annotations

import pandas as pd

from coordinator.data import Population
from coordinator.selection import Filters, selection
from coordinator.traffic_lights import LIGHTS
from scoring.collation import collation_rank


def worst_first(agencies: pd.DataFrame) -> pd.DataFrame:
    """Agencies weakest first: unrated, then by official level, then by score, then by name in
    Vietnamese order. A level-2 agency always comes before a level-3 one, whatever their scores."""
    keys = pd.DataFrame({"level": agencies["overall_level"].astype(float),
                         "score": agencies["overall_score"].astype(float),
                         "name": collation_rank(agencies["agency_name"])}, index=agencies.index)
    order = keys.sort_values(["level", "score", "name"], na_position="first", kind="stable").index
    return agencies.loc[order]


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
