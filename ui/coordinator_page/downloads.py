"""Excel, CSV and PDF downloads (built only when clicked) and what they contain."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from coordinator import headline, rankings, selection, target_gaps, traffic_lights, trends
from coordinator.data import Population
from coordinator.selection import Filters
from scoring.numbers import fmt_int
from ui.coordinator_page.labels import (
    chart_labels,
    dimension_names,
    level_names,
    light_names,
    status_names,
    table_headers,
    target_names,
    tr_for,
    type_names,
)
from ui.coordinator_page.source import PopulationSource
from ui.i18n import t

if TYPE_CHECKING:
    from reports.national_report import NationalReport

# The report builders (fpdf, openpyxl, vl-convert) are imported when a download is clicked, not
# on the page's first run.
WEAKEST_IN_PDF = 25
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters_text(pop: Population, filters: Filters, tr: Callable[..., str]) -> str:
    parts = []
    if filters.agency_types:
        parts.append(", ".join(tr(f"coordinator.type_{k}") for k in filters.agency_types))
    if filters.provinces:
        parts.append(", ".join(pop.province_names.get(p, p) for p in filters.provinces))
    if filters.versions:
        parts.append(", ".join(filters.versions))
    return "; ".join(parts) or tr("coordinator.no_filter")


def export_table(pop: Population, filters: Filters, year: str, lang: str) -> pd.DataFrame:
    """The filtered table as exported (Excel and CSV): the ranking with readable type names."""
    table = rankings.ranking(pop, filters, year)
    table["agency_type"] = table["agency_type"].map(type_names(tr_for(lang)))
    return table


def excel_bytes(pop: Population, filters: Filters, year: str, lang: str) -> bytes:
    tr = tr_for(lang)
    table = export_table(pop, filters, year, lang)
    about = [
        (tr("coordinator.excel_about_round"), str(selection.chosen_round(pop, filters))),
        (tr("coordinator.excel_about_year"), year),
        (tr("coordinator.excel_about_filters"), _filters_text(pop, filters, tr)),
        (tr("coordinator.excel_about_rubric"), pop.bundle.rubric.name.get(lang)),
        (tr("coordinator.excel_about_rows"), str(len(table))),
        (tr("coordinator.excel_about_date"), date.today().isoformat()),
    ]
    from reports.population_excel import table_xlsx

    return table_xlsx(table, table_headers(pop.bundle, tr, lang), tr("coordinator.excel_sheet"), about,
                      light_column="light", light_names=light_names(tr))


def csv_bytes(pop: Population, filters: Filters, year: str, lang: str) -> bytes:
    table = export_table(pop, filters, year, lang)
    from reports.population_excel import table_csv

    return table_csv(table, table_headers(pop.bundle, tr_for(lang), lang))


def national_report(pop: Population, filters: Filters, year: str, lang: str) -> NationalReport:
    """Everything the national PDF prints, from the views (pure: no Streamlit call)."""
    tr = tr_for(lang)
    head = headline.headline(pop, filters)
    names = target_names(pop, tr, lang)
    tiles = pd.DataFrame(
        [{"name": names.get(f"ge_{x.min_level}", f"≥{x.min_level}"), "agencies": x.agencies, "meeting": x.meeting,
          "share": x.share, "target_share": x.target_share, "gap": x.gap} for x in head.tiles],
        columns=["name", "agencies", "meeting", "share", "target_share", "gap"],
    )
    lights = pd.concat([traffic_lights.light_counts(pop, filters, year, by="all"),
                        traffic_lights.light_counts(pop, filters, year, by="agency_type")], ignore_index=True)
    ranking = rankings.ranking(pop, filters, year)
    weakest = ranking.sort_values(["gap", "overall_score"], ascending=[False, True], na_position="first",
                                  kind="stable").head(WEAKEST_IN_PDF)
    meta = [
        (tr("coordinator.excel_about_round"), str(selection.chosen_round(pop, filters))),
        (tr("coordinator.excel_about_year"), year),
        (tr("coordinator.pdf_agencies"), fmt_int(head.agencies, lang)),
        (tr("coordinator.excel_about_filters"), _filters_text(pop, filters, tr)),
        (tr("coordinator.excel_about_rubric"), f"{pop.bundle.rubric.name.get(lang)} ({pop.bundle.rubric.version})"),
        (tr("coordinator.excel_about_date"), date.today().isoformat()),
    ]
    from reports.national_report import NationalReport

    return NationalReport(
        tr=tr, meta=meta, tiles=tiles, lights=lights,
        distribution=traffic_lights.level_distribution(pop, filters),
        shortfall=target_gaps.dimension_shortfall(pop, filters, year),
        provinces=rankings.province_rollup(pop, filters, year),
        observed=trends.observed_shares(pop, filters),
        projection=trends.projection(pop, filters),
        weakest=weakest,
        light_names=light_names(tr), type_names=type_names(tr), level_names=level_names(tr),
        dimension_names=dimension_names(pop.bundle, lang), target_names=names, status_names=status_names(tr),
        chart_labels=chart_labels(tr), year=year, reach_horizon=trends.REACH_HORIZON, lang=lang,
    )


def pdf_bytes(population: Callable[[], Population], filters: Filters, year: str, lang: str) -> bytes:
    """The national PDF; `population` gives every round (the projection needs them), on click."""
    from reports.national_report import national_report_pdf

    return national_report_pdf(national_report(population(), filters, year, lang))


def render_downloads(source: PopulationSource, pop: Population, filters: Filters, year: str, lang: str) -> None:
    stem = f"dmm-vn-{selection.chosen_round(pop, filters)}-{year}"
    row = st.container(horizontal=True, key="coord_downloads")
    c_xlsx = c_csv = c_pdf = row
    c_xlsx.download_button(t("coordinator.export_excel"), functools.partial(excel_bytes, pop, filters, year, lang),
                           file_name=f"{stem}.xlsx", mime=XLSX_MIME, key="coord_dl_xlsx", icon=":material/table:",
                           on_click="ignore")
    c_csv.download_button(t("coordinator.export_csv"), functools.partial(csv_bytes, pop, filters, year, lang),
                          file_name=f"{stem}.csv", mime="text/csv", key="coord_dl_csv", icon=":material/download:",
                          on_click="ignore")
    c_pdf.download_button(t("coordinator.export_pdf"),
                          functools.partial(pdf_bytes, source.all_rounds, filters, year, lang),
                          file_name=f"{stem}.pdf", mime="application/pdf", key="coord_dl_pdf",
                          icon=":material/picture_as_pdf:", on_click="ignore")

