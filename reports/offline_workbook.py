"""Answering offline in Excel: a workbook generated from the questionnaire, and reading it back.

    Hướng dẫn / Instructions   how to fill it in
    1. <dimension>, 2. ...     one sheet per dimension, one row per question:
        A id | B question | C answer (drop-down: 1-5, N/A, don't know; numbers: a validated %) |
        D N/A or don't know for a number question (drop-down) | E N/A reason | F evidence notes |
        G-K the level statements 1-5 beside the question
    _meta (hidden)             questionnaire, version, agency, round, language

`offline_workbook(bundle, response, lang)` writes it (pre-filled with `response`'s answers, so an
assessment round-trips); `read_offline_workbook(raw, name, bundle)` reads it back into a `Response`
or returns every problem as "sheet 'X', cell C7: what is wrong". Nothing is returned to store unless
the whole file is valid.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scoring.answers import DONT_KNOW, NOT_APPLICABLE, parse_percent
from scoring.content import Bundle
from scoring.schemas.questionnaire import Question
from scoring.schemas.response import Agency, AnswerNote, Response

HEADER_FILL = PatternFill("solid", fgColor="E6ECF5")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
META_SHEET = "_meta"
FIRST_ROW = 2
COL_ID, COL_TEXT, COL_ANSWER, COL_SPECIAL, COL_REASON, COL_EVIDENCE = 1, 2, 3, 4, 5, 6
COL_STATEMENTS = 7  # G..K: levels 1..5

WORDS: dict[str, tuple[str, str]] = {
    "instructions": ("Hướng dẫn", "Instructions"),
    "id": ("Mã câu", "Question id"),
    "question": ("Câu hỏi", "Question"),
    "answer": ("Trả lời (chọn trong danh sách)", "Answer (pick from the list)"),
    "special": ("Câu số liệu: không áp dụng / chưa rõ", "Number question: N/A / don't know"),
    "reason": ("Lý do không áp dụng", "Reason for N/A"),
    "evidence": ("Ghi chú minh chứng", "Evidence notes"),
    "level": ("Cấp {level}", "Level {level}"),
    "na": ("Không áp dụng", "Not applicable"),
    "dont_know": ("Chưa rõ", "Don't know"),
    "how": (
        "Mỗi lĩnh vực một trang tính. Ở cột C chọn cấp (1-5) có mô tả (cột G-K) đúng nhất với cơ quan, hoặc "
        "“Không áp dụng” (khi đó ghi lý do ở cột E) hoặc “Chưa rõ”. Câu số liệu: nhập tỉ lệ phần trăm ở cột C, hoặc "
        "chọn “Không áp dụng”/“Chưa rõ” ở cột D. Ghi minh chứng ở cột F. Không sửa cột A và không đổi tên trang "
        "tính. Khi xong, tải tệp lên ở trang Bắt đầu: tệp chỉ được nhận khi mọi ô đều hợp lệ.",
        "One sheet per dimension. In column C pick the level (1-5) whose statement (columns G-K) fits the agency "
        "best, or “Not applicable” (then give the reason in column E) or “Don't know”. Number questions: type "
        "the percentage in column C, or pick “Not applicable”/“Don't know” in column D. Evidence in column F. Do "
        "not change column A or the sheet names. When done, upload the file on the Start page: it is accepted "
        "only when every cell is valid.",
    ),
}


PROBLEMS: dict[str, tuple[str, str]] = {
    "where_cell": (
        "trang tính '{sheet}', ô {cell}",
        "sheet '{sheet}', cell {cell}",
    ),
    "where_sheet": (
        "trang tính '{sheet}'",
        "sheet '{sheet}'",
    ),
    "not_workbook": (
        "{name}: không phải sổ Excel do công cụ này tạo ({kind})",
        "{name}: not an Excel workbook made by this tool ({kind})",
    ),
    "no_meta": (
        "{name}: thiếu trang ẩn '_meta': hãy tải lại sổ từ công cụ",
        "{name}: the hidden sheet '_meta' is missing: download the workbook from the tool again",
    ),
    "other_version": (
        "{name}: sổ dành cho bộ câu hỏi {found}, không phải {wanted}",
        "{name}: made for questionnaire {found}, not {wanted}",
    ),
    "no_sheet": (
        "{name}: thiếu trang tính của lĩnh vực {number} ({dimension})",
        "{name}: the sheet for dimension {number} ({dimension}) is missing",
    ),
    "no_id": (
        "mã câu hỏi bị xóa (cột A đã bị sửa)",
        "the question id is missing (column A was changed)",
    ),
    "unknown_id": (
        "{qid!r} không phải câu hỏi của lĩnh vực này",
        "{qid!r} is not a question of this dimension",
    ),
    "row_missing": (
        "thiếu dòng của câu {qid}",
        "the row of question {qid} is missing",
    ),
    "needs_reason": (
        "“không áp dụng” cần ghi lý do",
        "“not applicable” needs a reason",
    ),
    "special_level": (
        "cột này chỉ dành cho câu số liệu; chọn “không áp dụng” hoặc “chưa rõ” ở cột C",
        "this column is only for number questions; pick N/A or don't know in column C",
    ),
    "special_unknown": (
        "{text!r} không có trong danh sách (không áp dụng / chưa rõ)",
        "{text!r} is not in the list (not applicable / don't know)",
    ),
    "special_both": (
        "chỉ nhập tỉ lệ ở cột C hoặc chọn không áp dụng / chưa rõ ở đây, không cả hai",
        "give either a percentage in column C or N/A / don't know here, not both",
    ),
    "not_level": (
        "{text!r} không phải một cấp: chọn 1-5, không áp dụng hoặc chưa rõ",
        "{text!r} is not a level: pick 1-5, not applicable or don't know",
    ),
    "not_percent": (
        "{text!r} không phải tỉ lệ phần trăm",
        "{text!r} is not a percentage",
    ),
    "out_of_range": (
        "{text} nằm ngoài khoảng {low}-{high} %",
        "{text} is outside {low}-{high} %",
    ),
}


def _p(key: str, lang: str, **values: object) -> str:
    vi, en = PROBLEMS[key]
    return (en if lang == "en" else vi).format(**values)


def _w(key: str, lang: str, **values: object) -> str:
    vi, en = WORDS[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text


def sheet_title(number: int, name: str) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name."""
    clean = re.sub(r"[\[\]:*?/\\]", " ", name)
    return f"{number}. {clean}"[:31].rstrip()


def _special_words(lang: str) -> dict[str, str]:
    return {_w("na", lang): NOT_APPLICABLE, _w("dont_know", lang): DONT_KNOW}


def offline_workbook(bundle: Bundle, response: Response, lang: str) -> bytes:
    questionnaire = bundle.questionnaire
    book = Workbook()
    guide = book.active
    guide.title = _w("instructions", lang)
    guide["A1"] = questionnaire.title.get(lang)
    guide["A1"].font = Font(bold=True, size=13)
    guide["A3"] = _w("how", lang)
    guide["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    guide.column_dimensions["A"].width = 120
    guide.row_dimensions[3].height = 110
    guide["A5"] = f"{response.agency.name} · {response.round}"
    na_word, dk_word = _w("na", lang), _w("dont_know", lang)
    for number, dimension in enumerate(questionnaire.dimensions, start=1):
        sheet = book.create_sheet(sheet_title(number, dimension.name.get(lang)))
        header = [_w("id", lang), _w("question", lang), _w("answer", lang), _w("special", lang), _w("reason", lang),
                  _w("evidence", lang)] + [_w("level", lang, level=level) for level in range(1, 6)]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        levels = DataValidation(type="list", formula1=f'"1,2,3,4,5,{na_word},{dk_word}"', allow_blank=True,
                                showErrorMessage=True)
        specials = DataValidation(type="list", formula1=f'"{na_word},{dk_word}"', allow_blank=True,
                                  showErrorMessage=True)
        sheet.add_data_validation(levels)
        sheet.add_data_validation(specials)
        for row, question in enumerate(dimension.questions, start=FIRST_ROW):
            value = response.answers.get(question.id)
            note = response.notes.get(question.id)
            answer: object = None
            special = None
            if value == NOT_APPLICABLE:
                answer, special = (na_word, None) if question.kind == "level" else (None, na_word)
            elif value == DONT_KNOW:
                answer, special = (dk_word, None) if question.kind == "level" else (None, dk_word)
            elif value is not None:
                answer = int(value) if question.kind == "level" else float(value)
            cells = [question.id, question.text.get(lang), answer, special, note.na_reason if note else None,
                     note.evidence if note else None]
            if question.kind == "level":
                cells += [o.statement.get(lang) for o in question.options]
            for column, content in enumerate(cells, start=1):
                sheet.cell(row=row, column=column, value=content)
            answer_cell = sheet.cell(row=row, column=COL_ANSWER).coordinate
            if question.kind == "level":
                levels.add(answer_cell)
            else:
                numbers = DataValidation(type="decimal", operator="between", formula1=str(question.low),
                                         formula2=str(question.high), allow_blank=True, showErrorMessage=True)
                sheet.add_data_validation(numbers)
                numbers.add(answer_cell)
                specials.add(sheet.cell(row=row, column=COL_SPECIAL).coordinate)
            for column in (COL_ANSWER, COL_SPECIAL, COL_REASON, COL_EVIDENCE):
                sheet.cell(row=row, column=column).fill = INPUT_FILL
                sheet.cell(row=row, column=column).protection = Protection(locked=False)
            for column in range(1, COL_STATEMENTS + 5):
                sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True, vertical="top")
        widths = [26, 48, 16, 18, 28, 34] + [38] * 5
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
        sheet.freeze_panes = "C2"
    meta = book.create_sheet(META_SHEET)
    agency = response.agency
    for key, value in (("questionnaire", questionnaire.id), ("version", questionnaire.version),
                       ("agency_id", agency.id), ("agency_name", agency.name), ("agency_type", agency.type),
                       ("province", agency.province or ""), ("round", response.round), ("lang", lang)):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class WorkbookRead:
    response: Response | None = None
    problems: list[str] = field(default_factory=list)


def read_offline_workbook(raw: bytes, name: str, bundle: Bundle, lang: str = "en") -> WorkbookRead:
    """The workbook's answers as a Response, or every problem (sheet and cell, in `lang`) and no Response."""
    try:
        book = load_workbook(io.BytesIO(raw), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return WorkbookRead(problems=[_p("not_workbook", lang, name=name, kind=type(exc).__name__)])
    if META_SHEET not in book.sheetnames:
        return WorkbookRead(problems=[_p("no_meta", lang, name=name)])
    meta = {str(r[0]): "" if r[1] is None else str(r[1]) for r in book[META_SHEET].iter_rows(values_only=True) if r[0]}
    problems: list[str] = []
    questionnaire = bundle.questionnaire
    if meta.get("questionnaire") != questionnaire.id or meta.get("version") != questionnaire.version:
        problems.append(_p("other_version", lang, name=name, found=f"{meta.get('questionnaire')} {meta.get('version')}",
                           wanted=f"{questionnaire.id} {questionnaire.version}"))
        return WorkbookRead(problems=problems)
    specials: dict[str, str] = {}
    for words_lang in ("vi", "en"):
        specials.update({word.casefold(): value for word, value in _special_words(words_lang).items()})
    specials.update({NOT_APPLICABLE: NOT_APPLICABLE, DONT_KNOW: DONT_KNOW, "n/a": NOT_APPLICABLE})
    answers: dict[str, int | float | str] = {}
    notes: dict[str, AnswerNote] = {}
    requires_reason = bundle.rubric.not_applicable.requires_reason
    for number, dimension in enumerate(questionnaire.dimensions, start=1):
        title = next((s for s in book.sheetnames if s.startswith(f"{number}. ")), None)
        if title is None:
            problems.append(_p("no_sheet", lang, name=name, number=number, dimension=dimension.id))
            continue
        sheet = book[title]
        expected = {q.id: q for q in dimension.questions}
        seen: set[str] = set()
        for row in range(FIRST_ROW, sheet.max_row + 1):
            def cell(column: int, row: int = row, sheet: Worksheet = sheet) -> object:
                return sheet.cell(row=row, column=column).value

            def where(column: int, row: int = row, sheet: Worksheet = sheet, title: str = title) -> str:
                return _p("where_cell", lang, sheet=title, cell=sheet.cell(row=row, column=column).coordinate)

            qid = cell(COL_ID)
            if qid is None or str(qid).strip() == "":
                if any(cell(c) not in (None, "") for c in (COL_ANSWER, COL_SPECIAL, COL_REASON, COL_EVIDENCE)):
                    problems.append(f"{where(COL_ID)}: {_p('no_id', lang)}")
                continue
            qid = str(qid).strip()
            question = expected.get(qid)
            if question is None:
                problems.append(f"{where(COL_ID)}: {_p('unknown_id', lang, qid=qid)}")
                continue
            seen.add(qid)
            value, problem = _value(question, cell(COL_ANSWER), cell(COL_SPECIAL), specials, lang)
            if problem:
                column = COL_SPECIAL if problem.startswith("special:") else COL_ANSWER
                problems.append(f"{where(column)}: {problem.removeprefix('special:')}")
                continue
            reason = _text(cell(COL_REASON))
            evidence = _text(cell(COL_EVIDENCE))
            if value == NOT_APPLICABLE and requires_reason and not reason:
                problems.append(f"{where(COL_REASON)}: {_p('needs_reason', lang)}")
                continue
            if value is not None:
                answers[qid] = value
            if (reason and value == NOT_APPLICABLE) or evidence:
                notes[qid] = AnswerNote(na_reason=reason if value == NOT_APPLICABLE else None, evidence=evidence)
        for qid in expected:
            if qid not in seen:
                problems.append(f"{_p('where_sheet', lang, sheet=title)}: {_p('row_missing', lang, qid=qid)}")
    if problems:
        return WorkbookRead(problems=problems)
    agency = Agency(id=meta["agency_id"], name=meta["agency_name"], type=meta["agency_type"],
                    province=meta.get("province") or None)
    return WorkbookRead(response=Response(questionnaire=questionnaire.id, version=questionnaire.version,
                                          agency=agency, round=meta["round"], answers=answers, notes=notes))


def _text(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _value(question: Question, answer: object, special: object, specials: dict[str, str],
           lang: str) -> tuple[object, str | None]:
    """(the answer, None) or (None, what is wrong)."""
    special_text = _text(special)
    if special_text is not None:
        if question.kind == "level":
            return None, "special:" + _p("special_level", lang)
        mapped = specials.get(special_text.casefold())
        if mapped is None:
            return None, "special:" + _p("special_unknown", lang, text=special_text)
        if _text(answer) is not None:
            return None, "special:" + _p("special_both", lang)
        return mapped, None
    text = _text(answer)
    if text is None:
        return None, None
    if question.kind == "level":
        mapped = specials.get(text.casefold())
        if mapped is not None:
            return mapped, None
        if isinstance(answer, int | float) and float(answer).is_integer() and 1 <= int(answer) <= 5:
            return int(answer), None
        if text in {"1", "2", "3", "4", "5"}:
            return int(text), None
        return None, _p("not_level", lang, text=text)
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        number = float(answer)
    else:
        try:
            number = parse_percent(text)  # type: ignore[assignment]
        except ValueError:
            return None, _p("not_percent", lang, text=text)
    if number is None or not question.low <= number <= question.high:
        return None, _p("out_of_range", lang, text=text, low=f"{question.low:g}", high=f"{question.high:g}")
    return (int(number) if float(number).is_integer() else number), None
