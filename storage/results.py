"""Persisted scores: each assessment's results stored once, read by the coordinator in one pass.

Scoring is the domain core's job (`scoring.score`); this module only keeps what it produced, one
`assessment_results` row per assessment and scoring. A scoring is named by `ResultLayout`: the
questionnaire, rubric and targets by id and version (`scoring_key`), a hash of their content
(`content_stamp`) and the order of the years, dimensions and indicators that the packed arrays
follow. A row is *current* when it has the layout's key and stamp and was computed after the
assessment last changed; `stale_assessments` lists the others so that they are re-scored in one
batch (after a submit or an import, or when the content changed).

Every read that takes a scope also takes a signed-in `Principal` in its place and then applies the
role rules of `storage.access` (`read_results`: a trainer or a respondent reads no stored score; the
refusal is audited). `answers_of` and `write_results` take no scope: they only follow
`stale_assessments` (coordinator.scores.persist_scores).

Reading a round is two narrow queries and `numpy.frombuffer` over the joined blobs: no answer is
read, no Python object per dimension is built.
"""

from __future__ import annotations

import operator
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Boolean, Integer, and_, delete, distinct, func, or_, select

from storage.access import guarded
from storage.bulk import Same, among, bulk_insert
from storage.schema import AgencyRow, AnswerRow, AssessmentResultRow, AssessmentRow, utcnow
from storage.scope import Scope
from storage.service import Store, _answers_frame, _scope_clause

A = AgencyRow
S = AssessmentRow
W = AnswerRow
R = AssessmentResultRow

COUNTED_STATUSES: tuple[str, ...] = ("submitted", "accepted")
"""The statuses whose assessments count in national figures (`accepted` arrives with the review
workflow; a status no row has is simply never matched)."""
TARGET_FIELDS: tuple[str, ...] = ("met", "gap", "light", "indicators_met", "indicators_total")
DIMENSION_FIELDS: tuple[str, ...] = ("score", "level", "rated")  # then one gap per year
INDICATOR_FIELDS: tuple[str, ...] = ("value", "applicable")  # then one met per year
OVERALL_COLUMNS: tuple[str, ...] = (
    "overall_score", "overall_level", "overall_gated_level", "overall_continuous_level",
    "rated", "answered", "na", "dont_know", "unanswered",
)
INDEX_COLUMNS: tuple[str, ...] = (
    "assessment_id", "agency_id", "agency_name", "agency_type", "province", "round",
    "questionnaire_version", "status", "updated_at",
)
_AGENCY_ROUND = operator.itemgetter(1, 5)  # (agency id, round) in `_index_select` rows
_CHUNK = 2_000  # ids per IN (...) list: far below every driver's parameter limit
_FLOAT = np.dtype("<f8")


@dataclass(frozen=True)
class ResultLayout:
    """Which scoring a stored row belongs to and how its packed arrays are ordered."""

    scoring_key: str
    content_stamp: str
    years: tuple[str, ...]
    dimension_ids: tuple[str, ...]
    indicator_ids: tuple[str, ...]

    @property
    def target_shape(self) -> tuple[int, int]:
        return len(self.years), len(TARGET_FIELDS)

    @property
    def dimension_shape(self) -> tuple[int, int]:
        return len(self.dimension_ids), len(DIMENSION_FIELDS) + len(self.years)

    @property
    def indicator_shape(self) -> tuple[int, int]:
        return len(self.indicator_ids), len(INDICATOR_FIELDS) + len(self.years)


@dataclass(frozen=True)
class StoredResults:
    """One row per assessment (`index`: INDEX_COLUMNS + OVERALL_COLUMNS) and its arrays:
    `targets` (n, years, TARGET_FIELDS), `dimensions` (n, dimensions, DIMENSION_FIELDS + a gap per
    year), `indicators` (n, indicators, INDICATOR_FIELDS + a met per year); NaN where missing."""

    index: pd.DataFrame
    targets: np.ndarray
    dimensions: np.ndarray
    indicators: np.ndarray


def _index_select() -> Any:
    return select(S.id, A.id, A.name, A.type, A.province, S.round, S.questionnaire_version, S.status,
                  S.updated_at).join(A, A.id == S.agency_id)


def _index_frame(rows: Sequence[Any]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(INDEX_COLUMNS))
    frame = frame.astype({c: object for c in INDEX_COLUMNS if c != "assessment_id"})
    frame["updated_at"] = frame["updated_at"].map(str)
    return frame.astype({"assessment_id": "int64"})


def _filters(scope: Scope, questionnaire_id: str, round: str | None, statuses: Collection[str]) -> list[Any]:
    clauses = [_scope_clause(scope), S.questionnaire_id == questionnaire_id, S.status.in_(sorted(statuses))]
    if round is not None:
        clauses.append(S.round == str(round))
    return clauses


@guarded("read_results")
def counted_index(store: Store, scope: Scope, questionnaire_id: str, round: str | None = None,
                  statuses: Collection[str] = COUNTED_STATUSES) -> pd.DataFrame:
    """One row per assessment with a counted status (columns INDEX_COLUMNS), in one query. Rows come
    straight from the driver (`updated_at` as the driver gives it: only compared and hashed), since
    converting hundreds of thousands of timestamps would cost more than the query."""
    stmt = _index_select().where(*_filters(scope, questionnaire_id, round, statuses)).order_by(S.id)
    with store._read() as conn:
        return _index_frame(conn.execute(stmt).cursor.fetchall())


SUMMARY_COLUMNS: tuple[str, ...] = ("round", "questionnaire_version", "assessments", "agencies", "latest", "top")


@guarded("read_results")
def counted_summary(store: Store, scope: Scope, questionnaire_id: str,
                    statuses: Collection[str] = COUNTED_STATUSES) -> tuple[pd.DataFrame, int]:
    """Per round and questionnaire version: counted assessments, distinct agencies, latest change
    (as the driver gives it: only compared and hashed) and highest id (columns SUMMARY_COLUMNS), and
    the distinct agencies over all rounds. Grouped in the database: the coordinator's page needs
    these few numbers, not one row per assessment (300,000 at 100,000 agencies x 3 rounds)."""
    clauses = _filters(scope, questionnaire_id, None, statuses)
    grouped = select(S.round, S.questionnaire_version, func.count(), func.count(distinct(S.agency_id)),
                     func.max(S.updated_at), func.max(S.id))
    agencies = select(func.count(distinct(S.agency_id)))
    if scope.level != "national":  # the national scope needs no agency column: no join
        grouped, agencies = grouped.join(A, A.id == S.agency_id), agencies.join(A, A.id == S.agency_id)
    with store._read() as conn:
        rows = conn.execute(grouped.where(*clauses).group_by(S.round, S.questionnaire_version)).all()
        total = int(conn.execute(agencies.where(*clauses)).scalar_one())
    frame = pd.DataFrame([(str(r), str(v), int(n), int(a), str(latest), int(top)) for r, v, n, a, latest, top in rows],
                         columns=list(SUMMARY_COLUMNS))
    return frame.astype({"round": object, "questionnaire_version": object, "latest": object}), total


@guarded("read_results")
def stale_assessments(store: Store, scope: Scope, layout: ResultLayout, questionnaire_id: str,
                      round: str | None = None, statuses: Collection[str] = COUNTED_STATUSES) -> list[int]:
    """Counted assessments without a current result for `layout` (none, other content, or older
    than the assessment's last change), in id order."""
    joined = S.__table__.join(A, A.id == S.agency_id).outerjoin(
        R, and_(R.assessment_id == S.id, R.scoring_key == layout.scoring_key))
    stmt = (
        select(S.id).select_from(joined)
        .where(*_filters(scope, questionnaire_id, round, statuses))
        .where(or_(R.assessment_id.is_(None), R.content_stamp != layout.content_stamp,
                   R.computed_at < S.updated_at))
        .order_by(S.id)
    )
    with store._read() as conn:
        return [int(i) for i in conn.execute(stmt).scalars()]


def answers_of(store: Store, assessment_ids: Sequence[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The answers of the given assessments as the engine's long frame, and which assessment each
    (agency_id, round) pair is (columns assessment_id, agency_id, round). For scoring only what
    changed; the coordinator's reading path never calls this."""
    ids = sorted({int(i) for i in assessment_ids})
    meta: list[Any] = []
    answers: list[Any] = []
    with store._read() as conn:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            meta += conn.execute(
                select(S.id, A.id, A.name, A.type, A.province, S.round).join(A, A.id == S.agency_id)
                .where(S.id.in_(chunk)).order_by(A.id, S.round)).all()
            answers += conn.execute(
                select(W.assessment_id, W.question_id, W.value)
                .where(W.assessment_id.in_(chunk), W.value.is_not(None))).cursor.fetchall()
    keys = pd.DataFrame([(int(r[0]), r[1], r[5]) for r in meta], columns=["assessment_id", "agency_id", "round"])
    return _answers_frame(meta, answers), keys


def pack(values: np.ndarray) -> list[bytes]:
    """Each row of a (n, ...) float array as little-endian float64 bytes."""
    flat = np.ascontiguousarray(values, dtype=_FLOAT).reshape(len(values), -1)
    return [row.tobytes() for row in flat]


def unpack(blobs: Sequence[bytes], shape: tuple[int, ...]) -> np.ndarray:
    """The inverse of `pack` for n rows of `shape`, in one `frombuffer` call."""
    if not len(blobs):
        return np.empty((0, *shape), dtype=float)
    return np.frombuffer(b"".join(blobs), dtype=_FLOAT).reshape(len(blobs), *shape)


def write_results(store: Store, layout: ResultLayout, overall: pd.DataFrame, targets: np.ndarray,
                  dimensions: np.ndarray, indicators: np.ndarray) -> int:
    """Store (replace) the results of the assessments in `overall` (assessment_id + OVERALL_COLUMNS,
    aligned with the arrays) under `layout`, in one transaction. Returns the rows written."""
    n = len(overall)
    expected = {"targets": (n, *layout.target_shape), "dimensions": (n, *layout.dimension_shape),
                "indicators": (n, *layout.indicator_shape)}
    for name, array in (("targets", targets), ("dimensions", dimensions), ("indicators", indicators)):
        if tuple(array.shape) != expected[name]:
            raise ValueError(f"{name}: shape {array.shape}, the layout needs {expected[name]}")
    if n == 0:
        return 0
    ids = overall["assessment_id"].astype(int).tolist()
    with store._write() as conn:
        for among_ids in among(conn, R.assessment_id, ids):
            conn.execute(delete(R).where(R.scoring_key == layout.scoring_key, among_ids))
        bulk_insert(conn, R.__table__, {  # type: ignore[arg-type]  # the ORM class's Table
            "assessment_id": ids, "scoring_key": Same(layout.scoring_key), "content_stamp": Same(layout.content_stamp),
            "computed_at": Same(utcnow()), **{c: _plain(overall[c], R.__table__.c[c].type) for c in OVERALL_COLUMNS},
            "targets": pack(targets), "dimensions": pack(dimensions), "indicators": pack(indicators),
        })
    return n


def _plain(column: pd.Series, kind: Any) -> list[Any]:
    """A column as Python values of the table column's type for the driver (NaN as NULL), in one
    numpy pass (counts come out of the engine as floats: 74.0 is the integer 74)."""
    values = column.to_numpy()
    if isinstance(kind, Boolean):
        return values.astype(bool).tolist()
    if isinstance(kind, Integer):
        return values.astype(np.int64).tolist()
    numbers = values.astype(float)
    out = numbers.astype(object)
    out[np.isnan(numbers)] = None
    return out.tolist()


@guarded("read_results")
def read_results(store: Store, scope: Scope, layout: ResultLayout, questionnaire_id: str,
                 round: str | None = None, statuses: Collection[str] = COUNTED_STATUSES) -> StoredResults:
    """The current results of every counted assessment in scope (one query; assessments without a
    current result are left out: call `stale_assessments` first)."""
    stmt = (
        _index_select().add_columns(*[getattr(R, c) for c in OVERALL_COLUMNS], R.targets, R.dimensions,
                                    R.indicators)
        .join(R, and_(R.assessment_id == S.id, R.scoring_key == layout.scoring_key,
                      R.content_stamp == layout.content_stamp))
        .where(*_filters(scope, questionnaire_id, round, statuses))
    )
    with store._read() as conn:
        rows = conn.execute(stmt).cursor.fetchall()
    # Ordered here, not by the database: an ORDER BY sorts the whole rows with their packed arrays
    # (about 1 KB each, 100 MB at 100,000 agencies) in a temporary B-tree.
    rows = sorted(rows, key=_AGENCY_ROUND)
    width = len(INDEX_COLUMNS) + len(OVERALL_COLUMNS)
    index = pd.DataFrame.from_records([r[:width] for r in rows], columns=[*INDEX_COLUMNS, *OVERALL_COLUMNS])
    index = index.astype({c: object for c in INDEX_COLUMNS if c != "assessment_id"})  # no string inference
    index = index.astype({"assessment_id": "int64", "overall_score": float, "overall_level": float,
                          "overall_gated_level": float, "overall_continuous_level": float, "rated": bool,
                          "answered": "int64", "na": "int64", "dont_know": "int64", "unanswered": "int64"})
    return StoredResults(
        index=index,
        targets=unpack([r[width] for r in rows], layout.target_shape),
        dimensions=unpack([r[width + 1] for r in rows], layout.dimension_shape),
        indicators=unpack([r[width + 2] for r in rows], layout.indicator_shape),
    )
