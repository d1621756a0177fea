"""What-if: change some answers of one sample, score before and after, and list what moved.

Both sides are scored with `scoring.score`, the one scoring path, so the demo shows exactly what
the real assessment would give.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring import canonical_value, parse_value, score
from scoring.answers import NOT_APPLICABLE, PROVIDED, SPECIAL
from scoring.content import Bundle
from scoring.results import AgencyResult, agency_result
from scoring.schemas.base import LEVELS
from scoring.schemas.questionnaire import Question
from scoring.schemas.rubric import NumericBand

DIFF_COLUMNS = ["section", "item", "measure", "before", "after", "delta", "change"]
LIGHT_RANK = {"RED": 0, "YELLOW": 1, "GREEN": 2}
WHAT_IF_REASON = "what-if"


def current_answers(frame: pd.DataFrame) -> dict[str, str]:
    """question id -> canonical answer of one assessment's rows."""
    return {str(q): str(a) for q, a in zip(frame["question_id"], frame["answer"], strict=True)}


def effective_changes(original: Mapping[str, str], changes: Mapping[str, str | None]) -> dict[str, str | None]:
    """Only the changes that differ from the original (None means: leave unanswered)."""
    out: dict[str, str | None] = {}
    for question_id, value in changes.items():
        value = None if value is None else canonical_value(value)
        if original.get(question_id) != value:
            out[question_id] = value
    return out


def apply_changes(frame: pd.DataFrame, changes: Mapping[str, str | None]) -> pd.DataFrame:
    """One assessment's long frame with `changes` applied (None removes the answer)."""
    if frame.empty:
        raise ValueError("apply_changes needs the rows of one assessment")
    if frame[["agency_id", "round"]].drop_duplicates().shape[0] != 1:
        raise ValueError("apply_changes works on the rows of exactly one assessment")
    out = frame.copy()
    for column in ("answer", "na_reason", "evidence"):
        if column in out.columns:
            out[column] = out[column].astype(object)
    template = out.iloc[0].to_dict()
    present = set(out["question_id"])
    drop = [q for q, v in changes.items() if v is None]
    out = out[~out["question_id"].isin(drop)]
    added = []
    for question_id, value in changes.items():
        if value is None:
            continue
        value = canonical_value(value)
        if question_id in present:
            mask = out["question_id"] == question_id
            out.loc[mask, "answer"] = value
            if "na_reason" in out.columns:
                reason = out.loc[mask, "na_reason"].iloc[0]
                if value != NOT_APPLICABLE:
                    reason = None
                elif reason is None or reason != reason:  # missing or NaN
                    reason = WHAT_IF_REASON
                out.loc[mask, "na_reason"] = reason
        else:
            row = {**template, "question_id": question_id, "answer": value}
            for column in ("na_reason", "evidence"):
                if column in row:
                    row[column] = WHAT_IF_REASON if (column == "na_reason" and value == NOT_APPLICABLE) else None
            added.append(row)
    if added:
        out = pd.concat([out, pd.DataFrame(added, columns=out.columns)], ignore_index=True)
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class WhatIf:
    before: AgencyResult
    after: AgencyResult
    changes: dict[str, str | None]
    frame_after: pd.DataFrame
    diff: pd.DataFrame  # tidy: DIFF_COLUMNS

    @property
    def changed(self) -> pd.DataFrame:
        return self.diff[self.diff["change"] != "same"].reset_index(drop=True)


def what_if(frame: pd.DataFrame, changes: Mapping[str, str | None], bundle: Bundle) -> WhatIf:
    """Score one assessment's rows as given and with `changes`, and compare the two."""
    original = current_answers(frame)
    effective = effective_changes(original, changes)
    after_frame = apply_changes(frame, effective) if effective else frame.reset_index(drop=True)
    agency_id, round_ = str(frame["agency_id"].iloc[0]), str(frame["round"].iloc[0])
    before = agency_result(score(frame, bundle), agency_id, round_)
    after = agency_result(score(after_frame, bundle), agency_id, round_) if effective else before
    return WhatIf(before=before, after=after, changes=effective, frame_after=after_frame,
                  diff=diff_results(before, after))


def _direction(before: object, after: object, measure: str) -> tuple[float | None, str]:
    """(numeric difference or None, 'up'|'down'|'same'|'changed')."""
    if before == after or (_missing(before) and _missing(after)):
        return (0.0 if isinstance(before, int | float) and not _missing(before) else None), "same"
    if measure == "met":
        return None, "up" if after else "down"
    if measure == "light":
        rank_b, rank_a = LIGHT_RANK.get(str(before)), LIGHT_RANK.get(str(after))
        if rank_b is None or rank_a is None:
            return None, "changed"
        return None, "up" if rank_a > rank_b else "down"
    if _missing(before) or _missing(after):
        return None, "changed"
    delta = round(float(after) - float(before), 4)  # type: ignore[arg-type]
    if delta == 0:
        return 0.0, "same"
    better = delta < 0 if measure == "level_gap" else delta > 0
    return delta, "up" if better else "down"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def diff_results(before: AgencyResult, after: AgencyResult) -> pd.DataFrame:
    """Tidy differences: overall score and levels, each dimension's score and levels, each year's target.

    `change` says whether the result got better ('up'), worse ('down'), stayed the same or only
    changed (e.g. became unrated); for a target gap fewer missing levels count as 'up'.
    """
    rows: list[dict[str, object]] = []

    def add(section: str, item: str, measure: str, b: object, a: object) -> None:
        delta, change = _direction(b, a, measure)
        rows.append({"section": section, "item": item, "measure": measure, "before": b, "after": a,
                     "delta": delta, "change": change})

    add("overall", "overall", "score", before.overall_score, after.overall_score)
    add("overall", "overall", "level", before.overall_level, after.overall_level)
    add("overall", "overall", "gated_level", before.overall_gated_level, after.overall_gated_level)
    add("overall", "overall", "continuous_level", before.overall_continuous_level, after.overall_continuous_level)
    for dimension_id, b in before.dimensions.items():
        a = after.dimensions[dimension_id]
        add("dimension", dimension_id, "score", b.score, a.score)
        add("dimension", dimension_id, "level", b.level, a.level)
        add("dimension", dimension_id, "gated_level", b.gated_level, a.gated_level)
        add("dimension", dimension_id, "continuous_level", b.continuous_level, a.continuous_level)
    for year, b_target in before.targets.items():
        a_target = after.targets[year]
        add("target", year, "met", b_target.met, a_target.met)
        add("target", year, "light", b_target.light, a_target.light)
        add("target", year, "level_gap", b_target.level_gap, a_target.level_gap)
        b_ind = sum(i.met for i in b_target.indicators)
        a_ind = sum(i.met for i in a_target.indicators)
        add("target", year, "indicators_met", b_ind, a_ind)
    frame = pd.DataFrame(rows, columns=DIFF_COLUMNS)
    frame["delta"] = frame["delta"].astype(float)
    return frame


# --- the choices offered per question ------------------------------------------------------

UNANSWERED = "__unanswered__"


def numeric_bands(bundle: Bundle, question_id: str) -> list[NumericBand]:
    rubric = bundle.rubric
    return list(rubric.numeric_bands_by_question.get(question_id, rubric.numeric_bands))


def numeric_level(bundle: Bundle, question_id: str, value: float) -> int:
    """The level a percentage reaches for this question (the highest band whose min it meets)."""
    reached = [b.level for b in numeric_bands(bundle, question_id) if value + 1e-9 >= b.min]
    return max(reached, default=1)


def answer_choices(
    bundle: Bundle, question: Question, original: str | None, agency_type: str | None = None
) -> list[str]:
    """Canonical answers offered in the what-if for one question.

    Level questions: 1-5. Percentage questions: the sample's own value, each band's lower bound
    and 100 (every level is reachable). Then na and dont_know, and UNANSWERED when the sample
    left the question open.
    """
    if question.kind == "level":
        values = [str(level) for level in LEVELS]
    else:
        numbers = {float(b.min) for b in numeric_bands(bundle, question.id)} | {question.high}
        if original not in (None, *SPECIAL):
            numbers.add(float(parse_value(str(original))))
        numbers = {n for n in numbers if question.low <= n <= question.high}
        values = [canonical_value(n) for n in sorted(numbers)]
    values += list(SPECIAL)
    if question.providable and agency_type == "commune":
        values.append(PROVIDED)
    if original is None:
        values.append(UNANSWERED)
    elif original not in values:
        values.append(original)
    return values


def score_level_table(diff: pd.DataFrame, measures: tuple[str, ...] = ("score", "level")) -> pd.DataFrame:
    """The overall and per-dimension rows of a diff, wide: one row per item ('overall' first) with
    <measure>_before, <measure>_after, <measure>_delta and <measure>_change for each measure."""
    rows = diff[diff["section"].isin(["overall", "dimension"]) & diff["measure"].isin(measures)]
    order = list(dict.fromkeys(rows["item"]))
    wide = rows.pivot(index="item", columns="measure", values=["before", "after", "delta", "change"])
    wide.columns = [f"{measure}_{field}" for field, measure in wide.columns]
    columns = [f"{m}_{f}" for m in measures for f in ("before", "after", "delta", "change")]
    return wide.loc[order, columns].reset_index()


def target_table(diff: pd.DataFrame) -> pd.DataFrame:
    """The target rows of a diff, wide: one row per year with before/after/change of met, light,
    level_gap and indicators_met."""
    rows = diff[diff["section"] == "target"]
    wide = rows.pivot(index="item", columns="measure", values=["before", "after", "change"])
    wide.columns = [f"{measure}_{field}" for field, measure in wide.columns]
    return wide.reset_index().rename(columns={"item": "year"})
