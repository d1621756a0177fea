"""The coordinator's response tracking (who has answered a round) and the round deadline banner.

`render_deadline_banner(store)` is small and safe to call from any page: it shows the deadlines of
rounds that are still open (today or later), or nothing.
"""

from __future__ import annotations

import functools
from datetime import date

import pandas as pd
import streamlit as st

from coordinator.tracking import TRACK_STATUSES, agency_statuses, non_submitters, reminder_table, totals, tracking_table
from reports.population_excel import table_csv
from scoring.numbers import fmt_int, fmt_pct
from storage import Scope, StorageError, Store
from storage.rounds import Rounds, may_manage_rounds
from storage.tracking import contacts, deadlines, round_statuses
from ui.i18n import current_language, t, translate
from ui.register_upload import current_register, get_register, render_register_source
from ui.table_numbers import number_table, show_numbers

__all__ = ["get_register", "render_deadline_banner", "render_responses"]


def render_deadline_banner(store: Store, today: date | None = None) -> None:
    """Every open round's deadline ("Đợt 2027: hạn nộp 30/06/2027"), or nothing."""
    today = today or date.today()
    try:
        due = deadlines(store)
    except Exception:  # a banner never breaks a page (e.g. a database not yet migrated)
        return
    lang = current_language()
    shown = [d for d in sorted(due.values(), key=lambda d: d.deadline) if d.deadline >= today]
    for item in shown:
        days = (item.deadline - today).days
        text = t("coordinator.deadline_banner", round=item.round, date=date_text(item.deadline, lang),
                 days=fmt_int(days, lang))
        if item.note:
            text += f" — {item.note}"
        (st.warning if days <= 7 else st.info)(text, icon=":material/event:")


def date_text(value: date, lang: str) -> str:
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()


def status_names(lang: str) -> dict[str, str]:
    return {s: translate(lang, f"coordinator.track_{s}") for s in TRACK_STATUSES}


def render_responses(store: Store, scope: Scope, questionnaire_id: str, round_: str, actor: str) -> None:
    lang = current_language()
    names = status_names(lang)
    st.subheader(t("coordinator.responses_title", round=round_))
    register = current_register(store)
    st.caption(t("coordinator.responses_caption", version=register.version))
    register = render_register_source(store, scope, actor, register)
    frame = agency_statuses(register, round_statuses(store, scope, questionnaire_id, round_))
    counts = totals(frame)
    columns = st.columns(1 + len(TRACK_STATUSES))
    columns[0].metric(t("coordinator.track_expected"), fmt_int(counts["expected"], lang))
    for column, status in zip(columns[1:], TRACK_STATUSES, strict=True):
        share = counts[status] / counts["expected"] if counts["expected"] else None
        column.metric(names[status], fmt_int(counts[status], lang), help=fmt_pct(share, lang))

    table = tracking_table(register, frame)
    shown = table.drop(columns=["group"]).copy()
    shown["group_type"] = shown["group_type"].map({"province": t("coordinator.type_province"),
                                                   "ministry": t("coordinator.type_ministry")})
    shares = ("share_responded", "share_accepted")
    show_numbers(number_table(shown, lang, shares=shares), hide_index=True, key="coord_track_table", height=420,
                 column_order=("group_name", *shares, "group_type", "expected", *TRACK_STATUSES, "responded"),
                 column_config={
                     "group_name": st.column_config.TextColumn(t("coordinator.col_group"), pinned=True),
                     "group_type": st.column_config.TextColumn(t("coordinator.col_type")),
                     "expected": st.column_config.NumberColumn(t("coordinator.track_expected")),
                     **{s: st.column_config.NumberColumn(names[s]) for s in TRACK_STATUSES},
                     "responded": st.column_config.NumberColumn(t("coordinator.track_responded")),
                     **{s: st.column_config.NumberColumn(t(f"coordinator.track_{s}")) for s in shares},
                 })

    st.subheader(t("coordinator.waiting_title"))
    waiting = non_submitters(register, frame, contacts(store))
    st.caption(t("coordinator.waiting_caption", count=fmt_int(len(waiting), lang)))
    headers = {"agency_id": t("coordinator.col_agency_id"), "agency_name": t("coordinator.col_agency"),
               "agency_type": t("coordinator.col_type"), "province_name": t("coordinator.col_province"),
               "status": t("coordinator.col_status"), "contact_email": t("coordinator.col_contact_email"),
               "contact_name": t("coordinator.col_contact_name"), "round": t("coordinator.col_round"),
               "deadline": t("coordinator.col_deadline")}
    readable = waiting.assign(status=waiting["status"].map(names),
                              contact_email=waiting["contact_email"].fillna(""),
                              contact_name=waiting["contact_name"].fillna(""),
                              agency_type=waiting["agency_type"].map(lambda k: t(f"coordinator.type_{k}")))
    st.dataframe(readable, hide_index=True, key="coord_waiting_table", height=320,
                 column_config={c: headers[c] for c in readable.columns})
    due = deadlines(store).get(round_)
    row = st.container(horizontal=True, key="coord_waiting_downloads")
    row.download_button(t("coordinator.waiting_export"), functools.partial(table_csv, readable, headers),
                        file_name=f"chua-nop-{round_}.csv", mime="text/csv", key="coord_dl_waiting",
                        icon=":material/download:", on_click="ignore")
    reminders = functools.partial(_reminder_bytes, waiting.assign(status=waiting["status"].map(names)), round_,
                                  due.deadline if due else None, headers)
    row.download_button(t("coordinator.reminder_export"), reminders, file_name=f"nhac-nop-{round_}.csv",
                        mime="text/csv", key="coord_dl_reminders", icon=":material/mail:", on_click="ignore")
    if may_manage_rounds(scope):
        render_deadline_editor(store, scope, round_, actor, due.deadline if due else None)


def _reminder_bytes(waiting: pd.DataFrame, round_: str, deadline: date | None, headers: dict[str, str]) -> bytes:
    return table_csv(reminder_table(waiting, round_, deadline), headers)


def render_deadline_editor(store: Store, scope: Scope, round_: str, actor: str, current: date | None) -> None:
    with st.container(border=True):
        c_date, c_go = st.columns([2, 1], vertical_alignment="bottom")
        chosen = c_date.date_input(t("coordinator.deadline_label", round=round_), value=current,
                                   key=f"coord_deadline_{round_}", format="DD/MM/YYYY")
        if c_go.button(t("coordinator.deadline_save"), key="coord_deadline_save"):
            try:
                Rounds(store).set_deadline(round_, chosen if isinstance(chosen, date) else None, scope, actor)
            except StorageError as error:
                st.error(str(error))
            else:
                st.toast(t("coordinator.deadline_saved"))
