"""What makes an answer or a response valid beyond its schema: the value fits the question (level, percentage,
`na`, `dont_know`, `provided`) and the agency type, the file is for this questionnaire's major version,
an N/A has its reason, notes fit their limits. Messages name the question and say what is expected.
"""

from __future__ import annotations

import math

from scoring.answers import NOT_APPLICABLE, PROVIDED, SPECIAL
from scoring.content import Bundle
from scoring.errors import Problem
from scoring.identifiers import (
    note_problem,
)
from scoring.limits import DEFAULT_LIMITS, InputLimits
from scoring.schemas.questionnaire import Questionnaire
from scoring.schemas.response import Response
from scoring.yamlio import LocatedDocument

EXPECTED_ANSWER = "expected 1-5, na or dont_know"


def check_answer(
    questionnaire: Questionnaire, question_id: str, value: object, agency_type: str | None = None
) -> str | None:
    """Why `value` is not an allowed answer to the question (from this agency type), or None when it is."""
    try:
        question = questionnaire.question(question_id)
    except KeyError:
        return f"unknown question id {question_id!r} (see `python -m scoring template` for the ids)"
    if agency_type is not None and not question.applies(agency_type):
        asked_of = ", ".join(question.agency_types)
        return f"{question_id}: this question is not asked of a {agency_type} (it applies to {asked_of})"
    if value == PROVIDED:
        if not question.providable:
            return f"{question_id}: 'provided' is only for questions a commune's province can provide"
        if agency_type not in (None, "commune"):
            return f"{question_id}: 'provided' is only for communes (the province's shared platform provides it)"
        return None
    expected = _expected(question.kind, question.low, question.high)
    if isinstance(value, str):
        if value in SPECIAL:
            return None
        return f"{question_id}: {_shown(value)} is not an answer ({expected}{_number_hint(value)})"
    number = _finite_number(value)
    if number is None:
        return f"{question_id}: {_shown(value)} is not an answer ({expected})"
    if question.kind == "level":
        if not number.is_integer() or not 1 <= number <= 5:
            return f"{question_id}: {_shown(value)} is not a level ({EXPECTED_ANSWER})"
        return None
    if not question.low <= number <= question.high:
        return f"{question_id}: {_shown(value)} is out of range ({expected})"
    return None


def _finite_number(value: object) -> float | None:
    """A plain finite number as a float; None for booleans, huge integers, NaN, infinity and the rest."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # a 400-digit integer
        return None
    return number if math.isfinite(number) else None


def _shown(value: object) -> str:
    """A value as quoted in a message, cut to a readable length (a 400-digit number is not shown whole)."""
    shown = repr(value)
    return shown if len(shown) <= 40 else f"{shown[:30]}... ({len(shown)} characters)"


def _number_hint(text: str) -> str:
    if text.strip().endswith("%"):
        return "; write the number without %"
    if "," in text:
        return "; write decimals with a decimal point, e.g. 85.5"
    return ""


def _expected(kind: str, low: float, high: float) -> str:
    if kind == "level":
        return EXPECTED_ANSWER
    return f"expected a percentage from {low:g} to {high:g}, na or dont_know"


def check_response(
    response: Response, bundle: Bundle, doc: LocatedDocument, limits: InputLimits = DEFAULT_LIMITS
) -> list[Problem]:
    questionnaire = bundle.questionnaire
    problems: list[Problem] = []

    def add(location: tuple, message: str) -> None:
        problems.append(Problem(doc.path, doc.line_of(location), message))

    if response.questionnaire != questionnaire.id:
        add(("questionnaire",), f"questionnaire {response.questionnaire!r} is not {questionnaire.id!r}")
    if response.version.split(".")[0] != str(questionnaire.major):
        add(
            ("version",),
            f"version {response.version} does not match questionnaire version {questionnaire.version} "
            f"(question ids are stable only within major version {questionnaire.major})",
        )
    for question_id, value in response.answers.items():
        why = check_answer(questionnaire, question_id, value, response.agency.type)
        if why:
            add(("answers", question_id), why)
        elif value == NOT_APPLICABLE and bundle.rubric.not_applicable.requires_reason:
            note = response.notes.get(question_id)
            if note is None or not (note.na_reason or "").strip():
                add(
                    ("answers", question_id),
                    f"{question_id}: 'na' needs a reason (add notes: {{{question_id}: {{na_reason: ...}}}})",
                )
    for question_id, note in response.notes.items():
        try:
            questionnaire.question(question_id)
        except KeyError:
            add(("notes", question_id), f"notes: unknown question id {question_id!r}")
        for kind in ("na_reason", "evidence"):
            text = getattr(note, kind)
            why = None if text is None else note_problem(f"{question_id}: {kind}", text, limits.max_note_chars)
            if why:
                add(("notes", question_id, kind), why)
    return problems


def answer_shape_problems(doc: LocatedDocument) -> list[Problem]:
    """Answers that are no value at all (empty, yes/no, a list), each at its own line."""
    answers = doc.data.get("answers")
    if not isinstance(answers, dict):
        return []
    problems = []
    for key, value in answers.items():
        if not isinstance(key, str):
            why = "unknown question id (question ids are texts such as governance.strategy)"
        elif value is None:
            why = "empty answer (expected 1-5, na, dont_know or a number; omit unanswered questions)"
        elif isinstance(value, bool):
            why = f"{value!r} is not an answer (yes/no/on/off read as true/false; expected 1-5, na, dont_know)"
        elif isinstance(value, (dict, list)):
            why = "a list or mapping is not an answer (expected 1-5, na, dont_know or a number)"
        else:
            continue
        problems.append(Problem(doc.path, doc.line_of(("answers", key)), f"{key}: {why}"))
    return problems
