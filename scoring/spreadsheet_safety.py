"""Spreadsheet formula injection: the ONE rule every Excel and CSV export applies to its cells
(reports, coordinator, `python -m scoring score --format csv`).

A text cell starting with "=", "+", "-", "@" (or a tab or carriage return) is run as a formula by
Excel and LibreOffice when the file is opened: an agency name "=HYPERLINK(...)" or an evidence note
"@SUM(...)" typed by anyone would become a live link or a command in a coordinator's workbook. Such
texts get a leading apostrophe (the OWASP advice), which spreadsheets show as plain text. Plain
numbers such as "-1.5" are left alone; numbers stored as numbers are never touched.
"""

from __future__ import annotations

import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?%?"
_PLAIN_NUMBER_RE = re.compile(_PLAIN_NUMBER)


def safe_cell(value: object) -> object:
    """`value` as a cell no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER_RE.fullmatch(value):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with `safe_cell` applied to every text cell, column by column (vectorised)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        elif not (pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype)):
            continue
        risky = series.str.startswith(FORMULA_START, na=False) & ~series.str.fullmatch(_PLAIN_NUMBER, na=False)
        if risky.any():
            out[column] = series.mask(risky, "'" + series.astype(str))
    return out


def restore_texts(series: pd.Series) -> pd.Series:
    """The inverse of `safe_frame` for texts read back from an exported CSV: "'=x" is "=x" again, so
    an exported answers CSV re-imports with the names and notes as they were typed."""
    if not series.str.startswith("'", na=False).any():  # the usual file: nothing to undo, no copy
        return series
    codes, uniques = pd.factorize(series)  # per distinct text: a column repeats a few thousand names
    restored = pd.Series([*uniques, None], dtype=object).str.replace(r"^'(?=[=+\-@\t\r])", "", regex=True)
    return pd.Series(restored.to_numpy(dtype=object)[codes], index=series.index, dtype=series.dtype)
