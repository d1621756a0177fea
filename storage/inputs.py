"""Checking a `Store` caller's arguments: texts, rounds, questionnaire versions, question ids, notes
(and `KEEP`, "leave that note as it is"), plus the order of rounds."""

from __future__ import annotations

import re
from enum import Enum
from typing import Literal

from scoring.schemas.base import SEMVER
from storage.checks import checked_note, checked_round
from storage.errors import InvalidValue


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP
"""Default of the note arguments: leave that note field as it is."""

Note = str | None | Literal[_Keep.KEEP]


def round_sort_key(round: str) -> tuple[tuple[int, int | str], ...]:
    """Order rounds as text with embedded numbers compared as numbers ("2026-2" < "2026-10")."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", round))


def _actor(actor: str) -> str:
    return _text("actor (who is making the change)", actor, 200)


def _text(what: str, value: object, max_length: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(f"{what}: a non-empty text is required, got {value!r}")
    value = value.strip()
    if len(value) > max_length:
        raise InvalidValue(f"{what}: at most {max_length} characters, got {len(value)}")
    return value


def _round(round: object) -> str:
    if isinstance(round, int) and not isinstance(round, bool):
        round = str(round)
    return checked_round(_text("round", round, 32))


def _version(version: object) -> str:
    text = _text("questionnaire version", version, 32)
    if not SEMVER.match(text):
        raise InvalidValue(f"questionnaire version {text!r} is not of the form MAJOR.MINOR.PATCH (for example 1.0.0)")
    return text


def _question_id(question_id: object) -> str:
    return _text("question id", question_id, 128)


def _note(note: Note) -> Note:
    if note is KEEP or note is None:
        return note
    if not isinstance(note, str):
        raise InvalidValue(f"a note must be a text, got {note!r}")
    note = note.strip()
    return checked_note(note) if note else None
