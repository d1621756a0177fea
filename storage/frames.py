"""`Store` use case: what coordinators read for thousands of agencies at once: every submitted answer
in scope as one long categorical frame, and the rounds there are."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from storage.access import READ, guarded
from storage.inputs import round_sort_key
from storage.records import FRAME_COLUMNS, LOCKED_STATUSES, Status
from storage.scope import Scope
from storage.store_base import A, S, StoreBase, W, _scope_clause


class CoordinatorFramesMixin(StoreBase):
    """Coordinators' reads across many agencies: the submitted answers frame and the rounds."""

    @guarded(READ)
    def submitted_answers_frame(
        self, scope: Scope, round: str | None = None, questionnaire_id: str | None = None
    ) -> pd.DataFrame:
        """One row per answer of every SUBMITTED (or accepted) assessment in scope, in ONE query. Columns:
        agency_id, agency_name, agency_type, province, round, question_id, answer (the canonical
        text: "3", "57.5", "na", "dont_know"). An assessment submitted without answers is one row
        with question_id and answer missing (so it is scored and counted)."""
        filters = [S.status.in_(LOCKED_STATUSES), _scope_clause(scope)]
        if round is not None:
            filters.append(S.round == str(round))
        if questionnaire_id is not None:
            filters.append(S.questionnaire_id == questionnaire_id)
        # Two narrow reads instead of one wide join: the agency details once per assessment, and
        # three short columns per answer fetched straight from the driver (no Row objects), so a
        # national round of 250,000 answers costs a fraction of a second and little memory.
        meta_stmt = (
            select(S.id, A.id, A.name, A.type, A.province, S.round)
            .join(A, A.id == S.agency_id)
            .where(*filters)
            .order_by(A.id, S.round, S.questionnaire_id)
        )
        answers_stmt = (
            select(W.assessment_id, W.question_id, W.value)
            .join(S, S.id == W.assessment_id)
            .join(A, A.id == S.agency_id)
            .where(*filters, W.value.is_not(None))
            .order_by(W.assessment_id, W.question_id)
        )
        with self._read() as conn:
            meta = conn.execute(meta_stmt).all()
            answers = conn.execute(answers_stmt).cursor.fetchall()
        return _answers_frame(meta, answers)

    @guarded(READ)
    def rounds(self, scope: Scope, status: Status | None = None) -> list[str]:
        """The rounds that have assessments in scope, oldest first."""
        stmt = select(S.round).distinct().join(A, A.id == S.agency_id).where(_scope_clause(scope))
        if status is not None:
            stmt = stmt.where(S.status == status)
        with self._read() as conn:
            return sorted(conn.execute(stmt).scalars(), key=round_sort_key)


def _answers_frame(meta: Sequence[Any], answers: Sequence[tuple[Any, str | None, str | None]],
                   ) -> pd.DataFrame:
    """The long answer frame (FRAME_COLUMNS) as categoricals built from integer codes.

    An assessment of `meta` without any answer (submitted empty) is one row with no question and no
    answer: the engine scores it as answering nothing (every dimension unrated), so it is counted
    like every other submission instead of silently missing."""
    answered = {row[0] for row in answers}
    empty = [(row[0], None, None) for row in meta if row[0] not in answered]
    if empty:
        answers = [*answers, *empty]
    if not answers:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in FRAME_COLUMNS})
    assessment_ids, question_ids, values = zip(*answers, strict=True)
    order = {row[0]: i for i, row in enumerate(meta)}  # assessments in agency, round order
    position = np.fromiter((order[a] for a in assessment_ids), dtype=np.int64, count=len(answers))
    columns: dict[str, Any] = {}
    for index, name in enumerate(("agency_id", "agency_name", "agency_type", "province", "round"), start=1):
        codes, uniques = pd.factorize(pd.Series([row[index] for row in meta], dtype=object), use_na_sentinel=True)
        columns[name] = pd.Categorical.from_codes(codes[position], pd.Index(uniques, dtype=object))
    for name, texts in (("question_id", question_ids), ("answer", values)):
        codes, uniques = pd.factorize(np.asarray(texts, dtype=object))
        columns[name] = pd.Categorical.from_codes(codes, pd.Index(uniques, dtype=object))
    frame = pd.DataFrame(columns)
    # Rows in agency, round, question order, whatever order the database returned them in.
    frame["_position"] = position
    return (
        frame.sort_values(["_position", "question_id"], kind="stable").drop(columns="_position").reset_index(drop=True)
    )
