"""Two sample agencies side by side: scores and both readings per dimension, the targets, and a chart.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from scoring import numbers
from scoring.content import Bundle
from trainer.compare import chart_frame, compare_dimensions, compare_targets
from ui.i18n import t
from ui.trainer_page.common import (
    dimension_name,
    fmt_level,
    fmt_score,
    fmt_signed,
    get_samples,
    level_label,
    light_text,
    no_samples,
)


def render_compare(bundle: Bundle, presentation: bool = False) -> None:
    samples = get_samples(bundle)
    if no_samples(samples):
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
        return numbers.MISSING
    number = float(value)  # type: ignore[arg-type]
    if abs(number) < 1e-9:
        return "="
    text = fmt_signed(number)
    return f"▲ {text}" if number > 0 else f"▼ {text}"
