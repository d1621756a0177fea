"""The rounds page in AppTest (issue 8): an administrator opens a round on a registry version with its
deadline, moves the deadline and closes the round; a province coordinator is refused (and audited).
The signed-in person is put in session state as `ui.auth` does after st.login (see test_access_pages)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from streamlit.testing.v1 import AppTest

from scoring.registry import versions
from storage import Accounts, Principal, Store
from storage.rounds import Rounds, round_version
from ui.state import PRINCIPAL_KEY

from .conftest import ACTOR, NATIONAL, ROOT, texts

ADMIN = Principal("admin@mic.gov.vn", "admin", "national")
PROVINCE_COORDINATOR = Principal("coord@daklak.gov.vn", "coordinator", "province:tinh_dak_lak")


def _page(who: Principal) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/rounds.py"), default_timeout=30)
    at.session_state[PRINCIPAL_KEY] = who
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    return at


def _open_round(at: AppTest, round_id: str, version: str, due: date) -> None:
    """Fill in and send the page's "open a new round" form."""
    at.text_input(key="rounds_new_id").input(round_id)
    at.selectbox(key="rounds_new_version").set_value(version)
    at.date_input(key="rounds_new_deadline").set_value(due)
    at.button(key="rounds_open_submit").click().run()
    assert not at.exception, at.exception


def test_admin_opens_moves_and_closes_a_round(db_url: str, store: Store) -> None:
    for who in (ADMIN, PROVINCE_COORDINATOR):
        Accounts(store).add_user(who.email, who.role, who.scope_text, NATIONAL, ACTOR)
    old = versions("dmm-vn")[0]
    due = date.today() + timedelta(days=45)
    at = _page(ADMIN)
    assert "No assessment round yet." in texts(at)
    _open_round(at, "2027-1", old, due)
    assert "Round 2027-1 is open." in texts(at)
    assert round_version(store, "2027-1") == ("dmm-vn", old)
    shown = at.dataframe[0].value
    assert shown.iloc[0].tolist() == ["2027-1", old, due.isoformat(), "Open", 0, 0, 0]

    later = due + timedelta(days=10)
    at.date_input(key="rounds_deadline_2027-1").set_value(later)
    at.button(key="rounds_save_deadline").click().run()
    assert "The deadline of round 2027-1 is saved." in texts(at)
    at.button(key="rounds_close").click().run()
    assert "Round 2027-1 is closed." in texts(at)
    (record,) = Rounds(store).list_rounds(NATIONAL)
    assert (record.deadline, record.is_closed, record.closed_by) == (later, True, ADMIN.email)
    assert at.dataframe[0].value.iloc[0, 3].startswith("Closed (")

    at = _page(PROVINCE_COORDINATOR)
    assert "same for the whole country" in texts(at)
    assert "2027-1" not in texts(at)
    assert any(e.action == "refused" and e.actor == PROVINCE_COORDINATOR.email
               for e in store.audit_trail(NATIONAL, limit=20))


def test_the_start_page_offers_the_open_round_on_its_version_and_a_closed_round_refuses(
        db_url: str, store: Store) -> None:
    from .conftest import AGENCY, open_page

    old = versions("dmm-vn")[0]
    store.upsert_agency(AGENCY, NATIONAL, ACTOR)
    Rounds(store).open_round("2027-1", "dmm-vn", old, date.today() + timedelta(days=30), NATIONAL, ACTOR)
    at = open_page("app_pages/start.py", lang="en")
    at.selectbox(key="start_agency").set_value(AGENCY.id).run()
    assert at.text_input(key="start_round").value == "2027-1", "the round the coordinators opened"
    Rounds(store).close("2027-1", NATIONAL, ACTOR)
    at.button(key="start_new_round").click().run()
    assert "Round 2027-1 was closed" in texts(at)
    assert store.list_assessments(NATIONAL) == []
    Rounds(store).reopen("2027-1", NATIONAL, ACTOR)
    at = open_page("app_pages/start.py", lang="en")
    at.selectbox(key="start_agency").set_value(AGENCY.id).run()
    at.button(key="start_new_round").click().run()
    assert not at.exception, at.exception
    [info] = store.list_assessments(NATIONAL)
    assert (info.round, info.questionnaire_version) == ("2027-1", old), "answered on the round's version"


def test_a_draft_in_a_closed_round_says_so_instead_of_a_deadline(db_url: str, store: Store) -> None:
    from scoring.content import load_bundle

    from .conftest import create_draft, open_page

    aid = create_draft(store, load_bundle())
    rounds = Rounds(store)
    rounds.set_deadline("2026", date.today() + timedelta(days=20), NATIONAL, ACTOR)
    at = open_page("app_pages/assessment.py", aid, lang="en")
    assert "(20 days left)" in texts(at) and "was closed" not in texts(at)
    rounds.close("2026", NATIONAL, ACTOR)
    at = open_page("app_pages/assessment.py", aid, lang="en")
    shown = texts(at)
    assert f"Round 2026 was closed on {datetime.now(UTC):%d/%m/%Y}" in shown and "days left" not in shown


def test_the_start_page_import_into_a_closed_round_is_refused_in_the_app_language(db_url: str, store: Store) -> None:
    from scoring.content import load_bundle
    from scoring.response_frame import response_to_yaml

    from .conftest import AGENCY, create_draft, open_page, sample_response

    bundle = load_bundle()
    aid = create_draft(store, bundle)  # a draft the file would merge into
    store.save_answer(aid, bundle.questionnaire.questions[0].id, 2, NATIONAL, ACTOR)
    rounds = Rounds(store)
    rounds.set_deadline("2026", date.today() + timedelta(days=20), NATIONAL, ACTOR)
    rounds.close("2026", NATIONAL, ACTOR)
    before = store.load_answers(aid, NATIONAL)
    at = open_page("app_pages/start.py")
    good = response_to_yaml(sample_response(bundle, agency=AGENCY)).encode()
    at.file_uploader(key="start_import").set_value(("dak_ha.yaml", good, "application/x-yaml")).run()
    assert not at.exception, at.exception
    today = datetime.now(UTC).date()
    assert [e.value for e in at.error] == [
        f"dak_ha.yaml: kỳ đánh giá 2026 đã đóng ngày {today:%d/%m/%Y} nên tệp không được nhập, không có gì thay "
        "đổi. Nếu tệp này vẫn cần được tính, hãy đề nghị điều phối viên mở lại kỳ đánh giá."]
    assert store.load_answers(aid, NATIONAL) == before and len(store.list_assessments(NATIONAL)) == 1
    at.selectbox(key="lang").set_value("en").run()  # the message follows the language
    assert [e.value for e in at.error] == [
        f"dak_ha.yaml: round 2026 was closed on {today.isoformat()}, so nothing was imported and nothing was "
        "changed. If this file must still count, ask your coordinator to reopen the round."]


def test_local_mode_manages_rounds_also_right_after_a_language_switch(db_url: str, store: Store) -> None:
    """Local mode (no sign-in: one person acting as the whole country) has the rounds page, beside data
    already in the database, in Vietnamese and then in English straight after the switch."""
    from scoring.content import load_bundle

    from .conftest import AGENCY, open_page, sample_response

    bundle = load_bundle()
    store.import_response(sample_response(bundle), NATIONAL, ACTOR)  # round 2026 submitted, no round record
    at = open_page("app_pages/rounds.py")
    assert [t.value for t in at.title] == ["Kỳ đánh giá"], "the page itself, not 'not available'"
    assert at.dataframe[0].value.iloc[0].tolist() == ["2026", "— (theo đơn vị)", "", "Chưa có hồ sơ kỳ", 0, 1, 0]
    version = versions("dmm-vn")[-1]
    due = date.today() + timedelta(days=60)
    _open_round(at, "2027", version, due)
    assert "Đã mở kỳ 2027." in texts(at)

    at.selectbox(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Assessment rounds"]
    assert at.dataframe[0].value.iloc[0].tolist() == ["2027", version, due.isoformat(), "Open", 0, 0, 0]
    assert at.selectbox(key="rounds_pick").value == "2027"
    at.button(key="rounds_close").click().run()  # the first action after the switch
    assert not at.exception, at.exception
    assert "Round 2027 is closed." in texts(at)
    (record,) = [r for r in Rounds(store).list_rounds(NATIONAL) if r.round == "2027"]
    assert record.is_closed and record.closed_by == "it-lead"
    at.selectbox(key="rounds_pick").set_value("2026").run()
    at.date_input(key="rounds_deadline_2026").set_value(due)
    at.button(key="rounds_save_deadline").click().run()
    assert "The deadline of round 2026 is saved." in texts(at)

    # The local Start page offers no closed round: the round is this year's again.
    at.switch_page("app_pages/start.py").run()
    at.selectbox(key="start_agency").set_value(AGENCY.id).run()
    assert at.text_input(key="start_round").value != "2027"
