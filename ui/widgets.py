"""The assessment wizard page. The header (agency, status, deadline, banners) is drawn on a full run;
the step below it (progress, step selector, one dimension's questions or the review step, previous /
next) is one fragment, so moving between steps or changing an answer does not rerun the sidebar and
the header; each question is its own fragment inside it (`ui.question_block`), and the review step
is `ui.wizard_review`. Answers live in the database: every widget is seeded from it and every change
is saved at once by the widget's callback."""

from __future__ import annotations

import streamlit as st

from scoring.content import Bundle
from storage import AssessmentInfo
from ui import evidence_view, journey, review_view, wizard_extras
from ui.i18n import current_language, t, translate
from ui.question_block import (
    STEP_FRAGMENT,
    AssessmentContext,
    cached_answers,
    load_answers,
    pending_na,
    step_questions,
    take_fresh,
)
from ui.run_marker import marks_fragment_run
from ui.state import current_scope, get_store
from ui.wizard_review import review_step

FLASH_KEY = "journey_flash"


# --- messages that survive a page switch ---------------------------------------------------------


def flash(kind: str, text: str) -> None:
    st.session_state.setdefault(FLASH_KEY, []).append((kind, text))


def show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH_KEY, []):
        getattr(st, kind if kind in ("success", "info", "warning", "error") else "info")(text)


# --- wizard navigation ---------------------------------------------------------------------------------


def step_label(bundle: Bundle, progress: journey.Completeness, lang: str, step: str) -> str:
    if step == journey.REVIEW_STEP:
        mark = "✓" if progress.complete else "→"
        return f"{mark} {translate(lang, 'assessment.review_step')}"
    index = bundle.dimension_ids.index(step) + 1
    done, total = progress.by_dimension[step]
    mark = "✓" if done == total else f"{done}/{total}"
    return f"{index}. {bundle.questionnaire.dimension(step).name.get(lang)} · {mark}"


def _on_step_select() -> None:
    # No scrolling: the selector sits right above the step's title, so the user is already there.
    journey.set_step(st.session_state["journey_step_select"])


def step_selector(bundle: Bundle, progress: journey.Completeness, steps: list[str], step: str) -> None:
    st.session_state["journey_step_select"] = step
    lang = current_language()
    st.selectbox(t("assessment.go_to_step"), steps, key="journey_step_select",
                 format_func=lambda s, lang=lang: step_label(bundle, progress, lang, s),
                 on_change=_on_step_select)


def step_buttons(steps: list[str], step: str, position: str) -> None:
    index = steps.index(step)
    left, _, right = st.columns([1, 2, 1])
    if index > 0:
        left.button(t("assessment.previous"), key=f"journey_prev_{position}", on_click=wizard_extras.go_to,
                    args=(steps[index - 1],), icon=":material/arrow_back:", width="stretch")
    if index < len(steps) - 1:
        label = t("assessment.review_step") if steps[index + 1] == journey.REVIEW_STEP else t("assessment.next")
        right.button(label, key=f"journey_next_{position}", on_click=wizard_extras.go_to, args=(steps[index + 1],),
                     icon=":material/arrow_forward:", icon_position="right", type="primary", width="stretch")


# --- the page ------------------------------------------------------------------------------------------------


def _round_bundle(info: AssessmentInfo, agency_type: str | None = None) -> Bundle:
    """The round's own questionnaire version, narrowed to the questions its agency type answers."""
    from scoring.registry import versions
    from ui.state import get_bundle

    bundle = get_bundle(version=info.questionnaire_version if info.questionnaire_version in versions() else None)
    if agency_type is None:
        agency = get_store().get_agency(info.agency_id, current_scope())
        agency_type = agency.type if agency else None
    return bundle.for_agency_type(agency_type) if agency_type else bundle



def assessment_page() -> None:
    """The wizard for the open assessment: the header, then the step fragment. Called by
    app_pages/assessment.py."""
    from storage import NotFound, StorageError

    store = get_store()
    scope = current_scope()
    show_flash()
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
        return

    agency = store.get_agency(info.agency_id, scope)
    bundle = review_view.respondent_bundle(_round_bundle(info, agency.type if agency else None), info)
    st.title(agency.name if agency else info.agency_id)
    if not bundle.dimension_ids:  # a respondent with no dimension of this assessment assigned
        review_view.nothing_assigned()
        return
    status = t("assessment.status_submitted") if info.is_submitted else t("assessment.status_draft")
    st.caption(t("assessment.caption", round=info.round, questionnaire=info.questionnaire_id,
                 version=info.questionnaire_version, status=status))
    wizard_extras.header_extras(info, bundle)
    review_view.workflow_banner(info)  # issue 8: returned for changes, and the reviewer's comments
    if info.questionnaire_id != bundle.questionnaire.id:
        st.error(t("assessment.other_questionnaire", questionnaire=info.questionnaire_id))
        return
    if info.is_submitted:
        when = info.submitted_at.strftime("%d/%m/%Y") if info.submitted_at else ""
        st.success(t("assessment.readonly", date=when), icon=":material/lock:")
        st.page_link("app_pages/results.py", label=t("assessment.see_results"), icon="📊",
                     query_params={journey.QUERY_KEY: str(info.id)})
    else:
        st.info(t("assessment.autosave"), icon=":material/save:")
    step_fragment(info, bundle)


@st.fragment(key=STEP_FRAGMENT)
@marks_fragment_run
def step_fragment(info: AssessmentInfo, bundle: Bundle) -> None:
    """Progress, step selector, the step, previous/next. Rerun alone by the step selector and the
    step buttons, and by an answer that changes the progress (`ui.question_block`); the answers are
    read from the database unless this run follows this session's own save."""
    lang = current_language()
    fresh = take_fresh(info.id)
    answers = cached_answers(info.id) if fresh else load_answers(info.id)
    if not fresh:
        evidence_view.forget(info.id)
    progress = journey.completeness(bundle, answers, pending_na(info.id))
    steps = [*bundle.dimension_ids, journey.REVIEW_STEP]
    if info.is_submitted:
        default_step = bundle.dimension_ids[0]
    elif progress.complete:
        default_step = journey.REVIEW_STEP
    else:
        default_step = progress.first_incomplete_dimension() or bundle.dimension_ids[0]
    step = journey.current_step(steps, default_step)
    st.progress(progress.share, text=t("assessment.progress", done=progress.done, total=progress.total))
    step_selector(bundle, progress, steps, step)

    if step == journey.REVIEW_STEP:
        review_step(info, bundle, progress)
        if info.is_submitted or progress.done:
            st.page_link("app_pages/results.py", icon="📊", query_params={journey.QUERY_KEY: str(info.id)},
                         label=t("assessment.see_results") if info.is_submitted else t("assessment.see_provisional"))
    else:
        dimension = bundle.questionnaire.dimension(step)
        done, total = progress.by_dimension[step]
        with st.container(key=wizard_extras.STEP_TOP_KEY):
            st.header(f"{steps.index(step) + 1}. {dimension.name.get(lang)}", divider="gray")
        st.caption(f"{dimension.description.get(lang)} — " + t("assessment.dimension_progress", done=done, total=total))
        st.toggle(t("assessment.collapse_answered"), key="journey_collapse_answered")
        context = AssessmentContext(info.id, info.is_submitted, lang)
        step_questions(context, bundle, step, {q.id: progress.states[q.id] for q in dimension.questions})
        wizard_extras.dimension_comment(info, step)
    step_buttons(steps, step, "bottom")
    wizard_extras.apply_scroll(info.id)
