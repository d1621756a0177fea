"""An agency's response file's schema: the agency, the round, the answers (level, percentage, `na`,
`dont_know`, `provided`) and the notes (N/A reason, evidence).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints, field_validator, model_validator

from scoring.identifiers import MAX_NAME_CHARS, agency_id_problem, text_problem
from scoring.schemas.base import AgencyType, NonEmpty, Strict, check_semver

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

    _check_version = field_validator("version")(check_semver)
