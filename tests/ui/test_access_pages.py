"""The pages of issue 8 in AppTest: local mode as today, the reviewer's page, the users page.

The signed-in person is what `ui.auth` puts in session state after st.login (a `Principal` read from
the users table); these tests put it there directly and never fake `st.user`. The sign-in itself is
tested end to end against a real OpenID Connect provider in tests/e2e/test_signin.py.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from scoring.content import Bundle
from storage import Accounts, Principal, Review, Store
from ui.state import PRINCIPAL_KEY

from .conftest import ACTOR, AGENCY, NATIONAL, ROOT, new_app, sample_response, texts

REVIEWER = Principal("review@daklak.gov.vn", "reviewer", "province:tinh_dak_lak")
OTHER_REVIEWER = Principal("review@hanoi.gov.vn", "reviewer", "province:ha_noi")
ADMIN = Principal("admin@mic.gov.vn", "admin", "national")
LEAD = Principal("lead@dakha.gov.vn", "it_lead", f"agency:{AGENCY.id}")


def _people(store: Store) -> None:
    accounts = Accounts(store)
    for who in (REVIEWER, OTHER_REVIEWER, ADMIN, LEAD):
        accounts.add_user(who.email, who.role, who.scope_text, NATIONAL, ACTOR)


def _page(path: str, who: Principal) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=30)
    at.session_state[PRINCIPAL_KEY] = who
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    return at


def test_local_mode_is_labelled_and_keeps_todays_pages(db_url: str) -> None:
    at = new_app()
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert "Local mode (single user)" in texts(at)
    assert [s.label for s in at.sidebar.selectbox][-1] == "Rubric"  # the rubric selector as today


def test_reviewer_returns_with_a_comment_then_accepts(db_url: str, store: Store, bundle: Bundle) -> None:
    _people(store)
    info = store.import_response(sample_response(bundle), NATIONAL, ACTOR, status="submitted")
    question = bundle.questionnaire.questions[0].id
    at = _page("app_pages/review.py", REVIEWER)
    at.selectbox(key="review_pick").set_value(info.id).run()
    at.text_input(key=f"review_comment_{info.id}_{question.replace('.', '__')}").input("Need the decision").run()
    at.button(key=f"review_return_{info.id}").click().run()
    assert "Write in the box above" in texts(at)  # no reason: nothing returned
    assert store.get_assessment(info.id, NATIONAL).status == "submitted"
    at.text_area(key=f"review_overall_{info.id}").input("Attach the decision for question 1").run()
    at.button(key=f"review_return_{info.id}").click().run()
    assert not at.exception
    assert store.get_assessment(info.id, NATIONAL).status == "returned"
    comments = Review(store).comments(info.id, NATIONAL)
    assert [(c.question_id, c.body, c.author) for c in comments] == [(question, "Need the decision", REVIEWER.email)]
    store.submit(info.id, LEAD, "x")
    at = _page("app_pages/review.py", REVIEWER)
    at.selectbox(key="review_pick").set_value(info.id).run()
    at.button(key=f"review_accept_{info.id}").click().run()
    assert store.get_assessment(info.id, NATIONAL).status == "accepted"
    assert "Accepted: the assessment is final" in texts(at)


def test_a_reviewer_of_another_province_sees_nothing(db_url: str, store: Store, bundle: Bundle) -> None:
    _people(store)
    store.import_response(sample_response(bundle), NATIONAL, ACTOR, status="submitted")
    at = _page("app_pages/review.py", OTHER_REVIEWER)
    assert "No assessment has been submitted for your review yet." in texts(at)
    assert AGENCY.name not in texts(at)


def test_admin_adds_a_user_and_an_it_lead_cannot_see_the_users(db_url: str, store: Store) -> None:
    _people(store)
    at = _page("app_pages/users.py", ADMIN)
    at.text_input(key="users_add_email").input("new@dakha.gov.vn")
    at.selectbox(key="users_add_role").set_value("respondent")
    at.text_input(key="users_add_scope").input(f"agency:{AGENCY.id}")
    at.button(key="users_add_submit").click().run()
    assert not at.exception
    assert Accounts(store).principal_for("new@dakha.gov.vn") == Principal(
        "new@dakha.gov.vn", "respondent", f"agency:{AGENCY.id}")
    at = _page("app_pages/users.py", LEAD)
    assert "may not manage users" in texts(at)
    assert "new@dakha.gov.vn" not in texts(at)
    assert any(e.action == "refused" and e.actor == LEAD.email for e in store.audit_trail(NATIONAL, limit=20))
