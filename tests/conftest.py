"""Shared fixtures: the tiny hand-checkable questionnaire and the shipped content."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from scoring.content import Bundle, load_bundle

# The tests written before version 2.0.0 start new rounds on 1.0.0 (subprocesses inherit this too); the tests of
# versions side by side unset it (see tests/ui/test_versions.py).
os.environ.setdefault("DMM_QUESTIONNAIRE_VERSION", "1.0.0")

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture(scope="session")
def mini() -> Bundle:
    return load_bundle(MINI / "questionnaire.yaml", MINI / "rubric.yaml", MINI / "targets.yaml")


@pytest.fixture(scope="session")
def shipped() -> Bundle:
    return load_bundle()


def answers_frame(
    answers_by_agency: dict[str, dict[str, object]], round_: str = "2026", agency_type: str = "ministry"
) -> pd.DataFrame:
    """A long answer frame from {agency_id: {question_id: answer}}."""
    rows = [
        {
            "agency_id": agency,
            "agency_name": agency.upper(),
            "agency_type": agency_type,
            "province": None,
            "round": round_,
            "question_id": qid,
            "answer": str(value),
        }
        for agency, answers in answers_by_agency.items()
        for qid, value in answers.items()
    ]
    return pd.DataFrame(rows)


REGISTRY = FIXTURES / "registry"


@pytest.fixture
def fixture_registry(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the content registry at tests/fixtures/registry: questionnaire `mini` in versions 1.0.0 and 2.0.0,
    their rubrics and targets, a mapping, and a rubric and targets file for a questionnaire that is not there."""
    from scoring import registry

    monkeypatch.setattr(registry, "QUESTIONNAIRE_DIR", REGISTRY / "questionnaires")
    monkeypatch.setattr(registry, "RUBRIC_DIR", REGISTRY / "rubrics")
    monkeypatch.setattr(registry, "TARGETS_DIR", REGISTRY / "targets")
    monkeypatch.setattr(registry, "TERMS_FILE", REGISTRY / "questionnaires" / "terms.yaml")
    return REGISTRY


def require_tool(command: str, package: str) -> None:
    """Skip a test whose external tool is missing on a developer's machine, but FAIL it in CI
    (env CI=true, set by .ci/run), where a silent skip would hide an untested PDF."""
    import os
    import shutil

    if shutil.which(command) is not None:
        return
    message = f"{command} ({package}) is not installed"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI=true needs it (bash .ci/run installs it)", pytrace=False)
    pytest.skip(message)
