"""The criteria handbook PDF holds every question id, statement, evidence, level and target, read
back with pdftotext (whitespace normalised, since the PDF wraps lines)."""

from __future__ import annotations

import subprocess
import unicodedata

import pytest

from reports.handbook import LABELS, criteria_handbook_pdf
from scoring.content import Bundle
from tests.conftest import require_tool
from trainer.criteria import criteria_frame


def pdf_text(data: bytes, tmp_path_factory: pytest.TempPathFactory, name: str) -> str:
    require_tool("pdftotext", "poppler-utils")
    path = tmp_path_factory.mktemp("handbook") / f"{name}.pdf"
    path.write_bytes(data)
    # -raw keeps the content-stream order, so a table cell's lines stay together
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module", params=["vi", "en"])
def handbook(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shipped: Bundle):
    lang = request.param
    data = criteria_handbook_pdf(shipped, lang)
    return lang, data, normalise(pdf_text(data, tmp_path_factory, f"shipped-{lang}"))


def test_is_a_pdf_with_the_shipped_font(handbook):
    _, data, _ = handbook
    assert data[:5] == b"%PDF-"
    assert b"DejaVu" in data


def test_every_question_id_text_statement_and_evidence(handbook, shipped: Bundle):
    lang, _, text = handbook
    frame = criteria_frame(shipped, lang)
    missing = [qid for qid in frame["question_id"].unique() if qid not in text]
    assert not missing, missing
    for column in ("question_text", "statement", "evidence", "dimension_name"):
        absent = [s for s in frame[column].unique() if normalise(s) not in text]
        assert not absent, (column, absent[:3])


def test_every_option_statement_of_the_yaml(handbook, shipped: Bundle):
    lang, _, text = handbook
    for question in shipped.questionnaire.questions:
        for option in question.options:
            assert normalise(option.statement.get(lang)) in text, (question.id, option.level)


def test_level_definitions_and_targets(handbook, shipped: Bundle):
    lang, _, text = handbook
    for level in shipped.questionnaire.levels:
        assert normalise(level.name.get(lang)) in text
        assert normalise(level.definition.get(lang)) in text
    for dimension in shipped.questionnaire.dimensions:
        assert normalise(dimension.description.get(lang)) in text
    assert normalise(shipped.targets.source.get(lang)) in text
    assert normalise(shipped.rubric.description.get(lang)) in text
    for year in shipped.years:
        assert year in text
        assert normalise(LABELS["indicators"].get(lang).format(year=year)) in text
    for indicator in shipped.targets.indicators:
        assert normalise(indicator.name.get(lang)) in text


def test_vietnamese_is_correct_nfc(handbook):
    lang, _, text = handbook
    if lang == "vi":
        assert "Chiến lược và quản trị dữ liệu" in text
        assert "Sổ tay tiêu chí" in text
        assert unicodedata.normalize("NFC", text) == text


def test_follows_the_content_it_is_given(mini: Bundle, tmp_path_factory: pytest.TempPathFactory):
    """Generated from the bundle, not from a copy: another questionnaire gives another handbook."""
    text = normalise(pdf_text(criteria_handbook_pdf(mini, "en"), tmp_path_factory, "mini"))
    for question in mini.questionnaire.questions:
        assert question.id in text
        for option in question.options:
            assert normalise(option.statement.en) in text
    assert "Targets of the indicator" in text
    assert "governance.strategy" not in text


@pytest.fixture(scope="module")
def newest_handbook(tmp_path_factory: pytest.TempPathFactory):
    from scoring import registry
    from scoring.content import load_bundle

    bundle = load_bundle("dmm-vn", registry.newest_version("dmm-vn"))
    data = criteria_handbook_pdf(bundle, "vi")
    return bundle, normalise(pdf_text(data, tmp_path_factory, "newest-vi"))


def test_newest_version_handbook_has_glossary_guidance_target_years_and_advice(newest_handbook):
    bundle, text = newest_handbook
    q = bundle.questionnaire
    for entry in q.glossary:
        assert normalise(entry.term.vi) in text and normalise(entry.definition.vi) in text
    for item in q.respondent_guidance:
        assert normalise(item.title.vi) in text
    assert "Yêu cầu đến năm" in text
    first = next(x for x in q.questions if x.kind == "level")
    for option in first.options:
        if option.next_steps is not None:
            assert normalise(option.next_steps.vi) in text
    if any(x.providable for x in q.questions):
        assert "Do tỉnh bảo đảm" in text
