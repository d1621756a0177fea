"""Two sample agencies side by side: per-dimension scores and levels (both readings) and targets."""

from __future__ import annotations

import pandas as pd

from scoring.results import AgencyResult

OVERALL = "overall"


def compare_dimensions(a: AgencyResult, b: AgencyResult, dimension_ids: list[str]) -> pd.DataFrame:
    """One row for the whole agency (item 'overall', first) and one per dimension.

    Columns: item, score_a, level_a, gated_a, continuous_a, the same for b, and score_delta (b - a).
    """
    rows = []
    for item in [OVERALL, *dimension_ids]:
        row: dict[str, object] = {"item": item}
        for side, result in (("a", a), ("b", b)):
            if item == OVERALL:
                values = (result.overall_score, result.overall_level, result.overall_gated_level,
                          result.overall_continuous_level)
            else:
                d = result.dimensions[item]
                values = (d.score, d.level, d.gated_level, d.continuous_level)
            for name, value in zip(("score", "level", "gated", "continuous"), values, strict=True):
                row[f"{name}_{side}"] = value
        sa, sb = row["score_a"], row["score_b"]
        row["score_delta"] = None if sa is None or sb is None else round(float(sb) - float(sa), 4)  # type: ignore[arg-type]
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in frame.columns:
        if column != "item":
            frame[column] = frame[column].astype(float)
    return frame


def compare_targets(a: AgencyResult, b: AgencyResult) -> pd.DataFrame:
    """One row per target year: met, light, level gap and indicators met for each side."""
    rows = []
    for year in a.targets:
        row: dict[str, object] = {"year": year, "required_level": a.targets[year].required_level}
        for side, result in (("a", a), ("b", b)):
            target = result.targets[year]
            row[f"met_{side}"] = target.met
            row[f"light_{side}"] = target.light
            row[f"gap_{side}"] = target.level_gap
            row[f"indicators_{side}"] = f"{target.indicators_met}/{len(target.indicators_counted)}"
        rows.append(row)
    return pd.DataFrame(rows)


def chart_frame(a: AgencyResult, b: AgencyResult, labels: tuple[str, str], dimension_ids: list[str]) -> pd.DataFrame:
    """Long frame for a grouped bar chart: dimension_id, agency (label), score, level."""
    rows = []
    for label, result in zip(labels, (a, b), strict=True):
        for dimension_id in dimension_ids:
            d = result.dimensions[dimension_id]
            rows.append({"dimension_id": dimension_id, "agency": label, "score": d.score, "level": d.level})
    return pd.DataFrame(rows)
