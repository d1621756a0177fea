"""The value types `Store` methods return: assessments, stored answers, audit entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from storage.values import Answer

Status = Literal["draft", "submitted", "returned", "accepted"]
LOCKED_STATUSES: tuple[str, ...] = ("submitted", "accepted")
"""Handed in: nobody changes the answers (returned goes back to the agency, accepted is final)."""
FRAME_COLUMNS: tuple[str, ...] = (
    "agency_id",
    "agency_name",
    "agency_type",
    "province",
    "round",
    "question_id",
    "answer",
)


@dataclass(frozen=True)
class AssessmentInfo:
    id: int
    agency_id: str
    round: str
    questionnaire_id: str
    questionnaire_version: str
    status: Status
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    answered_count: int

    @property
    def is_submitted(self) -> bool:
        """Handed in and read-only (submitted, or accepted by the reviewer)."""
        return self.status in LOCKED_STATUSES


@dataclass(frozen=True)
class StoredAnswer:
    value: Answer | None
    """int, float, "na" or "dont_know"; None while only a note has been typed."""
    na_reason: str | None
    evidence: str | None
    updated_at: datetime
    version: int = 0
    """The version this row was last written at; name it as `based_on` when saving a change to it.
    An absent row is version 0."""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    agency_id: str | None
    assessment_id: int | None
    question_id: str | None
    old_value: str | None
    new_value: str | None
    detail: str | None
