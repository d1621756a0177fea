"""The synthetic demo answers each version as it is asked: no row for a question not asked of the agency's type,
`provided` only from communes on providable questions, the same agencies and maturity for every version."""

from __future__ import annotations

from pathlib import Path

from scoring import score
from scoring.bulk_csv import parse_bulk_csv
from scoring.content import load_bundle
from scoring.synthetic import national_population, synthetic_answers


def test_synthetic_answers_respect_applies_to_and_provided(fixture_registry: Path):
    bundle = load_bundle("mini", "2.0.0")
    agencies = national_population(total=120, seed=4)
    frame = synthetic_answers(agencies, bundle, rounds=1, seed=4)
    asked = {(q.id, t) for q in bundle.questionnaire.questions for t in q.agency_types}
    pairs = set(zip(frame["question_id"].astype(str), frame["agency_type"].astype(str), strict=True))
    assert pairs <= asked and ("beta.ministry_only", "ministry") in pairs
    provided = frame[frame["answer"].astype(str) == "provided"]
    assert len(provided) > 0
    assert set(provided["question_id"].astype(str)) == {"alpha.platform"}
    assert set(provided["agency_type"].astype(str)) == {"commune"}
    csv = frame.astype(object).where(frame.notna(), "").to_csv(index=False).encode()
    _, problems = parse_bulk_csv(csv, "demo.csv", bundle)
    assert problems == []  # the demo is valid input on its own version
    assert score(frame, bundle).answers["status"].isin(["scored", "na", "dont_know"]).all()


def test_same_agencies_same_maturity_for_both_versions(fixture_registry: Path):
    agencies = national_population(total=80, seed=9)
    old = synthetic_answers(agencies, load_bundle("mini", "1.0.0"), rounds=1, seed=9)
    new = synthetic_answers(agencies, load_bundle("mini", "2.0.0"), rounds=1, seed=9)

    # the same underlying maturity: each agency's mean level answer moves together across versions
    def mean_level(frame):
        numbers = frame["answer"].astype(str).map({str(n): n for n in range(1, 6)})
        levels = frame.assign(level=numbers)[
            frame["question_id"].astype(str).isin(["alpha.one", "beta.one", "beta.mean"])
        ]
        return levels.groupby(levels["agency_id"].astype(str))["level"].mean()

    a, b = mean_level(old), mean_level(new)
    assert a.corr(b.reindex(a.index)) > 0.8
