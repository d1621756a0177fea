"""Responses as the engine's one input, a long answer frame (`ANSWER_COLUMNS`, one row per answer), and back
out as the response file format (`response_to_yaml`): a response typed in the app, imported from YAML or
loaded from a coordinator's CSV is scored the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
import yaml

from scoring.answers import canonical_value
from scoring.errors import Problem
from scoring.schemas.response import Response

AGENCY_COLUMNS = ["agency_id", "agency_name", "agency_type", "province"]

ANSWER_COLUMNS = [*AGENCY_COLUMNS, "round", "question_id", "answer"]

NOTE_COLUMNS = ["na_reason", "evidence"]


@dataclass
class LoadedResponses:
    """Answers that passed validation, and the problems of what did not."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    files_read: int = 0

    @property
    def assessment_count(self) -> int:
        return 0 if self.frame.empty else len(self.frame[["agency_id", "round"]].drop_duplicates())


def empty_answer_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in [*ANSWER_COLUMNS, *NOTE_COLUMNS]})


def response_rows(response: Response) -> list[dict[str, object]]:
    agency = response.agency
    return [
        {
            "agency_id": agency.id,
            "agency_name": agency.name,
            "agency_type": agency.type,
            "province": agency.province,
            "round": response.round,
            "question_id": question_id,
            "answer": canonical_value(value),
            "na_reason": (response.notes.get(question_id) or _NO_NOTE).na_reason,
            "evidence": (response.notes.get(question_id) or _NO_NOTE).evidence,
        }
        for question_id, value in response.answers.items()
    ]


class _NoNote:
    na_reason = None
    evidence = None

_NO_NOTE = _NoNote()


def responses_frame(responses: Iterable[Response]) -> pd.DataFrame:
    rows = [row for response in responses for row in response_rows(response)]
    return pd.DataFrame(rows, columns=[*ANSWER_COLUMNS, *NOTE_COLUMNS]) if rows else empty_answer_frame()


def response_to_yaml(response: Response) -> str:
    """The response file format, in questionnaire order, readable and re-importable."""
    data = response.model_dump(mode="json", exclude_none=True)
    if not data.get("notes"):
        data.pop("notes", None)
    else:
        data["notes"] = {k: v for k, v in data["notes"].items() if v}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
