"""The round's filters (target year, type, province, version, count basis) and the version note."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from coordinator import selection
from coordinator.data import Population
from coordinator.selection import Filters
from scoring import Bundle
from scoring.numbers import fmt_int
from ui.coordinator_page.labels import tr_for
from ui.coordinator_page.source import PopulationKey, PopulationSource, round_bundle
from ui.coordinator_page.widgets import keep_valid
from ui.i18n import current_language, t


def render_version_note(source: PopulationSource, round_: str, bundle: Bundle) -> Bundle:
    """Say when the rounds compared were answered on different questionnaire versions, and return the bundle of
    the chosen round's version (model 2.0: a round keeps the version it was answered on)."""
    by_round = source.summary.groupby("round")["questionnaire_version"].agg(lambda v: ", ".join(sorted(set(v))))
    if source.summary["questionnaire_version"].nunique() > 1:
        detail = "; ".join(f"{r}: {by_round[r]}" for r in source.rounds if r in by_round)
        st.info(t("coordinator.versions_differ", detail=detail), icon=":material/compare_arrows:")
    return round_bundle(source.summary, round_, bundle)


@st.cache_data(max_entries=32, show_spinner=False)
def cached_filter_options(key: PopulationKey, _pop: Population) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The filters' options and the province names (sorted in Vietnamese order once, not every run)."""
    del key  # part of the cache key only
    return selection.filter_options(_pop), _pop.province_names


def render_filters(pop: Population, round_: str, key: PopulationKey) -> tuple[Filters, str]:
    """Target year, agency type, province and questionnaire version (options from the data)."""
    tr = tr_for(current_language())
    options, names = cached_filter_options(key, pop)
    years = pop.bundle.years
    for widget, values, many in (("coord_year", years, False),
                              ("coord_types", options["agency_type"], True),
                              ("coord_provinces", options["province"], True),
                              ("coord_versions", options["version"], True)):
        keep_valid(widget, values, many)
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


def count_basis_default(pop: Population) -> tuple[str, ...]:
    """The count basis before the coordinator chooses: the accepted ones once any is accepted."""
    accepted = "status" in pop.agencies and bool((pop.agencies["status"] == "accepted").any())
    return ("accepted",) if accepted else ()


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

