"""Results of the open assessment (or one picked here): the engine's result, charts and downloads."""

from __future__ import annotations

import streamlit as st

from storage import StorageError, round_sort_key
from storage.assessment_notes import dimension_comments
from ui import evidence_view, journey, record_bundle, review_view, widgets
from ui.i18n import current_language, t, translate
from ui.results_view import render_agency_result, render_downloads
from ui.run_marker import stop_run
from ui.state import current_scope, get_bundle, get_store

bundle = get_bundle()
store = get_store()
scope = current_scope()

st.title(t("common.nav_results"))
widgets.show_flash()

assessments = store.list_assessments(scope)
if not assessments:
    st.info(t("results.none"))
    st.page_link("app_pages/start.py", label=t("assessment.go_start"), icon="🏠")
    stop_run()
names = {a.id: a.name for a in store.list_agencies(scope)}
assessments.sort(key=lambda a: (names.get(a.agency_id, a.agency_id), round_sort_key(a.round)))
by_id = {a.id: a for a in assessments}


def _label(assessment_id: int, lang: str = current_language()) -> str:
    info = by_id[assessment_id]
    status = translate(lang, f"access.status_{info.status}")
    return f"{journey.assessment_label(info, names)} · {status}"


def _on_pick() -> None:
    journey.set_open_assessment(st.session_state.get("results_pick"))


open_id = journey.open_assessment_id()
st.session_state["results_pick"] = open_id if open_id in by_id else None
st.selectbox(t("results.pick"), list(by_id), key="results_pick", index=None, format_func=_label,
             on_change=_on_pick, placeholder=t("results.pick_placeholder"))
chosen = st.session_state.get("results_pick")
if chosen is None:
    st.info(t("results.pick_help"))
    stop_run()

info = by_id[chosen]
bundle = get_bundle(version=info.questionnaire_version)  # a round is scored on the version it was answered on
try:
    response = journey.stored_response(store, info.id, scope)
except StorageError as exc:
    st.error(str(exc))
    stop_run()
if response.questionnaire != bundle.questionnaire.id:
    st.error(t("assessment.other_questionnaire", questionnaire=response.questionnaire))
    stop_run()
result = journey.score_response(response, bundle)
if result is None:
    st.info(t("results.no_answers"))
    st.page_link("app_pages/assessment.py", label=t("results.go_assessment"), icon="📝",
                 query_params={journey.QUERY_KEY: str(info.id)})
    stop_run()

review_view.render_status_block(info.id)  # issue 8: status, submitter, reviewer, dates
provisional = not info.is_submitted
if provisional:
    st.warning(t("results.provisional"), icon=":material/hourglass_top:")
record = record_bundle.record_facts(store, evidence_view.get_evidence(), info, scope,
                                    dimension_comments=dimension_comments(store, info.id, scope))
render_downloads(result, bundle, response, provisional, key="results", assessment_id=info.id, record=record)
st.divider()
render_agency_result(result, bundle, key="results")
