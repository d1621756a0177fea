"""What-if: both sides are the engine's own result; the diff says what moved and which way."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import agency_result, score
from tests.conftest import answers_frame
from trainer.samples import load_samples
from trainer.whatif import (
    UNANSWERED,
    answer_choices,
    apply_changes,
    current_answers,
    diff_results,
    effective_changes,
    numeric_level,
    score_level_table,
    target_table,
    what_if,
)


@pytest.fixture(scope="module")
def sample(shipped):
    samples = load_samples(shipped)
    if samples.result is None:
        pytest.skip("no sample responses shipped yet")
    return samples.answers(samples.keys[0])


def _engine(frame, bundle):
    return agency_result(score(frame, bundle), str(frame["agency_id"].iloc[0]), str(frame["round"].iloc[0]))


def test_no_change_gives_the_sample_and_no_difference(shipped, sample):
    outcome = what_if(sample, {}, shipped)
    assert outcome.before.model_dump() == outcome.after.model_dump() == _engine(sample, shipped).model_dump()
    assert set(outcome.diff["change"]) == {"same"}
    assert outcome.changed.empty


def test_a_change_equal_to_the_original_is_no_change(shipped, sample):
    original = current_answers(sample)
    question_id = next(iter(original))
    assert effective_changes(original, {question_id: original[question_id]}) == {}
    assert what_if(sample, {question_id: original[question_id]}, shipped).changes == {}


def test_one_change_equals_the_engine_on_the_modified_frame(shipped, sample):
    changes = {"governance.strategy": "1", "records.satisfaction_share": "99"}
    outcome = what_if(sample, changes, shipped)
    modified = sample.copy()
    for question_id, value in changes.items():
        modified.loc[modified["question_id"] == question_id, "answer"] = value
    expected = _engine(modified, shipped)
    assert outcome.after.model_dump() == expected.model_dump()
    row = outcome.diff[(outcome.diff["item"] == "governance") & (outcome.diff["measure"] == "score")].iloc[0]
    assert row["after"] == expected.dimensions["governance"].score
    assert row["delta"] == pytest.approx(expected.dimensions["governance"].score - outcome.before.dimensions[
        "governance"].score, abs=1e-3)


def test_apply_changes_removes_adds_and_marks_na(shipped, sample):
    question_id = sample["question_id"].iloc[0]
    before = sample.copy()
    removed = apply_changes(sample, {question_id: None})
    assert question_id not in set(removed["question_id"])
    assert len(removed) == len(sample) - 1
    added = apply_changes(removed, {question_id: "4"})
    assert added.set_index("question_id").loc[question_id, "answer"] == "4"
    assert added["agency_id"].nunique() == 1
    na = apply_changes(sample, {question_id: "na"}).set_index("question_id").loc[question_id]
    assert na["answer"] == "na" and na["na_reason"]
    back = apply_changes(apply_changes(sample, {question_id: "na"}), {question_id: "3"})
    assert back.set_index("question_id").loc[question_id, "na_reason"] is None
    assert sample.equals(before)  # the sample itself is never modified
    with pytest.raises(ValueError):
        apply_changes(sample.iloc[0:0], {question_id: "1"})


def test_apply_changes_refuses_several_assessments(shipped):
    frame = answers_frame({"a": {"governance.strategy": 1}, "b": {"governance.strategy": 2}})
    with pytest.raises(ValueError):
        apply_changes(frame, {"governance.strategy": "3"})


def test_direction_of_each_measure(shipped):
    complete = {q.id: 2 if q.kind == "level" else 30 for q in shipped.questionnaire.questions}
    better = {q.id: 4 if q.kind == "level" else 90 for q in shipped.questionnaire.questions}
    before = _engine(answers_frame({"x": complete}), shipped)
    after = _engine(answers_frame({"x": better}), shipped)
    diff = diff_results(before, after)
    overall = diff[(diff["section"] == "overall") & (diff["measure"] == "level")].iloc[0]
    assert (overall["before"], overall["after"], overall["delta"], overall["change"]) == (2, 4, 2.0, "up")
    gap = diff[(diff["item"] == "2027") & (diff["measure"] == "level_gap")].iloc[0]
    assert gap["change"] == "up"  # fewer missing levels is better
    met = diff[(diff["item"] == "2027") & (diff["measure"] == "met")].iloc[0]
    assert (met["before"], met["after"], met["change"]) == (False, True, "up")
    light = diff[(diff["item"] == "2027") & (diff["measure"] == "light")].iloc[0]
    assert (light["before"], light["after"], light["change"]) == ("YELLOW", "GREEN", "up")
    reverse = diff_results(after, before)
    assert set(reverse.loc[reverse["change"] != "same", "change"]) == {"down"}


def test_becoming_unrated_is_a_change_without_a_number(shipped):
    complete = {q.id: 3 if q.kind == "level" else 60 for q in shipped.questionnaire.questions}
    unknown = {**complete, **{q.id: "dont_know" for q in shipped.questionnaire.dimension("quality").questions}}
    diff = diff_results(_engine(answers_frame({"x": complete}), shipped),
                        _engine(answers_frame({"x": unknown}), shipped))
    row = diff[(diff["item"] == "quality") & (diff["measure"] == "level")].iloc[0]
    assert row["change"] == "changed" and row["after"] is None


def test_wide_tables(shipped, sample):
    outcome = what_if(sample, {"governance.strategy": "5"}, shipped)
    table = score_level_table(outcome.diff)
    assert list(table["item"]) == ["overall", *shipped.dimension_ids]
    assert {"score_before", "score_after", "score_delta", "level_change"} <= set(table.columns)
    targets = target_table(outcome.diff)
    assert list(targets["year"]) == shipped.years


def test_answer_choices(shipped):
    level_q = shipped.questionnaire.question("governance.strategy")
    assert answer_choices(shipped, level_q, "3") == ["1", "2", "3", "4", "5", "na", "dont_know"]
    assert answer_choices(shipped, level_q, None)[-1] == UNANSWERED
    pct = shipped.questionnaire.question("records.satisfaction_share")
    choices = answer_choices(shipped, pct, "87.5")
    assert "87.5" in choices and "100" in choices and "60" in choices
    assert {numeric_level(shipped, pct.id, float(c)) for c in choices if c[0].isdigit()} == {1, 2, 3, 4, 5}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_changes_equal_the_engine(shipped, sample, data):
    questions = shipped.questionnaire.questions
    original = current_answers(sample)
    picked = data.draw(st.lists(st.sampled_from(questions), min_size=1, max_size=6, unique_by=lambda q: q.id))
    changes = {}
    for question in picked:
        choice = data.draw(st.sampled_from(answer_choices(shipped, question, original.get(question.id))))
        changes[question.id] = None if choice == UNANSWERED else choice
    outcome = what_if(sample, changes, shipped)
    assert outcome.after.model_dump() == _engine(apply_changes(sample, outcome.changes or {}), shipped).model_dump()
