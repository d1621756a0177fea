"""Properties any rubric must keep, checked on random answers (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.content import Bundle
from scoring.engine import score
from tests.conftest import answers_frame

LEVEL_QUESTIONS = ["alpha.one", "alpha.two", "alpha.three", "beta.one", "beta.two"]
answer = st.sampled_from([1, 2, 3, 4, 5])
answers = st.fixed_dictionaries({q: answer for q in LEVEL_QUESTIONS} | {"alpha.pct": st.integers(0, 100)})
PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _levels(result):
    return result.dimensions.set_index("dimension_id")[["score", "gated_level", "continuous_level"]]


@PROFILE
@given(answers)
def test_scores_and_levels_stay_in_range(mini: Bundle, given_answers):
    result = score(answers_frame({"a": given_answers}), mini)
    row = result.agencies.iloc[0]
    assert 1.0 <= row.overall_score <= 5.0
    assert 1 <= row.overall_gated_level <= 5 and 1 <= row.overall_continuous_level <= 5
    assert result.dimensions["score"].between(1, 5).all()


@PROFILE
@given(answers, st.sampled_from([*LEVEL_QUESTIONS, "alpha.pct"]))
def test_raising_one_answer_never_lowers_anything(mini: Bundle, given_answers, question):
    raised = dict(given_answers)
    raised[question] = min(raised[question] + 1, 5) if question != "alpha.pct" else min(raised[question] + 10, 100)
    before, after = score(answers_frame({"a": given_answers}), mini), score(answers_frame({"a": raised}), mini)
    assert (_levels(after).to_numpy() >= _levels(before).to_numpy() - 1e-12).all()
    for column in ("overall_score", "overall_gated_level", "overall_continuous_level"):
        assert after.agencies.iloc[0][column] >= before.agencies.iloc[0][column] - 1e-12


@PROFILE
@given(answers, st.randoms(use_true_random=False))
def test_answer_order_does_not_matter(mini: Bundle, given_answers, rnd):
    frame = answers_frame({"a": given_answers, "b": {**given_answers, "beta.one": 1}})
    order = list(range(len(frame)))
    rnd.shuffle(order)
    one = score(frame, mini).agencies.set_index("agency_id").sort_index()
    two = score(frame.iloc[order], mini).agencies.set_index("agency_id").sort_index()
    assert np.allclose(one["overall_score"], two["overall_score"])
    assert (one["overall_level"] == two["overall_level"]).all()


@PROFILE
@given(st.sampled_from([1, 5]))
def test_all_same_level_gives_that_level(shipped: Bundle, level):
    percent = {1: 0, 5: 100}[level]
    answers = {q.id: (level if q.kind == "level" else percent) for q in shipped.questionnaire.questions}
    row = score(answers_frame({"a": answers}), shipped).agencies.iloc[0]
    assert row.overall_score == level and row.overall_level == level
    assert row.overall_gated_level == level and row.overall_continuous_level == level


@PROFILE
@given(answers, st.sampled_from(["alpha.one", "alpha.two", "alpha.three"]))
def test_na_never_changes_another_dimension(mini: Bundle, given_answers, question):
    with_na = {**given_answers, question: "na"}
    before = _levels(score(answers_frame({"a": given_answers}), mini)).loc["beta"]
    after = _levels(score(answers_frame({"a": with_na}), mini)).loc["beta"]
    assert before.equals(after)
