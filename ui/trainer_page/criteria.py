"""What each level means: the criteria explorer (questions x levels with accent-insensitive search, the
level filter, evidence and advice), the levels with the glossary and respondent guidance, what each
target year takes, and the printable handbook.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from scoring import numbers
from scoring.content import Bundle
from scoring.schemas.base import LEVELS
from trainer.criteria import criteria_frame, level_definitions, matching_questions, search
from trainer.targets import target_requirements, year_indicators, year_summary
from trainer.text import find_spans, query_terms
from ui.i18n import current_language, t, translate, tx
from ui.trainer_page.common import ALL, content_token, dimension_name, level_label, level_name


@st.cache_data(show_spinner=False, max_entries=16)
def _criteria(_bundle: Bundle, token: int, rubric: str, lang: str, numeric: str = "band") -> pd.DataFrame:
    del token, rubric
    return criteria_frame(_bundle, lang, numeric)


@st.cache_data(show_spinner=False, max_entries=64)
def _search_questions(_bundle: Bundle, token: int, rubric: str, lang: str, query: str) -> tuple[list[str], list[str]]:
    """(question ids whose own texts match, dimension ids whose name or description matches)."""
    del token, rubric
    hits = search(_bundle, query, lang)
    dimensions = [h.dimension_id for h in hits if h.field in ("dimension_name", "dimension_description")]
    return matching_questions(hits), list(dict.fromkeys(dimensions))


@st.cache_data(show_spinner=False, max_entries=8)
def _handbook(_bundle: Bundle, token: int, rubric: str, lang: str) -> bytes:
    from reports.handbook import criteria_handbook_pdf

    del token, rubric
    return criteria_handbook_pdf(_bundle, lang)


def highlight(text: str, terms: list[str]) -> str:
    """HTML-escaped text with every match of the search phrase wrapped in <mark>."""
    spans = find_spans(text, terms) if terms else None
    if not spans:
        return html.escape(text)
    out, last = [], 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def _breakable(markup: str) -> str:
    """Let a long question id wrap after its dots and underscores rather than mid-word."""
    return markup.replace(".", ".<wbr>").replace("_", "_<wbr>")


def _advice(bundle: Bundle, question_id: str, level: int, terms: list[str]) -> str:
    """'Is this good enough?' and 'how to get to the next level' of one level (model 2.x), as matrix markup."""
    question = bundle.questionnaire.question(question_id)
    if question.kind != "level":
        return ""
    option = question.option(level)
    parts = [
        f"<b>{html.escape(t(key))}</b> {highlight(tx(text), terms)}"
        for key, text in (("trainer.good_enough", option.good_enough), ("trainer.next_steps", option.next_steps))
        if text is not None
    ]
    return f'<div class="adv">{"<br>".join(parts)}</div>' if parts else ""


def matrix_html(bundle: Bundle, rows: pd.DataFrame, levels: list[int], show_evidence: bool,
                terms: list[str], target_years: dict[int, list[str]] | None = None, advice: bool = False) -> str:
    """An HTML table of questions × levels from criteria_frame rows (one dimension or more)."""
    target_years = target_years or {}
    single = len(levels) == 1
    head = [f'<th class="q">{html.escape(t("trainer.question"))}</th>']
    for level in levels:
        tags = "".join(f'<span class="tag">{html.escape(t("trainer.target_tag", year=y))}</span> '
                       for y in target_years.get(level, []))
        head.append(f'<th>{html.escape(level_label(level))}<span class="lvname">'
                    f'{html.escape(level_name(bundle, level))}</span>{tags}</th>')
    if single and show_evidence:
        head.append(f"<th>{html.escape(t('trainer.evidence'))}</th>")
    body = []
    for question_id, group in rows.groupby("question_id", sort=False):
        first = group.iloc[0]
        guidance_text = str(first.get("guidance", "") or "")
        guidance = (f'<div class="guide">{highlight(guidance_text, terms)}</div>'
                    if guidance_text and not single else "")
        cells = [f'<td class="q"><span class="qid">{_breakable(highlight(str(question_id), terms))}</span>'
                 f'<span class="qtext">{highlight(first["question_text"], terms)}</span>{guidance}</td>']
        by_level = {int(r.level): r for r in group.itertuples()}
        for level in levels:
            row = by_level.get(level)
            if row is None:
                cells.append("<td></td>")
                continue
            css = ' class="target"' if level in target_years else ""
            evidence = ""
            if show_evidence and not single:
                evidence = (f'<div class="ev"><b>{html.escape(t("trainer.evidence"))}:</b> '
                            f"{highlight(row.evidence, terms)}</div>")
            extra = _advice(bundle, str(question_id), level, terms) if advice else ""
            cells.append(f"<td{css}>{highlight(row.statement, terms)}{evidence}{extra}</td>")
            if single and show_evidence:
                cells.append(f"<td>{highlight(row.evidence, terms)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    css_class = "dmm-matrix single" if single else "dmm-matrix"
    return (f'<table class="{css_class}"><thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _target_years_by_level(bundle: Bundle, dimension_id: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for year in bundle.years:
        out.setdefault(bundle.targets.dimension_min_level(year, dimension_id), []).append(year)
    return out


def render_criteria_browser(bundle: Bundle) -> None:
    lang = current_language()
    dims = bundle.dimension_ids
    presentation = bool(st.session_state.get("presentation", False))  # on a projector every line counts
    if not presentation:
        st.caption(t("trainer.criteria_intro"))
    left, middle, right = st.columns([3, 2, 3])
    with left:
        dimension = st.selectbox(t("trainer.dimension"), [*dims, ALL], key="criteria_dimension",
                                 format_func=lambda d: dimension_name(bundle, d, lang))
    with middle:
        level = st.selectbox(t("trainer.level_filter"), [0, *LEVELS], key="criteria_level",
                             format_func=lambda lv: translate(lang, "trainer.all_levels") if lv == 0
                             else f"{level_label(lv, lang)} · {level_name(bundle, lv, lang)}")
    with right:
        query = st.text_input(t("trainer.search"), key="criteria_query", placeholder=t("trainer.search_placeholder"))
    toggles = st.columns(2)
    show_evidence = toggles[0].toggle(t("trainer.show_evidence"), value=True, key="criteria_evidence")
    has_advice = any(o.next_steps is not None for q in bundle.questionnaire.questions for o in q.options)
    advice = has_advice and toggles[1].toggle(t("trainer.show_advice"), value=False, key="criteria_advice")

    frame = _criteria(bundle, content_token(bundle), bundle.rubric.id, lang, "minimum" if level else "band")
    terms = query_terms(query or "")
    # A search covers every topic (a trainer looks for a word, not in a topic); the topic filter is for browsing.
    chosen = dims if dimension == ALL or terms else [dimension]
    frame = frame[frame["dimension_id"].isin(chosen)]
    if terms:
        matched, dimension_hits = _search_questions(bundle, content_token(bundle), bundle.rubric.id, lang, query)
        frame = frame[frame["question_id"].isin(matched)]
        ids = list(dict.fromkeys(frame["question_id"]))
        dimension_hits = [d for d in dimension_hits if d in chosen]
        if dimension_hits:
            names = ", ".join(f"**{highlight(dimension_name(bundle, d), terms)}**" for d in dimension_hits)
            st.markdown(t("trainer.search_dimensions") + " " + names, unsafe_allow_html=True)
        if not ids:
            st.warning(t("trainer.search_none", query=query))
            return
        st.success(t("trainer.search_found", count=len(ids), query=query) + " " + t("trainer.search_all_topics"))
        st.markdown(t("trainer.search_ids") + " " + ", ".join(f"`{q}`" for q in ids))
    levels = list(LEVELS) if level == 0 else [level]
    if level:
        st.info(t("trainer.level_filter_note", level=level, name=level_name(bundle, level),
                  definition=tx(bundle.questionnaire.level_definition(level).definition)))
    for dimension_id, rows in frame.groupby("dimension_id", sort=False):
        dimension_obj = bundle.questionnaire.dimension(str(dimension_id))
        st.subheader(tx(dimension_obj.name))
        if not terms and level == 0 and not presentation:
            st.caption(tx(dimension_obj.description))
        st.markdown(matrix_html(bundle, rows, levels, show_evidence, terms,
                                _target_years_by_level(bundle, str(dimension_id)), advice), unsafe_allow_html=True)


def render_glossary(bundle: Bundle) -> None:
    """The levels with the target years that require them, the respondent guidance and the glossary."""
    questionnaire = bundle.questionnaire
    st.subheader(t("trainer.levels_title"))
    required: dict[int, list[str]] = {}
    for year in bundle.years:
        required.setdefault(bundle.targets.years[year].agency_min_level, []).append(year)
    for level in questionnaire.levels:
        years = required.get(level.level, [])
        tag = " · " + t("trainer.required_by", years=", ".join(years)) if years else ""
        st.markdown(f"**{level_label(level.level)} · {tx(level.name)}**{tag} — {tx(level.definition)}")
    if questionnaire.respondent_guidance:
        st.subheader(t("trainer.guidance_title"))
        for item in questionnaire.respondent_guidance:
            with st.expander(tx(item.title), expanded=False):
                st.markdown(tx(item.text))
    if questionnaire.glossary:
        st.subheader(t("trainer.glossary_title"))
        st.table(pd.DataFrame({t("trainer.glossary_term"): [tx(g.term) for g in questionnaire.glossary],
                               t("trainer.glossary_definition"): [tx(g.definition) for g in questionnaire.glossary]}))
    else:
        st.info(t("trainer.glossary_none", version=questionnaire.version))


def render_targets(bundle: Bundle) -> None:
    lang = current_language()
    st.caption(t("trainer.targets_intro", source=tx(bundle.targets.source)))
    overview = pd.DataFrame({
        t("trainer.dimension"): [dimension_name(bundle, d) for d in bundle.dimension_ids],
        **{t("trainer.required_in", year=y): [level_label(bundle.targets.dimension_min_level(y, d))
                                               for d in bundle.dimension_ids] for y in bundle.years},
    })
    st.table(overview, hide_index=True)
    st.caption(t("trainer.rule") + " " + tx(bundle.rubric.description))
    year = st.segmented_control(t("trainer.year"), bundle.years, key="targets_year", default=bundle.years[0],
                                required=True, format_func=lambda y: translate(lang, "trainer.year_label", year=y))
    year = year or bundle.years[0]
    summary = year_summary(bundle, year)
    population = "; ".join(t("trainer.population_item", share=f"{share * 100:g}", level=lv)
                           for lv, share in summary.population)
    st.markdown(t("trainer.year_summary", year=year, level=summary.agency_min_level, population=population))
    if bundle.rubric.official_reading == "gated":
        st.caption(t("trainer.staged_note"))
    requirements = target_requirements(bundle, year, lang)
    show_evidence = st.toggle(t("trainer.show_evidence"), value=False, key="targets_evidence")
    for dimension_id, rows in requirements.groupby("dimension_id", sort=False):
        required = int(rows["required_level"].iloc[0])
        st.subheader(t("trainer.dimension_needs", name=dimension_name(bundle, str(dimension_id)), level=required))
        frame = rows.rename(columns={"required_level": "level"})
        st.markdown(matrix_html(bundle, frame, [required], show_evidence, []), unsafe_allow_html=True)
    indicators = year_indicators(bundle, year, lang)
    if not indicators.empty:
        st.subheader(t("trainer.indicators", year=year))
        st.table(pd.DataFrame({
            t("trainer.indicator"): indicators["name"],
            t("trainer.question"): indicators["question_id"],
            t("trainer.target"): [numbers.fmt_percent_value(v, lang) for v in indicators["target"]],
        }), hide_index=True)


def render_handbook(bundle: Bundle) -> None:
    ui_lang = current_language()
    st.markdown(t("trainer.handbook_intro"))
    lang = st.radio(t("trainer.handbook_lang"), ["vi", "en"], key="handbook_lang", horizontal=True,
                    index=0 if current_language() == "vi" else 1,
                    format_func=lambda code: translate(ui_lang, f"trainer.lang_{code}"))
    token, rubric = content_token(bundle), bundle.rubric.id

    def build() -> bytes:
        return _handbook(bundle, token, rubric, lang)

    st.download_button(t("trainer.handbook_download"), data=build, key="handbook_download", icon="📄",
                       file_name=f"so-tay-tieu-chi-{bundle.questionnaire.id}-{bundle.questionnaire.version}-{lang}.pdf",
                       mime="application/pdf", type="primary")
    st.subheader(t("trainer.levels_title"))
    levels = level_definitions(bundle, current_language())
    st.table(pd.DataFrame({
        t("trainer.level"): levels["level"].astype(str),
        t("trainer.level_name"): levels["name"],
        t("trainer.definition"): levels["definition"],
    }), hide_index=True)
