"""What every content schema shares: the strict frozen base model, bilingual `Text`, the id, level and
version types, and the agency types.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

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


def check_semver(value: str) -> str:
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
