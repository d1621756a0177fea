"""Where the selected agencies fall short of a target year: per dimension, and per numeric indicator."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coordinator.data import Population
from coordinator.selection import Filters, selection


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
