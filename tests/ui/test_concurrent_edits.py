"""Two sessions on the same question: the later, stale change is refused with a clear message and a
reload offer; nothing is silently overwritten."""

from __future__ import annotations

from scoring.content import Bundle
from storage import Store
from tests.ui.conftest import NATIONAL, create_draft, open_page, texts
from ui import journey

ASSESSMENT = "app_pages/assessment.py"
STALE_VI = "CHƯA được lưu"
STALE_EN = "was NOT saved"


def key(aid: int, qid: str, part: str) -> str:
    return f"q_{aid}_{qid}_{part}"


def first_level_question(bundle: Bundle) -> str:
    return next(q.id for q in bundle.questionnaire.dimensions[0].questions if q.kind == "level")


def test_the_second_session_is_told_and_nothing_is_overwritten(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    qid = first_level_question(bundle)
    lan = open_page(ASSESSMENT, aid)  # both open the same question...
    minh = open_page(ASSESSMENT, aid)

    lan.radio(key=key(aid, qid, "choice")).set_value(3).run()  # ...Lan answers first
    assert not lan.exception
    assert store.load_answers(aid, NATIONAL)[qid].value == 3

    minh.radio(key=key(aid, qid, "choice")).set_value(5).run()  # Minh's page still shows no answer
    assert not minh.exception
    assert store.load_answers(aid, NATIONAL)[qid].value == 3  # Lan's answer is kept
    assert STALE_VI in texts(minh)
    assert minh.radio(key=key(aid, qid, "choice")).value == 3  # Minh now sees what is stored
    reload = minh.button(key=key(aid, qid, "reload"))
    assert reload.label == "Tải lại các câu trả lời mới nhất"

    reload.click().run()
    assert STALE_VI not in texts(minh)
    minh.radio(key=key(aid, qid, "choice")).set_value(5).run()  # now based on the latest: saved
    assert store.load_answers(aid, NATIONAL)[qid].value == 5
    assert STALE_VI not in texts(minh)

    # And Lan, whose page still shows her 3, is refused in turn when she changes her evidence note.
    lan.text_area(key=key(aid, qid, "evidence")).set_value("Quyết định 12").run()
    stored = store.load_answers(aid, NATIONAL)[qid]
    assert (stored.value, stored.evidence) == (5, None)
    assert STALE_VI in texts(lan)
    assert lan.radio(key=key(aid, qid, "choice")).value == 5


def test_the_refusal_is_worded_in_english_after_a_language_switch(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    qid = first_level_question(bundle)
    page = open_page(ASSESSMENT, aid, lang="en")
    store.save_answer(aid, qid, 2, NATIONAL, "colleague")  # someone else, after the page was drawn
    page.radio(key=key(aid, qid, "choice")).set_value(4).run()
    assert not page.exception
    assert STALE_EN in texts(page)
    assert STALE_VI not in texts(page)
    assert page.button(key=key(aid, qid, "reload")).label == "Reload the latest answers"
    assert store.load_answers(aid, NATIONAL)[qid].value == 2


def test_save_functions_name_the_version_of_the_row_they_were_given(store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    qid = first_level_question(bundle)
    first = journey.save_choice(store, bundle, aid, qid, 3, None, NATIONAL, "lan", None)
    assert first.saved and first.row is not None
    assert first.row.version == store.load_answers(aid, NATIONAL)[qid].version
    refused = journey.save_choice(store, bundle, aid, qid, 4, None, NATIONAL, "minh", None)  # saw no row
    assert (refused.saved, refused.refusal) == (False, "stale")
    again = journey.save_evidence(store, aid, qid, "Biên bản", NATIONAL, "lan", first.row)
    assert again.saved and again.row is not None and again.row.version > first.row.version
    assert journey.save_evidence(store, aid, qid, "Khác", NATIONAL, "minh", first.row).refusal == "stale"
