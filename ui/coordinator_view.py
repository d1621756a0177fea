"""The coordinator page's former single module: the page now lives in `ui.coordinator_page`, one
module per use case. These names are re-exported so that existing imports keep working."""

from __future__ import annotations

from scoring.numbers import fmt_decimal, fmt_int, fmt_pct
from ui.coordinator_page.downloads import csv_bytes, excel_bytes, export_table, national_report, pdf_bytes
from ui.coordinator_page.labels import (
    AGENCY_TYPES,
    LIGHT_EMOJI,
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
from ui.coordinator_page.page import render_coordinator_page
from ui.coordinator_page.source import PopulationSource, round_frames, start_warming, submitted_with_stamp
from ui.coordinator_page.widgets import SECTIONS

__all__ = [
    "AGENCY_TYPES",
    "LIGHT_EMOJI",
    "SECTIONS",
    "PopulationSource",
    "chart_labels",
    "csv_bytes",
    "dimension_names",
    "excel_bytes",
    "export_table",
    "fmt_decimal",
    "fmt_int",
    "fmt_pct",
    "level_names",
    "light_names",
    "national_report",
    "pdf_bytes",
    "render_coordinator_page",
    "round_frames",
    "start_warming",
    "status_names",
    "submitted_with_stamp",
    "table_headers",
    "target_names",
    "tr_for",
    "type_names",
]
