"""One agency's result as an Excel workbook: Answers, Scores, Gaps and Next steps on separate sheets
(sheet names and headers in the chosen language), each a plain table with a header row."""

from __future__ import annotations

import math
from io import BytesIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.record import RecordFacts, rlabel, status_pairs
from reports.tables import answers_frame, gaps_frame, label, next_steps_frame, scores_frame
from scoring.content import Bundle
from scoring.results import AgencyResult
from scoring.spreadsheet_safety import safe_cell

HEADER_FILL = PatternFill("solid", fgColor="E6ECF5")
MAX_WIDTH = 60


def sheet_names(lang: str) -> list[str]:
    return [label(k, lang) for k in ("sheet_answers", "sheet_scores", "sheet_gaps", "sheet_next_steps")]


def agency_workbook(result: AgencyResult, bundle: Bundle, lang: str, record: RecordFacts | None = None) -> bytes:
    """The workbook as .xlsx bytes. With `record`, a first sheet holds the status, submitter and dates,
    and the answers sheet also flags "don't know" and names each answer's documents."""
    frames = [
        answers_frame(result, bundle, lang, None if record is None else record.documents),
        scores_frame(result, bundle, lang, emoji=False),
        gaps_frame(result, bundle, lang, emoji=False),
        next_steps_frame(result, bundle, lang),
    ]
    book = Workbook()
    book.remove(book.active)
    if record is not None:
        facts = [(label("agency", lang), result.agency_name or result.agency_id), (label("round", lang), result.round),
                 *status_pairs(record, lang)]
        _write_sheet(book, rlabel("record_title", lang), pd.DataFrame(facts, columns=["", " "]))
    for name, frame in zip(sheet_names(lang), frames, strict=True):
        _write_sheet(book, name, frame)
    book.properties.title = f"{label('report_title', lang)} — {result.agency_name or result.agency_id} {result.round}"
    book.properties.subject = label("footer", lang, questionnaire=result.questionnaire,
                                    qversion=result.questionnaire_version, rubric=result.rubric,
                                    rversion=result.rubric_version)
    book.properties.creator = "dmm-vn"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()  # type: ignore[no-any-return, union-attr]
    return safe_cell(value)  # no cell a spreadsheet would run as a formula


def _write_sheet(book: Workbook, name: str, frame: pd.DataFrame) -> None:
    sheet = book.create_sheet(title=name[:31])
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    for index, column in enumerate(frame.columns, start=1):
        values = [str(column)] + ["" if v is None else str(v) for v in frame[column].tolist()]
        width = min(MAX_WIDTH, max(8, *(len(v) for v in values)) + 2)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions
