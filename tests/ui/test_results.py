"""Results page: the engine's result for the stored answers, provisional drafts, both languages."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from reports import tables
from scoring import agency_result, responses_frame, score
from scoring.content import Bundle
from scoring.numbers import fmt_decimal
from scoring.response_frame import response_to_yaml
from scoring.responses import parse_response
from storage import Store
from tests.ui.conftest import AGENCY, NATIONAL, create_draft, open_page, sample_response, texts
from ui import journey

RESULTS = "app_pages/results.py"


def metric_values(at: AppTest) -> dict[str, str]:
    """label -> "value (small text under it)"."""
    return {m.label: f"{m.value} ({m.delta})" for m in at.metric}


def test_results_equal_the_engine_output(store: Store, bundle: Bundle) -> None:
    response = sample_response(bundle, seed=7)
    info = store.import_response(response, NATIONAL, "t", status="submitted")
    expected = agency_result(score(responses_frame([response]), bundle), AGENCY.id, "2026")

    at = open_page(RESULTS, info.id)
    assert not at.exception
    metrics = metric_values(at)
    level = expected.overall_level
    level_text = ("— (Chưa xếp cấp)" if level is None
                  else f"{level} ({bundle.questionnaire.level_definition(level).name.vi})")
    assert metrics["Cấp độ chung"] == level_text
    assert metrics["Điểm chung"].startswith(f"{fmt_decimal(expected.overall_score, 'vi', 2)} ")
    assert "," in metrics["Điểm chung"].split()[0] or expected.overall_score is None  # the Vietnamese decimal mark
    official = "Cấp theo ngưỡng ★" if bundle.rubric.official_reading == "gated" else "Cấp theo điểm ★"
    assert official in metrics  # the official reading is marked
    table = at.dataframe[0].value
    assert list(table["Cấp"]) == [tables.fmt_level(expected.dimensions[d].level, "vi") for d in bundle.dimension_ids]
    assert list(table["Điểm"]) == [tables.fmt_score(expected.dimensions[d].score, "vi") for d in bundle.dimension_ids]
    for year in bundle.years:
        lights = [tables.light_text(tables.dimension_light(expected, bundle, d, year), "vi")
                  for d in bundle.dimension_ids]
        assert list(table[f"Mục tiêu {year}"]) == lights
    # Two charts (bar and radar), and no "provisional" banner for a submitted assessment.
    assert len(at.get("vega_lite_chart")) == 2
    assert "TẠM TÍNH" not in texts(at)
    # The page's scoring path gives the same object as the engine.
    assert journey.score_assessment(store, info.id, NATIONAL, bundle) == expected


def test_a_draft_shows_provisional_results(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    first = bundle.questionnaire.questions[0].id
    store.save_answer(aid, first, 4, NATIONAL, "t")
    at = open_page(RESULTS, aid)
    assert not at.exception
    assert "KẾT QUẢ TẠM TÍNH" in texts(at)
    assert metric_values(at)["Cấp độ chung"] == "— (Chưa xếp cấp)"


def test_an_empty_draft_has_no_result_yet(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    at = open_page(RESULTS, aid)
    assert "chưa có câu trả lời nào" in texts(at)


def test_pick_an_assessment_and_switch_language(store: Store, bundle: Bundle) -> None:
    info = store.import_response(sample_response(bundle), NATIONAL, "t", status="submitted")
    at = open_page(RESULTS)
    assert "Chọn một bản đánh giá" in texts(at)
    at.selectbox(key="results_pick").set_value(info.id).run()
    assert "Cấp độ chung" in metric_values(at)
    at.selectbox(key="lang").set_value("en").run()
    assert not at.exception
    assert "Overall level" in metric_values(at)
    assert "Results by dimension" in texts(at)
    assert bundle.questionnaire.dimensions[0].name.en in " ".join(at.dataframe[0].value.iloc[:, 0])
    labels = {b.label for b in at.get("download_button")}
    assert {"PDF report", "Excel workbook", "Answers CSV", "Dimensions CSV", "Response YAML"} <= labels


def test_downloaded_yaml_reimports_to_identical_answers(store: Store, bundle: Bundle) -> None:
    response = sample_response(bundle, seed=3)
    info = store.import_response(response, NATIONAL, "t", status="submitted")
    raw = response_to_yaml(journey.stored_response(store, info.id, NATIONAL)).encode()
    again = parse_response(raw, "again.yaml", bundle)
    assert again.answers == response.answers
    assert again.notes == response.notes
    # ...and importing it elsewhere stores the same answers.
    other = again.model_copy(update={"round": "2027"})
    outcome = journey.import_response_bytes(response_to_yaml(other).encode(), "b.yaml", bundle, store, NATIONAL, "t")
    assert outcome.ok and outcome.info is not None
    assert store.to_response(outcome.info.id, NATIONAL).answers == response.answers


def test_render_agency_result_is_self_contained(bundle: Bundle) -> None:
    """Other pages call it with any AgencyResult: it needs no store and no open assessment."""

    def page() -> None:
        from scoring import load_bundle
        from tests.ui.conftest import sample_response
        from ui import journey
        from ui.results_view import render_agency_result

        shipped = load_bundle()
        result = journey.score_response(sample_response(shipped, seed=11), shipped)
        render_agency_result(result, shipped, key="sample_a")
        render_agency_result(result, shipped, key="sample_b")  # twice on one page: keys stay unique

    at = AppTest.from_function(page, default_timeout=30).run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 4
    assert not at.get("download_button")
