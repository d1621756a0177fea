"""The coordinator page's former single module: the page now lives in `ui.coordinator_page`, one
module per use case. These names are re-exported so that existing imports keep working."""

from __future__ import annotations

from scoring.numbers import fmt_int, fmt_pct
from ui.coordinator_page.downloads import csv_bytes, excel_bytes, national_report, pdf_bytes
from ui.coordinator_page.labels import chart_labels, light_names, tr_for
from ui.coordinator_page.page import render_coordinator_page
from ui.coordinator_page.source import PopulationSource, round_frames, start_warming, submitted_with_stamp

__all__ = [
    "PopulationSource",
    "chart_labels",
    "csv_bytes",
    "excel_bytes",
    "fmt_int",
    "fmt_pct",
    "light_names",
    "national_report",
    "pdf_bytes",
    "render_coordinator_page",
    "round_frames",
    "start_warming",
    "submitted_with_stamp",
    "tr_for",
]
