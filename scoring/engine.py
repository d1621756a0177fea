"""The scoring engine: one vectorised pass from a long answer frame to scores, levels and targets.

One agency and a hundred thousand go through the same code, so the IT lead's result and the
coordinator's table can never disagree. Every rule comes from the rubric and targets YAML; this
module only knows how to apply them. Arrays are indexed by assessment (agency and round) `a`,
dimension `d`, and for answers by row; group sums use `np.bincount`, never a Python loop over
answers.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from scoring.answers import DONT_KNOW, NOT_APPLICABLE, PROVIDED
from scoring.content import Bundle
from scoring.schemas.base import AGENCY_TYPES, LEVELS
from scoring.schemas.rubric import NumericBand

STATUS_SCORED, STATUS_NA, STATUS_DONT_KNOW, STATUS_INVALID, STATUS_UNANSWERED = 0, 1, 2, 3, 4
# not_asked: the question does not apply to the agency's type; indicator: a numeric question reported beside
# the level (rubric indicators_in_levels: false). Neither is in any denominator.
STATUS_NOT_ASKED, STATUS_INDICATOR = 5, 6
STATUS_NAMES = np.array(["scored", "na", "dont_know", "invalid", "unanswered", "not_asked", "indicator"])
LIGHTS = np.array(["GREEN", "YELLOW", "RED"])
EPSILON = 1e-9


@dataclass(frozen=True)
class _RowArrays:
    """What the scoring pass keeps: the input, each row's cell, and the dense matrices."""

    frame: pd.DataFrame
    assessment: np.ndarray  # per input row
    question_code: np.ndarray  # per input row; -1 for an unknown question
    level: np.ndarray  # assessments × questions
    status: np.ndarray  # assessments × questions
    points_by_level: np.ndarray
    indicator_values: np.ndarray  # assessments × indicators
    indicator_applicable: np.ndarray  # assessments × indicators: False where answered N/A

    def annotate(self, mask: np.ndarray | slice, bundle: Bundle) -> pd.DataFrame:
        frame = self.frame[mask].copy()
        a, q = self.assessment[mask], self.question_code[mask]
        known = q >= 0
        safe_q = np.where(known, q, 0)
        level = np.where(known, self.level[a, safe_q], 0).astype(float)
        level[level == 0] = np.nan
        status = np.where(known, self.status[a, safe_q], STATUS_INVALID)
        dims = np.array(bundle.dimension_ids, dtype=object)
        table = bundle.question_table
        frame["dimension_id"] = np.where(known, dims[table["dimension_index"].to_numpy()[safe_q]], None)
        frame["status"] = STATUS_NAMES[status]
        frame["level"] = level
        frame["points"] = np.where(
            status == STATUS_SCORED, self.points_by_level[np.nan_to_num(level, nan=0).astype(np.intp)], np.nan
        )
        frame["weight"] = np.where(known, table["weight"].to_numpy()[safe_q], np.nan)
        frame["position"] = a
        return frame


@dataclass(frozen=True)
class ScoreResult:
    """Scores of many assessments. Frames share the assessment order of `agencies`."""

    bundle: Bundle
    agencies: pd.DataFrame  # one row per assessment (agency and round)
    dimensions: pd.DataFrame  # one row per assessment and dimension
    rows: _RowArrays

    @cached_property
    def position(self) -> dict[tuple[str, str], int]:
        keys = zip(self.agencies["agency_id"], self.agencies["round"], strict=True)
        return {(str(a), str(r)): i for i, (a, r) in enumerate(keys)}

    @cached_property
    def answers(self) -> pd.DataFrame:
        """The input rows with dimension, status (scored|na|dont_know|invalid), level, points, weight."""
        return self.rows.annotate(slice(None), self.bundle)

    def answers_of(self, position: int) -> pd.DataFrame:
        """The annotated answer rows of one assessment."""
        return self.rows.annotate(self.rows.assessment == position, self.bundle)

    @cached_property
    def indicators(self) -> pd.DataFrame:
        """One row per assessment and indicator: value, and per year target_<year> and met_<year>."""
        return _indicator_frame(self.bundle, self.agencies, self.rows.indicator_values,
                                self.rows.indicator_applicable)

    def dimension_levels(self, column: str = "level") -> pd.DataFrame:
        """Assessments × dimensions (wide, in the order of `agencies`), for heatmaps and tables."""
        values = self.dimensions[column].to_numpy().reshape(len(self.agencies), len(self.bundle.dimension_ids))
        index = pd.MultiIndex.from_frame(self.agencies[["agency_id", "round"]])
        return pd.DataFrame(values, index=index, columns=pd.Index(self.bundle.dimension_ids, name="dimension_id"))


def _bands_lookup(values: np.ndarray, bands: list[NumericBand]) -> np.ndarray:
    ordered = sorted(bands, key=lambda b: b.min)
    mins = np.array([b.min for b in ordered])
    levels = np.array([b.level for b in ordered], dtype=float)
    index = np.searchsorted(mins, values, side="right") - 1
    return np.where(index >= 0, levels[np.clip(index, 0, None)], np.nan)


def _answer_tables(bundle: Bundle, uniques: pd.Index) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each distinct answer text: its number; for each (question, distinct answer): level and status.

    The tables get one extra column, the code of a missing answer, which is invalid everywhere.
    """
    rubric = bundle.rubric
    table = bundle.question_table
    text = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str)
    number = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    special = np.where(text == NOT_APPLICABLE, STATUS_NA, np.where(text == DONT_KNOW, STATUS_DONT_KNOW, -1))
    is_level_answer = np.isin(number, LEVELS)
    levels = np.full((len(table), len(text) + 1), np.nan)
    levels[(table["kind"] == "level").to_numpy(), :-1] = np.where(is_level_answer, number, np.nan)
    for question in bundle.questionnaire.questions:  # a loop over numeric questions, not over answers
        if question.kind == "numeric":
            bands = rubric.numeric_bands_by_question.get(question.id, rubric.numeric_bands)
            in_range = (number >= question.low) & (number <= question.high)
            levels[table.index.get_loc(question.id), :-1] = np.where(in_range, _bands_lookup(number, bands), np.nan)
    if rubric.provided_level is not None:  # `provided` counts as the rubric's level on providable questions
        providable = table["providable"].to_numpy(dtype=bool)
        levels[np.ix_(providable, np.append(text.to_numpy() == PROVIDED, False))] = rubric.provided_level
    status = np.where(np.isnan(levels), STATUS_INVALID, STATUS_SCORED).astype(np.int8)
    status[:, :-1] = np.where(special >= 0, special, status[:, :-1])
    levels[:, :-1] = np.where(special >= 0, np.nan, levels[:, :-1])
    return number, np.nan_to_num(levels, nan=0).astype(np.int8), status


def _codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and their values; free for categorical columns, one hash pass otherwise."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), column.cat.categories
    codes, uniques = pd.factorize(column, sort=False)
    return codes, pd.Index(uniques)


def _assessment_codes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index]:
    """An integer per (agency_id, round), each one's first row, and the agency codes and ids."""
    agency_codes, agency_ids = _codes(frame["agency_id"])
    round_codes, round_uniques = _codes(frame["round"])
    n_rounds = max(len(round_uniques), 1)
    combined = agency_codes.astype(np.int64) * n_rounds + round_codes
    # Dense codes without hashing: mark the (agency, round) cells present, number them in order.
    present = np.zeros((int(combined.max()) + 1) if len(combined) else 0, dtype=bool)
    present[combined] = True
    codes = (np.cumsum(present) - 1)[combined]
    first_rows = np.full(codes.max() + 1 if len(codes) else 0, -1, dtype=np.int64)
    order = np.arange(len(codes))[::-1]
    first_rows[codes[order]] = order  # the last write wins: the first appearance
    return codes, first_rows, agency_codes, agency_ids


def score(frame: pd.DataFrame, bundle: Bundle) -> ScoreResult:
    """Score every assessment in a long frame (columns of scoring.response_frame.ANSWER_COLUMNS).

    Rows must already be validated (see scoring.responses); a row naming an unknown question or
    carrying an unreadable value is ignored rather than guessed at.
    """
    rubric = bundle.rubric
    table = bundle.question_table
    dims = bundle.dimension_ids
    n_dims = len(dims)

    assessment, first_rows, agency_codes, agency_ids = _assessment_codes(frame)
    n_assessments = len(first_rows)
    q_codes, q_uniques = _codes(frame["question_id"])
    to_table = table.index.get_indexer(q_uniques) if len(q_uniques) else np.zeros(0, dtype=np.int64)
    question_code = np.full(len(frame), -1, dtype=np.int64)
    has_question = q_codes >= 0
    question_code[has_question] = to_table[q_codes[has_question]]
    known = question_code >= 0

    # Answers repeat a small vocabulary: decide each (question, distinct answer) pair once, then
    # scatter into dense assessments × questions matrices (questions are grouped by dimension).
    a_codes, a_uniques = _codes(frame["answer"])
    unique_number, level_table, status_table = _answer_tables(bundle, a_uniques)
    answer_code = np.where(a_codes >= 0, a_codes, len(a_uniques))
    n_questions = len(table)
    shape = (n_assessments, n_dims)
    # One int8 cell per (assessment, question): status in the high bits, level (0 = none) in the low 3.
    cell_table = (status_table << 3) | level_table
    cell_m = np.full((n_assessments, n_questions), STATUS_UNANSWERED << 3, dtype=np.int8)
    code_m = np.full((n_assessments, n_questions), len(a_uniques), dtype=np.int64)
    row_a, row_q, row_u = assessment[known], question_code[known], answer_code[known]
    cell_m[row_a, row_q] = cell_table[row_q, row_u]
    code_m[row_a, row_q] = row_u
    status_m, level_m = cell_m >> 3, cell_m & 7

    # Agency types: which questions each assessment is asked; `provided` is a commune's answer only.
    type_codes = _type_codes(frame, first_rows)
    asked_by_type = np.vstack(
        [table[f"asked_{t}"].to_numpy(dtype=bool) for t in AGENCY_TYPES] + [np.ones(n_questions, bool)]
    )
    asked_m = asked_by_type[type_codes]
    is_provided = np.asarray(a_uniques, dtype=object) == PROVIDED
    provided_code = int(np.flatnonzero(is_provided)[0]) if is_provided.any() else -1
    if provided_code >= 0:
        not_commune = (type_codes != AGENCY_TYPES.index("commune"))[:, None]
        wrong = (code_m == provided_code) & not_commune
        status_m = np.where(wrong, STATUS_INVALID, status_m)
        level_m = np.where(wrong, 0, level_m)
    answered_status = status_m.copy()  # indicators read the numbers before they are set aside below
    in_levels = table["in_levels"].to_numpy(dtype=bool)
    status_m = np.where(asked_m, np.where(in_levels, status_m, STATUS_INDICATOR), STATUS_NOT_ASKED)
    counted = asked_m & in_levels

    starts = np.concatenate([[0], np.cumsum(bundle.questions_per_dimension)[:-1]]).astype(np.intp)

    def by_dimension(values: np.ndarray) -> np.ndarray:
        if n_assessments == 0:
            return np.zeros(shape)
        return np.add.reduceat(values, starts, axis=1)

    scored = status_m == STATUS_SCORED
    points_by_level = np.array([0.0] + [rubric.option_points[lv] for lv in LEVELS])
    weighted = scored * table["weight"].to_numpy(dtype=float)
    w_scored = by_dimension(weighted)
    wp_scored = by_dimension(weighted * points_by_level[level_m])
    answered = by_dimension(scored.astype(float))
    na = by_dimension((status_m == STATUS_NA).astype(float))
    dont_know = by_dimension((status_m == STATUS_DONT_KNOW).astype(float))
    total = by_dimension(counted.astype(float))
    relevant = total > 0  # a dimension with no question for this agency type is left out, not failed
    applicable = total - na
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(applicable > 0, answered / applicable, 0.0)
        rated = relevant & (answered > 0) & (coverage + EPSILON >= rubric.coverage.min_answered_share)
        dim_score = np.where(rated, wp_scored / w_scored, np.nan)

    lowest = (
        np.minimum.reduceat(np.where(scored, level_m, np.int8(9)), starts, axis=1) if n_assessments else np.zeros(shape)
    )
    gated = np.ones(shape)
    still_climbing = np.ones(shape, dtype=bool)
    for target in (2, 3, 4, 5):
        rule = rubric.gate_rules[target]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = by_dimension(weighted * (level_m >= target)) / w_scored
        meets = (share + EPSILON >= rule.min_share) & (lowest >= target - rule.max_shortfall)
        still_climbing &= meets  # staged: a level cannot be skipped
        gated += still_climbing
    gated = np.where(rated, gated, np.nan)
    continuous = np.where(rated, _continuous_level(dim_score, rubric.continuous_level_thresholds), np.nan)
    dim_level = gated if rubric.official_reading == "gated" else continuous

    # Per assessment.
    rated_2d = rated
    all_rated = (rated_2d | ~relevant).all(axis=1) & relevant.any(axis=1) if n_dims else np.zeros(n_assessments, bool)
    dim_weight = np.broadcast_to(bundle.dimension_weights, shape) * rated_2d
    with np.errstate(invalid="ignore", divide="ignore"):
        overall_score = np.nansum(np.nan_to_num(dim_score) * dim_weight, axis=1) / dim_weight.sum(axis=1)
    overall_score = np.where(dim_weight.sum(axis=1) > 0, overall_score, np.nan)
    gated_2d = gated
    gated_2d = np.where(relevant, gated_2d, np.nan)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows (nothing rated) stay NaN
        if rubric.overall_gated == "weakest":
            overall_gated = np.nanmin(gated_2d, axis=1) if n_dims else np.full(n_assessments, np.nan)
        elif rubric.overall_gated == "median":
            overall_gated = np.floor(np.nanmedian(gated_2d, axis=1))
        else:
            overall_gated = np.floor(np.nanmean(gated_2d, axis=1) + EPSILON)
    overall_gated = np.where(all_rated, overall_gated, np.nan)
    overall_continuous = np.where(
        all_rated, _continuous_level(overall_score, rubric.continuous_level_thresholds), np.nan
    )
    overall_level = overall_gated if rubric.official_reading == "gated" else overall_continuous

    meta_columns = [c for c in ("agency_id", "agency_name", "agency_type", "province", "round") if c in frame]
    per_assessment: dict[str, Any] = {column: _take(frame[column], first_rows) for column in meta_columns}
    per_assessment["round"] = per_assessment["round"].astype(str)
    per_assessment.update(
        {
            "overall_score": overall_score,
            "overall_level": overall_level,
            "overall_gated_level": overall_gated,
            "overall_continuous_level": overall_continuous,
            "rated": all_rated,
            "answered": answered.sum(axis=1),
            "na": na.sum(axis=1),
            "dont_know": dont_know.sum(axis=1),
            "unanswered": (total - answered - na - dont_know).sum(axis=1),
        }
    )
    dimensions = pd.DataFrame(
        {
            "agency_id": pd.Categorical.from_codes(
                np.repeat(agency_codes[first_rows], n_dims), pd.Index(np.asarray(agency_ids, dtype=object))
            ),
            "round": _repeated(per_assessment["round"], n_dims),
            "dimension_id": pd.Categorical.from_codes(np.tile(np.arange(n_dims), n_assessments), dims),
            "score": dim_score.ravel(),
            "level": dim_level.ravel(),
            "gated_level": gated.ravel(),
            "continuous_level": continuous.ravel(),
            "rated": rated.ravel(),
            "answered": answered.ravel(),
            "na": na.ravel(),
            "dont_know": dont_know.ravel(),
            "unanswered": (total - answered - na - dont_know).ravel(),
            "questions": total.ravel(),
        }
    )
    level_2d = dim_level
    for year in bundle.years:
        year_target = bundle.targets.years[year]
        required = np.array([bundle.targets.dimension_min_level(year, d) for d in dims], dtype=float)
        dim_gap = np.where(relevant, np.clip(required - level_2d, 0, None), 0.0)
        agency_min = np.array([year_target.agency_min_level_for(t) for t in (*AGENCY_TYPES, "")],
                              dtype=float)[type_codes]
        with np.errstate(invalid="ignore"):
            gap = np.maximum(
                np.clip(agency_min - overall_level, 0, None),
                np.nanmax(np.where(np.isnan(dim_gap), -np.inf, dim_gap), axis=1, initial=0),
            )
        met = all_rated & (overall_level >= agency_min) & (dim_gap.sum(axis=1) == 0)
        gap = np.where(all_rated, gap, np.nan)
        light = np.where(met, 0, np.where(all_rated & (gap <= bundle.targets.traffic_light.yellow_max_gap), 1, 2))
        per_assessment[f"met_{year}"] = met
        per_assessment[f"gap_{year}"] = gap
        per_assessment[f"light_{year}"] = LIGHTS[light]
        dimensions[f"required_{year}"] = np.tile(required, n_assessments)
        dimensions[f"gap_{year}"] = dim_gap.ravel()
    indicator_status = np.where(asked_m, answered_status, STATUS_NOT_ASKED)  # numbers as answered, per type
    indicator_values = _indicator_values(bundle, indicator_status, code_m, unique_number)
    # An indicator answered N/A (with its reason), or not asked of the agency's type, leaves the count.
    indicator_applicable = _indicator_applicable(bundle, indicator_status)
    for year in bundle.years:
        indicator_target = np.array([i.targets.get(year, np.nan) for i in bundle.targets.indicators], dtype=float)
        counted = ~np.isnan(indicator_target) & indicator_applicable
        with np.errstate(invalid="ignore"):
            met = (indicator_values + EPSILON >= indicator_target) & counted
        per_assessment[f"indicators_met_{year}"] = met.sum(axis=1)
        per_assessment[f"indicators_total_{year}"] = counted.sum(axis=1)
    agencies = pd.DataFrame(per_assessment)

    rows = _RowArrays(
        frame=frame,
        assessment=assessment,
        question_code=question_code,
        level=level_m,
        status=status_m,
        points_by_level=points_by_level,
        indicator_values=indicator_values,
        indicator_applicable=indicator_applicable,
    )
    return ScoreResult(bundle=bundle, agencies=agencies, dimensions=dimensions, rows=rows)


def _type_codes(frame: pd.DataFrame, first_rows: np.ndarray) -> np.ndarray:
    """Per assessment, the index of its agency type in AGENCY_TYPES (len(AGENCY_TYPES): unknown, asked everything)."""
    if "agency_type" not in frame:
        return np.full(len(first_rows), len(AGENCY_TYPES), dtype=np.intp)
    codes, uniques = _codes(frame["agency_type"])
    lookup = np.array(
        [AGENCY_TYPES.index(u) if u in AGENCY_TYPES else len(AGENCY_TYPES) for u in uniques] + [len(AGENCY_TYPES)],
        dtype=np.intp,
    )
    return lookup[np.where(codes >= 0, codes, len(uniques))[first_rows]]


def _take(column: pd.Series, rows: np.ndarray) -> np.ndarray:
    """Values of `column` at `rows` as a plain object array (None for missing)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()[rows]
        values = np.append(np.asarray(column.cat.categories, dtype=object), np.array([None], dtype=object))
        return values[np.where(codes >= 0, codes, len(values) - 1)]
    taken = column.iloc[rows].to_numpy(dtype=object)
    return np.asarray(np.where(pd.isna(taken), None, taken), dtype=object)


def _repeated(values: np.ndarray, times: int) -> pd.Categorical:
    """Each value repeated `times` times, as a categorical (no per-row string building)."""
    codes, uniques = pd.factorize(values, sort=False)
    return pd.Categorical.from_codes(np.repeat(codes, times), pd.Index(uniques).astype(object))


def _continuous_level(score: np.ndarray, thresholds: dict[int, float]) -> np.ndarray:
    level = np.ones_like(score, dtype=float)
    for target in (2, 3, 4, 5):
        level += np.nan_to_num(score, nan=-np.inf) + EPSILON >= thresholds[target]
    return level


def _indicator_values(
    bundle: Bundle, status_m: np.ndarray, code_m: np.ndarray, unique_number: np.ndarray
) -> np.ndarray:
    """Assessments × indicators: the percentage given (NaN when not answered, N/A or don't know)."""
    columns = [bundle.question_table.index.get_loc(i.question) for i in bundle.targets.indicators]
    padded = np.append(unique_number, np.nan)  # the last code means "no answer"
    values = padded[code_m[:, columns]]
    return np.where(status_m[:, columns] == STATUS_SCORED, values, np.nan)


def _indicator_applicable(bundle: Bundle, status_m: np.ndarray) -> np.ndarray:
    """Assessments × indicators: False where the indicator's question was answered N/A or is not asked."""
    columns = [bundle.question_table.index.get_loc(i.question) for i in bundle.targets.indicators]
    return ~np.isin(status_m[:, columns], (STATUS_NA, STATUS_NOT_ASKED))


def _indicator_frame(bundle: Bundle, agencies: pd.DataFrame, values: np.ndarray,
                     applicable: np.ndarray) -> pd.DataFrame:
    indicators = bundle.targets.indicators
    n = len(agencies)
    out = pd.DataFrame(
        {
            "position": np.repeat(np.arange(n), len(indicators)),
            "agency_id": np.repeat(agencies["agency_id"].to_numpy(), len(indicators)),
            "round": np.repeat(agencies["round"].to_numpy(), len(indicators)),
            "indicator_id": np.tile(np.array([i.id for i in indicators], dtype=object), n),
            "question_id": np.tile(np.array([i.question for i in indicators], dtype=object), n),
            "value": values.ravel(),
            "applicable": applicable.ravel(),
        }
    )
    for year in bundle.years:
        tiled = np.tile(np.array([i.targets.get(year, np.nan) for i in indicators], dtype=float), n)
        out[f"target_{year}"] = tiled
        with np.errstate(invalid="ignore"):
            out[f"met_{year}"] = (~np.isnan(tiled) & out["applicable"].to_numpy()
                                  & (out["value"].to_numpy() + EPSILON >= tiled))
    return out
