"""The criteria as tables: every question's five level statements and evidence, in one language.

One long frame (`criteria_frame`: a row per question and level) feeds every view: the matrix of a
dimension, the filter to one level, what each target takes and the search. Numeric questions have
no option statements; their levels come from the rubric's percentage bands, written out here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scoring.content import Bundle
from scoring.schemas.base import LEVELS, Text
from scoring.schemas.questionnaire import Question
from scoring.schemas.rubric import NumericBand
from trainer.text import find_spans, nfc, query_terms

CRITERIA_COLUMNS = [
    "dimension_id", "dimension_name", "question_id", "kind", "question_text", "guidance",
    "level", "level_name", "statement", "evidence",
]

_NUMERIC_EVIDENCE = Text(vi="Số liệu thống kê và cách tính tỷ lệ (xem hướng dẫn của câu hỏi).",
                         en="The statistics and how the percentage was calculated (see the question's guidance).")


def _pct(value: float) -> str:
    return f"{value:g}%"


def band_statements(bands: list[NumericBand]) -> dict[int, Text]:
    """For each level, the percentage range that reaches it (the highest matching band wins)."""
    lowest: dict[int, float] = {}
    for band in bands:
        lowest[band.level] = min(band.min, lowest.get(band.level, band.min))
    statements: dict[int, Text] = {}
    for level in LEVELS:
        if level not in lowest:
            statements[level] = Text(vi="Không có ngưỡng cho cấp này.", en="No threshold for this level.")
            continue
        low = lowest[level]
        higher = [m for lv, m in lowest.items() if lv > level and m > low]
        if not higher:
            statements[level] = Text(vi=f"Đạt từ {_pct(low)} trở lên.", en=f"{_pct(low)} or more.")
        elif low <= 0:
            statements[level] = Text(vi=f"Dưới {_pct(min(higher))}.", en=f"Below {_pct(min(higher))}.")
        else:
            high = _pct(min(higher))
            statements[level] = Text(vi=f"Đạt từ {_pct(low)} đến dưới {high}.", en=f"From {_pct(low)} to below {high}.")
    return statements


def minimum_statements(bands: list[NumericBand]) -> dict[int, Text]:
    """For each level, the least percentage that reaches it or more ("at least 50%")."""
    statements: dict[int, Text] = {}
    for level in LEVELS:
        reaching = [b.min for b in bands if b.level >= level]
        if not reaching:
            statements[level] = Text(vi="Không có ngưỡng cho cấp này.", en="No threshold for this level.")
        else:
            low = _pct(min(reaching))
            statements[level] = Text(vi=f"Đạt ít nhất {low} (ngưỡng cấp {level}).",
                                     en=f"At least {low} (the level {level} threshold).")
    return statements


def question_levels(bundle: Bundle, question: Question, numeric: str = "band") -> dict[int, tuple[Text, Text]]:
    """(statement, evidence) for each level 1-5 of a question.

    Percentage questions have no statements: `numeric="band"` describes the range of each level
    ("from 50% to below 80%", for the matrix), `numeric="minimum"` what reaching the level takes
    ("at least 50%", for requirements).
    """
    if question.kind == "level":
        return {o.level: (o.statement, o.evidence) for o in question.options}
    rubric = bundle.rubric
    bands = rubric.numeric_bands_by_question.get(question.id, rubric.numeric_bands)
    texts = band_statements(bands) if numeric == "band" else minimum_statements(bands)
    return {level: (text, _NUMERIC_EVIDENCE) for level, text in texts.items()}


def criteria_frame(bundle: Bundle, lang: str, numeric: str = "band") -> pd.DataFrame:
    """One row per question and level, in questionnaire order, with every text in `lang`
    (percentage questions as in `question_levels`)."""
    questionnaire = bundle.questionnaire
    level_names = {d.level: d.name.get(lang) for d in questionnaire.levels}
    rows = []
    for dimension in questionnaire.dimensions:
        for question in dimension.questions:
            for level, (statement, evidence) in sorted(question_levels(bundle, question, numeric).items()):
                rows.append({
                    "dimension_id": dimension.id,
                    "dimension_name": nfc(dimension.name.get(lang)),
                    "question_id": question.id,
                    "kind": question.kind,
                    "question_text": nfc(question.text.get(lang)),
                    "guidance": nfc(question.guidance.get(lang)) if question.guidance else "",
                    "level": level,
                    "level_name": nfc(level_names[level]),
                    "statement": nfc(statement.get(lang)),
                    "evidence": nfc(evidence.get(lang)),
                })
    return pd.DataFrame(rows, columns=CRITERIA_COLUMNS)


def criteria_matrix(bundle: Bundle, dimension_id: str, lang: str) -> pd.DataFrame:
    """Questions × levels of one dimension: question_id, kind, question_text, guidance,
    statement_1..statement_5 and evidence_1..evidence_5 (index: question id, questionnaire order)."""
    if dimension_id not in bundle.dimension_ids:
        raise KeyError(f"unknown dimension {dimension_id!r}")
    frame = criteria_frame(bundle, lang)
    frame = frame[frame["dimension_id"] == dimension_id]
    order = list(dict.fromkeys(frame["question_id"]))
    head = frame.drop_duplicates("question_id").set_index("question_id")[["kind", "question_text", "guidance"]]
    wide = frame.pivot(index="question_id", columns="level", values=["statement", "evidence"])
    wide.columns = [f"{name}_{level}" for name, level in wide.columns]
    columns = [f"statement_{lv}" for lv in LEVELS] + [f"evidence_{lv}" for lv in LEVELS]
    return head.join(wide[columns]).loc[order]


def level_requirements(bundle: Bundle, level: int, lang: str, dimension_id: str | None = None) -> pd.DataFrame:
    """What level `level` requires everywhere (or in one dimension): one row per question
    (a percentage question says the least value that reaches the level)."""
    if level not in LEVELS:
        raise ValueError(f"level must be 1-5, got {level!r}")
    frame = criteria_frame(bundle, lang, numeric="minimum")
    frame = frame[frame["level"] == level]
    if dimension_id is not None:
        frame = frame[frame["dimension_id"] == dimension_id]
    return frame.reset_index(drop=True)


def level_definitions(bundle: Bundle, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [{"level": d.level, "name": nfc(d.name.get(lang)), "definition": nfc(d.definition.get(lang))}
         for d in sorted(bundle.questionnaire.levels, key=lambda d: d.level)]
    )


# --- search --------------------------------------------------------------------------------

SEARCH_FIELDS = ("dimension_name", "dimension_description", "question_id", "question_text", "guidance",
                 "statement", "evidence")


@dataclass(frozen=True)
class SearchHit:
    """One text that contains the search phrase; spans mark the matches in `text`."""

    dimension_id: str
    question_id: str | None  # None for a hit in a dimension's own name or description
    field: str  # one of SEARCH_FIELDS
    level: int | None  # for statements and evidence
    text: str
    spans: tuple[tuple[int, int], ...]


def search(bundle: Bundle, query: str, lang: str) -> list[SearchHit]:
    """Every text (in `lang`) containing the phrase `query`, ignoring case and Vietnamese marks.

    Covers dimension names and descriptions, question ids and texts, guidance, and each level's
    statement and evidence, in questionnaire order.
    """
    terms = query_terms(query)
    if not terms:
        return []
    hits: list[SearchHit] = []

    def check(dimension_id: str, question_id: str | None, field: str, level: int | None, text: str) -> None:
        spans = find_spans(text, terms)
        if spans:
            hits.append(SearchHit(dimension_id, question_id, field, level, nfc(text), tuple(spans)))

    for dimension in bundle.questionnaire.dimensions:
        check(dimension.id, None, "dimension_name", None, dimension.name.get(lang))
        check(dimension.id, None, "dimension_description", None, dimension.description.get(lang))
        for question in dimension.questions:
            check(dimension.id, question.id, "question_id", None, question.id)
            check(dimension.id, question.id, "question_text", None, question.text.get(lang))
            if question.guidance:
                check(dimension.id, question.id, "guidance", None, question.guidance.get(lang))
            for level, (statement, evidence) in sorted(question_levels(bundle, question).items()):
                check(dimension.id, question.id, "statement", level, statement.get(lang))
                check(dimension.id, question.id, "evidence", level, evidence.get(lang))
    return hits


def search_frame(hits: list[SearchHit]) -> pd.DataFrame:
    columns = ["dimension_id", "question_id", "field", "level", "text"]
    return pd.DataFrame([{c: getattr(h, c) for c in columns} for h in hits], columns=columns)


def matching_questions(hits: list[SearchHit]) -> list[str]:
    """The question ids among the hits, once each, in questionnaire order."""
    return list(dict.fromkeys(h.question_id for h in hits if h.question_id))
