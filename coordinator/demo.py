"""Load the synthetic national dataset into the store, for demonstrations and benchmarks.

`scoring.synthetic.national_population()` (about 30 ministries, 34 provinces and 3,321 communes)
answering every question over three rounds (2025, 2026, 2027), stored as submitted assessments.
Idempotent: assessments already in the database (same agency and round) are skipped, so a second
call imports nothing and an interrupted load resumes where it stopped.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coordinator.scores import persist_scores
from scoring import Bundle
from scoring.synthetic import national_population, synthetic_answers
from storage import Scope, Store, round_sort_key
from storage.rounds import closed_rounds

DEMO_ACTOR = "demo-loader"
BATCH = 2_000  # agency-rounds per transaction (and per step of the progress bar)
IMPORT_SHARE = 0.85  # of the progress bar; scoring and storing the results take the rest


@dataclass(frozen=True)
class DemoReport:
    agencies: int
    assessments: int  # in the dataset (agencies × rounds)
    imported: int
    skipped: int  # already in the database
    closed_rounds: tuple[str, ...] = ()  # rounds left out because they are closed (storage.rounds)


def demo_frame(bundle: Bundle, total: int | None = None, rounds: int = 3, seed: int = 2629) -> pd.DataFrame:
    agencies = national_population(total=total, seed=seed)
    return synthetic_answers(agencies, bundle, rounds=rounds, seed=seed)


def load_demo(
    store: Store,
    bundle: Bundle,
    scope: Scope,
    actor: str = DEMO_ACTOR,
    total: int | None = None,
    rounds: int = 3,
    seed: int = 2629,
    progress: Callable[[float], None] | None = None,
) -> DemoReport:
    """Import the synthetic dataset's missing assessments, `BATCH` per transaction. A closed round takes
    no import, the demo's included: its assessments are left out and named in the report."""
    frame = demo_frame(bundle, total=total, rounds=rounds, seed=seed)
    closed = sorted(closed_rounds(store) & set(frame["round"].astype(str).unique()), key=round_sort_key)
    if closed:
        frame = frame[~frame["round"].astype(str).isin(closed)]
    keys = pd.MultiIndex.from_arrays([frame["agency_id"].astype(str), frame["round"].astype(str)])
    stored = [
        (a.agency_id, a.round)
        for a in store.list_assessments(scope)
        if a.questionnaire_id == bundle.questionnaire.id
    ]
    present = keys.isin(pd.MultiIndex.from_tuples(stored, names=keys.names)) if stored else keys.isin([])
    missing = frame[~present]
    total_assessments = len(keys.unique())
    # One transaction per BATCH agency-rounds, straight from the frame (no `Response` per agency).
    codes = pd.factorize(keys[~present])[0]
    if len(codes) and (np.diff(codes) < 0).any():  # each agency-round's rows together
        order = np.argsort(codes, kind="stable")
        missing, codes = missing.iloc[order], codes[order]
    imported = int(codes.max()) + 1 if len(codes) else 0
    bounds = np.searchsorted(codes, np.arange(0, imported + BATCH, BATCH))  # the frame is in agency-round order
    infos = []
    for start, end in itertools.pairwise(bounds):
        if start == end:
            continue
        infos += store.import_answer_frame(missing.iloc[start:end], bundle.questionnaire.id,
                                           bundle.questionnaire.version, scope, actor, status="submitted")
        if progress:
            progress(IMPORT_SHARE * end / len(missing))
    # Scores are stored as the data arrive (scored from the frame just stored, not read back), so the
    # coordinator's first look reads results only.
    keys = pd.DataFrame({"assessment_id": [i.id for i in infos], "agency_id": [i.agency_id for i in infos],
                         "round": [i.round for i in infos]})
    persist_scores(store, scope, bundle, fresh=(missing, keys),
                   progress=(lambda share: progress(IMPORT_SHARE + (1 - IMPORT_SHARE) * share)) if progress else None)
    if progress:
        progress(1.0)
    return DemoReport(
        agencies=int(frame["agency_id"].nunique()),
        assessments=total_assessments,
        imported=imported,
        skipped=total_assessments - imported,
        closed_rounds=tuple(closed),
    )
