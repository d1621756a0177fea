"""The one canonical text form of an answer, shared by response files, the bulk CSV and storage."""

from __future__ import annotations

import math
import re

NOT_APPLICABLE = "na"
DONT_KNOW = "dont_know"
PROVIDED = "provided"  # a commune: the province's shared platform or service provides this (providable questions)
SPECIAL = (NOT_APPLICABLE, DONT_KNOW)
WORDS = (*SPECIAL, PROVIDED)  # every answer given as a word; `provided` only where scoring.responses allows it

AnswerValue = int | float | str


def canonical_value(value: AnswerValue) -> str:
    """3 -> "3", 57.5 -> "57.5", 80.0 -> "80", "na" -> "na"."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an answer")
    if isinstance(value, str):
        text = value.strip()
        if text in WORDS:
            return text
        return canonical_value(parse_value(text))
    number = float(value)  # also turns numpy scalars into plain floats, whose repr is the shortest form
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return str(int(number)) if number.is_integer() else repr(number)


def parse_value(text: str) -> AnswerValue:
    """The inverse of canonical_value; raises ValueError for anything else."""
    text = text.strip()
    if text in WORDS:
        return text
    try:
        number = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an answer (expected 1-5, na, dont_know or a number)") from None
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is not a finite number")
    return int(number) if number.is_integer() else number


_PERCENT_TEXT = re.compile(r"^\s*([+-]?)(\d+)(?:[.,](\d+))?\s*%?\s*$")


def parse_percent(text: str | None) -> float | None:
    """A percentage as people type it: "62,5", "62.5", "62,5 %", "62.5%", " 80 " -> a float; empty ->
    None (no answer). Anything else (letters, two separators, thousands groups) raises ValueError:
    a Vietnamese user's "6,5" must never become 65. The range is the question's business
    (`scoring.response_checks.check_answer`)."""
    if text is None or not text.strip():
        return None
    match = _PERCENT_TEXT.match(text.replace("\u00a0", " "))
    if not match:
        raise ValueError(f"{text!r} is not a percentage (expected e.g. 62,5 or 62.5 %)")
    sign, whole, fraction = match.groups()
    number = float(f"{sign}{whole}.{fraction or 0}")
    return number


def percent_text(value: float | None, lang: str) -> str:
    """The inverse of `parse_percent` in the reader's convention: 62.5 -> "62,5" (vi) / "62.5" (en)."""
    if value is None:
        return ""
    text = f"{float(value):g}"
    return text.replace(".", ",") if lang == "vi" else text
