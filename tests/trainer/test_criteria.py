"""The criteria matrix, level filter, search and target requirements come straight from the YAML."""

from __future__ import annotations

import pytest

from scoring.schemas.base import LEVELS
from trainer.criteria import (
    criteria_frame,
    criteria_matrix,
    level_definitions,
    level_requirements,
    matching_questions,
    search,
)
from trainer.targets import target_requirements, year_indicators, year_summary


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_matrix_holds_every_statement_and_evidence_of_the_dimension(shipped, lang):
    dimension = shipped.questionnaire.dimension("governance")
    matrix = criteria_matrix(shipped, "governance", lang)
    assert list(matrix.index) == [q.id for q in dimension.questions]
    for question in dimension.questions:
        row = matrix.loc[question.id]
        assert row["question_text"] == question.text.get(lang)
        if question.kind == "level":
            for level in LEVELS:
                assert row[f"statement_{level}"] == question.option(level).statement.get(lang)
                assert row[f"evidence_{level}"] == question.option(level).evidence.get(lang)


def test_every_question_has_five_levels(shipped):
    frame = criteria_frame(shipped, "vi")
    counts = frame.groupby("question_id")["level"].apply(sorted)
    assert len(counts) == len(shipped.questionnaire.questions)
    assert all(levels == list(LEVELS) for levels in counts)


def test_percentage_questions_show_the_rubric_bands(shipped):
    matrix = criteria_matrix(shipped, "records", "en")
    row = matrix.loc["records.satisfaction_share"]  # bands 0/60/80/90/97 in the standard rubric
    assert row["statement_1"] == "Below 60%."
    assert row["statement_3"] == "From 80% to below 90%."
    assert row["statement_5"] == "97% or more."


def test_unknown_dimension_is_refused(shipped):
    with pytest.raises(KeyError):
        criteria_matrix(shipped, "nope", "vi")


def test_level_filter_lists_each_question_once_at_that_level(shipped):
    frame = level_requirements(shipped, 3, "vi")
    assert len(frame) == len(shipped.questionnaire.questions)
    assert set(frame["level"]) == {3}
    strategy = frame.set_index("question_id").loc["governance.strategy"]
    assert strategy["statement"] == shipped.questionnaire.question("governance.strategy").option(3).statement.vi
    numeric = frame.set_index("question_id").loc["records.satisfaction_share"]
    assert numeric["statement"].startswith("Đạt ít nhất 80%")
    only = level_requirements(shipped, 5, "en", dimension_id="quality")
    assert set(only["dimension_id"]) == {"quality"}
    with pytest.raises(ValueError):
        level_requirements(shipped, 6, "vi")


def test_level_definitions(shipped):
    frame = level_definitions(shipped, "en")
    assert list(frame["level"]) == [1, 2, 3, 4, 5]
    assert frame.loc[2, "name"] == "Standardised"


def _ids_containing(bundle, needle: str, lang: str) -> set[str]:
    """Question ids whose texts contain `needle` literally (the slow, obvious way)."""
    found = set()
    for question in bundle.questionnaire.questions:
        texts = [question.text.get(lang), question.guidance.get(lang) if question.guidance else ""]
        for option in question.options:
            texts += [option.statement.get(lang), option.evidence.get(lang)]
        if any(needle in text.lower() for text in texts):
            found.add(question.id)
    return found


def test_search_ignores_accents_and_case(shipped):
    plain = matching_questions(search(shipped, "du lieu ca nhan", "vi"))
    accented = matching_questions(search(shipped, "DỮ LIỆU CÁ NHÂN", "vi"))
    assert plain == accented
    assert "security.personal_data" in plain
    assert set(plain) >= _ids_containing(shipped, "dữ liệu cá nhân", "vi")


def test_search_finds_question_ids_guidance_and_evidence(shipped):
    assert matching_questions(search(shipped, "governance.strategy", "vi")) == ["governance.strategy"]
    ndxp = matching_questions(search(shipped, "ndxp", "vi"))
    assert "sharing.platform_connection" in ndxp
    hits = search(shipped, "RPO", "en")
    assert any(h.question_id == "platforms.disaster_recovery" and h.field == "statement" for h in hits)


def test_search_covers_dimension_names(shipped):
    hits = search(shipped, "du lieu mo", "vi")
    assert any(h.field == "dimension_name" and h.dimension_id == "open_data" for h in hits)


def test_search_spans_point_at_the_match(shipped):
    for hit in search(shipped, "sao luu", "vi"):
        for start, end in hit.spans:
            assert hit.text[start:end].lower() == "sao lưu"


def test_search_nothing(shipped):
    assert search(shipped, "", "vi") == []
    assert search(shipped, "zzzqqq", "vi") == []


@pytest.mark.parametrize("year", ["2027", "2030"])
def test_target_requirements_follow_the_targets_yaml(shipped, year):
    frame = target_requirements(shipped, year, "vi")
    assert len(frame) == len(shipped.questionnaire.questions)
    for dimension_id in shipped.dimension_ids:
        required = shipped.targets.dimension_min_level(year, dimension_id)
        rows = frame[frame["dimension_id"] == dimension_id]
        assert set(rows["required_level"]) == {required}
        for row in rows.itertuples():
            question = shipped.questionnaire.question(row.question_id)
            if question.kind == "level":
                assert row.statement == question.option(required).statement.vi


def test_target_requirements_with_per_dimension_levels(mini):
    frame = target_requirements(mini, "2030", "en")
    levels = frame.groupby("dimension_id")["required_level"].first().to_dict()
    assert levels == {"alpha": 4, "beta": 3}
    pct = frame.set_index("question_id").loc["alpha.pct"]
    assert "Indicator target for 2030: 90%" in pct["statement"]


def test_year_summary_and_indicators(shipped):
    summary = year_summary(shipped, "2030")
    assert summary.agency_min_level == 4
    assert (5, 0.9) in summary.population
    indicators = year_indicators(shipped, "2027", "en")
    assert "records.online_services_share" in set(indicators["question_id"])
    assert all(indicators["target"] > 0)
    with pytest.raises(KeyError):
        target_requirements(shipped, "2099", "vi")
