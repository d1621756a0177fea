"""Model 2.0 schema additions: optional (1.0.0 validates unchanged), and each refuses what it should."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from scoring.content import load_questionnaire
from scoring.errors import ContentError
from scoring.schemas.mapping import Mapping
from scoring.schemas.questionnaire import Question, Questionnaire
from scoring.schemas.targets import Targets
from scoring.schemas.terms import TermList
from tests.conftest import MINI


def _level_question(**extra: object) -> dict:
    options = [
        {"level": n, "statement": {"vi": f"s{n}", "en": f"s{n}"}, "evidence": {"vi": "e", "en": "e"}}
        for n in range(1, 6)
    ]
    return {"id": "alpha.one", "text": {"vi": "q", "en": "q"}, "options": options, **extra}


def test_question_defaults_apply_to_every_type():
    question = Question.model_validate(_level_question())
    assert question.applies_to is None and question.agency_types == ("ministry", "province", "commune")
    assert not question.providable and question.type_guidance == {}


def test_applies_to_narrows_and_providable_needs_communes():
    question = Question.model_validate(_level_question(applies_to=["province", "ministry"]))
    assert question.agency_types == ("ministry", "province") and not question.applies("commune")
    with pytest.raises(ValidationError, match="only communes answer `provided`"):
        Question.model_validate(_level_question(applies_to=["province"], providable=True))
    with pytest.raises(ValidationError, match="at least one agency type"):
        Question.model_validate(_level_question(applies_to=[]))
    with pytest.raises(ValidationError):
        Question.model_validate(_level_question(applies_to=["department"]))


def test_option_texts_and_type_guidance_validate():
    raw = _level_question(type_guidance={"commune": {"vi": "xã", "en": "commune"}}, providable=True)
    raw["options"][2]["good_enough"] = {"vi": "đủ cho 2027", "en": "enough for 2027"}
    raw["options"][2]["next_steps"] = {"vi": "làm A, B", "en": "do A, B"}
    question = Question.model_validate(raw)
    assert question.option(3).good_enough is not None and question.option(3).good_enough.en == "enough for 2027"
    assert question.option(2).next_steps is None and question.type_guidance["commune"].vi == "xã"


def test_shipped_1_0_0_still_validates_and_has_no_2x_fields():
    questionnaire, _ = load_questionnaire()
    assert questionnaire.version == "1.0.0" and questionnaire.glossary == []
    assert all(q.applies_to is None and not q.providable for q in questionnaire.questions)


def test_glossary_ids_are_unique():
    raw = yaml.safe_load((MINI / "questionnaire.yaml").read_text(encoding="utf-8"))
    entry = {"id": "data", "term": {"vi": "dữ liệu", "en": "data"}, "definition": {"vi": "d", "en": "d"}}
    raw["glossary"] = [entry]
    assert Questionnaire.model_validate(raw).glossary[0].term.vi == "dữ liệu"
    raw["glossary"] = [entry, entry]
    with pytest.raises(ValidationError, match="glossary: id 'data' is used twice"):
        Questionnaire.model_validate(raw)


def test_targets_without_years_are_refused(tmp_path: Path):
    text = (MINI / "targets.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("years:\n")
    tail = rest[rest.index("indicators:") :]
    path = tmp_path / "t.yaml"
    path.write_text(head + "years: {}\n" + tail.replace('"2027": 50, "2030": 90', ""), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        from scoring.content import load_targets

        load_targets(path)
    assert "years" in str(caught.value) and str(path) in str(caught.value)
    with pytest.raises(ValidationError):
        Targets.model_validate({**yaml.safe_load(text), "years": {}})


def test_per_type_minimum_overrides_the_agency_minimum():
    raw = yaml.safe_load((MINI / "targets.yaml").read_text(encoding="utf-8"))
    raw["years"]["2027"]["agency_type_min_levels"] = {"commune": 2}
    year = Targets.model_validate(raw).years["2027"]
    assert year.agency_min_level_for("commune") == 2 and year.agency_min_level_for("ministry") == 3


def test_mapping_rules():
    mapping = Mapping.model_validate(
        {
            "questionnaire": "dmm-vn",
            "from_version": "1.0.0",
            "to_version": "2.0.0",
            "questions": [{"to": "a.x", "from": ["a.x"]}, {"to": "a.y", "from": ["a.y", "b.y"], "rule": "min"}],
            "new": ["a.z"],
            "retired": [{"id": "b.old", "reason": {"vi": "bỏ", "en": "dropped"}}],
        }
    )
    assert mapping.questions[1].from_ == ["a.y", "b.y"] and mapping.questions[0].rule == "same"
    base = {"questionnaire": "dmm-vn", "from_version": "1.0.0", "to_version": "2.0.0"}
    with pytest.raises(ValidationError, match="'same' carries one question"):
        Mapping.model_validate({**base, "questions": [{"to": "a.y", "from": ["a.y", "b.y"]}]})
    with pytest.raises(ValidationError, match="fed twice"):
        Mapping.model_validate({**base, "questions": [{"to": "a.x", "from": ["a.x"]}], "new": ["a.x"]})
    with pytest.raises(ValidationError, match="both mapped"):
        Mapping.model_validate(
            {
                **base,
                "questions": [{"to": "a.x", "from": ["a.x"]}],
                "retired": [{"id": "a.x", "reason": {"vi": "r", "en": "r"}}],
            }
        )
    with pytest.raises(ValidationError):
        Mapping.model_validate({**base, "questions": [{"to": "a.x", "from": ["a.x"], "rule": "average"}]})


def test_terms_list():
    terms = TermList.model_validate(
        {
            "terms": [
                {
                    "id": "dg",
                    "preferred": {"vi": "quản trị dữ liệu", "en": "data governance"},
                    "replaces": {"vi": ["x"]},
                }
            ]
        }
    )
    assert terms.terms[0].replaces.vi == ["x"] and terms.terms[0].replaces.en == []
    with pytest.raises(ValidationError):
        TermList.model_validate({"terms": []})
