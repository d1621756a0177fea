"""Answers as stored text and back, using the core's one definition (`scoring.answers`).

Stored (canonical) forms: level answers and integral numbers as plain integers ("3", "80"), other
numbers as Python's shortest round-trip decimal ("57.5"), and the special answers "na" and
"dont_know" as they are. `parse_value(canonical_value(v)) == v` for every valid answer.
Storage only adds plain-worded `InvalidValue` errors and refuses what is no answer at all
(None, booleans, lists, NaN).
"""

from __future__ import annotations

from scoring import answers as core
from storage.errors import InvalidValue

Answer = int | float | str


def canonical_value(value: object) -> str:
    """Return the stored text form of an answer: an int, a float, "na" or "dont_know"
    (a numeric text such as "3" or "57,5" is read as that number, as in response files)."""
    if value is None or isinstance(value, bool) or type(value).__name__ == "bool_":
        raise _invalid(value)
    if isinstance(value, str):
        value = str(value)  # numpy.str_ and other subclasses as plain text
    elif type(value) not in (int, float):  # numpy scalars: repr(np.float64(1.5)) is not "1.5"
        try:
            value = _plain_number(value)
        except (TypeError, ValueError):
            raise _invalid(value) from None
    try:
        return core.canonical_value(value)  # type: ignore[arg-type]  # any other type is refused below
    except (TypeError, ValueError, OverflowError):
        raise _invalid(value) from None


def parse_value(text: str) -> Answer:
    """Return the answer stored as `text`: an int, a float, "na" or "dont_know"."""
    try:
        return core.parse_value(text)
    except (TypeError, ValueError, AttributeError):
        raise InvalidValue(
            f"the stored answer {text!r} is not readable (expected a number, 'na' or 'dont_know')"
        ) from None


def _plain_number(value: object) -> int | float:
    """numpy and other numeric scalars (from a DataFrame) as plain Python numbers."""
    import numbers

    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(type(value).__name__)


def _invalid(value: object) -> InvalidValue:
    return InvalidValue(
        f"{value!r} is not an answer: give a level 1-5, a number, 'na' (not applicable) "
        "or 'dont_know' (don't know)"
    )
