"""The wizard's helpers around the questions: the round's deadline and the printable form in the header,
scrolling to where the user is going, the comment per dimension, and the review step's lists (every
unanswered, N/A and "don't know" answer with a jump to it) and one-page summary."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import streamlit as st

from reports.dates import format_date, format_datetime
from scoring.answers import DONT_KNOW, NOT_APPLICABLE, PROVIDED, percent_text
from scoring.content import Bundle
from scoring.schemas.questionnaire import Question
from storage import AssessmentInfo, StorageError, StoredAnswer
from storage.assessment_notes import dimension_comments, round_deadline, save_dimension_comment
from ui import journey
from ui.i18n import current_language, t, tx
from ui.state import current_actor, current_scope, get_store

SCROLL_KEY = "journey_scroll_to"
SCROLL_COUNT_KEY = "journey_scroll_count"
COMMENTS_KEY = "journey_dimension_comments"
STEP_TOP_KEY = "journey_step_top"
SUMMARY_KEY = "journey_summary_box"


# --- scrolling -------------------------------------------------------------------------------------


def go_to(step: str, question_id: str | None = None) -> None:
    """Callback: open `step` and, after the run, scroll to its first question (or to `question_id`)."""
    journey.set_step(step)
    st.session_state[SCROLL_KEY] = question_id or ""


def apply_scroll(assessment_id: int) -> None:
    """Run the scroll asked for by `go_to` once the page is drawn (a few lines of script in the page)."""
    if SCROLL_KEY not in st.session_state:
        return
    question_id = st.session_state.pop(SCROLL_KEY)
    from ui.question_block import block_key

    target = f".st-key-{block_key(assessment_id, question_id)}" if question_id else f".st-key-{STEP_TOP_KEY}"
    count = st.session_state.get(SCROLL_COUNT_KEY, 0) + 1
    st.session_state[SCROLL_COUNT_KEY] = count  # a different script each time, so the browser runs it again
    # A zero-height component frame runs the script; it reaches the page it sits in (same origin).
    import streamlit.components.v1 as components

    components.html(
        f"<script>/* {count} */(function(){{const doc=window.parent.document;let tries=0;function go(){{"
        f"const el=doc.querySelector('{target}');"
        f"if(el){{el.scrollIntoView({{block:'start'}});doc.body.dataset.dmmScrolled='{count}';return;}}"
        f"if(tries++<100){{setTimeout(go,30);}}}}go();}})();</script>",
        height=0,
    )


# --- header: deadline and the printable form ---------------------------------------------------------


def header_extras(info: AssessmentInfo, bundle: Bundle) -> None:
    lang = current_language()
    deadline = _deadline(info.round)
    if deadline is not None and not info.is_submitted:
        days = (deadline - date.today()).days
        text = t("assessment.deadline", date=format_date(deadline, lang), days=days) if days >= 0 else t(
            "assessment.deadline_passed", date=format_date(deadline, lang))
        (st.warning if days < 7 else st.info)(text, icon=":material/event:")
    from reports.blank_questionnaire import blank_questionnaire_pdf
    from reports.offline_workbook import offline_workbook

    left, right, _ = st.columns([2, 2, 3])
    left.download_button(t("assessment.blank_pdf"), data=lambda: blank_questionnaire_pdf(bundle, lang),
                         file_name=f"dmm_{bundle.questionnaire.id}_{bundle.questionnaire.version}_{lang}_blank.pdf",
                         mime="application/pdf", key="journey_blank_pdf", on_click="ignore",
                         icon=":material/print:", width="stretch")
    if not info.is_submitted:
        right.download_button(
            t("assessment.offline_workbook"), key="journey_offline_xlsx", on_click="ignore",
            data=lambda: offline_workbook(bundle, get_store().to_response(info.id, current_scope()), lang),
            file_name=f"dmm_{info.agency_id}_{info.round}_{lang}_offline.xlsx", icon=":material/table_view:",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch",
            help=t("assessment.offline_workbook_help"))


def _deadline(round_: str) -> date | None:
    try:
        return round_deadline(get_store(), round_)
    except StorageError:
        return None


# --- the comment per dimension --------------------------------------------------------------------------


def comments(assessment_id: int, refresh: bool = False) -> dict[str, str]:
    cache = st.session_state.setdefault(COMMENTS_KEY, {})
    if refresh or assessment_id not in cache:
        cache[assessment_id] = dimension_comments(get_store(), assessment_id, current_scope())
    return cache[assessment_id]


def _on_comment(assessment_id: int, dimension_id: str) -> None:
    text = st.session_state.get(f"journey_comment_{assessment_id}_{dimension_id}")
    try:
        stored = save_dimension_comment(get_store(), assessment_id, dimension_id, text, current_scope(),
                                        current_actor())
        st.session_state[f"journey_comment_saved_{assessment_id}"] = dimension_id
    except StorageError as exc:
        st.session_state["journey_comment_error"] = str(exc)
        return
    cache = st.session_state.setdefault(COMMENTS_KEY, {}).setdefault(assessment_id, {})
    if stored:
        cache[dimension_id] = stored
    else:
        cache.pop(dimension_id, None)


def dimension_comment(info: AssessmentInfo, dimension_id: str) -> None:
    """The agency's comment on the dimension (saved on leaving the field or with its button)."""
    aid = info.id
    key = f"journey_comment_{aid}_{dimension_id}"
    saved = comments(aid).get(dimension_id, "")
    st.session_state[key] = saved
    with st.container(border=True, key=f"journey_comment_box_{dimension_id}"):
        st.text_area(t("assessment.dimension_comment"), key=key, on_change=_on_comment, args=(aid, dimension_id),
                     disabled=info.is_submitted, placeholder=t("assessment.dimension_comment_placeholder"),
                     max_chars=4000, height=80)
        if not info.is_submitted:
            left, right = st.columns([1, 4], vertical_alignment="center")
            left.button(t("assessment.save_comment"), key=f"journey_comment_save_{dimension_id}",
                        on_click=_on_comment, args=(aid, dimension_id), icon=":material/save:", width="stretch")
            right.caption(t("assessment.comment_saved") if saved else t("assessment.note_not_saved"))
        error = st.session_state.pop("journey_comment_error", None)
        if error:
            st.error(t("assessment.save_failed", detail=error))


# --- review: lists with jumps and the one-page summary ---------------------------------------------------


def answer_words(bundle: Bundle, question_id: str, stored: StoredAnswer | None, lang: str) -> str:
    from reports.record import answer_words as words

    question = bundle.questionnaire.question(question_id)
    value = None if stored is None or stored.value is None else str(stored.value)
    answer, _ = words(bundle, question, value, lang)
    if value == NOT_APPLICABLE and stored is not None and stored.na_reason:
        answer = f"{answer} — {stored.na_reason}"
    return answer


def review_lists(info: AssessmentInfo, bundle: Bundle, progress: journey.Completeness,
                 answers: Mapping[str, StoredAnswer], groups: tuple[str, ...] = ("missing", "dont_know", "na")) -> None:
    """Three lists: still to answer (or N/A without a reason), "don't know", N/A; each line jumps
    to its question."""
    lang = current_language()
    na = [q.id for q in bundle.questionnaire.questions
          if (a := answers.get(q.id)) is not None and a.value == NOT_APPLICABLE and progress.states[q.id] == "done"]
    dont_know = [q.id for q in bundle.questionnaire.questions
                 if (a := answers.get(q.id)) is not None and a.value == DONT_KNOW]
    lists = [
        ("missing", [m.question_id for m in progress.missing], "error"),
        ("dont_know", dont_know, "warning"),
        ("na", na, "info"),
    ]
    for name, question_ids, kind in lists:
        if name not in groups or not question_ids:
            continue
        with st.container(border=True, key=f"journey_review_{name}"):
            getattr(st, kind)(t(f"assessment.review_{name}", count=len(question_ids)))
            for question_id in question_ids:
                question = bundle.questionnaire.question(question_id)
                number = bundle.dimension_ids.index(question.dimension_id) + 1
                left, right = st.columns([5, 1], vertical_alignment="center")
                words = answer_words(bundle, question_id, answers.get(question_id), lang)
                left.markdown(f"**{number}. {tx(bundle.questionnaire.dimension(question.dimension_id).name)}** · "
                              f"{tx(question.text)}  \n*{words}*")
                right.button(t("assessment.jump_to_question"), key=f"journey_goto_{name}_{question_id}",
                             on_click=go_to, args=(question.dimension_id, question_id), icon=":material/edit:",
                             width="stretch")


def short_answer(bundle: Bundle, question: Question, stored: StoredAnswer | None, state: str, lang: str) -> str:
    """One answer in a few characters, for the one-page summary (the legend under it says them)."""
    if state == "na_reason":
        return "!"
    if stored is None or stored.value is None:
        return "—"
    if stored.value == NOT_APPLICABLE:
        return t("assessment.short_na")
    if stored.value == DONT_KNOW:
        return "?"
    if stored.value == PROVIDED:
        return f"{bundle.rubric.provided_level or 3}*"
    if question.kind == "numeric":
        return f"{percent_text(float(stored.value), lang)}%"
    return str(stored.value)


def answers_summary(info: AssessmentInfo, bundle: Bundle, progress: journey.Completeness,
                    answers: Mapping[str, StoredAnswer], documents: Mapping[str, list]) -> None:
    """Every answer on one screen, before submitting: a row per dimension, a short cell per question
    (its number in the dimension), with the notes, documents and comment counted; the full text of
    every answer is one click further (and in the record PDF)."""
    lang = current_language()
    notes = comments(info.id)
    width = max(len(d.questions) for d in bundle.questionnaire.dimensions)
    rows = []
    for number, dimension in enumerate(bundle.questionnaire.dimensions, start=1):
        done, total = progress.by_dimension[dimension.id]
        row: dict[str, object] = {t("assessment.col_dimension"): f"{number}. {tx(dimension.name)}",
                                  t("assessment.col_done_short"): f"{done}/{total}"}
        for index in range(width):
            question = dimension.questions[index] if index < len(dimension.questions) else None
            row[t("assessment.col_q", n=index + 1)] = "" if question is None else short_answer(
                bundle, question, answers.get(question.id), progress.states[question.id], lang)
        stored = [answers.get(q.id) for q in dimension.questions]
        row[t("assessment.col_evidence_short")] = sum(1 for a in stored if a is not None and a.evidence)
        row[t("assessment.col_documents_short")] = sum(len(documents.get(q.id, [])) for q in dimension.questions)
        row[t("assessment.col_comment")] = "✓" if notes.get(dimension.id) else ""
        rows.append(row)
    # Fixed widths so that the whole table fits the main column of a 1400-pixel window without scrolling.
    config: dict[str, object] = {t("assessment.col_q", n=i + 1): st.column_config.TextColumn(width=46)
                                 for i in range(width)}
    # The dimension's name takes what is left (a cut name shows whole on hover): 9 questions leave 280 px.
    config[t("assessment.col_dimension")] = st.column_config.TextColumn(width=max(200, 694 - 46 * width))
    config[t("assessment.col_done_short")] = st.column_config.TextColumn(width=52)
    for column, pixels in (("col_evidence_short", 60), ("col_documents_short", 60), ("col_comment", 72)):
        config[t(f"assessment.{column}")] = st.column_config.Column(width=pixels)
    with st.container(key=SUMMARY_KEY):
        st.markdown(f"#### {t('assessment.summary_title')}")
        st.caption(t("assessment.summary_help", when=format_datetime(info.updated_at, lang)))
        st.dataframe(rows, hide_index=True, width="stretch", key="journey_summary", column_config=config,
                     height=36 * (len(rows) + 1) + 3, row_height=36)
        st.caption(t("assessment.summary_legend", provided=bundle.rubric.provided_level or 3))


def answers_in_full(bundle: Bundle, answers: Mapping[str, StoredAnswer], documents: Mapping[str, list]) -> None:
    """Every answer with its question's text and the evidence note, in an expander under the summary."""
    lang = current_language()
    rows = []
    for number, dimension in enumerate(bundle.questionnaire.dimensions, start=1):
        for question in dimension.questions:
            stored = answers.get(question.id)
            rows.append({
                t("assessment.col_dimension"): f"{number}. {tx(dimension.name)}",
                t("assessment.col_question"): tx(question.text),
                t("assessment.col_answer"): answer_words(bundle, question.id, stored, lang),
                t("assessment.col_evidence"): (stored.evidence if stored else None) or "",
                t("assessment.col_documents"): len(documents.get(question.id, [])),
            })
    with st.expander(t("assessment.summary_in_full"), icon=":material/list:"):
        st.dataframe(rows, hide_index=True, width="stretch", key="journey_summary_full", height=420)
