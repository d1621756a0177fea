"""What the coordinator takes away: the filtered table as Excel and CSV, chart images and the
national PDF, in correct Vietnamese."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from coordinator import headline, heatmaps, rankings, traffic_lights, trends
from coordinator.data import Population
from coordinator.selection import Filters
from reports import population_charts as charts
from reports.base import chart_png, chart_svg
from scoring import Bundle, numbers, score
from scoring.synthetic import national_population, synthetic_answers
from tests.conftest import require_tool
from ui.coordinator_view import chart_labels, csv_bytes, excel_bytes, light_names, national_report, pdf_bytes, tr_for


@pytest.fixture(scope="module")
def nation(shipped: Bundle) -> Population:
    agencies = national_population(total=200, seed=11)
    return Population.from_result(score(synthetic_answers(agencies, shipped, rounds=3, seed=11), shipped))


def test_excel_holds_the_filtered_rows(nation: Population) -> None:
    filters = Filters(agency_types=("commune",))
    expected = rankings.ranking(nation, filters, "2027")
    book = load_workbook(io.BytesIO(excel_bytes(nation, filters, "2027", "vi")))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Hạng", "Mã cơ quan", "Cơ quan", "Loại")
    assert len(rows) - 1 == len(expected) == 136
    assert [r[1] for r in rows[1:]] == expected["agency_id"].tolist()
    assert {r[3] for r in rows[1:]} == {"Xã, phường"}
    lights = {r[rows[0].index("Đèn")] for r in rows[1:]}
    assert lights <= {"XANH", "VÀNG", "ĐỎ"}
    assert sheet.freeze_panes == "A2"
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["Bộ lọc"] == "Xã, phường"


def test_csv_has_a_bom_and_english_headers(nation: Population) -> None:
    raw = csv_bytes(nation, Filters(), "2030", "en")
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["Rank", "Agency id", "Agency"]
    assert raw.decode("utf-8-sig").count("\n") == len(rankings.ranking(nation, Filters(), "2030")) + 1


def test_charts_render_as_png_and_svg(nation: Population) -> None:
    tr = tr_for("vi")
    labels = chart_labels(tr)
    dims = {d.id: d.name.vi for d in nation.bundle.questionnaire.dimensions}
    heat = heatmaps.heatmap(nation, Filters(), "2027", top_n=15)
    chart = charts.heatmap_chart(heat.frame, dims, labels)
    png = chart_png(chart.to_dict())
    assert png.startswith(b"\x89PNG")
    svg = chart_svg(charts.province_chart(rankings.province_rollup(nation, Filters(), "2027"), labels).to_dict())
    assert "<svg" in svg and "Tỉ lệ xã, phường XANH" in svg
    lights = traffic_lights.light_counts(nation, Filters(), "2027")
    assert chart_png(charts.lights_chart(lights, {}, light_names(tr), labels).to_dict()).startswith(b"\x89PNG")


def test_national_pdf_is_vietnamese(nation: Population, tmp_path: Path) -> None:
    report = national_report(nation, Filters(), "2027", "vi")
    assert [round(x, 6) for x in report.tiles["share"]] == [
        round(t.share, 6) for t in headline.headline(nation, Filters()).tiles]
    raw = pdf_bytes(lambda: nation, Filters(), "2027", "vi")
    assert raw.startswith(b"%PDF")
    require_tool("pdftotext", "poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(raw)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout
    for phrase in ("Báo cáo tổng hợp quốc gia", "Đèn tín hiệu theo loại cơ quan", "Tổng hợp theo tỉnh",
                   "Dự báo khả năng đạt mục tiêu", "Chậm tiến độ", "Xã, phường"):
        assert phrase in text, phrase
    english = pdf_bytes(lambda: nation, Filters(agency_types=("ministry",)), "2030", "en")
    path.write_bytes(english)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert "National summary of data-management maturity" in text


@pytest.mark.parametrize(("lang", "shown", "not_shown"), [("vi", "9,9 %", "9.9%"), ("en", "9.9%", "9,9 %")])
def test_chart_numbers_follow_the_language(lang: str, shown: str, not_shown: str) -> None:
    """Axes and labels of a chart in the page's one number format (scoring.numbers.chart_locale)."""
    tiles = pd.DataFrame({"name": ["Mức 3 trở lên"], "share": [0.099], "target_share": [1.0]})
    chart = charts.localised(charts.targets_chart(tiles, {}), lang)
    spec = chart.to_dict()
    assert spec["config"]["locale"] == numbers.chart_locale(lang)
    svg = chart_svg(spec)
    assert shown in svg.replace("\u00a0", " ") and not_shown not in svg.replace("\u00a0", " ")
    axis = "50 %" if lang == "vi" else "50%"  # a tick label of the percent axis
    assert f">{axis}<" in svg.replace("\u00a0", " ")
    # An already configured chart keeps its configuration.
    kept = charts.localised(charts.targets_chart(tiles, {}).configure(background="#fafafa"), lang).to_dict()
    assert kept["config"]["background"] == "#fafafa" and kept["config"]["locale"]["number"]["percent"] in ("%", " %")


def test_projection_chart_draws_the_range_and_nothing_without_a_trend(nation: Population) -> None:
    labels = chart_labels(tr_for("en"))
    projection = trends.projection(nation, Filters())
    observed = trends.observed_shares(nation, Filters())
    names = {k: k for k in projection["key"]}
    layers = charts.projection_chart(observed, projection, names, labels).to_dict()["layer"]
    band = next(layer for layer in layers if layer["mark"]["type"] == "area")
    data = charts.projection_chart(observed, projection, names, labels).layer[1].data  # the band
    projected = projection.dropna(subset=["projected_low"])
    assert len(projected) and len(data) == 2 * len(projected)
    ends = data.groupby("series").tail(1).set_index("series")  # each band's far end, at the target year
    for r in projected.itertuples(index=False):  # the band ends at the slowest and the fastest pace
        end = ends.loc[f"{r.key}-{int(r.year)}"]
        assert end["year"] == int(r.year)
        assert end["low"] == pytest.approx(r.projected_low) and end["high"] == pytest.approx(r.projected_high)
        assert end["low"] <= r.projected_share + 1e-9 and r.projected_share <= end["high"] + 1e-9
    assert band["encoding"]["y2"]["field"] == "high"
    # Too few rounds: no trend, so no band and no projected line, only the observed points.
    flat = projection.assign(status="no_trend", projected_share=float("nan"), projected_low=float("nan"),
                             projected_high=float("nan"))
    chart = charts.projection_chart(observed[observed["round"] == observed["round"].max()], flat, names, labels)
    assert chart.layer[1].data.empty and chart.layer[2].data.empty  # no band, no dashed line


def test_national_pdf_numbers_follow_the_language(nation: Population, tmp_path: Path) -> None:
    require_tool("pdftotext", "poppler-utils")
    report = national_report(nation, Filters(), "2027", "vi")
    share = report.tiles["share"].iloc[0]
    for lang in ("vi", "en"):
        path = tmp_path / f"{lang}.pdf"
        path.write_bytes(pdf_bytes(lambda: nation, Filters(), "2027", lang))
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                              text=True).stdout.replace("\u00a0", " ")
        assert numbers.fmt_pct(share, lang) in text
        other = numbers.fmt_pct(share, "en" if lang == "vi" else "vi")
        assert other not in text
