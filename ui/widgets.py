"""Streamlit pieces of the assessment wizard: one question block (a fragment), the step selector and
the review-and-submit step. Answers live in the database: every widget is seeded from it on every
run and every change is saved at once by the widget's callback (through `ui.journey`)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from scoring.answers import DONT_KNOW, NOT_APPLICABLE
from scoring.content import Bundle
from scoring.model import Question
from storage import AssessmentInfo, StoredAnswer
from ui import journey
from ui.i18n import current_language, t, translate, tx
from ui.state import current_actor, current_scope, get_store

ANSWERS_KEY = "journey_answers"
PENDING_KEY = "journey_pending_na"
NOTICE_KEY = "journey_notices"
FLASH_KEY = "journey_flash"
STATE_BADGES = {
    "done": ("green", "✓", "assessment.state_done"),
    "dont_know": ("orange", "?", "assessment.state_dont_know"),
    "unanswered": ("red", "○", "assessment.state_unanswered"),
    "na_reason": ("orange", "!", "assessment.state_na_reason"),
}


# --- messages that survive a page switch ---------------------------------------------------------


def flash(kind: str, text: str) -> None:
    st.session_state.setdefault(FLASH_KEY, []).append((kind, text))


def show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH_KEY, []):
        getattr(st, kind if kind in ("success", "info", "warning", "error") else "info")(text)


# --- the answers of the open assessment ------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentContext:
    assessment_id: int
    readonly: bool
    rubric: str


def load_answers(assessment_id: int) -> dict[str, StoredAnswer]:
    """Read the assessment's answers from the database (once per full run) into the session's
    cache that the question fragments read."""
    answers = get_store().load_answers(assessment_id, current_scope())
    st.session_state.setdefault(ANSWERS_KEY, {})[assessment_id] = answers
    return answers


def cached_answers(assessment_id: int) -> dict[str, StoredAnswer]:
    cache = st.session_state.setdefault(ANSWERS_KEY, {})
    if assessment_id not in cache:
        return load_answers(assessment_id)
    return cache[assessment_id]


def pending_na(assessment_id: int) -> set[str]:
    """Questions where N/A was chosen but no reason given yet (nothing stored for them)."""
    return {q for a, q in st.session_state.get(PENDING_KEY, set()) if a == assessment_id}


def _set_pending(assessment_id: int, question_id: str, pending: bool) -> None:
    current: set[tuple[int, str]] = st.session_state.setdefault(PENDING_KEY, set())
    if pending:
        current.add((assessment_id, question_id))
    else:
        current.discard((assessment_id, question_id))


def _notice(assessment_id: int, question_id: str, outcome: journey.SaveOutcome) -> None:
    notices = st.session_state.setdefault(NOTICE_KEY, {})
    if outcome.saved:
        notices.pop((assessment_id, question_id), None)
    else:
        notices[(assessment_id, question_id)] = (outcome.refusal, outcome.detail)


def _key(assessment_id: int, question_id: str, part: str) -> str:
    return f"q_{assessment_id}_{question_id}_{part}"


# --- callbacks: save at once -------------------------------------------------------------------------


def _bundle() -> Bundle:
    from ui.state import get_bundle

    return get_bundle()


def _on_choice(assessment_id: int, question_id: str) -> None:
    choice = st.session_state.get(_key(assessment_id, question_id, "choice"))
    reason = st.session_state.get(_key(assessment_id, question_id, "reason"))
    outcome = journey.save_choice(get_store(), _bundle(), assessment_id, question_id, choice, reason,
                                  current_scope(), current_actor())
    _set_pending(assessment_id, question_id, choice == NOT_APPLICABLE and outcome.refusal == "na_needs_reason")
    _notice(assessment_id, question_id, outcome)
    load_answers(assessment_id)


def _on_reason(assessment_id: int, question_id: str) -> None:
    reason = st.session_state.get(_key(assessment_id, question_id, "reason"))
    outcome = journey.save_reason(get_store(), _bundle(), assessment_id, question_id, reason,
                                  current_scope(), current_actor())
    if outcome.saved:
        _set_pending(assessment_id, question_id, False)
    _notice(assessment_id, question_id, outcome)
    load_answers(assessment_id)


def _on_mode(assessment_id: int, question_id: str) -> None:
    mode = st.session_state.get(_key(assessment_id, question_id, "mode"))
    reason = st.session_state.get(_key(assessment_id, question_id, "reason"))
    number = st.session_state.get(_key(assessment_id, question_id, "num")) if mode == "value" else None
    outcome = journey.save_special(get_store(), _bundle(), assessment_id, question_id, str(mode), number, reason,
                                   current_scope(), current_actor())
    _set_pending(assessment_id, question_id, mode == NOT_APPLICABLE and outcome.refusal == "na_needs_reason")
    _notice(assessment_id, question_id, outcome)
    load_answers(assessment_id)


def _on_number(assessment_id: int, question_id: str) -> None:
    number = st.session_state.get(_key(assessment_id, question_id, "num"))
    outcome = journey.save_number(get_store(), _bundle(), assessment_id, question_id, number,
                                  current_scope(), current_actor())
    _notice(assessment_id, question_id, outcome)
    load_answers(assessment_id)


def _on_evidence(assessment_id: int, question_id: str) -> None:
    text = st.session_state.get(_key(assessment_id, question_id, "evidence"))
    outcome = journey.save_evidence(get_store(), assessment_id, question_id, text, current_scope(), current_actor())
    _notice(assessment_id, question_id, outcome)
    load_answers(assessment_id)


# --- one question ----------------------------------------------------------------------------------------


# Option labels take the language as an argument (never read session state): AppTest calls
# format functions outside the script thread.


def _choice_label(bundle: Bundle, lang: str, value: int | str) -> str:
    if value == NOT_APPLICABLE:
        return translate(lang, "assessment.choice_na")
    if value == DONT_KNOW:
        return translate(lang, "assessment.choice_dont_know")
    level = int(value)
    name = bundle.questionnaire.level_definition(level).name.get(lang)
    return translate(lang, "assessment.choice_level", level=level, name=name)


def _mode_label(lang: str, value: str) -> str:
    key = {"value": "assessment.mode_value", NOT_APPLICABLE: "assessment.choice_na",
           DONT_KNOW: "assessment.choice_dont_know"}[value]
    return translate(lang, key)


def _badge(state: str) -> str:
    colour, icon, key = STATE_BADGES[state]
    return f":{colour}-badge[{icon} {t(key)}]"


def _evidence_guide(question: Question, bundle: Bundle) -> str:
    lines = []
    if question.guidance is not None:
        lines.append(tx(question.guidance))
    if question.kind == "level":
        for option in question.options:
            name = tx(bundle.questionnaire.level_definition(option.level).name)
            lines.append(f"- **{t('common.level', level=option.level)} · {name}:** {tx(option.evidence)}")
    else:
        lines.append(t("assessment.numeric_evidence"))
    return "\n\n".join(lines[:1]) + ("\n\n" + "\n".join(lines[1:]) if len(lines) > 1 else "")


@st.fragment
def question_block(ctx: AssessmentContext, question: Question, number: int, state_at_run: str) -> None:
    """One question: its answer widgets (seeded from the database), its N/A reason, its evidence note
    and the level's evidence guidance. A change reruns only this block unless the question's
    completeness changes, which reruns the page (progress, step labels)."""
    bundle = _bundle()
    aid, qid = ctx.assessment_id, question.id
    stored = cached_answers(aid).get(qid)
    pending = qid in pending_na(aid)
    requires_reason = bundle.rubric.not_applicable.requires_reason
    state = journey.question_state(stored, requires_reason, pending)
    if state != state_at_run:
        st.rerun()
    disabled = ctx.readonly
    lang = current_language()
    value = journey.choice_of(question, stored)
    shows_na = pending or value == NOT_APPLICABLE
    with st.container(border=True, key=f"block_{aid}_{qid}"):
        st.markdown(f"**{number}. {tx(question.text)}** &nbsp; {_badge(state)}")
        if question.kind == "level":
            key = _key(aid, qid, "choice")
            st.session_state[key] = NOT_APPLICABLE if pending else value
            st.radio(
                t("assessment.choose_level"), journey.LEVEL_CHOICES, index=None, key=key,
                format_func=lambda v, lang=lang: _choice_label(bundle, lang, v),
                captions=[tx(question.option(level).statement) for level in (1, 2, 3, 4, 5)] + ["", ""],
                on_change=_on_choice, args=(aid, qid), disabled=disabled, label_visibility="collapsed",
            )
        else:
            mode_key, num_key = _key(aid, qid, "mode"), _key(aid, qid, "num")
            mode = NOT_APPLICABLE if pending else (value if value in (NOT_APPLICABLE, DONT_KNOW) else "value")
            st.session_state[mode_key] = mode
            st.radio(t("assessment.numeric_mode"), journey.NUMERIC_MODES, key=mode_key, format_func=lambda v, lang=lang: _mode_label(lang, v),
                     horizontal=True, on_change=_on_mode, args=(aid, qid), disabled=disabled,
                     label_visibility="collapsed")
            if mode == "value":
                stored_number = stored.value if stored is not None and value == "value" else None
                st.session_state[num_key] = None if stored_number is None else float(stored_number)  # type: ignore[arg-type]
                st.number_input(
                    t("assessment.percent_label", low=f"{question.low:g}", high=f"{question.high:g}"),
                    min_value=float(question.low), max_value=float(question.high), value=None, step=1.0,
                    format="%.1f", key=num_key, on_change=_on_number, args=(aid, qid), disabled=disabled,
                    placeholder=t("assessment.percent_placeholder"),
                )
        if shows_na:
            reason_key = _key(aid, qid, "reason")
            st.session_state[reason_key] = (stored.na_reason if stored is not None else None) or ""
            st.text_input(t("assessment.na_reason"), key=reason_key, on_change=_on_reason, args=(aid, qid),
                          disabled=disabled, placeholder=t("assessment.na_reason_placeholder"), max_chars=500)
            if state == "na_reason" and not disabled:
                st.warning(t("assessment.na_needs_reason_pending"), icon="⚠️")
        notice = st.session_state.get(NOTICE_KEY, {}).get((aid, qid))
        if notice is not None and not disabled:
            refusal, detail = notice
            if refusal == "na_needs_reason" and not pending and value == NOT_APPLICABLE:
                st.error(t("assessment.na_reason_kept"), icon="⛔")
            elif refusal == "out_of_range":
                st.error(t("assessment.out_of_range", low=f"{question.low:g}", high=f"{question.high:g}"), icon="⛔")
            elif refusal in ("locked", "storage_error"):
                st.error(t("assessment.save_failed", detail=detail), icon="⛔")
        evidence_key = _key(aid, qid, "evidence")
        st.session_state[evidence_key] = (stored.evidence if stored is not None else None) or ""
        left, right = st.columns([4, 1], vertical_alignment="bottom")
        left.text_input(t("assessment.evidence"), key=evidence_key, on_change=_on_evidence, args=(aid, qid),
                        disabled=disabled, placeholder=t("assessment.evidence_placeholder"), max_chars=1000)
        with right.popover(t("assessment.evidence_guide"), icon=":material/fact_check:", width="stretch"):
            st.markdown(_evidence_guide(question, bundle))


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
    journey.set_step(st.session_state["journey_step_select"])


def step_selector(bundle: Bundle, progress: journey.Completeness, steps: list[str], step: str) -> None:
    st.session_state["journey_step_select"] = step
    st.selectbox(t("assessment.go_to_step"), steps, key="journey_step_select",
                 format_func=lambda s, lang=current_language(): step_label(bundle, progress, lang, s),
                 on_change=_on_step_select)


def step_buttons(steps: list[str], step: str, position: str) -> None:
    index = steps.index(step)
    left, _, right = st.columns([1, 2, 1])
    if index > 0:
        left.button(t("assessment.previous"), key=f"journey_prev_{position}", on_click=journey.set_step,
                    args=(steps[index - 1],), icon=":material/arrow_back:", width="stretch")
    if index < len(steps) - 1:
        label = t("assessment.review_step") if steps[index + 1] == journey.REVIEW_STEP else t("assessment.next")
        right.button(label, key=f"journey_next_{position}", on_click=journey.set_step, args=(steps[index + 1],),
                     icon=":material/arrow_forward:", icon_position="right", type="primary", width="stretch")


# --- review and submit --------------------------------------------------------------------------------------


def _submit(info: AssessmentInfo) -> None:
    from storage import StorageError

    bundle = _bundle()
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
    flash("success", t("assessment.submitted_now"))


def review_step(info: AssessmentInfo, bundle: Bundle, progress: journey.Completeness) -> None:
    st.subheader(t("assessment.review_title"))
    rows = []
    for index, dimension in enumerate(bundle.questionnaire.dimensions, start=1):
        done, total = progress.by_dimension[dimension.id]
        rows.append({t("assessment.col_dimension"): f"{index}. {tx(dimension.name)}",
                     t("assessment.col_done"): f"{done}/{total}",
                     t("assessment.col_status"): "✓" if done == total else t("assessment.col_incomplete")})
    st.dataframe(rows, hide_index=True, width="stretch")
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
                          key=f"journey_jump_{dimension_id}", on_click=journey.set_step, args=(dimension_id,),
                          icon=":material/edit:")
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
    st.checkbox(t("assessment.confirm"), key="journey_confirm")
    st.button(t("assessment.submit"), key="journey_submit", type="primary", on_click=_submit, args=(info,),
              icon=":material/send:")
    error = st.session_state.pop("journey_submit_error", None)
    if error == "incomplete":
        st.error(t("assessment.submit_blocked", count=len(progress.missing)))
    elif error == "confirm":
        st.warning(t("assessment.confirm_first"))
    elif error:
        st.error(error)
