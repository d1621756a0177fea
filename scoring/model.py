"""The schemas of every content file: questionnaire, rubric, targets and agency response.

These pydantic models are the single definition of each file format; the README documents them
and the loaders validate against them. Cross-file checks (a rubric naming a question that exists,
and so on) live in `scoring.content`, because a model sees only its own file.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from scoring.identifiers import MAX_NAME_CHARS, agency_id_problem, text_problem

LEVELS = (1, 2, 3, 4, 5)
SLUG = r"^[a-z][a-z0-9_]*$"
QUESTION_ID = r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")

Slug = Annotated[str, StringConstraints(pattern=SLUG)]
QuestionId = Annotated[str, StringConstraints(pattern=QUESTION_ID)]
Level = Annotated[int, Field(ge=1, le=5)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
AgencyType = Literal["ministry", "province", "commune"]
AGENCY_TYPES: tuple[str, ...] = ("ministry", "province", "commune")


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
    # The level a commune's `provided` answer counts as (needed when the questionnaire has providable questions).
    provided_level: Level | None = None
    # False: numeric (indicator) questions are reported beside the level against their own year targets and
    # take no part in dimension scores, gates or coverage (model 2.x); True: they count through numeric_bands.
    indicators_in_levels: bool = True

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

SPECIAL_ANSWERS = ("na", "dont_know")
# Any text is accepted here so that scoring.responses can say precisely what is wrong with it.
Answer = int | float | str


class Agency(Strict):
    id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    name: NonEmpty
    type: AgencyType
    province: str | None = None

    @field_validator("id", "province")
    @classmethod
    def _ids_follow_the_id_rule(cls, value: str | None) -> str | None:
        # The same rule as the app's new-agency form (scoring.identifiers), whoever builds an Agency.
        if value is not None and not value.strip():
            return None  # an empty province is no province (a commune is refused below)
        problem = None if value is None else agency_id_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("name")
    @classmethod
    def _name_is_one_line(cls, value: str) -> str:
        problem = text_problem("name", value, MAX_NAME_CHARS)
        if problem:
            raise ValueError(problem)
        return value

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


# --- mapping between questionnaire versions ---------------------------------------------------

MergeRule = Literal["same", "max", "min", "mean_round_down", "first_answered"]


class MappedQuestion(Strict):
    """One question of the newer version fed from one or more questions of the older one.

    A source's answer first goes through `level_map` (level questions only), then the sources' real
    answers (levels or numbers) are merged by `rule`; see docs/MODEL-2.md for na / dont_know.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    to: QuestionId
    from_: list[QuestionId] = Field(alias="from", min_length=1)
    rule: MergeRule = "same"
    level_map: dict[Level, Level] = {}
    note: Text | None = None

    @model_validator(mode="after")
    def _rule_fits_sources(self) -> MappedQuestion:
        if len(set(self.from_)) != len(self.from_):
            raise ValueError("from: a question is listed twice")
        if self.rule == "same" and len(self.from_) != 1:
            raise ValueError(
                f"rule: 'same' carries one question, but {len(self.from_)} are listed in from "
                "(use max, min, mean_round_down or first_answered)"
            )
        return self


class RetiredQuestion(Strict):
    id: QuestionId
    reason: Text


class Mapping(Strict):
    questionnaire: str
    from_version: str
    to_version: str
    questions: list[MappedQuestion] = []
    new: list[QuestionId] = []
    retired: list[RetiredQuestion] = []

    _check_from = field_validator("from_version")(_check_semver)
    _check_to = field_validator("to_version")(_check_semver)

    @model_validator(mode="after")
    def _each_target_once(self) -> Mapping:
        targets = [m.to for m in self.questions] + list(self.new)
        twice = sorted({t for t in targets if targets.count(t) > 1})
        if twice:
            raise ValueError(
                f"question {twice[0]!r} is fed twice (each new-version question appears once in questions[].to or new)"
            )
        retired = [r.id for r in self.retired]
        sources = {s for m in self.questions for s in m.from_}
        both = sorted(sources & set(retired))
        if both:
            raise ValueError(f"question {both[0]!r} is both mapped (in a from) and retired")
        return self


# --- terms ---------------------------------------------------------------------------------


class TermForms(Strict):
    vi: list[NonEmpty] = []
    en: list[NonEmpty] = []


class Term(Strict):
    """One concept, one term: the preferred form and the forms it replaces (which must not appear in content)."""

    id: Slug
    preferred: Text
    replaces: TermForms = TermForms()
    note: Text | None = None


class TermList(Strict):
    terms: list[Term] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> TermList:
        ids = [t.id for t in self.terms]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"term id {twice[0]!r} is used twice")
        return self
