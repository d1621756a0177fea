"""Streamlit rendering of the national coordinator view.

Data path (`PopulationSource`): the list of submitted assessments is re-read only when the
database's change stamp of submitted assessments moves (so every app replica sees a submission at
its next run); each round's answers are read once per round stamp
(`st.cache_data`, compact categorical frames) and scored once per round stamp and rubric (one
shared read-only `st.cache_resource` copy, not one copy per rerun). The page needs only the chosen
round; all rounds are loaded for trends and the PDF. A filter change only masks cached frames
(`coordinator.views`); only the chosen section renders; downloads (Excel, CSV, PDF, chart images)
are generated when clicked, never on every run.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from coordinator import views
from coordinator.data import (
    Population,
    PopulationFrames,
    Stamp,
    agency_drill_down,
    change_signal,
    concat_frames,
    data_stamp,
)
from coordinator.demo import load_demo
from coordinator.imports import ImportReport, import_files
from coordinator.scores import persist_scores, read_population
from coordinator.views import Filters
from reports import population_charts as charts
from reports.base import chart_png, chart_svg
from reports.national_report import NationalReport, national_report_pdf
from reports.population_excel import table_csv, table_xlsx
from scoring import AgencyResult, Bundle, numbers
from scoring.numbers import fmt_decimal, fmt_int, fmt_pct
from storage import Scope, Store
from storage.results import counted_index
from ui.i18n import current_language, t, translate
from ui.responses_view import get_register, render_deadline_banner, render_responses
from ui.state import current_actor, current_scope, get_bundle, get_store

SECTIONS = ("overview", "responses", "heatmap", "provinces", "agencies", "trends", "import")
AGENCY_TYPES = ("ministry", "province", "commune")
LIGHT_EMOJI = {"GREEN": "🟢", "YELLOW": "🟡", "RED": "🔴"}
HEATMAP_DEFAULT_ROWS = 40
WEAKEST_IN_PDF = 25
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- loading (cached by data stamp) -----------------------------------------------------------


def _scope_key(scope: Scope) -> tuple[str, tuple[str, ...]]:
    return scope.level, tuple(sorted(scope.ids))


def _bundle_key(bundle: Bundle) -> tuple[object, ...]:
    q, r, tg = bundle.questionnaire, bundle.rubric, bundle.targets
    return q.id, q.version, r.id, r.version, tg.id, tg.version, id(bundle)


@dataclass
class _IndexState:
    head: object
    checked: float
    index: pd.DataFrame
    stamp: Stamp


@st.cache_resource(show_spinner=False)
def _index_states() -> tuple[threading.Lock, dict[tuple, _IndexState]]:
    """Process-wide: the latest list of submitted assessments per database, scope and questionnaire."""
    return threading.Lock(), {}


def submitted_with_stamp(store: Store, scope: Scope, questionnaire_id: str, force: bool = False,
                         ) -> tuple[pd.DataFrame, Stamp]:
    """The submitted assessments and their per-round stamp. Re-read (one query) only when the
    database's change stamp of submitted assessments has moved (drafts typed all over the country do
    not move it, so the coordinator's clicks stay fast). `force` re-reads at once."""
    head = change_signal(store, scope)
    key = (store.url, _scope_key(scope), questionnaire_id)
    lock, states = _index_states()
    with lock:
        known = states.get(key)
    now = time.monotonic()
    if known is not None and known.head == head and not force:
        return known.index, known.stamp
    index = counted_index(store, scope, questionnaire_id)
    state = _IndexState(head=head, checked=now, index=index, stamp=data_stamp(index))
    with lock:
        states[key] = state
    return state.index, state.stamp


@st.cache_resource(max_entries=12, show_spinner=False)
def _cached_scored_round(url: str, scope_key: tuple, bundle_key: tuple, round_: str, round_stamp: tuple,
                         _store: Store, _scope: Scope, _bundle: Bundle) -> PopulationFrames:
    """One round from the persisted scores (what changed since is scored first, in one batch): a
    shared read-only resource per round stamp and rubric (`st.cache_data` would copy it into every
    rerun of every session). A change in one round re-reads that round only."""
    del url, scope_key, bundle_key, round_stamp
    return round_frames(_store, _scope, _bundle, round_)


def round_frames(store: Store, scope: Scope, bundle: Bundle, round_: str) -> PopulationFrames:
    """Catch up the round's stored scores, then read them (no answer is read when nothing changed)."""
    persist_scores(store, scope, bundle, round_)
    return read_population(store, scope, bundle, round_)


@st.cache_resource(max_entries=2, show_spinner=False)
def _cached_all_rounds(url: str, scope_key: tuple, bundle_key: tuple, stamp: Stamp, _parts: list[PopulationFrames],
                       ) -> PopulationFrames:
    del url, scope_key, bundle_key, stamp
    return concat_frames(_parts)


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_drill(url: str, scope_key: tuple, bundle_key: tuple, assessment_id: int, stamp: tuple,
                  _store: Store, _scope: Scope, _bundle: Bundle) -> AgencyResult:
    del url, scope_key, bundle_key, stamp
    return agency_drill_down(_store, _scope, _bundle, assessment_id)


class PopulationSource:
    """The submitted assessments in storage, scored on demand: one round, or all rounds (trends)."""

    def __init__(self, store: Store, scope: Scope, bundle: Bundle) -> None:
        self.store, self.scope, self.bundle = store, scope, bundle
        self._keys = (store.url, _scope_key(scope))
        force = bool(st.session_state.pop("coord_refresh", False))
        self.index, self.stamp = submitted_with_stamp(store, scope, bundle.questionnaire.id, force=force)

    @property
    def rounds(self) -> list[str]:
        return [round_ for round_, *_ in self.stamp]

    def round_stamp(self, round_: str) -> tuple:
        return next(tuple(rest) for r, *rest in self.stamp if r == round_)

    def round_frames(self, round_: str) -> PopulationFrames:
        return _cached_scored_round(*self._keys, _bundle_key(self.bundle), round_, self.round_stamp(round_),
                                    self.store, self.scope, self.bundle)

    def round_population(self, round_: str) -> Population:
        return Population(self.bundle, self.round_frames(round_))

    def all_rounds(self) -> Population:
        parts = [self.round_frames(round_) for round_ in self.rounds]
        frames = _cached_all_rounds(*self._keys, _bundle_key(self.bundle), self.stamp, parts)
        return Population(self.bundle, frames)


@st.cache_resource(show_spinner=False)
def start_warming(rubric: str = "standard") -> threading.Thread:
    """Once per server process: catch up and load the latest round's stored scores in the
    background, so the first coordinator to arrive finds them in memory."""
    thread = threading.Thread(target=_warm_latest_round, args=(rubric,), name="dmm-warm-coordinator", daemon=True)
    thread.start()
    return thread


def _warm_latest_round(rubric: str) -> None:
    try:
        bundle, store, scope = get_bundle(rubric), get_store(), Scope.national()
        _, stamp = submitted_with_stamp(store, scope, bundle.questionnaire.id)
        if stamp:
            round_, *rest = stamp[-1]
            _cached_scored_round(store.url, _scope_key(scope), _bundle_key(bundle), round_, tuple(rest), store,
                                 scope, bundle)
    except Exception:  # warming is an optimisation: the page loads the data itself when it fails
        logging.getLogger(__name__).exception("warming the coordinator's latest round failed")


# --- words and numbers ------------------------------------------------------------------------


def tr_for(lang: str) -> Callable[..., str]:
    """A translate function bound to one language (usable outside a script run, e.g. downloads)."""
    return functools.partial(translate, lang)


def fmt_points(value: float | None, lang: str, tr: Callable[..., str]) -> str:
    """A change of a share in percentage points: "+6,5 điểm %" / "+6.5 pp"."""
    text = numbers.fmt_points(value, lang)
    return text if text == numbers.MISSING else f"{text} {tr('coordinator.points_unit')}"


def fmt_reach(year: object, tr: Callable[..., str]) -> str:
    """The year a target would be reached, "after 2050" beyond the horizon, "–" never."""
    if year is None or pd.isna(year):
        return "–"
    if int(year) > views.REACH_HORIZON:
        return tr("coordinator.reach_after", year=views.REACH_HORIZON)
    return str(int(year))


def type_names(tr: Callable[..., str]) -> dict[str, str]:
    return {k: tr(f"coordinator.type_{k}") for k in AGENCY_TYPES} | {views.ALL: tr("coordinator.group_all")}


def light_names(tr: Callable[..., str]) -> dict[str, str]:
    return {k: tr(f"coordinator.light_{k}") for k in views.LIGHTS}


def level_names(tr: Callable[..., str]) -> dict[str, str]:
    names = {str(n): tr("common.level", level=n) for n in range(1, 6)}
    names[views.UNRATED] = tr("common.not_rated")
    return names


def dimension_names(bundle: Bundle, lang: str) -> dict[str, str]:
    return {d.id: d.name.get(lang) for d in bundle.questionnaire.dimensions}


def status_names(tr: Callable[..., str]) -> dict[str, str]:
    return {k: tr(f"coordinator.status_{k}") for k in ("met", "on_track", "off_track", "no_trend")}


def measure_names(pop: Population, tr: Callable[..., str]) -> dict[str, str]:
    return {
        f"ge_{k}": tr("coordinator.measure_top" if k == 5 else "coordinator.measure_ge", level=k)
        for k in views.population_levels(pop)
    }


def target_names(pop: Population, tr: Callable[..., str], lang: str) -> dict[str, str]:
    names = {}
    for year, target in sorted(pop.bundle.targets.years.items()):
        for population in target.population:
            key = "coordinator.target_name_top" if population.min_level == 5 else "coordinator.target_name"
            names[f"ge_{population.min_level}"] = tr(key, level=population.min_level, year=year,
                                                     share=fmt_pct(population.share, lang, 0))
    return names


def chart_labels(tr: Callable[..., str]) -> dict[str, str]:
    keys = ("share", "agencies", "agency", "level", "gap", "dimension", "group", "light", "round", "year",
            "measure", "target", "target_share", "share_below", "share_green", "below", "mean_level",
            "communes", "province", "green", "agency_type")
    return {k: tr(f"coordinator.chart_{k}") for k in keys}


def table_headers(bundle: Bundle, tr: Callable[..., str], lang: str) -> dict[str, str]:
    columns = {
        "rank": "rank", "agency_id": "agency_id", "agency_name": "agency", "agency_type": "type",
        "province": "province_id", "province_name": "province", "round": "round",
        "questionnaire_version": "version", "overall_score": "score", "overall_level": "level", "light": "light",
        "gap": "gap", "met": "met", "indicators_met": "indicators", "indicators_total": "indicators_total",
        "dont_know": "dont_know",
    }
    headers = {column: tr(f"coordinator.col_{key}") for column, key in columns.items()}
    return headers | dimension_names(bundle, lang)


# --- the page ---------------------------------------------------------------------------------


def render_coordinator_page() -> None:
    lang = current_language()
    tr = tr_for(lang)
    bundle, store, scope = get_bundle(), get_store(), current_scope()
    st.title(t("coordinator.title"))
    st.caption(t("coordinator.intro"))
    _apply_pending_section()
    render_deadline_banner(store)
    source = PopulationSource(store, scope, bundle)
    if not source.rounds:
        st.info(t("coordinator.empty"))
        render_import(store, scope, bundle)
        return
    st.caption(t(
        "coordinator.data_caption",
        assessments=fmt_int(len(source.index), lang),
        agencies=fmt_int(source.index["agency_id"].nunique(), lang),
        rounds=", ".join(source.rounds),
        rubric=bundle.rubric.name.get(lang),
    ))
    with st.container(border=True):
        _keep_valid("coord_round", source.rounds, many=False)
        c_round, c_rest = st.columns([1, 6.5])
        round_ = c_round.selectbox(t("coordinator.round"), source.rounds, key="coord_round",
                                   index=len(source.rounds) - 1)
        source.bundle = render_version_note(source, round_, bundle)  # a round scores on its own version
        with st.spinner(t("coordinator.loading")):
            pop = source.round_population(round_)
        with c_rest:
            filters, year = render_filters(pop, round_)
    render_tiles(pop, filters)
    render_downloads(source, pop, filters, year, lang)
    section = st.segmented_control(
        t("coordinator.section"), SECTIONS, key="coord_section", default="overview", required=True,
        format_func=lambda s: tr(f"coordinator.section_{s}"), label_visibility="collapsed",
    )
    if section == "heatmap":
        render_heatmap(pop, filters, year, lang)
    elif section == "provinces":
        render_provinces(pop, filters, year, lang, source)
    elif section == "agencies":
        render_agencies(pop, filters, year, lang, source)
    elif section == "trends":
        with st.spinner(t("coordinator.loading")):
            everything = source.all_rounds()
        render_trends(everything, filters, year, lang)
    elif section == "responses":
        render_responses(store, scope, bundle.questionnaire.id, round_, current_actor())
    elif section == "import":
        render_import(store, scope, bundle)
    else:
        render_overview(pop, filters, year, lang)


def render_version_note(source: PopulationSource, round_: str, bundle: Bundle) -> Bundle:
    """Say when the rounds compared were answered on different questionnaire versions, and return the bundle of
    the chosen round's version (model 2.0: a round keeps the version it was answered on)."""
    from scoring.registry import versions as shipped_versions

    by_round = source.index.groupby("round")["questionnaire_version"].agg(lambda v: ", ".join(sorted(set(v))))
    if source.index["questionnaire_version"].nunique() > 1:
        detail = "; ".join(f"{r}: {by_round[r]}" for r in source.rounds if r in by_round)
        st.info(t("coordinator.versions_differ", detail=detail), icon=":material/compare_arrows:")
    in_round = sorted(set(source.index.loc[source.index["round"] == round_, "questionnaire_version"]))
    if len(in_round) == 1 and in_round[0] != bundle.questionnaire.version and in_round[0] in shipped_versions():
        return get_bundle(version=in_round[0])
    return bundle


PENDING_SECTION = "coord_section_next"


def _open_section_next_run(section: str) -> None:
    """Ask for `section` to be open after the rerun. The section selector may already be drawn in
    this run (an import from a populated page), and Streamlit refuses a write to a drawn widget's
    state, so the wish waits in its own key and `_apply_pending_section` sets it before drawing."""
    st.session_state[PENDING_SECTION] = section


def _apply_pending_section() -> None:
    section = st.session_state.pop(PENDING_SECTION, None)
    if section in SECTIONS:
        st.session_state["coord_section"] = section


def _keep_valid(key: str, options: list[str], many: bool) -> None:
    """Drop a remembered filter value that the data no longer offers."""
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if many:
        kept = [v for v in (value or []) if v in options]
        if kept != list(value or []):
            st.session_state[key] = kept
    elif value not in options:
        del st.session_state[key]


def render_filters(pop: Population, round_: str) -> tuple[Filters, str]:
    """Target year, agency type, province and questionnaire version (options from the data)."""
    tr = tr_for(current_language())
    options = views.filter_options(pop)
    years = pop.bundle.years
    for key, values, many in (("coord_year", years, False),
                              ("coord_types", options["agency_type"], True),
                              ("coord_provinces", options["province"], True),
                              ("coord_versions", options["version"], True)):
        _keep_valid(key, values, many)
    names = pop.province_names
    c_year, c_types, c_prov, c_version = st.columns([1.3, 1.8, 2.2, 1.2])
    year = c_year.selectbox(
        t("coordinator.year"), years, key="coord_year",
        format_func=lambda y: tr("coordinator.year_option", year=y, level=pop.bundle.targets.years[y].agency_min_level),
    )
    types = c_types.multiselect(t("coordinator.agency_types"), options["agency_type"], key="coord_types",
                                format_func=lambda k: tr(f"coordinator.type_{k}"), placeholder=t("coordinator.all"))
    provinces = c_prov.multiselect(t("coordinator.provinces"), options["province"], key="coord_provinces",
                                   format_func=lambda p: names.get(p, p), placeholder=t("coordinator.all"))
    versions = c_version.multiselect(t("coordinator.versions"), options["version"], key="coord_versions",
                                     placeholder=t("coordinator.all"))
    filters = Filters(round=round_, agency_types=tuple(types), provinces=tuple(provinces), versions=tuple(versions),
                      statuses=count_basis(pop))
    return filters, str(year)


def count_basis(pop: Population) -> tuple[str, ...]:
    """Accepted assessments are what national figures count once the review has started in a round;
    the coordinator may count every submitted one instead. Says how many are awaiting review."""
    status = pop.agencies["status"] if "status" in pop.agencies else pd.Series(dtype=object)
    accepted, pending = int((status == "accepted").sum()), int((status == "submitted").sum())
    if not accepted:
        return ()
    lang = current_language()
    basis = st.radio(t("coordinator.count_basis"), ("accepted", "submitted"), key="coord_basis", horizontal=True,
                     format_func=lambda b: t(f"coordinator.basis_{b}"),
                     captions=None)
    st.caption(t("coordinator.basis_caption", accepted=fmt_int(accepted, lang), pending=fmt_int(pending, lang)))
    return ("accepted",) if basis == "accepted" else ()


def render_tiles(pop: Population, filters: Filters) -> None:
    lang = current_language()
    head = views.headline(pop, filters)
    columns = st.columns(1 + len(head.tiles))
    columns[0].metric(t("coordinator.tile_agencies"), fmt_int(head.agencies, lang),
                      help=t("coordinator.tile_agencies_help", round=views.chosen_round(pop, filters)))
    for column, tile in zip(columns[1:], head.tiles, strict=True):
        target = fmt_pct(tile.target_share, lang, 0)
        label = t("coordinator.tile_share_top" if tile.min_level == 5 else "coordinator.tile_share",
                  level=tile.min_level, year=tile.year, target=target)
        if tile.met:
            delta = t("coordinator.tile_met", target=target)
        else:  # a distance to the target, not a decline: no arrow, no red
            delta = t("coordinator.tile_gap", gap=numbers.fmt_decimal(tile.gap * 100, lang), target=target)
        column.metric(
            label, fmt_pct(tile.share, lang), delta=delta, delta_color="off" if not tile.met else "normal",
            delta_arrow="off",
            help=t("coordinator.tile_help", meeting=fmt_int(tile.meeting, lang), agencies=fmt_int(tile.agencies, lang),
                   target=target, level=tile.min_level, year=tile.year),
        )


# --- downloads ----------------------------------------------------------------------------------


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
    table = views.ranking(pop, filters, year)
    table["agency_type"] = table["agency_type"].map(type_names(tr_for(lang)))
    return table


def excel_bytes(pop: Population, filters: Filters, year: str, lang: str) -> bytes:
    tr = tr_for(lang)
    table = export_table(pop, filters, year, lang)
    about = [
        (tr("coordinator.excel_about_round"), str(views.chosen_round(pop, filters))),
        (tr("coordinator.excel_about_year"), year),
        (tr("coordinator.excel_about_filters"), _filters_text(pop, filters, tr)),
        (tr("coordinator.excel_about_rubric"), pop.bundle.rubric.name.get(lang)),
        (tr("coordinator.excel_about_rows"), str(len(table))),
        (tr("coordinator.excel_about_date"), date.today().isoformat()),
    ]
    return table_xlsx(table, table_headers(pop.bundle, tr, lang), tr("coordinator.excel_sheet"), about,
                      light_column="light", light_names=light_names(tr))


def csv_bytes(pop: Population, filters: Filters, year: str, lang: str) -> bytes:
    table = export_table(pop, filters, year, lang)
    return table_csv(table, table_headers(pop.bundle, tr_for(lang), lang))


def national_report(pop: Population, filters: Filters, year: str, lang: str) -> NationalReport:
    """Everything the national PDF prints, from the views (pure: no Streamlit call)."""
    tr = tr_for(lang)
    head = views.headline(pop, filters)
    names = target_names(pop, tr, lang)
    tiles = pd.DataFrame(
        [{"name": names.get(f"ge_{x.min_level}", f"≥{x.min_level}"), "agencies": x.agencies, "meeting": x.meeting,
          "share": x.share, "target_share": x.target_share, "gap": x.gap} for x in head.tiles],
        columns=["name", "agencies", "meeting", "share", "target_share", "gap"],
    )
    lights = pd.concat([views.light_counts(pop, filters, year, by="all"),
                        views.light_counts(pop, filters, year, by="agency_type")], ignore_index=True)
    ranking = views.ranking(pop, filters, year)
    weakest = ranking.sort_values(["gap", "overall_score"], ascending=[False, True], na_position="first",
                                  kind="stable").head(WEAKEST_IN_PDF)
    meta = [
        (tr("coordinator.excel_about_round"), str(views.chosen_round(pop, filters))),
        (tr("coordinator.excel_about_year"), year),
        (tr("coordinator.pdf_agencies"), fmt_int(head.agencies, lang)),
        (tr("coordinator.excel_about_filters"), _filters_text(pop, filters, tr)),
        (tr("coordinator.excel_about_rubric"), f"{pop.bundle.rubric.name.get(lang)} ({pop.bundle.rubric.version})"),
        (tr("coordinator.excel_about_date"), date.today().isoformat()),
    ]
    return NationalReport(
        tr=tr, meta=meta, tiles=tiles, lights=lights,
        distribution=views.level_distribution(pop, filters),
        shortfall=views.dimension_shortfall(pop, filters, year),
        provinces=views.province_rollup(pop, filters, year),
        observed=views.observed_shares(pop, filters),
        projection=views.projection(pop, filters),
        weakest=weakest,
        light_names=light_names(tr), type_names=type_names(tr), level_names=level_names(tr),
        dimension_names=dimension_names(pop.bundle, lang), target_names=names, status_names=status_names(tr),
        chart_labels=chart_labels(tr), year=year, reach_horizon=views.REACH_HORIZON,
    )


def pdf_bytes(population: Callable[[], Population], filters: Filters, year: str, lang: str) -> bytes:
    """The national PDF; `population` gives every round (the projection needs them), on click."""
    return national_report_pdf(national_report(population(), filters, year, lang))


def render_downloads(source: PopulationSource, pop: Population, filters: Filters, year: str, lang: str) -> None:
    stem = f"dmm-vn-{views.chosen_round(pop, filters)}-{year}"
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


def show_chart(chart: alt.TopLevelMixin, key: str, name: str, stretch: bool = True) -> None:
    """The chart, with PNG and SVG downloads generated only when clicked."""
    st.altair_chart(chart, width="stretch" if stretch else "content", key=f"coord_chart_{key}")
    spec = functools.partial(_spec, chart)
    c_png = c_svg = st.container(horizontal=True, key=f"coord_images_{key}")
    c_png.download_button(t("coordinator.chart_png"), lambda: chart_png(spec()), file_name=f"{name}.png",
                          mime="image/png", key=f"coord_png_{key}", type="tertiary", on_click="ignore",
                          icon=":material/image:")
    c_svg.download_button(t("coordinator.chart_svg"), lambda: chart_svg(spec()).encode("utf-8"),
                          file_name=f"{name}.svg", mime="image/svg+xml", key=f"coord_svg_{key}", type="tertiary",
                          on_click="ignore", icon=":material/image:")


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return chart.to_dict()


# --- sections -----------------------------------------------------------------------------------


def render_overview(pop: Population, filters: Filters, year: str, lang: str) -> None:
    tr = tr_for(lang)
    labels = chart_labels(tr)
    level = pop.bundle.targets.years[year].agency_min_level
    st.subheader(t("coordinator.lights_title", year=year))
    st.caption(t("coordinator.lights_rule", year=year, level=level, gap=views.light_rule(pop)))
    counts = pd.concat([views.light_counts(pop, filters, year, by="all"),
                        views.light_counts(pop, filters, year, by="agency_type")], ignore_index=True)
    names = type_names(tr)
    left, right = st.columns([1, 1])
    with left:
        show_chart(charts.lights_chart(counts, names, light_names(tr), labels), "lights", f"lights-{year}")
    with right:
        shown = counts.assign(group=counts["group"].map(names))
        st.dataframe(
            shown, hide_index=True, key="coord_lights_table",
            column_config={
                "group": st.column_config.TextColumn(t("coordinator.col_group")),
                **{k: st.column_config.NumberColumn(f"{LIGHT_EMOJI[k]} {v}", width="small")
                   for k, v in light_names(tr).items()},
                "total": st.column_config.NumberColumn(t("coordinator.col_total"), width="small"),
                "share_green": st.column_config.ProgressColumn(t("coordinator.col_share_green"), format="percent",
                                                               min_value=0, max_value=1),
            },
        )
    st.subheader(t("coordinator.distribution_title"))
    distribution = views.level_distribution(pop, filters)
    show_chart(charts.level_distribution_chart(distribution, names, level_names(tr), labels),
               "distribution", "level-distribution")
    st.subheader(t("coordinator.shortfall_title", year=year))
    st.caption(t("coordinator.shortfall_caption"))
    shortfall = views.dimension_shortfall(pop, filters, year)
    show_chart(charts.shortfall_chart(shortfall, dimension_names(pop.bundle, lang), labels),
               "shortfall", f"dimension-shortfall-{year}")
    st.subheader(t("coordinator.indicators_title", year=year))
    st.caption(t("coordinator.indicators_caption"))
    indicators = views.indicator_status(pop, filters, year)
    indicator_names = {i.id: i.name.get(lang) for i in pop.bundle.targets.indicators}
    indicators["indicator_id"] = indicators["indicator_id"].map(indicator_names)
    indicators["target"] = indicators["target"] / 100
    st.dataframe(
        indicators, hide_index=True, key="coord_indicators_table",
        column_config={
            "indicator_id": st.column_config.TextColumn(t("coordinator.col_indicator"), width="large"),
            "target": st.column_config.NumberColumn(t("coordinator.col_target"), format="percent"),
            "agencies": st.column_config.NumberColumn(t("coordinator.col_agencies")),
            "reported": st.column_config.NumberColumn(t("coordinator.col_reported")),
            "meeting": st.column_config.NumberColumn(t("coordinator.col_meeting")),
            "share": st.column_config.ProgressColumn(t("coordinator.col_share"), format="percent",
                                                     min_value=0, max_value=1),
        },
    )


def _display_ranking(table: pd.DataFrame, pop: Population, lang: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The ranking table with readable type and light, and its column headers."""
    tr = tr_for(lang)
    shown = table.drop(columns=["province"]).copy()
    shown["agency_type"] = shown["agency_type"].map(type_names(tr))
    shown["province_name"] = shown["province_name"].fillna("")
    lights = light_names(tr)
    shown["light"] = shown["light"].map({k: f"{LIGHT_EMOJI[k]} {v}" for k, v in lights.items()})
    # One number format per language (the grid's own formats know only the browser's locale).
    shown["overall_score"] = shown["overall_score"].map(lambda v: fmt_decimal(v, lang, 2))
    headers = table_headers(pop.bundle, tr, lang)
    config: dict[str, Any] = {column: headers.get(column, column) for column in shown.columns}
    config["agency_name"] = st.column_config.TextColumn(headers["agency_name"], width="medium", pinned=True)
    config["overall_score"] = st.column_config.TextColumn(headers["overall_score"])
    config["met"] = st.column_config.CheckboxColumn(headers["met"])
    return shown, config


HEATMAP_ROWS = ("province", "agency_type", "agencies")


def group_names(pop: Population, tr: Callable[..., str], by: str) -> dict[str, str]:
    """Row names of an aggregated heatmap: agency types, or provinces with the ministries labelled."""
    if by == "agency_type":
        return type_names(tr)
    return pop.province_names | {views.MINISTRIES: tr("coordinator.type_ministry_label")}


def _group_filters(filters: Filters, by: str, group: str) -> Filters:
    if by == "agency_type":
        return replace(filters, agency_types=(group,))
    if group == views.MINISTRIES:
        return replace(filters, agency_types=("ministry",), provinces=())
    return replace(filters, provinces=(group,))


def render_heatmap(pop: Population, filters: Filters, year: str, lang: str) -> None:
    """Aggregated first (province × dimension or type × dimension, weakest rows first), then the
    agencies of one chosen group: never a wall of thousands of rows."""
    tr = tr_for(lang)
    st.subheader(t("coordinator.heatmap_title"))
    c_rows, c_measure, c_sort, c_top = st.columns([1.4, 1.2, 1.2, 1])
    rows = c_rows.selectbox(t("coordinator.heatmap_rows"), HEATMAP_ROWS, key="coord_hm_rows",
                            format_func=lambda r: tr(f"coordinator.rows_{r}"))
    measure = c_measure.selectbox(t("coordinator.heatmap_measure"), views.HEATMAP_MEASURES, key="coord_hm_measure",
                                  format_func=lambda m: tr(f"coordinator.measure_{m}"))
    sort = c_sort.selectbox(t("coordinator.heatmap_sort"), views.HEATMAP_SORTS, key="coord_hm_sort",
                            format_func=lambda s: tr(f"coordinator.sort_{s}"))
    top = c_top.number_input(t("coordinator.heatmap_top"), min_value=5, max_value=300,
                             value=HEATMAP_DEFAULT_ROWS, step=5, key="coord_hm_top")
    dims = dimension_names(pop.bundle, lang)
    labels = chart_labels(tr)
    chosen = filters
    if rows != "agencies":
        grouped = views.group_heatmap(pop, filters, year, by=rows, measure=measure)
        if grouped.empty:
            return
        names = group_names(pop, tr, rows)
        grouped["agency_name"] = grouped["group"].map(lambda g: names.get(g, str(g)))
        grouped["text"] = grouped["value"].map(lambda v: fmt_decimal(v, lang))
        st.caption(t("coordinator.heatmap_groups_note", groups=fmt_int(grouped["group"].nunique(), lang),
                     agencies=fmt_int(int(views.selection(pop, filters).sum()), lang)))
        chart = charts.heatmap_chart(grouped, dims, labels, measure=measure, id_field="-")
        show_chart(chart, "heatmap_groups", f"heatmap-{rows}-{measure}-{year}", stretch=False)
        order = grouped.drop_duplicates("group").sort_values("row")["group"].tolist()
        _keep_valid("coord_hm_group", order, many=False)
        group = st.selectbox(t("coordinator.heatmap_drill"), order, index=None, key="coord_hm_group",
                             format_func=lambda g: names.get(g, str(g)),
                             placeholder=t("coordinator.heatmap_drill_placeholder"))
        if not group:
            return
        chosen = _group_filters(filters, rows, group)
        st.markdown(f"**{names.get(group, group)}**")
    data = views.heatmap(pop, chosen, year, measure=measure, sort=sort, top_n=int(top))
    st.caption(t("coordinator.heatmap_note", shown=fmt_int(data.shown, lang), total=fmt_int(data.total, lang),
                 sort=t(f"coordinator.sort_{sort}")))
    if data.shown:
        frame = data.frame.assign(text=data.frame["value"].map(lambda v: fmt_decimal(v, lang, 0)))
        chart = charts.heatmap_chart(frame, dims, labels, measure=measure)
        show_chart(chart, "heatmap", f"heatmap-{measure}-{year}", stretch=False)


def _select_row(table_key: str, target_key: str, ids: list[str]) -> None:
    """A dataframe row click → the matching selectbox value."""
    selection = st.session_state.get(table_key)
    rows = getattr(getattr(selection, "selection", None), "rows", None)
    if rows is None and isinstance(selection, dict):
        rows = selection.get("selection", {}).get("rows")
    if rows:
        st.session_state[target_key] = ids[rows[0]]


def render_provinces(pop: Population, filters: Filters, year: str, lang: str, source: PopulationSource) -> None:
    tr = tr_for(lang)
    st.subheader(t("coordinator.provinces_title", year=year))
    st.caption(t("coordinator.provinces_caption", year=year))
    rollup = views.province_rollup(pop, filters, year)
    if rollup.empty:
        st.info(t("coordinator.province_none"))
        return
    lights = light_names(tr)
    shown = rollup.drop(columns=["province"]).copy()
    shown["province_light"] = shown["province_light"].map({k: f"{LIGHT_EMOJI[k]} {v}" for k, v in lights.items()})
    ids = rollup["province"].tolist()
    _keep_valid("coord_prov_pick", ids, many=False)
    render_tile_map(pop, filters, year, lang)
    show_chart(charts.province_chart(rollup, chart_labels(tr)), "provinces", f"provinces-{year}")
    st.dataframe(
        shown, hide_index=True, key="coord_prov_table", selection_mode="single-row", height=420,
        on_select=functools.partial(_select_row, "coord_prov_table", "coord_prov_pick", ids),
        column_config={
            "province_name": st.column_config.TextColumn(t("coordinator.col_province"), pinned=True),
            "province_light": st.column_config.TextColumn(t("coordinator.col_province_light")),
            "province_level": st.column_config.NumberColumn(t("coordinator.col_province_level"), format="%d"),
            "communes": st.column_config.NumberColumn(t("coordinator.col_communes")),
            **{k: st.column_config.NumberColumn(f"{LIGHT_EMOJI[k]} {v}") for k, v in lights.items()},
            "share_green": st.column_config.ProgressColumn(t("coordinator.col_share_green"), format="percent",
                                                           min_value=0, max_value=1),
            "mean_level": st.column_config.NumberColumn(t("coordinator.col_mean_level"), format="%.2f"),
        },
    )
    names = pop.province_names
    picked = st.selectbox(t("coordinator.province_pick"), ids, index=None, key="coord_prov_pick",
                          format_func=lambda p: names.get(p, p), placeholder=t("coordinator.province_pick_placeholder"))
    if picked:
        st.subheader(t("coordinator.province_detail", province=names.get(picked, picked)))
        row = rollup[rollup["province"] == picked].iloc[0]
        c1, c2, c3 = st.columns(3)
        c1.metric(t("coordinator.col_province_light"), str(shown.loc[row.name, "province_light"] or "–"))
        c2.metric(t("coordinator.col_communes"), fmt_int(int(row["communes"]), lang))
        c3.metric(t("coordinator.col_share_green"), fmt_pct(row["share_green"], lang))
        detail = views.ranking(pop, Filters(round=filters.round, agency_types=filters.agency_types,
                                            provinces=(picked,), versions=filters.versions), year)
        table, config = _display_ranking(detail, pop, lang)
        members = detail["agency_id"].tolist()
        _keep_valid("coord_prov_drill", members, many=False)
        st.dataframe(table, hide_index=True, column_config=config, key="coord_prov_detail", height=380,
                     selection_mode="single-row",
                     on_select=functools.partial(_select_row, "coord_prov_detail", "coord_prov_drill", members))
        member_names = dict(zip(detail["agency_id"], detail["agency_name"], strict=True))
        agency = st.selectbox(t("coordinator.drill_pick"), members, index=None, key="coord_prov_drill",
                              format_func=lambda a: f"{member_names.get(a, a)} ({a})",
                              placeholder=t("coordinator.drill_placeholder"))
        if agency:
            render_drill_down(pop, source, agency, str(views.chosen_round(pop, filters)))


def render_tile_map(pop: Population, filters: Filters, year: str, lang: str) -> None:
    """The 34 provinces on a tile grid, coloured by the share of their agencies meeting `year`."""
    tr = tr_for(lang)
    tiles = views.province_tiles(pop, filters, year, get_register().tiles)
    st.markdown(f"**{t('coordinator.map_title', year=year)}**")
    st.caption(t("coordinator.map_caption", year=year))
    share_text = dict(zip(tiles["province"], tiles["share"].map(lambda v: fmt_pct(v, lang, 0)), strict=True))
    show_chart(charts.province_tile_map(tiles, chart_labels(tr), share_text), "tile_map", f"province-map-{year}",
               stretch=False)


def render_agencies(pop: Population, filters: Filters, year: str, lang: str, source: PopulationSource) -> None:
    round_ = views.chosen_round(pop, filters)
    st.subheader(t("coordinator.ranking_title", round=round_))
    st.caption(t("coordinator.ranking_caption"))
    ranking = views.ranking(pop, filters, year)
    ids = ranking["agency_id"].tolist()
    _keep_valid("coord_drill", ids, many=False)
    table, config = _display_ranking(ranking, pop, lang)
    st.dataframe(table, hide_index=True, column_config=config, key="coord_rank_table", selection_mode="single-row",
                 on_select=functools.partial(_select_row, "coord_rank_table", "coord_drill", ids), height=420)
    names = dict(zip(ranking["agency_id"], ranking["agency_name"], strict=True))
    picked = st.selectbox(t("coordinator.drill_pick"), ids, index=None, key="coord_drill",
                          format_func=lambda a: f"{names.get(a, a)} ({a})",
                          placeholder=t("coordinator.drill_placeholder"))
    if picked:
        render_drill_down(pop, source, picked, str(round_))


def render_drill_down(pop: Population, source: PopulationSource, agency_id: str, round_: str) -> None:
    """The agency's full results (the IT lead's view), re-scored alone from storage and cached."""
    rows = pop.agencies[(pop.agencies["agency_id"] == agency_id) & (pop.agencies["round"] == round_)]
    if rows.empty or pd.isna(rows["assessment_id"].iloc[0]):
        return
    assessment_id = int(rows["assessment_id"].iloc[0])
    st.divider()
    st.caption(t("coordinator.drill_title", agency=rows["agency_name"].iloc[0], round=round_))
    bundle = pop.bundle
    try:
        result = _cached_drill(source.store.url, _scope_key(source.scope), _bundle_key(bundle), assessment_id,
                               source.round_stamp(round_), source.store, source.scope, bundle)
    except Exception as exc:
        st.warning(t("coordinator.drill_unavailable", error=exc))
        return
    try:
        from ui.results_view import render_agency_result
    except ImportError:
        st.info(t("coordinator.drill_missing"))
        st.json(result.model_dump(mode="json", include={"agency_id", "round", "overall_level", "overall_score",
                                                          "targets"}), expanded=False)
        return
    render_agency_result(result, bundle, key=f"coord_drill_{assessment_id}")


def render_trends(pop: Population, filters: Filters, year: str, lang: str) -> None:
    tr = tr_for(lang)
    labels = chart_labels(tr)
    measures = measure_names(pop, tr)
    st.subheader(t("coordinator.trends_title"))
    if len(pop.rounds) < 2:
        st.info(t("coordinator.trend_single_round"))
    c_group, c_measure, _ = st.columns([1.3, 1.3, 2])
    group = c_group.selectbox(t("coordinator.trend_group"), views.GROUPINGS, key="coord_trend_group",
                              format_func=lambda g: tr(f"coordinator.group_by_{g}"))
    data = views.trend(pop, filters, by=group)
    if group == "all":
        shown_measures = measures
    else:
        chosen = c_measure.selectbox(t("coordinator.trend_measure"), list(measures), key="coord_trend_measure",
                                     format_func=measures.get)
        shown_measures = {chosen: measures[chosen]}
    group_names = type_names(tr) if group == "agency_type" else pop.province_names if group == "province" else None
    show_chart(charts.trend_chart(data, shown_measures, labels, group_names=group_names, rounds=pop.rounds),
               "trend", f"trend-{group}")

    st.subheader(t("coordinator.projection_title"))
    st.caption(t("coordinator.projection_caption"))
    projection = views.projection(pop, filters)
    targets = target_names(pop, tr, lang)
    statuses = status_names(tr)
    if (projection["status"] == "no_trend").any():
        st.info(t("coordinator.projection_too_few", rounds=len(pop.rounds), needed=views.MIN_ROUNDS_FOR_PROJECTION))

    def ranged(value: str, low: str, high: str) -> str:
        return value if low == high or numbers.MISSING in (value, low, high) else t(
            "coordinator.projection_range", value=value, low=low, high=high)

    shown = pd.DataFrame({
        t("coordinator.col_target"): projection["key"].map(targets),
        t("coordinator.col_first_round"): projection["first_round"],
        t("coordinator.col_last_round"): projection["last_round"],
        t("coordinator.col_last_share"): projection["last_share"].map(lambda v: fmt_pct(v, lang)),
        t("coordinator.col_gain"): [ranged(fmt_points(g, lang, tr), fmt_points(lo, lang, tr), fmt_points(hi, lang, tr))
                                    for g, lo, hi in projection[["gain_per_year", "gain_low", "gain_high"]].itertuples(
                                        index=False)],
        t("coordinator.col_projected"): [ranged(fmt_pct(v, lang), fmt_pct(lo, lang), fmt_pct(hi, lang))
                                         for v, lo, hi in projection[["projected_share", "projected_low",
                                                                      "projected_high"]].itertuples(index=False)],
        t("coordinator.col_status"): projection["status"].map(statuses),
        t("coordinator.col_reach_year"): [ranged(fmt_reach(v, tr), fmt_reach(e, tr), fmt_reach(late, tr))
                                          for v, e, late in projection[["reach_year", "reach_year_early",
                                                                        "reach_year_late"]].itertuples(index=False)],
    })
    st.dataframe(shown, hide_index=True, key="coord_projection_table")
    observed = views.observed_shares(pop, filters)
    if not observed.empty:
        show_chart(charts.projection_chart(observed, projection, targets, labels), "projection", "projection")

    if len(pop.rounds) >= 2:
        st.subheader(t("coordinator.changes_title"))
        c_from, c_to, _ = st.columns([1, 1, 3])
        _keep_valid("coord_changes_from", pop.rounds, many=False)
        _keep_valid("coord_changes_to", pop.rounds, many=False)
        first = c_from.selectbox(t("coordinator.changes_from"), pop.rounds, index=0, key="coord_changes_from")
        last = c_to.selectbox(t("coordinator.changes_to"), pop.rounds, index=len(pop.rounds) - 1,
                              key="coord_changes_to")
        changes = views.agency_changes(pop, filters, first, last)
        change = changes["level_change"]
        st.caption(t("coordinator.changes_caption", improved=int((change > 0).sum()), same=int((change == 0).sum()),
                     declined=int((change < 0).sum())))
        changes["agency_type"] = changes["agency_type"].map(type_names(tr))
        changes["province_name"] = changes["province_name"].fillna("")
        st.dataframe(changes, hide_index=True, key="coord_changes_table", height=320,
                     column_config={c: t(f"coordinator.col_{k}") for c, k in (
                         ("agency_id", "agency_id"), ("agency_name", "agency"), ("agency_type", "type"),
                         ("province_name", "province"), ("level_from", "level_from"), ("level_to", "level_to"),
                         ("level_change", "level_change"), ("score_from", "score_from"), ("score_to", "score_to"),
                         ("score_change", "score_change"))})
        agencies = changes["agency_id"].tolist()
        names = dict(zip(changes["agency_id"], changes["agency_name"], strict=True))
        _keep_valid("coord_trend_agency", agencies, many=False)
        picked = st.selectbox(t("coordinator.agency_trend_pick"), agencies, index=None, key="coord_trend_agency",
                              format_func=lambda a: f"{names.get(a, a)} ({a})",
                              placeholder=t("coordinator.drill_placeholder"))
        if picked:
            history = views.agency_history(pop, picked, year)
            history["light"] = history["light"].map({k: f"{LIGHT_EMOJI[k]} {v}" for k, v in light_names(tr).items()})
            headers = table_headers(pop.bundle, tr, lang)
            st.dataframe(history, hide_index=True, key="coord_history_table",
                         column_config={c: headers.get(c, c) for c in history.columns})


# --- import -------------------------------------------------------------------------------------


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
        _open_section_next_run("import")  # the report shows at once, in the import section
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
        st.session_state["coord_demo_done"] = (done.imported, done.skipped)
        st.session_state["coord_refresh"] = True
        _open_section_next_run("import")
        st.rerun()
    if "coord_demo_done" in st.session_state:
        imported, skipped = st.session_state["coord_demo_done"]
        st.success(t("coordinator.demo_done", imported=imported, skipped=skipped))


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
    st.dataframe(frame, hide_index=True, key="coord_import_table", column_config={
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
