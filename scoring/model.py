"""The schemas of every content file: questionnaire, rubric, targets and agency response.

These pydantic models are the single definition of each file format; the README documents them
and the loaders validate against them. Cross-file checks (a rubric naming a question that exists,
and so on) live in `scoring.content`, because a model sees only its own file.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

LEVELS = (1, 2, 3, 4, 5)
SLUG = r"^[a-z][a-z0-9_]*$"
QUESTION_ID = r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")

Slug = Annotated[str, StringConstraints(pattern=SLUG)]
QuestionId = Annotated[str, StringConstraints(pattern=QUESTION_ID)]
Level = Annotated[int, Field(ge=1, le=5)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_semver(value: str) -> str:
    if not SEMVER.match(value):
        raise ValueError(f"version {value!r} is not of the form MAJOR.MINOR.PATCH (for example 1.0.0)")
    return value


def major_of(version: str) -> int:
    return int(version.split(".", 1)[0])


class Text(Strict):
    """A text in both UI languages; Vietnamese is the default."""

    vi: NonEmpty
    en: NonEmpty

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


# --- questionnaire -------------------------------------------------------------------------


class LevelDefinition(Strict):
    level: Level
    name: Text
    definition: Text


class Option(Strict):
    """One level's statement of a level question: observable and checkable."""

    level: Level
    statement: Text
    evidence: Text


class Question(Strict):
    id: QuestionId
    kind: Literal["level", "numeric"] = "level"
    text: Text
    guidance: Text | None = None
    options: list[Option] = []
    # numeric questions only
    unit: Literal["percent"] | None = None
    min: float | None = None
    max: float | None = None
    indicator: Slug | None = None

    @property
    def dimension_id(self) -> str:
        return self.id.split(".", 1)[0]

    @model_validator(mode="after")
    def _shape_fits_kind(self) -> Question:
        if self.kind == "level":
            levels = sorted(o.level for o in self.options)
            if levels != list(LEVELS):
                raise ValueError(
                    f"options: a level question needs exactly one option for each level 1-5, got levels {levels}"
                )
            if self.unit is not None or self.min is not None or self.max is not None:
                raise ValueError("unit/min/max are only for numeric questions (kind: numeric)")
        else:
            if self.options:
                raise ValueError("options: a numeric question has no options (it is answered with a number)")
            if self.unit is None:
                raise ValueError("unit: a numeric question needs a unit (percent)")
            low = 0.0 if self.min is None else self.min
            high = 100.0 if self.max is None else self.max
            if low >= high:
                raise ValueError(f"min ({low}) must be below max ({high})")
        return self

    @property
    def low(self) -> float:
        return 0.0 if self.min is None else self.min

    @property
    def high(self) -> float:
        return 100.0 if self.max is None else self.max

    def option(self, level: int) -> Option:
        return next(o for o in self.options if o.level == level)


class Dimension(Strict):
    id: Slug
    name: Text
    description: Text
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _question_ids_belong_here(self) -> Dimension:
        for index, question in enumerate(self.questions):
            if question.dimension_id != self.id:
                raise ValueError(
                    f"questions.{index}.id: {question.id!r} must start with this dimension's id "
                    f"'{self.id}.' (ids are <dimension>.<question>)"
                )
        return self


class Questionnaire(Strict):
    id: Slug | Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$")]
    version: str
    title: Text
    description: Text
    levels: list[LevelDefinition]
    dimensions: list[Dimension] = Field(min_length=1)

    _check_version = field_validator("version")(_check_semver)

    @model_validator(mode="after")
    def _unique_ids_and_five_levels(self) -> Questionnaire:
        if sorted(level.level for level in self.levels) != list(LEVELS):
            raise ValueError("levels: define each level 1-5 exactly once")
        seen: set[str] = set()
        for dimension in self.dimensions:
            if dimension.id in seen:
                raise ValueError(f"dimension id {dimension.id!r} is used twice")
            seen.add(dimension.id)
            for question in dimension.questions:
                if question.id in seen:
                    raise ValueError(f"question id {question.id!r} is used twice")
                seen.add(question.id)
        return self

    @property
    def questions(self) -> list[Question]:
        return [q for d in self.dimensions for q in d.questions]

    def question(self, question_id: str) -> Question:
        return self._question_index[question_id]

    def dimension(self, dimension_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def level_definition(self, level: int) -> LevelDefinition:
        return next(x for x in self.levels if x.level == level)

    @property
    def _question_index(self) -> dict[str, Question]:
        index = self.__dict__.get("_qindex")
        if index is None:
            index = {q.id: q for q in self.questions}
            self.__dict__["_qindex"] = index
        return index

    @property
    def major(self) -> int:
        return major_of(self.version)


# --- rubric --------------------------------------------------------------------------------


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

    _check_version = field_validator("version")(_check_semver)

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


# --- targets -------------------------------------------------------------------------------


class PopulationTarget(Strict):
    """`share` of all agencies must be at `min_level` or above."""

    min_level: Level
    share: Annotated[float, Field(gt=0, le=1)]


class YearTarget(Strict):
    agency_min_level: Level
    dimension_min_level: Level
    dimension_min_levels: dict[Slug, Level] = {}
    population: list[PopulationTarget]


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
    years: dict[str, YearTarget]
    indicators: list[Indicator] = []
    traffic_light: TrafficLightRule = TrafficLightRule()

    _check_version = field_validator("version")(_check_semver)

    @field_validator("years", mode="before")
    @classmethod
    def _years_as_text(cls, value: object) -> object:
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        return value

    def dimension_min_level(self, year: str, dimension_id: str) -> int:
        target = self.years[year]
        return target.dimension_min_levels.get(dimension_id, target.dimension_min_level)


# --- responses -----------------------------------------------------------------------------

AgencyType = Literal["ministry", "province", "commune"]
AGENCY_TYPES: tuple[str, ...] = ("ministry", "province", "commune")
SPECIAL_ANSWERS = ("na", "dont_know")
# Any text is accepted here so that scoring.responses can say precisely what is wrong with it.
Answer = int | float | str


class Agency(Strict):
    id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    name: NonEmpty
    type: AgencyType
    province: str | None = None

    @model_validator(mode="after")
    def _communes_name_their_province(self) -> Agency:
        if self.type == "commune" and not self.province:
            raise ValueError("province: a commune must name its province id")
        return self


class AnswerNote(Strict):
    na_reason: str | None = None
    evidence: str | None = None


class Response(Strict):
    questionnaire: str
    version: str
    agency: Agency
    round: str
    answers: dict[str, Answer] = {}
    notes: dict[str, AnswerNote] = {}

    @field_validator("round", mode="before")
    @classmethod
    def _round_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("answers", mode="before")
    @classmethod
    def _no_booleans(cls, value: object) -> object:
        # YAML 1.1 reads yes/no/on/off as booleans: refuse them rather than score True as 1.
        if isinstance(value, dict):
            for key, answer in value.items():
                if isinstance(answer, bool):
                    raise ValueError(f"{key}: {answer!r} is not an answer (expected 1-5, na, dont_know or a number)")
                if answer is None:
                    raise ValueError(
                        f"{key}: empty answer (expected 1-5, na, dont_know or a number; omit unanswered questions)"
                    )
        return value

    _check_version = field_validator("version")(_check_semver)
