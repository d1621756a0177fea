"""The assessment wizard: one dimension per step, every answer saved the moment it is given."""

from __future__ import annotations

import streamlit as st

from storage import NotFound, StorageError
from ui import journey, widgets
from ui.i18n import t, tx
from ui.state import current_scope, get_bundle, get_store

bundle = get_bundle()
store = get_store()
scope = current_scope()
widgets.show_flash()

assessment_id = journey.open_assessment_id()
info = None
if assessment_id is not None:
    try:
        info = store.get_assessment(assessment_id, scope)
    except (NotFound, StorageError):
        journey.set_open_assessment(None)
        st.warning(t("assessment.not_found"))
if info is None:
    st.title(t("common.nav_assessment"))
    st.info(t("assessment.none_open"))
    st.page_link("app_pages/start.py", label=t("assessment.go_start"), icon="🏠")
    st.stop()

agency = store.get_agency(info.agency_id, scope)
answers = widgets.load_answers(info.id)
progress = journey.completeness(bundle, answers, widgets.pending_na(info.id))
steps = [*bundle.dimension_ids, journey.REVIEW_STEP]
if info.is_submitted:
    default_step = bundle.dimension_ids[0]
elif progress.complete:
    default_step = journey.REVIEW_STEP
else:
    default_step = progress.first_incomplete_dimension() or bundle.dimension_ids[0]
step = journey.current_step(steps, default_step)

st.title(agency.name if agency else info.agency_id)
status = t("assessment.status_submitted") if info.is_submitted else t("assessment.status_draft")
st.caption(t("assessment.caption", round=info.round, questionnaire=info.questionnaire_id,
             version=info.questionnaire_version, status=status))
if info.questionnaire_id != bundle.questionnaire.id:
    st.error(t("assessment.other_questionnaire", questionnaire=info.questionnaire_id))
    st.stop()
if info.is_submitted:
    when = info.submitted_at.strftime("%d/%m/%Y") if info.submitted_at else ""
    st.success(t("assessment.readonly", date=when), icon=":material/lock:")
    st.page_link("app_pages/results.py", label=t("assessment.see_results"), icon="📊",
                 query_params={journey.QUERY_KEY: str(info.id)})
else:
    st.caption(t("assessment.autosave"))

st.progress(progress.share, text=t("assessment.progress", done=progress.done, total=progress.total))
widgets.step_selector(bundle, progress, steps, step)

if step == journey.REVIEW_STEP:
    widgets.review_step(info, bundle, progress)
    if info.is_submitted or progress.done:
        st.page_link("app_pages/results.py", icon="📊", query_params={journey.QUERY_KEY: str(info.id)},
                     label=t("assessment.see_results") if info.is_submitted else t("assessment.see_provisional"))
else:
    dimension = bundle.questionnaire.dimension(step)
    done, total = progress.by_dimension[step]
    st.header(f"{steps.index(step) + 1}. {tx(dimension.name)}", divider="gray")
    st.caption(f"{tx(dimension.description)} — " + t("assessment.dimension_progress", done=done, total=total))
    context = widgets.AssessmentContext(info.id, info.is_submitted, bundle.rubric.id)
    for number, question in enumerate(dimension.questions, start=1):
        widgets.question_block(context, question, number, progress.states[question.id])
widgets.step_buttons(steps, step, "bottom")
