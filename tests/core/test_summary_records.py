"""`scoring score --format json` prints `summary_records`, built from the result's arrays at once:
each record equals the one built from that agency's full result (samples with N/A, don't-know and
unrated dimensions, and a synthetic population)."""

from __future__ import annotations

from pathlib import Path

from scoring import Bundle, score
from scoring.cli import load_paths
from scoring.results import all_agency_results, summary_records, summary_row
from scoring.synthetic import national_population, synthetic_answers

SAMPLES = Path(__file__).resolve().parents[2] / "sample_responses" / "v1"  # the 1.0.0 samples
SAMPLES_2 = SAMPLES.parent  # the 2.0.0 samples (provided answers, questions not asked of a type)


def test_records_equal_the_per_agency_results(shipped: Bundle) -> None:
    loaded = load_paths([str(SAMPLES)], shipped)
    synthetic = synthetic_answers(national_population(total=120, seed=11), shipped, rounds=2, seed=11)
    for frame in (loaded.frame, synthetic):
        result = score(frame, shipped)
        records = summary_records(result)
        assert len(records) == len(result.agencies) > 0
        assert records == [summary_row(r) for r in all_agency_results(result)]
    unrated = [r for r in summary_records(score(loaded.frame, shipped)) if r["overall_level"] is None]
    assert unrated or any(d["level"] is None for r in summary_records(score(loaded.frame, shipped))
                          for d in r["dimensions"].values())


def test_records_equal_the_per_agency_results_on_2_0_0() -> None:
    from scoring import load_bundle

    bundle = load_bundle("dmm-vn", "2.0.0")
    result = score(load_paths([str(SAMPLES_2)], bundle).frame, bundle)
    records = summary_records(result)
    assert len(records) == len(result.agencies) > 0
    assert records == [summary_row(r) for r in all_agency_results(result)]
