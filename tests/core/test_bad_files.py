"""Each kind of bad file gets a message naming the file, the line and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.bulk_csv import parse_bulk_csv
from scoring.content import Bundle, load_bundle
from scoring.errors import ContentError
from scoring.responses import load_named_inputs, parse_response
from tests.conftest import MINI

GOOD = """questionnaire: mini
version: "1.0.0"
agency: {id: bo_x, name: "Bộ Thử nghiệm", type: ministry}
round: "2026"
answers:
  alpha.one: 3
  alpha.pct: 40
"""


def problems_of(raw: str, bundle: Bundle, name: str = "resp.yaml") -> list[str]:
    with pytest.raises(ContentError) as caught:
        parse_response(raw.encode(), name, bundle)
    return [str(p) for p in caught.value.problems]


def test_good_response_parses(mini: Bundle):
    response = parse_response(GOOD.encode(), "resp.yaml", mini)
    assert response.agency.name == "Bộ Thử nghiệm" and response.answers == {"alpha.one": 3, "alpha.pct": 40}


def test_duplicate_key_is_an_error_with_both_lines(mini: Bundle):
    raw = GOOD + "  alpha.one: 5\n"
    assert problems_of(raw, mini) == [
        "resp.yaml:8: duplicate key 'alpha.one' (first given on line 6); each key may appear only once"
    ]


def test_yaml_syntax_error_names_the_line(mini: Bundle):
    raw = GOOD.replace("alpha.pct: 40", "alpha.pct: [40")
    (message,) = problems_of(raw, mini)
    assert message.startswith("resp.yaml:") and "YAML syntax error" in message


def test_unknown_question_and_bad_values(mini: Bundle):
    raw = GOOD + "  alpha.nope: 3\n  alpha.two: 7\n  beta.one: maybe\n  alpha.three: 2.5\n"
    assert problems_of(raw, mini) == [
        "resp.yaml:8: unknown question id 'alpha.nope' (see `python -m scoring template` for the ids)",
        "resp.yaml:9: alpha.two: 7 is not a level (expected 1-5, na or dont_know)",
        "resp.yaml:10: beta.one: 'maybe' is not an answer (expected 1-5, na or dont_know)",
        "resp.yaml:11: alpha.three: 2.5 is not a level (expected 1-5, na or dont_know)",
    ]


def test_percent_out_of_range(mini: Bundle):
    (message,) = problems_of(GOOD.replace("alpha.pct: 40", "alpha.pct: 140"), mini)
    assert (
        message == "resp.yaml:7: alpha.pct: 140 is out of range (expected a percentage from 0 to 100, na or dont_know)"
    )


def test_na_needs_a_reason(mini: Bundle):
    (message,) = problems_of(GOOD + "  beta.one: na\n", mini)
    assert message.startswith("resp.yaml:8: beta.one: 'na' needs a reason")
    ok = GOOD + '  beta.one: na\nnotes:\n  beta.one: {na_reason: "Không có cơ sở dữ liệu"}\n'
    assert parse_response(ok.encode(), "resp.yaml", mini).notes["beta.one"].na_reason == "Không có cơ sở dữ liệu"


def test_yes_no_are_not_answers(mini: Bundle):
    (message,) = problems_of(GOOD + "  beta.one: yes\n", mini)
    assert "resp.yaml:" in message and "beta.one: True is not an answer" in message


def test_version_of_another_major_is_refused(mini: Bundle):
    (message,) = problems_of(GOOD.replace('version: "1.0.0"', 'version: "2.0.0"'), mini)
    assert message.startswith("resp.yaml:2: version 2.0.0 does not match questionnaire version 1.0.0")


def test_missing_and_mistyped_fields(mini: Bundle):
    raw = GOOD.replace("type: ministry", "type: department").replace('round: "2026"\n', "")
    messages = problems_of(raw, mini)
    assert "resp.yaml:1: round: required field is missing" in messages
    assert any(m.startswith("resp.yaml:3: agency.type: Input should be") for m in messages)


def test_not_utf8(mini: Bundle):
    with pytest.raises(ContentError) as caught:
        parse_response("agency: {name: Bộ}".encode("utf-16"), "r.yaml", mini)
    assert "not UTF-8" in str(caught.value)


def test_broken_questionnaire_names_file_and_line(tmp_path: Path):
    broken = (MINI / "questionnaire.yaml").read_text(encoding="utf-8").replace("kind: level", "kind: levels", 1)
    path = tmp_path / "q.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_bundle(path, MINI / "rubric.yaml", MINI / "targets.yaml")
    (problem,) = caught.value.problems
    line = broken.splitlines().index("  - id: alpha.one") + 2  # the kind line follows the id
    assert problem.path == str(path) and problem.line == line
    assert "kind: Input should be 'level' or 'numeric'" in problem.message


def test_rubric_naming_unknown_question_is_a_cross_check_error(tmp_path: Path):
    text = (MINI / "rubric.yaml").read_text(encoding="utf-8").replace("alpha.one: 2", "alpha.typo: 2")
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_bundle(MINI / "questionnaire.yaml", path, MINI / "targets.yaml")
    assert str(caught.value) == f"{path}:14: question_weights names unknown question 'alpha.typo'"


def test_targets_naming_unknown_dimension(tmp_path: Path):
    text = (MINI / "targets.yaml").read_text(encoding="utf-8").replace("{beta: 3}", "{gamma: 3}")
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_bundle(MINI / "questionnaire.yaml", MINI / "rubric.yaml", path)
    assert "unknown dimension 'gamma'" in str(caught.value) and f"{path}:8:" in str(caught.value)


CSV_HEADER = "agency_id,agency_name,agency_type,province,round,question_id,answer,na_reason\n"


def test_bulk_csv_bad_rows_leave_out_only_their_agency(mini: Bundle):
    raw = (
        CSV_HEADER
        + "a,A,ministry,,2026,alpha.one,3,\n"
        + "a,A,ministry,,2026,beta.one,9,\n"
        + "b,B,commune,tinh_x,2026,alpha.one,4,\n"
        + "b,B,commune,tinh_x,2026,beta.one,na,Không áp dụng\n"
        + "c,C,commune,,2026,alpha.one,2,\n"
    )
    frame, problems = parse_bulk_csv(raw.encode(), "bulk.csv", mini)
    assert sorted(frame.agency_id.unique()) == ["b"]
    messages = [str(p) for p in problems]
    assert "bulk.csv:3: beta.one: '9' is not a level (expected 1-5, na or dont_know)" in messages
    assert "bulk.csv:6: a commune must name its province" in messages
    assert messages[-1] == "bulk.csv: 2 agency-round(s) left out because of the problems above"


def test_bulk_csv_missing_columns(mini: Bundle):
    frame, problems = parse_bulk_csv(b"agency_id,answer\nx,3\n", "bulk.csv", mini)
    assert frame.empty and str(problems[0]).startswith("bulk.csv:1: missing column(s) agency_name")


def test_one_bad_file_does_not_stop_the_others(mini: Bundle):
    bad = GOOD.replace("alpha.one: 3", "alpha.one: 8")
    good_two = GOOD.replace("bo_x", "bo_y")
    loaded = load_named_inputs(
        [("good.yaml", GOOD.encode()), ("bad.yaml", bad.encode()), ("two.yaml", good_two.encode())], mini
    )
    assert sorted(loaded.frame.agency_id.unique()) == ["bo_x", "bo_y"]
    assert [p.path for p in loaded.problems] == ["bad.yaml"]


def test_bulk_csv_agency_profiles_and_repeated_answers_hand_checked(mini: Bundle):
    """Each rule over codes of distinct values: an agency whose rows disagree on its name, type or
    province loses every row; a question answered twice in one round is refused on its second row
    only, and the same question in another round is fine."""
    raw = (
        CSV_HEADER
        + "a,A,ministry,,2026,alpha.one,3,\n"
        + "a,A,ministry,,2026,alpha.two,3,\n"
        + "a,A,ministry,,2026,alpha.one,4,\n"
        + "a,A,ministry,,2027,alpha.one,4,\n"
        + "b,B,commune,tinh_x,2026,alpha.one,4,\n"
        + "b,B,commune,tinh_y,2026,alpha.two,4,\n"
        + "c,C,province,,2026,alpha.one,2,\n"
        + "c,C,province,,2026,alpha.two,2,\n"
        + "d,D,ministry,,2026,alpha.one,2,\n"
        + "d,D2,ministry,,2026,alpha.two,2,\n"
    )
    frame, problems = parse_bulk_csv(raw.encode(), "bulk.csv", mini)
    assert sorted(map(tuple, frame[["agency_id", "round"]].drop_duplicates().to_numpy())) == [("a", "2027"),
                                                                                              ("c", "2026")]
    assert [str(p) for p in problems] == [
        "bulk.csv:4: question alpha.one answered twice for this agency and round",
        "bulk.csv:6: agency b has different names, types or provinces on different rows",
        "bulk.csv:7: agency b has different names, types or provinces on different rows",
        "bulk.csv:10: agency d has different names, types or provinces on different rows",
        "bulk.csv:11: agency d has different names, types or provinces on different rows",
        "bulk.csv: 3 agency-round(s) left out because of the problems above",
    ]
