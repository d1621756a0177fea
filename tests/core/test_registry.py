"""The content registry: versions side by side, each with the rubric and targets declared for it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scoring import registry
from scoring.cli import main
from scoring.content import load_bundle, shipped_rubrics
from scoring.errors import ContentError
from scoring.validation import validate_shipped


def test_shipped_1_0_0_lives_in_the_registry():
    assert "1.0.0" in registry.versions("dmm-vn")
    bundle = load_bundle("dmm-vn", "1.0.0", rubric="lenient")
    assert bundle.questionnaire.version == "1.0.0" and bundle.rubric.id == "lenient"
    assert bundle.sources["questionnaire"].endswith("questionnaires/dmm-vn/1.0.0.yaml")
    assert load_bundle().questionnaire.version == "1.0.0"  # the default stays 1.0.0
    assert set(shipped_rubrics()) >= {"standard", "lenient"}


def test_versions_newest_and_bundles_per_version(fixture_registry: Path):
    assert registry.versions("mini") == ["1.0.0", "2.0.0"] and registry.newest_version("mini") == "2.0.0"
    old = load_bundle("mini", "1.0.0")
    new = load_bundle("mini", "2.0.0")
    assert old.questionnaire.major == 1 and old.rubric.provided_level is None
    assert new.questionnaire.major == 2 and new.rubric.provided_level == 3
    assert new.sources["rubric"].endswith("rubrics/mini-2/standard.yaml")
    assert new.sources["targets"].endswith("targets/mini-2/qd-2629.yaml")
    assert new.targets.years["2027"].agency_min_level_for("commune") == 2


def test_unknown_version_is_a_clear_error(fixture_registry: Path):
    with pytest.raises(ContentError, match=r"mini has no version 9.0.0 \(shipped versions: 1.0.0, 2.0.0\)"):
        load_bundle("mini", "9.0.0")


def test_foreign_rubric_and_targets_are_skipped_with_a_note(fixture_registry: Path):
    report = validate_shipped()
    assert report.problems == []
    assert any(
        "foreign.yaml: rubric for other-questionnaire v1.x, which is not shipped: skipped" in n for n in report.notes
    )
    assert any("foreign.yaml: targets for other-questionnaire v3.x" in n for n in report.notes)
    assert report.summaries == ["mini 1.0.0: 2 dimensions, 6 questions", "mini 2.0.0: 2 dimensions, 8 questions"]


def _copy_shipped_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    rubrics, targets = tmp_path / "rubrics", tmp_path / "targets"
    shutil.copytree(registry.RUBRIC_DIR, rubrics)
    shutil.copytree(registry.TARGETS_DIR, targets)
    monkeypatch.setattr(registry, "RUBRIC_DIR", rubrics)
    monkeypatch.setattr(registry, "TARGETS_DIR", targets)
    return rubrics, targets


def test_a_foreign_file_in_the_shipped_folders_breaks_nothing(tmp_path: Path, monkeypatch, capsys):
    rubrics, targets = _copy_shipped_folders(tmp_path, monkeypatch)
    foreign = Path(__file__).parents[1] / "fixtures" / "registry"
    shutil.copy(foreign / "rubrics" / "foreign.yaml", rubrics / "standard-other.yaml")  # same rubric id "standard"
    shutil.copy(foreign / "targets" / "foreign.yaml", targets / "other.yaml")
    bundle = load_bundle(rubric="standard")
    assert bundle.rubric.questionnaire.id == "dmm-vn" and bundle.targets.id == "qd-2629"
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "note:" in out and "standard-other.yaml: rubric for other-questionnaire v1.x" in out and "ok:" in out


def test_a_broken_rubric_file_is_reported_by_validate_but_the_app_still_loads(tmp_path: Path, monkeypatch, capsys):
    rubrics, _ = _copy_shipped_folders(tmp_path, monkeypatch)
    (rubrics / "broken.yaml").write_text("id: broken\nquestionnaire: [oops\n", encoding="utf-8")
    assert load_bundle(rubric="lenient").rubric.id == "lenient"
    assert main(["validate"]) == 1
    assert f"{rubrics / 'broken.yaml'}:" in capsys.readouterr().err


def test_a_rubric_for_the_wrong_major_is_not_offered(fixture_registry: Path):
    with pytest.raises(ContentError, match="no such rubric"):
        load_bundle("mini", "2.0.0", rubric="lenient")


def test_every_offered_version_loads_with_every_rubric():
    for version in registry.offered_versions("dmm-vn"):
        major = registry.version_key(version)[0]
        rubric_ids = set(registry.rubrics_for("dmm-vn", major))
        assert rubric_ids >= {"standard", "lenient"}, version  # the rubric picked in the sidebar exists for each
        for rubric in rubric_ids:
            bundle = load_bundle("dmm-vn", version, rubric=rubric)
            assert bundle.rubric.id == rubric and bundle.questionnaire.version == version
            if any(q.providable for q in bundle.questionnaire.questions):
                assert bundle.rubric.provided_level is not None
