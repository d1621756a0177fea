"""One test per mutation that once survived the whole suite (issue 9): each fails if that one line
of the core is changed back. The mini questionnaire: alpha (one [weight 2], two, three, pct) and
beta (one, two); targets 2027 level 3 everywhere, indicator `pct` (alpha.pct) at 50 % in 2027."""

from __future__ import annotations

import unicodedata

import pytest

from scoring.content import Bundle
from scoring.engine import score
from scoring.errors import ContentError
from scoring.responses import load_named_inputs, parse_response
from scoring.results import agency_result
from scoring.schemas.rubric import CoverageRule
from scoring.yamlio import parse_yaml_bytes
from tests.conftest import answers_frame

ALL_THREE = {"alpha.one": 3, "alpha.two": 3, "alpha.three": 3, "alpha.pct": 60, "beta.one": 3, "beta.two": 3}


def with_rubric(bundle: Bundle, **changes: object) -> Bundle:
    return Bundle(bundle.questionnaire, bundle.rubric.model_copy(update=changes), bundle.targets)


def test_na_leaves_the_coverage_denominator(mini: Bundle) -> None:
    """Mutation: coverage = answered / all questions (N/A kept in the denominator)."""
    strict = with_rubric(mini, coverage=CoverageRule(min_answered_share=0.75))
    answers = {**ALL_THREE, "beta.two": "na"}  # beta: 1 answered of 1 applicable = 100 % (not 1 of 2 = 50 %)
    dims = score(answers_frame({"a": answers}), strict).dimensions.set_index("dimension_id")
    assert bool(dims.loc["beta", "rated"]) and dims.loc["beta", "score"] == 3.0


def test_the_agency_gap_is_its_largest_dimension_gap(mini: Bundle) -> None:
    """Mutation: the agency gap taken as the minimum of its dimension gaps."""
    median = with_rubric(mini, overall_gated="median")
    answers = {"alpha.one": 5, "alpha.two": 5, "alpha.three": 5, "alpha.pct": 99, "beta.one": 1, "beta.two": 1}
    agencies = score(answers_frame({"a": answers}), median).agencies
    # Overall (median of 5 and 1) = 3 meets the agency level of 2027; beta (1) is 2 levels short of 3.
    assert agencies.loc[0, "overall_level"] == 3
    assert agencies.loc[0, "gap_2027"] == 2 and not agencies.loc[0, "met_2027"]


def test_an_indicator_exactly_at_its_target_is_met(mini: Bundle) -> None:
    """Mutation: an indicator equal to its target counted as not met."""
    result = score(answers_frame({"a": {**ALL_THREE, "alpha.pct": 50}}), mini)  # 2027 target: 50
    assert result.agencies.loc[0, "indicators_met_2027"] == 1
    [indicator] = agency_result(result, "a", "2026").targets["2027"].indicators
    assert indicator.met is True


def test_per_question_evidence_reaches_the_results(mini: Bundle) -> None:
    """Mutation: the evidence of each answer dropped from the agency result."""
    frame = answers_frame({"a": ALL_THREE})
    frame["evidence"] = frame["question_id"].map({"alpha.one": "Quyết định 12/QĐ-UBND"})
    frame["na_reason"] = None
    result = agency_result(score(frame, mini), "a", "2026")
    assert result.questions["alpha.one"].evidence == "Quyết định 12/QĐ-UBND"
    assert result.questions["alpha.two"].evidence is None


def response_yaml(level: int, name: str = "Bộ Thử nghiệm") -> bytes:
    return (f'questionnaire: mini\nversion: "1.0.0"\nagency: {{id: bo_x, name: "{name}", type: ministry}}\n'
            f'round: "2026"\nanswers:\n  alpha.one: {level}\n').encode()


def test_the_last_file_wins_as_the_message_says(mini: Bundle) -> None:
    """Mutation: the first of two files for the same agency and round kept instead of the last."""
    loaded = load_named_inputs([("first.yaml", response_yaml(2)), ("second.yaml", response_yaml(4))], mini)
    assert loaded.frame.set_index("question_id").loc["alpha.one", "answer"] == "4"
    assert any("the last file read wins" in p.message for p in loaded.problems)


@pytest.mark.parametrize("level", [0, 6])
def test_a_level_outside_1_to_5_is_refused_in_a_response(mini: Bundle, level: int) -> None:
    """Mutation: level 6 accepted in a YAML response."""
    with pytest.raises(ContentError, match=f"alpha.one: {level} is not a level"):
        parse_response(response_yaml(level), "r.yaml", mini)


def test_texts_are_normalised_to_nfc(mini: Bundle) -> None:
    """Mutation: NFC normalisation of YAML texts removed (a name typed on a Mac would not match)."""
    decomposed = unicodedata.normalize("NFD", "Bộ Thử nghiệm")
    assert decomposed != "Bộ Thử nghiệm"
    assert parse_yaml_bytes(f"name: {decomposed}\n".encode(), "x.yaml").data["name"] == "Bộ Thử nghiệm"
    response = parse_response(response_yaml(3, name=decomposed), "r.yaml", mini)
    assert response.agency.name == "Bộ Thử nghiệm"
