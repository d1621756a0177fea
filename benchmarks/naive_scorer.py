"""A deliberately plain per-answer Python scorer: the benchmark's baseline and the tests' oracle.

Written from the rubric's definitions without numpy, so that it shares no code with the engine it
checks. It computes dimension scores and levels (both readings) and the overall score and levels.
"""

from __future__ import annotations

import math
from collections import defaultdict

from scoring.content import Bundle


def naive_score(rows: list[tuple[str, str, str, str]], bundle: Bundle) -> dict[tuple[str, str], dict]:
    """rows: (agency_id, round, question_id, answer). Returns {(agency, round): result dict}."""
    rubric = bundle.rubric
    questions = {q.id: q for q in bundle.questionnaire.questions}
    per_dim_total = {d.id: len(d.questions) for d in bundle.questionnaire.dimensions}
    groups: dict[tuple[str, str], dict[str, dict]] = defaultdict(
        lambda: {d: {"w": 0.0, "wp": 0.0, "answered": 0, "na": 0, "dk": 0, "levels": []} for d in per_dim_total}
    )
    for agency, round_, question_id, answer in rows:
        question = questions[question_id]
        cell = groups[(agency, round_)][question.dimension_id]
        if answer == "na":
            cell["na"] += 1
            continue
        if answer == "dont_know":
            cell["dk"] += 1
            continue
        value = float(answer)
        if question.kind == "level":
            level = int(value)
        else:
            bands = rubric.numeric_bands_by_question.get(question_id, rubric.numeric_bands)
            level = max((b for b in bands if value >= b.min), key=lambda b: b.min).level
        weight = rubric.question_weights.get(question_id, 1.0)
        cell["w"] += weight
        cell["wp"] += weight * rubric.option_points[level]
        cell["answered"] += 1
        cell["levels"].append((level, weight))

    def continuous(score: float) -> int:
        return 1 + sum(score + 1e-9 >= rubric.continuous_level_thresholds[n] for n in (2, 3, 4, 5))

    results = {}
    for key, dims in groups.items():
        out: dict[str, dict] = {}
        for dim_id, cell in dims.items():
            applicable = per_dim_total[dim_id] - cell["na"]
            rated = cell["answered"] > 0 and cell["answered"] / applicable + 1e-9 >= rubric.coverage.min_answered_share
            if not rated:
                out[dim_id] = {"score": math.nan, "gated": None, "continuous": None}
                continue
            score = cell["wp"] / cell["w"]
            gated = 1
            for n in (2, 3, 4, 5):
                rule = rubric.gate_rules[n]
                share = sum(w for lv, w in cell["levels"] if lv >= n) / cell["w"]
                lowest = min(lv for lv, _ in cell["levels"])
                if share + 1e-9 >= rule.min_share and lowest >= n - rule.max_shortfall:
                    gated = n
                else:
                    break
            out[dim_id] = {"score": score, "gated": gated, "continuous": continuous(score)}
        rated_dims = [d for d in out if out[d]["gated"] is not None]
        weights = {d: rubric.dimension_weights.get(d, 1.0) for d in rated_dims}
        overall = (
            sum(out[d]["score"] * weights[d] for d in rated_dims) / sum(weights.values()) if rated_dims else math.nan
        )
        all_rated = len(rated_dims) == len(out)
        if all_rated:
            gated_levels = sorted(out[d]["gated"] for d in out)
            if rubric.overall_gated == "weakest":
                overall_gated = gated_levels[0]
            elif rubric.overall_gated == "median":
                middle = len(gated_levels) // 2
                median = (
                    gated_levels[middle]
                    if len(gated_levels) % 2
                    else (gated_levels[middle - 1] + gated_levels[middle]) / 2
                )
                overall_gated = math.floor(median)
            else:
                overall_gated = math.floor(sum(gated_levels) / len(gated_levels) + 1e-9)
            overall_continuous = continuous(overall)
        else:
            overall_gated = overall_continuous = None
        results[key] = {
            "dimensions": out,
            "overall_score": overall,
            "overall_gated": overall_gated,
            "overall_continuous": overall_continuous,
        }
    return results
