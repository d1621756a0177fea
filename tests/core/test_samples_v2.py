"""The 2.x samples: they are the generator's output, every percentage agrees with the statement it belongs to,
communes answer `provided` only where allowed, and every story's claims hold in the computed results."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from scoring import Bundle, agency_result, load_bundle, load_paths, score
from scoring.answers import PROVIDED

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_responses"


@pytest.fixture(scope="module")
def module():
    spec = importlib.util.spec_from_file_location("make_samples_v2", SAMPLES / "make_samples.py")
    loaded = importlib.util.module_from_spec(spec)
    sys.modules["make_samples_v2"] = loaded  # dataclasses look their module up while the file runs
    try:
        spec.loader.exec_module(loaded)
    finally:
        sys.modules.pop("make_samples_v2", None)
    return loaded


@pytest.fixture(scope="module")
def bundle(module) -> Bundle:
    return load_bundle("dmm-vn", module.VERSION)


@pytest.fixture(scope="module")
def loaded(bundle: Bundle):
    loaded = load_paths(sorted(SAMPLES.glob("*.yaml")), bundle)
    assert loaded.problems == []
    return loaded


@pytest.fixture(scope="module")
def result(loaded, bundle: Bundle):
    return score(loaded.frame, bundle)


def test_files_bulk_and_readme_are_the_generator_output(module, bundle: Bundle):
    built = module.build_responses(bundle)
    assert {f"{s.id}_{r.round}.yaml" for s, r, _ in built} == {p.name for p in SAMPLES.glob("*.yaml")}
    for sample, response, text in built:
        assert (SAMPLES / f"{sample.id}_{response.round}.yaml").read_text(encoding="utf-8") == text
    frame = module.responses_frame([r for _, r, _ in built])
    assert (SAMPLES / "bulk" / "bulk.csv").read_text(encoding="utf-8") == frame.to_csv(index=False, lineterminator="\n")
    lenient = load_bundle("dmm-vn", module.VERSION, rubric="lenient")
    assert (SAMPLES / "README.md").read_text(encoding="utf-8") == module.readme_text(bundle, lenient, built)


def _band_level(bundle: Bundle, question_id: str, value: float) -> int:
    rubric = bundle.rubric
    bands = rubric.numeric_bands_by_question.get(question_id, rubric.numeric_bands)
    return max(b.level for b in bands if value >= b.min)


def test_every_percentage_agrees_with_the_statement_it_belongs_to(module, loaded, bundle: Bundle):
    provided_level = bundle.rubric.provided_level
    checked, conflicts = 0, []
    for response in loaded.responses:
        answers = response.answers
        for numeric, level_question in module.STATEMENT_OF.items():
            value, claimed = answers.get(numeric), answers.get(level_question)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            claimed = provided_level if claimed == PROVIDED else claimed
            assert isinstance(claimed, int), (response.agency.id, numeric)  # a number needs its statement's answer
            if numeric in module.ZERO_BELOW:
                gate, minimum = module.ZERO_BELOW[numeric]
                gate_level = answers.get(gate)
                if (provided_level if gate_level == PROVIDED else gate_level) < minimum:
                    continue  # no approved list: the share is 0 whatever is published (checked below)
            bands = bundle.rubric.numeric_bands_by_question.get(numeric, bundle.rubric.numeric_bands)
            top = max(b.level for b in bands)
            checked += 1
            if _band_level(bundle, numeric, value) != min(claimed, top):
                conflicts.append(f"{response.agency.id}: {numeric}={value} vs {level_question}={claimed}")
        for numeric, (gate, minimum) in module.ZERO_BELOW.items():
            gate_level = answers.get(gate)
            gate_level = provided_level if gate_level == PROVIDED else gate_level
            if isinstance(gate_level, int) and gate_level < minimum and answers.get(numeric, 0) not in (0, "dont_know"):
                conflicts.append(f"{response.agency.id}: {numeric} above 0 with {gate} at {gate_level}")
    assert checked > 100 and conflicts == []


def test_the_statement_check_catches_a_contradiction(module, bundle: Bundle):
    # records.digitisation at level 2 says "under 80 %": 85 % contradicts it
    assert _band_level(bundle, "records.digitised_share", 85) == 3 != 2


def test_provided_only_where_a_commune_may_and_nothing_unasked(loaded, bundle: Bundle):
    questionnaire = bundle.questionnaire
    for response in loaded.responses:
        for qid, value in response.answers.items():
            question = questionnaire.question(qid)
            assert question.applies(response.agency.type), (response.agency.id, qid)
            if value == PROVIDED:
                assert question.providable and response.agency.type == "commune", (response.agency.id, qid)
    dak_ha = next(r for r in loaded.responses if r.agency.id == "xa_dak_ha")
    providable = [q.id for q in questionnaire.questions if q.providable]
    assert all(dak_ha.answers[q] == PROVIDED for q in providable)


def test_every_story_matches_its_computed_result(module, result):
    checked = 0
    for sample in module.SAMPLES:
        for round_id, round_ in sample.rounds.items():
            claims, r = round_.claims, agency_result(result, sample.id, round_id)
            where = f"{sample.id} {round_id}"
            assert r.overall_level == claims.level, where
            assert r.rated == (claims.level is not None), where
            for year, met in claims.met.items():
                assert r.targets[year].met == met, (where, year)
            for year, light in claims.light.items():
                assert r.targets[year].light == light, (where, year)
            for year, all_met in claims.indicators_all_met.items():
                indicators = r.targets[year].indicators
                assert indicators and all(i.met for i in indicators) == all_met, (where, year)
            for dimension, level in claims.dimensions.items():
                assert r.dimensions[dimension].level == level, (where, dimension)
            checked += 1
    assert checked == 18


def test_the_readme_says_what_the_claims_say(module):
    text = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for sample in module.SAMPLES:
        for round_ in sample.rounds.values():
            assert f"(Claims: {module.claims_text(round_.claims)}.)" in text, sample.id
