"""The 2.x content: every question says whom it applies to, how to read it and, per level, whether that is good
enough and how to get further; no statement is asked twice; one term per concept; glossary and guidance present."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from scoring import registry
from scoring.content import load_bundle, shipped_content_files
from scoring.schemas.questionnaire import Questionnaire
from scoring.schemas.terms import TermList
from scoring.yamlio import load_model, read_yaml_file

VERSIONS_2X = [v for v in registry.versions("dmm-vn") if registry.version_key(v)[0] >= 2]


@pytest.fixture(scope="module", params=VERSIONS_2X or [pytest.param(None, marks=pytest.mark.skip("no 2.x yet"))])
def questionnaire(request: pytest.FixtureRequest) -> Questionnaire:
    return load_bundle("dmm-vn", request.param).questionnaire


def test_every_question_has_applies_to_guidance_and_level_texts(questionnaire: Questionnaire):
    missing = []
    for question in questionnaire.questions:
        if question.applies_to is None:
            missing.append(f"{question.id}: applies_to")
        if question.guidance is None:
            missing.append(f"{question.id}: guidance")
        for option in question.options:
            if option.good_enough is None:
                missing.append(f"{question.id} L{option.level}: good_enough")
            if option.next_steps is None:
                missing.append(f"{question.id} L{option.level}: next_steps")
    assert missing == []


def test_next_steps_are_not_the_next_statement_restated(questionnaire: Questionnaire):
    restated = [
        f"{q.id} L{o.level}"
        for q in questionnaire.questions
        for o in q.options
        if o.level < 5
        and o.next_steps is not None
        and o.next_steps.en.strip() == q.option(o.level + 1).statement.en.strip()
    ]
    assert restated == []


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def test_no_two_questions_share_a_statement(questionnaire: Questionnaire):
    seen: dict[tuple[str, str], str] = {}
    shared = []
    for question in questionnaire.questions:
        for option in question.options:
            for lang in ("vi", "en"):
                key = (lang, _norm(option.statement.get(lang)))
                other = seen.setdefault(key, question.id)
                if other != question.id:
                    shared.append(f"{question.id} L{option.level} ({lang}) = {other}")
        texts = [_norm(question.text.vi), _norm(question.text.en)]
        for lang, text in zip(("vi-q", "en-q"), texts, strict=True):
            other = seen.setdefault((lang, text), question.id)
            if other != question.id:
                shared.append(f"{question.id} question text ({lang}) = {other}")
    assert shared == []


def test_glossary_and_respondent_guidance_are_present(questionnaire: Questionnaire):
    assert len(questionnaire.glossary) >= 5
    topics = {g.id for g in questionnaire.respondent_guidance}
    assert len(topics) >= 5, topics  # scope, who answers, reference period, cumulative levels, evidence


def _content_texts(questionnaire: Questionnaire, lang: str) -> list[tuple[str, str]]:
    """(where, text) of every text of the questionnaire in one language."""
    out: list[tuple[str, str]] = [
        ("title", questionnaire.title.get(lang)),
        ("description", questionnaire.description.get(lang)),
    ]
    out += [(f"level {lv.level}", f"{lv.name.get(lang)} {lv.definition.get(lang)}") for lv in questionnaire.levels]
    out += [(f"glossary {g.id}", f"{g.term.get(lang)} {g.definition.get(lang)}") for g in questionnaire.glossary]
    out += [(f"guidance {g.id}", f"{g.title.get(lang)} {g.text.get(lang)}") for g in questionnaire.respondent_guidance]
    for dimension in questionnaire.dimensions:
        out.append((dimension.id, f"{dimension.name.get(lang)} {dimension.description.get(lang)}"))
        for q in dimension.questions:
            parts = [q.text.get(lang), q.guidance.get(lang) if q.guidance else ""]
            parts += [t.get(lang) for t in q.type_guidance.values()]
            for o in q.options:
                parts += [o.statement.get(lang), o.evidence.get(lang)]
                parts += [t.get(lang) for t in (o.good_enough, o.next_steps) if t is not None]
            out.append((q.id, " ".join(parts)))
    return out


def test_the_term_list_holds(questionnaire: Questionnaire):
    terms, _ = load_model(registry.TERMS_FILE, TermList)
    offenders = []
    for lang in ("vi", "en"):
        texts = _content_texts(questionnaire, lang)
        for term in terms.terms:
            for form in getattr(term.replaces, lang):
                pattern = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)", re.IGNORECASE)
                offenders += [
                    f"{where}: {form!r} (use {term.preferred.get(lang)!r})"
                    for where, text in texts
                    if pattern.search(text)
                ]
    assert offenders == []


def test_the_term_check_finds_a_replaced_form(questionnaire: Questionnaire):
    terms, _ = load_model(registry.TERMS_FILE, TermList)
    term = next(t for t in terms.terms if t.replaces.vi)
    form = term.replaces.vi[0]
    pattern = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)", re.IGNORECASE)
    assert pattern.search(f"Cơ quan có {form.upper()} riêng.")  # the check is not vacuous


def test_every_shipped_file_is_nfc_and_has_no_duplicate_key():
    for path in shipped_content_files():
        raw = path.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", raw) == raw, path
        read_yaml_file(Path(path))  # raises on a duplicate key, naming file and line


def test_each_agency_type_is_asked_every_dimension(questionnaire: Questionnaire):
    for agency_type in ("ministry", "province", "commune"):
        empty = [d.id for d in questionnaire.dimensions if not any(q.applies(agency_type) for q in d.questions)]
        assert empty == [], agency_type
