"""The shipped model itself: complete, bilingual, checkable, and consistent with the targets."""

from __future__ import annotations

import re
import unicodedata

import pytest

from scoring.content import Bundle, load_bundle, shipped_content_files, shipped_rubrics

VAGUE = re.compile(r"\b(somewhat|mostly|partly|partially|một phần|phần lớn|tương đối)\b", re.IGNORECASE)


def test_every_shipped_file_is_nfc_text():
    for path in shipped_content_files():
        raw = path.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", raw) == raw, path


@pytest.mark.parametrize("rubric", sorted(shipped_rubrics()))
def test_every_rubric_loads_with_the_questionnaire(rubric: str):
    assert load_bundle(rubric=rubric).rubric.id == rubric


def test_model_size_and_shape(shipped: Bundle):
    questionnaire = shipped.questionnaire
    assert questionnaire.version == "1.0.0"
    assert len(questionnaire.dimensions) >= 10
    level_questions = [q for q in questionnaire.questions if q.kind == "level"]
    assert len(level_questions) >= 50
    for dimension in questionnaire.dimensions:
        count = sum(q.kind == "level" for q in dimension.questions)
        assert 4 <= count <= 8, dimension.id
    assert [lv.name.en for lv in questionnaire.levels] == [
        "Initial",
        "Developing",
        "Standardised",
        "Managed",
        "Optimised",
    ]


def test_statements_are_checkable_not_vague(shipped: Bundle):
    offenders = [
        (q.id, o.level)
        for q in shipped.questionnaire.questions
        for o in q.options
        if VAGUE.search(o.statement.vi) or VAGUE.search(o.statement.en)
    ]
    assert offenders == []


def test_vietnamese_texts_carry_diacritics(shipped: Bundle):
    # A Vietnamese statement without any combining mark in NFD is almost surely unaccented by mistake.
    for question in shipped.questionnaire.questions:
        for text in [question.text, *(o.statement for o in question.options)]:
            assert any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text.vi)), question.id


def test_every_indicator_has_its_numeric_question_and_back(shipped: Bundle):
    numeric = {q.id for q in shipped.questionnaire.questions if q.kind == "numeric"}
    by_question = {i.question: i for i in shipped.targets.indicators}
    assert set(by_question) == numeric
    for question in shipped.questionnaire.questions:
        if question.kind == "numeric":
            assert question.indicator == by_question[question.id].id


def test_targets_encode_decision_2629(shipped: Bundle):
    years = shipped.targets.years
    assert years["2027"].agency_min_level == 3 and years["2030"].agency_min_level == 4
    assert [(p.min_level, p.share) for p in years["2027"].population] == [(3, 1.0)]
    assert [(p.min_level, p.share) for p in years["2030"].population] == [(4, 1.0), (5, 0.9)]
    indicators = {i.id: i.targets for i in shipped.targets.indicators}
    assert indicators["satisfaction"] == {"2027": 95, "2030": 99}
    assert indicators["data_certificate"] == {"2027": 50, "2030": 100}
    assert indicators["records_reused"] == {"2030": 80}
