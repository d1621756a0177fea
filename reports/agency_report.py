"""One agency's result as a PDF in Vietnamese or English: who, when, which questionnaire and rubric
versions, the overall and per-dimension levels, the charts, the status against the 2027 and 2030
targets, the gaps, the indicators and the roadmap. Every number comes from `AgencyResult`.
"""

from __future__ import annotations

from datetime import date

from reports.base import ReportPDF, chart_png
from reports.charts import dimension_bar, dimension_radar
from reports.dates import format_date
from reports.record import RecordFacts, answers_section, rlabel, signature_block, status_pairs
from reports.tables import (
    agency_type_label,
    dimension_frame,
    fmt_level,
    fmt_score,
    gap_rows,
    indicator_state_text,
    indicator_value_text,
    indicators_count_text,
    label,
    level_name,
    light_text,
    overall_light,
    province_label,
    text,
)
from scoring import numbers
from scoring.content import Bundle
from scoring.results import AgencyResult


def agency_pdf(result: AgencyResult, bundle: Bundle, lang: str, provisional: bool = False,
               today: date | None = None, record: RecordFacts | None = None) -> bytes:
    """The agency's report as PDF bytes. `provisional` marks a draft's result as such. With `record`
    (status, submitter, dates, documents) it is the agency's full record: every answer with its
    statement, reasons, notes and documents, and a signature / approval block. A table of contents
    follows the first page; every page is numbered "n/total"."""
    rubric = bundle.rubric
    footer = label("footer", lang, questionnaire=result.questionnaire, qversion=result.questionnaire_version,
                   rubric=result.rubric, rversion=result.rubric_version)
    pdf = ReportPDF(title=label("report_title", lang), subtitle=result.agency_name or result.agency_id,
                    footer_note=footer, lang=lang)
    if provisional:
        pdf.set_text_color(180, 30, 30)
        pdf.paragraph(label("provisional", lang), size=10, bold=True)
        pdf.set_text_color(0)
        pdf.ln(1)
    reading = label(f"reading_{result.official_reading}", lang)
    pairs = [
        (label("agency", lang), result.agency_name or ""),
        (label("agency_id", lang), result.agency_id),
        (label("agency_type", lang), agency_type_label(result.agency_type, lang)),
    ]
    if result.province:
        pairs.append((label("province", lang), province_label(result.province)))
    pairs += [
        (label("round", lang), result.round),
        (label("date", lang), format_date(today or date.today(), lang)),
        (label("questionnaire", lang),
         f"{text(bundle.questionnaire.title, lang)} ({result.questionnaire}, {label('version', lang)} "
         f"{result.questionnaire_version})"),
        (label("rubric", lang), f"{text(rubric.name, lang)} ({result.rubric}, {label('version', lang)} "
                                f"{result.rubric_version})"),
        (label("official_reading", lang), reading),
    ]
    if record is not None:
        pairs += status_pairs(record, lang)
    pdf.key_values(pairs)
    pdf.add_page()
    pdf.table_of_contents(rlabel("toc", lang))

    pdf.section(label("section_summary", lang))
    official = result.overall_level
    pdf.paragraph(f"{label('overall_level', lang)}: {level_name(bundle, official, lang)}", size=12, bold=True)
    pdf.key_values([
        (label("overall_score", lang), fmt_score(result.overall_score, lang)),
        (label("gated_level", lang) + (" ★" if result.official_reading == "gated" else ""),
         fmt_level(result.overall_gated_level, lang)),
        (label("continuous_level", lang) + (" ★" if result.official_reading == "continuous" else ""),
         fmt_level(result.overall_continuous_level, lang)),
    ])
    pdf.ln(1)
    pdf.heading(label("section_targets", lang), size=11)
    target_rows = []
    for year in bundle.years:
        status = result.targets[year]
        target_rows.append([
            year,
            f"{label('level', lang)} {status.required_level}",
            light_text(overall_light(result, year), lang, bundle, long=True, emoji=False),
            "—" if status.level_gap is None else str(status.level_gap),
            indicators_count_text(status),
        ])
    pdf.data_table(
        [label("year", lang), label("required_level", lang), label("status", lang), label("gap", lang),
         label("indicator", lang) + " (" + label("met", lang).lower() + ")"],
        target_rows, widths=(18, 30, 72, 25, 35),
    )

    pdf.section(label("section_dimensions", lang))
    frame = dimension_frame(result, bundle, lang)
    header = [label("dimension", lang), label("level", lang), label("score", lang), label("gated_level", lang),
              label("continuous_level", lang)] + [label("status_year", lang, year=y) for y in bundle.years]
    rows = []
    for row in frame.itertuples(index=False):
        rows.append(
            [f"{row.number}. {row.dimension}", fmt_level(_int(row.level), lang), fmt_score(row.score, lang),
             fmt_level(_int(row.gated_level), lang), fmt_level(_int(row.continuous_level), lang)]
            + [light_text(getattr(row, f"light_{y}"), lang, emoji=False) for y in bundle.years]
        )
    pdf.data_table(header, rows, widths=(62, 16, 16, 22, 22) + (21,) * len(bundle.years), size=8)

    if pdf.get_y() > pdf.h - 110:
        pdf.add_page()
    pdf.section(label("section_charts", lang))
    pdf.image_png(chart_png(dimension_bar(result, bundle, lang).to_dict()), width=180)
    if pdf.get_y() > pdf.h - 130:
        pdf.add_page()
    pdf.image_png(chart_png(dimension_radar(result, bundle, lang).to_dict()), width=150)

    pdf.section(label("section_gaps", lang))
    gaps = gap_rows(result, bundle, lang)
    if not gaps:
        pdf.paragraph(label("no_gaps", lang))
    else:
        pdf.data_table(
            [label("year", lang), label("kind", lang), label("item", lang), label("target", lang),
             label("current_level", lang), label("gap", lang)],
            [[g["year"], label(f"kind_{g['kind']}", lang), g["item"], _fmt(g["target"], g["kind"]),
              _current(g, lang), "—" if g["gap"] is None else _fmt(g["gap"], g["kind"])] for g in gaps],
            widths=(14, 24, 78, 20, 26, 18), size=8,
        )

    pdf.section(label("section_indicators", lang))
    indicator_rows = []
    for year in bundle.years:
        for indicator in result.targets[year].indicators:
            indicator_rows.append([
                year, indicator.name.get(lang),
                indicator_value_text(indicator, lang),
                f"≥ {numbers.fmt_percent_value(indicator.target, lang)}",
                indicator_state_text(indicator, lang, emoji=False),
            ])
    pdf.data_table([label("year", lang), label("indicator", lang), label("value", lang), label("target", lang),
                    label("status", lang)], indicator_rows, widths=(14, 98, 22, 22, 24), size=8)

    pdf.section(label("section_roadmap", lang))
    if not result.next_steps:
        pdf.paragraph(label("no_steps", lang))
    names = {d.id: d.name.get(lang) for d in bundle.questionnaire.dimensions}
    for step in result.next_steps:
        pdf.paragraph(
            f"{names.get(step.dimension_id, step.dimension_id)} → {label('level', lang)} {step.level}"
            f" ({label('for_years', lang)}: {', '.join(step.for_years)})", size=9.5, bold=True,
        )
        if not step.criteria:
            pdf.paragraph("• " + label("no_criteria", lang), size=8.5)
        for criterion in step.criteria:
            question = bundle.questionnaire.question(criterion.question_id)
            current = (str(criterion.current_level) if criterion.current_level is not None
                       else label(f"state_{criterion.current_status}", lang))
            pdf.paragraph(f"• {question.text.get(lang)} [{label('current_level', lang)}: {current}]", size=8.5)
            pdf.paragraph(f"   → {criterion.statement.get(lang)}", size=8.5)
            pdf.paragraph(f"   {label('evidence_needed', lang)}: {criterion.evidence.get(lang)}", size=8)
        pdf.ln(1)
    if record is not None:
        answers_section(pdf, result, bundle, lang, record)
        signature_block(pdf, lang, today or date.today())
    return pdf.to_bytes()


def _int(value: object) -> int | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else int(number)


def _fmt(value: object, kind: object) -> str:
    if value is None:
        return "—"
    if kind == "indicator":
        return f"{float(value):g}%"  # type: ignore[arg-type]
    return str(value)


def _current(row: dict[str, object], lang: str) -> str:
    if row["current"] is None:
        return label("not_rated", lang) if row["kind"] == "dimension" else label("no_value", lang)
    return _fmt(row["current"], row["kind"])
