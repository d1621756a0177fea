"""Trainer mode in Streamlit: criteria browser, targets, sample agencies with what-if, comparison,
handbook download and presentation mode. The logic lives in `trainer/`; this module renders it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import altair as alt
import pandas as pd
import streamlit as st

from scoring.content import Bundle
from scoring.model import LEVELS, Question
from scoring.results import AgencyResult
from trainer.compare import OVERALL, chart_frame, compare_dimensions, compare_targets
from trainer.criteria import criteria_frame, level_definitions, matching_questions, search
from trainer.samples import Samples, files_stamp, load_samples
from trainer.targets import target_requirements, year_indicators, year_summary
from trainer.text import find_spans, query_terms
from trainer.whatif import (
    UNANSWERED,
    answer_choices,
    current_answers,
    numeric_level,
    score_level_table,
    target_table,
    what_if,
)
from ui.i18n import current_language, t, translate, tx
from ui.results_view import render_agency_result
from ui.run_marker import marks_fragment_run

ALL = "__all__"
VIEWS = ("criteria", "glossary", "targets", "sample", "compare", "handbook")
WHATIF_STATE = "trainer_whatif_changes"
LIGHT_ICON = {"GREEN": "🟢", "YELLOW": "🟡", "RED": "🔴"}
UP_COLOUR, DOWN_COLOUR, CHANGED_COLOUR = "#d7f5dd", "#fbdada", "#fff3c4"

BASE_CSS = """
<style>
.dmm-matrix {border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 0.86rem; line-height: 1.4;
  margin-bottom: 0.6rem;}
.dmm-matrix th, .dmm-matrix td {border: 1px solid rgba(128,128,128,0.35); padding: 0.45rem 0.55rem;
  vertical-align: top; text-align: left; overflow-wrap: break-word;}
.dmm-matrix thead th {background: rgba(28,131,225,0.10); font-weight: 600;}
.dmm-matrix th.q, .dmm-matrix td.q {width: 22%;}
.dmm-matrix.single th.q, .dmm-matrix.single td.q {width: 30%;}
.dmm-matrix .qid {font-family: ui-monospace, monospace; font-size: 0.82em; opacity: 0.75; display: block;
  margin-bottom: 0.2rem;}
.dmm-matrix .qtext {font-weight: 600;}
.dmm-matrix .guide {font-size: 0.88em; opacity: 0.75; margin-top: 0.3rem;}
.dmm-matrix .ev {font-size: 0.9em; opacity: 0.78; margin-top: 0.35rem; border-top: 1px dashed rgba(128,128,128,0.4);
  padding-top: 0.25rem;}
.dmm-matrix .lvname {font-weight: 400; font-size: 0.9em; display: block;}
.dmm-matrix .tag {display: inline-block; font-size: 0.75em; font-weight: 600; padding: 0 0.35rem; margin-top: 0.2rem;
  border-radius: 0.6rem; background: #ffe9a8; color: #5a4300;}
.dmm-matrix td.target {background: rgba(255,196,0,0.08);}
.dmm-matrix mark {background: #ffe066; color: inherit; padding: 0 0.1em; border-radius: 0.15em;}
.dmm-matrix .adv {font-size: 0.88em; margin-top: 0.35rem; border-top: 1px dashed rgba(128,128,128,0.4);
  padding-top: 0.25rem;}
</style>
"""

PRESENTATION_CSS = """
<style>
[data-testid="stMain"] {font-size: 1.3rem;}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] label p {font-size: 1.3rem !important; line-height: 1.5;}
[data-testid="stMain"] h1 {font-size: 2.1rem !important;}
[data-testid="stMain"] h2 {font-size: 2.3rem !important;}
[data-testid="stMain"] h3 {font-size: 1.9rem !important;}
[data-testid="stMain"] .dmm-matrix {font-size: 1.02rem; line-height: 1.3;}
[data-testid="stMain"] .dmm-matrix th, [data-testid="stMain"] .dmm-matrix td {padding: 0.3rem 0.45rem;}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"] {
  display: none !important;}
[data-testid="stMainBlockContainer"] {padding-top: 1.2rem !important;}
[data-testid="stMain"] h1 {margin: 0 !important; padding: 0 !important;}
[data-testid="stMain"] [data-testid="stTable"] td, [data-testid="stMain"] [data-testid="stTable"] th {
  font-size: 1.25rem !important;}
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] p {
  font-size: 2.6rem !important; white-space: normal !important; overflow: visible !important;}
[data-testid="stMain"] [data-baseweb="select"] div, [data-testid="stMain"] input {font-size: 1.2rem !important;}
[data-testid="stMain"] button p {font-size: 1.2rem !important;}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p span {font-size: 1.2rem !important;}
[data-testid="stMain"] [data-testid="stMetricDelta"], [data-testid="stMain"] [data-testid="stMetricLabel"] p {
  font-size: 1.3rem !important;}
[data-testid="stMain"] .block-container, [data-testid="stMainBlockContainer"] {max-width: 100%;
  padding-left: 2rem; padding-right: 2rem;}
</style>
"""


# --- small helpers --------------------------------------------------------------------------


# Widget labels (format_func) take the language explicitly: Streamlit may call them outside the
# script run (AppTest does), where the session's language cannot be read.


def level_label(level: int | None, lang: str | None = None) -> str:
    lang = lang or current_language()
    return translate(lang, "common.not_rated") if level is None else translate(lang, "common.level", level=level)


def level_name(bundle: Bundle, level: int, lang: str | None = None) -> str:
    return bundle.questionnaire.level_definition(level).name.get(lang or current_language())


def dimension_name(bundle: Bundle, dimension_id: str, lang: str | None = None) -> str:
    lang = lang or current_language()
    if dimension_id == OVERALL:
        return translate(lang, "trainer.overall")
    if dimension_id == ALL:
        return translate(lang, "trainer.all_dimensions")
    return bundle.questionnaire.dimension(dimension_id).name.get(lang)


def answer_label(bundle: Bundle, question: Question, value: str | None, lang: str | None = None) -> str:
    lang = lang or current_language()
    if value is None or value == UNANSWERED:
        return translate(lang, "trainer.answer_unanswered")
    if value == "na":
        return translate(lang, "trainer.answer_na")
    if value == "dont_know":
        return translate(lang, "trainer.answer_dont_know")
    if value == "provided":
        return translate(lang, "trainer.answer_provided", level=bundle.rubric.provided_level or 3)
    if question.kind == "level":
        return f"{value} · {level_name(bundle, int(value), lang)}"
    level = numeric_level(bundle, question.id, float(value))
    return f"{value}% → {level_label(level, lang)}"


def light_text(light: str, met: bool) -> str:
    return f"{LIGHT_ICON.get(light, '')} {t('trainer.met') if met else t('trainer.not_met')}"


def fmt_score(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return f"{float(value):.2f}"


def fmt_level(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return t("common.not_rated")
    return str(int(float(value)))


def fmt_delta(delta: object, change: str, digits: int = 2) -> str:
    """A difference with an arrow, so the direction never depends on colour alone."""
    if change == "same":
        return "="
    if delta is None or (isinstance(delta, float) and pd.isna(delta)):
        return "◆ " + t("trainer.changed")
    number = float(delta)
    text = f"{number:+.{digits}f}" if digits else f"{number:+.0f}"
    text = text.replace("-", "−")
    return f"▲ {text}" if change == "up" else f"▼ {text}"


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


def _row_colour(changes: Iterable[str]) -> str:
    changes = list(changes)
    if "down" in changes:
        return DOWN_COLOUR
    if "up" in changes:
        return UP_COLOUR
    if "changed" in changes:
        return CHANGED_COLOUR
    return ""


# --- cached data ------------------------------------------------------------------------------


def _token(bundle: Bundle) -> int:
    """Identifies the loaded content: get_bundle returns a new object when a YAML file changes."""
    return id(bundle)


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


@st.cache_resource(show_spinner=False, max_entries=8)
def _samples(_bundle: Bundle, token: int, rubric: str, stamp: tuple) -> Samples:
    del token, rubric, stamp
    return load_samples(_bundle)


def get_samples(bundle: Bundle) -> Samples:
    return _samples(bundle, _token(bundle), bundle.rubric.id, files_stamp())


@st.cache_data(show_spinner=False, max_entries=8)
def _handbook(_bundle: Bundle, token: int, rubric: str, lang: str) -> bytes:
    from reports.handbook import criteria_handbook_pdf

    del token, rubric
    return criteria_handbook_pdf(_bundle, lang)


# --- page frame -------------------------------------------------------------------------------


def presentation_toggle() -> bool:
    """The switch for projector use, at the top of the page (presentation mode hides the sidebar, so the way out
    must stay on screen); kept across page switches."""
    if "presentation" in st.session_state:
        st.session_state["presentation"] = st.session_state["presentation"]
    _, right = st.columns([4, 1])
    with right:
        st.toggle(t("trainer.presentation"), key="presentation", help=t("trainer.presentation_help"))
    presentation = bool(st.session_state.get("presentation", False))
    st.html(BASE_CSS + (PRESENTATION_CSS if presentation else ""))
    return presentation


def view_selector() -> str:
    lang = current_language()
    view = st.segmented_control(
        t("trainer.view"), VIEWS, key="trainer_view", default="criteria", required=True,
        format_func=lambda v: translate(lang, f"trainer.view_{v}"), label_visibility="collapsed",
    )
    return view or "criteria"


# --- criteria browser -----------------------------------------------------------------------


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

    frame = _criteria(bundle, _token(bundle), bundle.rubric.id, lang, "minimum" if level else "band")
    terms = query_terms(query or "")
    # A search covers every topic (a trainer looks for a word, not in a topic); the topic filter is for browsing.
    chosen = dims if dimension == ALL or terms else [dimension]
    frame = frame[frame["dimension_id"].isin(chosen)]
    if terms:
        matched, dimension_hits = _search_questions(bundle, _token(bundle), bundle.rubric.id, lang, query)
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


# --- glossary and respondent guidance ---------------------------------------------------------------


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


# --- targets ----------------------------------------------------------------------------------


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
            t("trainer.target"): [f"{v:g}%" for v in indicators["target"]],
        }), hide_index=True)


# --- sample agencies and what-if --------------------------------------------------------------


def _no_samples(samples: Samples) -> bool:
    if samples.result is None:
        st.info(t("trainer.no_samples"))
        for problem in samples.problems:
            st.caption(str(problem))
        return True
    return False


def render_sample(bundle: Bundle, presentation: bool) -> None:
    samples = get_samples(bundle)
    if _no_samples(samples):
        return
    keys = samples.keys
    key = st.selectbox(t("trainer.sample"), keys, key="trainer_sample", format_func=samples.label)
    if key not in keys:
        key = keys[0]
    st.caption(t(f"trainer.type_{samples.agency_type(key) or 'unknown'}"))
    result = samples.result_of(key)
    lang = current_language()
    panel = st.segmented_control(t("trainer.sample_panel"), ("result", "whatif"), key="sample_panel",
                                 default="result", required=True, label_visibility="collapsed",
                                 format_func=lambda p: translate(lang, f"trainer.panel_{p}"))
    if panel == "whatif":
        whatif_panel(bundle, key, presentation)
        return
    render_agency_result(result, bundle, "trainer_" + re.sub(r"[^A-Za-z0-9_]", "_", key))


def _store() -> dict[str, dict[str, str | None]]:
    return st.session_state.setdefault(WHATIF_STATE, {})


def _widget_key(sample: str, question_id: str) -> str:
    return f"whatif__{sample}__{question_id}"


def _on_answer_change(sample: str, question_id: str, original: str | None) -> None:
    value = st.session_state[_widget_key(sample, question_id)]
    value = None if value == UNANSWERED else value
    changes = _store().setdefault(sample, {})
    if value == original:
        changes.pop(question_id, None)
    else:
        changes[question_id] = value


def _reset(sample: str) -> None:
    _store().pop(sample, None)
    prefix = f"whatif__{sample}__"
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


@st.fragment
@marks_fragment_run
def whatif_panel(bundle: Bundle, sample: str, presentation: bool) -> None:
    """Change answers of the sample and see the effect at once (only this panel reruns)."""
    lang = current_language()
    samples = get_samples(bundle)
    rows = samples.answers(sample)
    original = current_answers(rows)
    changes = _store().setdefault(sample, {})
    st.subheader(t("trainer.whatif_title"))
    st.caption(t("trainer.whatif_presentation" if presentation else "trainer.whatif_intro"))
    agency_type = samples.agency_type(sample)
    top = st.columns([3, 1])
    with top[0]:
        dimension_id = st.selectbox(t("trainer.dimension"), bundle.dimension_ids, key="whatif_dimension",
                                    format_func=lambda d: dimension_name(bundle, d, lang))
    with top[1]:
        st.button(t("trainer.whatif_reset"), key="whatif_reset", on_click=_reset, args=(sample,),
                  disabled=not changes, icon=":material/restart_alt:", width="stretch")
    dimension = bundle.questionnaire.dimension(dimension_id)
    columns = st.columns(2)
    asked = [q for q in dimension.questions if agency_type is None or q.applies(agency_type)]
    for index, question in enumerate(asked):
        base = original.get(question.id)
        options = answer_choices(bundle, question, base, agency_type)
        current = changes.get(question.id, base) if question.id in changes else base
        current = UNANSWERED if current is None else current
        with columns[index % 2]:
            marker = " ✎" if question.id in changes else ""
            st.selectbox(
                f"`{question.id}`{marker} — {tx(question.text)}", options,
                index=options.index(current) if current in options else 0,
                key=_widget_key(sample, question.id),
                format_func=lambda v, q=question: answer_label(bundle, q, v, lang),
                on_change=_on_answer_change, args=(sample, question.id, base),
            )
            if question.id in changes:
                st.caption(t("trainer.was", answer=answer_label(bundle, question, base)))
    outcome = what_if(rows, changes, bundle)
    render_whatif_outcome(bundle, outcome.before, outcome.after, outcome.diff, outcome.changes)


def render_whatif_outcome(bundle: Bundle, before: AgencyResult, after: AgencyResult, diff: pd.DataFrame,
                          changes: dict[str, str | None]) -> None:
    st.markdown(f"#### {t('trainer.whatif_effect')}")
    if not changes:
        st.info(t("trainer.whatif_nochange"))
    else:
        questionnaire = bundle.questionnaire
        before_answers = {q: r.answer for q, r in before.questions.items()}
        items = [
            f"`{qid}`: {answer_label(bundle, questionnaire.question(qid), before_answers.get(qid))} → "
            f"**{answer_label(bundle, questionnaire.question(qid), value)}**"
            for qid, value in changes.items()
        ]
        st.markdown(t("trainer.whatif_changed", count=len(changes)) + "\n\n" + "\n".join(f"- {i}" for i in items))
    metrics = st.columns(2 + len(after.targets))
    level_delta = _level_delta(before.overall_level, after.overall_level)
    metrics[0].metric(t("trainer.overall_level"), level_label(after.overall_level), delta=level_delta,
                      delta_color="normal" if level_delta else "off")
    score_delta = None
    if before.overall_score is not None and after.overall_score is not None:
        change = after.overall_score - before.overall_score
        score_delta = f"{change:+.2f}" if abs(change) > 1e-9 else None
    metrics[1].metric(t("trainer.overall_score"), fmt_score(after.overall_score), delta=score_delta)
    for col, year in zip(metrics[2:], after.targets, strict=True):
        b, a = before.targets[year], after.targets[year]
        delta = None
        if a.met != b.met or a.light != b.light:
            delta = (t("trainer.from", what=light_text(b.light, b.met)) if _better(b, a)
                     else "-" + t("trainer.from", what=light_text(b.light, b.met)))
        col.metric(t("trainer.target_year", year=year), light_text(a.light, a.met), delta=delta)
    table = score_level_table(diff)
    display = pd.DataFrame({
        t("trainer.dimension"): [dimension_name(bundle, i) for i in table["item"]],
        t("trainer.score_before"): [fmt_score(v) for v in table["score_before"]],
        t("trainer.score_after"): [fmt_score(v) for v in table["score_after"]],
        t("trainer.score_delta"): [fmt_delta(d, c) for d, c in zip(table["score_delta"], table["score_change"],
                                                                  strict=True)],
        t("trainer.level_before"): [fmt_level(v) for v in table["level_before"]],
        t("trainer.level_after"): [fmt_level(v) for v in table["level_after"]],
        t("trainer.level_delta"): [fmt_delta(d, c, 0) for d, c in zip(table["level_delta"], table["level_change"],
                                                                      strict=True)],
    })
    colours = [_row_colour(changes) for changes in zip(table["score_change"], table["level_change"], strict=True)]
    st.table(display.style.apply(lambda row: [f"background-color: {colours[row.name]}" if colours[row.name]
                                              else ""] * len(row), axis=1), hide_index=True)
    targets = target_table(diff)
    target_display = pd.DataFrame({
        t("trainer.year"): targets["year"],
        t("trainer.before"): [light_text(lt, m) for lt, m in zip(targets["light_before"], targets["met_before"],
                                                                 strict=True)],
        t("trainer.after"): [light_text(lt, m) for lt, m in zip(targets["light_after"], targets["met_after"],
                                                                strict=True)],
        t("trainer.gap_before"): [fmt_level(v) for v in targets["level_gap_before"]],
        t("trainer.gap_after"): [fmt_level(v) for v in targets["level_gap_after"]],
        t("trainer.indicators_met"): [f"{b} → {a}" for b, a in zip(targets["indicators_met_before"],
                                                                   targets["indicators_met_after"], strict=True)],
        t("trainer.change"): [_change_word(row) for row in targets.itertuples()],
    })
    target_colours = [_row_colour((r.met_change, r.light_change, r.level_gap_change, r.indicators_met_change))
                      for r in targets.itertuples()]
    st.table(target_display.style.apply(
        lambda row: [f"background-color: {target_colours[row.name]}" if target_colours[row.name] else ""] * len(row),
        axis=1), hide_index=True)
    st.caption(t("trainer.legend"))


def _level_delta(before: int | None, after: int | None) -> str | None:
    if before == after:
        return None
    if before is None or after is None:
        return t("trainer.changed")
    return f"{after - before:+d}"


def _better(before: object, after: object) -> bool:
    rank = {"RED": 0, "YELLOW": 1, "GREEN": 2}
    return rank.get(after.light, 0) > rank.get(before.light, 0) or (after.met and not before.met)  # type: ignore[attr-defined]


def _change_word(row: object) -> str:
    changes = [row.met_change, row.light_change, row.level_gap_change, row.indicators_met_change]  # type: ignore[attr-defined]
    if "down" in changes:
        return "▼ " + t("trainer.worse")
    if "up" in changes:
        return "▲ " + t("trainer.better")
    if "changed" in changes:
        return "◆ " + t("trainer.changed")
    return "="


# --- comparison -------------------------------------------------------------------------------


def render_compare(bundle: Bundle, presentation: bool = False) -> None:
    samples = get_samples(bundle)
    if _no_samples(samples):
        return
    keys = samples.keys
    left, right = st.columns(2)
    with left:
        a_key = st.selectbox(t("trainer.compare_a"), keys, key="compare_a", format_func=samples.label, index=0)
    with right:
        b_key = st.selectbox(t("trainer.compare_b"), keys, key="compare_b", format_func=samples.label,
                             index=min(1, len(keys) - 1))
    a, b = samples.result_of(a_key), samples.result_of(b_key)
    label_a, label_b = samples.label(a_key), samples.label(b_key)
    if a_key == b_key:
        st.warning(t("trainer.compare_same"))
    table = compare_dimensions(a, b, bundle.dimension_ids)
    short_a, short_b = "A", "B"
    st.markdown(f"**A** — {label_a}  \n**B** — {label_b}")
    display = pd.DataFrame({
        t("trainer.dimension"): [dimension_name(bundle, i) for i in table["item"]],
        f"{short_a}: {t('trainer.score')}": [fmt_score(v) for v in table["score_a"]],
        f"{short_a}: {t('trainer.gated')}": [fmt_level(v) for v in table["gated_a"]],
        f"{short_a}: {t('trainer.continuous')}": [fmt_level(v) for v in table["continuous_a"]],
        f"{short_b}: {t('trainer.score')}": [fmt_score(v) for v in table["score_b"]],
        f"{short_b}: {t('trainer.gated')}": [fmt_level(v) for v in table["gated_b"]],
        f"{short_b}: {t('trainer.continuous')}": [fmt_level(v) for v in table["continuous_b"]],
        t("trainer.score_diff"): [_diff_text(v) for v in table["score_delta"]],
    })
    st.table(display, hide_index=True)
    st.caption(t("trainer.readings_note", official=t(f"trainer.{bundle.rubric.official_reading}")))
    targets = compare_targets(a, b)
    st.table(pd.DataFrame({
        t("trainer.year"): [t("trainer.required_level_year", year=y, level=lv)
                            for y, lv in zip(targets["year"], targets["required_level"], strict=True)],
        "A": [_target_cell(lt, m, g, i) for lt, m, g, i in zip(targets["light_a"], targets["met_a"], targets["gap_a"],
                                                                 targets["indicators_a"], strict=True)],
        "B": [_target_cell(lt, m, g, i) for lt, m, g, i in zip(targets["light_b"], targets["met_b"], targets["gap_b"],
                                                                 targets["indicators_b"], strict=True)],
    }), hide_index=True)
    chart = chart_frame(a, b, (f"A — {label_a}", f"B — {label_b}"), bundle.dimension_ids)
    chart["dimension"] = [dimension_name(bundle, d) for d in chart["dimension_id"]]
    chart["level_text"] = [fmt_level(v) for v in chart["level"]]
    chart["level_label"] = [level_label(None if pd.isna(v) else int(v)) for v in chart["level"]]
    order = [dimension_name(bundle, d) for d in bundle.dimension_ids]
    font = 16 if presentation else 12
    base = alt.Chart(chart).encode(
        y=alt.Y("dimension:N", sort=order, title=None, axis=alt.Axis(labelLimit=360, labelFontSize=font)),
        yOffset=alt.YOffset("agency:N"),
        x=alt.X("score:Q", title=t("trainer.score"), scale=alt.Scale(domain=[0, 5]),
                axis=alt.Axis(values=[0, 1, 2, 3, 4, 5], format="d", labelFontSize=font, titleFontSize=font)),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("agency:N", title=None, scale=alt.Scale(range=["#1c83e1", "#ff8c1a"]),
                        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=600,
                                          labelFontSize=font)),
        tooltip=[alt.Tooltip("agency:N", title=t("trainer.sample")),
                 alt.Tooltip("dimension:N", title=t("trainer.dimension")),
                 alt.Tooltip("score:Q", title=t("trainer.score"), format=".2f"),
                 alt.Tooltip("level_text:N", title=t("trainer.level"))],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=font - 2).encode(text="level_label:N")
    spec = (bars + labels).properties(height=alt.Step(18 if presentation else 14),
                                      title=alt.TitleParams(t("trainer.chart_title"), fontSize=font + 2))
    st.altair_chart(spec, width="stretch")


def _target_cell(light: str, met: bool, gap: object, indicators: str) -> str:
    parts = [light_text(light, met)]
    if gap is not None and not (isinstance(gap, float) and pd.isna(gap)) and float(gap) > 0:
        parts.append(t("trainer.gap", gap=int(float(gap))))
    parts.append(t("trainer.indicators_short", n=indicators))
    return " · ".join(parts)


def _diff_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    number = float(value)
    if abs(number) < 1e-9:
        return "="
    text = f"{number:+.2f}".replace("-", "−")
    return f"▲ {text}" if number > 0 else f"▼ {text}"


# --- handbook ---------------------------------------------------------------------------------


def render_handbook(bundle: Bundle) -> None:
    ui_lang = current_language()
    st.markdown(t("trainer.handbook_intro"))
    lang = st.radio(t("trainer.handbook_lang"), ["vi", "en"], key="handbook_lang", horizontal=True,
                    index=0 if current_language() == "vi" else 1,
                    format_func=lambda code: translate(ui_lang, f"trainer.lang_{code}"))
    token, rubric = _token(bundle), bundle.rubric.id

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
