"""One agency's result on screen, shared by the results page, the coordinator's drill-down and the
trainer's samples: `render_agency_result(result, bundle, key)`. Self-contained (no downloads inside:
`render_downloads` is separate). Every number is read from the `AgencyResult` the engine built."""

from __future__ import annotations

import streamlit as st

from reports import tables
from reports.charts import dimension_bar, dimension_radar
from reports.record import RecordFacts
from scoring import numbers
from scoring.content import Bundle
from scoring.results import AgencyResult
from scoring.schemas.response import Response
from ui.i18n import current_language, t, tx

LIGHT_BADGE_COLOURS = {"GREEN": "green", "YELLOW": "orange", "RED": "red", "UNRATED": "gray"}


def _light_badge(light: str, lang: str, bundle: Bundle) -> str:
    colour = LIGHT_BADGE_COLOURS.get(light, "gray")
    return f":{colour}-badge[{tables.light_text(light, lang, bundle, long=True)}]"


def render_agency_result(result: AgencyResult, bundle: Bundle, key: str) -> None:
    """Overall level and score in both readings (the rubric's official one marked), the status
    against each target year as traffic lights in words, bar and radar charts, the per-dimension
    table, the gaps, the indicators against their targets and the roadmap. `key` keeps the
    element keys unique when a page shows several results."""
    lang = current_language()
    questionnaire = bundle.questionnaire
    names = {d.id: tx(d.name) for d in questionnaire.dimensions}

    with st.container(key=f"{key}_result"):
        facts = [tables.agency_type_label(result.agency_type, lang)]
        if result.province:
            facts.append(tables.province_label(result.province))
        facts += [
            t("results.round", round=result.round),
            t("results.questionnaire_version", id=result.questionnaire, version=result.questionnaire_version),
            t("results.rubric_version", name=tx(bundle.rubric.name), id=result.rubric, version=result.rubric_version),
        ]
        st.subheader(result.agency_name or result.agency_id)
        st.caption(" · ".join(f for f in facts if f))

        official = result.official_reading
        star = " ★"
        cols = st.columns(4)
        metrics = [
            (t("results.overall_level"), result.overall_level, t("results.overall_level_help")),
            (t("results.gated_level") + (star if official == "gated" else ""), result.overall_gated_level,
             t("results.gated_help")),
            (t("results.continuous_level") + (star if official == "continuous" else ""),
             result.overall_continuous_level, t("results.continuous_help")),
        ]
        for col, (title, level, help_text) in zip((cols[0], cols[2], cols[3]), metrics, strict=True):
            name = tx(questionnaire.level_definition(level).name) if level is not None else None
            col.metric(title, str(level) if level is not None else "—", delta=name or t("common.not_rated"),
                       delta_color="off", delta_arrow="off", border=True, help=help_text)
        points = bundle.rubric.option_points.values()
        cols[1].metric(t("results.overall_score"), tables.fmt_score(result.overall_score, lang), border=True,
                       delta=t("results.score_scale", low=f"{min(points):g}", high=f"{max(points):g}"),
                       delta_color="off", delta_arrow="off",
                       help=t("results.overall_score_help"))
        st.caption(t("results.official_note", reading=t(f"results.reading_{official}")))
        if not result.rated:
            st.warning(t("results.not_all_rated"))

        st.markdown(f"#### {t('results.targets_title')}")
        year_cols = st.columns(max(1, len(bundle.years)))
        for col, year in zip(year_cols, bundle.years, strict=False):
            status = result.targets[year]
            light = tables.overall_light(result, year)
            with col.container(border=True):
                st.markdown(f"**{t('results.target_year', year=year, level=status.required_level)}**")
                st.markdown(_light_badge(light, lang, bundle))
                lines = []
                if status.level_gap:
                    lines.append(t("results.level_gap", gap=status.level_gap))
                lines.append(t("results.indicators_met", met=status.indicators_met,
                               total=len(status.indicators_counted)))
                not_applicable = len(status.indicators) - len(status.indicators_counted)
                if not_applicable:
                    lines.append(t("results.indicators_not_applicable", count=not_applicable))
                st.caption(" · ".join(lines))

        left, right = st.columns([5, 4])
        with left:
            st.markdown(f"#### {t('results.bar_title')}")
            st.altair_chart(dimension_bar(result, bundle, lang), key=f"{key}_bar", width="stretch")
        with right:
            st.markdown(f"#### {t('results.radar_title')}")
            st.altair_chart(dimension_radar(result, bundle, lang), key=f"{key}_radar", width="stretch")

        st.markdown(f"#### {t('results.dimensions_title')}")
        dimensions = tables.dimension_display(result, bundle, lang)
        st.dataframe(dimensions, hide_index=True, width="stretch", key=f"{key}_dimensions",
                     height=35 * (len(dimensions) + 1) + 3)
        st.caption(t("results.light_legend", gap=bundle.targets.traffic_light.yellow_max_gap))

        st.markdown(f"#### {t('results.gaps_title')}")
        gap_cols = st.columns(max(1, len(bundle.years)))
        for gap_col, year in zip(gap_cols, bundle.years, strict=False):
            status = result.targets[year]
            lines = []
            for dimension_id in bundle.dimension_ids:
                gap = status.gaps.get(dimension_id)
                if gap:
                    current = result.dimensions[dimension_id].level
                    required = bundle.targets.dimension_min_level(year, dimension_id)
                    lines.append("- " + t("results.gap_line", dimension=names[dimension_id], current=current,
                                          required=required, gap=gap))
            for dimension_id in status.unrated:
                lines.append("- " + t("results.gap_unrated", dimension=names[dimension_id]))
            for indicator in status.indicators_counted:
                if not indicator.met:
                    value = numbers.fmt_percent_value(indicator.value, lang)
                    lines.append("- " + t("results.gap_indicator", indicator=tx(indicator.name), value=value,
                                          target=numbers.fmt_percent_value(indicator.target, lang)))
            gap_col.markdown(f"**{t('results.target_year', year=year, level=status.required_level)}**")
            gap_col.markdown("\n".join(lines) if lines else t("results.no_gaps"))

        st.markdown(f"#### {t('results.indicators_title')}")
        indicators = tables.indicators_frame(result, bundle, lang)
        if indicators.empty:
            st.caption(t("results.no_indicators"))
        else:
            st.dataframe(indicators, hide_index=True, width="stretch", key=f"{key}_indicators",
                         height=35 * (len(indicators) + 1) + 3)

        st.markdown(f"#### {t('results.roadmap_title')}")
        if not result.next_steps:
            st.success(t("results.no_steps"))
        by_dimension: dict[str, list] = {}
        for step in result.next_steps:
            by_dimension.setdefault(step.dimension_id, []).append(step)
        for dimension_id, steps in by_dimension.items():
            current = result.dimensions[dimension_id].level
            title = t("results.roadmap_dimension", dimension=names.get(dimension_id, dimension_id),
                      current=current if current is not None else "—", target=steps[-1].level)
            with st.expander(title, key=f"{key}_roadmap_{dimension_id}"):
                for step in steps:
                    level_name = tx(questionnaire.level_definition(step.level).name)
                    st.markdown(f"**→ {t('common.level', level=step.level)} · {level_name}** "
                                f"({t('results.for_years', years=', '.join(step.for_years))})")
                    if not step.criteria:
                        st.caption(t("results.no_criteria"))
                    lines = []
                    for criterion in step.criteria:
                        question = questionnaire.question(criterion.question_id)
                        now = (t("common.level", level=criterion.current_level) if criterion.current_level
                               else t(f"results.state_{criterion.current_status}"))
                        lines.append(f"- {tx(question.text)} *({now})*\n"
                                     f"    - {t('results.to_reach')}: {tx(criterion.statement)}\n"
                                     f"    - {t('results.evidence')}: {tx(criterion.evidence)}")
                    st.markdown("\n".join(lines))


def render_downloads(result: AgencyResult, bundle: Bundle, response: Response, provisional: bool, key: str,
                     assessment_id: int | None = None, record: RecordFacts | None = None) -> None:
    """PDF, Excel, CSV, the response YAML and (for a stored assessment) the zip with its evidence
    documents. Files are built only when a button is clicked. `record`: status, submitter, dates and
    document names, which make the PDF and workbook the agency's record."""
    from reports.agency_report import agency_pdf
    from reports.excel import agency_workbook
    from scoring.response_frame import response_to_yaml

    lang = current_language()
    stem = tables.file_stem(result)
    st.markdown(f"#### {t('results.downloads_title')}")
    cols = st.columns(6 if assessment_id is not None else 5)
    cols[0].download_button(
        t("results.download_pdf"),
        data=lambda: agency_pdf(result, bundle, lang, provisional=provisional, record=record),
        file_name=f"{stem}_{lang}.pdf", mime="application/pdf", key=f"{key}_pdf", on_click="ignore",
        icon=":material/picture_as_pdf:", width="stretch",
    )
    cols[1].download_button(
        t("results.download_excel"), data=lambda: agency_workbook(result, bundle, lang, record=record),
        file_name=f"{stem}_{lang}.xlsx", key=f"{key}_xlsx", on_click="ignore", icon=":material/table_view:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch",
    )
    cols[2].download_button(
        t("results.download_csv_answers"), data=lambda: tables.answers_csv(result), file_name=f"{stem}_answers.csv",
        mime="text/csv", key=f"{key}_csv_answers", on_click="ignore", icon=":material/csv:", width="stretch",
    )
    cols[3].download_button(
        t("results.download_csv_dimensions"), data=lambda: tables.dimensions_csv(result, bundle, lang),
        file_name=f"{stem}_{lang}_dimensions.csv", mime="text/csv", key=f"{key}_csv_dimensions",
        on_click="ignore", icon=":material/csv:", width="stretch",
    )
    cols[4].download_button(
        t("results.download_yaml"), data=lambda: response_to_yaml(response).encode("utf-8"),
        file_name=f"{stem}.yaml", mime="application/x-yaml", key=f"{key}_yaml", on_click="ignore",
        icon=":material/description:", width="stretch",
    )
    if assessment_id is not None:
        from ui.evidence_view import get_evidence
        from ui.record_bundle import export_bundle
        from ui.state import current_scope, get_store

        cols[5].download_button(
            t("evidence.download_bundle"), file_name=f"{stem}_bundle.zip", mime="application/zip",
            data=lambda: export_bundle(get_store(), get_evidence(), assessment_id, current_scope()),
            key=f"{key}_bundle", on_click="ignore", icon=":material/folder_zip:", width="stretch",
        )
    st.caption(t("results.downloads_help"))
