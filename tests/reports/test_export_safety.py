"""Exports a coordinator or an agency opens in a spreadsheet never run a cell as a formula, and the
PDFs survive any text length."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from coordinator.data import Population
from coordinator.selection import Filters
from reports import tables
from reports.agency_report import agency_pdf
from reports.excel import agency_workbook
from reports.national_report import national_report_pdf
from reports.record import RecordFacts
from scoring import agency_result, score
from scoring.bulk_csv import parse_bulk_csv
from scoring.content import Bundle, load_bundle
from scoring.response_frame import responses_frame
from scoring.schemas.response import AnswerNote
from scoring.spreadsheet_safety import safe_cell, safe_frame
from tests.coordinator.conftest import COUNTRY, population_frame
from tests.ui.conftest import AGENCY, sample_response
from ui.coordinator_view import csv_bytes, excel_bytes, national_report

HOSTILE = ['=HYPERLINK("http://evil.example","bấm vào đây")', "@SUM(1+1)*cmd|' /C calc'!A0", "+84-cmd", "-2+3",
           "\t=1", "=1+2"]


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+2", "'=1+2"), ("@SUM(A1)", "'@SUM(A1)"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("\t=1", "'\t=1"),
    ("-1.5", "-1.5"), ("+3", "+3"), ("85%", "85%"), ("Bộ Tài chính", "Bộ Tài chính"), (-7, -7), (None, None),
])
def test_safe_cell(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_safe_frame_is_the_same_rule_vectorised() -> None:
    frame = pd.DataFrame({"text": [*HOSTILE, "ok", None, "-1"], "n": range(len(HOSTILE) + 3)})
    frame["cat"] = frame["text"].astype("category")
    safe = safe_frame(frame)
    expected = [safe_cell(v) for v in frame["text"]]
    assert safe["text"].tolist() == expected and safe["cat"].tolist() == expected
    assert safe["n"].tolist() == frame["n"].tolist()


def no_formulas(xlsx: bytes) -> list[str]:
    """Every text cell of every sheet; fails if any cell is a formula."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


@pytest.fixture
def hostile_country(mini: Bundle) -> Population:
    frame = population_frame(COUNTRY)
    names = {agency_id: HOSTILE[i % len(HOSTILE)] for i, (agency_id, *_rest) in enumerate(COUNTRY)}
    frame["agency_name"] = frame["agency_id"].map(names)
    return Population.from_result(score(frame, mini))


def test_coordinator_excel_and_csv_neutralise_formulas(hostile_country: Population) -> None:
    texts = no_formulas(excel_bytes(hostile_country, Filters(), "2027", "en"))
    for name in HOSTILE:
        assert "'" + name in texts and name not in texts
    rows = list(csv.reader(io.StringIO(csv_bytes(hostile_country, Filters(), "2027", "en").decode("utf-8-sig"))))
    cells = [c for row in rows[1:] for c in row]
    assert all(not c.startswith(("=", "+", "@", "\t")) for c in cells)
    for name in HOSTILE:
        assert "'" + name in cells


@pytest.fixture(scope="module")
def shipped() -> Bundle:
    return load_bundle()


def hostile_result(bundle: Bundle, name: str, evidence: str):
    response = sample_response(bundle)
    first, na_question = bundle.questionnaire.questions[0].id, bundle.questionnaire.questions[3].id
    notes = {**response.notes, first: AnswerNote(evidence=evidence),
             na_question: AnswerNote(na_reason="+cmd không áp dụng")}
    response = response.model_copy(update={"notes": notes, "agency": AGENCY.model_copy(update={"name": name})})
    frame = responses_frame([response])
    return agency_result(score(frame, bundle), AGENCY.id, response.round), frame


def test_agency_excel_and_csv_neutralise_formulas(shipped: Bundle) -> None:
    result, _ = hostile_result(shipped, HOSTILE[0], HOSTILE[1])
    texts = no_formulas(agency_workbook(result, shipped, "vi", record=None))
    assert "'" + HOSTILE[1] in texts and "'+cmd không áp dụng" in texts
    answers = list(csv.DictReader(io.StringIO(tables.answers_csv(result).decode("utf-8-sig"))))
    assert {row["agency_name"] for row in answers} == {"'" + HOSTILE[0]}
    assert "'" + HOSTILE[1] in {row["evidence"] for row in answers}
    # The answers CSV is also the bulk import format: read back, the texts are as typed.
    back, problems = parse_bulk_csv(tables.answers_csv(result), "answers.csv", shipped)
    assert not [p for p in problems if not p.warning]
    assert set(back["agency_name"]) == {HOSTILE[0]} and HOSTILE[1] in set(back["evidence"])
    dimensions = tables.dimensions_csv(result, shipped, "en").decode("utf-8-sig")
    assert not any(line.startswith(("=", "@", "+")) for line in dimensions.splitlines())


def test_pdfs_survive_any_text_length(shipped: Bundle, hostile_country: Population) -> None:
    long_name = "Ủy ban nhân dân " * 150  # 2,400 characters
    result, _ = hostile_result(shipped, long_name, "Biên bản " * 600 + "x" * 3000)  # 8,400 characters
    assert agency_pdf(result, shipped, "vi").startswith(b"%PDF")
    record = RecordFacts(status="submitted", submitted_by="lan",
                         documents={shipped.questionnaire.questions[0].id: ["x" * 300 + ".pdf"]})
    assert agency_pdf(result, shipped, "vi", record=record).startswith(b"%PDF")  # every answer, in full
    frame = population_frame(COUNTRY)
    frame["agency_name"] = long_name + "x" * 5000
    pop = Population.from_result(score(frame, hostile_country.bundle))
    assert national_report_pdf(national_report(pop, Filters(), "2027", "vi")).startswith(b"%PDF")
