"""One agency's result as plain tables, in Vietnamese or English: the per-dimension table, answers,
gaps, indicators and next steps. The results page, the PDF, the Excel workbook and the CSV files
all read these, so every output shows the same numbers (all taken from `AgencyResult`, never
recomputed).
"""

from __future__ import annotations

import io

import pandas as pd

from scoring import numbers
from scoring.content import Bundle
from scoring.results import AgencyResult, IndicatorStatus, TargetStatus
from scoring.schemas.base import Text
from scoring.spreadsheet_safety import safe_frame
from scoring.synthetic import PROVINCES

LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED, LIGHT_UNRATED = "GREEN", "YELLOW", "RED", "UNRATED"
LIGHT_ICONS = {LIGHT_GREEN: "🟢", LIGHT_YELLOW: "🟡", LIGHT_RED: "🔴", LIGHT_UNRATED: "⚪"}
LIGHT_SYMBOLS = {LIGHT_GREEN: "✔", LIGHT_YELLOW: "▲", LIGHT_RED: "✖", LIGHT_UNRATED: "○"}  # in the PDF font
LIGHT_COLOURS = {LIGHT_GREEN: "#2e7d32", LIGHT_YELLOW: "#f9a825", LIGHT_RED: "#c62828", LIGHT_UNRATED: "#9e9e9e"}

# Report texts (reports never import the UI catalogue: it needs Streamlit's session).
LABELS: dict[str, tuple[str, str]] = {
    "report_title": ("Báo cáo tự đánh giá mức độ trưởng thành quản trị dữ liệu",
                     "Data-management maturity self-assessment report"),
    "provisional": ("KẾT QUẢ TẠM TÍNH — bản đánh giá chưa được nộp",
                    "PROVISIONAL RESULT — the assessment has not been submitted"),
    "agency": ("Cơ quan", "Agency"),
    "agency_id": ("Mã cơ quan", "Agency code"),
    "agency_type": ("Loại cơ quan", "Agency type"),
    "province": ("Tỉnh, thành phố", "Province or city"),
    "round": ("Kỳ đánh giá", "Round"),
    "date": ("Ngày lập báo cáo", "Report date"),
    "questionnaire": ("Bộ câu hỏi", "Questionnaire"),
    "rubric": ("Thang chấm", "Rubric"),
    "version": ("phiên bản", "version"),
    "official_reading": ("Cách đọc chính thức", "Official reading"),
    "reading_gated": ("theo ngưỡng", "gated"),
    "reading_continuous": ("theo điểm liên tục", "continuous"),
    "overall": ("Tổng thể", "Overall"),
    "overall_level": ("Cấp độ chung", "Overall level"),
    "overall_score": ("Điểm chung", "Overall score"),
    "gated_level": ("Cấp theo ngưỡng", "Gated level"),
    "continuous_level": ("Cấp theo điểm", "Continuous level"),
    "dimension": ("Lĩnh vực", "Dimension"),
    "dimension_id": ("Mã lĩnh vực", "Dimension id"),
    "level": ("Cấp", "Level"),
    "score": ("Điểm", "Score"),
    "answered": ("Đã chấm", "Scored"),
    "na": ("Không áp dụng", "N/A"),
    "dont_know": ("Chưa rõ", "Don't know"),
    "unanswered": ("Chưa trả lời", "Unanswered"),
    "questions": ("Số câu", "Questions"),
    "status_year": ("Mục tiêu {year}", "Target {year}"),
    "required_level": ("Cấp yêu cầu", "Required level"),
    "current_level": ("Cấp hiện tại", "Current level"),
    "gap": ("Thiếu (cấp)", "Gap (levels)"),
    "year": ("Năm", "Year"),
    "kind": ("Loại", "Kind"),
    "kind_dimension": ("Lĩnh vực", "Dimension"),
    "kind_indicator": ("Chỉ tiêu", "Indicator"),
    "kind_overall": ("Tổng thể", "Overall"),
    "item": ("Nội dung", "Item"),
    "target": ("Mục tiêu", "Target"),
    "value": ("Giá trị", "Value"),
    "met": ("Đạt", "Met"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "question_id": ("Mã câu hỏi", "Question id"),
    "question": ("Câu hỏi", "Question"),
    "answer": ("Trả lời", "Answer"),
    "answer_text": ("Nội dung trả lời", "Answer text"),
    "status": ("Tình trạng", "Status"),
    "points": ("Điểm câu", "Points"),
    "na_reason": ("Lý do không áp dụng", "Reason for N/A"),
    "evidence": ("Minh chứng", "Evidence"),
    "documents": ("Tài liệu minh chứng", "Evidence documents"),
    "step_level": ("Cấp cần đạt", "Level to reach"),
    "for_years": ("Cho mục tiêu", "For targets"),
    "to_do": ("Việc cần làm", "What to achieve"),
    "evidence_needed": ("Minh chứng cần có", "Evidence needed"),
    "light_GREEN": ("Đạt", "Met"),
    "light_YELLOW": ("Gần đạt", "Close"),
    "light_RED": ("Chưa đạt", "Not met"),
    "light_UNRATED": ("Chưa xếp cấp", "Not rated"),
    "light_GREEN_long": ("Đạt mục tiêu", "Target met"),
    "light_YELLOW_long": ("Gần đạt (thiếu tối đa {gap} cấp)", "Close (at most {gap} level(s) short)"),
    "light_RED_long": ("Chưa đạt (thiếu nhiều cấp)", "Not met (several levels short)"),
    "light_UNRATED_long": ("Chưa xếp cấp (chưa đủ câu trả lời)", "Not rated (too few answers)"),
    "state_scored": ("Đã chấm", "Scored"),
    "state_na": ("Không áp dụng", "Not applicable"),
    "state_dont_know": ("Chưa rõ", "Don't know"),
    "state_unanswered": ("Chưa trả lời", "Unanswered"),
    "state_invalid": ("Không hợp lệ", "Invalid"),
    "state_not_asked": ("Không hỏi loại cơ quan này", "Not asked of this agency type"),
    "state_indicator": ("Chỉ tiêu (bên cạnh cấp độ)", "Indicator (beside the level)"),
    "not_rated": ("Chưa xếp cấp", "Not rated"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "no_value": ("Chưa có số liệu", "No value"),
    "type_ministry": ("Bộ, cơ quan trung ương", "Ministry or central agency"),
    "type_province": ("Tỉnh, thành phố", "Province or city"),
    "type_commune": ("Xã, phường, đặc khu", "Commune or ward"),
    "no_criteria": ("Đáp ứng yêu cầu ở các câu hỏi nhưng chưa đạt ngưỡng của lĩnh vực",
                    "Questions meet the level but the dimension's threshold is not reached yet"),
    "target_ring": ("Mục tiêu {year} (cấp {level})", "{year} target (level {level})"),
    "agency_series": ("Cấp hiện tại", "Current level"),
    "sheet_answers": ("Câu trả lời", "Answers"),
    "sheet_scores": ("Điểm", "Scores"),
    "sheet_gaps": ("Khoảng cách", "Gaps"),
    "sheet_next_steps": ("Bước tiếp theo", "Next steps"),
    "section_summary": ("Kết quả chung", "Summary"),
    "section_dimensions": ("Kết quả theo lĩnh vực", "Results by dimension"),
    "section_charts": ("Biểu đồ", "Charts"),
    "section_targets": ("So với mục tiêu 2027 và 2030", "Against the 2027 and 2030 targets"),
    "section_gaps": ("Khoảng cách cần thu hẹp", "Gaps to close"),
    "section_indicators": ("Chỉ tiêu so với mục tiêu", "Indicators against targets"),
    "section_roadmap": ("Lộ trình nâng cấp", "Roadmap"),
    "no_gaps": ("Không có khoảng cách: đã đạt mục tiêu.", "No gaps: the target is met."),
    "no_steps": ("Không cần bước nào thêm để đạt mục tiêu.", "No further steps are needed to meet the targets."),
    "unrated_dims": ("Lĩnh vực chưa xếp cấp", "Dimensions not rated"),
    "footer": ("Bộ câu hỏi {questionnaire} v{qversion} · Thang chấm {rubric} v{rversion}",
               "Questionnaire {questionnaire} v{qversion} · Rubric {rubric} v{rversion}"),
}


def label(key: str, lang: str, **values: object) -> str:
    vi, en = LABELS[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text


def text(value: Text | None, lang: str) -> str:
    return "" if value is None else value.get(lang)


def agency_type_label(agency_type: str | None, lang: str) -> str:
    return label(f"type_{agency_type}", lang) if agency_type in ("ministry", "province", "commune") else ""


def province_label(province: str | None) -> str:
    if not province:
        return ""
    names = {f"tinh_{pid}": name for pid, name in PROVINCES}
    return names.get(province, province)


def level_name(bundle: Bundle, level: int | None, lang: str) -> str:
    if level is None:
        return label("not_rated", lang)
    return f"{label('level', lang)} {level} · {bundle.questionnaire.level_definition(level).name.get(lang)}"


def fmt_score(value: float | None, lang: str) -> str:
    return numbers.fmt_decimal(value, lang, 2)


def fmt_level(value: int | None, lang: str) -> str:
    return label("not_rated", lang) if value is None else str(value)


def dimension_light(result: AgencyResult, bundle: Bundle, dimension_id: str, year: str) -> str:
    """GREEN at or above the year's required level; YELLOW at most `yellow_max_gap` levels short;
    RED further; UNRATED when the dimension has too few answers (the engine's gap, the targets'
    traffic-light rule)."""
    dimension = result.dimensions[dimension_id]
    if not dimension.rated or dimension.level is None:
        return LIGHT_UNRATED
    gap = result.targets[year].gaps.get(dimension_id, 0)
    if gap <= 0:
        return LIGHT_GREEN
    return LIGHT_YELLOW if gap <= bundle.targets.traffic_light.yellow_max_gap else LIGHT_RED


def light_text(light: str, lang: str, bundle: Bundle | None = None, long: bool = False, emoji: bool = True) -> str:
    """The light as words with its symbol: colour is never the only signal. `emoji=False` uses
    plain symbols that the PDF font has."""
    if long:
        gap = bundle.targets.traffic_light.yellow_max_gap if bundle else 1
        words = label(f"light_{light}_long", lang, gap=gap)
    else:
        words = label(f"light_{light}", lang)
    icon = (LIGHT_ICONS if emoji else LIGHT_SYMBOLS).get(light, "")
    return f"{icon} {words}".strip()


def indicator_state_text(indicator: IndicatorStatus, lang: str, emoji: bool = True) -> str:
    """Met / not met, or "not applicable" for an indicator answered N/A (never shown as missed)."""
    if not indicator.applicable:
        return label("state_na", lang)
    return light_text(LIGHT_GREEN if indicator.met else LIGHT_RED, lang, emoji=emoji)


def indicator_value_text(indicator: IndicatorStatus, lang: str) -> str:
    if not indicator.applicable:
        return label("state_na", lang)
    return numbers.fmt_percent_value(indicator.value, lang)


def indicators_count_text(status: TargetStatus) -> str:
    """"met/counted": indicators answered N/A leave both numbers."""
    return f"{status.indicators_met}/{len(status.indicators_counted)}"


def overall_light(result: AgencyResult, year: str) -> str:
    status = result.targets[year]
    return status.light if result.rated else LIGHT_UNRATED


# --- tables ----------------------------------------------------------------------------------------


def dimension_frame(result: AgencyResult, bundle: Bundle, lang: str) -> pd.DataFrame:
    """One row per dimension (questionnaire order) with stable column names."""
    rows = []
    for index, dimension in enumerate(bundle.questionnaire.dimensions, start=1):
        d = result.dimensions[dimension.id]
        row: dict[str, object] = {
            "number": index,
            "dimension_id": dimension.id,
            "dimension": dimension.name.get(lang),
            "level": d.level,
            "score": d.score,
            "gated_level": d.gated_level,
            "continuous_level": d.continuous_level,
            "answered": d.answered,
            "na": d.na,
            "dont_know": d.dont_know,
            "unanswered": d.unanswered,
            "questions": d.answered + d.na + d.dont_know + d.unanswered,
        }
        for year in bundle.years:
            light = dimension_light(result, bundle, dimension.id, year)
            row[f"required_{year}"] = bundle.targets.dimension_min_level(year, dimension.id)
            row[f"gap_{year}"] = result.targets[year].gaps.get(dimension.id, 0) if light != LIGHT_UNRATED else None
            row[f"light_{year}"] = light
        rows.append(row)
    return pd.DataFrame(rows)


def dimension_display(result: AgencyResult, bundle: Bundle, lang: str) -> pd.DataFrame:
    """The per-dimension table as people read it (translated headers, lights in words)."""
    frame = dimension_frame(result, bundle, lang)
    out = pd.DataFrame({
        label("dimension", lang): frame["number"].astype(str) + ". " + frame["dimension"],
        label("level", lang): [fmt_level(v, lang) for v in frame["level"]],
        label("score", lang): [fmt_score(v, lang) for v in frame["score"]],
        label("gated_level", lang): [fmt_level(v, lang) for v in frame["gated_level"]],
        label("continuous_level", lang): [fmt_level(v, lang) for v in frame["continuous_level"]],
    })
    for year in bundle.years:
        out[label("status_year", lang, year=year)] = [light_text(v, lang) for v in frame[f"light_{year}"]]
    out[label("answered", lang)] = frame["answered"]
    out[label("na", lang)] = frame["na"]
    out[label("dont_know", lang)] = frame["dont_know"]
    out[label("unanswered", lang)] = frame["unanswered"]
    return out


def answer_text(bundle: Bundle, question_id: str, answer: str | None, lang: str) -> str:
    """What the answer means: the option's statement, the value with its unit, N/A or don't know."""
    if answer is None:
        return label("state_unanswered", lang)
    if answer == "na":
        return label("state_na", lang)
    if answer == "dont_know":
        return label("state_dont_know", lang)
    question = bundle.questionnaire.question(question_id)
    if question.kind == "numeric":
        return f"{answer}%"
    try:
        return question.option(int(answer)).statement.get(lang)
    except (ValueError, StopIteration):
        return answer


def answers_frame(result: AgencyResult, bundle: Bundle, lang: str,
                  documents: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """One row per question of the questionnaire (answered or not); with `documents` (question id ->
    file names) also the don't-know flag and the evidence documents' names."""
    rows = []
    for dimension in bundle.questionnaire.dimensions:
        for question in dimension.questions:
            q = result.questions[question.id]
            rows.append({
                label("dimension", lang): dimension.name.get(lang),
                label("question_id", lang): question.id,
                label("question", lang): question.text.get(lang),
                label("answer", lang): q.answer or "",
                label("answer_text", lang): answer_text(bundle, question.id, q.answer, lang),
                label("level", lang): q.level,
                label("points", lang): q.points,
                label("status", lang): label(f"state_{q.status}", lang),
                label("na_reason", lang): q.na_reason or "",
                label("evidence", lang): q.evidence or "",
            })
            if documents is not None:
                rows[-1][label("dont_know", lang)] = label("yes", lang) if q.answer == "dont_know" else ""
                rows[-1][label("documents", lang)] = "; ".join(documents.get(question.id, []))
    return pd.DataFrame(rows)


def scores_frame(result: AgencyResult, bundle: Bundle, lang: str, emoji: bool = True) -> pd.DataFrame:
    """The overall row, then one row per dimension."""
    years = bundle.years
    overall: dict[str, object] = {
        label("dimension_id", lang): "",
        label("dimension", lang): label("overall", lang),
        label("level", lang): result.overall_level,
        label("score", lang): result.overall_score,
        label("gated_level", lang): result.overall_gated_level,
        label("continuous_level", lang): result.overall_continuous_level,
    }
    for year in years:
        overall[label("status_year", lang, year=year)] = light_text(overall_light(result, year), lang, emoji=emoji)
    rows = [overall]
    frame = dimension_frame(result, bundle, lang)
    for row in frame.itertuples(index=False):
        item: dict[str, object] = {
            label("dimension_id", lang): row.dimension_id,
            label("dimension", lang): row.dimension,
            label("level", lang): row.level,
            label("score", lang): row.score,
            label("gated_level", lang): row.gated_level,
            label("continuous_level", lang): row.continuous_level,
        }
        for year in years:
            item[label("status_year", lang, year=year)] = light_text(getattr(row, f"light_{year}"), lang, emoji=emoji)
        rows.append(item)
    out = pd.DataFrame(rows)
    dims = frame.set_index("dimension_id")
    for column in ("answered", "na", "dont_know", "unanswered"):
        values = [int(dims[column].sum()), *dims[column].astype(int).tolist()]
        out[label(column, lang)] = values
    return out


def gap_rows(result: AgencyResult, bundle: Bundle, lang: str) -> list[dict[str, object]]:
    """Every shortfall against each year's target: dimensions below the required level, dimensions
    not rated, and indicators below their target."""
    rows: list[dict[str, object]] = []
    names = {d.id: d.name.get(lang) for d in bundle.questionnaire.dimensions}
    for year in bundle.years:
        status = result.targets[year]
        for dimension_id in bundle.dimension_ids:
            gap = status.gaps.get(dimension_id)
            unrated = dimension_id in status.unrated
            if not gap and not unrated:
                continue
            rows.append({
                "year": year,
                "kind": "dimension",
                "item_id": dimension_id,
                "item": names[dimension_id],
                "target": bundle.targets.dimension_min_level(year, dimension_id),
                "current": result.dimensions[dimension_id].level,
                "gap": gap if not unrated else None,
                "light": dimension_light(result, bundle, dimension_id, year),
            })
        for indicator in status.indicators_counted:
            if indicator.met:
                continue
            rows.append({
                "year": year,
                "kind": "indicator",
                "item_id": indicator.indicator_id,
                "item": indicator.name.get(lang),
                "target": indicator.target,
                "current": indicator.value,
                "gap": None if indicator.value is None else round(indicator.target - indicator.value, 4),
                "light": LIGHT_RED,
            })
    return rows


def gaps_frame(result: AgencyResult, bundle: Bundle, lang: str, emoji: bool = True) -> pd.DataFrame:
    rows = gap_rows(result, bundle, lang)
    columns = [label(k, lang) for k in ("year", "kind", "item", "target", "current_level", "gap", "status")]
    out = [
        [
            r["year"],
            label(f"kind_{r['kind']}", lang),
            r["item"],
            r["target"],
            label("not_rated", lang) if r["current"] is None and r["kind"] == "dimension"
            else (label("no_value", lang) if r["current"] is None else r["current"]),
            r["gap"],
            light_text(str(r["light"]), lang, emoji=emoji),
        ]
        for r in rows
    ]
    return pd.DataFrame(out, columns=columns)


def indicators_frame(result: AgencyResult, bundle: Bundle, lang: str) -> pd.DataFrame:
    """One row per indicator with a target in any year: value, and per year the target and met."""
    rows: dict[str, dict[str, object]] = {}
    for year in bundle.years:
        for indicator in result.targets[year].indicators:
            row = rows.setdefault(indicator.indicator_id, {
                label("indicator", lang): indicator.name.get(lang),
                label("value", lang): indicator_value_text(indicator, lang),
            })
            target = numbers.fmt_percent_value(indicator.target, lang)
            row[label("status_year", lang, year=year)] = f"≥ {target} · " + indicator_state_text(indicator, lang)
    frame = pd.DataFrame(list(rows.values()))
    for year in bundle.years:
        column = label("status_year", lang, year=year)
        if column in frame:
            frame[column] = frame[column].fillna("—")
    return frame


def next_steps_frame(result: AgencyResult, bundle: Bundle, lang: str) -> pd.DataFrame:
    """One row per unmet criterion of each roadmap step (a step without criteria gets one row)."""
    names = {d.id: d.name.get(lang) for d in bundle.questionnaire.dimensions}
    rows = []
    for step in result.next_steps:
        base = {
            label("dimension", lang): names.get(step.dimension_id, step.dimension_id),
            label("step_level", lang): step.level,
            label("for_years", lang): ", ".join(step.for_years),
        }
        if not step.criteria:
            rows.append({**base, label("question_id", lang): "", label("question", lang): "",
                         label("current_level", lang): "", label("to_do", lang): label("no_criteria", lang),
                         label("evidence_needed", lang): ""})
        for criterion in step.criteria:
            question = bundle.questionnaire.question(criterion.question_id)
            current = (criterion.current_level if criterion.current_level is not None
                       else label(f"state_{criterion.current_status}", lang))
            rows.append({
                **base,
                label("question_id", lang): criterion.question_id,
                label("question", lang): question.text.get(lang),
                label("current_level", lang): current,
                label("to_do", lang): criterion.statement.get(lang),
                label("evidence_needed", lang): criterion.evidence.get(lang),
            })
    columns = [label(k, lang) for k in ("dimension", "step_level", "for_years", "question_id", "question",
                                         "current_level", "to_do", "evidence_needed")]
    return pd.DataFrame(rows, columns=columns)


def long_answer_rows(result: AgencyResult) -> pd.DataFrame:
    """The answers in the core's long format (the bulk CSV columns), re-importable by a coordinator."""
    rows = [
        {
            "agency_id": result.agency_id,
            "agency_name": result.agency_name,
            "agency_type": result.agency_type,
            "province": result.province or "",
            "round": result.round,
            "question_id": q.question_id,
            "answer": q.answer,
            "na_reason": q.na_reason or "",
            "evidence": q.evidence or "",
        }
        for q in result.questions.values()
        if q.answer is not None
    ]
    columns = ["agency_id", "agency_name", "agency_type", "province", "round", "question_id", "answer",
               "na_reason", "evidence"]
    return pd.DataFrame(rows, columns=columns)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Vietnamese text correctly."""
    buffer = io.StringIO()
    safe_frame(frame).to_csv(buffer, index=False)  # no cell a spreadsheet would run as a formula
    return buffer.getvalue().encode("utf-8-sig")


def answers_csv(result: AgencyResult) -> bytes:
    return to_csv_bytes(long_answer_rows(result))


def dimensions_csv(result: AgencyResult, bundle: Bundle, lang: str) -> bytes:
    return to_csv_bytes(scores_frame(result, bundle, lang, emoji=False))


def file_stem(result: AgencyResult) -> str:
    return f"dmm_{result.agency_id}_{result.round}"
