"""The page frame of every script run (`app.py` serves it): page config, language, rubric, navigation.
Pages live in app_pages/ and stay thin."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from scoring.content import shipped_rubrics
from scoring.errors import ContentError
from ui.auth import identity_badge, main_identity_strip, may_choose_rubric, resolve_principal, rubric_selector
from ui.coordinator_page.source import start_warming
from ui.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    LANGUAGES,
    relabel_widgets_after_switch,
    streamlit_texts_style,
    t,
)
from ui.navigation import navigation_pages
from ui.run_marker import page_run, stop_run
from ui.state import get_bundle

FAVICON = Path(__file__).parent / "ui" / "assets" / "favicon.png"

# The tab's icon is served by this server: a Material icon name would make every browser fetch it
# from fonts.gstatic.com (not reachable from a closed government network, and not Google's business).
st.set_page_config(page_title="DMM-VN", page_icon=str(FAVICON), layout="wide")

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
    stop_run()

if may_choose_rubric(principal):
    with st.sidebar:
        rubric_selector(bundle)

# Pages by role from one table (ui/navigation.py); other addresses answer in the app's language.
start_warming()  # once per server: the coordinator's latest round, loaded in the background
with page_run():  # its last element says the run has ended (browser tests wait for it)
    st.navigation(navigation_pages(principal)).run()
