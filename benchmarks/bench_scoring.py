"""Scoring speed: the vectorised engine against a naive per-answer Python loop, side by side.

    python benchmarks/bench_scoring.py [--large 100000]

Targets on a 2-core machine like CI: >= 1,000,000 answers/s, >= 20x the naive loop, the national
population (about 3,400 agencies) in under 0.5 s. Figures are printed, not asserted: machines are
noisy, so compare the ratio measured in the same run.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.naive_scorer import naive_score
from scoring import load_bundle, score
from scoring.synthetic import national_population, synthetic_answers


def best_of(repeats: int, action) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=int, default=100_000, help="agencies in the large population")
    parser.add_argument("--rubric", default="standard")
    args = parser.parse_args()
    bundle = load_bundle(rubric=args.rubric)

    national = synthetic_answers(national_population(), bundle, rounds=1)
    large = synthetic_answers(national_population(total=args.large, seed=7), bundle, rounds=1, seed=7)
    rows = list(
        zip(*(national[c].astype(object) for c in ("agency_id", "round", "question_id", "answer")), strict=True)
    )

    national_text = national.astype({c: object for c in national.columns})  # as read from a CSV or database
    t_national = best_of(5, lambda: score(national, bundle))
    t_national_text = best_of(3, lambda: score(national_text, bundle))
    t_large = best_of(2, lambda: score(large, bundle))
    t_naive = best_of(2, lambda: naive_score(rows, bundle))

    # The two implementations must agree, or the ratio means nothing.
    vector = score(national, bundle).agencies.set_index(["agency_id", "round"])
    naive = naive_score(rows, bundle)
    disagree = sum(
        abs(vector.loc[key, "overall_score"] - value["overall_score"]) > 1e-9
        or (value["overall_gated"] or 0)
        != (
            0
            if vector.loc[key, "overall_gated_level"] != vector.loc[key, "overall_gated_level"]
            else vector.loc[key, "overall_gated_level"]
        )
        for key, value in naive.items()
    )

    n_nat, n_large = len(national), len(large)
    agencies_nat = national["agency_id"].nunique()
    print(f"rubric: {args.rubric}; questions per agency: {len(bundle.question_table)}")
    print(f"national population: {agencies_nat} agencies, {n_nat:,} answers")
    print(
        f"  vectorised engine : {t_national * 1000:8.1f} ms  {n_nat / t_national:>12,.0f} answers/s   (target < 500 ms)"
    )
    print(
        f"  same, string cols : {t_national_text * 1000:8.1f} ms  {n_nat / t_national_text:>12,.0f} answers/s   "
        f"({t_naive / t_national_text:.1f} x the naive loop)"
    )
    print(f"  naive Python loop : {t_naive * 1000:8.1f} ms  {n_nat / t_naive:>12,.0f} answers/s")
    print(f"  ratio             : {t_naive / t_national:8.1f} x faster than the naive loop (target >= 20 x)")
    print(f"  implementations agree on {len(naive) - disagree} of {len(naive)} agencies")
    print(f"large population: {args.large:,} agencies, {n_large:,} answers")
    print(f"  vectorised engine : {t_large:8.2f} s   {n_large / t_large:>12,.0f} answers/s   (target >= 1,000,000)")


if __name__ == "__main__":
    main()
