"""The targets file's schema (`scoring/targets/*.yaml`, Decision 2629): levels per year, population
shares, indicators and the traffic-light rule.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from scoring.schemas.base import AgencyType, Level, QuestionId, Slug, Strict, Text, check_semver
from scoring.schemas.rubric import RubricQuestionnaireRef


class PopulationTarget(Strict):
    """`share` of all agencies must be at `min_level` or above."""

    min_level: Level
    share: Annotated[float, Field(gt=0, le=1)]


class YearTarget(Strict):
    agency_min_level: Level
    dimension_min_level: Level
    dimension_min_levels: dict[Slug, Level] = {}
    # Per agency type, where the Decision allows: overrides agency_min_level for that type.
    agency_type_min_levels: dict[AgencyType, Level] = {}
    population: list[PopulationTarget]

    def agency_min_level_for(self, agency_type: str) -> int:
        return self.agency_type_min_levels.get(agency_type, self.agency_min_level)  # type: ignore[call-overload]


class Indicator(Strict):
    id: Slug
    question: QuestionId
    name: Text
    targets: dict[str, Annotated[float, Field(ge=0, le=100)]]

    @field_validator("targets", mode="before")
    @classmethod
    def _years_as_text(cls, value: object) -> object:
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        return value


class TrafficLightRule(Strict):
    """GREEN meets the target; YELLOW misses it by at most `yellow_max_gap` levels; RED otherwise."""

    yellow_max_gap: Annotated[int, Field(ge=0, le=4)] = 1


class Targets(Strict):
    id: Slug | Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$")]
    version: str
    questionnaire: RubricQuestionnaireRef
    name: Text
    source: Text
    years: Annotated[dict[str, YearTarget], Field(min_length=1)]
    indicators: list[Indicator] = []
    traffic_light: TrafficLightRule = TrafficLightRule()
    official_rubric: Slug = "standard"
    """The rubric whose reading is the agency's official level in this programme; the others are
    what-if readings for trainers and coordinators."""

    _check_version = field_validator("version")(check_semver)

    @field_validator("years", mode="before")
    @classmethod
    def _years_as_text(cls, value: object) -> object:
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        return value

    def dimension_min_level(self, year: str, dimension_id: str) -> int:
        target = self.years[year]
        return target.dimension_min_levels.get(dimension_id, target.dimension_min_level)
