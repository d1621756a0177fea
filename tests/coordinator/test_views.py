"""The coordinator's views, checked against numbers worked out by hand on a small country."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coordinator import headline, heatmaps, rankings, selection, target_gaps, traffic_lights, trends
from coordinator.data import Population
from coordinator.selection import Filters
from scoring import Bundle, load_bundle, population_summary, score
from scoring.synthetic import national_population, synthetic_answers
from tests.conftest import MINI
from tests.coordinator.conftest import COUNTRY, population_frame


def tile_shares(pop: Population, filters: Filters) -> dict[tuple[str, int], tuple[int, int]]:
    head = headline.headline(pop, filters)
    return {(t.year, t.min_level): (t.meeting, t.agencies) for t in head.tiles}


def test_headline_counts_by_hand(country: Population) -> None:
    # Levels: m1 4, m2 2, p1 3, c1 3, c2 2, c3 1, c4 5, p2 1, c5 4, c6 2, c7 1.
    head = headline.headline(country, Filters())
    assert head.agencies == 11
    assert tile_shares(country, Filters()) == {("2027", 3): (5, 11), ("2030", 4): (3, 11), ("2030", 5): (1, 11)}
    tile = head.tiles[0]
    assert tile.share == pytest.approx(5 / 11)
    assert tile.gap == pytest.approx(6 / 11)
    assert not tile.met


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(agency_types=("commune",)), {("2027", 3): (3, 7), ("2030", 4): (2, 7), ("2030", 5): (1, 7)}),
        (Filters(agency_types=("ministry", "province")), {("2027", 3): (2, 4), ("2030", 4): (1, 4),
                                                          ("2030", 5): (0, 4)}),
        # A province filter keeps the province's own agency and its communes, never a ministry.
        (Filters(provinces=("p1",)), {("2027", 3): (3, 5), ("2030", 4): (1, 5), ("2030", 5): (1, 5)}),
        (Filters(provinces=("p2",), agency_types=("commune",)), {("2027", 3): (1, 3), ("2030", 4): (1, 3),
                                                                ("2030", 5): (0, 3)}),
        (Filters(versions=("9.9.9",)), {("2027", 3): (0, 0), ("2030", 4): (0, 0), ("2030", 5): (0, 0)}),
    ],
)
def test_filters_change_the_counts(country: Population, filters: Filters, expected: dict) -> None:
    assert tile_shares(country, filters) == expected


def test_tiles_equal_the_cores_population_summary(shipped: Bundle) -> None:
    """On synthetic data with the shipped content: the tiles are population_summary's numbers for
    exactly the filtered agencies, scored independently."""
    agencies = national_population(total=400, seed=7)
    frame = synthetic_answers(agencies, shipped, rounds=2, seed=7)
    pop = Population.from_result(score(frame, shipped))
    province = agencies.loc[agencies["agency_type"] == "commune", "province"].iloc[0]
    for filters in (Filters(), Filters(round="2025"), Filters(agency_types=("commune",)),
                    Filters(provinces=(province,), round="2026")):
        chosen = frame[frame["round"] == (filters.round or "2026")]
        if filters.agency_types:
            chosen = chosen[chosen["agency_type"].isin(filters.agency_types)]
        if filters.provinces:
            own = chosen["agency_id"].isin(filters.provinces) | chosen["province"].isin(filters.provinces)
            chosen = chosen[own]
        summary = population_summary(score(chosen, shipped), by=())
        expected = summary[summary["target"] == "population"]
        head = headline.headline(pop, filters)
        assert head.agencies == chosen["agency_id"].nunique()
        got = {(t.year, t.min_level): (t.meeting, t.agencies, t.share, t.gap) for t in head.tiles}
        want = {(r.year, r.min_level): (r.meeting, r.agencies, r.share, r.share_gap)
                for r in expected.itertuples(index=False)}
        assert got == want


def test_traffic_lights_follow_the_targets_yaml(mini: Bundle, tmp_path: Path) -> None:
    frame = population_frame(COUNTRY)
    # 2027 needs level 3: levels 3-5 GREEN; 2 is one level short (YELLOW with yellow_max_gap 1); 1 RED.
    pop = Population.from_result(score(frame, mini))
    counts = traffic_lights.light_counts(pop, Filters(), "2027", by="all").iloc[0]
    assert (counts["GREEN"], counts["YELLOW"], counts["RED"]) == (5, 3, 3)
    assert traffic_lights.light_rule(pop) == 1
    # The same answers with yellow_max_gap 0 in the YAML: nobody is YELLOW any more.
    strict = tmp_path / "targets.yaml"
    strict.write_text((MINI / "targets.yaml").read_text().replace("yellow_max_gap: 1", "yellow_max_gap: 0"))
    strict_bundle = load_bundle(MINI / "questionnaire.yaml", MINI / "rubric.yaml", strict)
    strict_pop = Population.from_result(score(frame, strict_bundle))
    counts = traffic_lights.light_counts(strict_pop, Filters(), "2027", by="all").iloc[0]
    assert (counts["GREEN"], counts["YELLOW"], counts["RED"]) == (5, 0, 6)
    assert traffic_lights.light_rule(strict_pop) == 0
    # 2030 needs level 4: m1, c4, c5 GREEN; level 3 (p1, c1) YELLOW.
    by_type = traffic_lights.light_counts(pop, Filters(), "2030", by="agency_type").set_index("group")
    assert by_type.loc["commune", ["GREEN", "YELLOW", "RED"]].tolist() == [2, 1, 4]
    assert by_type.loc["province", ["GREEN", "YELLOW", "RED"]].tolist() == [0, 1, 1]


def test_province_rollup_shares(country: Population) -> None:
    rollup = rankings.province_rollup(country, Filters(), "2027").set_index("province")
    # p1: c1 GREEN, c2 YELLOW, c3 RED, c4 GREEN -> 2 of 4; p2: c5 GREEN, c6 YELLOW, c7 RED -> 1 of 3.
    assert rollup.loc["p1", ["communes", "GREEN", "YELLOW", "RED"]].tolist() == [4, 2, 1, 1]
    assert rollup.loc["p1", "share_green"] == pytest.approx(0.5)
    assert rollup.loc["p2", "share_green"] == pytest.approx(1 / 3)
    assert rollup.loc["p1", "province_light"] == "GREEN"  # the province's own agency is at level 3
    assert rollup.loc["p2", "province_light"] == "RED"
    assert rollup.loc["p1", "province_name"] == "Cơ quan p1"
    assert rollup.index.tolist() == ["p2", "p1"]  # lowest share first
    assert rollup.loc["p1", "mean_level"] == pytest.approx((3 + 2 + 1 + 5) / 4)
    # Drill-down into p1: the province and its four communes.
    detail = rankings.ranking(country, Filters(provinces=("p1",)), "2027")
    assert sorted(detail["agency_id"]) == ["c1", "c2", "c3", "c4", "p1"]


def test_ranking_heatmap_distribution_and_shortfall(country: Population) -> None:
    table = rankings.ranking(country, Filters(), "2027")
    # Weakest first (level, then score, then name in Vietnamese order); rank 1 is the strongest.
    assert table["agency_id"].tolist()[:3] == ["c3", "c7", "p2"]  # the level-1 agencies
    assert table["overall_level"].tolist() == sorted(table["overall_level"].tolist())
    assert (table["agency_id"].iloc[-1], table["rank"].iloc[-1]) == ("c4", 1)  # level 5
    assert list(table.columns[-2:]) == ["alpha", "beta"]
    assert table.set_index("agency_id").loc["c2", "light"] == "YELLOW"

    heat = heatmaps.heatmap(country, Filters(), "2027", measure="level", sort="weakest", top_n=3)
    assert (heat.shown, heat.total) == (3, 11)
    assert len(heat.frame) == 3 * 2
    assert heat.frame["value"].iloc[0] == 1.0  # weakest first
    gaps = heatmaps.heatmap(country, Filters(), "2027", measure="gap", sort="largest_gap", top_n=11)
    assert gaps.frame.groupby("agency_id")["value"].max().max() == 2.0  # level 1 lacks two levels

    grouped = heatmaps.group_heatmap(country, Filters(), "2027", by="agency_type").set_index(["group", "dimension_id"])
    assert grouped.loc[("ministry", "alpha"), "value"] == pytest.approx(3.0)
    assert grouped.loc[("commune", "beta"), "agencies"] == 7

    distribution = traffic_lights.level_distribution(country, Filters()).set_index(["agency_type", "level"])
    assert distribution.loc[("commune", "1"), "agencies"] == 2
    assert distribution.loc[("commune", "2"), "share"] == pytest.approx(2 / 7)
    assert distribution.loc[("ministry", traffic_lights.UNRATED), "agencies"] == 0

    shortfall = target_gaps.dimension_shortfall(country, Filters(), "2030").set_index("dimension_id")
    # 2030: alpha needs 4 (8 agencies below), beta needs 3 (6 below).
    assert shortfall.loc["alpha", ["required", "below"]].tolist() == [4, 8]
    assert shortfall.loc["beta", ["required", "below"]].tolist() == [3, 6]
    assert shortfall.index[0] == "alpha"  # most agencies short first


def test_indicator_status(country: Population) -> None:
    status = target_gaps.indicator_status(country, Filters(), "2027").set_index("indicator_id")
    # Target 50 %: levels 3-5 answered 60, 85, 97 -> m1, p1, c1, c4, c5.
    assert status.loc["pct", ["target", "agencies", "reported", "meeting"]].tolist() == [50, 11, 11, 5]


def two_rounds(mini: Bundle) -> Population:
    before = [("a", "ministry", None, 4), ("b", "ministry", None, 3), ("c", "ministry", None, 2),
              ("d", "ministry", None, 2), ("e", "ministry", None, 1)]
    after = [("a", "ministry", None, 5), ("b", "ministry", None, 4), ("c", "ministry", None, 3),
             ("d", "ministry", None, 2), ("e", "ministry", None, 2)]
    frame = pd.concat([population_frame(before, "2025"), population_frame(after, "2026")], ignore_index=True)
    return Population.from_result(score(frame, mini))


def test_two_rounds_are_too_few_to_project(mini: Bundle) -> None:
    pop = two_rounds(mini)  # >=3: 40 % -> 60 %: a line, but no range: nothing is projected
    projection = trends.projection(pop, Filters()).set_index("key")
    ge3 = projection.loc["ge_3"]
    assert ge3["status"] == "no_trend" and pd.isna(ge3["projected_share"]) and pd.isna(ge3["reach_year"])
    assert ge3["last_share"] == pytest.approx(0.6)
    assert (ge3["first_round"], ge3["last_round"], ge3["rounds"]) == ("2025", "2026", 2)
    observed = trends.observed_shares(pop, Filters())
    assert observed[(observed["key"] == "ge_3")]["share"].tolist() == pytest.approx([0.4, 0.6])


def test_projection_range_by_hand() -> None:
    # Shares 20 %, 30 %, 60 % in 2025-2027, target 100 % in 2030. Least-squares pace: +20 points a
    # year; the slowest pace seen +10 (2025-26), the fastest +30 (2026-27).
    got = trends._project(np.array([2025.0, 2026.0, 2027.0]), np.array([0.2, 0.3, 0.6]), 2030, 1.0)
    assert got["gain_per_year"] == pytest.approx(0.2)
    assert (got["gain_low"], got["gain_high"]) == (pytest.approx(0.1), pytest.approx(0.3))
    assert got["projected_share"] == pytest.approx(1.0)  # 60 % + 3 × 20 = 120 %, clipped
    assert got["projected_low"] == pytest.approx(0.9)  # 60 % + 3 × 10
    assert got["status"] == "on_track"
    # 40 points to go: 2 years at +20 (2029), 2 at +30 (1.33 rounded up: 2029), 4 at +10 (2031).
    assert (got["reach_year"], got["reach_year_early"], got["reach_year_late"]) == (2029, 2029, 2031)


def test_projection_needs_two_years_and_says_when_met(mini: Bundle) -> None:
    one = Population.from_result(score(population_frame([("a", "ministry", None, 2)], "2026"), mini))
    projection = trends.projection(one, Filters()).set_index("key")
    assert projection.loc["ge_3", "status"] == "no_trend"
    met = Population.from_result(score(population_frame([("a", "ministry", None, 5)], "2026"), mini))
    projection = trends.projection(met, Filters()).set_index("key")
    assert (projection.loc["ge_3", "status"], projection.loc["ge_3", "reach_year"]) == ("met", 2026)
    assert trends.round_year("2026-2") == 2026
    assert trends.round_year("đợt 1") is None


def test_trends_and_changes(mini: Bundle) -> None:
    pop = two_rounds(mini)
    trend = trends.trend(pop, Filters(), by="all")
    assert trend["round"].tolist() == ["2025", "2026"]
    assert trend["mean_level"].tolist() == pytest.approx([12 / 5, 16 / 5])
    changes = trends.agency_changes(pop, Filters(), "2025", "2026").set_index("agency_id")
    assert changes.loc["c", ["level_from", "level_to", "level_change"]].tolist() == [2, 3, 1]
    assert changes.loc["d", "level_change"] == 0
    history = trends.agency_history(pop, "a", "2027")
    assert history["overall_level"].tolist() == [4, 5]
    assert history["light"].tolist() == ["GREEN", "GREEN"]


def test_selection_is_one_vectorised_mask(country: Population) -> None:
    mask = selection.selection(country, Filters(agency_types=("commune",), provinces=("p1",)))
    assert isinstance(mask, np.ndarray) and mask.dtype == bool
    assert country.agencies.loc[mask, "agency_id"].tolist() == ["c1", "c2", "c3", "c4"]
    options = selection.filter_options(country)
    assert options["agency_type"] == ["ministry", "province", "commune"]
    assert options["round"] == ["2026"]
    assert set(options["province"]) == {"p1", "p2"}


@pytest.mark.parametrize("seed", range(8))
def test_count_table_counts_as_crosstab_does(seed: int) -> None:
    """The views count lights and levels with `count_table` (numpy) instead of `pd.crosstab`: the same
    table, missing values left out, a value outside the labels counted nowhere."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    rows = pd.Series(rng.choice(["commune", "province", "ministry"], n), name="group", dtype=object)
    columns = pd.Series(rng.choice([*traffic_lights.LIGHTS, "other"], n), name="light", dtype=object)
    columns.iloc[0], rows.iloc[-1] = None, None
    expected = pd.crosstab(rows, columns).reindex(columns=list(traffic_lights.LIGHTS), fill_value=0).astype(int)
    got = traffic_lights.count_table(rows, columns, traffic_lights.LIGHTS)
    pd.testing.assert_frame_equal(got, expected, check_index_type=False, check_column_type=False)


def test_a_province_whose_own_agency_has_not_answered_is_named_from_the_register(mini: Bundle) -> None:
    """Communes of Tuyên Quang answered, the province's own agency did not: the views name the province
    as the register does, not by its id; a province agency in the data keeps the name it answered with;
    an id the register does not know stays the id."""
    frame = population_frame([("c1", "commune", "tinh_tuyen_quang", 3), ("p1", "province", None, 2),
                              ("c2", "commune", "p1", 2), ("c3", "commune", "somewhere_else", 1)])
    pop = Population.from_result(score(frame, mini))
    assert pop.province_names == {"tinh_tuyen_quang": "UBND Tỉnh Tuyên Quang", "p1": "Cơ quan p1",
                                  "somewhere_else": "somewhere_else"}
    table = rankings.ranking(pop, Filters(), mini.years[0])
    assert table.set_index("agency_id").loc["c1", "province_name"] == "UBND Tỉnh Tuyên Quang"
