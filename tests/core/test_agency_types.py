"""Model 2.x answers: `applies_to` (questions not asked of a type leave its denominator), `provided` for communes on
providable questions (counts as the rubric's provided_level), indicators beside the level, per-type minimums.
Expected numbers are computed by hand in the comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import agency_result, score
from scoring.bulk_csv import parse_bulk_csv
from scoring.content import Bundle, load_bundle
from scoring.errors import ContentError
from scoring.responses import parse_response
from tests.conftest import answers_frame

COMMUNE = {
    "alpha.one": 4,  # weight 2
    "alpha.merged": 3,
    "alpha.best": 4,
    "alpha.platform": "provided",  # counts as level 3 (rubric provided_level)
    "alpha.pct": 85,  # band 80-94: level 4
    "beta.mean": 2,
    "beta.first": "dont_know",
}


@pytest.fixture
def v2(fixture_registry: Path) -> Bundle:
    return load_bundle("mini", "2.0.0")


def _frame(answers: dict, agency_type: str):
    frame = answers_frame({"x": answers}, agency_type=agency_type)
    frame["province"] = "tinh_x" if agency_type == "commune" else None
    return frame


def test_commune_by_hand(v2: Bundle):
    result = score(_frame(COMMUNE, "commune"), v2)
    row = result.agencies.iloc[0]
    dims = result.dimensions.set_index("dimension_id")
    # alpha: points 4*2 + 3 + 4 + 3 + 4 = 22 over weight 6 = 3.667; at >=4: 4 of 6 units (67 % < 80 %) -> level 3
    assert dims.loc["alpha", "score"] == pytest.approx(22 / 6) and dims.loc["alpha", "gated_level"] == 3
    # beta: beta.ministry_only is not asked of a commune: 2 questions, 1 answered (50 % coverage) -> rated, level 2
    assert dims.loc["beta", "questions"] == 2 and dims.loc["beta", "unanswered"] == 0
    assert dims.loc["beta", "score"] == 2.0 and dims.loc["beta", "gated_level"] == 2
    assert row["overall_score"] == pytest.approx((3 * 22 / 6 + 2.0) / 4) and row["overall_gated_level"] == 2
    # 2027: a commune's agency minimum is 2 (agency_type_min_levels), but beta's dimension minimum 3 -> gap 1, YELLOW
    assert not row["met_2027"] and row["gap_2027"] == 1 and row["light_2027"] == "YELLOW"
    assert row["unanswered"] == 0 and row["answered"] == 6 and row["dont_know"] == 1
    statuses = result.answers.set_index("question_id")["status"]
    assert (
        statuses["alpha.platform"] == "scored"
        and result.answers.set_index("question_id").loc["alpha.platform", "level"] == 3
    )
    agency = agency_result(result, "x", "2026")
    assert agency.targets["2027"].required_level == 2 and agency.questions["beta.ministry_only"].status == "not_asked"
    assert all(c.question_id != "beta.ministry_only" for step in agency.next_steps for c in step.criteria)


def test_provided_counts_only_for_a_commune(v2: Bundle):
    province = score(_frame(COMMUNE, "province"), v2)
    answers = province.answers.set_index("question_id")
    assert answers.loc["alpha.platform", "status"] == "invalid"  # the engine ignores what validation refuses
    # alpha without the platform answer: 8 + 3 + 4 + 4 = 19 over 5
    assert province.dimensions.set_index("dimension_id").loc["alpha", "score"] == pytest.approx(19 / 5)
    ministry = score(_frame(COMMUNE, "ministry"), v2)
    assert ministry.answers.set_index("question_id").loc["alpha.platform", "status"] == "not_asked"
    dims = ministry.dimensions.set_index("dimension_id")
    assert dims.loc["alpha", "questions"] == 4 and dims.loc["beta", "questions"] == 3
    assert dims.loc["beta", "unanswered"] == 1  # beta.ministry_only is asked of a ministry


def test_indicators_beside_the_level(v2: Bundle):
    beside = Bundle(v2.questionnaire, v2.rubric.model_copy(update={"indicators_in_levels": False}), v2.targets)
    result = score(_frame(COMMUNE, "commune"), beside)
    alpha = result.dimensions.set_index("dimension_id").loc["alpha"]
    # without alpha.pct: 8 + 3 + 4 + 3 = 18 over 5 = 3.6; at >=4: 3 of 5 (60 %) -> level 3; 4 questions counted
    assert alpha["score"] == pytest.approx(3.6) and alpha["gated_level"] == 3 and alpha["questions"] == 4
    indicator = result.indicators.iloc[0]
    assert indicator["value"] == 85 and indicator["met_2027"]  # still compared with its own target (50 %)
    assert result.answers.set_index("question_id").loc["alpha.pct", "status"] == "indicator"


def test_a_dimension_with_no_question_for_the_type_is_left_out(v2: Bundle):
    q = v2.questionnaire
    beta = q.dimension("beta")
    only_ministry = beta.model_copy(
        update={"questions": [x.model_copy(update={"applies_to": ["ministry"]}) for x in beta.questions]}
    )
    narrowed = q.model_copy(update={"dimensions": [q.dimension("alpha"), only_ministry]})
    narrowed.__dict__.pop("_qindex", None)
    bundle = Bundle(narrowed, v2.rubric, v2.targets)
    row = score(_frame({k: v for k, v in COMMUNE.items() if k.startswith("alpha")}, "commune"), bundle).agencies.iloc[0]
    # only alpha counts: level 3, score 22/6; the 2027 dimension minimum 3 is met, the commune minimum 2 too
    assert row["rated"] and row["overall_gated_level"] == 3 and row["met_2027"] and row["light_2027"] == "GREEN"
    assert row["overall_score"] == pytest.approx(22 / 6)


RESPONSE = """questionnaire: mini
version: "2.0.0"
agency: {{id: x, name: X, type: {type}{province}}}
round: "2027"
answers:
  alpha.one: 3
  {extra}
"""


def _problems(v2: Bundle, agency_type: str, extra: str) -> list[str]:
    province = ", province: tinh_x" if agency_type == "commune" else ""
    raw = RESPONSE.format(type=agency_type, province=province, extra=extra)
    try:
        parse_response(raw.encode(), "r.yaml", v2)
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_validation_refuses_provided_and_not_asked_questions(v2: Bundle):
    assert _problems(v2, "commune", "alpha.platform: provided") == []
    assert _problems(v2, "province", "alpha.platform: provided") == [
        "r.yaml:7: alpha.platform: 'provided' is only for communes (the province's shared platform provides it)"
    ]
    assert _problems(v2, "commune", "alpha.merged: provided")[0].endswith(
        "alpha.merged: 'provided' is only for questions a commune's province can provide"
    )
    assert _problems(v2, "commune", "beta.ministry_only: 4") == [
        "r.yaml:7: beta.ministry_only: this question is not asked of a commune (it applies to ministry)"
    ]
    header = "agency_id,agency_name,agency_type,province,round,question_id,answer\n"
    raw = header + "a,A,commune,tinh_x,2027,alpha.platform,provided\nb,B,province,,2027,alpha.platform,provided\n"
    raw += "c,C,commune,tinh_x,2027,beta.ministry_only,3\n"
    frame, problems = parse_bulk_csv(raw.encode(), "bulk.csv", v2)
    assert sorted(frame["agency_id"]) == ["a"] and frame["answer"].tolist() == ["provided"]
    messages = [str(p) for p in problems]
    assert (
        "bulk.csv:3: alpha.platform: 'provided' is only for a commune, on questions its province can provide"
        in messages
    )
    assert "bulk.csv:4: beta.ministry_only: this question is not asked of a commune" in messages


def test_for_agency_type_narrows_what_the_wizard_asks(v2: Bundle):
    commune = v2.for_agency_type("commune")
    assert "beta.ministry_only" not in {q.id for q in commune.questionnaire.questions}
    ministry = v2.for_agency_type("ministry")
    assert "alpha.platform" not in {q.id for q in ministry.questionnaire.questions}
    assert len(v2.questionnaire.questions) == 8  # the full bundle is untouched
