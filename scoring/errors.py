"""Errors meant for people: each names the file, the line and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file."""

    path: str
    line: int | None
    message: str
    warning: bool = False
    """A warning (e.g. an unused CSV column) is reported but does not make the file invalid."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"


class ContentError(Exception):
    """Raised when an input file (questionnaire, rubric, targets, response) is invalid.

    Carries every problem found, so a user fixes a file in one pass instead of one error per run.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, path: str, line: int | None, message: str) -> ContentError:
        return cls([Problem(path, line, message)])
