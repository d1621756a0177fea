"""The coordinator page: data caption, round and filters, tiles, downloads, then only the chosen section."""

from __future__ import annotations

import streamlit as st

from scoring.numbers import fmt_int
from ui.coordinator_page.agencies import render_agencies
from ui.coordinator_page.downloads import render_downloads
from ui.coordinator_page.filters import render_filters, render_version_note
from ui.coordinator_page.heatmap import render_heatmap
from ui.coordinator_page.imports import render_import
from ui.coordinator_page.labels import tr_for
from ui.coordinator_page.overview import render_overview, render_tiles
from ui.coordinator_page.provinces import render_provinces
from ui.coordinator_page.source import PopulationSource
from ui.coordinator_page.trends import render_trends
from ui.coordinator_page.widgets import SECTIONS, apply_pending_section, keep_valid
from ui.i18n import current_language, t
from ui.responses_view import render_deadline_banner, render_responses
from ui.state import current_actor, current_scope, get_bundle, get_store


def render_coordinator_page() -> None:
    lang = current_language()
    tr = tr_for(lang)
    bundle, store, scope = get_bundle(), get_store(), current_scope()
    st.title(t("coordinator.title"))
    st.caption(t("coordinator.intro"))
    apply_pending_section()
    render_deadline_banner(store)
    source = PopulationSource(store, scope, bundle)
    if not source.rounds:
        st.info(t("coordinator.empty"))
        render_import(store, scope, bundle)
        return
    st.caption(t(
        "coordinator.data_caption",
        assessments=fmt_int(source.counted.assessments, lang),
        agencies=fmt_int(source.counted.agencies, lang),
        rounds=", ".join(source.rounds),
        rubric=bundle.rubric.name.get(lang),
    ))
    with st.container(border=True):
        keep_valid("coord_round", source.rounds, many=False)
        c_round, c_rest = st.columns([1, 6.5])
        round_ = c_round.selectbox(t("coordinator.round"), source.rounds, key="coord_round",
                                   index=len(source.rounds) - 1)
        source.bundle = render_version_note(source, round_, bundle)  # a round scores on its own version
        with st.spinner(t("coordinator.loading")):
            pop = source.round_population(round_)
        key = source.population_key(round_)
        with c_rest:
            filters, year = render_filters(pop, round_, key)
    render_tiles(pop, filters, key)
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
        render_overview(pop, filters, year, lang, key)


