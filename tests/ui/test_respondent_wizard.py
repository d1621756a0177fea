"""A respondent's wizard (issue 8) shows only the dimensions assigned to them, and says so clearly
when none is. The signed-in person is put in session state as `ui.auth` does after st.login."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from scoring.content import Bundle
from storage import Accounts, Principal, Review, Store
from ui import journey
from ui.state import PRINCIPAL_KEY

from .conftest import ACTOR, AGENCY, NATIONAL, ROOT, create_draft, texts

RESPONDENT = Principal("resp@dakha.gov.vn", "respondent", f"agency:{AGENCY.id}")


def _wizard(aid: int) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/assessment.py"), default_timeout=30)
    at.session_state[PRINCIPAL_KEY] = RESPONDENT
    at.session_state["lang"] = "en"
    at.query_params[journey.QUERY_KEY] = str(aid)
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_respondent_sees_only_the_assigned_dimensions(db_url: str, store: Store, bundle: Bundle) -> None:
    aid = create_draft(store, bundle)
    Accounts(store).add_user(RESPONDENT.email, RESPONDENT.role, RESPONDENT.scope_text, NATIONAL, ACTOR)
    at = _wizard(aid)
    assert "No dimension of this assessment is assigned to you yet" in texts(at)
    assert [s.key for s in at.selectbox] == [], "no step selector, no question"

    first, third = bundle.dimension_ids[0], bundle.dimension_ids[2]
    for dimension in (third, first):
        Review(store).assign(aid, dimension, RESPONDENT.email, NATIONAL, ACTOR)
    at = _wizard(aid)
    steps = at.selectbox(key="journey_step_select").options
    names = [bundle.questionnaire.dimension(d).name.en for d in (first, third)]
    assert len(steps) == 3 and all(name in step for name, step in zip(names, steps, strict=False)), steps
    other = bundle.dimension_ids[1]
    assert bundle.questionnaire.dimension(other).name.en not in " ".join(steps)
    shown = texts(at)
    assert "No dimension of this assessment is assigned" not in shown
    assert bundle.questionnaire.dimension(first).questions[0].text.en in shown
    at.selectbox(key="journey_step_select").set_value(journey.REVIEW_STEP).run()
    assert not at.exception, at.exception
    assert "Your agency's IT lead submits the assessment" in texts(at)
    assert "journey_submit" not in [b.key for b in at.button], "a respondent is offered no submit button"
