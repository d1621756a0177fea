"""The shipped sample agencies: every file of sample_responses/, loaded and scored once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scoring import LoadedResponses, ScoreResult, load_paths, score
from scoring.content import PROJECT_ROOT, Bundle
from scoring.errors import Problem
from scoring.results import AgencyResult, agency_result
from trainer.text import fold

SAMPLE_DIR = PROJECT_ROOT / "sample_responses"
SAMPLE_DIRS_BY_MAJOR = {1: SAMPLE_DIR / "v1"}  # older versions' samples; the current ones sit in SAMPLE_DIR


def sample_dir_for(bundle: Bundle) -> Path:
    """The samples answered on the bundle's questionnaire version."""
    return SAMPLE_DIRS_BY_MAJOR.get(bundle.questionnaire.major, SAMPLE_DIR)
SEPARATOR = "::"


def sample_key(agency_id: str, round_: str) -> str:
    """A stable text key for one sample (agency and round), usable as a widget option."""
    return f"{agency_id}{SEPARATOR}{round_}"


def split_key(key: str) -> tuple[str, str]:
    agency_id, round_ = key.rsplit(SEPARATOR, 1)
    return agency_id, round_


def sample_files(directory: Path = SAMPLE_DIR) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".csv"))


def files_stamp(directory: Path = SAMPLE_DIR) -> tuple[tuple[str, float], ...]:
    """Names and modification times of the sample files (a cache key that changes with them)."""
    return tuple((p.name, p.stat().st_mtime) for p in sample_files(directory))


@dataclass(frozen=True)
class Samples:
    """Sample answers (long frame) and their scores; `result` is None when there are none."""

    frame: pd.DataFrame
    problems: list[Problem]
    result: ScoreResult | None

    @property
    def keys(self) -> list[str]:
        """Every sample, ordered by agency type, name (as a Vietnamese reader expects: Đ with D) and round."""
        if self.result is None:
            return []
        table = self.result.agencies.copy()
        order = {"ministry": 0, "province": 1, "commune": 2}
        table["_type"] = table["agency_type"].map(order).fillna(9)
        table["_name"] = [fold(str(n)) if isinstance(n, str) else "" for n in table["agency_name"]]
        table = table.sort_values(["_type", "_name", "round"], kind="stable")
        return [sample_key(a, r) for a, r in zip(table["agency_id"], table["round"], strict=True)]

    def label(self, key: str) -> str:
        agency_id, round_ = split_key(key)
        assert self.result is not None
        row = self.result.agencies.iloc[self.result.position[(agency_id, round_)]]
        name = row["agency_name"] if isinstance(row["agency_name"], str) and row["agency_name"] else agency_id
        return f"{name} ({round_})"

    def agency_type(self, key: str) -> str | None:
        assert self.result is not None
        row = self.result.agencies.iloc[self.result.position[split_key(key)]]
        return row["agency_type"] if isinstance(row["agency_type"], str) else None

    def answers(self, key: str) -> pd.DataFrame:
        """The long answer rows of one sample."""
        agency_id, round_ = split_key(key)
        mask = (self.frame["agency_id"] == agency_id) & (self.frame["round"].astype(str) == round_)
        return self.frame[mask].reset_index(drop=True)

    def result_of(self, key: str) -> AgencyResult:
        assert self.result is not None
        agency_id, round_ = split_key(key)
        return agency_result(self.result, agency_id, round_)


def load_samples(bundle: Bundle, directory: Path | None = None) -> Samples:
    """Load every sample file (of the bundle's version) with `scoring.load_paths` and score them all in one pass."""
    files = sample_files(directory or sample_dir_for(bundle))
    if not files:
        return Samples(frame=pd.DataFrame(), problems=[], result=None)
    loaded: LoadedResponses = load_paths(files, bundle)
    if loaded.frame.empty:
        return Samples(frame=loaded.frame, problems=loaded.problems, result=None)
    frame = loaded.frame.copy()
    frame["round"] = frame["round"].astype(str)
    return Samples(frame=frame, problems=loaded.problems, result=score(frame, bundle))
