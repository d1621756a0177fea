"""The printable criteria handbook: every dimension, question and level statement, straight from the YAML.

Generated from the loaded bundle each time, so the handbook can never drift from the model the
app scores with. Labels are bilingual here because reports never import the UI.
"""

from __future__ import annotations

from fpdf.enums import XPos, YPos

from reports.base import FONT_FAMILY, ReportPDF, nfc
from scoring.content import Bundle
from scoring.schemas.base import LEVELS, Text
from scoring.schemas.questionnaire import Question
from trainer.criteria import level_definitions, question_levels
from trainer.targets import year_indicators, year_summary

LABELS: dict[str, Text] = {
    "title": Text(vi="Sổ tay tiêu chí đánh giá mức độ trưởng thành quản trị dữ liệu",
                  en="Criteria handbook: data-management maturity"),
    "subtitle": Text(vi="Bộ câu hỏi {qid} phiên bản {version} · Thang chấm: {rubric} · {targets}",
                     en="Questionnaire {qid} version {version} · Rubric: {rubric} · {targets}"),
    "footer": Text(vi="Sổ tay tiêu chí {qid} {version} — tạo tự động từ bộ câu hỏi",
                   en="Criteria handbook {qid} {version} — generated from the questionnaire"),
    "how_to_read": Text(vi="Cách đọc sổ tay", en="How to read this handbook"),
    "how_to_read_text": Text(
        vi="Mỗi lĩnh vực gồm các câu hỏi; mỗi câu hỏi mô tả 5 cấp độ bằng một tiêu chí có thể kiểm chứng và các "
           "minh chứng cần xem. Cơ quan chọn cấp có tiêu chí mô tả đúng thực tế của mình và lưu minh chứng tương "
           "ứng. Câu hỏi tỷ lệ (%) được quy đổi ra cấp theo các ngưỡng của thang chấm.",
        en="Each dimension has questions; each question describes five levels with a checkable statement and the "
           "evidence to look at. The agency picks the level whose statement matches its practice and keeps the "
           "matching evidence. Percentage questions are converted to levels with the rubric's thresholds."),
    "levels": Text(vi="Các cấp độ trưởng thành", en="The maturity levels"),
    "level": Text(vi="Cấp", en="Level"),
    "name": Text(vi="Tên", en="Name"),
    "definition": Text(vi="Định nghĩa", en="Definition"),
    "scoring": Text(vi="Cách xác định cấp độ", en="How the level is determined"),
    "targets": Text(vi="Mục tiêu năm 2027 và 2030", en="Targets for 2027 and 2030"),
    "year_column": Text(vi="Năm", en="Year"),
    "agency_level": Text(vi="Cấp tối thiểu của cơ quan", en="Minimum agency level"),
    "dimension_levels": Text(vi="Cấp tối thiểu của mỗi lĩnh vực", en="Minimum level of each dimension"),
    "all_dimensions": Text(vi="mọi lĩnh vực từ cấp {level} trở lên", en="every dimension at level {level} or above"),
    "population": Text(vi="Mục tiêu chung", en="Population target"),
    "population_item": Text(vi="{share}% cơ quan đạt từ cấp {level} trở lên",
                            en="{share}% of agencies at level {level} or above"),
    "indicators": Text(vi="Chỉ tiêu tỷ lệ đến năm {year}", en="Percentage indicators for {year}"),
    "indicator": Text(vi="Chỉ tiêu", en="Indicator"),
    "question": Text(vi="Câu hỏi", en="Question"),
    "target": Text(vi="Mục tiêu", en="Target"),
    "source": Text(vi="Căn cứ", en="Source"),
    "criteria": Text(vi="Tiêu chí theo lĩnh vực", en="Criteria by dimension"),
    "guidance": Text(vi="Hướng dẫn", en="Guidance"),
    "statement": Text(vi="Tiêu chí", en="Statement"),
    "evidence": Text(vi="Minh chứng", en="Evidence"),
    "numeric": Text(vi="Câu hỏi tỷ lệ (%): cấp độ theo ngưỡng của thang chấm.",
                    en="Percentage question: the level follows the rubric's thresholds."),
    "indicator_targets": Text(vi="Mục tiêu của chỉ tiêu «{name}»: {targets}.",
                              en="Targets of the indicator “{name}”: {targets}."),
    "questions_count": Text(vi="{count} câu hỏi", en="{count} questions"),
    "required_by": Text(vi="Yêu cầu đến năm", en="Required by"),
    "guidance_title": Text(vi="Hướng dẫn người trả lời", en="Guidance for respondents"),
    "glossary": Text(vi="Thuật ngữ", en="Glossary"),
    "term": Text(vi="Thuật ngữ", en="Term"),
    "applies_to": Text(vi="Áp dụng cho", en="Asked of"),
    "type_ministry": Text(vi="bộ, cơ quan trung ương", en="ministries and central agencies"),
    "type_province": Text(vi="tỉnh, thành phố", en="provinces"),
    "type_commune": Text(vi="xã, phường", en="communes and wards"),
    "type_guidance": Text(vi="Với {type}", en="For {type}"),
    "providable": Text(vi="Xã, phường có thể trả lời «Do tỉnh bảo đảm» (tính như cấp độ {level}).",
                       en="A commune may answer “provided by the province” (counts as level {level})."),
    "good_enough": Text(vi="Đã đủ chưa?", en="Good enough?"),
    "next_steps": Text(vi="Bước tiếp theo", en="Next steps"),
}


def label(key: str, lang: str, **values: object) -> str:
    text = LABELS[key].get(lang)
    return text.format(**values) if values else text


def _pct(value: float) -> str:
    return f"{value:g}%"


def criteria_handbook_pdf(bundle: Bundle, lang: str = "vi") -> bytes:
    """Every dimension, question id and text, the five level statements with evidence, the level
    definitions and the 2027/2030 targets, as an A4 PDF in `lang` ('vi' or 'en')."""
    q = bundle.questionnaire
    pdf = ReportPDF(
        title=label("title", lang),
        subtitle=label("subtitle", lang, qid=q.id, version=q.version, rubric=bundle.rubric.name.get(lang),
                       targets=bundle.targets.name.get(lang)),
        footer_note=label("footer", lang, qid=q.id, version=q.version),
    )
    pdf.alias_nb_pages()
    pdf.paragraph(q.description.get(lang))
    pdf.heading(label("how_to_read", lang), size=12)
    pdf.paragraph(label("how_to_read_text", lang))

    for item in q.respondent_guidance:
        if item is q.respondent_guidance[0]:
            pdf.heading(label("guidance_title", lang), size=12)
        pdf.paragraph(item.title.get(lang), bold=True, size=9.5)
        pdf.paragraph(item.text.get(lang), size=9)
        pdf.ln(1)

    pdf.heading(label("levels", lang), size=12)
    levels = level_definitions(bundle, lang)
    required: dict[int, list[str]] = {}
    for year in bundle.years:  # which level each target year requires of every agency
        required.setdefault(bundle.targets.years[year].agency_min_level, []).append(year)
    pdf.data_table([label("level", lang), label("name", lang), label("definition", lang), label("required_by", lang)],
                   [[str(r.level), r.name, r.definition, ", ".join(required.get(int(r.level), []))]
                    for r in levels.itertuples()], widths=(12, 32, 116, 20))
    pdf.heading(label("scoring", lang), size=12)
    pdf.paragraph(bundle.rubric.description.get(lang))

    _targets(pdf, bundle, lang)
    if q.glossary:
        pdf.heading(label("glossary", lang), size=12)
        pdf.data_table([label("term", lang), label("definition", lang)],
                       [[g.term.get(lang), g.definition.get(lang)] for g in q.glossary], widths=(45, 135), size=8.5)

    pdf.add_page()
    pdf.heading(label("criteria", lang), size=14)
    for number, dimension in enumerate(q.dimensions, start=1):
        if number > 1:
            pdf.add_page()
        title = f"{number}. {dimension.name.get(lang)}"
        pdf.start_section(nfc(title))
        pdf.heading(title, size=13)
        pdf.set_text_color(90)
        pdf.paragraph(f"{dimension.id} · " + label("questions_count", lang, count=len(dimension.questions)), size=8.5)
        pdf.set_text_color(0)
        pdf.paragraph(dimension.description.get(lang), size=9)
        for question in dimension.questions:
            _question(pdf, bundle, question, lang)
    return pdf.to_bytes()


def _targets(pdf: ReportPDF, bundle: Bundle, lang: str) -> None:
    pdf.heading(label("targets", lang), size=12)
    pdf.paragraph(f"{label('source', lang)}: {bundle.targets.source.get(lang)}", size=9)
    names = {d.id: d.name.get(lang) for d in bundle.questionnaire.dimensions}
    rows = []
    for year in bundle.years:
        summary = year_summary(bundle, year)
        required = set(summary.dimension_levels.values())
        if len(required) == 1:
            dims = label("all_dimensions", lang, level=required.pop())
        else:
            dims = "; ".join(f"{names[d]}: {lv}" for d, lv in summary.dimension_levels.items())
        population = "; ".join(label("population_item", lang, share=f"{share * 100:g}", level=lv)
                               for lv, share in summary.population)
        rows.append([year, str(summary.agency_min_level), dims, population])
    pdf.data_table([label("year_column", lang), label("agency_level", lang), label("dimension_levels", lang),
                    label("population", lang)], rows, widths=(18, 32, 55, 75), size=8.5)
    for year in bundle.years:
        indicators = year_indicators(bundle, year, lang)
        if not indicators.empty:
            pdf.paragraph(label("indicators", lang, year=year), bold=True, size=9)
            pdf.ln(1)
            pdf.data_table([label("indicator", lang), label("question", lang), label("target", lang)],
                           [[r.name, r.question_id, _pct(r.target)] for r in indicators.itertuples()],
                           widths=(95, 65, 20), size=8)


def _question(pdf: ReportPDF, bundle: Bundle, question: Question, lang: str) -> None:
    if pdf.get_y() > pdf.h - 70:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, "B", 10)
    pdf.multi_cell(0, 5, nfc(f"{question.id}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.paragraph(question.text.get(lang), size=10, bold=True)
    if question.guidance:
        pdf.set_text_color(70)
        pdf.paragraph(f"{label('guidance', lang)}: {question.guidance.get(lang)}", size=8.5)
        pdf.set_text_color(0)
    if question.applies_to is not None:
        asked = ", ".join(label(f"type_{t}", lang) for t in question.agency_types)
        pdf.paragraph(f"{label('applies_to', lang)}: {asked}", size=8.5)
    for agency_type, text in question.type_guidance.items():
        pdf.paragraph(f"{label('type_guidance', lang, type=label(f'type_{agency_type}', lang))}: {text.get(lang)}",
                      size=8.5)
    if question.providable:
        pdf.paragraph(label("providable", lang, level=bundle.rubric.provided_level or 3), size=8.5)
    if question.kind == "numeric":
        pdf.paragraph(label("numeric", lang), size=8.5)
        indicator = next((i for i in bundle.targets.indicators if i.question == question.id), None)
        if indicator is not None:
            targets = ", ".join(f"{year}: {_pct(value)}" for year, value in sorted(indicator.targets.items()))
            pdf.paragraph(label("indicator_targets", lang, name=indicator.name.get(lang), targets=targets), size=8.5)
    pdf.ln(1)
    level_names = {d.level: d.name.get(lang) for d in bundle.questionnaire.levels}
    texts = question_levels(bundle, question)
    rows = [[f"{level}\n{level_names[level]}", _statement_cell(question, level, texts[level][0].get(lang), lang),
             texts[level][1].get(lang)] for level in LEVELS]
    pdf.data_table([label("level", lang), label("statement", lang), label("evidence", lang)], rows,
                   widths=(24, 96, 60), size=8)


def _statement_cell(question: Question, level: int, statement: str, lang: str) -> str:
    """The level's statement, then (model 2.x) whether it is good enough and how to get to the next level."""
    if question.kind != "level":
        return statement
    option = question.option(level)
    parts = [statement]
    for key, text in (("good_enough", option.good_enough), ("next_steps", option.next_steps)):
        if text is not None:
            parts.append(f"{label(key, lang)}: {text.get(lang)}")
    return "\n".join(parts)
