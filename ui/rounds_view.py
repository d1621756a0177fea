"""The rounds page (administrator, national coordinator): list the rounds, open one on a questionnaire
version of the content registry with its deadline, change a deadline, close or reopen a round.
Storage (`storage.rounds`) decides who may and audits every change."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from scoring.registry import DEFAULT_QUESTIONNAIRE_ID, offered_version, versions
from storage import StorageError
from storage.rounds import RoundRecord, Rounds
from ui.i18n import current_language, t
from ui.responses_view import date_text
from ui.state import current_actor, current_scope, get_store

FLASH = "rounds_message"


def _flash(kind: str, text: str) -> None:
    st.session_state[FLASH] = (kind, text)


def _state(record: RoundRecord, lang: str) -> str:
    if record.closed_at is not None:
        return t("rounds.state_closed", date=date_text(record.closed_at.date(), lang))
    return t("rounds.state_open") if record.deadline is not None else t("rounds.state_unrecorded")


def rounds_frame(records: list[RoundRecord], lang: str) -> pd.DataFrame:
    """The list as the page shows it (newest round first)."""
    rows = [{
        t("rounds.col_round"): r.round,
        t("rounds.col_version"): r.questionnaire_version or t("rounds.version_any"),
        t("rounds.col_deadline"): date_text(r.deadline, lang) if r.deadline else "",
        t("rounds.col_state"): _state(r, lang),
        t("rounds.col_drafts"): r.counts.get("draft", 0) + r.counts.get("returned", 0),
        t("rounds.col_submitted"): r.counts.get("submitted", 0),
        t("rounds.col_accepted"): r.counts.get("accepted", 0),
    } for r in reversed(records)]
    return pd.DataFrame(rows)


def render_rounds_page() -> None:
    lang = current_language()
    rounds = Rounds(get_store())
    st.title(t("rounds.title"))
    st.caption(t("rounds.intro"))
    message = st.session_state.pop(FLASH, None)
    if message:
        getattr(st, message[0])(message[1])
    try:
        records = rounds.list_rounds(current_scope())
    except StorageError as error:
        st.error(str(error))
        return
    if records:
        st.dataframe(rounds_frame(records, lang), hide_index=True, width="stretch", key="rounds_table")
    else:
        st.info(t("rounds.none"))

    with st.expander(t("rounds.open_title"), expanded=not records, icon=":material/add:"), st.form("rounds_open"):
        st.text_input(t("rounds.round_id"), key="rounds_new_id", max_chars=32, help=t("rounds.round_id_help"),
                      value=str(date.today().year + 1))
        shipped = versions(DEFAULT_QUESTIONNAIRE_ID)
        offered = offered_version(DEFAULT_QUESTIONNAIRE_ID)
        st.selectbox(t("rounds.version"), shipped, key="rounds_new_version",
                     index=shipped.index(offered) if offered in shipped else len(shipped) - 1)
        st.date_input(t("rounds.deadline"), key="rounds_new_deadline", value=date.today() + timedelta(days=90),
                      min_value=date.today(), format="DD/MM/YYYY")
        st.text_input(t("rounds.note"), key="rounds_new_note", max_chars=500)
        st.form_submit_button(t("rounds.open"), type="primary", on_click=_on_open, key="rounds_open_submit")

    recorded = [r for r in records if r.deadline is not None or r.assessments]
    if not recorded:
        return
    by_round = {r.round: r for r in recorded}
    with st.container(border=True):
        st.subheader(t("rounds.change_title"))
        if st.session_state.get("rounds_pick") not in by_round:
            st.session_state["rounds_pick"] = recorded[-1].round
        chosen = by_round[st.selectbox(t("rounds.pick"), list(by_round), key="rounds_pick")]
        key = f"rounds_deadline_{chosen.round}"
        c_date, c_save, c_close = st.columns([2, 1, 1], vertical_alignment="bottom")
        c_date.date_input(t("rounds.deadline"), key=key, value=chosen.deadline or date.today(), format="DD/MM/YYYY")
        c_save.button(t("rounds.save_deadline"), key="rounds_save_deadline", on_click=_on_deadline,
                      args=(chosen.round, key), width="stretch")
        if chosen.deadline is not None:
            if chosen.is_closed:
                c_close.button(t("rounds.reopen"), key="rounds_reopen", on_click=_on_close,
                               args=(chosen.round, False), width="stretch", icon=":material/lock_open:")
            else:
                c_close.button(t("rounds.close"), key="rounds_close", on_click=_on_close,
                               args=(chosen.round, True), width="stretch", icon=":material/lock:")


def _run(call: object, success: str) -> None:
    try:
        call()  # type: ignore[operator]
    except StorageError as error:
        _flash("error", str(error))
    else:
        _flash("success", success)


def _on_open() -> None:
    round_ = (st.session_state.get("rounds_new_id") or "").strip()
    _run(lambda: Rounds(get_store()).open_round(
        round_, DEFAULT_QUESTIONNAIRE_ID, st.session_state.get("rounds_new_version") or "",
        st.session_state.get("rounds_new_deadline"), current_scope(), current_actor(),
        note=st.session_state.get("rounds_new_note") or None), t("rounds.opened", round=round_))
    st.session_state["rounds_pick"] = round_


def _on_deadline(round_: str, key: str) -> None:
    _run(lambda: Rounds(get_store()).set_deadline(round_, st.session_state.get(key), current_scope(),
                                                  current_actor()), t("rounds.deadline_saved", round=round_))


def _on_close(round_: str, closed: bool) -> None:
    rounds = Rounds(get_store())
    if closed:
        _run(lambda: rounds.close(round_, current_scope(), current_actor()), t("rounds.closed", round=round_))
    else:
        _run(lambda: rounds.reopen(round_, current_scope(), current_actor()), t("rounds.reopened", round=round_))
