"""The one place where answers turn into stored text and back.

Stored (canonical) forms: level answers and integral numbers as plain integers ("3", "80"), other
numbers as Python's shortest round-trip decimal ("57.5"), and the special answers "na" and
"dont_know" as they are. `parse_value(canonical_value(v)) == v` for every valid answer.
"""

from __future__ import annotations

import math
import numbers
import re

from scoring.model import SPECIAL_ANSWERS
from storage.errors import InvalidValue

Answer = int | float | str
_INTEGER = re.compile(r"^[+-]?\d+$")


def canonical_value(value: object) -> str:
    """Return the stored text form of an answer: int, float, "na" or "dont_know"."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        raise _invalid(value)
    if isinstance(value, str):
        if value in SPECIAL_ANSWERS:
            return value
        raise _invalid(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            raise _invalid(value)
        if number.is_integer():
            return str(int(number))
        return repr(number)
    raise _invalid(value)


def parse_value(text: str) -> Answer:
    """Return the answer stored as `text`: an int, a float, "na" or "dont_know"."""
    if text in SPECIAL_ANSWERS:
        return text
    if _INTEGER.match(text):
        return int(text)
    try:
        number = float(text)
    except (TypeError, ValueError):
        raise _invalid_text(text) from None
    if not math.isfinite(number):
        raise _invalid_text(text)
    return number


def _invalid(value: object) -> InvalidValue:
    return InvalidValue(
        f"{value!r} is not an answer: give a level 1-5, a number, 'na' (not applicable) "
        "or 'dont_know' (don't know)"
    )


def _invalid_text(text: str) -> InvalidValue:
    return InvalidValue(
        f"the stored answer {text!r} is not readable (expected a number, 'na' or 'dont_know')"
    )
