"""The wizard's last step: how complete each dimension is, what is still missing (with jumps), the
"don't know" and N/A lists, the one-page summary of every answer, and submitting."""

from __future__ import annotations

import streamlit as st

from scoring.content import Bundle
from storage import AssessmentInfo
from ui import evidence_view, journey, review_view, wizard_extras
from ui.i18n import t, tx
from ui.question_block import cached_answers, load_answers, pending_na
from ui.state import current_actor, current_scope, get_store


def _submit(info: AssessmentInfo, bundle: Bundle) -> None:
    from storage import StorageError
    from ui.widgets import flash

    answers = load_answers(info.id)
    progress = journey.completeness(bundle, answers, pending_na(info.id))
    if not progress.complete:
        st.session_state["journey_submit_error"] = "incomplete"
        return
    if not st.session_state.get("journey_confirm"):
        st.session_state["journey_submit_error"] = "confirm"
        return
    try:
        get_store().submit(info.id, current_scope(), current_actor())
    except StorageError as exc:
        st.session_state["journey_submit_error"] = str(exc)
        return
    st.session_state.pop("journey_submit_error", None)
    from coordinator.scores import persist_scores  # the national figures read stored scores

    persist_scores(get_store(), current_scope(), bundle, assessment_ids=[info.id])
    flash("success", t("assessment.submitted_now"))
    st.rerun()  # the whole page: the header says "submitted" and the wizard becomes read-only


def review_step(info: AssessmentInfo, bundle: Bundle, progress: journey.Completeness) -> None:
    title = t("assessment.review_title_submitted") if info.is_submitted else t("assessment.review_title")
    st.subheader(title)
    answers = cached_answers(info.id)
    documents = evidence_view.documents(info.id)
    wizard_extras.answers_summary(info, bundle, progress, answers, documents)
    if info.is_submitted:
        return
    if progress.missing:
        st.error(t("assessment.missing_title", count=len(progress.missing)))
        by_dimension: dict[str, list[journey.Missing]] = {}
        for item in progress.missing:
            by_dimension.setdefault(item.dimension_id, []).append(item)
        for dimension_id, items in by_dimension.items():
            dimension = bundle.questionnaire.dimension(dimension_id)
            with st.container(border=True):
                st.button(t("assessment.jump_to", dimension=tx(dimension.name), count=len(items)),
                          key=f"journey_jump_{dimension_id}", on_click=wizard_extras.go_to,
                          args=(dimension_id, items[0].question_id), icon=":material/edit:")
                lines = []
                for item in items:
                    why = t("assessment.state_na_reason") if item.state == "na_reason" else t(
                        "assessment.state_unanswered")
                    lines.append(f"- {tx(bundle.questionnaire.question(item.question_id).text)} — *{why}*")
                st.markdown("\n".join(lines))
    else:
        st.success(t("assessment.all_answered"))
    if progress.dont_know:
        st.warning(t("assessment.dont_know_warning", count=len(progress.dont_know)))
    wizard_extras.review_lists(info, bundle, progress, answers, groups=("dont_know", "na"))
    wizard_extras.answers_in_full(bundle, answers, documents)
    if review_view.submit_is_elsewhere():  # issue 8: a respondent never submits
        return
    st.checkbox(t("assessment.confirm"), key="journey_confirm")
    st.button(t("assessment.submit"), key="journey_submit", type="primary", on_click=_submit, args=(info, bundle),
              icon=":material/send:")
    error = st.session_state.pop("journey_submit_error", None)
    if error == "incomplete":
        st.error(t("assessment.submit_blocked", count=len(progress.missing)))
    elif error == "confirm":
        st.warning(t("assessment.confirm_first"))
    elif error:
        st.error(error)
