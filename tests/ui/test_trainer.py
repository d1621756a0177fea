"""Trainer page (AppTest): criteria browser, search, level filter, targets, samples with what-if
(the panel shows exactly what `scoring.score` gives), comparison, handbook and presentation mode."""

from __future__ import annotations

import html

import pytest
from streamlit.testing.v1 import AppTest

from scoring import agency_result, load_bundle, score
from scoring.content import Bundle
from scoring.numbers import fmt_decimal
from tests.ui.conftest import open_page, texts
from trainer.criteria import matching_questions, search
from trainer.samples import load_samples
from trainer.whatif import apply_changes

TRAINER = "app_pages/training.py"
ALL = "__all__"


def trainer_page(lang: str = "vi") -> AppTest:
    return open_page(TRAINER, lang=lang)


def page_html(at: AppTest) -> str:
    """Every markdown on the page, without the word-break hints placed in question ids."""
    return "\n".join(str(m.value) for m in at.markdown).replace("<wbr>", "")


def app_bundle(at: AppTest) -> Bundle:
    """The bundle the page scores with: the session's rubric (AppTest may not keep the default one)."""
    return load_bundle(rubric=at.session_state["rubric"])


def choose_view(at: AppTest, view: str) -> AppTest:
    at.segmented_control(key="trainer_view").set_value(view).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def samples(bundle: Bundle):
    loaded = load_samples(bundle)
    if loaded.result is None:
        pytest.skip("no sample responses shipped yet")
    return loaded


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_matrix_shows_the_statements_of_the_chosen_dimension(bundle: Bundle, lang: str) -> None:
    at = trainer_page(lang)
    at.selectbox(key="criteria_dimension").set_value("quality").run()
    assert not at.exception
    shown = page_html(at)
    quality = bundle.questionnaire.dimension("quality")
    for question in quality.questions:
        assert question.id in shown
        for option in question.options:
            assert html.escape(option.statement.get(lang)) in shown
            assert html.escape(option.evidence.get(lang)) in shown
    other = bundle.questionnaire.question("governance.strategy").option(3).statement.get(lang)
    assert html.escape(other) not in shown
    assert at.subheader[0].value == quality.name.get(lang)


def test_evidence_can_be_hidden(bundle: Bundle) -> None:
    at = trainer_page()
    at.toggle(key="criteria_evidence").set_value(False).run()
    evidence = bundle.questionnaire.question("governance.strategy").option(3).evidence.vi
    assert html.escape(evidence) not in page_html(at)


@pytest.mark.parametrize("query", ["du lieu ca nhan", "DỮ LIỆU CÁ NHÂN", "Du Liệu Ca Nhan"])
def test_search_finds_the_right_questions_without_accents(bundle: Bundle, query: str) -> None:
    at = trainer_page()
    at.selectbox(key="criteria_dimension").set_value(ALL)
    at.text_input(key="criteria_query").set_value(query).run()
    assert not at.exception
    expected = matching_questions(search(bundle, "dữ liệu cá nhân", "vi"))
    assert "security.personal_data" in expected
    ids_line = next(m.value for m in at.markdown if str(m.value).startswith("Câu hỏi:"))
    assert ids_line == "Câu hỏi: " + ", ".join(f"`{q}`" for q in expected)
    assert f"Tìm thấy {len(expected)} câu hỏi" in texts(at)
    assert "<mark>" in page_html(at)


def test_search_covers_every_dimension_by_default_and_no_match(bundle: Bundle) -> None:
    at = trainer_page()
    at.selectbox(key="criteria_dimension").set_value("security")  # a topic chosen for browsing
    at.text_input(key="criteria_query").set_value("chia se").run()
    ids_line = next(m.value for m in at.markdown if str(m.value).startswith("Câu hỏi:"))
    expected = matching_questions(search(bundle, "chia se", "vi"))
    assert len({q.split(".")[0] for q in expected}) > 1  # the phrase occurs in several topics
    assert all(f"`{q}`" in ids_line for q in expected)
    assert f"Tìm thấy {len(expected)} câu hỏi" in texts(at) and "mọi lĩnh vực" in texts(at)
    at.text_input(key="criteria_query").set_value("zzzqqq").run()
    assert at.warning and "zzzqqq" in at.warning[0].value


def test_level_filter_shows_that_level_everywhere(bundle: Bundle) -> None:
    at = trainer_page()
    at.selectbox(key="criteria_dimension").set_value(ALL)
    at.selectbox(key="criteria_level").set_value(3).run()
    assert not at.exception
    shown = page_html(at)
    assert [s.value for s in at.subheader] == [d.name.vi for d in bundle.questionnaire.dimensions]
    for question in bundle.questionnaire.questions:
        assert question.id in shown
        if question.kind == "level":
            assert html.escape(question.option(3).statement.vi) in shown
            assert html.escape(question.option(2).statement.vi) not in shown
    assert bundle.questionnaire.level_definition(3).definition.vi in texts(at)


def test_targets_view_lists_each_dimension_at_its_required_level(bundle: Bundle) -> None:
    at = choose_view(trainer_page(), "targets")
    headings = [s.value for s in at.subheader]
    for dimension in bundle.questionnaire.dimensions:
        assert f"{dimension.name.vi} — cần cấp 3" in headings
    shown = page_html(at)
    assert html.escape(bundle.questionnaire.question("quality.rules").option(3).statement.vi) in shown
    at.segmented_control(key="targets_year").set_value("2030").run()
    shown = page_html(at)
    assert html.escape(bundle.questionnaire.question("quality.rules").option(4).statement.vi) in shown
    assert f"{bundle.questionnaire.dimension('quality').name.vi} — cần cấp 4" in [s.value for s in at.subheader]


def test_sample_result_is_shown(bundle: Bundle, samples) -> None:
    at = choose_view(trainer_page(), "sample")
    key = samples.keys[0]
    assert at.selectbox(key="trainer_sample").value == key
    result = samples.result_of(key)
    assert result.agency_name in [s.value for s in at.subheader]


def _whatif(at: AppTest, sample: str) -> AppTest:
    at.selectbox(key="trainer_sample").set_value(sample).run()
    at.segmented_control(key="sample_panel").set_value("whatif").run()
    assert not at.exception, at.exception
    return at


def _level_text(level: int | None) -> str:
    return "Chưa xếp cấp" if level is None else f"Cấp {level}"


@pytest.mark.parametrize(("question_id", "value"), [("security.backup", "5"), ("governance.strategy", "1"),
                                                    ("records.satisfaction_share", "100"),
                                                    ("quality.rules", "dont_know")])
def test_what_if_gives_exactly_the_engine_result(samples, question_id: str, value: str) -> None:
    sample = samples.keys[0]
    dimension_id = question_id.split(".")[0]
    at = _whatif(choose_view(trainer_page(), "sample"), sample)
    at.selectbox(key="whatif_dimension").set_value(dimension_id).run()
    at.selectbox(key=f"whatif__{sample}__{question_id}").set_value(value).run()
    assert not at.exception, at.exception
    assert at.session_state["trainer_whatif_changes"][sample] == {question_id: value}

    bundle = app_bundle(at)
    rows = samples.answers(sample)
    agency_id, round_ = str(rows["agency_id"].iloc[0]), str(rows["round"].iloc[0])
    before = agency_result(score(rows, bundle), agency_id, round_)
    expected = agency_result(score(apply_changes(rows, {question_id: value}), bundle), agency_id, round_)

    metrics = {m.label: m for m in at.metric}
    assert metrics["Cấp của cơ quan"].value == _level_text(expected.overall_level)
    assert metrics["Điểm trung bình"].value == fmt_decimal(expected.overall_score, "vi", 2)
    for year, target in expected.targets.items():
        assert metrics[f"Mục tiêu {year}"].value.endswith("Đạt" if target.met else "Chưa đạt")
    table = at.table[0].value.set_index("Lĩnh vực")
    name = bundle.questionnaire.dimension(dimension_id).name.vi
    row = table.loc[name]
    after = expected.dimensions[dimension_id]
    assert row["Điểm trước"] == fmt_decimal(before.dimensions[dimension_id].score, "vi", 2)
    assert row["Điểm sau"] == fmt_decimal(after.score, "vi", 2)
    assert row["Cấp trước"] == ("Chưa xếp cấp" if before.dimensions[dimension_id].level is None
                                else str(before.dimensions[dimension_id].level))
    assert row["Cấp sau"] == ("Chưa xếp cấp" if after.level is None else str(after.level))
    overall = table.loc["Toàn cơ quan"]
    assert overall["Điểm sau"] == fmt_decimal(expected.overall_score, "vi", 2)
    assert overall["Cấp sau"] == ("Chưa xếp cấp" if expected.overall_level is None else str(expected.overall_level))
    change = round(after.score - before.dimensions[dimension_id].score, 2)
    if change > 0:
        assert row["Δ điểm"].startswith("▲")
    elif change < 0:
        assert row["Δ điểm"].startswith("▼")
    else:
        assert row["Δ điểm"] == "="


def test_what_if_reset_and_state_per_sample(bundle: Bundle, samples) -> None:
    sample = samples.keys[0]
    at = _whatif(choose_view(trainer_page(), "sample"), sample)
    at.selectbox(key=f"whatif__{sample}__governance.strategy").set_value("5").run()
    assert at.session_state["trainer_whatif_changes"][sample] == {"governance.strategy": "5"}
    # the change survives switching the dimension away and back
    at.selectbox(key="whatif_dimension").set_value("quality").run()
    at.selectbox(key="whatif_dimension").set_value("governance").run()
    assert at.selectbox(key=f"whatif__{sample}__governance.strategy").value == "5"
    at.button(key="whatif_reset").click().run()
    assert not at.exception
    assert not at.session_state["trainer_whatif_changes"].get(sample)
    original = str(samples.answers(sample).set_index("question_id").loc["governance.strategy", "answer"])
    assert at.selectbox(key=f"whatif__{sample}__governance.strategy").value == original
    assert "Chưa thay đổi câu trả lời nào" in texts(at)


def test_presentation_mode_keeps_the_what_if_live(samples) -> None:
    at = trainer_page()
    at.toggle(key="presentation").set_value(True).run()
    at = _whatif(choose_view(at, "sample"), samples.keys[0])
    question_boxes = [s for s in at.selectbox if str(s.key).startswith("whatif__")]
    assert question_boxes and not any(s.disabled for s in question_boxes)  # a trainer runs a live what-if
    css = "".join(str(h.value) for h in at.get("html"))
    assert "font-size" in css and '[data-testid="stSidebar"]' in css  # large type, sidebar hidden
    box = question_boxes[0]
    new_value = next(o for o in box.options if o != box.value)
    box.set_value(new_value).run()
    assert not at.exception and at.session_state["trainer_whatif_changes"][samples.keys[0]]
    assert at.toggle(key="presentation").value  # the way out stays on the page


def test_glossary_view_shows_levels_with_target_years(bundle: Bundle) -> None:
    at = choose_view(trainer_page(), "glossary")
    assert not at.exception
    shown = texts(at)
    assert "yêu cầu đến năm 2027" in shown and "yêu cầu đến năm 2030" in shown
    for level in bundle.questionnaire.levels:
        assert level.definition.vi in shown
    if not bundle.questionnaire.glossary:
        assert "chưa có phần thuật ngữ" in shown


def test_compare_two_samples(bundle: Bundle, samples) -> None:
    at = choose_view(trainer_page(), "compare")
    a_key, b_key = samples.keys[0], samples.keys[-1]
    at.selectbox(key="compare_a").set_value(a_key)
    at.selectbox(key="compare_b").set_value(b_key).run()
    assert not at.exception
    result = score(samples.frame, app_bundle(at))
    a, b = (agency_result(result, *key.split("::")) for key in (a_key, b_key))
    table = at.table[0].value.set_index("Lĩnh vực")
    for dimension in bundle.questionnaire.dimensions:
        row = table.loc[dimension.name.vi]
        assert row["A: Điểm"] == fmt_decimal(a.dimensions[dimension.id].score, "vi", 2)
        assert row["B: Điểm"] == fmt_decimal(b.dimensions[dimension.id].score, "vi", 2)
    assert len(at.get("vega_lite_chart")) == 1


def test_handbook_view_offers_the_pdf() -> None:
    at = choose_view(trainer_page("en"), "handbook")
    assert len(at.get("download_button")) == 1
    assert "Optimised" in at.table[0].value.to_string()


def test_english_labels_everywhere(bundle: Bundle, samples) -> None:
    at = trainer_page("en")
    for view in ("criteria", "targets", "sample", "compare", "handbook"):
        choose_view(at, view)
        assert "trainer." not in texts(at), view  # no missing translation keys
