"""The scoring engine: one vectorised pass from a long answer frame to scores, levels and targets.

One agency and a hundred thousand go through the same code, so the IT lead's result and the
coordinator's table can never disagree. Every rule comes from the rubric and targets YAML; this
module only knows how to apply them. Arrays are indexed by assessment (agency and round) `a`,
dimension `d`, and for answers by row; group sums use `np.bincount`, never a Python loop over
answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from scoring.answers import DONT_KNOW, NOT_APPLICABLE
from scoring.content import Bundle
from scoring.model import LEVELS, NumericBand

STATUS_SCORED, STATUS_NA, STATUS_DONT_KNOW, STATUS_INVALID = 0, 1, 2, 3
STATUS_NAMES = np.array(["scored", "na", "dont_know", "invalid"])
LIGHTS = np.array(["GREEN", "YELLOW", "RED"])
EPSILON = 1e-9


@dataclass(frozen=True)
class ScoreResult:
    """Scores of many assessments. Frames share the assessment order of `agencies`."""

    bundle: Bundle
    agencies: pd.DataFrame  # one row per assessment (agency and round)
    dimensions: pd.DataFrame  # one row per assessment and dimension
    answers: pd.DataFrame  # the input rows with dimension, status, level, points, weight
    indicators: pd.DataFrame  # one row per assessment and indicator

    @cached_property
    def position(self) -> dict[tuple[str, str], int]:
        keys = zip(self.agencies["agency_id"], self.agencies["round"], strict=True)
        return {key: i for i, key in enumerate(keys)}

    def dimension_levels(self, column: str = "level") -> pd.DataFrame:
        """Assessments × dimensions (wide), for heatmaps."""
        wide = self.dimensions.pivot(index=["agency_id", "round"], columns="dimension_id", values=column)
        return wide[self.bundle.dimension_ids]


def _bands_lookup(values: np.ndarray, bands: list[NumericBand]) -> np.ndarray:
    ordered = sorted(bands, key=lambda b: b.min)
    mins = np.array([b.min for b in ordered])
    levels = np.array([b.level for b in ordered], dtype=float)
    index = np.searchsorted(mins, values, side="right") - 1
    return np.where(index >= 0, levels[np.clip(index, 0, None)], np.nan)


def _parse_answers(answer: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(numeric value, status) per row; parses each distinct text once (answers repeat a lot)."""
    codes, uniques = pd.factorize(answer.astype(str), use_na_sentinel=True)
    unique_text = pd.Series(uniques, dtype=object)
    unique_number = pd.to_numeric(unique_text, errors="coerce").to_numpy(dtype=float)
    unique_status = np.where(
        unique_text == NOT_APPLICABLE,
        STATUS_NA,
        np.where(unique_text == DONT_KNOW, STATUS_DONT_KNOW, np.where(np.isnan(unique_number), STATUS_INVALID, 0)),
    )
    valid = codes >= 0
    safe = np.where(valid, codes, 0)
    number = np.where(valid, unique_number[safe] if len(uniques) else np.nan, np.nan)
    status = np.where(valid, unique_status[safe] if len(uniques) else STATUS_INVALID, STATUS_INVALID)
    return number, status


def _assessment_codes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """An integer per (agency_id, round) in order of first appearance, and each one's first row."""
    agency_codes, agency_uniques = pd.factorize(frame["agency_id"], sort=False)
    round_codes, round_uniques = pd.factorize(frame["round"].astype(str), sort=False)
    combined = agency_codes.astype(np.int64) * max(len(round_uniques), 1) + round_codes
    codes, _ = pd.factorize(combined, sort=False)
    first_rows = np.full(codes.max() + 1 if len(codes) else 0, -1, dtype=np.int64)
    order = np.arange(len(codes))[::-1]
    first_rows[codes[order]] = order  # the last write wins: the first appearance
    return codes, first_rows


def score(frame: pd.DataFrame, bundle: Bundle) -> ScoreResult:
    """Score every assessment in a long frame (columns of scoring.responses.ANSWER_COLUMNS).

    Rows must already be validated (see scoring.responses); a row naming an unknown question or
    carrying an unreadable value is ignored rather than guessed at.
    """
    rubric = bundle.rubric
    table = bundle.question_table
    dims = bundle.dimension_ids
    n_dims = len(dims)

    assessment, first_rows = _assessment_codes(frame)
    n_assessments = len(first_rows)
    question_code = pd.Categorical(frame["question_id"], categories=table.index).codes
    known = question_code >= 0
    safe_q = np.where(known, question_code, 0)
    dim_code = table["dimension_index"].to_numpy()[safe_q]
    is_numeric = (table["kind"].to_numpy() == "numeric")[safe_q]
    weight = table["weight"].to_numpy(dtype=float)[safe_q]

    number, status = _parse_answers(frame["answer"])
    status = np.where(known, status, STATUS_INVALID)

    # Level of each answer: the option chosen, or the rubric's band for a numeric value.
    level = np.where(is_numeric, np.nan, number)
    level = np.where(~is_numeric & ~np.isin(number, LEVELS), np.nan, level)
    numeric_rows = is_numeric & (status == STATUS_SCORED)
    if numeric_rows.any():
        level = np.where(numeric_rows, _bands_lookup(number, rubric.numeric_bands), level)
        for question_id, bands in rubric.numeric_bands_by_question.items():
            rows = numeric_rows & (question_code == table.index.get_loc(question_id))
            if rows.any():
                level = np.where(rows, _bands_lookup(number, bands), level)
    status = np.where((status == STATUS_SCORED) & np.isnan(level), STATUS_INVALID, status)
    scored = status == STATUS_SCORED
    points_by_level = np.array([np.nan] + [rubric.option_points[lv] for lv in LEVELS])
    points = np.where(scored, points_by_level[np.nan_to_num(level, nan=0).astype(int)], np.nan)

    # Per assessment × dimension sums.
    group = assessment.astype(np.int64) * n_dims + dim_code
    size = n_assessments * n_dims
    valid = known & (status != STATUS_INVALID)

    def per_group(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return np.bincount(group[mask], weights=values[mask], minlength=size)

    ones = np.ones(len(frame))
    w_scored = per_group(weight, scored)
    wp_scored = per_group(weight * np.nan_to_num(points), scored)
    answered = per_group(ones, scored)
    na = per_group(ones, valid & (status == STATUS_NA))
    dont_know = per_group(ones, valid & (status == STATUS_DONT_KNOW))
    total = np.tile(bundle.questions_per_dimension, n_assessments).astype(float)
    applicable = total - na
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(applicable > 0, answered / applicable, 0.0)
        rated = (answered > 0) & (coverage + EPSILON >= rubric.coverage.min_answered_share)
        dim_score = np.where(rated, wp_scored / w_scored, np.nan)

    lowest = np.full(size, np.inf)
    np.minimum.at(lowest, group[scored], level[scored])
    gated = np.ones(size)
    still_climbing = np.ones(size, dtype=bool)
    for target in (2, 3, 4, 5):
        rule = rubric.gate_rules[target]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = per_group(weight, scored & (level >= target)) / w_scored
        meets = (share + EPSILON >= rule.min_share) & (lowest >= target - rule.max_shortfall)
        still_climbing &= meets  # staged: a level cannot be skipped
        gated += still_climbing
    gated = np.where(rated, gated, np.nan)
    continuous = np.where(rated, _continuous_level(dim_score, rubric.continuous_level_thresholds), np.nan)
    dim_level = gated if rubric.official_reading == "gated" else continuous

    # Per assessment.
    shape = (n_assessments, n_dims)
    rated_2d = rated.reshape(shape)
    all_rated = rated_2d.all(axis=1) if n_dims else np.zeros(n_assessments, dtype=bool)
    dim_weight = np.broadcast_to(bundle.dimension_weights, shape) * rated_2d
    with np.errstate(invalid="ignore", divide="ignore"):
        overall_score = np.nansum(np.nan_to_num(dim_score.reshape(shape)) * dim_weight, axis=1) / dim_weight.sum(axis=1)
    overall_score = np.where(dim_weight.sum(axis=1) > 0, overall_score, np.nan)
    gated_2d = gated.reshape(shape)
    with np.errstate(invalid="ignore"):
        if rubric.overall_gated == "weakest":
            overall_gated = gated_2d.min(axis=1) if n_dims else np.full(n_assessments, np.nan)
        elif rubric.overall_gated == "median":
            overall_gated = np.floor(np.median(gated_2d, axis=1))
        else:
            overall_gated = np.floor(gated_2d.mean(axis=1) + EPSILON)
    overall_gated = np.where(all_rated, overall_gated, np.nan)
    overall_continuous = np.where(
        all_rated, _continuous_level(overall_score, rubric.continuous_level_thresholds), np.nan
    )
    overall_level = overall_gated if rubric.official_reading == "gated" else overall_continuous

    meta_columns = [c for c in ("agency_id", "agency_name", "agency_type", "province", "round") if c in frame]
    agencies = frame.iloc[first_rows][meta_columns].reset_index(drop=True)
    agencies["round"] = agencies["round"].astype(str)
    per_assessment = {
        "overall_score": overall_score,
        "overall_level": overall_level,
        "overall_gated_level": overall_gated,
        "overall_continuous_level": overall_continuous,
        "rated": all_rated,
        "answered": answered.reshape(shape).sum(axis=1),
        "na": na.reshape(shape).sum(axis=1),
        "dont_know": dont_know.reshape(shape).sum(axis=1),
        "unanswered": (total - answered - na - dont_know).reshape(shape).sum(axis=1),
    }
    dimensions = pd.DataFrame(
        {
            "agency_id": np.repeat(agencies["agency_id"].to_numpy(), n_dims),
            "round": np.repeat(agencies["round"].to_numpy(), n_dims),
            "dimension_id": np.tile(np.array(dims, dtype=object), n_assessments),
            "score": dim_score,
            "level": dim_level,
            "gated_level": gated,
            "continuous_level": continuous,
            "rated": rated,
            "answered": answered,
            "na": na,
            "dont_know": dont_know,
            "unanswered": total - answered - na - dont_know,
            "questions": total,
        }
    )
    level_2d = dim_level.reshape(shape)
    for year in bundle.years:
        target = bundle.targets.years[year]
        required = np.array([bundle.targets.dimension_min_level(year, d) for d in dims], dtype=float)
        dim_gap = np.clip(required - level_2d, 0, None)
        with np.errstate(invalid="ignore"):
            gap = np.maximum(np.clip(target.agency_min_level - overall_level, 0, None), np.nanmax(
                np.where(np.isnan(dim_gap), -np.inf, dim_gap), axis=1, initial=0))
        met = all_rated & (overall_level >= target.agency_min_level) & (dim_gap.sum(axis=1) == 0)
        gap = np.where(all_rated, gap, np.nan)
        light = np.where(met, 0, np.where(all_rated & (gap <= bundle.targets.traffic_light.yellow_max_gap), 1, 2))
        per_assessment[f"met_{year}"] = met
        per_assessment[f"gap_{year}"] = gap
        per_assessment[f"light_{year}"] = LIGHTS[light]
        dimensions[f"required_{year}"] = np.tile(required, n_assessments)
        dimensions[f"gap_{year}"] = dim_gap.ravel()
    agencies = pd.concat([agencies, pd.DataFrame(per_assessment)], axis=1)

    indicators = _indicator_frame(bundle, agencies, assessment, question_code, number, status)
    for year in bundle.years:
        in_year = indicators[indicators[f"target_{year}"].notna()]
        counts = in_year.groupby("position")[f"met_{year}"].agg(["sum", "size"])
        agencies[f"indicators_met_{year}"] = counts["sum"].reindex(agencies.index, fill_value=0).astype(int)
        agencies[f"indicators_total_{year}"] = counts["size"].reindex(agencies.index, fill_value=0).astype(int)

    answers = frame.copy()
    answers["dimension_id"] = np.where(known, np.array(dims, dtype=object)[dim_code], None)
    answers["status"] = STATUS_NAMES[status]
    answers["level"] = level
    answers["points"] = points
    answers["weight"] = np.where(known, weight, np.nan)
    answers["position"] = assessment
    return ScoreResult(bundle=bundle, agencies=agencies, dimensions=dimensions, answers=answers, indicators=indicators)


def _continuous_level(score: np.ndarray, thresholds: dict[int, float]) -> np.ndarray:
    level = np.ones_like(score, dtype=float)
    for target in (2, 3, 4, 5):
        level += np.nan_to_num(score, nan=-np.inf) + EPSILON >= thresholds[target]
    return level


def _indicator_frame(
    bundle: Bundle,
    agencies: pd.DataFrame,
    assessment: np.ndarray,
    question_code: np.ndarray,
    number: np.ndarray,
    status: np.ndarray,
) -> pd.DataFrame:
    """Each assessment's value for each indicator, against each year's target (NaN when not given)."""
    indicators = bundle.targets.indicators
    n = len(agencies)
    if not indicators or n == 0:
        columns = ["position", "agency_id", "round", "indicator_id", "question_id", "value"]
        for year in bundle.years:
            columns += [f"target_{year}", f"met_{year}"]
        return pd.DataFrame(columns=columns)
    index = bundle.question_table.index
    indicator_of_question = np.full(len(index) + 1, -1)
    for i, indicator in enumerate(indicators):
        indicator_of_question[index.get_loc(indicator.question)] = i
    which = np.where(question_code >= 0, indicator_of_question[np.where(question_code >= 0, question_code, -1)], -1)
    rows = (which >= 0) & (status == STATUS_SCORED)
    values = np.full((n, len(indicators)), np.nan)
    values[assessment[rows], which[rows]] = number[rows]
    out = pd.DataFrame(
        {
            "position": np.repeat(np.arange(n), len(indicators)),
            "agency_id": np.repeat(agencies["agency_id"].to_numpy(), len(indicators)),
            "round": np.repeat(agencies["round"].to_numpy(), len(indicators)),
            "indicator_id": np.tile(np.array([i.id for i in indicators], dtype=object), n),
            "question_id": np.tile(np.array([i.question for i in indicators], dtype=object), n),
            "value": values.ravel(),
        }
    )
    for year in bundle.years:
        target = np.array([i.targets.get(year, np.nan) for i in indicators], dtype=float)
        tiled = np.tile(target, n)
        out[f"target_{year}"] = tiled
        with np.errstate(invalid="ignore"):
            out[f"met_{year}"] = np.where(np.isnan(tiled), False, out["value"].to_numpy() + EPSILON >= tiled)
    return out
