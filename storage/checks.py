"""What storage refuses whoever calls it: ids out of range, agencies, rounds and notes that break
the app's own rules (`scoring.identifiers`, the same rules as the forms), answers that do not fit
the questionnaire. Every refusal is an `InvalidValue` (or `NotFound` for an id that cannot exist)
worded for the person using the tool."""

from __future__ import annotations

from scoring.identifiers import MAX_NAME_CHARS, agency_id_problem, text_problem
from scoring.model import Agency
from storage.errors import InvalidValue, NotFound

MAX_ROW_ID = 2**63 - 1
"""The largest id a database row can have (a signed 64-bit integer in SQLite and PostgreSQL)."""


def checked_assessment_id(assessment_id: object) -> int:
    """An assessment id as an int; an id no row can have (0, -1, 2**63, "x") is `NotFound`."""
    if isinstance(assessment_id, bool) or not isinstance(assessment_id, int):
        try:
            assessment_id = int(str(assessment_id))
        except ValueError:
            raise NotFound(f"Assessment {assessment_id!r} does not exist.") from None
    if not 0 < assessment_id <= MAX_ROW_ID:
        raise NotFound(f"Assessment {assessment_id} does not exist.")
    return assessment_id


def check_agency(agency: Agency) -> None:
    """The agency's id, name and province by the form's rules (also for an `Agency` built without
    validation, e.g. by `model_construct`)."""
    problems = [
        agency_id_problem(agency.id),
        None if agency.province is None else agency_id_problem(agency.province),
        text_problem("name", agency.name, MAX_NAME_CHARS),
    ]
    problems = [p for p in problems if p]
    if problems:
        raise InvalidValue(f"Agency {agency.id!r}: " + "; ".join(problems))
