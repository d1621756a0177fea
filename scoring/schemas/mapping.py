"""The schema of a mapping between questionnaire versions
(`questionnaires/<id>/mapping-<from>-to-<to>.yaml`): how each old question's answer is carried or why it retired.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from scoring.schemas.base import Level, QuestionId, Strict, Text, check_semver

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

    _check_from = field_validator("from_version")(check_semver)
    _check_to = field_validator("to_version")(check_semver)

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
