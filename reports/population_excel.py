"""The coordinator's filtered table as an Excel workbook (and CSV), ready to filter and sort.

Sheet 1 holds the table with translated headers, a frozen header row, an auto-filter and the
traffic lights coloured; sheet 2 ("about") says what was selected (round, filters, rubric, date).
Written in openpyxl's write-only mode, so ten thousand rows take about a second.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from scoring.spreadsheet_safety import safe_cell, safe_frame

LIGHT_FILLS = {
    "GREEN": PatternFill("solid", fgColor="C8E6C9"),
    "YELLOW": PatternFill("solid", fgColor="FFF59D"),
    "RED": PatternFill("solid", fgColor="FFCDD2"),
}
HEADER_FILL = PatternFill("solid", fgColor="E6ECF5")
MAX_SHEET_TITLE = 31


def _plain(value: object) -> object:
    """A cell value openpyxl can write: NA/NaN become empty, numpy scalars plain Python, and texts
    that a spreadsheet would run as a formula neutralised (`safe_cell`)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return safe_cell(value)


def table_xlsx(
    table: pd.DataFrame,
    headers: Mapping[str, str],
    sheet_title: str,
    about: Sequence[tuple[str, str]] = (),
    light_column: str | None = "light",
    light_names: Mapping[str, str] | None = None,
) -> bytes:
    """`table` as .xlsx bytes. `headers` maps column ids to the printed headers (missing ones keep
    their id); `light_column` values (GREEN/YELLOW/RED) are printed with `light_names` and coloured."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    columns = list(table.columns)
    widths = [max(len(str(headers.get(c, c))), 6) for c in columns]
    sheet.freeze_panes = "A2"
    header_cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(headers.get(column, column)))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header_cells.append(cell)
    light_index = columns.index(light_column) if light_column in columns else -1
    rows = table.astype(object).to_numpy()
    for sample in rows[:200]:
        for i, value in enumerate(sample):
            widths[i] = max(widths[i], min(len(str(value)), 45))
    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width + 2
    sheet.append(header_cells)
    names = light_names or {}
    for values in rows:
        out: list[object] = [_plain(v) for v in values]
        if light_index >= 0:
            light = out[light_index]
            cell = WriteOnlyCell(sheet, value=safe_cell(names.get(str(light), light)))
            fill = LIGHT_FILLS.get(str(light))
            if fill is not None:
                cell.fill = fill
            out[light_index] = cell
        sheet.append(out)
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    if about:
        info = workbook.create_sheet(_sheet_title("about"))
        info.column_dimensions["A"].width = 28
        info.column_dimensions["B"].width = 80
        for key, value in about:
            label = WriteOnlyCell(info, value=str(key))
            label.font = Font(bold=True)
            info.append([label, safe_cell(str(value))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_csv(table: pd.DataFrame, headers: Mapping[str, str] | None = None) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens the Vietnamese text correctly."""
    renamed = safe_frame(table).rename(columns=dict(headers or {}))
    return renamed.to_csv(index=False).encode("utf-8-sig")


def _sheet_title(title: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip() or "table"
    return cleaned[:MAX_SHEET_TITLE]
