"""What turns the agency's report into its official record: status, submitter and dates, every answer
with its level statement, N/A reason, "don't know" flag, evidence notes and document names, and the
signature / approval block. `agency_report.agency_pdf` and `excel.agency_workbook` take a
`RecordFacts` (built by the UI from storage) and call these pieces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from reports.base import FONT_FAMILY, ReportPDF, nfc
from reports.dates import format_date, format_datetime
from scoring.content import Bundle
from scoring.results import AgencyResult
from scoring.schemas.questionnaire import Question

LABELS: dict[str, tuple[str, str]] = {
    "record_title": ("Hồ sơ bản đánh giá", "Assessment record"),
    "status": ("Tình trạng", "Status"),
    "status_draft": ("Bản nháp (chưa nộp)", "Draft (not submitted)"),
    "status_submitted": ("Đã nộp", "Submitted"),
    "status_returned": ("Được trả lại để sửa", "Returned for changes"),
    "status_accepted": ("Đã được chấp nhận", "Accepted"),
    "submitted_by": ("Người nộp", "Submitted by"),
    "submitted_at": ("Ngày nộp", "Submitted on"),
    "created_at": ("Ngày tạo", "Created on"),
    "updated_at": ("Cập nhật lần cuối", "Last changed"),
    "reviewed_by": ("Người thẩm định", "Reviewed by"),
    "accepted_at": ("Ngày chấp nhận", "Accepted on"),
    "deadline": ("Hạn nộp của kỳ", "Round deadline"),
    "documents_total": ("Tài liệu minh chứng", "Evidence documents"),
    "toc": ("Mục lục", "Contents"),
    "section_answers": ("Câu trả lời chi tiết", "Answers in full"),
    "question": ("Câu", "Question"),
    "answer": ("Trả lời", "Answer"),
    "statement": ("Mô tả mức đã chọn", "Statement of the chosen level"),
    "na_reason": ("Lý do không áp dụng", "Reason for N/A"),
    "dont_know": ("Chưa rõ", "Don't know"),
    "dont_know_flag": ("Đánh dấu “chưa rõ”: câu này không được tính điểm", "Marked “don't know”: not scored"),
    "evidence_note": ("Ghi chú minh chứng", "Evidence notes"),
    "documents": ("Tài liệu đính kèm", "Attached documents"),
    "none": ("—", "—"),
    "unanswered": ("Chưa trả lời", "Unanswered"),
    "not_applicable": ("Không áp dụng", "Not applicable"),
    "dimension_comment": ("Nhận xét của cơ quan về lĩnh vực", "The agency's comment on this dimension"),
    "section_signature": ("Xác nhận và phê duyệt", "Confirmation and approval"),
    "signature_intro": (
        "Cơ quan xác nhận các câu trả lời và minh chứng trong hồ sơ này là đúng với thực trạng tại ngày lập.",
        "The agency confirms that the answers and evidence in this record are true on the date it was made.",
    ),
    "prepared_by": ("Người lập", "Prepared by"),
    "approved_by": ("Thủ trưởng cơ quan phê duyệt", "Approved by the head of the agency"),
    "sign_line": ("(Ký, ghi rõ họ tên, chức vụ)", "(Signature, full name, position)"),
    "sign_date": ("Ngày ...... tháng ...... năm ............", "Date: ........................................"),
    "stamp": ("(Đóng dấu)", "(Official seal)"),
}


def rlabel(key: str, lang: str, **values: object) -> str:
    vi, en = LABELS[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text


@dataclass(frozen=True)
class RecordFacts:
    """What storage knows about the assessment beyond its answers."""

    status: str = "draft"
    created_at: datetime | None = None
    updated_at: datetime | None = None
    submitted_at: datetime | None = None
    submitted_by: str | None = None
    reviewed_by: str | None = None
    accepted_at: datetime | None = None
    deadline: date | None = None
    documents: dict[str, list[str]] = field(default_factory=dict)  # question id -> file names
    dimension_comments: dict[str, str] = field(default_factory=dict)  # dimension id -> the agency's comment

    def document_count(self) -> int:
        return sum(len(v) for v in self.documents.values())


def status_pairs(record: RecordFacts, lang: str) -> list[tuple[str, str]]:
    """The record's facts as (label, value) rows, for the PDF's first page and the workbook."""
    status_key = f"status_{record.status}" if f"status_{record.status}" in LABELS else "status_draft"
    pairs = [(rlabel("status", lang), rlabel(status_key, lang))]
    if record.submitted_at is not None:
        pairs.append((rlabel("submitted_at", lang), format_datetime(record.submitted_at, lang)))
    if record.submitted_by:
        pairs.append((rlabel("submitted_by", lang), record.submitted_by))
    if record.reviewed_by:
        pairs.append((rlabel("reviewed_by", lang), record.reviewed_by))
    if record.accepted_at is not None:
        pairs.append((rlabel("accepted_at", lang), format_date(record.accepted_at, lang)))
    pairs.append((rlabel("created_at", lang), format_datetime(record.created_at, lang)))
    pairs.append((rlabel("updated_at", lang), format_datetime(record.updated_at, lang)))
    if record.deadline is not None:
        pairs.append((rlabel("deadline", lang), format_date(record.deadline, lang)))
    pairs.append((rlabel("documents_total", lang), str(record.document_count())))
    return pairs


def answer_words(bundle: Bundle, question: Question, answer: str | None, lang: str) -> tuple[str, str]:
    """(the answer, the statement it stands for): ("Cấp 3 · Chuẩn hóa", "<level 3 statement>"),
    ("62,5 %", "<the band's level>"), ("Không áp dụng", ""), ("Chưa rõ", "")."""
    if answer is None:
        return rlabel("unanswered", lang), ""
    if answer == "na":
        return rlabel("not_applicable", lang), ""
    if answer == "dont_know":
        return rlabel("dont_know", lang), ""
    if question.kind == "numeric":
        number = f"{float(answer):g}"
        return (number.replace(".", ",") if lang == "vi" else number) + " %", ""
    level = int(float(answer))
    name = bundle.questionnaire.level_definition(level).name.get(lang)
    prefix = "Cấp" if lang == "vi" else "Level"
    return f"{prefix} {level} · {name}", question.option(level).statement.get(lang)


def answers_section(pdf: ReportPDF, result: AgencyResult, bundle: Bundle, lang: str, record: RecordFacts) -> None:
    """Every question, dimension by dimension: id, text, answer, the chosen level's statement, N/A
    reason, don't-know flag, evidence notes and document names."""
    pdf.add_page()
    pdf.section(rlabel("section_answers", lang))
    for number, dimension in enumerate(bundle.questionnaire.dimensions, start=1):
        pdf.section(f"{number}. {dimension.name.get(lang)}", level=1, size=11.5)
        comment = record.dimension_comments.get(dimension.id)
        if comment:
            pdf.paragraph(f"{rlabel('dimension_comment', lang)}: {comment}", size=8.5)
        for question in dimension.questions:
            scored = result.questions[question.id]
            answer, statement = answer_words(bundle, question, scored.answer, lang)
            if pdf.get_y() > pdf.h - 45:
                pdf.add_page()
            pdf.set_fill_color(238, 242, 248)
            pdf.set_font(FONT_FAMILY, "B", 9)
            pdf.multi_cell(0, 5, nfc(f"{question.id} — {question.text.get(lang)}"), fill=True,
                           new_x="LMARGIN", new_y="NEXT")
            rows = [(rlabel("answer", lang), answer)]
            if statement:
                rows.append((rlabel("statement", lang), statement))
            if scored.status == "na" or scored.answer == "na":
                rows.append((rlabel("na_reason", lang), scored.na_reason or rlabel("none", lang)))
            if scored.answer == "dont_know":
                rows.append((rlabel("dont_know", lang), rlabel("dont_know_flag", lang)))
            rows.append((rlabel("evidence_note", lang), scored.evidence or rlabel("none", lang)))
            names = record.documents.get(question.id, [])
            rows.append((rlabel("documents", lang), "; ".join(names) if names else rlabel("none", lang)))
            pdf.key_values(rows, size=8.5, key_width=42)
            pdf.ln(1.5)


def signature_block(pdf: ReportPDF, lang: str, today: date) -> None:
    """Two columns to sign: who prepared the record, and the head of the agency who approves it."""
    if pdf.get_y() > pdf.h - 80:
        pdf.add_page()
    pdf.section(rlabel("section_signature", lang))
    pdf.paragraph(rlabel("signature_intro", lang), size=9.5)
    pdf.ln(4)
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    top = pdf.get_y()
    for column, title in enumerate(("prepared_by", "approved_by")):
        x = pdf.l_margin + column * width
        pdf.set_xy(x, top)
        pdf.set_font(FONT_FAMILY, "", 9)
        pdf.cell(width, 5, nfc(f"{format_date(today, lang)}" if column == 0 else rlabel("sign_date", lang)),
                 align="C")
        pdf.set_xy(x, top + 6)
        pdf.set_font(FONT_FAMILY, "B", 10)
        pdf.cell(width, 5, nfc(rlabel(title, lang)), align="C")
        pdf.set_xy(x, top + 11)
        pdf.set_font(FONT_FAMILY, "", 8)
        pdf.cell(width, 5, nfc(rlabel("sign_line", lang) + ("" if column == 0 else " " + rlabel("stamp", lang))),
                 align="C")
        pdf.line(x + 10, top + 42, x + width - 10, top + 42)
    pdf.set_xy(pdf.l_margin, top + 48)
