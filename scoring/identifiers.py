"""The rules for agency ids, names, rounds and notes: ONE definition used by the app's forms, the
response and CSV readers, and the storage service (whoever calls it).

Each rule has a scalar form (`*_problem(value) -> message | None`) and, where the coordinator reads
thousands of rows, a vectorised form over a pandas Series built from the same patterns.
"""

from __future__ import annotations

import re

import pandas as pd

MAX_AGENCY_ID_CHARS = 64
MAX_NAME_CHARS = 200
MAX_ROUND_CHARS = 32
# ASCII letters, digits, "_", "." and "-", starting with a letter or digit: safe in a URL, a file
# name and a spreadsheet cell ("=HYPERLINK(...)", "../../etc/passwd", "a b" are not ids).
AGENCY_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.\-]*"
# Control characters (NUL, escape, ...) are never typed by a person; a name or id holds none, a
# note may hold tabs and line breaks.
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"
_CONTROL_IN_NOTES = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_CONTROL_RE = re.compile(_CONTROL)
_CONTROL_IN_NOTES_RE = re.compile(_CONTROL_IN_NOTES)
_AGENCY_ID_RE = re.compile(AGENCY_ID_PATTERN)

ID_RULE = (
    f"use at most {MAX_AGENCY_ID_CHARS} ASCII letters, digits, '_', '.' or '-', starting with a letter or digit"
)


def agency_id_problem(value: object) -> str | None:
    """Why `value` is not an agency id (None when it is one)."""
    if not isinstance(value, str) or not value:
        return f"agency id {value!r} is empty or not a text ({ID_RULE})"
    if len(value) > MAX_AGENCY_ID_CHARS:
        return f"agency id of {len(value)} characters is too long ({ID_RULE})"
    if not _AGENCY_ID_RE.fullmatch(value):
        return f"agency id {_show(value)} is not allowed ({ID_RULE})"
    return None


def text_problem(what: str, value: object, max_chars: int = MAX_NAME_CHARS) -> str | None:
    """Why `value` is not a one-line text such as a name or a round (None when it is one)."""
    if not isinstance(value, str) or not value.strip():
        return f"{what} must not be empty"
    if len(value) > max_chars:
        return f"{what} has {len(value)} characters, more than {max_chars}"
    if _CONTROL_RE.search(value):
        return f"{what} {_show(value)} holds a control character (a line break, NUL, ...); remove it"
    return None


def note_problem(what: str, value: str, max_chars: int) -> str | None:
    """Why `value` is not a note (N/A reason, evidence): too long, or holding control characters."""
    if len(value) > max_chars:
        return f"{what} has {len(value):,} characters, more than {max_chars:,}; shorten it or refer to a document"
    if _CONTROL_IN_NOTES_RE.search(value):
        return f"{what} holds a control character (NUL, escape, ...); remove it"
    return None


def bad_agency_ids(ids: pd.Series) -> pd.Series:
    """Element-wise: True where the text is not an agency id (the vectorised `agency_id_problem`)."""
    text = ids.astype(str)
    return (text.str.len() > MAX_AGENCY_ID_CHARS) | ~text.str.fullmatch(AGENCY_ID_PATTERN)


def bad_texts(values: pd.Series, max_chars: int, allow_empty: bool = False) -> pd.Series:
    """Element-wise: True where the text is too long or holds control characters (or is empty)."""
    text = values.astype(str)
    bad = (text.str.len() > max_chars) | text.str.contains(_CONTROL, regex=True)
    return bad if allow_empty else bad | (text.str.strip() == "")


def bad_notes(values: pd.Series, max_chars: int) -> pd.Series:
    text = values.astype(str)
    return (text.str.len() > max_chars) | text.str.contains(_CONTROL_IN_NOTES, regex=True)


def _show(value: str) -> str:
    """A value quoted for a message, control characters visible, cut to a readable length."""
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "...'"
