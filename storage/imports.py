"""`Store` use case: import whole responses (for example from files) in one transaction, adding or
updating their agencies and replacing an existing assessment of the same round.

One path for one response or 10,000: the responses are checked as a set (`storage.import_batch`)
and stored with set-based statements: the agencies and assessments of the whole batch looked up in
one query each (locked), new rows inserted and answers and audit rows written in bulk
(`storage.bulk`). The guarantees are those of a loop over the responses in one transaction: all are
stored or none, an accepted assessment is never replaced, every change has its audit row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, bindparam, delete, func, select, update

from scoring.schemas.response import Agency, Response
from storage.access import guarded
from storage.agencies import AgenciesMixin, _agency_json
from storage.bulk import Same, among, bulk_insert
from storage.errors import AccessDenied, AssessmentLocked, InvalidValue
from storage.import_batch import ImportBatch, batch_from_frame, batch_from_responses
from storage.inputs import _actor
from storage.records import AssessmentInfo, Status
from storage.rounds import refuse_closed_rounds
from storage.schema import utcnow
from storage.scope import Scope
from storage.store_base import A, L, S, W, _agency_words


class ImportsMixin(AgenciesMixin):
    """Whole responses imported in one transaction (agencies added or updated on the way)."""

    def import_response(
        self, response: Response, scope: Scope, actor: str, status: Status = "submitted"
    ) -> AssessmentInfo:
        """Store a whole response (for example from a file), adding or updating its agency.

        An existing assessment of the same agency, round and questionnaire is REPLACED: its answers
        are deleted and the assessment (same id) takes the response's answers, version and status.
        The audit trail says whether it was imported or replaced.
        """
        return self.import_responses([response], scope, actor, status)[0]

    @guarded("import")
    def import_responses(
        self, responses: Iterable[Response], scope: Scope, actor: str, status: Status = "submitted"
    ) -> list[AssessmentInfo]:
        """`import_response` for many responses in ONE transaction: all are stored or none."""
        actor, status = _checked_call(actor, status)
        return self._import_batch(batch_from_responses(responses), scope, actor, status)

    @guarded("import")
    def import_answer_frame(
        self, frame: pd.DataFrame, questionnaire_id: str, version: str, scope: Scope, actor: str,
        status: Status = "submitted",
    ) -> list[AssessmentInfo]:
        """`import_responses` for a long answer frame (one response per agency and round; see
        `storage.import_batch.batch_from_frame`), without building a `Response` per agency."""
        actor, status = _checked_call(actor, status)
        return self._import_batch(batch_from_frame(frame, questionnaire_id, version), scope, actor, status)

    @guarded("import")
    def import_checked_batch(
        self, batch: ImportBatch, scope: Scope, actor: str, status: Status = "submitted",
    ) -> list[AssessmentInfo]:
        """`import_answer_frame` for a batch already built and checked by `storage.import_batch`
        (`batch_from_frame`): the caller may prepare the next batch while this one is stored."""
        actor, status = _checked_call(actor, status)
        return self._import_batch(batch, scope, actor, status)

    def _import_batch(self, batch: ImportBatch, scope: Scope, actor: str, status: Status) -> list[AssessmentInfo]:
        with self._write() as conn:
            # A closed round takes no import, as it takes no new draft or submission (storage.rounds).
            refuse_closed_rounds(conn, batch.rounds, "import an assessment into it")
            now = utcnow()
            ids: list[int] = []
            infos: dict[int, AssessmentInfo] = {}
            for part in batch.generations():
                stored = self._store_batch(conn, part, scope, actor, status, now)
                ids.extend(info.id for info in stored)
                infos.update((info.id, info) for info in stored)  # a later generation's state wins
        return [infos[i] for i in ids]

    def _store_batch(self, conn: Connection, batch: ImportBatch, scope: Scope, actor: str, status: Status,
                     now: datetime) -> list[AssessmentInfo]:
        """Store a batch in which no assessment appears twice; each response's assessment as stored
        (told from what this transaction wrote: reading the rows back cost a count of answers per
        assessment)."""
        audit = _AuditRows(actor, now)
        keys = batch.assessment_keys()
        self._upsert_agencies(conn, batch.agencies, scope, audit)
        existing = _existing_assessments(conn, keys)
        for key in keys:
            old = existing.get(key)
            if old is not None and old.status == "accepted":
                raise AssessmentLocked(
                    f"Agency {key[0]}'s assessment for round {key[1]} was accepted by its reviewer and is final; "
                    "it cannot be replaced by an import.",
                    int(old.id),
                )
        submitted_at = now if status == "submitted" else None
        head = {"status": status, "updated_at": now, "submitted_at": submitted_at}
        answered = batch.answered()
        fresh = [i for i, key in enumerate(keys) if key not in existing]
        ids = np.zeros(len(batch), dtype=np.int64)
        revisions = np.ones(len(batch), dtype=np.int64)
        if fresh:
            # Written at driver speed (an INSERT ... RETURNING of 2,000 rows cost more Python than its
            # answers), then their ids found by key: the rows are this transaction's own.
            bulk_insert(conn, S.__table__, {  # type: ignore[arg-type]  # the ORM class's Table
                "agency_id": [keys[i][0] for i in fresh], "round": [keys[i][1] for i in fresh],
                "questionnaire_id": [keys[i][2] for i in fresh],
                "questionnaire_version": [batch.versions[i] for i in fresh], "created_at": Same(now),
                "revision": Same(1), **{c: Same(v) for c, v in head.items()},
            })
            inserted = _existing_assessments(conn, [keys[i] for i in fresh], lock=False)
            ids[fresh] = [int(inserted[keys[i]].id) for i in fresh]
        replaced = [i for i, key in enumerate(keys) if key in existing]
        removed: dict[int, int] = {}
        if replaced:
            olds = [existing[keys[i]] for i in replaced]
            ids[replaced] = [int(o.id) for o in olds]
            revisions[replaced] = [int(o.revision or 0) + 1 for o in olds]  # the rows are locked: no lost bump
            old_ids = [int(o.id) for o in olds]
            for among_old in among(conn, W.assessment_id, old_ids):
                removed.update(conn.execute(
                    select(W.assessment_id, func.count()).where(among_old, W.value.is_not(None))
                    .group_by(W.assessment_id)).all())
                conn.execute(delete(W).where(among_old))
            # A new revision: a page opened before the import cannot overwrite what it brought.
            conn.execute(
                update(S).where(S.id == bindparam("old_id")).values(
                    questionnaire_version=bindparam("new_version"), revision=bindparam("new_revision"), **head),
                [{"old_id": int(ids[i]), "new_version": batch.versions[i], "new_revision": int(revisions[i])}
                 for i in replaced],
            )
        bulk_insert(conn, W.__table__, {  # type: ignore[arg-type]  # the ORM class's Table
            "assessment_id": ids[batch.owner],
            **(batch.answer_columns or {"question_id": batch.question_ids, "value": batch.values,
                                        "na_reason": batch.na_reasons, "evidence": batch.evidence}),
            "updated_at": Same(now),
            "version": revisions[batch.owner],
        })
        for i, key in enumerate(keys):
            round, questionnaire, version = key[1], key[2], batch.versions[i]
            old = existing.get(key)
            if old is None:
                detail = (f"imported a {status} response for round {round} of {questionnaire} {version}: "
                          f"{answered[i]} answers")
                audit.add("imported", key[0], int(ids[i]), None, status, detail)
            else:
                detail = (f"replaced the {old.status} assessment of round {round} ({old.questionnaire_version}, "
                          f"{removed.get(int(old.id), 0)} answers) by an imported {status} response "
                          f"({version}, {answered[i]} answers)")
                audit.add("replaced", key[0], int(ids[i]), old.status, status, detail)
        audit.write(conn)
        return [
            AssessmentInfo(
                id=int(ids[i]), agency_id=key[0], round=key[1], questionnaire_id=key[2],
                questionnaire_version=batch.versions[i], status=status,
                created_at=now if key not in existing else existing[key].created_at, updated_at=now,
                submitted_at=submitted_at, answered_count=int(answered[i]),
            )
            for i, key in enumerate(keys)
        ]

    def _upsert_agencies(self, conn: Connection, agencies: Sequence[Agency], scope: Scope, audit: _AuditRows) -> None:
        """`AgenciesMixin._upsert_agency` for every agency of a batch, in order, with one locked
        lookup and one insert and update statement each."""
        wanted = sorted({a.id for a in agencies})
        stored: dict[str, Any] = {}
        for among_wanted in among(conn, A.id, wanted):
            stored.update((row.id, row) for row in conn.execute(  # .all(): one fetch, not one per row
                select(A.id, A.name, A.type, A.province).where(among_wanted).with_for_update()).all())
        current = {k: (r.name, r.type, r.province) for k, r in stored.items()}
        created: dict[str, tuple[str, str, str | None]] = {}
        changed: dict[str, tuple[str, str, str | None]] = {}
        for agency in agencies:
            province = agency.province or None
            new = (agency.name, agency.type, province)
            if not scope.allows(agency):
                raise AccessDenied(
                    f"Agency {agency.id} ({_agency_words(agency)}) is outside your access ({scope.describe()}); "
                    "it cannot be added or changed from here."
                )
            old = current.get(agency.id)
            if old is None:
                created[agency.id] = current[agency.id] = new
                audit.add("agency_created", agency.id, None, None, _agency_json(*new))
                continue
            if agency.id in stored and not scope.allows(stored[agency.id]):
                row = stored[agency.id]
                raise AccessDenied(
                    f"Agency {agency.id} already exists as {_agency_words(row)}, outside your access "
                    f"({scope.describe()}); it cannot be changed from here."
                )
            if old == new:
                continue
            current[agency.id] = new
            (created if agency.id in created else changed)[agency.id] = new
            audit.add("agency_updated", agency.id, None, _agency_json(*old), _agency_json(*new))
        if created:
            bulk_insert(conn, A.__table__, {  # type: ignore[arg-type]  # the ORM class's Table
                "id": list(created), "name": [v[0] for v in created.values()],
                "type": [v[1] for v in created.values()], "province": [v[2] for v in created.values()],
                "created_at": Same(utcnow()),
            })
        if changed:
            conn.execute(
                update(A).where(A.id == bindparam("agency")).values(
                    name=bindparam("new_name"), type=bindparam("new_type"), province=bindparam("new_province")),
                [{"agency": k, "new_name": v[0], "new_type": v[1], "new_province": v[2]} for k, v in changed.items()],
            )


class _AuditRows:
    """The audit rows of one import, in the order of the changes, written in one statement."""

    def __init__(self, actor: str, at: datetime) -> None:
        self.actor, self.at = actor, at
        self.rows: list[tuple[str, str, int | None, str | None, str | None, str]] = []

    def add(self, action: str, agency_id: str, assessment_id: int | None, old: str | None, new: str | None,
            detail: str | None = None) -> None:
        self.rows.append((action, agency_id, assessment_id, old, new, detail))  # type: ignore[arg-type]

    def write(self, conn: Connection) -> None:
        if not self.rows:
            return
        action, agency, assessment, old, new, detail = (list(c) for c in zip(*self.rows, strict=True))
        bulk_insert(conn, L.__table__, {  # type: ignore[arg-type]  # the ORM class's Table
            "at": Same(self.at), "actor": Same(self.actor), "action": action, "agency_id": agency,
            "assessment_id": assessment, "question_id": Same(None), "old_value": old, "new_value": new,
            "detail": detail,
        })
        self.rows.clear()


def _existing_assessments(conn: Connection, wanted: Iterable[tuple[str, str, str]],
                          lock: bool = True) -> dict[tuple[str, str, str], Any]:
    """The stored assessments of these (agency, round, questionnaire) keys, locked unless told."""
    keys = set(wanted)
    found: dict[tuple[str, str, str], Any] = {}
    rounds = sorted({k[1] for k in keys})
    for among_agencies in among(conn, S.agency_id, sorted({k[0] for k in keys})):
        query = select(S.id, S.agency_id, S.round, S.questionnaire_id, S.questionnaire_version, S.status,
                       S.revision, S.created_at).where(among_agencies, S.round.in_(rounds))
        rows = conn.execute(query.with_for_update() if lock else query).all()
        for row in rows:
            key = (row.agency_id, row.round, row.questionnaire_id)
            if key in keys:
                found[key] = row
    return found


def _checked_call(actor: str, status: str) -> tuple[str, Status]:
    if status not in ("draft", "submitted"):  # returned and accepted come only from a reviewer
        raise InvalidValue(f"status must be 'draft' or 'submitted', not {status!r}")
    return _actor(actor), status  # type: ignore[return-value]
