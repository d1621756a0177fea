"""Every submitted assessment, scored once: the coordinator's population.

Loading is split so that a Streamlit page can cache each step by a cheap change stamp:

1. `change_signal(store)`: the database's change stamp of submitted and accepted assessments
   (`storage.stamps`): it moves for every app process at the commit of a submission, an acceptance,
   a return or an import, and not while drafts are typed (one grouped query).
2. `submitted_index(store)`: one row per submitted assessment (id, agency, round, questionnaire
   version, updated_at); `data_stamp(index)` turns it into a per-round stamp (count, latest
   update, highest id), so typing in a draft somewhere does not invalidate the scored population.
3. `load_round(store, round)`: the answers of one round as a compact (categorical) frame.
4. `score_rounds(frames, bundle, index)`: `scoring.score`, one call per round (scoring is per
   assessment, so this equals one call on everything), kept as `PopulationFrames` without the
   per-answer frame (a drill-down re-scores its one assessment with `agency_drill_down`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from coordinator.register import registered_province_names
from scoring import AgencyResult, Bundle, ScoreResult, agency_result, responses_frame, score
from scoring.response_frame import ANSWER_COLUMNS
from storage import Scope, Store, round_sort_key
from storage.service import LOCKED_STATUSES
from storage.stamps import LockedStamp, locked_change_stamp

META_COLUMNS = ["agency_id", "agency_name", "agency_type", "province", "round"]
INDEX_COLUMNS = ["assessment_id", "agency_id", "round", "questionnaire_version", "updated_at"]
Stamp = tuple[tuple[str, int, str, int], ...]


# --- loading -----------------------------------------------------------------------------------


def change_signal(store: Store, scope: Scope) -> LockedStamp:
    """The database's change stamp of the locked (submitted, accepted) assessments in scope."""
    return locked_change_stamp(store, scope)


def submitted_index(store: Store, scope: Scope, questionnaire_id: str) -> pd.DataFrame:
    """One row per submitted assessment of the questionnaire in scope (columns `INDEX_COLUMNS`)."""
    infos = [a for a in store.list_assessments(scope, status=LOCKED_STATUSES) if a.questionnaire_id == questionnaire_id]
    frame = pd.DataFrame(
        {
            "assessment_id": [a.id for a in infos],
            "agency_id": [a.agency_id for a in infos],
            "round": [a.round for a in infos],
            "questionnaire_version": [a.questionnaire_version for a in infos],
            "updated_at": [a.updated_at.isoformat() for a in infos],
        },
        columns=INDEX_COLUMNS,
    )
    return frame.astype({"assessment_id": "int64", "agency_id": object, "round": object,
                         "questionnaire_version": object, "updated_at": object})


def sorted_rounds(rounds: Sequence[str] | pd.Series) -> list[str]:
    return sorted({str(r) for r in rounds}, key=round_sort_key)


def data_stamp(index: pd.DataFrame) -> Stamp:
    """Per round: (round, submitted assessments, latest updated_at, highest id). Cheap to hash."""
    if index.empty:
        return ()
    grouped = index.groupby("round", sort=False).agg(
        count=("assessment_id", "size"), latest=("updated_at", "max"), top=("assessment_id", "max")
    )
    return tuple(
        (str(r), int(grouped.at[r, "count"]), str(grouped.at[r, "latest"]), int(grouped.at[r, "top"]))
        for r in sorted_rounds(grouped.index)
    )


def summary_stamp(summary: pd.DataFrame) -> Stamp:
    """`data_stamp` from `storage.results.counted_summary` (grouped by round and version in the
    database) instead of one row per assessment: the same (round, count, latest, highest id)."""
    if summary.empty:
        return ()
    grouped = summary.groupby("round", sort=False).agg(count=("assessments", "sum"), latest=("latest", "max"),
                                                        top=("top", "max"))
    return tuple(
        (str(r), int(grouped.at[r, "count"]), str(grouped.at[r, "latest"]), int(grouped.at[r, "top"]))
        for r in sorted_rounds(grouped.index)
    )


# Storage hands over a round as categoricals read from narrow driver rows, so the national set
# (about 3,400 agencies) is one read; chunks only help far beyond that.
CHUNK_AGENCIES = 20_000


def load_round(store: Store, scope: Scope, questionnaire_id: str, round_: str,
               chunk_agencies: int = CHUNK_AGENCIES) -> pd.DataFrame:
    """The answers of every submitted assessment of one round, as categorical columns (small).

    Nationally the round is read in chunks of about `chunk_agencies` agencies (the ministries, then
    groups of provinces with their communes), each turned categorical before the next is read: the
    rows storage hands over as Python objects never all exist at once.
    """
    parts = []
    for part in _chunk_scopes(store, scope, chunk_agencies):
        frame = store.submitted_answers_frame(part, round=round_, questionnaire_id=questionnaire_id)
        parts.append(frame.astype("category"))
        del frame
        release_memory()
    return _concat_categorical(parts)


def _chunk_scopes(store: Store, scope: Scope, chunk_agencies: int) -> list[Scope]:
    """Narrower scopes that together cover exactly `scope` (only the national scope is split)."""
    if scope.level != "national":
        return [scope]
    agencies = store.list_agencies(scope)
    if len(agencies) <= chunk_agencies:
        return [scope]
    ids = np.array([a.id for a in agencies], dtype=object)
    kinds = np.array([a.type for a in agencies], dtype=object)
    provinces = np.array([a.province for a in agencies], dtype=object)
    scopes = [Scope("ministry", frozenset(ids[kinds == "ministry"]))] if (kinds == "ministry").any() else []
    # Each province with its communes, grouped in province order into chunks of about chunk_agencies.
    key = pd.Series(np.where(kinds == "province", ids, np.where(kinds == "commune", provinces, None)))
    sizes = key.dropna().value_counts().sort_index()
    group = (sizes.cumsum().to_numpy() - 1) // chunk_agencies
    for _, members in sizes.groupby(group):
        scopes.append(Scope("province", frozenset(members.index)))
    return scopes


def _concat_categorical(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if not p.empty] or parts[:1]
    if len(parts) == 1:
        return parts[0].reset_index(drop=True)
    # Categoricals with different categories concatenate to object columns of references to the
    # same few strings (8 bytes a row), which are then coded again.
    return pd.concat(parts, ignore_index=True).astype("category")


def release_memory() -> None:
    """Collect garbage and hand freed heap pages back to the OS (glibc `malloc_trim`; a no-op
    elsewhere). Loading a round creates and drops hundreds of thousands of row objects; without
    this the process keeps their pages resident long after they are gone."""
    gc.collect()
    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


# --- the population ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationFrames:
    """What a cache keeps: plain frames, no bundle. `dimensions` holds `len(dimension_ids)` rows per
    assessment in the order of `agencies`; `indicators` refers to assessments by `position`."""

    agencies: pd.DataFrame
    dimensions: pd.DataFrame
    indicators: pd.DataFrame


def _empty_result(bundle: Bundle) -> ScoreResult:
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ANSWER_COLUMNS})
    return score(empty, bundle)


def _slim(result: ScoreResult) -> PopulationFrames:
    bundle = result.bundle
    agencies = result.agencies.copy()
    for column in META_COLUMNS:
        if column in agencies:
            values = agencies[column].astype(object)
            agencies[column] = values.where(values.notna(), None)
    agencies["round"] = agencies["round"].astype(str).astype(object)
    gap_columns = [f"gap_{year}" for year in bundle.years]
    dimensions = result.dimensions[["score", "level", "rated", *gap_columns]].reset_index(drop=True)
    met_columns = [f"met_{year}" for year in bundle.years]
    indicators = result.indicators[["position", "indicator_id", "value", "applicable", *met_columns]].copy()
    indicators["indicator_id"] = indicators["indicator_id"].astype("category")
    return PopulationFrames(agencies=agencies.reset_index(drop=True), dimensions=dimensions, indicators=indicators)


def score_rounds(frames: Sequence[pd.DataFrame], bundle: Bundle, index: pd.DataFrame | None = None) -> PopulationFrames:
    """Score each round's answers and stack the results, with each assessment's version and id."""
    parts = [_slim(score(frame, bundle)) for frame in frames if not frame.empty]
    if not parts:
        parts = [_slim(_empty_result(bundle))]
    stacked = concat_frames(parts)
    agencies = _with_assessment_columns(stacked.agencies, bundle, index)
    return PopulationFrames(agencies=agencies, dimensions=stacked.dimensions, indicators=stacked.indicators)


def concat_frames(parts: Sequence[PopulationFrames]) -> PopulationFrames:
    """Several populations (e.g. one per round) as one, keeping rows aligned."""
    if len(parts) == 1:
        return parts[0]
    offsets = np.cumsum([0, *[len(p.agencies) for p in parts[:-1]]])
    indicators = []
    for part, offset in zip(parts, offsets, strict=True):
        shifted = part.indicators.copy()
        shifted["position"] = shifted["position"] + int(offset)
        indicators.append(shifted)
    indicator_frame = pd.concat(indicators, ignore_index=True)
    indicator_frame["indicator_id"] = indicator_frame["indicator_id"].astype(object).astype("category")
    return PopulationFrames(
        agencies=pd.concat([p.agencies for p in parts], ignore_index=True),
        dimensions=pd.concat([p.dimensions for p in parts], ignore_index=True),
        indicators=indicator_frame,
    )


def _with_assessment_columns(agencies: pd.DataFrame, bundle: Bundle, index: pd.DataFrame | None) -> pd.DataFrame:
    """Add `questionnaire_version`, `assessment_id` (from storage) and `province_key` (the province an
    agency belongs to: its own id for a province, its province for a commune, none for a ministry)."""
    out = agencies.copy()
    if index is not None and not index.empty:
        keyed = index.set_index(["agency_id", "round"])
        keys = pd.MultiIndex.from_arrays([out["agency_id"].astype(object), out["round"].astype(object)])
        out["questionnaire_version"] = keyed["questionnaire_version"].reindex(keys).to_numpy()
        out["assessment_id"] = pd.array(keyed["assessment_id"].reindex(keys).to_numpy(), dtype="Int64")
    else:
        out["questionnaire_version"] = bundle.questionnaire.version
        out["assessment_id"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["questionnaire_version"] = out["questionnaire_version"].fillna(bundle.questionnaire.version).astype(object)
    kind = out["agency_type"].astype(object)
    province_key = np.where(kind == "province", out["agency_id"].astype(object),
                            np.where(kind == "commune", out["province"].astype(object), None))
    out["province_key"] = pd.Series(province_key, index=out.index, dtype=object)
    return out


@dataclass(frozen=True)
class Population:
    """The scored population with its bundle; every coordinator view reads from this."""

    bundle: Bundle
    frames: PopulationFrames
    masks: dict[tuple[object, ...], np.ndarray] = field(default_factory=dict, init=False, repr=False, compare=False)
    """The views' selections, computed once per filter for this population (a page run)."""

    @classmethod
    def from_result(cls, result: ScoreResult, index: pd.DataFrame | None = None) -> Population:
        """From a `ScoreResult` (tests, the CLI): the same frames a page caches."""
        frames = _slim(result)
        frames = PopulationFrames(
            agencies=_with_assessment_columns(frames.agencies, result.bundle, index),
            dimensions=frames.dimensions,
            indicators=frames.indicators,
        )
        return cls(result.bundle, frames)

    @property
    def agencies(self) -> pd.DataFrame:
        return self.frames.agencies

    @property
    def dimension_ids(self) -> list[str]:
        return self.bundle.dimension_ids

    @property
    def empty(self) -> bool:
        return self.agencies.empty

    @cached_property
    def rounds(self) -> list[str]:
        return sorted_rounds(self.agencies["round"])

    @property
    def latest_round(self) -> str | None:
        return self.rounds[-1] if self.rounds else None

    def matrix(self, column: str) -> np.ndarray:
        """A dimension column as assessments × dimensions (a view, no copy)."""
        return self.frames.dimensions[column].to_numpy(dtype=float).reshape(len(self.agencies), len(self.dimension_ids))

    def required(self, year: str) -> np.ndarray:
        """The level each dimension must reach by `year`."""
        targets = self.bundle.targets
        return np.array([targets.dimension_min_level(year, d) for d in self.dimension_ids], dtype=float)

    @cached_property
    def province_names(self) -> dict[str, str]:
        """Province id → the name of its province agency (when one is in the data), else its name in
        the shipped register (communes may have answered without their province), else the id."""
        agencies = self.agencies
        keys = agencies["province_key"].dropna().unique()
        registered = registered_province_names()
        names: dict[str, object] = {k: registered.get(k) for k in keys}
        own = agencies[agencies["agency_type"] == "province"].drop_duplicates("agency_id", keep="last")
        names.update(zip(own["agency_id"], own["agency_name"], strict=True))
        return {k: str(v) if v else str(k) for k, v in names.items()}

    def selected(self, mask: np.ndarray | None = None) -> SelectedAgencies:
        """The selected assessments' rows with the bundle: what `scoring.population_summary` reads
        (`.bundle`, `.agencies`), without rebuilding a full `ScoreResult`."""
        agencies = self.agencies if mask is None else self.agencies[np.asarray(mask, dtype=bool)]
        return SelectedAgencies(bundle=self.bundle, agencies=agencies.reset_index(drop=True))


@dataclass(frozen=True)
class SelectedAgencies:
    """The part of a `ScoreResult` that population summaries use: one row per assessment."""

    bundle: Bundle
    agencies: pd.DataFrame


# --- one agency, in full ------------------------------------------------------------------------


def agency_drill_down(store: Store, scope: Scope, bundle: Bundle, assessment_id: int) -> AgencyResult:
    """One assessment's full result (every question, notes, roadmap): re-scored alone from storage,
    through the same engine, so it equals its row in the population."""
    response = store.to_response(int(assessment_id), scope)
    result = score(responses_frame([response]), bundle)
    return agency_result(result, response.agency.id, response.round)
