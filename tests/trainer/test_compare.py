"""Two samples side by side: the numbers are the engine's, in both readings."""

from __future__ import annotations

import pytest

from trainer.compare import OVERALL, chart_frame, compare_dimensions, compare_targets
from trainer.samples import load_samples


def test_side_by_side(shipped):
    samples = load_samples(shipped)
    if samples.result is None or len(samples.keys) < 2:
        pytest.skip("needs two sample responses")
    a, b = samples.result_of(samples.keys[0]), samples.result_of(samples.keys[-1])
    table = compare_dimensions(a, b, shipped.dimension_ids).set_index("item")
    assert list(table.index) == [OVERALL, *shipped.dimension_ids]
    for dimension_id in shipped.dimension_ids:
        row = table.loc[dimension_id]
        assert row["gated_a"] == a.dimensions[dimension_id].gated_level
        assert row["continuous_b"] == b.dimensions[dimension_id].continuous_level
        assert row["score_delta"] == pytest.approx(b.dimensions[dimension_id].score - a.dimensions[dimension_id].score,
                                                   abs=1e-3)
    assert table.loc[OVERALL, "score_a"] == pytest.approx(a.overall_score)
    targets = compare_targets(a, b)
    assert list(targets["year"]) == shipped.years
    assert list(targets["met_a"]) == [a.targets[y].met for y in shipped.years]
    chart = chart_frame(a, b, ("A", "B"), shipped.dimension_ids)
    assert len(chart) == 2 * len(shipped.dimension_ids)
    assert set(chart["agency"]) == {"A", "B"}
