"""The import section: response files (YAML, CSV, zip) and the demo data."""

from __future__ import annotations

import numpy as np
import streamlit as st

from coordinator.demo import load_demo
from coordinator.imports import ImportReport, import_files
from coordinator.scores import persist_scores
from scoring import Bundle
from storage import Scope, Store
from ui.coordinator_page.widgets import open_section_next_run
from ui.i18n import current_language, t
from ui.state import current_actor
from ui.table_numbers import number_table, show_numbers


def render_import(store: Store, scope: Scope, bundle: Bundle) -> None:
    st.subheader(t("coordinator.import_title"))
    st.caption(t("coordinator.import_help"))
    generation = int(st.session_state.get("coord_upload_generation", 0))
    files = st.file_uploader(t("coordinator.import_upload"), type=["yaml", "yml", "zip", "csv"],
                             accept_multiple_files=True, key=f"coord_upload_{generation}")
    if files and st.button(t("coordinator.import_button", count=len(files)), key="coord_import_go", type="primary"):
        bar = st.progress(0.0, text=t("coordinator.import_running"))
        running = t("coordinator.import_running")
        report = import_files([(f.name, f.getvalue()) for f in files], bundle, store, scope, current_actor(),
                              progress=lambda share: bar.progress(0.8 * share, text=running))
        persist_scores(store, scope, bundle, progress=lambda share: bar.progress(0.8 + 0.2 * share, text=running))
        st.session_state["coord_import_report"] = report
        st.session_state["coord_refresh"] = True
        st.session_state["coord_upload_generation"] = generation + 1
        open_section_next_run("import")  # the report shows at once, in the import section
        st.rerun()
    report = st.session_state.get("coord_import_report")
    if isinstance(report, ImportReport):
        render_import_report(report)

    st.subheader(t("coordinator.demo_title"))
    st.caption(t("coordinator.demo_help"))
    if st.button(t("coordinator.demo_button"), key="coord_demo"):
        bar = st.progress(0.0, text=t("coordinator.demo_running"))
        running = t("coordinator.demo_running")
        done = load_demo(store, bundle, scope, progress=lambda share: bar.progress(share, text=running))
        st.session_state["coord_demo_done"] = (done.imported, done.skipped, done.closed_rounds)
        st.session_state["coord_refresh"] = True
        open_section_next_run("import")
        st.rerun()
    if "coord_demo_done" in st.session_state:
        imported, skipped, closed = st.session_state["coord_demo_done"]
        st.success(t("coordinator.demo_done", imported=imported, skipped=skipped))
        if closed:
            st.warning(t("coordinator.demo_closed_rounds", rounds=", ".join(closed)))


def render_import_report(report: ImportReport) -> None:
    st.markdown(f"**{t('coordinator.import_report_title')}**")
    summary = t("coordinator.import_summary", accepted=report.accepted, rejected=report.rejected,
                assessments=report.assessments, replaced=report.replaced)
    (st.warning if report.rejected else st.success)(summary)
    frame = report.frame()
    status = np.where(frame["status"] == "rejected", t("coordinator.status_rejected"),
                      np.where(frame["problems"] != "", t("coordinator.status_accepted_problems"),
                               t("coordinator.status_accepted")))
    frame["status"] = status
    frame["problems"] = frame["problems"].str.count("\n").add(1).where(frame["problems"] != "", 0)
    show_numbers(number_table(frame, current_language()), hide_index=True, key="coord_import_table", column_config={
        "file": st.column_config.TextColumn(t("coordinator.col_file"), width="large"),
        "status": st.column_config.TextColumn(t("coordinator.col_status")),
        "agencies": st.column_config.NumberColumn(t("coordinator.col_agencies")),
        "assessments": st.column_config.NumberColumn(t("coordinator.col_assessments")),
        "replaced": st.column_config.NumberColumn(t("coordinator.col_replaced")),
        "problems": st.column_config.NumberColumn(t("coordinator.col_problems")),
    })
    problems = [p for f in report.files for p in f.problems]
    if problems:
        st.markdown(f"**{t('coordinator.import_problems')}**")
        st.code("\n".join(problems), language=None, wrap_lines=True)
