"""The synthetic national demo under questionnaire 1.0.0 and 2.0.0, side by side, per agency type.

    python benchmarks/compare_versions.py [--rounds 3] [--seed 2629] [--rubric standard]

Both versions are answered by the same agencies with the same underlying maturity (agency base, dimension
offsets, pace: `scoring.synthetic`), so the differences come from the model: questions not asked of a type,
communes answering `provided`, indicators beside the level in 2.x, merged questions. The second table also lets
the wording move the answer (`statement_strictness`: a level 3 that demands every/all right after a level 2 "at
least one" needs half a level more maturity), applied by the same rule to both versions.
Shares are of the last round's agencies whose official (gated) level is >= 3, >= 4 and = 5.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd

from scoring import load_bundle, score
from scoring.synthetic import national_population, synthetic_answers

TYPES = ["ministry", "province", "commune"]


def shares(version: str, rubric: str, rounds: int, seed: int, strict: bool) -> pd.DataFrame:
    bundle = load_bundle("dmm-vn", version, rubric=rubric)
    agencies = national_population(seed=seed)
    result = score(synthetic_answers(agencies, bundle, rounds=rounds, seed=seed, statement_strictness=strict), bundle)
    table = result.agencies
    last = table[table["round"] == table["round"].max()]
    level = last["overall_level"]
    out = pd.DataFrame(
        {
            ">=3": (level >= 3).groupby(last["agency_type"], observed=True).mean(),
            ">=4": (level >= 4).groupby(last["agency_type"], observed=True).mean(),
            "=5": (level == 5).groupby(last["agency_type"], observed=True).mean(),
            "not rated": level.isna().groupby(last["agency_type"], observed=True).mean(),
        }
    ).reindex(TYPES)
    out.loc["all"] = [(level >= 3).mean(), (level >= 4).mean(), (level == 5).mean(), level.isna().mean()]
    out.insert(0, "agencies", [int((last["agency_type"] == t).sum()) for t in TYPES] + [len(last)])
    return out


def show(title: str, old: pd.DataFrame, new: pd.DataFrame) -> None:
    print(title)
    shares_header = f"{'>=4':>6} {'=5':>6}"
    print(f"{'type':<9} {'agencies':>8} | {'1.0.0 >=3':>9} {shares_header} | {'2.0.0 >=3':>9} {shares_header}")
    for row in old.index:
        a, b = old.loc[row], new.loc[row]
        print(
            f"{row:<9} {int(a['agencies']):>8} | {a['>=3']:>9.1%} {a['>=4']:>6.1%} {a['=5']:>6.1%} "
            f"| {b['>=3']:>9.1%} {b['>=4']:>6.1%} {b['=5']:>6.1%}"
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2629)
    parser.add_argument("--rubric", default="standard")
    args = parser.parse_args()
    for strict, title in (
        (False, "Same maturity, each version's structure (applies_to, provided, indicators beside the level):"),
        (True, "Same maturity, and the wording moves the answer (level 3 'every/all' needs half a level more):"),
    ):
        old = shares("1.0.0", args.rubric, args.rounds, args.seed, strict)
        new = shares("2.0.0", args.rubric, args.rounds, args.seed, strict)
        show(title, old, new)


if __name__ == "__main__":
    main()
