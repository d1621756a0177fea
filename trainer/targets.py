"""What each target year takes: the level every dimension must reach and the criteria at that level.

Everything comes from the targets and rubric YAML, so a changed threshold shows here at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scoring.content import Bundle
from scoring.schemas.base import Text
from scoring.schemas.rubric import GateRule
from trainer.criteria import criteria_frame
from trainer.text import nfc

_INDICATOR_NOTE = Text(vi="Chỉ tiêu năm {year}: {target}.", en="Indicator target for {year}: {target}.")


@dataclass(frozen=True)
class YearSummary:
    year: str
    agency_min_level: int
    dimension_levels: dict[str, int]  # dimension id -> required level
    population: list[tuple[int, float]]  # (min level, share of agencies)
    gate: GateRule | None  # the rubric's rule for the agency's required level (None for level 1)


def year_summary(bundle: Bundle, year: str) -> YearSummary:
    target = bundle.targets.years[year]
    return YearSummary(
        year=year,
        agency_min_level=target.agency_min_level,
        dimension_levels={d: bundle.targets.dimension_min_level(year, d) for d in bundle.dimension_ids},
        population=[(p.min_level, p.share) for p in target.population],
        gate=bundle.rubric.gate_rules.get(target.agency_min_level),
    )


def target_requirements(bundle: Bundle, year: str, lang: str) -> pd.DataFrame:
    """For one year, per dimension: the required level and each question's criterion at that level.

    A percentage question says the least value reaching the level and, when it carries an
    indicator with a target that year, the indicator's target as well.

    Columns: year, dimension_id, dimension_name, required_level, level_name, question_id, kind,
    question_text, guidance, statement, evidence (questionnaire order).
    """
    if year not in bundle.targets.years:
        raise KeyError(f"no target for year {year!r} (years: {', '.join(bundle.years)})")
    frame = criteria_frame(bundle, lang, numeric="minimum")
    required = frame["dimension_id"].map(lambda d: bundle.targets.dimension_min_level(year, d))
    rows = frame[frame["level"] == required].copy()
    indicator_targets = {i.question: i.targets[year] for i in bundle.targets.indicators if year in i.targets}
    note = _INDICATOR_NOTE.get(lang)
    rows["statement"] = [
        f"{statement} {note.format(year=year, target=f'{indicator_targets[qid]:g}%')}" if qid in indicator_targets
        else statement
        for qid, statement in zip(rows["question_id"], rows["statement"], strict=True)
    ]
    rows.insert(0, "year", year)
    rows = rows.rename(columns={"level": "required_level"})
    columns = ["year", "dimension_id", "dimension_name", "required_level", "level_name", "question_id", "kind",
               "question_text", "guidance", "statement", "evidence"]
    return rows[columns].reset_index(drop=True)


def year_indicators(bundle: Bundle, year: str, lang: str) -> pd.DataFrame:
    """The numeric indicators with a target in `year`: id, question, name, target (percent)."""
    rows = [
        {"indicator_id": i.id, "question_id": i.question, "name": nfc(i.name.get(lang)), "target": i.targets[year]}
        for i in bundle.targets.indicators
        if year in i.targets
    ]
    return pd.DataFrame(rows, columns=["indicator_id", "question_id", "name", "target"])
