"""Every shipped sample loads through scoring.load_paths and is scored once."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import agency_result, load_paths, score
from trainer.samples import load_samples, sample_dir_for, sample_files, sample_key, split_key


def test_key_round_trip():
    assert split_key(sample_key("xa::odd", "2026")) == ("xa::odd", "2026")


def test_every_sample_file_is_loaded(shipped):
    files = sample_files(sample_dir_for(shipped))
    if not files:
        pytest.skip("no sample responses shipped yet")
    samples = load_samples(shipped)
    assert samples.problems == []
    assert samples.result is not None
    loaded = load_paths([sample_dir_for(shipped)], shipped)
    assert len(samples.keys) == loaded.assessment_count == len(files)
    for key in samples.keys:
        agency_id, round_ = split_key(key)
        expected = agency_result(score(samples.answers(key), shipped), agency_id, round_)
        assert samples.result_of(key).model_dump() == expected.model_dump()
        assert samples.label(key).endswith(f"({round_})")


def test_samples_are_ordered_ministries_provinces_communes(shipped):
    samples = load_samples(shipped)
    if samples.result is None:
        pytest.skip("no sample responses shipped yet")
    order = {"ministry": 0, "province": 1, "commune": 2}
    types = [order[samples.agency_type(k)] for k in samples.keys]
    assert types == sorted(types)


def test_an_empty_or_missing_folder_gives_no_samples(shipped, tmp_path: Path):
    assert load_samples(shipped, tmp_path).result is None
    assert load_samples(shipped, tmp_path / "missing").keys == []


def test_a_bad_file_is_reported_and_the_others_load(shipped, tmp_path: Path):
    good = next(iter(sample_files(sample_dir_for(shipped))), None)
    if good is None:
        pytest.skip("no sample responses shipped yet")
    (tmp_path / good.name).write_bytes(good.read_bytes())
    (tmp_path / "broken.yaml").write_text("questionnaire: dmm-vn\nversion: 1.0.0\nanswers: [\n", encoding="utf-8")
    samples = load_samples(shipped, tmp_path)
    assert len(samples.keys) == 1
    assert any("broken.yaml" in str(p) for p in samples.problems)
