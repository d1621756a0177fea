"""One question of the assessment wizard, as its own fragment: the answer widgets seeded from the
database, their callbacks that save at once (through `ui.journey`), the N/A reason, the evidence note,
the notices of a refused save, and the session's cache of the open assessment's answers.

A change reruns only the question's fragment, unless it changes whether the question counts as
answered: then the callback reruns the wizard's step fragment (`STEP_FRAGMENT`), so the progress bar,
the step labels and the dimension's count stay truthful without rerunning the whole page."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from reports.dates import format_datetime
from scoring.answers import DONT_KNOW, NOT_APPLICABLE, PROVIDED, percent_text
from scoring.content import Bundle
from scoring.schemas.questionnaire import Question
from storage import StoredAnswer
from ui import evidence_view, journey, review_view
from ui.i18n import translate
from ui.run_marker import marks_fragment_run
from ui.state import current_actor, current_scope, get_store

STEP_FRAGMENT = "journey_step"  # the key of the wizard's step fragment (ui.widgets)
ANSWERS_KEY = "journey_answers"
PENDING_KEY = "journey_pending_na"
NOTICE_KEY = "journey_notices"
STATE_BADGES = {
    "done": ("green", "✓", "assessment.state_done"),
    "dont_know": ("orange", "?", "assessment.state_dont_know"),
    "unanswered": ("red", "○", "assessment.state_unanswered"),
    "na_reason": ("orange", "!", "assessment.state_na_reason"),
}



# --- the answers of the open assessment ------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentContext:
    assessment_id: int
    readonly: bool
    lang: str


# Extra pieces under each question (evidence documents, reviewers' comments...): each feature appends
# one function (ctx, bundle, question, stored answer) -> None, so the block itself stays the same.
QuestionHook = Callable[["AssessmentContext", Bundle, Question, "StoredAnswer | None"], None]
QUESTION_HOOKS: list[QuestionHook] = [evidence_view.documents_hook, review_view.comments_hook]

FRESH_KEY = "journey_answers_fresh"


def load_answers(assessment_id: int) -> dict[str, StoredAnswer]:
    """Read the assessment's answers from the database into the session's cache that the question
    fragment reads."""
    answers = get_store().load_answers(assessment_id, current_scope())
    st.session_state.setdefault(ANSWERS_KEY, {})[assessment_id] = answers
    return answers


def _after_save(assessment_id: int, question_id: str, outcome: journey.SaveOutcome) -> None:
    """After a callback's save: put the stored row into the cache and mark it fresh, so the run that
    follows at once needs no read; anything else (a refusal, an error) reads the database again."""
    cache = st.session_state.setdefault(ANSWERS_KEY, {})
    if outcome.saved and assessment_id in cache:
        answers = dict(cache[assessment_id])
        if outcome.row is None:
            answers.pop(question_id, None)
        else:
            answers[question_id] = outcome.row
        cache[assessment_id] = answers
        st.session_state[FRESH_KEY] = assessment_id
    else:
        load_answers(assessment_id)


def take_fresh(assessment_id: int) -> bool:
    """Whether this run directly follows a save by this session (and the cache is up to date)."""
    return st.session_state.pop(FRESH_KEY, None) == assessment_id and assessment_id in st.session_state.get(
        ANSWERS_KEY, {})


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


def block_key(assessment_id: int, question_id: str) -> str:
    """The question block's container key (its CSS class is `st-key-<key>`; no dots in it)."""
    return f"block_{assessment_id}_{question_id.replace('.', '__')}"


# --- callbacks: save at once -------------------------------------------------------------------------


def _current(assessment_id: int, question_id: str) -> StoredAnswer | None:
    return st.session_state.get(ANSWERS_KEY, {}).get(assessment_id, {}).get(question_id)


def _state(bundle: Bundle, assessment_id: int, question_id: str) -> journey.QuestionState:
    return journey.question_state(_current(assessment_id, question_id), bundle.rubric.not_applicable.requires_reason,
                                  question_id in pending_na(assessment_id))


Saving = Callable[[Bundle, int, str], "journey.SaveOutcome | None"]


def _saves(callback: Saving) -> Callable[[Bundle, int, str], None]:
    """A widget callback that saves: its outcome becomes the question's notice and updates the answers'
    cache; when the question now counts differently (answered, "don't know", still to answer), the
    step fragment reruns (progress bar, step labels, the dimension's count) instead of only the
    question's fragment. The callback returns None when there was nothing to save."""

    @functools.wraps(callback)
    def run(bundle: Bundle, assessment_id: int, question_id: str) -> None:
        before = _state(bundle, assessment_id, question_id)
        outcome = callback(bundle, assessment_id, question_id)
        if outcome is None:
            return
        _notice(assessment_id, question_id, outcome)
        _after_save(assessment_id, question_id, outcome)
        if _state(bundle, assessment_id, question_id) != before:
            st.rerun(STEP_FRAGMENT)

    return run


@_saves
def _on_choice(bundle: Bundle, assessment_id: int, question_id: str) -> journey.SaveOutcome | None:
    choice = st.session_state.get(_key(assessment_id, question_id, "choice"))
    reason = st.session_state.get(_key(assessment_id, question_id, "reason"))
    outcome = journey.save_choice(get_store(), bundle, assessment_id, question_id, choice, reason,
                                  current_scope(), current_actor(), _current(assessment_id, question_id))
    _set_pending(assessment_id, question_id, choice == NOT_APPLICABLE and outcome.refusal == "na_needs_reason")
    return outcome


@_saves
def _on_reason(bundle: Bundle, assessment_id: int, question_id: str) -> journey.SaveOutcome | None:
    if _unchanged(assessment_id, question_id, "reason"):
        return None
    reason = st.session_state.get(_key(assessment_id, question_id, "reason"))
    outcome = journey.save_reason(get_store(), bundle, assessment_id, question_id, reason,
                                  current_scope(), current_actor(), _current(assessment_id, question_id))
    if outcome.saved:
        _set_pending(assessment_id, question_id, False)
    return outcome


@_saves
def _on_mode(bundle: Bundle, assessment_id: int, question_id: str) -> journey.SaveOutcome | None:
    mode = st.session_state.get(_key(assessment_id, question_id, "mode"))
    reason = st.session_state.get(_key(assessment_id, question_id, "reason"))
    if mode == "value":
        typed = st.session_state.get(_key(assessment_id, question_id, "num"))
        outcome = journey.save_percent_text(get_store(), bundle, assessment_id, question_id, typed,
                                            current_scope(), current_actor(), _current(assessment_id, question_id))
    else:
        outcome = journey.save_special(get_store(), bundle, assessment_id, question_id, str(mode), None, reason,
                                       current_scope(), current_actor(), _current(assessment_id, question_id))
    _set_pending(assessment_id, question_id, mode == NOT_APPLICABLE and outcome.refusal == "na_needs_reason")
    return outcome


@_saves
def _on_number(bundle: Bundle, assessment_id: int, question_id: str) -> journey.SaveOutcome | None:
    typed = st.session_state.get(_key(assessment_id, question_id, "num"))
    outcome = journey.save_percent_text(get_store(), bundle, assessment_id, question_id, typed,
                                        current_scope(), current_actor(), _current(assessment_id, question_id))
    if outcome.refusal in ("not_a_number", "out_of_range"):  # keep what was typed on screen, with the message
        outcome = journey.SaveOutcome(False, outcome.refusal, str(typed or ""))
    return outcome


def _unchanged(assessment_id: int, question_id: str, part: str) -> bool:
    """The field's text is what is stored (the Save button after a save on leaving the field)."""
    text = unicodedata.normalize("NFC", (st.session_state.get(_key(assessment_id, question_id, part)) or "").strip())
    current = _current(assessment_id, question_id)
    if part == "reason":
        return current is not None and current.value == NOT_APPLICABLE and (current.na_reason or "") == text
    return ((current.evidence if current is not None else None) or "") == text


@_saves
def _on_evidence(bundle: Bundle, assessment_id: int, question_id: str) -> journey.SaveOutcome | None:
    if _unchanged(assessment_id, question_id, "evidence"):
        return None
    text = st.session_state.get(_key(assessment_id, question_id, "evidence"))
    outcome = journey.save_evidence(get_store(), assessment_id, question_id, text, current_scope(), current_actor(),
                                    _current(assessment_id, question_id))
    return outcome


def _reload_latest(assessment_id: int) -> None:
    """After a refused (stale) save: read every answer of the assessment again and drop the notices."""
    load_answers(assessment_id)
    notices = st.session_state.setdefault(NOTICE_KEY, {})
    for key in [k for k in notices if k[0] == assessment_id]:
        del notices[key]
    st.rerun(STEP_FRAGMENT)  # every question of the step may have changed


# --- one question ----------------------------------------------------------------------------------------


# Option labels take the language as an argument (never read session state): AppTest calls
# format functions outside the script thread.


def _choice_label(bundle: Bundle, lang: str, value: int | str, statements: dict[int, str] | None = None) -> str:
    if value == NOT_APPLICABLE:
        return translate(lang, "assessment.choice_na")
    if value == DONT_KNOW:
        return translate(lang, "assessment.choice_dont_know")
    if value == PROVIDED:
        return translate(lang, "assessment.choice_provided", level=bundle.rubric.provided_level or 3)
    level = int(value)
    name = bundle.questionnaire.level_definition(level).name.get(lang)
    label = translate(lang, "assessment.choice_level", level=level, name=name)
    if statements and statements.get(level):
        return f"**{label}** — {statements[level]}"
    return label


def level_choices(bundle: Bundle, question: Question) -> tuple[int | str, ...]:
    """1-5, N/A, don't know, and for a commune on a providable question `provided` (model 2.x)."""
    if question.providable and bundle.agency_type == "commune":
        return (*journey.LEVEL_CHOICES, PROVIDED)
    return journey.LEVEL_CHOICES


def _mode_label(lang: str, value: str) -> str:
    key = {"value": "assessment.mode_value", NOT_APPLICABLE: "assessment.choice_na",
           DONT_KNOW: "assessment.choice_dont_know"}[value]
    return translate(lang, key)


def _evidence_guide(question: Question, bundle: Bundle, lang: str) -> str:
    lines = []
    if question.guidance is not None:
        lines.append(question.guidance.get(lang) + "\n")
    if question.kind == "level":
        for option in question.options:
            name = bundle.questionnaire.level_definition(option.level).name.get(lang)
            level = translate(lang, "common.level", level=option.level)
            lines.append(f"- **{level} · {name}:** {option.evidence.get(lang)}")
    else:
        lines.append(translate(lang, "assessment.numeric_evidence"))
    return "\n".join(lines)


def _answer_words(bundle: Bundle, question: Question, stored: StoredAnswer | None, lang: str) -> str:
    value = journey.choice_of(question, stored)
    if value is None:
        return translate(lang, "assessment.state_unanswered")
    if value == "value" and stored is not None:
        return f"{stored.value:g}%"  # type: ignore[str-format]
    text = _choice_label(bundle, lang, value)
    if value == NOT_APPLICABLE and stored is not None and stored.na_reason:
        text = f"{translate(lang, 'assessment.choice_na').split(' (')[0]} — {stored.na_reason}"
    return text


answer_words = _answer_words  # also used by the reviewer's page (ui/review_view.py)


@functools.cache
def _labels(lang: str) -> dict[str, str]:
    """The block's fixed texts, translated once per language (a block is drawn many times a run)."""
    keys = ("choose_level", "numeric_mode", "readonly_answer", "percent_placeholder", "na_reason",
            "na_reason_placeholder", "na_needs_reason_pending", "na_reason_kept", "evidence",
            "evidence_placeholder", "evidence_guide")
    labels = {k: translate(lang, f"assessment.{k}") for k in keys}
    for state, (colour, icon, key) in STATE_BADGES.items():
        labels[f"badge_{state}"] = f":{colour}-badge[{icon} {translate(lang, key)}]"
    return labels


def step_questions(ctx: AssessmentContext, bundle: Bundle, dimension_id: str, states_at_run: dict[str, str]) -> None:
    """The questions of one step, each its own fragment: a change reruns only that question's block
    (the browser redraws one block, not the step), unless the question's completeness changes, which
    reruns the page (progress, step labels, review list)."""
    collapse = bool(st.session_state.get("journey_collapse_answered")) and not ctx.readonly
    questions = bundle.questionnaire.dimension(dimension_id).questions
    answers = cached_answers(ctx.assessment_id)
    for number, question in enumerate(questions, start=1):
        state = states_at_run[question.id]
        if collapse and state == "done":  # answered: one line, opened on demand
            words = _answer_words(bundle, question, answers.get(question.id), ctx.lang)
            title = f"✓ {number}. {question.text.get(ctx.lang)} — {words}"
            with st.expander(title, key=f"journey_fold_{ctx.assessment_id}_{question.id.replace('.', '__')}"):
                question_fragment(ctx, bundle, question, number, state)
        else:
            question_fragment(ctx, bundle, question, number, state)


@st.fragment
@marks_fragment_run
def question_fragment(ctx: AssessmentContext, bundle: Bundle, question: Question, number: int,
                      state_at_run: str) -> None:
    st.session_state.pop(FRESH_KEY, None)
    answers = cached_answers(ctx.assessment_id)
    pending = question.id in pending_na(ctx.assessment_id)
    stored = answers.get(question.id)
    state = journey.question_state(stored, bundle.rubric.not_applicable.requires_reason, pending)
    if state != state_at_run:
        st.rerun()
    question_block(ctx, bundle, question, number, stored, pending, state)


def question_block(ctx: AssessmentContext, bundle: Bundle, question: Question, number: int,
                   stored: StoredAnswer | None, pending: bool, state: str) -> None:
    """One question: its answer widgets (seeded from the database), its N/A reason, its evidence note
    and the level's evidence guidance."""
    aid, qid = ctx.assessment_id, question.id
    disabled = ctx.readonly
    lang = ctx.lang
    labels = _labels(lang)
    value = journey.choice_of(question, stored)
    notice = st.session_state.get(NOTICE_KEY, {}).get((aid, qid))
    with st.container(border=True, key=block_key(aid, qid)):
        st.markdown(f"**{number}. {question.text.get(lang)}** &nbsp; {labels['badge_' + state]}")
        if disabled:  # read-only: say the answer in words (greyed-out widgets are hard to read)
            st.markdown(f"{labels['readonly_answer']}: **{_answer_words(bundle, question, stored, lang)}**")
        if question.kind == "level":
            key = _key(aid, qid, "choice")
            st.session_state[key] = NOT_APPLICABLE if pending else value
            statements = {o.level: o.statement.get(lang) for o in question.options}
            # The level statement is the text one judges by: part of the option label (normal size),
            # never a small grey caption.
            st.radio(
                labels["choose_level"], level_choices(bundle, question), index=None, key=key,
                format_func=lambda v, lang=lang, s=statements: _choice_label(bundle, lang, v, s),
                on_change=_on_choice, args=(bundle, aid, qid), disabled=disabled, label_visibility="collapsed",
            )
        else:
            _numeric_answer(ctx, bundle, question, stored, value, pending, notice)
        if pending or value == NOT_APPLICABLE:
            _note_field(ctx, bundle, qid, "reason", (stored.na_reason if stored is not None else None) or "",
                        labels["na_reason"], labels["na_reason_placeholder"], 500, stored)
            if state == "na_reason" and not disabled:
                st.warning(labels["na_needs_reason_pending"], icon="⚠️")
        if notice is not None and not disabled:
            _show_notice(ctx, question, notice, pending, value)
        with st.popover(labels["evidence_guide"], icon=":material/fact_check:"):
            st.markdown(_evidence_guide(question, bundle, lang))
        _note_field(ctx, bundle, qid, "evidence", (stored.evidence if stored is not None else None) or "",
                    labels["evidence"], labels["evidence_placeholder"], 1000, stored)
        for hook in QUESTION_HOOKS:  # e.g. evidence documents, review comments: one line per feature
            hook(ctx, bundle, question, stored)


def _numeric_answer(ctx: AssessmentContext, bundle: Bundle, question: Question, stored: StoredAnswer | None,
                    value: object, pending: bool, notice: tuple[str, str] | None) -> None:
    """A percentage as text ("62,5", "62.5 %"): Streamlit's number input takes "6,5" for 65 and
    speaks English; `ui.journey.save_percent_text` parses and says what is wrong in our words."""
    aid, qid, lang = ctx.assessment_id, question.id, ctx.lang
    labels = _labels(lang)
    mode_key, num_key = _key(aid, qid, "mode"), _key(aid, qid, "num")
    mode = NOT_APPLICABLE if pending else (value if value in (NOT_APPLICABLE, DONT_KNOW) else "value")
    st.session_state[mode_key] = mode
    st.radio(labels["numeric_mode"], journey.NUMERIC_MODES, key=mode_key,
             format_func=lambda v, lang=lang: _mode_label(lang, v),
             horizontal=True, on_change=_on_mode, args=(bundle, aid, qid), disabled=ctx.readonly,
             label_visibility="collapsed")
    if mode != "value":
        return
    number_value = stored.value if stored is not None and value == "value" else None
    typed = notice[1] if notice is not None and notice[0] in ("not_a_number", "out_of_range") else None
    st.session_state[num_key] = typed if typed is not None else percent_text(number_value, lang)  # type: ignore[arg-type]
    st.text_input(
        translate(lang, "assessment.percent_label", low=f"{question.low:g}", high=f"{question.high:g}"),
        key=num_key, on_change=_on_number, args=(bundle, aid, qid), disabled=ctx.readonly,
        placeholder=labels["percent_placeholder"], max_chars=20,
    )


def _note_field(ctx: AssessmentContext, bundle: Bundle, qid: str, part: str, saved: str, label: str,
                placeholder: str, max_chars: int, stored: StoredAnswer | None) -> None:
    """A note (evidence or N/A reason) that never depends on Enter: saved when the field loses focus,
    on Ctrl+Enter, or with its own Save button; under it, what is stored (and when)."""
    aid, lang = ctx.assessment_id, ctx.lang
    key = _key(aid, qid, part)
    st.session_state[key] = saved
    callback = _on_reason if part == "reason" else _on_evidence
    st.text_area(label, key=key, on_change=callback, args=(bundle, aid, qid), disabled=ctx.readonly,
                 placeholder=placeholder, max_chars=max_chars, height=68)
    if ctx.readonly:
        return
    left, right = st.columns([1, 4], vertical_alignment="center")
    left.button(translate(lang, f"assessment.save_{part}"), key=_key(aid, qid, f"save_{part}"), on_click=callback,
                args=(bundle, aid, qid), icon=":material/save:", width="stretch")
    if saved and stored is not None:
        right.caption(translate(lang, "assessment.note_saved", when=format_datetime(stored.updated_at, lang)))
    else:
        right.caption(translate(lang, "assessment.note_not_saved"))


def _show_notice(ctx: AssessmentContext, question: Question, notice: tuple[str, str], pending: bool,
                 value: object) -> None:
    aid, qid, lang = ctx.assessment_id, question.id, ctx.lang
    refusal, detail = notice
    bounds = {"low": f"{question.low:g}", "high": f"{question.high:g}"} if question.kind == "numeric" else {}
    if refusal == "na_needs_reason" and not pending and value == NOT_APPLICABLE:
        st.error(_labels(lang)["na_reason_kept"], icon="⛔")
    elif refusal == "out_of_range":
        st.error(translate(lang, "assessment.out_of_range", **bounds), icon="⛔")
    elif refusal == "not_a_number":
        st.error(translate(lang, "assessment.not_a_number", text=detail, **bounds), icon="⛔")
    elif refusal in ("locked", "storage_error"):
        st.error(translate(lang, "assessment.save_failed", detail=detail), icon="⛔")
    elif refusal == "stale":
        st.error(translate(lang, "assessment.stale_answer"), icon="⛔")
        st.button(translate(lang, "assessment.reload_latest"), key=_key(aid, qid, "reload"),
                  on_click=_reload_latest, args=(aid,), icon=":material/refresh:")

