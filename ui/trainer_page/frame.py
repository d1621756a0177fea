"""The trainer page's frame: the presentation-mode switch (projector: larger type, no sidebar) with the
page's CSS, and the view selector.
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import current_language, t, translate

VIEWS = ("criteria", "glossary", "targets", "sample", "compare", "handbook")

BASE_CSS = """
<style>
.dmm-matrix {border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 0.86rem; line-height: 1.4;
  margin-bottom: 0.6rem;}
.dmm-matrix th, .dmm-matrix td {border: 1px solid rgba(128,128,128,0.35); padding: 0.45rem 0.55rem;
  vertical-align: top; text-align: left; overflow-wrap: break-word;}
.dmm-matrix thead th {background: rgba(28,131,225,0.10); font-weight: 600;}
.dmm-matrix th.q, .dmm-matrix td.q {width: 22%;}
.dmm-matrix.single th.q, .dmm-matrix.single td.q {width: 30%;}
.dmm-matrix .qid {font-family: ui-monospace, monospace; font-size: 0.82em; opacity: 0.75; display: block;
  margin-bottom: 0.2rem;}
.dmm-matrix .qtext {font-weight: 600;}
.dmm-matrix .guide {font-size: 0.88em; opacity: 0.75; margin-top: 0.3rem;}
.dmm-matrix .ev {font-size: 0.9em; opacity: 0.78; margin-top: 0.35rem; border-top: 1px dashed rgba(128,128,128,0.4);
  padding-top: 0.25rem;}
.dmm-matrix .lvname {font-weight: 400; font-size: 0.9em; display: block;}
.dmm-matrix .tag {display: inline-block; font-size: 0.75em; font-weight: 600; padding: 0 0.35rem; margin-top: 0.2rem;
  border-radius: 0.6rem; background: #ffe9a8; color: #5a4300;}
.dmm-matrix td.target {background: rgba(255,196,0,0.08);}
.dmm-matrix mark {background: #ffe066; color: inherit; padding: 0 0.1em; border-radius: 0.15em;}
.dmm-matrix .adv {font-size: 0.88em; margin-top: 0.35rem; border-top: 1px dashed rgba(128,128,128,0.4);
  padding-top: 0.25rem;}
</style>
"""

PRESENTATION_CSS = """
<style>
[data-testid="stMain"] {font-size: 1.3rem;}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] label p {font-size: 1.3rem !important; line-height: 1.5;}
[data-testid="stMain"] h1 {font-size: 2.1rem !important;}
[data-testid="stMain"] h2 {font-size: 2.3rem !important;}
[data-testid="stMain"] h3 {font-size: 1.9rem !important;}
[data-testid="stMain"] .dmm-matrix {font-size: 1.02rem; line-height: 1.3;}
[data-testid="stMain"] .dmm-matrix th, [data-testid="stMain"] .dmm-matrix td {padding: 0.3rem 0.45rem;}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"] {
  display: none !important;}
[data-testid="stMainBlockContainer"] {padding-top: 1.2rem !important;}
[data-testid="stMain"] h1 {margin: 0 !important; padding: 0 !important;}
[data-testid="stMain"] [data-testid="stTable"] td, [data-testid="stMain"] [data-testid="stTable"] th {
  font-size: 1.25rem !important;}
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] p {
  font-size: 2.6rem !important; white-space: normal !important; overflow: visible !important;}
[data-testid="stMain"] [data-baseweb="select"] div, [data-testid="stMain"] input {font-size: 1.2rem !important;}
[data-testid="stMain"] button p {font-size: 1.2rem !important;}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p span {font-size: 1.2rem !important;}
[data-testid="stMain"] [data-testid="stMetricDelta"], [data-testid="stMain"] [data-testid="stMetricLabel"] p {
  font-size: 1.3rem !important;}
[data-testid="stMain"] .block-container, [data-testid="stMainBlockContainer"] {max-width: 100%;
  padding-left: 2rem; padding-right: 2rem;}
</style>
"""


def presentation_toggle() -> bool:
    """The switch for projector use, at the top of the page (presentation mode hides the sidebar, so the way out
    must stay on screen); kept across page switches."""
    if "presentation" in st.session_state:
        st.session_state["presentation"] = st.session_state["presentation"]
    _, right = st.columns([4, 1])
    with right:
        st.toggle(t("trainer.presentation"), key="presentation", help=t("trainer.presentation_help"))
    presentation = bool(st.session_state.get("presentation", False))
    st.html(BASE_CSS + (PRESENTATION_CSS if presentation else ""))
    return presentation


def view_selector() -> str:
    lang = current_language()
    view = st.segmented_control(
        t("trainer.view"), VIEWS, key="trainer_view", default="criteria", required=True,
        format_func=lambda v: translate(lang, f"trainer.view_{v}"), label_visibility="collapsed",
    )
    return view or "criteria"
