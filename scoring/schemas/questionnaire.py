"""The questionnaire file's schema (`questionnaires/<id>/<version>.yaml`): levels, dimensions, questions
with their five statements and evidence, numeric indicators, glossary and respondent guidance.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from scoring.schemas.base import (
    AGENCY_TYPES,
    LEVELS,
    AgencyType,
    Level,
    QuestionId,
    Slug,
    Strict,
    Text,
    check_semver,
    major_of,
)


class LevelDefinition(Strict):
    level: Level
    name: Text
    definition: Text


class Option(Strict):
    """One level's statement of a level question: observable and checkable."""

    level: Level
    statement: Text
    evidence: Text
    # Model 2.x (optional so 1.x validates unchanged; a content test requires them in 2.x):
    good_enough: Text | None = None  # how this level relates to the 2027 (L3) and 2030 (L4/5) targets
    next_steps: Text | None = None  # concrete actions to reach the next level (at level 5: to sustain it)


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
    # Model 2.x: which agency types answer it (None = all three), how each type reads it, and whether a
    # commune may answer `provided` (the province's shared platform or service provides this for it).
    applies_to: list[AgencyType] | None = None
    type_guidance: dict[AgencyType, Text] = {}
    providable: bool = False

    @property
    def dimension_id(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def agency_types(self) -> tuple[str, ...]:
        """The agency types that answer this question (all three unless `applies_to` narrows it)."""
        return AGENCY_TYPES if self.applies_to is None else tuple(t for t in AGENCY_TYPES if t in self.applies_to)

    def applies(self, agency_type: str) -> bool:
        return agency_type in self.agency_types

    @model_validator(mode="after")
    def _agency_types_fit(self) -> Question:
        if self.applies_to is not None:
            if not self.applies_to:
                raise ValueError("applies_to: name at least one agency type (ministry, province, commune)")
            if len(set(self.applies_to)) != len(self.applies_to):
                raise ValueError("applies_to: an agency type is listed twice")
        if self.providable:
            if self.kind != "level":
                raise ValueError("providable: only a level question can be answered `provided`")
            if "commune" not in self.agency_types:
                raise ValueError(
                    "providable: only communes answer `provided`, but this question does not apply to them"
                )
        return self

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


class GlossaryEntry(Strict):
    id: Slug
    term: Text
    definition: Text


class GuidanceItem(Strict):
    """Respondent guidance: scope, who answers, reference period, the cumulative rule, sufficient evidence."""

    id: Slug
    title: Text
    text: Text


class Questionnaire(Strict):
    id: Slug | Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$")]
    version: str
    title: Text
    description: Text
    levels: list[LevelDefinition]
    dimensions: list[Dimension] = Field(min_length=1)
    glossary: list[GlossaryEntry] = []
    respondent_guidance: list[GuidanceItem] = []

    _check_version = field_validator("version")(check_semver)

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
        for field_name, items in (("glossary", self.glossary), ("respondent_guidance", self.respondent_guidance)):
            ids = [item.id for item in items]
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if twice:
                raise ValueError(f"{field_name}: id {twice[0]!r} is used twice")
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
