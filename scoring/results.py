"""One agency's result as a plain object: what the IT lead reads and the JSON the CLI prints.

Built from the vectorised `ScoreResult`, never recomputed, so every view shows the same numbers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pydantic import BaseModel

from scoring.engine import ScoreResult
from scoring.schemas.base import AGENCY_TYPES, Text


def _num(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]  # numbers and numpy scalars from the frames
    return None if math.isnan(number) else round(number, 4)


def _level(value: object) -> int | None:
    number = _num(value)
    return None if number is None else int(number)


class QuestionScore(BaseModel):
    question_id: str
    dimension_id: str
    answer: str | None  # canonical form; None when unanswered
    status: str  # scored | na | dont_know | unanswered
    level: int | None
    points: float | None
    na_reason: str | None = None
    evidence: str | None = None


class DimensionResult(BaseModel):
    score: float | None
    level: int | None
    gated_level: int | None
    continuous_level: int | None
    rated: bool
    answered: int
    na: int
    dont_know: int
    unanswered: int


class IndicatorStatus(BaseModel):
    indicator_id: str
    question_id: str
    name: Text
    value: float | None
    target: float
    met: bool
    applicable: bool = True  # False: answered N/A, so neither met nor missed

    @property
    def state(self) -> str:
        """met | not_met | not_applicable: the one word every output shows for this indicator."""
        if not self.applicable:
            return "not_applicable"
        return "met" if self.met else "not_met"


class TargetStatus(BaseModel):
    year: str
    required_level: int
    met: bool
    light: str
    level_gap: int | None
    gaps: dict[str, int]  # dimension id -> levels missing (only dimensions below target)
    unrated: list[str]
    indicators: list[IndicatorStatus]

    @property
    def indicators_counted(self) -> list[IndicatorStatus]:
        """The indicators that apply to the agency (N/A ones leave the count)."""
        return [i for i in self.indicators if i.applicable]

    @property
    def indicators_met(self) -> int:
        return sum(i.met for i in self.indicators_counted)


class Criterion(BaseModel):
    question_id: str
    current_level: int | None
    current_status: str
    statement: Text  # what the question's option at the step's level says
    evidence: Text


class RoadmapStep(BaseModel):
    dimension_id: str
    level: int
    for_years: list[str]
    criteria: list[Criterion]


class AgencyResult(BaseModel):
    agency_id: str
    agency_name: str | None
    agency_type: str | None
    province: str | None
    round: str
    questionnaire: str
    questionnaire_version: str
    rubric: str
    rubric_version: str
    official_reading: str
    overall_score: float | None
    overall_level: int | None
    overall_gated_level: int | None
    overall_continuous_level: int | None
    rated: bool
    dimensions: dict[str, DimensionResult]
    questions: dict[str, QuestionScore]
    targets: dict[str, TargetStatus]
    next_steps: list[RoadmapStep]


def agency_result(result: ScoreResult, agency_id: str, round_: str) -> AgencyResult:
    position = result.position[(agency_id, str(round_))]
    return _build(result, position)


def all_agency_results(result: ScoreResult) -> list[AgencyResult]:
    return [_build(result, position) for position in range(len(result.agencies))]


def _build(result: ScoreResult, position: int) -> AgencyResult:
    bundle = result.bundle
    row = result.agencies.iloc[position]
    n_dims = len(bundle.dimension_ids)
    dims = result.dimensions.iloc[position * n_dims : (position + 1) * n_dims]
    dimensions = {
        d.dimension_id: DimensionResult(
            score=_num(d.score),
            level=_level(d.level),
            gated_level=_level(d.gated_level),
            continuous_level=_level(d.continuous_level),
            rated=bool(d.rated),
            answered=int(d.answered),
            na=int(d.na),
            dont_know=int(d.dont_know),
            unanswered=int(d.unanswered),
        )
        for d in dims.itertuples(index=False)
    }
    answers = result.answers_of(position)
    questions = _question_scores(result, answers, _text(row.get("agency_type")))
    targets = {}
    for year in bundle.years:
        indicators = result.indicators[
            (result.indicators["position"] == position) & result.indicators[f"target_{year}"].notna()
        ]
        names = {i.id: i.name for i in bundle.targets.indicators}
        targets[year] = TargetStatus(
            year=year,
            required_level=bundle.targets.years[year].agency_min_level_for(str(row.get("agency_type"))),
            met=bool(row[f"met_{year}"]),
            light=str(row[f"light_{year}"]),
            level_gap=_level(row[f"gap_{year}"]),
            gaps={
                d.dimension_id: int(getattr(d, f"gap_{year}"))
                for d in dims.itertuples(index=False)
                if getattr(d, f"gap_{year}") > 0
            },
            unrated=[d.dimension_id for d in dims.itertuples(index=False) if not d.rated],
            indicators=[
                IndicatorStatus(
                    indicator_id=i.indicator_id,
                    question_id=i.question_id,
                    name=names[i.indicator_id],
                    value=_num(i.value),
                    target=float(getattr(i, f"target_{year}")),
                    met=bool(getattr(i, f"met_{year}")),
                    applicable=bool(i.applicable),
                )
                for i in indicators.itertuples(index=False)
            ],
        )
    return AgencyResult(
        agency_id=str(row["agency_id"]),
        agency_name=_text(row.get("agency_name")),
        agency_type=_text(row.get("agency_type")),
        province=_text(row.get("province")),
        round=str(row["round"]),
        questionnaire=bundle.questionnaire.id,
        questionnaire_version=bundle.questionnaire.version,
        rubric=bundle.rubric.id,
        rubric_version=bundle.rubric.version,
        official_reading=bundle.rubric.official_reading,
        overall_score=_num(row["overall_score"]),
        overall_level=_level(row["overall_level"]),
        overall_gated_level=_level(row["overall_gated_level"]),
        overall_continuous_level=_level(row["overall_continuous_level"]),
        rated=bool(row["rated"]),
        dimensions=dimensions,
        questions=questions,
        targets=targets,
        next_steps=_roadmap(result, dimensions, questions),
    )


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _question_scores(
    result: ScoreResult, answers: pd.DataFrame, agency_type: str | None = None
) -> dict[str, QuestionScore]:
    by_id = {a.question_id: a for a in answers.itertuples(index=False)}
    scores = {}
    beside = not result.bundle.rubric.indicators_in_levels
    for question in result.bundle.questionnaire.questions:
        given = by_id.get(question.id)
        if given is None:
            if agency_type in AGENCY_TYPES and not question.applies(agency_type):
                status = "not_asked"
            elif beside and question.kind == "numeric":
                status = "indicator"
            else:
                status = "unanswered"
            scores[question.id] = QuestionScore(
                question_id=question.id,
                dimension_id=question.dimension_id,
                answer=None,
                status=status,
                level=None,
                points=None,
            )
            continue
        scores[question.id] = QuestionScore(
            question_id=question.id,
            dimension_id=question.dimension_id,
            answer=str(given.answer),
            status=str(given.status),
            level=_level(given.level),
            points=_num(given.points),
            na_reason=_text(getattr(given, "na_reason", None)),
            evidence=_text(getattr(given, "evidence", None)),
        )
    return scores


def _numeric_statement(result: ScoreResult, question_id: str, level: int) -> tuple[Text, Text]:
    rubric = result.bundle.rubric
    bands = rubric.numeric_bands_by_question.get(question_id, rubric.numeric_bands)
    minimum = min((b.min for b in bands if b.level >= level), default=None)
    if minimum is None:
        return Text(vi="Không có ngưỡng cho cấp này", en="No threshold for this level"), Text(vi="—", en="—")
    statement = Text(vi=f"Đạt ít nhất {minimum:g}%", en=f"Reach at least {minimum:g}%")
    evidence = Text(vi="Số liệu thống kê và nguồn tính tỉ lệ", en="The statistics and the source of the percentage")
    return statement, evidence


def _roadmap(
    result: ScoreResult, dimensions: dict[str, DimensionResult], questions: dict[str, QuestionScore]
) -> list[RoadmapStep]:
    """For each dimension below a year's target: each missing level with its unmet criteria."""
    bundle = result.bundle
    steps = []
    for dimension in bundle.questionnaire.dimensions:
        current = dimensions[dimension.id].level or 1
        required = {y: bundle.targets.dimension_min_level(y, dimension.id) for y in bundle.years}
        top = max(required.values(), default=current)
        for level in range(current + 1, top + 1):
            criteria = []
            for question in dimension.questions:
                scored = questions[question.id]
                if scored.status in ("na", "not_asked", "indicator") or (
                    scored.level is not None and scored.level >= level
                ):
                    continue
                if question.kind == "level":
                    option = question.option(level)
                    statement, evidence = option.statement, option.evidence
                else:
                    statement, evidence = _numeric_statement(result, question.id, level)
                criteria.append(
                    Criterion(
                        question_id=question.id,
                        current_level=scored.level,
                        current_status=scored.status,
                        statement=statement,
                        evidence=evidence,
                    )
                )
            steps.append(
                RoadmapStep(
                    dimension_id=dimension.id,
                    level=level,
                    for_years=[y for y, needed in required.items() if needed >= level],
                    criteria=criteria,
                )
            )
    return steps


def summary_row(result: AgencyResult) -> dict[str, object]:
    """The CLI's compact JSON object (the spec's minimum plus levels per reading)."""
    return {
        "agency_id": result.agency_id,
        "agency_name": result.agency_name,
        "agency_type": result.agency_type,
        "round": result.round,
        "overall_score": result.overall_score,
        "overall_level": result.overall_level,
        "dimensions": {k: {"score": v.score, "level": v.level} for k, v in result.dimensions.items()},
        "targets": {
            y: {"met": t.met, "light": t.light, "gaps": t.gaps, "indicators_met": t.indicators_met,
                "indicators_total": len(t.indicators_counted),
                "indicators_not_applicable": [i.indicator_id for i in t.indicators if not i.applicable]}
            for y, t in result.targets.items()
        },
    }


def summary_records(result: ScoreResult) -> list[dict[str, object]]:
    """`summary_row` for every assessment at once, from the result's frames as arrays (no
    per-agency frame indexing): what `scoring score --format json` prints, national or single."""
    bundle = result.bundle
    agencies = result.agencies
    dims = bundle.dimension_ids
    n, k = len(agencies), len(dims)
    # Python lists, not arrays: the loop below reads each value once, and a list item is read in a
    # fraction of the time of a numpy scalar (a third of this function at national size).
    scores = result.dimensions["score"].to_numpy(dtype=float).reshape(n, k).round(4).tolist()
    levels = result.dimensions["level"].to_numpy(dtype=float).reshape(n, k).tolist()
    overall_score = agencies["overall_score"].to_numpy(dtype=float).round(4).tolist()
    overall_level = agencies["overall_level"].to_numpy(dtype=float).tolist()

    def texts(column: str) -> list[str | None]:
        if column not in agencies:
            return [None] * n
        values = agencies[column].astype(object)
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in values]

    ids, names, kinds, rounds = texts("agency_id"), texts("agency_name"), texts("agency_type"), texts("round")
    indicator_ids = np.array([i.id for i in bundle.targets.indicators], dtype=object)
    m = len(indicator_ids)
    applicable = result.indicators["applicable"].to_numpy(dtype=bool).reshape(n, m)
    per_year = {}
    for year in bundle.years:
        gaps = result.dimensions[f"gap_{year}"].to_numpy(dtype=float).reshape(n, k).tolist()
        with_target = result.indicators[f"target_{year}"].notna().to_numpy().reshape(n, m)
        left_out = with_target & ~applicable
        per_year[year] = (agencies[f"met_{year}"].to_numpy(dtype=bool).tolist(),
                          agencies[f"light_{year}"].astype(str).tolist(),
                          gaps, agencies[f"indicators_met_{year}"].to_numpy(dtype=int).tolist(),
                          agencies[f"indicators_total_{year}"].to_numpy(dtype=int).tolist(),
                          [indicator_ids[row].tolist() for row in left_out])
    records: list[dict[str, object]] = []
    for i in range(n):
        records.append({
            "agency_id": ids[i],
            "agency_name": names[i],
            "agency_type": kinds[i],
            "round": rounds[i],
            "overall_score": _plain_number(overall_score[i]),
            "overall_level": _plain_level(overall_level[i]),
            "dimensions": {d: {"score": _plain_number(score), "level": _plain_level(level)}
                           for d, score, level in zip(dims, scores[i], levels[i], strict=True)},
            "targets": {year: {"met": met[i], "light": lights[i],
                               "gaps": {d: int(gap) for d, gap in zip(dims, gaps[i], strict=True) if gap > 0},
                               "indicators_met": indicators_met[i], "indicators_total": indicators_total[i],
                               "indicators_not_applicable": not_applicable[i]}
                        for year, (met, lights, gaps, indicators_met, indicators_total, not_applicable)
                        in per_year.items()},
        })
    return records


def _plain_number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _plain_level(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


__all__ = ["AgencyResult", "agency_result", "all_agency_results", "summary_records"]
