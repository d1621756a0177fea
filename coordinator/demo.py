"""Load the synthetic national dataset into the store, for demonstrations and benchmarks.

`scoring.synthetic.national_population()` (about 30 ministries, 34 provinces and 3,321 communes)
answering every question over three rounds (2025, 2026, 2027), stored as submitted assessments.
Idempotent: assessments already in the database (same agency and round) are skipped, so a second
call imports nothing and an interrupted load resumes where it stopped.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coordinator.overlap import Step, run_steps
from coordinator.scores import ScoredAnswers, persist_scores, score_answers
from scoring import Bundle
from scoring.synthetic import national_population, synthetic_answers
from storage import AssessmentInfo, Scope, Store, round_sort_key
from storage.import_batch import ImportBatch, batch_from_frame
from storage.rounds import closed_rounds

DEMO_ACTOR = "demo-loader"
BATCH = 2_000  # agency-rounds per transaction (and per step of the progress bar)
IMPORT_SHARE = 0.85  # of a round's part of the progress bar; scoring and storing its results take the rest


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
    overlap: bool | None = None,
) -> DemoReport:
    """Import the synthetic dataset's missing assessments, `BATCH` per transaction, the latest round
    first and each round's scores stored as soon as its answers are (the coordinator page opens on
    the latest round: it is usable while the older rounds load). A closed round takes no import, the
    demo's included: its assessments are left out and named in the report.

    Each batch is checked in Python while the previous one is stored, and a round is scored while
    its last batch is (`coordinator.overlap`). `overlap` None: on PostgreSQL, whose server works
    while Python waits; not on SQLite, which runs in this process and gives the GIL back only for
    each row's step, so checking the next batch holds the store up (measured no faster). Each batch
    is one transaction: a failed load leaves whole batches, and loading again resumes after them."""
    frame = demo_frame(bundle, total=total, rounds=rounds, seed=seed)
    agency_codes, agency_ids = _codes(frame["agency_id"])
    round_codes, round_ids = _codes(frame["round"])
    closed = sorted(closed_rounds(store) & {round_ids[c] for c in np.unique(round_codes)}, key=round_sort_key)
    # Agency-rounds as one integer per row (no strings per row: 750,000 of them).
    pair = agency_codes * len(round_ids) + round_codes
    agency_index = {a: i for i, a in enumerate(agency_ids)}
    round_index = {r: i for i, r in enumerate(round_ids)}
    stored = [agency_index[a.agency_id] * len(round_ids) + round_index[a.round]
              for a in store.list_assessments(scope)
              if a.questionnaire_id == bundle.questionnaire.id and a.agency_id in agency_index
              and a.round in round_index]
    wanted = ~np.isin(round_codes, [round_index[r] for r in closed])
    total_assessments = len(np.unique(pair[wanted]))
    todo = wanted & ~np.isin(pair, stored)
    all_rows = int(todo.sum())
    imported = 0
    overlapped = store.engine.dialect.name != "sqlite" if overlap is None else overlap
    # COPY's text made with the checks, off the worker's path (it is PostgreSQL's form only).
    for_copy = overlapped and store.engine.dialect.name == "postgresql"

    def steps() -> Iterator[Step]:
        """What an earlier load stored but did not score (interrupted between a round's import and
        its scoring); then per round, latest first: its batches, then its scores (coordinator.overlap)."""
        nonlocal imported
        yield Step(prepare=lambda: None, run=lambda _: persist_scores(store, scope, bundle))
        done_rows = 0
        for name in sorted(round_ids, key=round_sort_key, reverse=True):
            rows = np.flatnonzero(todo & (round_codes == round_index[name]))
            if not len(rows):
                continue
            if (np.diff(pair[rows]) < 0).any():  # each agency-round's rows together
                rows = rows[np.argsort(pair[rows], kind="stable")]
            firsts = np.flatnonzero(np.diff(pair[rows], prepend=-1))  # where each agency-round starts
            bounds = [*firsts[::BATCH], len(rows)]
            infos: list[AssessmentInfo] = []  # filled by the worker, one batch after the other
            for start, end in itertools.pairwise(bounds):
                yield Step(
                    prepare=functools.partial(_checked_batch, frame, rows[start:end], bundle, for_copy),
                    run=functools.partial(_store, store, scope, actor, infos),
                    done=functools.partial(_report, progress, (done_rows + IMPORT_SHARE * end) / all_rows),
                )
            imported += len(firsts)
            done_rows += len(rows)
            # Scored from the frame just stored (not read back), so the coordinator's first look reads results only.
            yield Step(
                prepare=functools.partial(_scored, frame, rows, bundle),  # while the round's last batch is stored
                run=functools.partial(_score_round, store, scope, bundle, name, infos),
                done=functools.partial(_report, progress, done_rows / all_rows),
            )

    run_steps(steps(), overlap=overlapped)
    if progress:
        progress(1.0)
    return DemoReport(
        agencies=int(frame["agency_id"].nunique()),
        assessments=total_assessments,
        imported=imported,
        skipped=total_assessments - imported,
        closed_rounds=tuple(closed),
    )


def _checked_batch(frame: pd.DataFrame, rows: np.ndarray, bundle: Bundle, for_copy: bool) -> ImportBatch:
    batch = batch_from_frame(frame.take(rows), bundle.questionnaire.id, bundle.questionnaire.version)
    return batch.for_copy() if for_copy else batch


def _store(store: Store, scope: Scope, actor: str, infos: list[AssessmentInfo], batch: ImportBatch) -> None:
    infos += store.import_checked_batch(batch, scope, actor, status="submitted")


def _scored(frame: pd.DataFrame, rows: np.ndarray, bundle: Bundle) -> ScoredAnswers:
    return score_answers(frame.take(rows), bundle)


def _score_round(store: Store, scope: Scope, bundle: Bundle, name: str, infos: list[AssessmentInfo],
                 answers: ScoredAnswers) -> None:
    keys = pd.DataFrame({"assessment_id": [i.id for i in infos], "agency_id": [i.agency_id for i in infos],
                         "round": [i.round for i in infos]})
    persist_scores(store, scope, bundle, round=name, fresh=(answers, keys))


def _report(progress: Callable[[float], None] | None, share: float, _result: object) -> None:
    if progress:
        progress(share)


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """A column as integer codes and its values as text (free for the demo's categorical columns)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype(np.int64), [str(c) for c in column.cat.categories]
    codes, uniques = pd.factorize(column.astype(str))
    return codes.astype(np.int64), [str(u) for u in uniques]
