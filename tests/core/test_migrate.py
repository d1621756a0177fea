"""Carrying answers across versions by the mapping: each merge rule by hand, the CLI, and the shipped mapping."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scoring import registry
from scoring.cli import main
from scoring.content import load_bundle
from scoring.migrate import migrate_answers, migrated_response
from scoring.response_frame import response_to_yaml
from scoring.responses import load_paths, parse_response
from scoring.schemas.mapping import Mapping
from scoring.schemas.response import AnswerNote, Response
from scoring.validation import load_mapping, validate_shipped

SAMPLES = Path(__file__).resolve().parents[2] / "sample_responses"


def _migrate(fixture_registry: Path, answers: dict, agency_type: str = "commune", notes: dict | None = None):
    new = load_bundle("mini", "2.0.0").questionnaire
    return migrate_answers(answers, notes or {}, load_mapping("mini", "1.0.0", "2.0.0"), new, agency_type)


def test_each_merge_rule_by_hand(fixture_registry: Path):
    answers = {"alpha.one": 4, "alpha.two": 2, "alpha.three": 5, "alpha.pct": 62.5, "beta.one": 2, "beta.two": 1}
    notes = {"alpha.two": AnswerNote(evidence="QĐ 12"), "alpha.three": AnswerNote(evidence="QĐ 13")}
    migrated = _migrate(fixture_registry, answers, notes=notes)
    assert migrated.answers == {
        "alpha.one": 4,  # same
        "alpha.merged": 2,  # min(alpha.two 2, alpha.three 5)
        "alpha.best": 2,  # max(alpha.two 2, beta.one 2)
        "alpha.pct": 62.5,  # same, a percentage
        "beta.mean": 3,  # mean_round_down(4, 2, 5) = floor(3.67)
        "beta.first": 4,  # first_answered: alpha.three 5, through level_map {5: 4}
    }
    assert migrated.notes["alpha.merged"].evidence == "QĐ 12; QĐ 13"
    assert migrated.report.retired == ["beta.two: merged into the level statements of beta.first"]
    assert migrated.report.to_answer == ["alpha.platform"]  # beta.ministry_only is not asked of a commune
    assert migrated.report.carried["alpha.merged"] == ["alpha.two", "alpha.three"]


def test_na_and_dont_know_when_no_source_has_a_real_answer(fixture_registry: Path):
    answers = {"alpha.two": "na", "alpha.three": "dont_know", "beta.one": 3}
    notes = {"alpha.two": AnswerNote(na_reason="Xã không có hệ thống riêng")}
    migrated = _migrate(fixture_registry, answers, notes=notes)
    assert migrated.answers["alpha.merged"] == "na"  # min: no real answer, one na -> na with its reason
    assert migrated.notes["alpha.merged"].na_reason == "Xã không có hệ thống riêng"
    assert migrated.answers["alpha.best"] == 3  # max skips the na
    assert migrated.answers["beta.first"] == "na"  # first_answered: na before dont_know
    assert migrated.answers["beta.mean"] == 3  # mean of the one real answer
    only_dont_know = _migrate(fixture_registry, {"alpha.three": "dont_know"})
    assert only_dont_know.answers == {"alpha.merged": "dont_know", "beta.mean": "dont_know", "beta.first": "dont_know"}


def test_a_question_not_asked_of_the_type_is_reported_not_carried(fixture_registry: Path):
    mapping = load_mapping("mini", "1.0.0", "2.0.0")
    data = mapping.model_dump(by_alias=True)
    data["questions"].append({"to": "alpha.platform", "from": ["beta.two"], "rule": "same"})
    data["new"].remove("alpha.platform")
    data["retired"] = []
    new = load_bundle("mini", "2.0.0").questionnaire
    migrated = migrate_answers({"beta.two": 4}, {}, Mapping.model_validate(data), new, "ministry")
    assert migrated.answers == {}
    assert migrated.report.not_carried == ["alpha.platform (from beta.two): not asked of a ministry"]
    assert migrated.report.to_answer == ["beta.ministry_only"]


def test_cli_migrate_writes_a_valid_response_and_reports(fixture_registry: Path, tmp_path: Path, capsys):
    source = tmp_path / "old.yaml"
    source.write_text(
        'questionnaire: mini\nversion: "1.0.0"\nagency: {id: x, name: "Xã X", type: commune, province: tinh_x}\n'
        'round: "2026"\nanswers:\n  alpha.one: 3\n  alpha.two: 4\n  beta.two: 2\n',
        encoding="utf-8",
    )
    out = tmp_path / "new.yaml"
    assert main(["migrate", str(source), "--to", "2.0.0", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert (
        "1.0.0 -> 2.0.0" in err
        and "retired: beta.two" in err
        and "to answer (new in this version): alpha.platform" in err
    )
    migrated = parse_response(out.read_bytes(), str(out), load_bundle("mini", "2.0.0"))
    assert migrated.version == "2.0.0"
    assert migrated.answers == {"alpha.one": 3, "alpha.merged": 4, "alpha.best": 4, "beta.mean": 3, "beta.first": 4}
    assert main(["migrate", str(out), "--to", "2.0.0"]) == 2  # already there


def test_cli_migrate_refuses_an_invalid_file(fixture_registry: Path, tmp_path: Path, capsys):
    source = tmp_path / "bad.yaml"
    source.write_text(
        'questionnaire: mini\nversion: "1.0.0"\nagency: {id: x, name: X, type: ministry}\nround: "2026"\n'
        "answers:\n  alpha.one: 9\n",
        encoding="utf-8",
    )
    assert main(["migrate", str(source), "--to", "2.0.0"]) == 1
    assert f"{source}:6: alpha.one: 9 is not a level" in capsys.readouterr().err


def _shipped_mapping() -> Path:
    path = registry.mapping_files("dmm-vn").get(("1.0.0", "2.0.0"))
    if path is None:
        pytest.skip("the 1.0.0 -> 2.0.0 mapping is not shipped yet")
    return path


def test_shipped_mapping_maps_or_retires_every_1_0_0_question():
    _shipped_mapping()
    problems = [p for p in validate_shipped().problems if "mapping" in p.path]
    assert problems == []
    mapping = load_mapping("dmm-vn", "1.0.0", "2.0.0")
    old = load_bundle("dmm-vn", "1.0.0").questionnaire
    carried = {s for e in mapping.questions for s in e.from_} | {r.id for r in mapping.retired}
    assert carried == {q.id for q in old.questions}


def test_every_1_0_0_sample_migrates_to_a_valid_2_0_0_response():
    _shipped_mapping()
    old, new = load_bundle("dmm-vn", "1.0.0"), load_bundle("dmm-vn", "2.0.0")
    folder = SAMPLES / "v1" if (SAMPLES / "v1").is_dir() else SAMPLES
    loaded = load_paths(sorted(folder.glob("*.yaml")), old)
    assert loaded.problems == [] and len(loaded.responses) >= 16
    for response in loaded.responses:
        migrated, _ = migrated_response(response, new)
        again = parse_response(response_to_yaml(migrated).encode(), response.agency.id, new)
        assert again.version == "2.0.0" and again.answers, response.agency.id


def test_response_yaml_roundtrip_keeps_provided():
    response = Response(
        questionnaire="dmm-vn",
        version="2.0.0",
        agency={"id": "x", "name": "X", "type": "commune", "province": "p"},
        round="2027",
        answers={"a.b": "provided"},
    )
    assert yaml.safe_load(response_to_yaml(response))["answers"] == {"a.b": "provided"}
