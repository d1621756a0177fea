"""The sample agencies: one sample's result, and what-if changes to its answers with the effect on
scores, levels and targets (a fragment: only the panel reruns).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
import streamlit as st

from scoring.content import Bundle
from scoring.results import AgencyResult
from scoring.schemas.questionnaire import Question
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
from ui.trainer_page.common import (
    dimension_name,
    fmt_level,
    fmt_score,
    fmt_signed,
    get_samples,
    level_label,
    level_name,
    light_text,
    no_samples,
)

WHATIF_STATE = "trainer_whatif_changes"

UP_COLOUR, DOWN_COLOUR, CHANGED_COLOUR = "#d7f5dd", "#fbdada", "#fff3c4"


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


def fmt_delta(delta: object, change: str, digits: int = 2) -> str:
    """A difference with an arrow, so the direction never depends on colour alone."""
    if change == "same":
        return "="
    if delta is None or (isinstance(delta, float) and pd.isna(delta)):
        return "◆ " + t("trainer.changed")
    text = fmt_signed(float(delta), digits)  # type: ignore[arg-type]
    return f"▲ {text}" if change == "up" else f"▼ {text}"


def _row_colour(changes: Iterable[str]) -> str:
    changes = list(changes)
    if "down" in changes:
        return DOWN_COLOUR
    if "up" in changes:
        return UP_COLOUR
    if "changed" in changes:
        return CHANGED_COLOUR
    return ""


def render_sample(bundle: Bundle, presentation: bool) -> None:
    samples = get_samples(bundle)
    if no_samples(samples):
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
        score_delta = fmt_signed(change, minus="-") if abs(change) > 1e-9 else None
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
