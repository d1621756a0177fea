"""The wizard around the questions: the review step lists "don't know" and N/A answers with a jump to
each, a one-page summary before submitting, a comment per dimension, the round's deadline,
collapsing answered questions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from scoring.content import Bundle
from storage import Store
from storage.assessment_notes import dimension_comments
from storage.schema import RoundDeadlineRow
from tests.ui.conftest import NATIONAL, create_draft, open_page, sample_response, texts
from ui import journey

ASSESSMENT = "app_pages/assessment.py"


def fill(store: Store, bundle: Bundle, aid: int) -> dict:
    response = sample_response(bundle)
    for qid, value in response.answers.items():
        note = response.notes.get(qid)
        store.save_answer(aid, qid, value, NATIONAL, "t", na_reason=note.na_reason if note else None)
    return response.answers


def test_review_lists_dont_know_and_na_with_a_jump_and_a_summary(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    answers = fill(store, bundle, aid)
    dont_know = next(q for q, a in answers.items() if a == "dont_know")
    na = next(q for q, a in answers.items() if a == "na")
    at = open_page(ASSESSMENT, aid)
    at.selectbox(key="journey_step_select").set_value(journey.REVIEW_STEP).run()
    shown = texts(at)
    assert "1 câu trả lời “Chưa rõ”" in shown and "1 câu “Không áp dụng”" in shown
    assert bundle.questionnaire.question(dont_know).text.vi in shown
    assert "Không thuộc phạm vi quản lý của xã" in shown  # the N/A reason, in the list
    sizes = [len(frame.value) for frame in at.dataframe]
    assert len(bundle.questionnaire.questions) in sizes  # every answer in full (in an expander)
    # The one-page summary: a row per dimension, a short cell per question.
    summary = next(f.value for f in at.dataframe if "C1" in f.value.columns)
    assert len(summary) == len(bundle.dimension_ids)

    def cell(question_id: str) -> str:
        question = bundle.questionnaire.question(question_id)
        row = bundle.dimension_ids.index(question.dimension_id)
        column = [q.id for q in bundle.questionnaire.dimension(question.dimension_id).questions].index(question_id)
        return summary.iloc[row][f"C{column + 1}"]

    assert cell(dont_know) == "?" and cell(na) == "KAD"
    level_answered = next(q for q, a in answers.items() if isinstance(a, int))
    assert cell(level_answered) == str(answers[level_answered])
    total = len(bundle.questionnaire.dimensions[0].questions)
    assert summary.iloc[0]["Xong"] == f"{total}/{total}"
    at.button(key=f"journey_goto_dont_know_{dont_know}").click().run()
    assert at.selectbox(key="journey_step_select").value == bundle.questionnaire.question(dont_know).dimension_id
    scripts = " ".join(str(e.proto) for e in at.get("iframe"))
    assert f".st-key-block_{aid}_{dont_know.replace('.', '__')}" in scripts  # the page scrolls to that question
    at.selectbox(key="journey_step_select").set_value(journey.REVIEW_STEP).run()
    at.button(key=f"journey_goto_na_{na}").click().run()
    assert at.selectbox(key="journey_step_select").value == bundle.questionnaire.question(na).dimension_id


def test_a_comment_per_dimension_is_saved_and_frozen_after_submit(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    dimension = bundle.dimension_ids[0]
    at = open_page(ASSESSMENT, aid)
    at.text_area(key=f"journey_comment_{aid}_{dimension}").set_value("Kế hoạch đang trình UBND huyện phê duyệt")
    at.button(key=f"journey_comment_save_{dimension}").click().run()
    assert dimension_comments(store, aid, NATIONAL) == {dimension: "Kế hoạch đang trình UBND huyện phê duyệt"}
    assert "Nhận xét đã được lưu" in texts(at)
    fill(store, bundle, aid)
    store.submit(aid, NATIONAL, "t")
    at = open_page(ASSESSMENT, aid)
    assert at.text_area(key=f"journey_comment_{aid}_{dimension}").disabled


def test_the_rounds_deadline_is_shown(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    deadline = date.today() + timedelta(days=20)
    with store._write() as conn:
        conn.execute(insert(RoundDeadlineRow).values(round="2026", deadline=deadline, note=None,
                                                     updated_at=datetime.now(UTC), updated_by="t"))
    at = open_page(ASSESSMENT, aid)
    assert f"Hạn nộp của kỳ đánh giá: {deadline:%d/%m/%Y} (còn 20 ngày)" in texts(at)


def test_answered_questions_can_be_collapsed(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    first = bundle.questionnaire.dimensions[0].questions[0]
    store.save_answer(aid, first.id, 4, NATIONAL, "t")
    at = open_page(ASSESSMENT, aid)
    assert not at.expander
    at.toggle(key="journey_collapse_answered").set_value(True).run()
    labels = [e.label for e in at.expander]
    assert len(labels) == 1 and labels[0].startswith(f"✓ 1. {first.text.vi}")
    assert at.radio(key=f"q_{aid}_{first.id}_choice").value == 4  # still there, inside
