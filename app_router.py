"""The page frame of every script run (`app.py` serves it): page config, language, rubric, navigation.
Pages live in app_pages/ and stay thin."""

from __future__ import annotations

import streamlit as st

from scoring.content import shipped_rubrics
from scoring.errors import ContentError
from ui.auth import (
    identity_badge,
    main_identity_strip,
    may_choose_rubric,
    page_keys,
    resolve_principal,
    rubric_selector,
    unavailable_pages,
)
from ui.coordinator_page.source import start_warming
from ui.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    LANGUAGES,
    relabel_widgets_after_switch,
    streamlit_texts_style,
    t,
)
from ui.state import get_bundle
from ui.unknown_address import not_found_pages

st.set_page_config(page_title="DMM-VN", page_icon=":material/insights:", layout="wide")

# The language and rubric survive a browser reload through the URL's query parameters.
if "lang" not in st.session_state:
    wanted = st.query_params.get("lang", DEFAULT_LANGUAGE)
    st.session_state["lang"] = wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE
if "rubric" not in st.session_state:
    wanted = st.query_params.get("rubric", "standard")
    st.session_state["rubric"] = wanted if wanted in shipped_rubrics() else "standard"
relabel_widgets_after_switch()
if st.session_state["rubric"] not in shipped_rubrics():  # never an error page for a stale widget value
    st.session_state["rubric"] = "standard"

with st.sidebar:
    st.selectbox("Ngôn ngữ / Language", LANGUAGES, format_func=LANGUAGE_NAMES.get, key="lang")
    if st.query_params.get("lang") != st.session_state["lang"]:
        st.query_params["lang"] = st.session_state["lang"]
st.html(streamlit_texts_style(st.session_state["lang"]))

# Signed in (OIDC mode) or local mode; an unknown person gets "ask your administrator" and no data.
principal = resolve_principal()
with st.sidebar:
    identity_badge(principal)
main_identity_strip(principal)  # the sidebar is collapsed on a phone: the mode is said on the page too

try:
    bundle = get_bundle()
    if not may_choose_rubric(principal):  # the official rubric of the programme, fixed
        st.session_state["rubric"] = bundle.targets.official_rubric
        bundle = get_bundle()
except ContentError as exc:
    st.error(t("common.content_error"))
    st.code("\n".join(str(p) for p in exc.problems), language=None)
    st.stop()

if may_choose_rubric(principal):
    with st.sidebar:
        rubric_selector(bundle)

ALL_PAGES = {
    "start": ("agency", lambda: st.Page("app_pages/start.py", title=t("common.nav_start"), icon=":material/home:")),
    "assessment": ("agency", lambda: st.Page("app_pages/assessment.py", title=t("common.nav_assessment"),
                                             icon=":material/edit_note:", url_path="assessment")),
    "results": ("agency", lambda: st.Page("app_pages/results.py", title=t("common.nav_results"),
                                          icon=":material/insights:", url_path="results")),
    "team": ("agency", lambda: st.Page("app_pages/team.py", title=t("access.nav_team"), icon=":material/group:",
                                       url_path="team")),
    "review": ("review", lambda: st.Page("app_pages/review.py", title=t("access.nav_review"),
                                         icon=":material/rate_review:", url_path="review")),
    "coordinator": ("national", lambda: st.Page("app_pages/coordination.py", title=t("common.nav_coordinator"),
                                                icon=":material/map:", url_path="coordinator")),
    "trainer": ("training", lambda: st.Page("app_pages/training.py", title=t("common.nav_trainer"),
                                            icon=":material/school:", url_path="trainer")),
    "users": ("admin", lambda: st.Page("app_pages/users.py", title=t("access.nav_users"),
                                       icon=":material/manage_accounts:", url_path="users")),
    "rounds": ("admin", lambda: st.Page("app_pages/rounds.py", title=t("rounds.nav"), icon=":material/event:",
                                        url_path="rounds")),
}
SECTIONS = {"agency": "common.section_agency", "review": "access.section_review",
            "national": "common.section_national", "training": "common.section_training",
            "admin": "access.section_admin"}

# Pages are built per run from the role: a page a role may not use does not exist for that session.
# The role's first page is the default one, served at the root URL. The other pages' addresses answer
# "not available for your role" (hidden from the menu) instead of Streamlit's English "Page not found".
pages: dict[str, list] = {}
for key in page_keys(principal):
    section, build = ALL_PAGES[key]
    pages.setdefault(t(SECTIONS[section]), []).append(build())
if pages:
    first_section = next(iter(pages.values()))
    others = [build() for key, (_, build) in ALL_PAGES.items() if key not in page_keys(principal)]
    first_section += unavailable_pages(principal, others, first_section[0])
    # Any other address (/foo): "page not found" in the app's language, not Streamlit's English dialog.
    known = {page.url_path for section in pages.values() for page in section}
    first_section += not_found_pages(known, first_section[0])
start_warming()  # once per server: the coordinator's latest round, loaded in the background
st.navigation(pages).run()
