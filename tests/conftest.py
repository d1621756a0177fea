"""Shared fixtures: the tiny hand-checkable questionnaire and the shipped content."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scoring.content import Bundle, load_bundle

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
