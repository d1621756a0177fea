"""People on screen: the administrator's users page, and the IT lead's team page (who answers which
dimension, and who answered what and when). Storage decides who may do what."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scoring.content import Bundle
from storage import Accounts, Review, StorageError
from storage.schema import ROLES
from ui import journey
from ui.i18n import current_language, t, translate, tx
from ui.state import current_actor, current_scope, get_store


def _flash(kind: str, text: str) -> None:
    st.session_state["people_message"] = (kind, text)


def _show_flash() -> None:
    message = st.session_state.pop("people_message", None)
    if message:
        getattr(st, message[0])(message[1])


# --- administrator -------------------------------------------------------------------------------


def render_users_page() -> None:
    lang = current_language()
    accounts = Accounts(get_store())
    st.title(t("access.users_title"))
    st.caption(t("access.users_intro"))
    _show_flash()
    try:
        users = accounts.list_users(current_scope())
    except StorageError as error:
        st.error(str(error))
        return
    frame = pd.DataFrame(
        [{t("access.col_email"): u.email, t("access.col_name"): u.display_name or "",
          t("access.col_role"): translate(lang, f"access.role_{u.role}"), t("access.col_scope"): u.scope,
          t("access.col_active"): u.active} for u in users]
    )
    st.dataframe(frame, hide_index=True, width="stretch")

    def role_label(role: str, lang: str = lang) -> str:
        return translate(lang, f"access.role_{role}")

    add, change, bulk = st.tabs([t("access.add_user"), t("access.change_user"), t("access.import_users")])
    with add, st.form("users_add", clear_on_submit=True):
        st.text_input(t("access.col_email"), key="users_add_email", max_chars=254)
        st.text_input(t("access.col_name"), key="users_add_name", max_chars=200)
        st.selectbox(t("access.col_role"), ROLES, key="users_add_role", format_func=role_label)
        st.text_input(t("access.col_scope"), key="users_add_scope", placeholder="agency:xa_dak_ha",
                      help=t("access.scope_help"))
        st.form_submit_button(t("access.add_user"), on_click=_on_add, type="primary", key="users_add_submit")
    with change:
        emails = [u.email for u in users]
        by_email = {u.email: u for u in users}
        chosen = st.selectbox(t("access.col_email"), emails, key="users_change_email", index=None)
        if chosen:
            user = by_email[chosen]
            st.selectbox(t("access.col_role"), ROLES, key="users_change_role", index=ROLES.index(user.role),
                         format_func=role_label)
            st.text_input(t("access.col_scope"), key="users_change_scope", value=user.scope,
                          help=t("access.scope_help"))
            st.toggle(t("access.col_active"), key="users_change_active", value=user.active)
            st.button(t("access.save_user"), key="users_change_save", on_click=_on_change, args=(chosen,),
                      type="primary")
    with bulk:
        st.caption(t("access.import_help"))
        st.file_uploader(t("access.import_users"), type=["csv"], key="users_import", on_change=_on_import)
        for number, reason in st.session_state.get("users_import_problems", []):
            st.error(t("access.import_row", row=number, reason=reason))


def _on_add() -> None:
    try:
        Accounts(get_store()).add_user(
            st.session_state.get("users_add_email") or "", st.session_state.get("users_add_role") or "",
            (st.session_state.get("users_add_scope") or "national").strip(), current_scope(), current_actor(),
            display_name=st.session_state.get("users_add_name") or None)
    except StorageError as error:
        _flash("error", str(error))
        return
    _flash("success", t("access.user_saved"))


def _on_change(email: str) -> None:
    try:
        Accounts(get_store()).change_user(
            email, current_scope(), current_actor(), role=st.session_state.get("users_change_role"),
            scope_text=st.session_state.get("users_change_scope"),
            active=bool(st.session_state.get("users_change_active")))
    except StorageError as error:
        _flash("error", str(error))
        return
    _flash("success", t("access.user_saved"))


def _on_import() -> None:
    upload = st.session_state.get("users_import")
    if upload is None:
        return
    try:
        text = upload.getvalue().decode("utf-8-sig")
    except UnicodeDecodeError:
        st.session_state["users_import_problems"] = [(0, t("access.import_not_utf8"))]
        return
    try:
        report = Accounts(get_store()).import_csv(text, current_scope(), current_actor())
    except StorageError as error:
        _flash("error", str(error))
        return
    st.session_state["users_import_problems"] = report.problems
    _flash("success", t("access.import_done", added=len(report.added), updated=len(report.updated),
                        refused=len(report.problems)))


# --- the IT lead's team --------------------------------------------------------------------------


def render_team_page(bundle: Bundle) -> None:
    store, scope, lang = get_store(), current_scope(), current_language()
    review = Review(store)
    st.title(t("access.team_title"))
    st.caption(t("access.team_intro"))
    _show_flash()
    items = [a for a in store.list_assessments(scope) if a.questionnaire_id == bundle.questionnaire.id]
    if not items:
        st.info(t("access.team_none"))
        return
    names = {a.id: a.name for a in store.list_agencies(scope)}
    by_id = {a.id: a for a in items}
    open_id = journey.open_assessment_id()
    if st.session_state.get("team_pick") not in by_id:
        st.session_state["team_pick"] = open_id if open_id in by_id else items[-1].id
    st.selectbox(t("access.review_pick"), list(by_id), key="team_pick",
                 format_func=lambda a: journey.assessment_label(by_id[a], names))
    info = by_id[st.session_state["team_pick"]]
    try:
        people = review.respondents(info.agency_id, scope)
        assigned = review.assignments(info.id, scope)
        authors = review.answered_by(info.id, scope)
    except StorageError as error:
        st.error(str(error))
        return
    st.subheader(t("access.assignments"))
    if not people:
        st.info(t("access.no_respondents"))
    emails = [email for email, _ in people]
    display = {email: f"{name} <{email}>" if name else email for email, name in people}
    editable = not info.is_submitted
    for dimension in bundle.questionnaire.dimensions:
        current = [a.email for a in assigned if a.dimension_id == dimension.id and a.email in display]
        key = f"team_assign_{info.id}_{dimension.id}"
        st.session_state[key] = current
        st.multiselect(tx(dimension.name), emails, key=key, format_func=display.__getitem__, disabled=not editable,
                       on_change=_on_assign, args=(info.id, dimension.id, current, key))
    st.subheader(t("access.who_answered"))
    if not authors:
        st.caption(t("access.nobody_answered"))
        return
    rows = [{t("access.col_question"): qid, t("access.col_by"): a.actor,
             t("access.col_at"): a.at.strftime("%d/%m/%Y %H:%M")} for qid, a in sorted(authors.items())]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    del lang


def _on_assign(assessment_id: int, dimension_id: str, before: list[str], key: str) -> None:
    after = st.session_state.get(key) or []
    review = Review(get_store())
    try:
        for email in set(after) - set(before):
            review.assign(assessment_id, dimension_id, email, current_scope(), current_actor())
        for email in set(before) - set(after):
            review.unassign(assessment_id, dimension_id, email, current_scope(), current_actor())
    except StorageError as error:
        _flash("error", str(error))
        return
    _flash("success", t("access.assignment_saved"))
