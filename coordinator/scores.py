"""Persisted scores for the coordinator: score what changed in one batch, read everything else.

- `layout_of(bundle)`: the scoring a stored result belongs to (ids, versions and a content hash).
- `persist_scores(store, scope, bundle, round)`: score, in ONE vectorised `scoring.score` call, every
  counted assessment whose stored result is missing or stale (new submission, import, re-import,
  changed content or rubric), and store the results. Called after imports and by the reading path.
  `score_answers(frame, bundle)` scores answers just stored, before their ids are known (the demo
  loader, `persist_scores(fresh=...)`).
- `read_population(store, scope, bundle, round)`: the round's `PopulationFrames` from stored
  results only: one query, no answer read (after `persist_scores` has caught up).

`result_arrays(result)` is the one place that turns a `ScoreResult` into what is stored, and
`frames_from_stored` the one place that turns it back, so a stored result equals a fresh score.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coordinator.data import META_COLUMNS, PopulationFrames, _with_assessment_columns
from scoring import Bundle, ScoreResult, score
from scoring.engine import LIGHTS
from storage import Scope, Store
from storage.results import (
    COUNTED_STATUSES,
    DIMENSION_FIELDS,
    INDICATOR_FIELDS,
    OVERALL_COLUMNS,
    TARGET_FIELDS,
    ResultLayout,
    StoredResults,
    answers_of,
    read_results,
    stale_assessments,
    write_results,
)

SCORE_BATCH = 20_000  # assessments scored per engine call (bounded memory at 100,000 agencies)
_layouts: dict[int, tuple[Bundle, ResultLayout]] = {}
_layout_lock = threading.Lock()


def layout_of(bundle: Bundle) -> ResultLayout:
    """The bundle's scoring key, content hash and array order (hashed once per bundle object)."""
    with _layout_lock:
        known = _layouts.get(id(bundle))
        if known is not None and known[0] is bundle:
            return known[1]
    q, r, tg = bundle.questionnaire, bundle.rubric, bundle.targets
    digest = hashlib.sha256()
    for model in (q, r, tg):
        digest.update(model.model_dump_json().encode("utf-8"))
    layout = ResultLayout(
        scoring_key=f"{q.id}@{q.version}/{r.id}@{r.version}/{tg.id}@{tg.version}"[:200],
        content_stamp=digest.hexdigest()[:32],
        years=tuple(bundle.years),
        dimension_ids=tuple(bundle.dimension_ids),
        indicator_ids=tuple(i.id for i in tg.indicators),
    )
    with _layout_lock:
        _layouts[id(bundle)] = (bundle, layout)
    return layout


# --- ScoreResult -> stored arrays -------------------------------------------------------------


def result_arrays(result: ScoreResult) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """The overall columns, and the (n, years, TARGET_FIELDS), (n, dimensions, DIMENSION_FIELDS)
    and (n, indicators) arrays of every assessment in `result`, in its row order (vectorised)."""
    bundle = result.bundle
    agencies = result.agencies
    n, n_dims = len(agencies), len(bundle.dimension_ids)
    light_code = {str(name): float(i) for i, name in enumerate(LIGHTS)}
    targets = np.stack([
        np.column_stack([
            agencies[f"met_{year}"].to_numpy(dtype=float),
            agencies[f"gap_{year}"].to_numpy(dtype=float),
            agencies[f"light_{year}"].astype(object).map(light_code).to_numpy(dtype=float),
            agencies[f"indicators_met_{year}"].to_numpy(dtype=float),
            agencies[f"indicators_total_{year}"].to_numpy(dtype=float),
        ]) for year in bundle.years
    ], axis=1) if bundle.years else np.empty((n, 0, len(TARGET_FIELDS)))
    dims = result.dimensions
    dimension_columns = [*DIMENSION_FIELDS, *(f"gap_{year}" for year in bundle.years)]
    dimensions = np.stack([dims[c].to_numpy(dtype=float).reshape(n, n_dims) for c in dimension_columns], axis=2)
    n_ind = len(bundle.targets.indicators)
    indicator_columns = [*INDICATOR_FIELDS, *(f"met_{year}" for year in bundle.years)]
    indicators = np.stack([result.indicators[c].to_numpy(dtype=float).reshape(n, n_ind)
                           for c in indicator_columns], axis=2)
    overall = agencies[list(OVERALL_COLUMNS)].reset_index(drop=True)
    return overall, targets, dimensions, indicators


# --- stored arrays -> PopulationFrames ---------------------------------------------------------


def frames_from_stored(stored: StoredResults, bundle: Bundle) -> PopulationFrames:
    """The coordinator's frames from stored results: what `score_rounds` would give."""
    index = stored.index
    n = len(index)
    agencies = index[[*META_COLUMNS, *OVERALL_COLUMNS]].copy()
    for column in META_COLUMNS:
        values = agencies[column].astype(object)
        agencies[column] = values.where(values.notna(), None)
    agencies["round"] = agencies["round"].astype(str).astype(object)
    dimension_frame = pd.DataFrame({
        "score": stored.dimensions[:, :, 0].ravel(),
        "level": stored.dimensions[:, :, 1].ravel(),
        "rated": stored.dimensions[:, :, 2].ravel().astype(bool),
    })
    indicator_ids = [i.id for i in bundle.targets.indicators]
    indicator_frame = pd.DataFrame({
        "position": np.repeat(np.arange(n), len(indicator_ids)),
        "indicator_id": pd.Categorical(np.tile(np.array(indicator_ids, dtype=object), n)),
        "value": stored.indicators[:, :, 0].ravel(),
        "applicable": stored.indicators[:, :, 1].ravel().astype(bool),
    })
    fields, extra = len(DIMENSION_FIELDS), len(INDICATOR_FIELDS)
    for k, year in enumerate(bundle.years):
        dimension_frame[f"gap_{year}"] = stored.dimensions[:, :, fields + k].ravel()
        indicator_frame[f"met_{year}"] = stored.indicators[:, :, extra + k].ravel().astype(bool)
        agencies[f"met_{year}"] = stored.targets[:, k, 0].astype(bool)
        agencies[f"gap_{year}"] = stored.targets[:, k, 1]
        agencies[f"light_{year}"] = LIGHTS[np.nan_to_num(stored.targets[:, k, 2], nan=2).astype(int)].astype(object)
        agencies[f"indicators_met_{year}"] = stored.targets[:, k, 3].astype(int)
        agencies[f"indicators_total_{year}"] = stored.targets[:, k, 4].astype(int)
    agencies = _with_assessment_columns(agencies, bundle, index[["assessment_id", "agency_id", "round",
                                                                  "questionnaire_version"]])
    agencies["status"] = index["status"].astype(object).to_numpy()
    return PopulationFrames(agencies=agencies.reset_index(drop=True), dimensions=dimension_frame,
                            indicators=indicator_frame)


# --- keeping stored results current -------------------------------------------------------------


@dataclass(frozen=True)
class ScoredAnswers:
    """Answers scored before their assessments' ids are known (`score_answers`): what is stored per
    (agency_id, round) pair, in `pairs` order, for `persist_scores(fresh=...)` to write."""

    pairs: pd.MultiIndex
    overall: pd.DataFrame
    targets: np.ndarray
    dimensions: np.ndarray
    indicators: np.ndarray

    def only(self, wanted: pd.MultiIndex) -> ScoredAnswers:
        keep = self.pairs.isin(wanted)
        return ScoredAnswers(self.pairs[keep], self.overall[keep].reset_index(drop=True), self.targets[keep],
                             self.dimensions[keep], self.indicators[keep])


def score_answers(frame: pd.DataFrame, bundle: Bundle) -> ScoredAnswers:
    """Score a long answer frame in one engine call, as `persist_scores` stores it (pure: no
    database; the demo loader scores a round while its last batch is being stored)."""
    result = score(frame, bundle)
    overall, targets, dimensions, indicators = result_arrays(result)
    return ScoredAnswers(_pairs(result.agencies), overall, targets, dimensions, indicators)


def persist_scores(store: Store, scope: Scope, bundle: Bundle, round: str | None = None,
                   assessment_ids: list[int] | None = None,
                   progress: Callable[[float], None] | None = None,
                   fresh: tuple[ScoredAnswers, pd.DataFrame] | None = None) -> int:
    """Score and store every counted assessment (of `round`, or the given ids) whose stored result
    is missing or stale, `SCORE_BATCH` at a time. Returns how many were scored.

    `fresh` = (`score_answers` of answers the caller has just stored, e.g. the demo loader; keys with
    assessment_id, agency_id, round): stored as scored instead of being read back and scored."""
    layout = layout_of(bundle)
    stale = stale_assessments(store, scope, layout, bundle.questionnaire.id, round=round)
    if assessment_ids is not None:
        wanted = {int(i) for i in assessment_ids}
        stale = [i for i in stale if i in wanted]
    total = len(stale)
    if fresh is not None and stale:
        answers, keys = fresh
        ready = keys[keys["assessment_id"].isin(stale)]
        if len(ready):
            scored = answers if len(ready) == len(keys) else answers.only(_pairs(ready))
            _store_scored(store, layout, scored, ready)
            done = set(ready["assessment_id"].astype(int))
            stale = [i for i in stale if i not in done]
            if progress:
                progress(len(done) / total)
    for start in range(0, len(stale), SCORE_BATCH):
        chunk = stale[start : start + SCORE_BATCH]
        frame, keys = answers_of(store, chunk)
        if not frame.empty:
            _store_scored(store, layout, score_answers(frame, bundle), keys)
        if progress:
            progress((total - len(stale) + min(start + SCORE_BATCH, len(stale))) / total)
    return total


def _pairs(frame: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays([frame["agency_id"].astype(str), frame["round"].astype(str)])


def _store_scored(store: Store, layout: ResultLayout, scored: ScoredAnswers, keys: pd.DataFrame) -> None:
    """Store scored answers under their assessments (`keys` says which assessment each agency and
    round is; one with no answer has a row with no question, and is stored as answering nothing:
    every dimension unrated)."""
    ids = keys.assign(agency_id=keys["agency_id"].astype(str), round=keys["round"].astype(str)).set_index(
        ["agency_id", "round"])["assessment_id"].reindex(scored.pairs).to_numpy()
    overall = scored.overall.copy()
    overall.insert(0, "assessment_id", ids)
    write_results(store, layout, overall, scored.targets, scored.dimensions, scored.indicators)


def read_population(store: Store, scope: Scope, bundle: Bundle, round: str | None = None,
                    statuses: tuple[str, ...] = COUNTED_STATUSES) -> PopulationFrames:
    """The round's frames from stored results alone (assessments not yet scored are left out)."""
    stored = read_results(store, scope, layout_of(bundle), bundle.questionnaire.id, round=round, statuses=statuses)
    return frames_from_stored(stored, bundle)
