"""The questionnaire as a printable blank form, for gathering answers on paper in a meeting: every
question with its id, the five level statements to tick, N/A (with a line for the reason) and
"don't know", a box for percentages, lines for evidence; a header to fill in and a page count."""

from __future__ import annotations

from reports.base import FONT_FAMILY, ReportPDF, nfc
from scoring.content import Bundle

LABELS: dict[str, tuple[str, str]] = {
    "title": ("Phiếu tự đánh giá mức độ trưởng thành quản trị dữ liệu (bản in để điền)",
              "Data-management maturity self-assessment (printable form)"),
    "agency": ("Cơ quan", "Agency"),
    "round": ("Kỳ đánh giá", "Round"),
    "respondent": ("Người trả lời, chức vụ", "Respondent, position"),
    "date": ("Ngày điền", "Date"),
    "how": ("Với mỗi câu, đánh dấu ☐ một mức mô tả đúng nhất thực trạng của cơ quan; nếu không áp dụng, ghi rõ lý do. "
            "Ghi số hiệu văn bản, đường dẫn hoặc tên tài liệu minh chứng. "
            "Sau đó nhập vào công cụ (mã câu ở đầu mỗi câu).",
            "For each question tick ☐ the one statement that best fits the agency; if it does not apply, give the "
            "reason. Write down the evidence (document numbers, links, file names). Then enter it in the tool (the "
            "question id starts each question)."),
    "level": ("Cấp", "Level"),
    "na": ("Không áp dụng — lý do:", "Not applicable — reason:"),
    "dont_know": ("Chưa rõ / chưa xác định được", "Don't know / cannot tell yet"),
    "percent": ("Tỉ lệ: ............ % (từ {low} đến {high})", "Share: ............ % (from {low} to {high})"),
    "evidence": ("Minh chứng:", "Evidence:"),
    "footer": ("Bộ câu hỏi {id} phiên bản {version}", "Questionnaire {id} version {version}"),
}


def _l(key: str, lang: str, **values: object) -> str:
    vi, en = LABELS[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text


def blank_questionnaire_pdf(bundle: Bundle, lang: str) -> bytes:
    questionnaire = bundle.questionnaire
    pdf = ReportPDF(title=_l("title", lang), subtitle=questionnaire.title.get(lang),
                    footer_note=_l("footer", lang, id=questionnaire.id, version=questionnaire.version), lang=lang)
    for key in ("agency", "round", "respondent", "date"):
        pdf.set_font(FONT_FAMILY, "B", 10)
        pdf.cell(50, 7, nfc(_l(key, lang)))
        pdf.set_font(FONT_FAMILY, "", 10)
        pdf.cell(0, 7, "." * 90, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.paragraph(_l("how", lang), size=9)
    for number, dimension in enumerate(questionnaire.dimensions, start=1):
        pdf.section(f"{number}. {dimension.name.get(lang)}", size=12)
        pdf.paragraph(dimension.description.get(lang), size=8.5)
        pdf.ln(1)
        for index, question in enumerate(dimension.questions, start=1):
            if pdf.get_y() > pdf.h - 55:
                pdf.add_page()
            pdf.set_fill_color(238, 242, 248)
            pdf.set_font(FONT_FAMILY, "B", 9.5)
            pdf.multi_cell(0, 5, nfc(f"{number}.{index}  [{question.id}]  {question.text.get(lang)}"), fill=True,
                           new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT_FAMILY, "", 8.5)
            if question.kind == "level":
                for option in question.options:
                    name = questionnaire.level_definition(option.level).name.get(lang)
                    pdf.multi_cell(0, 4.4, nfc(f"☐  {_l('level', lang)} {option.level} · {name}: "
                                               f"{option.statement.get(lang)}"),
                                   new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.multi_cell(0, 5, nfc(_l("percent", lang, low=f"{question.low:g}", high=f"{question.high:g}")),
                               new_x="LMARGIN", new_y="NEXT")
            pdf.multi_cell(0, 5, nfc(f"☐  {_l('na', lang)} " + "." * 70), new_x="LMARGIN", new_y="NEXT")
            pdf.multi_cell(0, 5, nfc(f"☐  {_l('dont_know', lang)}"), new_x="LMARGIN", new_y="NEXT")
            pdf.multi_cell(0, 6, nfc(f"{_l('evidence', lang)} " + "." * 95), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    return pdf.to_bytes()
