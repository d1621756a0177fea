"""Altair charts of a population of agencies, shared by the coordinator page and the national PDF.

Pure functions: a frame from a `coordinator` view plus the words to print (already translated,
passed in `labels` and name mappings) in, an `alt.Chart` out. No Streamlit; export a chart with
`reports.base.chart_png(chart.to_dict())` or `chart_svg`. Numbers on axes, labels and tooltips follow
the language once the top-level chart is `localised(chart, lang)` (one rule: `scoring.numbers`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from scoring.numbers import chart_locale

LIGHT_COLOURS = {"GREEN": "#2e7d32", "YELLOW": "#f9a825", "RED": "#c62828"}
LEVEL_COLOURS = ["#a50026", "#f46d43", "#fee08b", "#a6d96a", "#1a9850"]
GAP_COLOURS = ["#1a9850", "#fee08b", "#fdae61", "#f46d43", "#a50026"]
UNRATED_COLOUR = "#bdbdbd"
MEASURE_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"]

Labels = Mapping[str, str]


def localised(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    """The chart with the language's number rules (`scoring.numbers.chart_locale`): "9,9 %" on a
    Vietnamese axis, "9.9%" on an English one. Keeps any configuration the chart already has."""
    config = chart.config.to_dict() if chart.config is not alt.Undefined else {}  # type: ignore[attr-defined]
    copy = chart.copy(deep=False)
    copy.config = alt.Config(**{**config, "locale": chart_locale(lang)})  # type: ignore[attr-defined]
    return copy


def _label(labels: Labels, key: str, default: str) -> str:
    return labels.get(key, default)


def _unique_labels(names: pd.Series, ids: pd.Series) -> pd.Series:
    """Agency names, with the id added where two shown agencies share a name."""
    names = names.astype(str)
    twice = names.duplicated(keep=False)
    return names.where(~twice, names + " (" + ids.astype(str) + ")")


def heatmap_chart(
    frame: pd.DataFrame,
    dimension_names: Mapping[str, str],
    labels: Labels,
    measure: str = "level",
    row_field: str = "agency_name",
    id_field: str = "agency_id",
    cell_height: int = 20,
) -> alt.LayerChart:
    """Rows × dimensions with a coloured, labelled cell each (`mark_rect` + `mark_text`).

    `frame`: long, with `row` (display order), `row_field`, `dimension_id`, `value` (NaN = not rated).
    `measure`: "level" (1-5, red to green) or "gap" (levels missing, green 0 to red 4).
    """
    data = frame.copy()
    if id_field in data:
        rows_once = data.drop_duplicates("row")
        labels_once = _unique_labels(rows_once[row_field], rows_once[id_field])
        data["label"] = data["row"].map(dict(zip(rows_once["row"], labels_once, strict=True)))
    else:
        data["label"] = data[row_field].astype(str)
    dims = list(dimension_names)
    data["dimension"] = data["dimension_id"].map(dimension_names).astype(str)
    values = data["value"].to_numpy(dtype=float)
    if "text" not in data:  # the caller's number format (one per language), else plain
        data["text"] = np.where(np.isnan(values), "–", pd.Series(values).round(1).map("{:g}".format).to_numpy())
    data["value"] = np.where(np.isnan(values), None, values)
    rows = data.drop_duplicates("row").sort_values("row")["label"].tolist()
    dim_order = [dimension_names[d] for d in dims]
    if measure == "gap":
        scale = alt.Scale(domain=[0, 1, 2, 3, 4], range=GAP_COLOURS)
        dark = "datum.value >= 3"
        title = _label(labels, "gap", "Levels missing")
    else:
        scale = alt.Scale(domain=[1, 2, 3, 4, 5], range=LEVEL_COLOURS)
        dark = "datum.value !== null && (datum.value <= 1.5 || datum.value >= 4.5)"
        title = _label(labels, "level", "Level")
    x = alt.X("dimension:N", sort=dim_order, title=None,
              axis=alt.Axis(orient="top", labelAngle=-40, labelLimit=230, labelAlign="left", labelOverlap=False,
                            labelPadding=4))
    y = alt.Y("label:N", sort=rows, title=None, axis=alt.Axis(labelLimit=260, labelFontSize=11, labelOverlap=False))
    tooltip = [alt.Tooltip("label:N", title=_label(labels, "agency", "Agency")),
               alt.Tooltip("dimension:N", title=_label(labels, "dimension", "Dimension")),
               alt.Tooltip("text:N", title=title)]
    base = alt.Chart(data).encode(x=x, y=y)
    background = base.mark_rect(color=UNRATED_COLOUR, stroke="white", strokeWidth=1).encode(tooltip=tooltip)
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("value:Q", scale=scale, title=title, legend=alt.Legend(orient="bottom", gradientLength=240)),
        tooltip=tooltip,
    ).transform_filter("datum.value !== null")
    text = base.mark_text(fontSize=10).encode(
        text="text:N",
        color=alt.condition(dark, alt.value("white"), alt.value("#222222")),
    )
    return alt.layer(background, cells, text).properties(height=alt.Step(cell_height), width=alt.Step(62))


# Each chart below is its data (`*_data`, the rows it draws) and a spec that does not depend on
# them (groups drawn in the rows' order, `sort=None`): a page can keep the spec of a language and
# swap the rows when a filter changes.


def lights_data(counts: pd.DataFrame, group_names: Mapping[str, str], light_names: Mapping[str, str]) -> pd.DataFrame:
    long = counts.melt(id_vars=["group"], value_vars=list(LIGHT_COLOURS), var_name="light", value_name="agencies")
    long["group_name"] = long["group"].map(lambda g: group_names.get(g, str(g)))
    long["light_name"] = long["light"].map(light_names)
    long["order"] = long["light"].map({k: i for i, k in enumerate(LIGHT_COLOURS)})
    return long


def lights_chart(counts: pd.DataFrame, group_names: Mapping[str, str], light_names: Mapping[str, str],
                 labels: Labels) -> alt.Chart:
    """Stacked horizontal bars of GREEN / YELLOW / RED agencies per group, in the order of `counts`
    (from `coordinator.traffic_lights.light_counts`)."""
    long = lights_data(counts, group_names, light_names)
    domain = [light_names[k] for k in LIGHT_COLOURS]
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y("group_name:N", title=None, sort=None, axis=alt.Axis(labelLimit=240)),
        x=alt.X("agencies:Q", stack="normalize", title=_label(labels, "share", "Share of agencies"),
                axis=alt.Axis(format="%")),
        color=alt.Color("light_name:N", scale=alt.Scale(domain=domain, range=list(LIGHT_COLOURS.values())),
                        title=_label(labels, "light", "Light"), legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("group_name:N", title=_label(labels, "group", "Group")),
                 alt.Tooltip("light_name:N", title=_label(labels, "light", "Light")),
                 alt.Tooltip("agencies:Q", title=_label(labels, "agencies", "Agencies"))],
    ).properties(height=alt.Step(34))


def level_distribution_data(distribution: pd.DataFrame, type_names: Mapping[str, str],
                            level_names: Mapping[str, str]) -> pd.DataFrame:
    data = distribution.copy()
    data["type_name"] = data["agency_type"].map(lambda t: type_names.get(t, str(t)))
    data["level_name"] = data["level"].map(level_names)
    data["order"] = data["level"].map({k: i for i, k in enumerate(level_names)})
    return data


def level_distribution_chart(distribution: pd.DataFrame, type_names: Mapping[str, str],
                             level_names: Mapping[str, str], labels: Labels) -> alt.Chart:
    """Share of agencies at each overall level per agency type
    (from `coordinator.traffic_lights.level_distribution`)."""
    data = level_distribution_data(distribution, type_names, level_names)
    order = list(level_names)
    domain = [level_names[k] for k in order]
    colours = [*LEVEL_COLOURS, UNRATED_COLOUR][: len(domain)]
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("type_name:N", title=None, axis=alt.Axis(labelLimit=240)),
        x=alt.X("agencies:Q", stack="normalize", title=_label(labels, "share", "Share of agencies"),
                axis=alt.Axis(format="%")),
        color=alt.Color("level_name:N", scale=alt.Scale(domain=domain, range=colours),
                        title=_label(labels, "level", "Level"), legend=alt.Legend(orient="bottom", columns=3)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("type_name:N", title=_label(labels, "agency_type", "Type")),
                 alt.Tooltip("level_name:N", title=_label(labels, "level", "Level")),
                 alt.Tooltip("agencies:Q", title=_label(labels, "agencies", "Agencies")),
                 alt.Tooltip("share:Q", format=".1%", title=_label(labels, "share", "Share"))],
    ).properties(height=alt.Step(34))


def shortfall_data(shortfall: pd.DataFrame, dimension_names: Mapping[str, str]) -> pd.DataFrame:
    data = shortfall.sort_values("share_below", ascending=False, kind="stable").reset_index(drop=True)
    data["dimension"] = data["dimension_id"].map(dimension_names)
    return data


def shortfall_chart(shortfall: pd.DataFrame, dimension_names: Mapping[str, str], labels: Labels) -> alt.Chart:
    """Share of agencies below the required level, per dimension, worst on top."""
    data = shortfall_data(shortfall, dimension_names)
    bars = alt.Chart(data).mark_bar(color="#c62828").encode(
        y=alt.Y("dimension:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("share_below:Q", title=_label(labels, "share_below", "Share of agencies below the target"),
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("dimension:N", title=_label(labels, "dimension", "Dimension")),
                 alt.Tooltip("below:Q", title=_label(labels, "below", "Below")),
                 alt.Tooltip("share_below:Q", format=".1%", title=_label(labels, "share", "Share")),
                 alt.Tooltip("mean_level:Q", format=".2f", title=_label(labels, "mean_level", "Mean level"))],
    )
    text = bars.mark_text(align="left", dx=3, fontSize=10, color="#222222").encode(
        text=alt.Text("share_below:Q", format=".0%"))
    return (bars + text).properties(height=alt.Step(24))


def province_chart(rollup: pd.DataFrame, labels: Labels) -> alt.Chart:
    """Each province's share of communes GREEN (from `coordinator.rankings.province_rollup`), lowest first."""
    data = rollup.dropna(subset=["share_green"]).copy()
    order = data["province_name"].tolist()
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("province_name:N", sort=order, title=None,
                axis=alt.Axis(labelLimit=260, labelFontSize=11, labelOverlap=False)),
        x=alt.X("share_green:Q", title=_label(labels, "share_green", "Communes GREEN"),
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color("share_green:Q", scale=alt.Scale(domain=[0, 0.5, 1], range=["#c62828", "#f9a825", "#2e7d32"]),
                        legend=None),
        tooltip=[alt.Tooltip("province_name:N", title=_label(labels, "province", "Province")),
                 alt.Tooltip("communes:Q", title=_label(labels, "communes", "Communes")),
                 alt.Tooltip("GREEN:Q", title=_label(labels, "green", "GREEN")),
                 alt.Tooltip("share_green:Q", format=".1%", title=_label(labels, "share_green", "Share GREEN"))],
    )
    text = bars.mark_text(align="left", dx=3, fontSize=10, color="#222222").encode(
        text=alt.Text("share_green:Q", format=".0%"), color=alt.value("#222222"))
    return (bars + text).properties(height=alt.Step(20))


def trend_chart(trend: pd.DataFrame, measures: Mapping[str, str], labels: Labels,
                group_names: Mapping[str, str] | None = None, rounds: Sequence[str] | None = None) -> alt.Chart:
    """Shares per round (from `coordinator.trends.trend`): one line per measure, or per group when grouped."""
    grouped = group_names is not None and trend["group"].nunique() > 1
    long = trend.melt(id_vars=["round", "group", "agencies"], value_vars=list(measures), var_name="measure",
                      value_name="share")
    long["measure_name"] = long["measure"].map(measures)
    long["group_name"] = long["group"].map(lambda g: (group_names or {}).get(g, str(g)))
    x = alt.X("round:O", sort=list(rounds) if rounds else None, title=_label(labels, "round", "Round"),
              axis=alt.Axis(labelAngle=0))
    y = alt.Y("share:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"),
              title=_label(labels, "share", "Share of agencies"))
    colour_title = _label(labels, "group", "Group") if grouped else _label(labels, "measure", "Measure")
    legend = alt.Legend(orient="bottom", columns=4, labelLimit=220)
    if grouped:
        colour = alt.Color("group_name:N", title=colour_title, legend=legend)
    else:
        domain = list(measures.values())
        colour = alt.Color("measure_name:N", title=colour_title, legend=legend,
                           scale=alt.Scale(domain=domain, range=MEASURE_COLOURS[: len(domain)]))
    chart = alt.Chart(long).mark_line(point=True).encode(
        x=x, y=y,
        color=colour,
        strokeDash=(alt.StrokeDash("measure_name:N", title=_label(labels, "measure", "Measure"))
                    if grouped else alt.Undefined),
        tooltip=[alt.Tooltip("round:O", title=_label(labels, "round", "Round")),
                 alt.Tooltip("group_name:N", title=_label(labels, "group", "Group")),
                 alt.Tooltip("measure_name:N", title=_label(labels, "measure", "Measure")),
                 alt.Tooltip("share:Q", format=".1%", title=_label(labels, "share", "Share")),
                 alt.Tooltip("agencies:Q", title=_label(labels, "agencies", "Agencies"))],
    )
    return chart.properties(height=300)


def projection_chart(observed: pd.DataFrame, projection: pd.DataFrame, target_names: Mapping[str, str],
                     labels: Labels) -> alt.LayerChart:
    """Observed share per round year (solid), the projected pace to each target year (dashed) inside
    its range (a band from the slowest to the fastest pace seen between rounds), and each target (a
    diamond at the target year). Targets that cannot be projected (too few rounds) get no line.

    `observed`: columns year (int), key (e.g. "ge_3"), share. `projection`: from `trends.projection`,
    with a `key` column naming the measure each target reads (e.g. "ge_3").
    """
    observed = observed.copy()
    observed["target_name"] = observed["key"].map(target_names)
    rows, band = [], []
    for r in projection.itertuples(index=False):  # one row per target (three), not per agency
        if pd.isna(r.projected_share) or r.last_round is None:
            continue
        start = observed[(observed["key"] == r.key)]["year"].max()
        series = f"{r.key}-{int(r.year)}"  # one line and one band per target (a level may have two years)
        rows += [{"key": r.key, "series": series, "year": int(start), "share": float(r.last_share)},
                 {"key": r.key, "series": series, "year": int(r.year), "share": float(r.projected_share)}]
        if not (pd.isna(r.projected_low) or pd.isna(r.projected_high)):
            band += [{"key": r.key, "series": series, "year": int(start), "low": float(r.last_share),
                      "high": float(r.last_share)},
                     {"key": r.key, "series": series, "year": int(r.year), "low": float(r.projected_low),
                      "high": float(r.projected_high)}]
    projected = pd.DataFrame(rows, columns=["key", "series", "year", "share"])
    projected["target_name"] = projected["key"].map(target_names)
    ranges = pd.DataFrame(band, columns=["key", "series", "year", "low", "high"])
    ranges["target_name"] = ranges["key"].map(target_names)
    targets = projection.assign(year=projection["year"].astype(int), target_name=projection["key"].map(target_names))
    domain = list(dict.fromkeys(target_names.values()))
    colour = alt.Color("target_name:N", scale=alt.Scale(domain=domain, range=MEASURE_COLOURS[: len(domain)]),
                       title=_label(labels, "target", "Target"), legend=alt.Legend(orient="bottom", columns=3))
    years = [*observed["year"].tolist(), *targets["year"].tolist()]
    x_scale = alt.Scale(domain=[min(years) - 0.3, max(years) + 0.3]) if years else alt.Undefined
    x = alt.X("year:Q", title=_label(labels, "year", "Year"), scale=x_scale, axis=alt.Axis(format="d", tickMinStep=1))
    y = alt.Y("share:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"),
              title=_label(labels, "share", "Share of agencies"))
    tooltip = [alt.Tooltip("target_name:N", title=_label(labels, "target", "Target")),
               alt.Tooltip("year:Q", format="d", title=_label(labels, "year", "Year")),
               alt.Tooltip("share:Q", format=".1%", title=_label(labels, "share", "Share"))]
    seen = alt.Chart(observed).mark_line(point=True).encode(x=x, y=y, color=colour, tooltip=tooltip)
    ahead = alt.Chart(projected).mark_line(strokeDash=[6, 4]).encode(x=x, y=y, color=colour, detail="series:N",
                                                                     tooltip=tooltip)
    spread = alt.Chart(ranges).mark_area(opacity=0.18).encode(
        x=x, y=alt.Y("low:Q", scale=alt.Scale(domain=[0, 1])), y2="high:Q", color=colour, detail="series:N",
        tooltip=[alt.Tooltip("target_name:N", title=_label(labels, "target", "Target")),
                 alt.Tooltip("year:Q", format="d", title=_label(labels, "year", "Year")),
                 alt.Tooltip("low:Q", format=".1%", title=_label(labels, "projected_low", "Slowest pace")),
                 alt.Tooltip("high:Q", format=".1%", title=_label(labels, "projected_high", "Fastest pace"))])
    goal = alt.Chart(targets).mark_point(shape="diamond", size=160, filled=True).encode(
        x=x, y=alt.Y("target_share:Q"), color=colour,
        tooltip=[alt.Tooltip("target_name:N", title=_label(labels, "target", "Target")),
                 alt.Tooltip("target_share:Q", format=".0%", title=_label(labels, "target_share", "Target share"))])
    return alt.layer(seen, spread, ahead, goal).properties(height=320)  # lines first: the legend shows lines


def targets_chart(tiles: pd.DataFrame, labels: Labels) -> alt.LayerChart:
    """Share reached against the target share, one bar per population target (the headline)."""
    bars = alt.Chart(tiles).mark_bar(color="#1565c0").encode(
        y=alt.Y("name:N", title=None, sort=tiles["name"].tolist(), axis=alt.Axis(labelLimit=260)),
        x=alt.X("share:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"),
                title=_label(labels, "share", "Share of agencies")),
    )
    text = bars.mark_text(align="left", dx=3, fontSize=10, color="#222222").encode(
        text=alt.Text("share:Q", format=".1%"))
    ticks = alt.Chart(tiles).mark_tick(color="#c62828", thickness=3, size=26).encode(
        y=alt.Y("name:N", sort=tiles["name"].tolist()), x="target_share:Q")
    return alt.layer(bars, text, ticks).properties(height=alt.Step(34))


def province_tile_map(tiles: pd.DataFrame, labels: Labels, share_text: Mapping[str, str],
                      cell: int = 62) -> alt.LayerChart:
    """Vietnam's 34 provinces as a tile grid (north at the top), each coloured by the share of its
    agencies meeting the target (red 0 % to green 100 %; grey when nobody is selected).
    `tiles`: province, short, tile_row, tile_col, share, agencies; `share_text`: province → label."""
    data = tiles.copy()
    data["share_label"] = data["province"].map(share_text).fillna("–")
    data["share"] = data["share"].astype(object).where(data["share"].notna(), None)
    rows, cols = int(data["tile_row"].max()) + 1, int(data["tile_col"].max()) + 1
    base = alt.Chart(data).encode(
        x=alt.X("tile_col:O", axis=None, scale=alt.Scale(domain=list(range(cols)))),
        y=alt.Y("tile_row:O", axis=None, scale=alt.Scale(domain=list(range(rows)))),
        tooltip=[alt.Tooltip("short:N", title=_label(labels, "province", "Province")),
                 alt.Tooltip("share_label:N", title=_label(labels, "share", "Share")),
                 alt.Tooltip("agencies:Q", title=_label(labels, "agencies", "Agencies"))],
    )
    tiles_layer = base.mark_rect(stroke="white", strokeWidth=2, cornerRadius=3).encode(
        color=alt.condition("datum.share === null", alt.value("#d9d9d9"), alt.Color(
            "share:Q", scale=alt.Scale(domain=[0, 0.5, 1], range=["#c0392b", "#f1c40f", "#27ae60"]),
            legend=alt.Legend(title=_label(labels, "share", "Share"), format=".0%", orient="right"))))
    names = base.mark_text(fontSize=9, dy=-7, color="#111").encode(text="short:N")
    shares = base.mark_text(fontSize=10, dy=8, fontWeight="bold", color="#111").encode(text="share_label:N")
    return (tiles_layer + names + shares).properties(width=cols * cell, height=rows * cell * 0.62)
