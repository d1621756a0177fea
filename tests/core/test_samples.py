"""The sample agency responses: they validate, score, agree with the bulk CSV, and say what the README says.

The files in sample_responses/ are the committed output of sample_responses/make_samples.py;
the README table was filled from the standard rubric's score. These tests keep all three honest.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from scoring import Bundle, agency_result, load_bundle, load_paths, score
from scoring.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_responses" / "v1"  # the 1.0.0 samples (2.0.0: tests/core/test_samples_v2.py)
BULK = SAMPLES / "bulk" / "bulk.csv"
README = SAMPLES / "README.md"
YAML_FILES = sorted(SAMPLES.glob("*.yaml"))

# (agency_id, round) -> official overall level under the standard rubric (None: not rated).
EXPECTED_LEVELS = {
    ("bo_tai_chinh", "2026"): 4,
    ("bo_y_te", "2026"): 2,
    ("bo_tu_phap", "2026"): 3,
    ("bo_khoa_hoc_va_cong_nghe", "2026"): 3,
    ("bo_giao_duc_va_dao_tao", "2026"): 2,
    ("bo_nong_nghiep_va_moi_truong", "2026"): None,
    ("tinh_da_nang", "2026"): 4,
    ("tinh_ha_noi", "2026"): 3,
    ("tinh_lam_dong", "2025"): 2,
    ("tinh_lam_dong", "2026"): 3,
    ("tinh_quang_ngai", "2026"): 2,
    ("tinh_dien_bien", "2026"): 1,
    ("phuong_ben_thanh", "2026"): 3,
    ("phuong_hoa_khanh", "2025"): 1,
    ("phuong_hoa_khanh", "2026"): 2,
    ("phuong_hong_gai", "2026"): 2,
    ("xa_dak_ha", "2026"): 1,
    ("xa_muong_nhe", "2026"): 1,
}


@pytest.fixture(scope="module")
def loaded(shipped: Bundle):
    loaded = load_paths(YAML_FILES, shipped)
    assert loaded.problems == []
    return loaded


@pytest.fixture(scope="module")
def result(loaded, shipped: Bundle):
    return score(loaded.frame, shipped)


@pytest.fixture(scope="module")
def lenient_result(loaded):
    return score(loaded.frame, load_bundle(rubric="lenient"))


def result_of(result, agency_id: str, round_: str = "2026"):
    return agency_result(result, agency_id, round_)


# --- the files ------------------------------------------------------------------------------------


def test_enough_samples_one_file_per_agency_and_round(loaded):
    assert len(YAML_FILES) >= 15
    for response in loaded.responses:
        assert Path(f"{response.agency.id}_{response.round}.yaml").name in {p.name for p in YAML_FILES}
    assert {(r.agency.id, r.round) for r in loaded.responses} == set(EXPECTED_LEVELS)
    rounds = pd.Series([r.agency.id for r in loaded.responses]).value_counts()
    assert set(rounds[rounds == 2].index) == {"tinh_lam_dong", "phuong_hoa_khanh"}


def test_agencies_are_well_formed(loaded, shipped: Bundle):
    from scoring.synthetic import PROVINCES

    province_ids = {f"tinh_{p}" for p, _ in PROVINCES}
    types = set()
    for response in loaded.responses:
        agency = response.agency
        types.add(agency.type)
        assert response.questionnaire == "dmm-vn" and response.version == shipped.questionnaire.version
        if agency.type == "commune":
            assert agency.province in province_ids
            assert agency.name.startswith(("UBND xã ", "UBND phường "))
        elif agency.type == "province":
            assert agency.id in province_ids and agency.province is None
            assert agency.name.startswith(("UBND tỉnh ", "UBND thành phố "))
        else:
            assert agency.province is None
    assert types == {"ministry", "province", "commune"}


@pytest.mark.parametrize("target", ["sample_responses/v1/", "sample_responses/v1/bulk/bulk.csv"])
def test_cli_validate_exits_zero(target: str):
    done = subprocess.run(
        [sys.executable, "-m", "scoring", "validate", target], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok:")


def test_every_sample_scores_and_is_answered_in_full(result, shipped: Bundle):
    agencies = result.agencies
    assert len(agencies) == len(EXPECTED_LEVELS)
    assert (agencies["unanswered"] == 0).all()
    assert (agencies["overall_score"].notna()).all()


def test_generator_output_is_committed(shipped: Bundle):
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module  # dataclasses look their module up while the file runs
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop("make_samples", None)
    built = module.build_responses(shipped)
    assert {f"{s.id}_{r.round}.yaml" for s, r, _ in built} == {p.name for p in YAML_FILES}
    for sample, response, text in built:
        assert (SAMPLES / f"{sample.id}_{response.round}.yaml").read_text(encoding="utf-8") == text
    frame = module.responses_frame([r for _, r, _ in built])
    assert BULK.read_text(encoding="utf-8") == frame.to_csv(index=False, lineterminator="\n")
    assert README.read_text(encoding="utf-8") == module.readme_text(shipped, load_bundle(rubric="lenient"), built)


# --- the bulk CSV -----------------------------------------------------------------------------------


def test_bulk_csv_holds_the_same_data_and_scores_identically(loaded, result, shipped: Bundle):
    bulk = load_paths([BULK], shipped)
    assert bulk.problems == []
    header = BULK.read_text(encoding="utf-8").splitlines()[0]
    assert header == "agency_id,agency_name,agency_type,province,round,question_id,answer,na_reason,evidence"
    key = ["agency_id", "round", "question_id"]
    yaml_rows = loaded.frame.sort_values(key).reset_index(drop=True).fillna("").astype(str)
    csv_rows = bulk.frame.sort_values(key).reset_index(drop=True).fillna("").astype(str)
    pd.testing.assert_frame_equal(yaml_rows, csv_rows)
    from_csv = score(bulk.frame, shipped).agencies.set_index(["agency_id", "round"]).sort_index()
    from_yaml = result.agencies.set_index(["agency_id", "round"]).sort_index()
    pd.testing.assert_series_equal(from_csv["overall_score"], from_yaml["overall_score"])
    pd.testing.assert_series_equal(from_csv["overall_level"], from_yaml["overall_level"])
    pd.testing.assert_series_equal(from_csv["overall_continuous_level"], from_yaml["overall_continuous_level"])


# --- the README's claims ----------------------------------------------------------------------------


def test_overall_levels_are_the_documented_ones(result):
    for (agency_id, round_), level in EXPECTED_LEVELS.items():
        assert result_of(result, agency_id, round_).overall_level == level, (agency_id, round_)


def test_readme_table_matches_the_score(result):
    rows = re.findall(
        r"^\| `(\w+)_(\d{4})\.yaml` \| [^|]+ \| (\w+) \| \d{4} \| \*\*([^*]+)\*\* \| ([\d.—]+) \|",
        README.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    assert len(rows) == len(EXPECTED_LEVELS)
    for agency_id, round_, agency_type, level, score_text in rows:
        r = result_of(result, agency_id, round_)
        assert r.agency_type == agency_type
        assert level == ("not rated" if r.overall_level is None else str(r.overall_level))
        assert score_text == f"{r.overall_score:.2f}"


def test_weakest_dimension_holds_a_strong_agency_back(result):
    r = result_of(result, "bo_y_te")
    assert r.overall_level == 2
    assert r.dimensions["security"].level == 2
    assert all(d.level >= 4 for k, d in r.dimensions.items() if k != "security")
    assert r.overall_continuous_level == 4 and r.overall_score > 4
    assert not r.targets["2027"].met and r.targets["2027"].gaps == {"security": 1}


def test_level_five_does_not_lift_the_weakest_dimension(result):
    r = result_of(result, "bo_khoa_hoc_va_cong_nghe")
    assert r.dimensions["analytics"].level == 5 and r.dimensions["platforms"].level == 5
    assert r.overall_level == 3


def test_continuous_and_gated_readings_differ(result, lenient_result):
    r = result_of(result, "bo_giao_duc_va_dao_tao")
    assert r.overall_score >= 3 and r.overall_continuous_level == 3
    assert r.overall_gated_level == r.overall_level == 2
    capped = {k for k, d in r.dimensions.items() if d.level == 2}
    assert capped == {"quality", "open_data", "security", "platforms"}
    for dimension in capped:  # one answer at 1: two levels below 3
        assert any(q.level == 1 for q in r.questions.values() if q.dimension_id == dimension)
    assert result_of(lenient_result, "bo_giao_duc_va_dao_tao").overall_level == 3


def test_dont_know_leaves_a_dimension_unrated(result, lenient_result):
    r = result_of(result, "bo_nong_nghiep_va_moi_truong")
    analytics = r.dimensions["analytics"]
    assert not analytics.rated and analytics.level is None
    assert analytics.dont_know == 7 and analytics.answered == 2
    assert all(d.rated for k, d in r.dimensions.items() if k != "analytics")
    assert r.overall_level is None and not r.rated
    assert r.targets["2027"].unrated == ["analytics"] and not r.targets["2027"].met
    assert result_of(lenient_result, "bo_nong_nghiep_va_moi_truong").overall_level is None


def test_target_groups(result):
    agencies = result.agencies
    below_two = agencies[agencies["overall_level"] < 2]
    assert len(below_two) >= 3
    remote = result_of(result, "xa_muong_nhe")
    assert remote.overall_level == 1 and sum(d.level == 1 for d in remote.dimensions.values()) >= 8
    meets_2027_only = agencies[agencies["met_2027"] & ~agencies["met_2030"]]
    assert {"bo_tu_phap", "tinh_ha_noi", "phuong_ben_thanh"} <= set(meets_2027_only["agency_id"])
    assert set(agencies.loc[agencies["met_2030"], "agency_id"]) == {"bo_tai_chinh", "tinh_da_nang"}
    assert (result.dimensions["level"] == 5).sum() >= 5
    for agency_id in ("bo_tai_chinh", "tinh_da_nang"):
        levels = [d.level for d in result_of(result, agency_id).dimensions.values()]
        assert min(levels) == 4 and levels.count(5) >= 3


def test_two_rounds_show_progress(result):
    for agency_id, before, after in (("tinh_lam_dong", 2, 3), ("phuong_hoa_khanh", 1, 2)):
        old, new = result_of(result, agency_id, "2025"), result_of(result, agency_id, "2026")
        assert (old.overall_level, new.overall_level) == (before, after)
        assert new.overall_score > old.overall_score
        for question_id, question in new.questions.items():  # no answer goes backwards
            if question.level is not None and old.questions[question_id].level is not None:
                assert question.level >= old.questions[question_id].level, (agency_id, question_id)
    assert result_of(result, "tinh_lam_dong", "2026").targets["2027"].met
    assert not result_of(result, "tinh_lam_dong", "2025").targets["2027"].met


def test_na_answers_carry_reasons(result):
    muong_nhe = result_of(result, "xa_muong_nhe")
    na = {q.question_id for q in muong_nhe.questions.values() if q.status == "na"}
    assert na == {"sharing.connected_systems_share", "security.cyber_plans_share", "platforms.hosting"}
    answers = result.answers
    na_rows = answers[answers["status"] == "na"]
    assert len(na_rows) >= 6 and na_rows["na_reason"].fillna("").str.strip().ne("").all()
    communes_with_na = set(na_rows.loc[na_rows["question_id"] == "sharing.connected_systems_share", "agency_id"])
    assert {"xa_muong_nhe", "xa_dak_ha", "phuong_hoa_khanh", "phuong_ben_thanh"} <= communes_with_na


def test_evidence_notes_on_several_answers(result):
    evidence = result.answers["evidence"].dropna()
    assert len(evidence) >= 10
    assert evidence.str.contains(r"https://").any()
    assert evidence.str.contains(r"\d+/(?:QĐ|KH|BC)-").any()
    assert len(result.answers.loc[evidence.index, "agency_id"].unique()) >= 8


def test_numbers_agree_with_levels(result, shipped: Bundle):
    """A percentage's band is within one level of the mean of its dimension's level answers."""
    answers = result.answers
    kind = answers["question_id"].map(shipped.question_table["kind"])
    scored = answers[answers["status"] == "scored"]
    mean_of_levels = (
        scored[kind[scored.index] == "level"].groupby(["agency_id", "round", "dimension_id"])["level"].mean()
    )
    numeric = scored[kind[scored.index] == "numeric"]
    keys = pd.MultiIndex.from_frame(numeric[["agency_id", "round", "dimension_id"]])
    assert len(numeric) > 200
    assert (abs(numeric["level"].to_numpy() - mean_of_levels.reindex(keys).to_numpy()) <= 1).all()


def test_lenient_rubric_claims(lenient_result):
    assert result_of(lenient_result, "bo_y_te").overall_level == 4
    assert result_of(lenient_result, "bo_tai_chinh").overall_level == 5
    for agency_id, round_ in (("tinh_dien_bien", "2026"), ("xa_dak_ha", "2026"), ("phuong_hoa_khanh", "2025")):
        assert result_of(lenient_result, agency_id, round_).overall_level == 2
    assert result_of(lenient_result, "xa_muong_nhe").overall_level == 1


# --- the CLI table -----------------------------------------------------------------------------------


def test_cli_table_shows_each_assessments_own_dimension_levels(tmp_path: Path, result):
    """Two-round agencies once got each other's dimension levels (a positional join in scoring.cli)."""
    out = tmp_path / "table.csv"
    assert cli_main(["score", str(SAMPLES), "--format", "csv", "--output", str(out)]) == 0
    table = pd.read_csv(out, dtype={"round": str}).set_index(["agency_id", "round"])
    expected = result.dimension_levels("level")
    for key in expected.index:
        for dimension in expected.columns:
            want, got = expected.loc[key, dimension], table.loc[key, dimension]
            assert (pd.isna(want) and pd.isna(got)) or want == got, (key, dimension)
