"""Fixtures for the coordinator tests: hand-made populations on the tiny questionnaire, and a
database on SQLite and (with DATABASE_URL) PostgreSQL, as in the storage tests."""

from __future__ import annotations

import pandas as pd
import pytest

from coordinator.data import Population
from scoring import Bundle, score
from tests.storage.conftest import db_url, store  # noqa: F401 - fixtures re-exported for these tests

# The mini questionnaire: alpha (one, two, three, pct) and beta (one, two). An agency answering
# every question at level L, and the percentage that the mini rubric bands to L, is at level L
# in every dimension and overall, so every expected number below can be worked out by hand.
PERCENT_FOR_LEVEL = {1: 10, 2: 30, 3: 60, 4: 85, 5: 97}


def uniform_answers(level: int) -> dict[str, str]:
    answers = {q: str(level) for q in ("alpha.one", "alpha.two", "alpha.three", "beta.one", "beta.two")}
    answers["alpha.pct"] = str(PERCENT_FOR_LEVEL[level])
    return answers


def population_frame(agencies: list[tuple[str, str, str | None, int]], round_: str = "2026") -> pd.DataFrame:
    """A long answer frame: (agency_id, agency_type, province, level) each answering uniformly."""
    rows = [
        {"agency_id": agency_id, "agency_name": f"Cơ quan {agency_id}", "agency_type": kind, "province": province,
         "round": round_, "question_id": question, "answer": answer}
        for agency_id, kind, province, level in agencies
        for question, answer in uniform_answers(level).items()
    ]
    return pd.DataFrame(rows)


# Round 2026 of a small country: two ministries, two provinces and seven communes.
COUNTRY = [
    ("m1", "ministry", None, 4),
    ("m2", "ministry", None, 2),
    ("p1", "province", None, 3),
    ("c1", "commune", "p1", 3),
    ("c2", "commune", "p1", 2),
    ("c3", "commune", "p1", 1),
    ("c4", "commune", "p1", 5),
    ("p2", "province", None, 1),
    ("c5", "commune", "p2", 4),
    ("c6", "commune", "p2", 2),
    ("c7", "commune", "p2", 1),
]


@pytest.fixture
def country(mini: Bundle) -> Population:
    return Population.from_result(score(population_frame(COUNTRY), mini))
