"""Every number a table shows, in the UI language's format (`scoring.numbers`), with the column kept numeric.

    show_numbers(number_table(frame, lang, shares=("share_green",), decimals={"mean_level": 2}), key=...)

The grid's own number formats (`NumberColumn(format="percent" | "localized" | "%.2f")`) follow the
browser's locale, not the app's language: a Vietnamese page in an English browser would show "9.92%"
beside a tile saying "9,9 %". A pandas Styler's display values are what the grid writes in a cell
(for text cells and number columns given no `format`), while the column's values, and so its sort
order, stay numbers. Give such a column a plain `NumberColumn(label)`, never a `format` (a format
makes the grid ignore the display values), and no `ProgressColumn` (it always writes its own label);
`show_numbers` draws empty cells as the en dash.

Cost: `Styler.format` calls a function per cell and `Styler._translate` builds a dict per cell, 1.7 s
for the 3,385-row agency ranking. `number_table` sends the columns whose text is not `str(value)`
(which Streamlit writes for the others: whole numbers below 1,000), each column's texts built once per
distinct value (by Python's `format` of the float's shortest decimal, with the language's separators:
what Babel does, checked against `scoring.numbers` in tests/ui/test_table_numbers.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from babel.numbers import get_decimal_symbol, get_group_symbol
from pandas.io.formats.style import Styler

from scoring import numbers
from scoring.numbers import MISSING


def _fast_styler(data: pd.DataFrame, texts: Mapping[str, list[str]]) -> Styler:
    """A Styler whose display values are given per column. Streamlit knows a Styler by its exact class
    and reads it through `_compute` and `_translate`; these two are replaced on this instance to
    return the given texts without pandas' per-cell work."""
    styler = Styler(data)
    given = dict(texts)

    def translate(*args: Any, **kwargs: Any) -> dict[str, Any]:
        body = []
        for column, shown in given.items():
            col = data.columns.get_loc(column)
            body.append([{"id": f"row{row}_col{col}", "display_value": text} for row, text in enumerate(shown)])
        return {"body": body, "cellstyle": [], "table_styles": []}

    styler._compute = lambda: styler  # type: ignore[method-assign]
    styler._translate = translate  # type: ignore[method-assign]
    styler.number_texts = given  # type: ignore[attr-defined]
    return styler


def display_values(styler: Styler) -> pd.DataFrame:
    """Each cell's text as the grid shows it (what Streamlit sends beside the data)."""
    shown = styler.data.astype(str)  # type: ignore[attr-defined]
    for column, texts in styler.number_texts.items():  # type: ignore[attr-defined]
        shown[column] = texts
    return shown


def _separators(lang: str) -> dict[int, str]:
    locale = numbers._locale(lang)
    return str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale)})


def _number_text(value: object, digits: int, separators: dict[int, str]) -> str:
    """`fmt_decimal`'s text without Babel's per-call cost: Babel also rounds the float's shortest
    decimal form (`str`) half to even and groups by threes (both languages)."""
    return format(Decimal(str(value)), f",.{digits}f").translate(separators)


def column_texts(values: pd.Series, kind: str, lang: str, digits: int = 0) -> list[str]:
    """A column's numbers as `scoring.numbers` writes them (`kind`: "count" as `fmt_int`, "decimal" as
    `fmt_decimal`, "share" as `fmt_pct`), missing values as its en dash, each distinct value formatted
    once (plain lists: pandas' per-call overhead cost more than the formatting for a small table)."""
    separators = _separators(lang)
    sign = numbers.percent_sign(lang)

    def text(value: object) -> str:
        if kind == "count":
            return _number_text(round(float(value)), 0, separators)  # type: ignore[arg-type]
        if kind == "decimal":
            return _number_text(value, digits, separators)
        return _number_text(Decimal(str(value)) * 100, digits, separators) + sign

    missing = values.isna().to_numpy().tolist()
    known: dict[object, str] = {}
    out = []
    for value, empty in zip(values.to_numpy(dtype=object).tolist(), missing, strict=True):
        if empty:
            out.append(MISSING)
            continue
        shown = known.get(value) if value != 0 else None  # 0.0 and -0.0 are one key but two texts
        if shown is None:
            shown = known[value] = text(value)
        out.append(shown)
    return out


def _plain_small_ints(values: pd.Series) -> bool:
    """Whole numbers below 1,000 with nothing missing: the grid's own text is already `fmt_int`'s."""
    array = values.to_numpy(dtype=float, na_value=np.nan)
    return bool(array.size == 0 or np.abs(array).max() < 1000)  # NaN makes max NaN: False


def number_texts(frame: pd.DataFrame, lang: str, counts: Iterable[str] = (),
                 shares: Iterable[str] | Mapping[str, int] = (), decimals: Mapping[str, int] | None = None,
                 share_digits: int = 1) -> dict[str, list[str]]:
    """The text of each number column of `frame` the grid would not write as `scoring.numbers` does.
    Integer columns not named are counts; a float column must be named (its digits are a choice).
    `shares` may give each share its digits ({"target": 0}); otherwise they have `share_digits`."""
    decimals = dict(decimals or {})
    share_places = dict(shares) if isinstance(shares, Mapping) else dict.fromkeys(shares, share_digits)
    counts = set(counts)
    out: dict[str, list[str]] = {}
    for column, dtype in frame.dtypes.items():
        if column in share_places:
            out[column] = column_texts(frame[column], "share", lang, share_places[column])
        elif column in decimals:
            out[column] = column_texts(frame[column], "decimal", lang, decimals[column])
        elif column in counts or (pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)):
            if not _plain_small_ints(frame[column]):
                out[column] = column_texts(frame[column], "count", lang)
        elif pd.api.types.is_float_dtype(dtype):
            raise ValueError(f"column {column!r} holds fractions: name it in shares or decimals")
    return out


def number_table(frame: pd.DataFrame, lang: str, counts: Iterable[str] = (),
                 shares: Iterable[str] | Mapping[str, int] = (), decimals: Mapping[str, int] | None = None,
                 share_digits: int = 1) -> Styler:
    """`frame` for `st.dataframe` with every number written as `scoring.numbers` writes it in `lang`
    (missing values as its en dash); the columns keep their dtypes, so sorting stays numeric."""
    data = frame.reset_index(drop=True)
    return _fast_styler(data, number_texts(data, lang, counts, shares, decimals, share_digits))


def show_numbers(table: Styler, **kwargs: Any) -> Any:
    """`st.dataframe` of a `number_table`, an empty number cell drawn as `scoring.numbers`' en dash
    (the grid's own placeholder is an English "None"; a display value never reaches an empty cell)."""
    return st.dataframe(table, placeholder=MISSING, **kwargs)
