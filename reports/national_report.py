"""The national summary PDF for a steering committee: headline against the targets, traffic lights,
level distribution, weakest dimensions, provinces, the projection to 2027/2030 and the agencies
furthest behind.

Pure (no Streamlit): the caller passes the frames of the `coordinator` views and a `tr(key, **values)`
that translates into the report's language; charts come from `reports.population_charts`,
rendered with the shipped DejaVu font, and every text goes through NFC (`reports.base`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from reports import population_charts as charts
from reports.base import ReportPDF, chart_png
from scoring.numbers import fmt_decimal, fmt_int, fmt_pct, fmt_points

Translate = Callable[..., str]


@dataclass
class NationalReport:
    """Everything the PDF prints, already selected and named by the caller."""

    tr: Translate
    meta: Sequence[tuple[str, str]]
    tiles: pd.DataFrame  # name, agencies, meeting, share, target_share, gap
    lights: pd.DataFrame  # coordinator.traffic_lights.light_counts
    distribution: pd.DataFrame  # coordinator.traffic_lights.level_distribution
    shortfall: pd.DataFrame  # coordinator.target_gaps.dimension_shortfall
    provinces: pd.DataFrame  # coordinator.rankings.province_rollup
    observed: pd.DataFrame  # coordinator.trends.observed_shares
    projection: pd.DataFrame  # coordinator.trends.projection
    weakest: pd.DataFrame  # coordinator.rankings.ranking, the agencies furthest behind
    light_names: Mapping[str, str]
    type_names: Mapping[str, str]
    level_names: Mapping[str, str]
    dimension_names: Mapping[str, str]
    target_names: Mapping[str, str]
    status_names: Mapping[str, str]
    chart_labels: Mapping[str, str] = field(default_factory=dict)
    year: str = "2027"
    reach_horizon: int = 2050
    lang: str = "en"  # numbers in tables and charts follow it (scoring.numbers)


def _reach(year: object, tr: Translate, horizon: int) -> str:
    if year is None or pd.isna(year):
        return "–"
    return tr("coordinator.reach_after", year=horizon) if int(year) > horizon else str(int(year))


def _room(pdf: ReportPDF, height_mm: float) -> None:
    """Start a new page unless `height_mm` fit below, so a heading stays with its table or chart."""
    if pdf.get_y() + height_mm > pdf.h - pdf.b_margin:
        pdf.add_page()


def _png(chart: alt.TopLevelMixin, lang: str) -> bytes:
    return chart_png(charts.localised(chart, lang).to_dict())


def national_report_pdf(report: NationalReport) -> bytes:
    tr = report.tr
    lang = report.lang

    def pct(value: object) -> str:
        return fmt_pct(value, lang)

    pdf = ReportPDF(
        title=tr("coordinator.pdf_title"),
        subtitle=tr("coordinator.pdf_subtitle"),
        footer_note=tr("coordinator.pdf_footer"),
    )
    pdf.key_values(list(report.meta))

    pdf.heading(tr("coordinator.pdf_headline"))
    pdf.data_table(
        [tr("coordinator.col_target"), tr("coordinator.col_meeting"), tr("coordinator.col_share"),
         tr("coordinator.col_target_share"), tr("coordinator.col_gap_share")],
        [[r.name, f"{fmt_int(r.meeting, lang)} / {fmt_int(r.agencies, lang)}", pct(r.share), pct(r.target_share),
          pct(r.gap)] for r in report.tiles.itertuples(index=False)],
        widths=(70, 30, 25, 30, 25),
    )
    if not report.tiles.empty:
        chart = charts.targets_chart(report.tiles, report.chart_labels).properties(width=420)
        pdf.image_png(_png(chart, lang), width=150)

    _room(pdf, 70)
    pdf.heading(tr("coordinator.pdf_lights", year=report.year))
    pdf.paragraph(tr("coordinator.lights_rule_short", year=report.year))
    lights = report.lights.copy()
    lights["group_name"] = lights["group"].map(lambda g: report.type_names.get(g, str(g)))
    pdf.data_table(
        [tr("coordinator.col_type"), report.light_names["GREEN"], report.light_names["YELLOW"],
         report.light_names["RED"], tr("coordinator.col_total"), tr("coordinator.col_share_green")],
        [[r.group_name, *(fmt_int(v, lang) for v in (r.GREEN, r.YELLOW, r.RED, r.total)), pct(r.share_green)]
         for r in lights.itertuples(index=False)],
        widths=(50, 24, 24, 24, 24, 34),
    )
    if not lights.empty:
        chart = charts.lights_chart(report.lights, report.type_names, report.light_names, report.chart_labels)
        pdf.image_png(_png(chart.properties(width=460), lang), width=160)

    _room(pdf, 80)
    pdf.heading(tr("coordinator.pdf_distribution"))
    if not report.distribution.empty:
        chart = charts.level_distribution_chart(report.distribution, report.type_names, report.level_names,
                                                report.chart_labels)
        pdf.image_png(_png(chart.properties(width=460), lang), width=160)

    pdf.heading(tr("coordinator.pdf_shortfall", year=report.year))
    pdf.data_table(
        [tr("coordinator.col_dimension"), tr("coordinator.col_required"), tr("coordinator.col_below"),
         tr("coordinator.col_share_below"), tr("coordinator.col_mean_level")],
        [[report.dimension_names.get(r.dimension_id, r.dimension_id), int(r.required), fmt_int(r.below, lang),
          pct(r.share_below), fmt_decimal(r.mean_level, lang, 2)]
         for r in report.shortfall.itertuples(index=False)],
        widths=(80, 22, 25, 28, 25),
    )

    pdf.heading(tr("coordinator.pdf_provinces", year=report.year))
    pdf.paragraph(tr("coordinator.provinces_caption", year=report.year))
    pdf.data_table(
        [tr("coordinator.col_province"), tr("coordinator.col_province_light"), tr("coordinator.col_communes"),
         report.light_names["GREEN"], report.light_names["YELLOW"], report.light_names["RED"],
         tr("coordinator.col_share_green")],
        [[r.province_name, report.light_names.get(str(r.province_light), "–"),
          *(fmt_int(v, lang) for v in (r.communes, r.GREEN, r.YELLOW, r.RED)), pct(r.share_green)]
         for r in report.provinces.itertuples(index=False)],
        widths=(55, 25, 20, 18, 18, 18, 26),
        size=7.5,
    )

    _room(pdf, 60)
    pdf.heading(tr("coordinator.pdf_projection"))
    pdf.paragraph(tr("coordinator.projection_caption"))
    pdf.data_table(
        [tr("coordinator.col_target"), tr("coordinator.col_last_share"), tr("coordinator.col_gain"),
         tr("coordinator.col_projected"), tr("coordinator.col_status"), tr("coordinator.col_reach_year")],
        [[report.target_names.get(r.key, r.key), pct(r.last_share),
          "–" if pd.isna(r.gain_per_year) else f"{fmt_points(r.gain_per_year, lang)} {tr('coordinator.points_unit')}",
          pct(r.projected_share), report.status_names.get(r.status, r.status),
          _reach(r.reach_year, tr, report.reach_horizon)]
         for r in report.projection.itertuples(index=False)],
        widths=(55, 25, 25, 25, 30, 20),
    )
    if not report.observed.empty:
        chart = charts.projection_chart(report.observed, report.projection, report.target_names, report.chart_labels)
        pdf.image_png(_png(chart.properties(width=460), lang), width=160)

    pdf.heading(tr("coordinator.pdf_weakest", count=len(report.weakest)))
    pdf.data_table(
        [tr("coordinator.col_agency"), tr("coordinator.col_type"), tr("coordinator.col_province"),
         tr("coordinator.col_level"), tr("coordinator.col_score"), tr("coordinator.col_light"),
         tr("coordinator.col_gap")],
        [[r.agency_name, report.type_names.get(r.agency_type, r.agency_type),
          "" if r.province_name is None or pd.isna(r.province_name) else r.province_name,
          "–" if pd.isna(r.overall_level) else int(r.overall_level),
          fmt_decimal(r.overall_score, lang, 2),
          report.light_names.get(str(r.light), str(r.light)), "–" if pd.isna(r.gap) else int(r.gap)]
         for r in report.weakest.itertuples(index=False)],
        widths=(58, 22, 42, 14, 16, 16, 12),
        size=7.5,
    )
    return pdf.to_bytes()
