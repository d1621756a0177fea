"""The rubric file's schema (`scoring/rubrics/*.yaml`): numeric bands, gate rules, N/A and coverage rules,
weights and thresholds. Every scoring rule is a setting here; `scoring.engine` only applies them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from scoring.schemas.base import LEVELS, Level, QuestionId, Slug, Strict, Text, check_semver


class NumericBand(Strict):
    """A value at or above `min` reaches `level` (the highest matching band wins)."""

    min: float
    level: Level


class GateRule(Strict):
    """What a dimension's scored answers must show for the dimension to reach one level.

    min_share: weighted share of scored questions whose level is at or above the target level.
    max_shortfall: no scored question may sit more than this many levels below the target level.
    """

    min_share: Annotated[float, Field(gt=0, le=1)] = 1.0
    max_shortfall: Annotated[int, Field(ge=0, le=4)] = 0


class NotApplicableRule(Strict):
    requires_reason: bool = True


class CoverageRule(Strict):
    """A dimension is rated only when enough of its questions are answered (not 'don't know')."""

    min_answered_share: Annotated[float, Field(ge=0, le=1)] = 0.5


class RubricQuestionnaireRef(Strict):
    id: str
    major: int


class Rubric(Strict):
    id: Slug
    version: str
    questionnaire: RubricQuestionnaireRef
    name: Text
    description: Text
    official_reading: Literal["gated", "continuous"]
    option_points: dict[Level, float]
    numeric_bands: list[NumericBand]
    numeric_bands_by_question: dict[QuestionId, list[NumericBand]] = {}
    question_weights: dict[QuestionId, Annotated[float, Field(gt=0)]] = {}
    dimension_weights: dict[Slug, Annotated[float, Field(gt=0)]] = {}
    gate_rules: dict[Level, GateRule]
    overall_gated: Literal["weakest", "median", "floor_mean"] = "weakest"
    continuous_level_thresholds: dict[Level, float]
    not_applicable: NotApplicableRule = NotApplicableRule()
    coverage: CoverageRule = CoverageRule()
    # The level a commune's `provided` answer counts as (needed when the questionnaire has providable questions).
    provided_level: Level | None = None
    # False: numeric (indicator) questions are reported beside the level against their own year targets and
    # take no part in dimension scores, gates or coverage (model 2.x); True: they count through numeric_bands.
    indicators_in_levels: bool = True

    _check_version = field_validator("version")(check_semver)

    @field_validator("option_points")
    @classmethod
    def _points_for_every_level(cls, value: dict[int, float]) -> dict[int, float]:
        if sorted(value) != list(LEVELS):
            raise ValueError("give points for each option level 1-5")
        ordered = [value[level] for level in LEVELS]
        if ordered != sorted(ordered):
            raise ValueError("points must not decrease as the level rises")
        return value

    @field_validator("gate_rules")
    @classmethod
    def _gates_for_levels_two_to_five(cls, value: dict[int, GateRule]) -> dict[int, GateRule]:
        if sorted(value) != [2, 3, 4, 5]:
            raise ValueError("give a gate rule for each of the levels 2, 3, 4 and 5 (level 1 is the floor)")
        return value

    @field_validator("continuous_level_thresholds")
    @classmethod
    def _thresholds_rise(cls, value: dict[int, float]) -> dict[int, float]:
        if sorted(value) != [2, 3, 4, 5]:
            raise ValueError("give a score threshold for each of the levels 2, 3, 4 and 5")
        ordered = [value[level] for level in (2, 3, 4, 5)]
        if ordered != sorted(ordered):
            raise ValueError("thresholds must rise with the level")
        return value

    @field_validator("numeric_bands")
    @classmethod
    def _bands_start_at_level_one(cls, value: list[NumericBand]) -> list[NumericBand]:
        if not value or min(b.level for b in value) != 1:
            raise ValueError("numeric bands must include a band for level 1")
        return value
