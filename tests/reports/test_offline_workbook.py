"""The offline Excel workbook: one sheet per dimension with the level statements and drop-downs;
round trip (assessment -> workbook -> import -> same answers); a corrupted workbook is refused cell
by cell and nothing is stored."""

from __future__ import annotations

import io

import openpyxl
import pytest

from reports.offline_workbook import offline_workbook, read_offline_workbook
from scoring.content import Bundle, load_bundle
from scoring.response_frame import response_to_yaml
from scoring.schemas.response import Response
from storage import Scope, Store
from tests.ui.conftest import AGENCY, sample_response
from ui import journey

NATIONAL = Scope.national()


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle()


def blank(bundle: Bundle) -> Response:
    return Response(questionnaire=bundle.questionnaire.id, version=bundle.questionnaire.version, agency=AGENCY,
                    round="2026", answers={}, notes={})


def test_one_sheet_per_dimension_with_statements_and_drop_downs(bundle: Bundle) -> None:
    book = openpyxl.load_workbook(io.BytesIO(offline_workbook(bundle, blank(bundle), "vi")))
    dimensions = bundle.questionnaire.dimensions
    assert book.sheetnames[0] == "Hướng dẫn"
    assert len([s for s in book.sheetnames if s[0].isdigit()]) == len(dimensions)
    sheet = book[book.sheetnames[1]]
    first = dimensions[0].questions[0]
    assert sheet["A2"].value == first.id and sheet["B2"].value == first.text.vi
    assert [sheet.cell(row=2, column=c).value for c in range(7, 12)] == [o.statement.vi for o in first.options]
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert any(v.type == "list" and "Không áp dụng" in v.formula1 and "C2" in ref for ref, v in rules.items())
    numeric_row = next(i for i, q in enumerate(dimensions[0].questions, start=2) if q.kind == "numeric")
    assert any(v.type == "decimal" and f"C{numeric_row}" in ref for ref, v in rules.items())
    assert book["_meta"].sheet_state == "hidden"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_round_trip_gives_the_same_answers(bundle: Bundle, lang: str, tmp_path) -> None:
    original = sample_response(bundle, seed=7)
    read = read_offline_workbook(offline_workbook(bundle, original, lang), "x.xlsx", bundle)
    assert read.problems == []
    assert read.response == original
    # ...and through the app's import into a database.
    store = Store(f"sqlite:///{tmp_path / 'wb.sqlite3'}")
    outcome = journey.import_response_bytes(response_to_yaml(read.response).encode(), "x.xlsx", bundle, store,
                                            NATIONAL, "t")
    assert outcome.ok and store.to_response(outcome.info.id, NATIONAL) == original


def test_filled_offline_with_decimal_comma_and_words(bundle: Bundle) -> None:
    book = openpyxl.load_workbook(io.BytesIO(offline_workbook(bundle, blank(bundle), "vi")))
    sheet = book[book.sheetnames[1]]
    questions = bundle.questionnaire.dimensions[0].questions
    numeric_row = next(i for i, q in enumerate(questions, start=2) if q.kind == "numeric")
    sheet["C2"] = 4
    sheet["C3"] = "Không áp dụng"
    sheet["E3"] = "Xã không có bộ phận này"
    sheet["C4"] = "Chưa rõ"
    sheet[f"C{numeric_row}"] = "62,5 %"
    sheet["F2"] = "Quyết định 12/QĐ-UBND"
    buffer = io.BytesIO()
    book.save(buffer)
    read = read_offline_workbook(buffer.getvalue(), "x.xlsx", bundle)
    assert read.problems == []
    answers = read.response.answers
    assert (answers[questions[0].id], answers[questions[1].id], answers[questions[2].id]) == (4, "na", "dont_know")
    assert answers[questions[numeric_row - 2].id] == 62.5
    assert read.response.notes[questions[1].id].na_reason == "Xã không có bộ phận này"
    assert read.response.notes[questions[0].id].evidence == "Quyết định 12/QĐ-UBND"


def test_a_corrupted_workbook_is_refused_cell_by_cell(bundle: Bundle, tmp_path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(offline_workbook(bundle, sample_response(bundle), "vi")))
    first, second = book[book.sheetnames[1]], book[book.sheetnames[2]]
    questions = bundle.questionnaire.dimensions[0].questions
    numeric_row = next(i for i, q in enumerate(questions, start=2) if q.kind == "numeric")
    first["C2"] = 7
    first["C3"] = "Không áp dụng"
    first["E3"] = None
    first[f"C{numeric_row}"] = "sáu mươi"
    second["A2"] = "architecture.no_such_question"
    buffer = io.BytesIO()
    book.save(buffer)
    read = read_offline_workbook(buffer.getvalue(), "dak_ha.xlsx", bundle)
    assert read.response is None
    vietnamese = "\n".join(read_offline_workbook(buffer.getvalue(), "dak_ha.xlsx", bundle, "vi").problems)
    assert f"trang tính '{first.title}', ô C2: '7' không phải một cấp" in vietnamese
    text = "\n".join(read.problems)
    assert f"sheet '{first.title}', cell C2: '7' is not a level" in text
    assert f"sheet '{first.title}', cell E3: “not applicable” needs a reason" in text
    assert f"sheet '{first.title}', cell C{numeric_row}: 'sáu mươi' is not a percentage" in text
    assert f"sheet '{second.title}', cell A2: 'architecture.no_such_question' is not a question" in text
    assert f"sheet '{second.title}': the row of question {bundle.questionnaire.dimensions[1].questions[0].id} " \
           "is missing" in text


def test_not_a_workbook(bundle: Bundle) -> None:
    read = read_offline_workbook(b"PK\x03\x04 broken", "x.xlsx", bundle)
    assert read.response is None and "not an Excel workbook" in read.problems[0]
    read = read_offline_workbook(b"hello", "x.xlsx", bundle)
    assert read.response is None and read.problems
