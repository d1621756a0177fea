"""The assessment wizard: answers are saved at once, survive steps, reloads and a language switch;
N/A needs a reason; submitting needs every question answered."""

from __future__ import annotations

import pytest

from scoring.content import Bundle
from storage import Store
from tests.ui.conftest import NATIONAL, create_draft, open_page, sample_response, texts
from ui import journey

ASSESSMENT = "app_pages/assessment.py"


def key(aid: int, qid: str, part: str) -> str:
    return f"q_{aid}_{qid}_{part}"


def level_questions(bundle: Bundle, dimension: int) -> list[str]:
    return [q.id for q in bundle.questionnaire.dimensions[dimension].questions if q.kind == "level"]


def numeric_question(bundle: Bundle) -> str:
    return next(q.id for q in bundle.questionnaire.questions if q.kind == "numeric")


def test_no_open_assessment_points_to_start(store: Store) -> None:
    at = open_page(ASSESSMENT)
    assert "Chưa có bản đánh giá nào đang mở" in texts(at)


def test_an_answer_is_stored_the_moment_it_is_given(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    qid = level_questions(bundle, 0)[0]
    at = open_page(ASSESSMENT, aid)
    assert "Chưa trả lời" in at.markdown[0].value or any("Chưa trả lời" in m.value for m in at.markdown)
    at.radio(key=key(aid, qid, "choice")).set_value(3).run()
    assert not at.exception
    assert store.load_answers(aid, NATIONAL)[qid].value == 3
    at.radio(key=key(aid, qid, "choice")).set_value("dont_know").run()
    assert store.load_answers(aid, NATIONAL)[qid].value == "dont_know"
    at.text_area(key=key(aid, qid, "evidence")).set_value("https://dakha.gov.vn/qd-12").run()
    assert store.load_answers(aid, NATIONAL)[qid].evidence == "https://dakha.gov.vn/qd-12"
    assert f"1/{len(bundle.questionnaire.questions)}" in at.get("progress")[0].proto.text


def test_moving_between_steps_keeps_answers(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    first, second = level_questions(bundle, 0)[0], level_questions(bundle, 1)[0]
    at = open_page(ASSESSMENT, aid)
    at.radio(key=key(aid, first, "choice")).set_value(4).run()
    at.button(key="journey_next_bottom").click().run()
    assert at.selectbox(key="journey_step_select").value == bundle.dimension_ids[1]
    at.radio(key=key(aid, second, "choice")).set_value(2).run()
    at.button(key="journey_prev_bottom").click().run()
    assert at.radio(key=key(aid, first, "choice")).value == 4
    # Jump anywhere with the step selector, and back.
    at.selectbox(key="journey_step_select").set_value(bundle.dimension_ids[1]).run()
    assert at.radio(key=key(aid, second, "choice")).value == 2
    stored = store.load_answers(aid, NATIONAL)
    assert (stored[first].value, stored[second].value) == (4, 2)


def test_a_reload_shows_the_stored_answers(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    qid = level_questions(bundle, 2)[1]
    store.save_answer(aid, qid, 5, NATIONAL, "t", evidence="Biên bản họp")
    at = open_page(ASSESSMENT, aid)  # a fresh session with ?a=<id>, as after a browser reload
    at.selectbox(key="journey_step_select").set_value(bundle.dimension_ids[2]).run()
    assert at.radio(key=key(aid, qid, "choice")).value == 5
    assert at.text_area(key=key(aid, qid, "evidence")).value == "Biên bản họp"


def test_not_applicable_without_a_reason_is_refused(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    qid = level_questions(bundle, 0)[0]
    at = open_page(ASSESSMENT, aid)
    at.radio(key=key(aid, qid, "choice")).set_value("na").run()
    assert not at.exception
    assert qid not in store.load_answers(aid, NATIONAL)  # nothing stored without a reason
    assert "Hãy nhập lý do" in texts(at)
    assert journey.completeness(bundle, store.load_answers(aid, NATIONAL)).states[qid] == "unanswered"

    at.text_area(key=key(aid, qid, "reason")).set_value("Xã không quản lý hệ thống này").run()
    stored = store.load_answers(aid, NATIONAL)[qid]
    assert (stored.value, stored.na_reason) == ("na", "Xã không quản lý hệ thống này")
    assert "Hãy nhập lý do" not in texts(at)

    # Emptying the reason is refused too: the saved reason stays.
    at.text_area(key=key(aid, qid, "reason")).set_value("   ").run()
    assert store.load_answers(aid, NATIONAL)[qid].na_reason == "Xã không quản lý hệ thống này"
    assert at.text_area(key=key(aid, qid, "reason")).value == "Xã không quản lý hệ thống này"
    assert "không được để trống" in texts(at)


def test_choosing_na_keeps_the_previous_answer_until_a_reason_is_given(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    qid = level_questions(bundle, 0)[0]
    store.save_answer(aid, qid, 2, NATIONAL, "t")
    at = open_page(ASSESSMENT, aid)
    at.radio(key=key(aid, qid, "choice")).set_value("na").run()
    assert store.load_answers(aid, NATIONAL)[qid].value == 2
    # ...and it blocks submitting while the reason is missing.
    at.selectbox(key="journey_step_select").set_value(journey.REVIEW_STEP).run()
    assert any(qid == m.question_id and m.state == "na_reason"
               for m in journey.completeness(bundle, store.load_answers(aid, NATIONAL), {qid}).missing)


def test_numeric_indicator_with_range_check(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    qid = numeric_question(bundle)
    dimension = bundle.questionnaire.question(qid).dimension_id
    at = open_page(ASSESSMENT, aid)
    at.selectbox(key="journey_step_select").set_value(dimension).run()
    at.text_input(key=key(aid, qid, "num")).set_value("57,5").run()
    assert store.load_answers(aid, NATIONAL)[qid].value == 57.5
    at.radio(key=key(aid, qid, "mode")).set_value("dont_know").run()
    assert store.load_answers(aid, NATIONAL)[qid].value == "dont_know"
    # Out of range is refused by the save function whatever the widget lets through.
    outcome = journey.save_number(store, bundle, aid, qid, 150.0, NATIONAL, "t")
    assert outcome.refusal == "out_of_range"
    assert store.load_answers(aid, NATIONAL)[qid].value == "dont_know"


def test_language_switch_keeps_answers_and_shows_english(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    qid = level_questions(bundle, 0)[0]
    at = open_page(ASSESSMENT, aid)
    at.radio(key=key(aid, qid, "choice")).set_value(3).run()
    # A first answer changes the progress: the step fragment reruns (not the sidebar and header), and
    # its step labels count the answer at once.
    dimension = bundle.questionnaire.question(qid).dimension_id
    total = len(bundle.questionnaire.dimension(dimension).questions)
    assert any(label.endswith(f"· 1/{total}") for label in at.selectbox(key="journey_step_select").options)
    with pytest.raises(KeyError):  # AppTest's tree holds that fragment's run only; a browser keeps the rest
        at.selectbox(key="lang")
    at.run()
    at.selectbox(key="lang").set_value("en").run()
    assert not at.exception
    radio = at.radio(key=key(aid, qid, "choice"))
    assert radio.value == 3
    level3 = bundle.questionnaire.level_definition(3).name.en
    statement = bundle.questionnaire.question(qid).option(3).statement.en
    assert f"**Level 3 · {level3}** — {statement}" in radio.options  # the statement at normal size
    assert "Unanswered" in texts(at) and "Chưa trả lời" not in texts(at)
    assert bundle.questionnaire.question(qid).text.en in texts(at)
    assert store.load_answers(aid, NATIONAL)[qid].value == 3


def test_submit_is_blocked_until_complete_and_lists_what_is_missing(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    complete = sample_response(bundle)
    missing_ids = [q.id for q in bundle.questionnaire.dimensions[4].questions][:2]
    for qid, value in complete.answers.items():
        if qid in missing_ids:
            continue
        note = complete.notes.get(qid)
        store.save_answer(aid, qid, value, NATIONAL, "t", na_reason=note.na_reason if note else None)
    at = open_page(ASSESSMENT, aid)
    at.selectbox(key="journey_step_select").set_value(journey.REVIEW_STEP).run()
    shown = texts(at)
    assert "Còn 2 câu hỏi" in shown
    for qid in missing_ids:
        assert bundle.questionnaire.question(qid).text.vi in shown
    at.checkbox(key="journey_confirm").check()
    at.button(key="journey_submit").click().run()
    assert "Chưa thể nộp" in texts(at)
    assert store.get_assessment(aid, NATIONAL).status == "draft"

    # The jump button goes to the dimension with the missing questions.
    dimension = bundle.questionnaire.dimensions[4].id
    at.button(key=f"journey_jump_{dimension}").click().run()
    assert at.selectbox(key="journey_step_select").value == dimension
    for qid in missing_ids:
        question = bundle.questionnaire.question(qid)
        if question.kind == "level":
            at.radio(key=key(aid, qid, "choice")).set_value(3).run()
        else:
            at.text_input(key=key(aid, qid, "num")).set_value("40").run()
    at.selectbox(key="journey_step_select").set_value(journey.REVIEW_STEP).run()
    assert "Đã trả lời đủ" in texts(at)
    assert "Chưa rõ" in texts(at)  # don't-know answers are allowed but warned about
    at.checkbox(key="journey_confirm").check()
    at.button(key="journey_submit").click().run()
    assert not at.exception
    assert store.get_assessment(aid, NATIONAL).status == "submitted"
    assert "Đã nộp bản đánh giá" in texts(at)


def test_a_submitted_assessment_is_read_only(store: Store, bundle: Bundle) -> None:
    info = store.import_response(sample_response(bundle), NATIONAL, "t", status="submitted")
    at = open_page(ASSESSMENT, info.id)
    qid = bundle.questionnaire.dimensions[0].questions[0].id
    assert at.radio(key=key(info.id, qid, "choice")).disabled
    assert at.text_area(key=key(info.id, qid, "evidence")).disabled
    assert "chỉ còn để xem" in texts(at)
    level = sample_response(bundle).answers[qid]
    name = bundle.questionnaire.level_definition(level).name.vi
    assert f"Câu trả lời đã nộp: **Cấp {level} · {name}**" in texts(at)  # the answer in words
    assert any(link.proto.page.endswith("results") or "results" in link.proto.page for link in at.get("page_link"))
    outcome = journey.save_choice(store, bundle, info.id, qid, 5, None, NATIONAL, "t")
    assert outcome.refusal == "locked"


@pytest.mark.parametrize("state", ["done", "dont_know", "unanswered", "na_reason"])
def test_completeness_states(store: Store, bundle: Bundle, state: str) -> None:
    aid = create_draft(store, bundle)
    qid = level_questions(bundle, 0)[0]
    if state == "done":
        store.save_answer(aid, qid, 4, NATIONAL, "t")
    elif state == "dont_know":
        store.save_answer(aid, qid, "dont_know", NATIONAL, "t")
    elif state == "na_reason":
        store.save_answer(aid, qid, "na", NATIONAL, "t")  # e.g. from an old import without a reason
    progress = journey.completeness(bundle, store.load_answers(aid, NATIONAL))
    assert progress.states[qid] == state
    assert progress.done == (1 if state in ("done", "dont_know") else 0)
    assert not progress.complete


def test_the_page_cache_matches_the_database_after_each_save(store: Store, bundle: Bundle) -> None:
    """The wizard updates its cache from the save's outcome instead of reading the database again:
    the row it computes must be exactly what the store holds."""
    aid = create_draft(store, bundle)
    level_q, numeric_q = level_questions(bundle, 0)[0], numeric_question(bundle)
    steps = [
        lambda cur: journey.save_evidence(store, aid, level_q, "  Quyết định 12  ", NATIONAL, "t", cur),
        lambda cur: journey.save_choice(store, bundle, aid, level_q, 3, None, NATIONAL, "t", cur),
        lambda cur: journey.save_choice(store, bundle, aid, level_q, "na", " Không áp dụng ", NATIONAL, "t", cur),
        lambda cur: journey.save_choice(store, bundle, aid, level_q, "dont_know", None, NATIONAL, "t", cur),
        lambda cur: journey.save_evidence(store, aid, level_q, "", NATIONAL, "t", cur),
        lambda cur: journey.save_number(store, bundle, aid, numeric_q, 80.0, NATIONAL, "t", cur),
        lambda cur: journey.save_number(store, bundle, aid, numeric_q, 57.5, NATIONAL, "t", cur),
        lambda cur: journey.save_special(store, bundle, aid, numeric_q, "value", None, None, NATIONAL, "t", cur),
    ]
    cache: dict[str, object] = {}
    for index, step in enumerate(steps):
        qid = numeric_q if index >= 5 else level_q
        outcome = step(cache.get(qid))
        assert outcome.saved
        if outcome.row is None:
            cache.pop(qid, None)
        else:
            cache[qid] = outcome.row
        stored = store.load_answers(aid, NATIONAL)

        def plain(row: object) -> tuple:
            return (row.value, row.na_reason, row.evidence)  # type: ignore[attr-defined]

        assert {k: plain(v) for k, v in cache.items()} == {k: plain(v) for k, v in stored.items()}, index


@pytest.mark.parametrize(("typed", "stored"), [("6,5", 6.5), ("62,5 %", 62.5), ("62.5%", 62.5), (" 80 ", 80)])
def test_a_percentage_takes_the_decimal_comma_and_a_percent_sign(store: Store, bundle: Bundle, typed: str,
                                                                  stored: float) -> None:
    aid = create_draft(store, bundle)
    qid = numeric_question(bundle)
    at = open_page(ASSESSMENT, aid)
    at.selectbox(key="journey_step_select").set_value(bundle.questionnaire.question(qid).dimension_id).run()
    at.text_input(key=key(aid, qid, "num")).set_value(typed).run()
    assert not at.exception
    assert store.load_answers(aid, NATIONAL)[qid].value == stored  # "6,5" is 6.5, never 65
    shown = f"{stored:g}".replace(".", ",")
    assert at.text_input(key=key(aid, qid, "num")).value == shown  # shown back the Vietnamese way


@pytest.mark.parametrize(("lang", "typed", "message"), [
    ("vi", "sáu mươi", "không phải là một tỉ lệ phần trăm"),
    ("vi", "1.234,5", "không phải là một tỉ lệ phần trăm"),
    ("vi", "625", "Giá trị phải nằm trong khoảng từ 0 đến 100%"),
    ("en", "sixty", "is not a percentage"),
    ("en", "150 %", "must be between 0 and 100"),
])
def test_anything_else_gets_the_apps_own_message_and_nothing_is_stored(store: Store, bundle: Bundle, lang: str,
                                                                        typed: str, message: str) -> None:
    aid = create_draft(store, bundle)
    qid = numeric_question(bundle)
    store.save_answer(aid, qid, 40, NATIONAL, "t")
    at = open_page(ASSESSMENT, aid, lang=lang)
    at.selectbox(key="journey_step_select").set_value(bundle.questionnaire.question(qid).dimension_id).run()
    at.text_input(key=key(aid, qid, "num")).set_value(typed).run()
    assert not at.exception
    assert message in texts(at)
    assert store.load_answers(aid, NATIONAL)[qid].value == 40  # the stored answer is kept
    assert at.text_input(key=key(aid, qid, "num")).value == typed  # what was typed stays, to correct it


def test_notes_are_saved_with_their_save_button_and_the_page_says_so(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    qid = level_questions(bundle, 0)[0]
    at = open_page(ASSESSMENT, aid)
    assert "Chưa có nội dung được lưu" in texts(at)
    at.radio(key=key(aid, qid, "choice")).set_value("na").run()
    # Typed, no Enter: the Save button stores it (in the browser, leaving the field does too).
    at.text_area(key=key(aid, qid, "reason")).set_value("Xã không quản lý hệ thống này")
    at.button(key=key(aid, qid, "save_reason")).click().run()
    stored = store.load_answers(aid, NATIONAL)[qid]
    assert (stored.value, stored.na_reason) == ("na", "Xã không quản lý hệ thống này")
    at.text_area(key=key(aid, qid, "evidence")).set_value("Công văn 45/UBND")
    at.button(key=key(aid, qid, "save_evidence")).click().run()
    assert store.load_answers(aid, NATIONAL)[qid].evidence == "Công văn 45/UBND"
    assert "✓ Đã lưu lúc" in texts(at)
    versions = store.load_answers(aid, NATIONAL)[qid].version
    at.button(key=key(aid, qid, "save_evidence")).click().run()  # nothing changed: no second write
    assert store.load_answers(aid, NATIONAL)[qid].version == versions
