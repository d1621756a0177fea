"""Start: choose or add the agency, see its assessments, start a round, or import a response file."""

from __future__ import annotations

import streamlit as st

from scoring.registry import declared_version, versions
from scoring.schemas.base import AGENCY_TYPES
from scoring.schemas.response import Agency
from storage import StorageError, round_sort_key
from storage.rounds import open_rounds, round_version
from ui import evidence_view, journey, record_bundle, widgets
from ui.i18n import current_language, t, translate
from ui.responses_view import date_text
from ui.state import current_actor, current_scope, get_bundle, get_store

AGENCY_KEY = "journey_agency"
bundle = get_bundle()
store = get_store()
scope = current_scope()
lang = current_language()


# Option labels never read session state (AppTest calls them outside the script thread).
def _type_label(agency_type: str, lang: str = lang) -> str:
    return translate(lang, f"start.type_{agency_type}")


def _agency_label(agency: Agency, lang: str = lang) -> str:
    where = f", {journey.province_name(agency.province)}" if agency.province else ""
    return f"{agency.name} ({_type_label(agency.type, lang)}{where})"


def _add_agency() -> None:
    agency_type = st.session_state.get("start_new_type") or "commune"
    province = st.session_state.get("start_new_province")
    name = st.session_state.get("start_new_name") or ""
    if agency_type == "province" and province and not name.strip():
        name = f"UBND {journey.province_name(province)}"
    existing = {a.id: a for a in store.list_agencies(scope)}
    draft = journey.build_agency(name, agency_type, province, st.session_state.get("start_new_id"), existing)
    if draft.agency is None:
        st.session_state["start_new_problems"] = draft.problems
        return
    try:
        store.upsert_agency(draft.agency, scope, current_actor())
    except StorageError as exc:
        st.session_state["start_new_problems"] = [str(exc)]
        return
    st.session_state[AGENCY_KEY] = draft.agency.id
    st.session_state["start_agency_mode"] = "existing"
    for key in ("start_new_name", "start_new_id"):
        st.session_state.pop(key, None)
    widgets.flash("success", t("start.agency_added", name=draft.agency.name, id=draft.agency.id))


def _on_agency_select() -> None:
    st.session_state[AGENCY_KEY] = st.session_state["start_agency"]


def _on_import() -> None:
    upload = st.session_state.get("start_import")
    if upload is None:
        st.session_state.pop("start_import_outcome", None)
        return
    raw = upload.getvalue()  # a file is checked against the version it declares (1.0.0 files still import)
    if upload.name.lower().endswith(".xlsx"):  # the offline Excel workbook, filled in and sent back
        outcome = journey.import_offline_workbook(raw, upload.name, get_bundle(), store, scope, current_actor(),
                                                  current_language())
    elif record_bundle.is_bundle(raw):  # an exported assessment with its evidence documents
        file_bundle = get_bundle(version=declared_version(record_bundle.response_bytes(raw)))
        imported = record_bundle.import_bundle(raw, upload.name, file_bundle, store, evidence_view.get_evidence(),
                                               scope, current_actor())
        outcome = imported.outcome or journey.ImportOutcome(problems=imported.problems)
        if imported.problems:
            outcome = journey.ImportOutcome(problems=imported.problems)
        elif outcome.ok:
            widgets.flash("info", t("evidence.bundle_imported", file=upload.name, answers=outcome.answers,
                                    added=imported.documents_added, skipped=imported.documents_skipped,
                                    comments=imported.comments))
    else:
        file_bundle = get_bundle(version=declared_version(raw))
        outcome = journey.import_response_bytes(raw, upload.name, file_bundle, store, scope, current_actor())
    st.session_state["start_import_outcome"] = outcome
    if outcome.ok and outcome.info is not None:
        journey.set_open_assessment(outcome.info.id)
        st.session_state[AGENCY_KEY] = outcome.info.agency_id
        key = "start.import_merged" if outcome.merged else "start.import_done"
        widgets.flash("success", t(key, name=upload.name, count=outcome.answers))
        st.session_state["start_goto_assessment"] = True


if st.session_state.pop("start_goto_assessment", False):
    st.switch_page("app_pages/assessment.py")

st.title(t("common.app_title"))
st.caption(t("common.app_subtitle"))
widgets.show_flash()

agencies = store.list_agencies(scope)
by_id = {a.id: a for a in agencies}
open_id = journey.open_assessment_id()
if open_id is not None:
    try:
        open_info = store.get_assessment(open_id, scope)
    except StorageError:
        journey.set_open_assessment(None)
        open_info = None
    if open_info is not None:
        st.session_state.setdefault(AGENCY_KEY, open_info.agency_id)
        agency_name = by_id[open_info.agency_id].name if open_info.agency_id in by_id else open_info.agency_id
        with st.container(border=True):
            st.markdown(t("start.open_now", name=agency_name, round=open_info.round))
            st.page_link("app_pages/assessment.py", icon="📝",
                         label=t("start.view_assessment") if open_info.is_submitted else t("start.continue"),
                         query_params={journey.QUERY_KEY: str(open_info.id)})

# --- 1. the agency -------------------------------------------------------------------------------------
st.subheader(t("start.agency_section"))
if "start_agency_mode" not in st.session_state:
    st.session_state["start_agency_mode"] = "existing" if agencies else "new"
st.segmented_control(t("start.agency_mode"), ["existing", "new"], key="start_agency_mode",
                     format_func=lambda m, lang=lang: translate(lang, f"start.mode_{m}"), label_visibility="collapsed")
mode = st.session_state.get("start_agency_mode") or "existing"

selected: Agency | None = None
if mode == "existing":
    if not agencies:
        st.info(t("start.no_agencies"))
    else:
        current = st.session_state.get(AGENCY_KEY)
        st.session_state["start_agency"] = current if current in by_id else None
        st.selectbox(t("start.choose_agency"), list(by_id), key="start_agency", index=None,
                     format_func=lambda a: _agency_label(by_id[a]), on_change=_on_agency_select,
                     placeholder=t("start.choose_agency_placeholder"))
        chosen = st.session_state.get("start_agency")
        selected = by_id.get(chosen) if chosen else None
else:
    with st.container(border=True):
        st.text_input(t("start.new_name"), key="start_new_name", placeholder=t("start.new_name_placeholder"),
                      max_chars=200)
        if "start_new_type" not in st.session_state:
            st.session_state["start_new_type"] = "commune"
        st.radio(t("start.new_type"), AGENCY_TYPES, key="start_new_type", format_func=_type_label, horizontal=True)
        agency_type = st.session_state["start_new_type"]
        provinces = journey.province_choices()
        names = dict(provinces)
        if agency_type in ("commune", "province"):
            st.selectbox(t("start.new_province") if agency_type == "commune" else t("start.new_province_self"),
                         [pid for pid, _ in provinces], key="start_new_province", index=None,
                         format_func=names.get, placeholder=t("start.new_province_placeholder"))
        if agency_type == "province":
            chosen_province = st.session_state.get("start_new_province")
            st.caption(t("start.province_id_note", id=chosen_province or "tinh_…"))
        else:
            suggestion = journey.slugify(st.session_state.get("start_new_name") or "") or "…"
            st.text_input(t("start.new_id"), key="start_new_id", placeholder=suggestion, max_chars=64,
                          help=t("start.new_id_help"))
        st.button(t("start.add_agency"), key="start_add_agency", on_click=_add_agency, type="primary",
                  icon=":material/add_business:")
        for problem in st.session_state.pop("start_new_problems", []):
            st.error(t(f"start.problem_{problem}") if problem in (
                "name_required", "province_required", "id_invalid", "id_taken") else problem)

# --- 2. the agency's assessments ---------------------------------------------------------------------------
if selected is not None:
    assessments = sorted(store.list_assessments(scope, agency_id=selected.id),
                         key=lambda a: round_sort_key(a.round), reverse=True)
    shipped_versions = versions()
    st.subheader(t("start.assessments_section", name=selected.name))
    if not assessments:
        st.info(t("start.no_assessments"))
    for item in assessments:
        with st.container(border=True, key=f"start_assessment_{item.id}"):
            cols = st.columns([2, 2, 4, 2], vertical_alignment="center")
            cols[0].markdown(f"**{t('start.round')} {item.round}**")
            if item.is_submitted:
                when = item.submitted_at.strftime("%d/%m/%Y") if item.submitted_at else ""
                cols[1].markdown(f":green-badge[:material/lock: {t('start.submitted')}] {when}")
            else:
                cols[1].markdown(f":orange-badge[:material/edit: {t('start.draft')}]")
            total = len(get_bundle(version=item.questionnaire_version if item.questionnaire_version in shipped_versions
                                   else None).for_agency_type(selected.type).questionnaire.questions)
            done = min(item.answered_count, total)
            cols[2].progress(done / total if total else 0.0, text=t("start.progress", done=done, total=total))
            if cols[3].button(t("start.view") if item.is_submitted else t("start.open"), key=f"start_open_{item.id}",
                              width="stretch"):
                journey.set_open_assessment(item.id)
                st.switch_page("app_pages/assessment.py", query_params={journey.QUERY_KEY: str(item.id)})

    # --- 3. a new round ------------------------------------------------------------------------------------
    st.subheader(t("start.new_round_section"))
    with st.container(border=True):
        if "start_round" not in st.session_state:  # the latest round opened by the coordinators, else this year
            st.session_state["start_round"] = (open_rounds(store) or [journey.default_round()])[-1]
        st.text_input(t("start.round"), key="start_round", max_chars=32, help=t("start.round_help"))
        round_ = (st.session_state.get("start_round") or "").strip()
        earlier = journey.has_earlier_round(assessments, round_)
        st.checkbox(t("start.prefill"), key="start_prefill", value=earlier, disabled=not earlier,
                    help=t("start.prefill_help") if earlier else t("start.prefill_none"))
        if st.button(t("start.start_round"), key="start_new_round", type="primary", icon=":material/play_arrow:"):
            if not round_:
                st.error(t("start.round_required"))
            else:
                try:
                    opened = round_version(store, round_)  # a round opened on a version is answered on it
                    info, created = journey.start_assessment(
                        store, selected.id, round_, get_bundle(version=opened[1]) if opened else bundle, scope,
                        current_actor(),
                        prefill=bool(st.session_state.get("start_prefill")) and earlier)
                except StorageError as exc:
                    st.error(str(exc))
                else:
                    if created:
                        widgets.flash("success", t("start.round_started", round=info.round,
                                                   count=info.answered_count))
                    else:
                        widgets.flash("info", t("start.round_exists", round=info.round))
                    journey.set_open_assessment(info.id)
                    st.switch_page("app_pages/assessment.py", query_params={journey.QUERY_KEY: str(info.id)})

# --- 4. import a response file --------------------------------------------------------------------------------
st.subheader(t("start.import_section"))
st.caption(t("start.import_help"))
st.file_uploader(t("start.import_label"), type=["yaml", "yml", "zip", "xlsx"], key="start_import", on_change=_on_import)
outcome: journey.ImportOutcome | None = st.session_state.get("start_import_outcome")
if outcome is not None and not outcome.ok:
    if outcome.problems:
        st.error(t("start.import_invalid"))
        st.code("\n".join(outcome.problems), language=None, wrap_lines=True)
    elif outcome.refusal == "submitted":
        st.error(t("start.import_submitted", detail=outcome.detail))
    elif outcome.refusal == "round_closed" and outcome.closed_on is not None:
        st.error(t("start.import_round_closed", file=outcome.file, round=outcome.detail,
                   date=date_text(outcome.closed_on, lang)))
    else:
        st.error(t("start.import_failed", detail=outcome.detail))
