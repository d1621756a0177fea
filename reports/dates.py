"""Dates and times as an agency reads them: one format per language, in Vietnam's time zone.

Vietnamese: 30/11/2026 and 30/11/2026 09:15; English: 30 Nov 2026 and 30 Nov 2026 09:15. Every
screen, PDF and workbook of the IT lead's record uses these two functions, so a date reads the same
everywhere. Times are stored in UTC and shown in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _local(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(VIETNAM)


def format_date(value: date | datetime | None, lang: str) -> str:
    if value is None:
        return "—"
    day = _local(value).date() if isinstance(value, datetime) else value
    if lang == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_datetime(value: datetime | None, lang: str) -> str:
    if value is None:
        return "—"
    local = _local(value)
    return f"{format_date(local.date(), lang)} {local.hour:02d}:{local.minute:02d}"
