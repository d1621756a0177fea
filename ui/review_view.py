"""The review workflow on screen: the reviewer's page, the comments beside the questions in the
wizard (with the IT lead's replies), and the status block of the results page.

Every storage call runs as `current_scope()` (the signed-in principal), so the service decides who
may comment, return or accept; this module only hides what a role cannot use.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import streamlit as st

from scoring.content import Bundle
from storage import AssessmentInfo, Review, StorageError
from storage.review import Comment
from ui import journey
from ui.i18n import current_language, t, translate, tx
from ui.state import current_actor, current_principal, current_scope, get_store

COMMENTS_KEY = "_review_comments"  # (assessment id, status, {question id or "": [Comment]}) of this run
REVIEW_PICK = "review_pick"
REVIEWABLE = ("submitted", "returned", "accepted")


def _review() -> Review:
    return Review(get_store())


def _css(question_id: str) -> str:
    """A widget key without dots (its CSS class is st-key-<key>)."""
    return question_id.replace(".", "__")


def _when(moment: datetime | None) -> str:
    return moment.strftime("%d/%m/%Y %H:%M") if moment else "—"


def status_words(status: str, lang: str | None = None) -> str:
    return translate(lang or current_language(), f"access.status_{status}")


def _may(action: str) -> bool:
    principal = current_principal()
    return principal is None or principal.may(action)


# --- in the wizard (hooks in ui/question_block.py and ui/widgets.py) ---------------------------------------


def respondent_bundle(bundle: Bundle, info: AssessmentInfo) -> Bundle:
    """What the wizard shows: for a respondent only the dimensions assigned to them (none: an empty
    bundle, and the wizard says so); for everyone else the whole bundle."""
    principal = current_principal()
    if principal is None or principal.role != "respondent":
        return bundle
    from storage.access import assigned_dimensions

    return bundle.for_dimensions(assigned_dimensions(get_store(), principal.email, info.id))


def submit_is_elsewhere() -> bool:
    """For a respondent (who never submits), say who does instead of offering the submit button."""
    if _may("submit"):
        return False
    st.info(t("access.lead_submits"), icon=":material/send:")
    return True


def nothing_assigned() -> None:
    st.info(t("access.nothing_assigned"), icon=":material/assignment_ind:")


def workflow_banner(info: AssessmentInfo) -> None:
    """Above the wizard: why it was returned and the overall comments; loads this run's comments."""
    st.session_state[COMMENTS_KEY] = (info.id, info.status, {})
    if not info.is_submitted:
        from storage.rounds import closed_on

        closed = closed_on(get_store(), info.round)
        if closed is not None:
            st.warning(t("access.round_closed", round=info.round, date=closed.strftime("%d/%m/%Y")),
                       icon=":material/lock_clock:")
    principal = current_principal()
    if principal is not None and principal.role == "respondent":
        from storage.access import assigned_dimensions
        from ui.state import get_bundle

        names = {d.id: tx(d.name) for d in get_bundle().questionnaire.dimensions}
        mine = [names.get(d, d) for d in sorted(assigned_dimensions(get_store(), principal.email, info.id))]
        st.info(t("access.your_dimensions", dimensions="; ".join(mine) or "—"), icon=":material/assignment_ind:")
    if info.status not in REVIEWABLE:
        return
    try:
        comments = _review().comments(info.id, current_scope())
    except StorageError:
        return
    grouped: dict[str, list[Comment]] = {}
    for comment in comments:
        grouped.setdefault(comment.question_id or "", []).append(comment)
    st.session_state[COMMENTS_KEY] = (info.id, info.status, grouped)
    if info.status == "returned":
        history = _review().history(info.id, current_scope())
        last = next((h for h in reversed(history) if h.to_status == "returned"), None)
        st.warning(t("access.returned_banner", who=last.actor if last else "?", date=_when(last.at if last else None),
                     reason=(last.reason if last else "") or ""), icon=":material/undo:")
        commented = sorted(q for q in grouped if q)
        if commented:
            st.caption(t("access.commented_questions", questions=", ".join(commented)))
    for comment in grouped.get("", []):
        _comment_line(comment)


def comments_hook(ctx: Any, bundle: Bundle, question: Any, stored: Any) -> None:
    """`ui.question_block.QUESTION_HOOKS` entry: the comments under each question of the wizard."""
    question_comments(ctx.assessment_id, question.id)


def question_comments(assessment_id: int, question_id: str) -> None:
    """Beside one question: the reviewer's comments and the replies; a reply box while returned."""
    loaded = st.session_state.get(COMMENTS_KEY)
    if not loaded or loaded[0] != assessment_id:
        return
    thread = loaded[2].get(question_id)
    if not thread:
        return
    with st.container(border=True, key=f"review_thread_{assessment_id}_{_css(question_id)}"):
        for comment in thread:
            _comment_line(comment)
        if loaded[1] == "returned" and _may("comment"):
            key = f"review_reply_{assessment_id}_{_css(question_id)}"
            st.text_input(t("access.reply"), key=key, max_chars=2000, placeholder=t("access.reply_placeholder"),
                          on_change=_on_reply, args=(assessment_id, question_id, thread[0].id, key))


def _comment_line(comment: Comment) -> None:
    role = t(f"access.role_{comment.author_role}") if comment.author_role != "local" else ""
    icon = "↳ " if comment.parent_id else "💬 "
    st.markdown(f"{icon}**{comment.author}** {role} · {_when(comment.created_at)}  \n{comment.body}")


def _on_reply(assessment_id: int, question_id: str, parent_id: int, key: str) -> None:
    text = (st.session_state.get(key) or "").strip()
    if not text:
        return
    try:
        added = _review().add_comment(assessment_id, text, current_scope(), current_actor(), parent_id=parent_id)
    except StorageError as error:
        from ui.widgets import flash

        flash("error", str(error))
        return
    st.session_state[key] = ""
    # The wizard's step may rerun as a fragment, without the banner that loads the comments.
    loaded = st.session_state.get(COMMENTS_KEY)
    if loaded and loaded[0] == assessment_id:
        loaded[2].setdefault(question_id, []).append(added)


# --- results page --------------------------------------------------------------------------------


def render_status_block(assessment_id: int) -> None:
    """Status, submitter, reviewer and dates of an assessment (results page)."""
    try:
        summary = _review().summary(assessment_id, current_scope())
    except StorageError:
        return
    cols = st.columns(4)
    cols[0].metric(t("access.status"), status_words(summary.status))
    submitted = f"{summary.submitted_by or '—'}  \n{_when(summary.submitted_at)}"
    reviewed = f"{summary.reviewed_by or '—'}  \n{_when(summary.reviewed_at)}"
    cols[1].markdown(f"**{t('access.submitted_by')}**  \n{submitted}")
    cols[2].markdown(f"**{t('access.reviewed_by')}**  \n{reviewed}")
    cols[3].markdown(f"**{t('access.returned_count')}**  \n{summary.returned_count}")


# --- the reviewer's page -------------------------------------------------------------------------


def render_review_page(bundle: Bundle) -> None:
    store, scope, lang = get_store(), current_scope(), current_language()
    st.title(t("access.review_title"))
    st.caption(t("access.review_intro"))
    items = [a for a in store.list_assessments(scope) if a.status in REVIEWABLE]
    if not items:
        st.info(t("access.review_none"))
        return
    names = {a.id: a.name for a in store.list_agencies(scope)}
    order = {"submitted": 0, "returned": 1, "accepted": 2}
    items.sort(key=lambda a: (order[a.status], names.get(a.agency_id, a.agency_id), a.round))
    by_id = {a.id: a for a in items}
    labels = {a.id: f"{journey.assessment_label(a, names)} · {status_words(a.status, lang)}" for a in items}
    wanted = journey.open_assessment_id()
    if wanted in by_id and st.session_state.get(REVIEW_PICK) is None:
        st.session_state[REVIEW_PICK] = wanted
    st.selectbox(t("access.review_pick"), list(by_id), key=REVIEW_PICK, index=None, format_func=labels.__getitem__,
                 placeholder=t("access.review_pick_placeholder"))
    chosen = st.session_state.get(REVIEW_PICK)
    if chosen not in by_id:
        return
    journey.set_open_assessment(chosen)
    info = by_id[chosen]
    _review_one(info, bundle, names.get(info.agency_id, info.agency_id))


def _review_one(info: AssessmentInfo, bundle: Bundle, agency_name: str) -> None:
    from ui.question_block import answer_words

    store, scope, lang = get_store(), current_scope(), current_language()
    review = _review()
    try:
        answers = store.load_answers(info.id, scope)
        comments = review.comments(info.id, scope)
        history = review.history(info.id, scope)
    except StorageError as error:
        st.error(str(error))
        return
    st.subheader(f"{agency_name} · {info.round}")
    message = st.session_state.pop("review_message", None)
    if message:
        getattr(st, message[0])(message[1])
    st.markdown(f"**{t('access.status')}:** {status_words(info.status, lang)}")
    with st.expander(t("access.history"), expanded=False):
        for step in history:
            reason = f" — {step.reason}" if step.reason else ""
            st.markdown(f"- {_when(step.at)} · {step.actor}: {status_words(step.to_status, lang)}{reason}")
    open_for_review = info.status == "submitted" and _may("comment")
    by_question: dict[str, list[Comment]] = {}
    for comment in comments:
        by_question.setdefault(comment.question_id or "", []).append(comment)
    for comment in by_question.get("", []):
        _comment_line(comment)
    for dimension in bundle.questionnaire.dimensions:
        with st.expander(f"{tx(dimension.name)}", expanded=False):
            for question in dimension.questions:
                stored = answers.get(question.id)
                words = answer_words(bundle, question, stored, lang)
                st.markdown(f"**{question.id}** — {tx(question.text)}  \n→ {words}")
                if stored is not None and stored.evidence:
                    st.caption(f"{t('access.evidence')}: {stored.evidence}")
                for comment in by_question.get(question.id, []):
                    _comment_line(comment)
                if open_for_review:
                    key = f"review_comment_{info.id}_{_css(question.id)}"
                    st.text_input(t("access.comment_on_answer"), key=key, max_chars=2000,
                                  on_change=_on_comment, args=(info.id, question.id, key),
                                  placeholder=t("access.comment_placeholder"))
    if not open_for_review or not _may("return"):
        return
    st.divider()
    st.text_area(t("access.overall_comment"), key=f"review_overall_{info.id}", max_chars=4000)
    cols = st.columns(2)
    cols[0].button(t("access.return"), key=f"review_return_{info.id}", on_click=_on_return, args=(info.id,),
                   icon=":material/undo:", width="stretch")
    cols[1].button(t("access.accept"), key=f"review_accept_{info.id}", on_click=_on_accept, args=(info.id,),
                   type="primary", icon=":material/verified:", width="stretch")


def _on_comment(assessment_id: int, question_id: str, key: str) -> None:
    text = (st.session_state.get(key) or "").strip()
    if not text:
        return
    try:
        _review().add_comment(assessment_id, text, current_scope(), current_actor(), question_id=question_id)
    except StorageError as error:
        st.session_state["review_message"] = ("error", str(error))
        return
    st.session_state[key] = ""


def _on_return(assessment_id: int) -> None:
    reason = (st.session_state.get(f"review_overall_{assessment_id}") or "").strip()
    if not reason:
        st.session_state["review_message"] = ("error", t("access.return_needs_reason"))
        return
    try:
        _review().return_for_changes(assessment_id, reason, current_scope(), current_actor())
    except StorageError as error:
        st.session_state["review_message"] = ("error", str(error))
        return
    st.session_state["review_message"] = ("success", t("access.returned_done"))


def _on_accept(assessment_id: int) -> None:
    note = (st.session_state.get(f"review_overall_{assessment_id}") or "").strip() or None
    try:
        _review().accept(assessment_id, current_scope(), current_actor(), reason=note)
    except StorageError as error:
        st.session_state["review_message"] = ("error", str(error))
        return
    st.session_state["review_message"] = ("success", t("access.accepted_done"))
