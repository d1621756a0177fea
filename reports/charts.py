"""Altair charts of one agency's result, shared by the results page and the PDF (pure Altair).

Altair has no polar chart: the radar computes x/y with cos/sin, repeats the first point to close
each polygon, and draws the level rings (1-5), the spokes, the 2027 and 2030 target rings and
the dimension labels as ordinary layers.
"""

from __future__ import annotations

import math
import textwrap

import altair as alt
import pandas as pd

from reports.tables import LIGHT_COLOURS, LIGHT_GREEN, LIGHT_RED, LIGHT_UNRATED, LIGHT_YELLOW, dimension_light, label
from scoring.content import Bundle
from scoring.results import AgencyResult

MAX_LEVEL = 5
RADAR_SIZE = 420  # height in pixels; the width adds room for the labels
RADAR_Y = 6.6  # data units shown above and below the centre (labels sit at 5.45)
RADAR_X = 8.4
AGENCY_COLOUR = "#1f5fa8"
TARGET_COLOURS = ("#ef6c00", "#6a1b9a", "#00838f")


def _targets(bundle: Bundle) -> list[tuple[str, int]]:
    """(year, agency minimum level) of each target year: 2027 -> 3, 2030 -> 4."""
    return [(year, bundle.targets.years[year].agency_min_level) for year in bundle.years]


def _short(name: str, width: int = 24, lines: int = 4) -> list[str]:
    wrapped = textwrap.wrap(name, width=width) or [name]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], wrapped[lines - 1] + "…"]
    return wrapped


def dimension_bar(result: AgencyResult, bundle: Bundle, lang: str) -> alt.LayerChart:
    """Horizontal bars of each dimension's official level (1-5), coloured and labelled by its status
    against the first target year, with the target levels as dashed lines."""
    years = bundle.years
    first_year = years[0] if years else ""
    status_names = {k: label(f"light_{k}", lang) for k in (LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED, LIGHT_UNRATED)}
    rows = []
    for index, dimension in enumerate(bundle.questionnaire.dimensions, start=1):
        d = result.dimensions[dimension.id]
        light = dimension_light(result, bundle, dimension.id, first_year) if first_year else LIGHT_UNRATED
        rows.append({
            "order": index,
            "dimension": f"{index}. {dimension.name.get(lang)}",
            "level": d.level or 0,
            "score": d.score,
            "label": str(d.level) if d.level is not None else label("not_rated", lang),
            "status": status_names[light],
        })
    data = pd.DataFrame(rows)
    status_title = label("status_year", lang, year=first_year)
    domain = [status_names[k] for k in (LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED, LIGHT_UNRATED)]
    colours = [LIGHT_COLOURS[k] for k in (LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED, LIGHT_UNRATED)]
    y = alt.Y("dimension:N", sort=list(data["dimension"]), title=None, scale=alt.Scale(paddingInner=0.25),
              axis=alt.Axis(labelLimit=330, labelFontSize=11))
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("level:Q", scale=alt.Scale(domain=[0, MAX_LEVEL]), title=label("level", lang),
                axis=alt.Axis(values=list(range(0, MAX_LEVEL + 1)), format="d", tickMinStep=1)),
        y=y,
        color=alt.Color("status:N", scale=alt.Scale(domain=domain, range=colours), title=status_title,
                        legend=alt.Legend(orient="bottom", direction="horizontal", columns=2)),
        tooltip=[alt.Tooltip("dimension:N", title=label("dimension", lang)),
                 alt.Tooltip("label:N", title=label("level", lang)),
                 alt.Tooltip("score:Q", title=label("score", lang), format=".2f"),
                 alt.Tooltip("status:N", title=status_title)],
    )
    text = alt.Chart(data).mark_text(align="left", dx=4, fontSize=11).encode(
        x=alt.X("level:Q"), y=y, text="label:N",
    )
    layers: list[alt.Chart] = [bars, text]
    targets = _targets(bundle)
    if targets:
        target_rows = pd.DataFrame([
            {"level": level, "name": label("target_ring", lang, year=year, level=level), "year": year,
             "colour": TARGET_COLOURS[i % len(TARGET_COLOURS)]}
            for i, (year, level) in enumerate(targets)
        ])
        layers.append(alt.Chart(target_rows).mark_rule(strokeDash=[5, 4], strokeWidth=1.5).encode(
            x="level:Q", color=alt.Color("colour:N", scale=None), tooltip=alt.Tooltip("name:N", title=None),
        ))
        # Each target line is named where it starts, so no second legend is needed.
        layers.append(alt.Chart(target_rows).mark_text(align="left", baseline="bottom", dx=3, dy=-2, fontSize=10,
                                                       fontWeight="bold").encode(
            x="level:Q", y=alt.value(0), text="year:N", color=alt.Color("colour:N", scale=None),
        ))
    height = 30 * len(rows) + 40
    return alt.layer(*layers).properties(width=420, height=height).resolve_scale(color="independent")


def _polygon(values: list[float], series: str, n: int) -> list[dict[str, object]]:
    points = []
    for i in range(n + 1):  # the first point again, to close the polygon
        k = i % n
        angle = math.pi / 2 - 2 * math.pi * k / n
        r = values[k]
        points.append({"series": series, "order": i, "x": r * math.cos(angle), "y": r * math.sin(angle)})
    return points


def dimension_radar(result: AgencyResult, bundle: Bundle, lang: str) -> alt.LayerChart:
    """A radar of the dimensions' official levels on the 1-5 scale, with level rings, spokes and
    the target rings of each year (2027: level 3, 2030: level 4). Unrated dimensions sit at 0."""
    dimensions = bundle.questionnaire.dimensions
    n = len(dimensions)
    levels = [float(result.dimensions[d.id].level or 0) for d in dimensions]

    grid = []
    for ring in range(1, MAX_LEVEL + 1):
        grid += [{**p, "ring": ring} for p in _polygon([float(ring)] * n, f"ring{ring}", n)]
    grid_chart = alt.Chart(pd.DataFrame(grid)).mark_line(color="#d0d0d0", strokeWidth=0.8).encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-RADAR_X, RADAR_X])),
        y=alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-RADAR_Y, RADAR_Y])),
        detail="series:N", order="order:Q",
    )
    spokes = []
    for k in range(n):
        angle = math.pi / 2 - 2 * math.pi * k / n
        spokes += [{"spoke": k, "order": 0, "x": 0.0, "y": 0.0},
                   {"spoke": k, "order": 1, "x": MAX_LEVEL * math.cos(angle), "y": MAX_LEVEL * math.sin(angle)}]
    spoke_chart = alt.Chart(pd.DataFrame(spokes)).mark_line(color="#d0d0d0", strokeWidth=0.8).encode(
        x="x:Q", y="y:Q", detail="spoke:N", order="order:Q",
    )
    ring_labels = pd.DataFrame([{"x": 0.12, "y": float(r), "text": str(r)} for r in range(1, MAX_LEVEL + 1)])
    ring_label_chart = alt.Chart(ring_labels).mark_text(align="left", baseline="bottom", dx=2, fontSize=9,
                                                         color="#777").encode(x="x:Q", y="y:Q", text="text:N")

    series_rows = []
    names = []
    for year, level in _targets(bundle):
        name = label("target_ring", lang, year=year, level=level)
        names.append(name)
        series_rows += _polygon([float(level)] * n, name, n)
    agency_name = label("agency_series", lang)
    agency_points = _polygon(levels, agency_name, n)
    series_rows += agency_points
    domain = [*names, agency_name]
    colours = [*TARGET_COLOURS[: len(names)], AGENCY_COLOUR]
    dashes = [[6, 4]] * len(names) + [[1, 0]]
    series_chart = alt.Chart(pd.DataFrame(series_rows)).mark_line(strokeWidth=2).encode(
        x="x:Q", y="y:Q", order="order:Q",
        color=alt.Color("series:N", scale=alt.Scale(domain=domain, range=colours), title=None,
                        legend=alt.Legend(orient="bottom", columns=1)),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=domain, range=dashes), legend=None),
    )
    fill = alt.Chart(pd.DataFrame(agency_points)).mark_line(
        interpolate="linear-closed", fill=AGENCY_COLOUR, fillOpacity=0.18, stroke=None,
    ).encode(x="x:Q", y="y:Q", order="order:Q")
    point_rows = []
    for k, dimension in enumerate(dimensions):
        angle = math.pi / 2 - 2 * math.pi * k / n
        d = result.dimensions[dimension.id]
        point_rows.append({
            "x": levels[k] * math.cos(angle), "y": levels[k] * math.sin(angle),
            "dimension": f"{k + 1}. {dimension.name.get(lang)}",
            "level": str(d.level) if d.level is not None else label("not_rated", lang),
            "score": d.score,
        })
    points = alt.Chart(pd.DataFrame(point_rows)).mark_circle(size=45, color=AGENCY_COLOUR, opacity=1).encode(
        x="x:Q", y="y:Q",
        tooltip=[alt.Tooltip("dimension:N", title=label("dimension", lang)),
                 alt.Tooltip("level:N", title=label("level", lang)),
                 alt.Tooltip("score:Q", title=label("score", lang), format=".2f")],
    )
    label_rows = []
    for k, dimension in enumerate(dimensions):
        angle = math.pi / 2 - 2 * math.pi * k / n
        cos, sin = math.cos(angle), math.sin(angle)
        align = "center" if abs(cos) < 0.2 else ("left" if cos > 0 else "right")
        label_rows.append({
            "x": 5.45 * cos, "y": 5.45 * sin + (0.35 if sin > 0.9 else 0),
            "text": "\n".join(_short(f"{k + 1}. {dimension.name.get(lang)}", width=20 if abs(cos) >= 0.2 else 30)),
            "align": align,
            "baseline": "bottom" if sin > 0.9 else ("top" if sin < -0.9 else "middle"),
        })
    labels = pd.DataFrame(label_rows)
    label_layers = []
    for align in ("left", "center", "right"):
        for baseline in ("top", "middle", "bottom"):
            part = labels[(labels["align"] == align) & (labels["baseline"] == baseline)]
            if part.empty:
                continue
            label_layers.append(
                alt.Chart(part).mark_text(align=align, baseline=baseline, fontSize=10, lineHeight=12, lineBreak="\n",
                                          color="#333").encode(x="x:Q", y="y:Q", text="text:N")
            )
    chart = alt.layer(grid_chart, spoke_chart, ring_label_chart, fill, series_chart, points, *label_layers)
    width = round(RADAR_SIZE * RADAR_X / RADAR_Y)  # the same scale on both axes: a regular polygon
    return chart.properties(width=width, height=RADAR_SIZE).configure_view(stroke=None)
