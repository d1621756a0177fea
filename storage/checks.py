"""What storage refuses whoever calls it: ids out of range, agencies, rounds and notes that break
the app's own rules (`scoring.identifiers`, the same rules as the forms), answers that do not fit
the questionnaire. Every refusal is an `InvalidValue` (or `NotFound` for an id that cannot exist)
worded for the person using the tool."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from scoring import registry
from scoring.answers import parse_value
from scoring.content import load_questionnaire
from scoring.errors import ContentError
from scoring.identifiers import MAX_NAME_CHARS, MAX_ROUND_CHARS, agency_id_problem, note_problem, text_problem
from scoring.limits import DEFAULT_LIMITS
from scoring.response_checks import check_answer
from scoring.schemas.questionnaire import Questionnaire
from scoring.schemas.response import Agency
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
    found = [p for p in problems if p]
    if found:
        raise InvalidValue(f"Agency {agency.id!r}: " + "; ".join(found))


def shipped_questionnaire(questionnaire_id: str, version: str) -> Questionnaire | None:
    """The shipped questionnaire of that id and version, or None for one the program does not ship
    (tests and scripts may store those; their answers are then checked for form only)."""
    try:
        path = registry.questionnaire_path(questionnaire_id, version)
    except ContentError:
        return None
    return _questionnaire_at(path)


@lru_cache(maxsize=32)
def _questionnaire_at(path: Path) -> Questionnaire | None:
    # Cached by file, not by (id, version): the registry folder can point elsewhere (tests, a
    # deployment's own content), and the same id and version must then mean that folder's file.
    try:
        return load_questionnaire(path)[0]
    except ContentError:
        return None


def check_answer_fits(
    questionnaire_id: str, version: str, question_id: str, value: str | None, agency_type: str | None
) -> None:
    """Refuse an answer (canonical text, or None for a note only) that the questionnaire does not
    allow: an unknown question id, 99 or 3.7 for a level question, 150 for a percentage. The rule
    is the core's `check_answer`, the same one the response files are read with."""
    check_answers_fit(questionnaire_id, version, [(question_id, value)], agency_type)


def check_answers_fit(
    questionnaire_id: str,
    version: str,
    answers: Iterable[tuple[str, str | None]],
    agency_type: str | None,
) -> None:
    """`check_answer_fits` for many (question id, value) pairs of one response: the questionnaire is
    looked up once (the registry lookup scans the content folder, which per answer dominated an
    import), then each answer goes through the same core rule; the first misfit is refused."""
    questionnaire = shipped_questionnaire(questionnaire_id, version)
    if questionnaire is None:
        return
    for question_id, value in answers:
        if value is None:
            try:
                questionnaire.question(question_id)
            except KeyError:
                raise InvalidValue(f"unknown question id {question_id!r} in {questionnaire_id} {version}") from None
            continue
        problem = check_answer(questionnaire, question_id, parse_value(value), agency_type)
        if problem:
            raise InvalidValue(problem)


def checked_note(note: str) -> str:
    problem = note_problem("the note", note, DEFAULT_LIMITS.max_note_chars)
    if problem:
        raise InvalidValue(problem)
    return note


def checked_round(round: str) -> str:
    problem = text_problem("round", round, MAX_ROUND_CHARS)
    if problem:
        raise InvalidValue(problem)
    return round
