"""Each scoring rule of a rubric, checked against numbers worked out by hand.

The mini questionnaire has dimension alpha (alpha.one [weight 2], alpha.two, alpha.three, and the
percent indicator alpha.pct) and dimension beta (beta.one, beta.two). Dimension alpha weighs 3.
Gate rule for every level N: 80 % of the weight at N or above, none more than one level below N.
"""

from __future__ import annotations

import math

import pytest

from scoring.content import Bundle
from scoring.engine import score
from scoring.population import population_summary
from scoring.results import agency_result
from scoring.schemas.rubric import GateRule
from tests.conftest import answers_frame

FULL = {"alpha.one": 4, "alpha.two": 3, "alpha.three": "na", "alpha.pct": 85, "beta.one": 2, "beta.two": "dont_know"}


def dims(result, agency="a"):
    return result.dimensions[result.dimensions.agency_id == agency].set_index("dimension_id")


def test_weighted_mean_na_leaves_the_denominator(mini: Bundle):
    result = score(answers_frame({"a": FULL}), mini)
    alpha = dims(result).loc["alpha"]
    # (2*4 + 1*3 + 1*4[85 % is band level 4]) / (2 + 1 + 1) = 15 / 4; alpha.three (na) is not in it.
    assert alpha.score == pytest.approx(15 / 4)
    assert alpha.na == 1 and alpha.answered == 3


def test_dont_know_is_flagged_not_scored_as_zero(mini: Bundle):
    result = score(answers_frame({"a": FULL}), mini)
    beta = dims(result).loc["beta"]
    assert beta.score == pytest.approx(2.0)  # a zero for beta.two would have given 1.0
    assert beta.dont_know == 1 and beta.rated


def test_overall_score_uses_dimension_weights(mini: Bundle):
    result = score(answers_frame({"a": FULL}), mini)
    # (3 * 3.75 + 1 * 2.0) / (3 + 1)
    assert result.agencies.loc[0, "overall_score"] == pytest.approx(13.25 / 4)


def test_gated_level_needs_the_share_at_the_level(mini: Bundle):
    result = score(answers_frame({"a": FULL}), mini)
    alpha = dims(result).loc["alpha"]
    # level 4 needs 80 % of weight at >= 4: alpha.one (2) + alpha.pct (1) = 3 of 4 = 75 % -> stays 3
    assert alpha.gated_level == 3
    raised = score(answers_frame({"a": {**FULL, "alpha.two": 4}}), mini)
    assert dims(raised).loc["alpha"].gated_level == 4  # now 4 of 4


def test_gated_level_shortfall_blocks_even_with_enough_share(mini: Bundle):
    answers = {"alpha.one": 5, "alpha.two": 5, "alpha.three": 5, "alpha.pct": 100, "beta.one": 5, "beta.two": 5}
    assert dims(score(answers_frame({"a": answers}), mini)).loc["alpha"].gated_level == 5
    # alpha.two at 3: share at >= 5 is (2+1+1)/5 = 80 % (enough) but 3 is two below 5 -> not 5.
    # Level 4: share at >= 4 is 4/5 = 80 % and 3 is one below 4 -> 4.
    low = {**answers, "alpha.two": 3}
    assert dims(score(answers_frame({"a": low}), mini)).loc["alpha"].gated_level == 4


def test_levels_cannot_be_skipped(mini: Bundle):
    # With the same gate rule at every level, failing a level also fails every higher one, so this
    # needs rules that differ per level: level 3 wants all the weight at >= 3, level 4 only half of
    # it at >= 4 (and allows any shortfall). beta at 5 and 2: level 2 holds (100 % at >= 2), level 3
    # fails (50 % < 100 %), level 4 would hold on its own (50 % at >= 4) but cannot be reached -> 2.
    rules = {
        2: GateRule(min_share=0.5, max_shortfall=4),
        3: GateRule(min_share=1.0, max_shortfall=0),
        4: GateRule(min_share=0.5, max_shortfall=4),
        5: GateRule(min_share=1.0, max_shortfall=0),
    }
    bundle = Bundle(mini.questionnaire, mini.rubric.model_copy(update={"gate_rules": rules}), mini.targets)
    answers = {**FULL, "beta.one": 5, "beta.two": 2}
    assert dims(score(answers_frame({"a": answers}), bundle)).loc["beta"].gated_level == 2
    # And with the shipped-like rule (80 % at every level): beta at 1 and 5 stays at level 1.
    answers = {**FULL, "beta.one": 1, "beta.two": 5}
    assert dims(score(answers_frame({"a": answers}), mini)).loc["beta"].gated_level == 1


def test_agency_level_is_the_weakest_dimension(mini: Bundle):
    result = score(answers_frame({"a": FULL}), mini)
    assert result.agencies.loc[0, "overall_gated_level"] == 2  # alpha 3, beta 2
    assert result.agencies.loc[0, "overall_level"] == 2  # the mini rubric's official reading is gated


@pytest.mark.parametrize(("method", "expected"), [("weakest", 1), ("median", 2), ("floor_mean", 2)])
def test_overall_gated_methods(mini: Bundle, method: str, expected: int):
    bundle = Bundle(mini.questionnaire, mini.rubric.model_copy(update={"overall_gated": method}), mini.targets)
    # alpha level 3 (see above), beta level 1 -> weakest 1, median of (3, 1) = 2, floor(mean 2.0) = 2
    answers = {**FULL, "beta.one": 1}
    assert score(answers_frame({"a": answers}), bundle).agencies.loc[0, "overall_gated_level"] == expected


def test_continuous_reading_uses_thresholds(mini: Bundle):
    bundle = Bundle(mini.questionnaire, mini.rubric.model_copy(update={"official_reading": "continuous"}), mini.targets)
    result = score(answers_frame({"a": FULL}), bundle)
    # overall 3.3125 >= 3.0 and < 4.0 -> 3; beta 2.0 -> 2; alpha 3.75 -> 3
    assert result.agencies.loc[0, "overall_level"] == 3
    assert dims(result).loc["alpha"].level == 3 and dims(result).loc["beta"].level == 2
    assert result.agencies.loc[0, "overall_gated_level"] == 2  # both readings are always computed


def test_numeric_bands_and_per_question_override(mini: Bundle):
    for value, expected in [(0, 1), (24.9, 1), (25, 2), (50, 3), (79, 3), (80, 4), (95, 5), (100, 5)]:
        result = score(answers_frame({"a": {"alpha.pct": value}}), mini)
        assert result.answers.loc[0, "level"] == expected, value
    from scoring.schemas.rubric import NumericBand

    strict = [NumericBand(min=0, level=1), NumericBand(min=99, level=5)]
    bundle = Bundle(
        mini.questionnaire,
        mini.rubric.model_copy(update={"numeric_bands_by_question": {"alpha.pct": strict}}),
        mini.targets,
    )
    assert score(answers_frame({"a": {"alpha.pct": 95}}), bundle).answers.loc[0, "level"] == 1


def test_option_points_are_the_rubrics(mini: Bundle):
    points = {1: 0.0, 2: 1.0, 3: 2.5, 4: 4.0, 5: 5.0}
    bundle = Bundle(mini.questionnaire, mini.rubric.model_copy(update={"option_points": points}), mini.targets)
    result = score(answers_frame({"a": {"beta.one": 3, "beta.two": 1}}), bundle)
    assert dims(result).loc["beta"].score == pytest.approx((2.5 + 0.0) / 2)


def test_too_many_dont_know_leaves_dimension_unrated(mini: Bundle):
    answers = {**FULL, "beta.one": "dont_know"}
    result = score(answers_frame({"a": answers}), mini)
    beta = dims(result).loc["beta"]
    assert not beta.rated and math.isnan(beta.level) and math.isnan(beta.score)
    row = result.agencies.loc[0]
    assert not row.rated and math.isnan(row.overall_level)
    assert row.light_2027 == "RED" and not row.met_2027


def test_targets_gap_light_and_dimension_override(mini: Bundle):
    result = score(answers_frame({"a": FULL}), mini)
    row = result.agencies.loc[0]
    # 2027 needs 3 everywhere: agency 2 -> gap 1 -> YELLOW (within one level)
    assert (row.met_2027, row.gap_2027, row.light_2027) == (False, 1, "YELLOW")
    # 2030 needs 4 (beta only 3): agency 2 -> gap 2 -> RED
    assert (row.met_2030, row.gap_2030, row.light_2030) == (False, 2, "RED")
    d = dims(result)
    assert d.loc["alpha", "gap_2030"] == 1 and d.loc["beta", "gap_2030"] == 1 and d.loc["beta", "required_2030"] == 3


def test_targets_met_when_every_dimension_reaches_the_minimum(mini: Bundle):
    top = {"alpha.one": 4, "alpha.two": 4, "alpha.three": 4, "alpha.pct": 90, "beta.one": 4, "beta.two": 4}
    row = score(answers_frame({"a": top}), mini).agencies.loc[0]
    assert row.met_2027 and row.met_2030 and row.light_2030 == "GREEN"


def test_indicators_against_each_years_target(mini: Bundle):
    result = agency_result(score(answers_frame({"a": FULL}), mini), "a", "2026")
    assert [(i.value, i.target, i.met) for i in result.targets["2027"].indicators] == [(85, 50, True)]
    assert [(i.value, i.target, i.met) for i in result.targets["2030"].indicators] == [(85, 90, False)]


def test_an_indicator_answered_na_leaves_the_count(mini: Bundle):
    """alpha.pct answered N/A: the agency has 0 of 0 indicators to meet, not 0 of 1 (and one
    agency that gave 30 % next to it still has 0 of 1): same numbers in the agency result, the
    engine's per-assessment columns (the CLI and coordinator read them) and the indicator frame."""
    result = score(answers_frame({"a": {**FULL, "alpha.pct": "na"}, "b": {**FULL, "alpha.pct": 30}}), mini)
    one = agency_result(result, "a", "2026")
    for year in ("2027", "2030"):
        status = one.targets[year]
        assert [(i.applicable, i.met, i.state) for i in status.indicators] == [(False, False, "not_applicable")]
        assert (status.indicators_met, len(status.indicators_counted)) == (0, 0)
    rows = result.agencies.set_index("agency_id")
    assert (rows.loc["a", "indicators_met_2027"], rows.loc["a", "indicators_total_2027"]) == (0, 0)
    assert (rows.loc["b", "indicators_met_2027"], rows.loc["b", "indicators_total_2027"]) == (0, 1)
    assert agency_result(result, "b", "2026").targets["2027"].indicators[0].state == "not_met"
    assert result.indicators.set_index("agency_id").loc["a", "applicable"] == False  # noqa: E712


def test_next_steps_list_the_next_levels_unmet_criteria(mini: Bundle):
    result = agency_result(score(answers_frame({"a": FULL}), mini), "a", "2026")
    steps = {(s.dimension_id, s.level): s for s in result.next_steps}
    # beta is at 2: level 3 is needed for 2027 and 2030 (beta's 2030 minimum is 3)
    beta3 = steps[("beta", 3)]
    assert beta3.for_years == ["2027", "2030"]
    assert [c.question_id for c in beta3.criteria] == ["beta.one", "beta.two"]  # dont_know counts as not met
    assert beta3.criteria[0].statement.en == "beta.one level 3"
    # alpha is at 3: level 4 for 2030; alpha.one (4) and alpha.pct (level 4) already meet it, alpha.three is na
    alpha4 = steps[("alpha", 4)]
    assert alpha4.for_years == ["2030"] and [c.question_id for c in alpha4.criteria] == ["alpha.two"]
    assert ("alpha", 3) not in steps and ("beta", 4) not in steps


def test_population_shares_by_type(mini: Bundle):
    top = {"alpha.one": 5, "alpha.two": 5, "alpha.three": 5, "alpha.pct": 100, "beta.one": 5, "beta.two": 5}
    frame = answers_frame({"a": FULL, "b": top, "c": top})
    frame.loc[frame.agency_id == "a", "agency_type"] = "commune"
    summary = population_summary(score(frame, mini))
    at5 = summary[(summary.group_by == "all") & (summary.year == "2030") & (summary.min_level == 5)].iloc[0]
    assert (at5.agencies, at5.meeting, at5.share) == (3, 2, pytest.approx(2 / 3))
    assert not at5.met and at5.share_gap == pytest.approx(0.9 - 2 / 3)
    commune = summary[(summary.group == "commune") & (summary.year == "2027") & (summary.target == "agency_target")]
    assert commune.iloc[0].share == 0.0


def test_answer_order_does_not_matter(mini: Bundle):
    frame = answers_frame({"a": FULL, "b": {**FULL, "beta.one": 5}})
    shuffled = frame.sample(frac=1, random_state=3)
    one = score(frame, mini).agencies.set_index("agency_id").sort_index()
    two = score(shuffled, mini).agencies.set_index("agency_id").sort_index()
    assert one[["overall_score", "overall_level"]].equals(two[["overall_score", "overall_level"]])
