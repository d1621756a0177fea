"""The agency's PDF, Excel workbook, CSV files, charts and response YAML."""

from __future__ import annotations

import io
import math
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from reports import tables
from reports.agency_report import agency_pdf
from reports.charts import dimension_bar, dimension_radar
from reports.excel import agency_workbook, sheet_names
from reports.record import RecordFacts
from scoring import agency_result, load_named_inputs, responses_frame, score
from scoring.content import Bundle, load_bundle
from scoring.response_frame import response_to_yaml
from scoring.responses import parse_response
from scoring.results import AgencyResult
from tests.conftest import require_tool
from tests.ui.conftest import AGENCY, sample_response


@pytest.fixture(scope="module")
def shipped_bundle() -> Bundle:
    return load_bundle()


@pytest.fixture(scope="module")
def result(shipped_bundle: Bundle) -> AgencyResult:
    response = sample_response(shipped_bundle, seed=5)
    return agency_result(score(responses_frame([response]), shipped_bundle), AGENCY.id, "2026")


def pdf_text(data: bytes, tmp_path: Path) -> str:
    require_tool("pdftotext", "poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_pdf_in_vietnamese(result: AgencyResult, shipped_bundle: Bundle, tmp_path: Path) -> None:
    data = agency_pdf(result, shipped_bundle, "vi")
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    assert "Ủy ban nhân dân xã Đắk Hà" in text
    assert "Tỉnh Đắk Lắk" in text
    assert f"{shipped_bundle.questionnaire.id}, phiên bản {shipped_bundle.questionnaire.version}" in text
    assert f"{shipped_bundle.rubric.id}, phiên bản {shipped_bundle.rubric.version}" in text
    level = result.overall_level
    overall = "Chưa xếp cấp" if level is None else (
        f"Cấp {level} · {shipped_bundle.questionnaire.level_definition(level).name.vi}")
    assert f"Cấp độ chung: {overall}" in text
    for dimension in shipped_bundle.questionnaire.dimensions[:3]:
        assert dimension.name.vi in text
    lines = text.splitlines()
    for year in shipped_bundle.years:
        status = result.targets[year]
        words = tables.label(f"light_{tables.overall_light(result, year)}_long", "vi",
                             gap=shipped_bundle.targets.traffic_light.yellow_max_gap)
        assert any(line.strip().startswith(year) and f"Cấp {status.required_level}" in line and words in line
                   for line in lines), (year, words)
    assert "Lộ trình nâng cấp" in text
    assert "TẠM TÍNH" not in text
    assert text.count("Cấp theo ngưỡng ★") == (1 if result.official_reading == "gated" else 0)


def test_pdf_in_english_and_provisional(result: AgencyResult, shipped_bundle: Bundle, tmp_path: Path) -> None:
    text = pdf_text(agency_pdf(result, shipped_bundle, "en", provisional=True), tmp_path)
    assert "PROVISIONAL RESULT" in text
    assert "Ủy ban nhân dân xã Đắk Hà" in text  # the agency's name is never translated
    assert "Results by dimension" in text
    assert shipped_bundle.questionnaire.dimensions[0].name.en in text


def test_excel_has_four_sheets_with_the_right_rows(result: AgencyResult, shipped_bundle: Bundle) -> None:
    for lang in ("vi", "en"):
        book = openpyxl.load_workbook(io.BytesIO(agency_workbook(result, shipped_bundle, lang)))
        assert book.sheetnames == sheet_names(lang)
        answers, scores, gaps, steps = (book[name] for name in sheet_names(lang))
        assert answers.max_row - 1 == len(shipped_bundle.questionnaire.questions)
        assert scores.max_row - 1 == 1 + len(shipped_bundle.dimension_ids)  # overall + one per dimension
        expected_gaps = sum(
            len(status.gaps) + len(status.unrated) + sum(not i.met for i in status.indicators)
            for status in result.targets.values()
        )
        assert gaps.max_row - 1 == expected_gaps
        assert steps.max_row - 1 == sum(max(1, len(step.criteria)) for step in result.next_steps)
    book = openpyxl.load_workbook(io.BytesIO(agency_workbook(result, shipped_bundle, "vi")))
    header = [c.value for c in book["Điểm"][1]]
    first = dict(zip(header, (c.value for c in book["Điểm"][2]), strict=True))
    assert first["Lĩnh vực"] == "Tổng thể"
    assert first["Cấp"] == result.overall_level
    assert first["Điểm"] == pytest.approx(result.overall_score)
    answer_header = [c.value for c in book["Câu trả lời"][1]]
    rows = [dict(zip(answer_header, (c.value for c in row), strict=True))
            for row in book["Câu trả lời"].iter_rows(min_row=2)]
    by_id = {r["Mã câu hỏi"]: r for r in rows}
    for qid, question in result.questions.items():
        assert (by_id[qid]["Trả lời"] or None) == question.answer


def test_csv_answers_reimport_as_the_same_answers(result: AgencyResult, shipped_bundle: Bundle) -> None:
    raw = tables.answers_csv(result)
    assert raw.startswith("\ufeff".encode())
    loaded = load_named_inputs([("dak_ha.csv", raw)], shipped_bundle)
    assert not loaded.problems
    again = agency_result(score(loaded.frame, shipped_bundle), AGENCY.id, "2026")
    assert {k: v.answer for k, v in again.questions.items()} == {k: v.answer for k, v in result.questions.items()}
    assert again.overall_score == result.overall_score
    dims = pd.read_csv(io.BytesIO(tables.dimensions_csv(result, shipped_bundle, "en")), encoding="utf-8-sig")
    assert len(dims) == 1 + len(shipped_bundle.dimension_ids)


def test_response_yaml_round_trip(shipped_bundle: Bundle) -> None:
    response = sample_response(shipped_bundle, seed=9)
    again = parse_response(response_to_yaml(response).encode("utf-8"), "again.yaml", shipped_bundle)
    assert again.answers == response.answers
    assert again.notes == response.notes
    assert again.agency == response.agency


def test_radar_polygons_are_closed_with_target_rings(result: AgencyResult, shipped_bundle: Bundle) -> None:
    spec = dimension_radar(result, shipped_bundle, "vi").to_dict()
    datasets = spec["datasets"].values()
    series = next(rows for rows in datasets if rows and "series" in rows[0] and "ring" not in rows[0]
                  and any(r["series"].startswith("Mục tiêu") for r in rows))
    n = len(shipped_bundle.dimension_ids)
    by_series: dict[str, list[dict]] = {}
    for row in series:
        by_series.setdefault(row["series"], []).append(row)
    for name, level in (("Mục tiêu 2027 (cấp 3)", 3), ("Mục tiêu 2030 (cấp 4)", 4)):
        rows = sorted(by_series[name], key=lambda r: r["order"])
        assert len(rows) == n + 1
        assert (rows[0]["x"], rows[0]["y"]) == pytest.approx((rows[-1]["x"], rows[-1]["y"]))
        assert all(math.hypot(r["x"], r["y"]) == pytest.approx(level) for r in rows)
    agency = sorted(by_series["Cấp hiện tại"], key=lambda r: r["order"])
    radii = [math.hypot(r["x"], r["y"]) for r in agency[:-1]]
    assert radii == pytest.approx([float(result.dimensions[d].level or 0) for d in shipped_bundle.dimension_ids])


def test_bar_chart_lists_every_dimension(result: AgencyResult, shipped_bundle: Bundle) -> None:
    spec = dimension_bar(result, shipped_bundle, "en").to_dict()
    rows = next(rows for rows in spec["datasets"].values() if rows and "dimension" in rows[0])
    assert [r["level"] for r in rows] == [result.dimensions[d].level or 0 for d in shipped_bundle.dimension_ids]
    assert rows[0]["dimension"].startswith("1. " + shipped_bundle.questionnaire.dimensions[0].name.en)


def test_an_indicator_answered_na_shows_as_not_applicable(shipped_bundle: Bundle, tmp_path: Path) -> None:
    """Not "— / target 100 %" and not counted as missed: "không áp dụng" in the table and the PDF."""
    indicator = shipped_bundle.targets.indicators[0]
    response = sample_response(shipped_bundle, seed=5)
    response.answers[indicator.question] = "na"
    response.notes[indicator.question] = response.notes.get(indicator.question) or type(
        next(iter(response.notes.values())))(na_reason="Xã không có hệ thống riêng")
    one = agency_result(score(responses_frame([response]), shipped_bundle), AGENCY.id, "2026")
    counted = len(one.targets["2027"].indicators_counted)
    assert counted == len(one.targets["2027"].indicators) - 1
    frame = tables.indicators_frame(one, shipped_bundle, "vi").set_index("Chỉ tiêu")
    assert frame.loc[indicator.name.vi, "Giá trị"] == "Không áp dụng"
    assert all(g["item"] != indicator.name.vi for g in tables.gap_rows(one, shipped_bundle, "vi"))
    text = " ".join(pdf_text(agency_pdf(one, shipped_bundle, "vi"), tmp_path).split())
    assert f"/{counted}" in text and "Không áp dụng" in text


def record_of(response) -> RecordFacts:
    first = next(iter(response.answers))
    return RecordFacts(status="submitted", created_at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
                       updated_at=datetime(2026, 3, 9, 2, 30, tzinfo=UTC),
                       submitted_at=datetime(2026, 3, 10, 3, 15, tzinfo=UTC), submitted_by="lan@dakha.gov.vn",
                       documents={first: ["Quyết định 12-QĐ-UBND.pdf", "sơ đồ tổ chức.png"]})


def test_the_record_pdf_holds_every_answer_its_evidence_and_a_signature_block(shipped_bundle: Bundle,
                                                                              tmp_path: Path) -> None:
    response = sample_response(shipped_bundle, seed=5)
    one = agency_result(score(responses_frame([response]), shipped_bundle), AGENCY.id, "2026")
    record = record_of(response)
    data = agency_pdf(one, shipped_bundle, "vi", record=record)
    text = pdf_text(data, tmp_path)
    flat = " ".join(text.split())
    for question in shipped_bundle.questionnaire.questions:
        assert question.id in flat, question.id
    for qid, answer in response.answers.items():
        question = shipped_bundle.questionnaire.question(qid)
        if answer == "na":
            assert response.notes[qid].na_reason in flat
        elif answer == "dont_know":
            assert "Đánh dấu “chưa rõ”" in flat
        elif question.kind == "level":
            statement = " ".join(question.option(int(answer)).statement.vi.split())
            assert statement[:60] in flat, qid  # the chosen level's statement, not only its number
    assert "Quyết định 12-QĐ-UBND.pdf" in flat and "sơ đồ tổ chức.png" in flat
    assert "https://dakha.gov.vn/ke-hoach-du-lieu" in flat  # the evidence note
    assert "Đã nộp" in flat and "lan@dakha.gov.vn" in flat and "10/03/2026 10:15" in flat  # Vietnam time
    assert "Mục lục" in flat and "Câu trả lời chi tiết" in flat
    assert "Thủ trưởng cơ quan phê duyệt" in flat and "Người lập" in flat
    pages = text.count("\f")
    assert f"Trang {pages}/{pages}" in flat
    assert "2026-" not in flat  # one date format per language, never ISO


def test_the_record_workbook_has_the_status_sheet_and_documents(shipped_bundle: Bundle) -> None:
    response = sample_response(shipped_bundle, seed=5)
    one = agency_result(score(responses_frame([response]), shipped_bundle), AGENCY.id, "2026")
    record = record_of(response)
    book = openpyxl.load_workbook(io.BytesIO(agency_workbook(one, shipped_bundle, "en", record=record)))
    facts = {row[0]: row[1] for row in book["Assessment record"].iter_rows(min_row=2, values_only=True)}
    assert facts["Status"] == "Submitted" and facts["Submitted by"] == "lan@dakha.gov.vn"
    assert facts["Submitted on"] == "10 Mar 2026 10:15"
    answers = book[sheet_names("en")[0]]
    header = [c.value for c in answers[1]]
    rows = [dict(zip(header, r, strict=True)) for r in answers.iter_rows(min_row=2, values_only=True)]
    first = next(iter(response.answers))
    row = next(r for r in rows if r["Question id"] == first)
    assert row["Evidence documents"] == "Quyết định 12-QĐ-UBND.pdf; sơ đồ tổ chức.png"
    dont_know = next(q for q, a in response.answers.items() if a == "dont_know")
    assert next(r for r in rows if r["Question id"] == dont_know)["Don't know"] == "Yes"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_blank_questionnaire_lists_every_question_with_its_choices(shipped_bundle: Bundle, tmp_path: Path,
                                                                        lang: str) -> None:
    from reports.blank_questionnaire import blank_questionnaire_pdf

    text = " ".join(pdf_text(blank_questionnaire_pdf(shipped_bundle, lang), tmp_path).split())
    for question in shipped_bundle.questionnaire.questions:
        assert f"[{question.id}]" in text
        if question.kind == "level":
            assert " ".join(question.option(5).statement.get(lang).split())[:50] in text
    assert ("Không áp dụng — lý do:" if lang == "vi" else "Not applicable — reason:") in text
    assert ("Trang 1/" if lang == "vi" else "Page 1/") in text
