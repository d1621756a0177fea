"""Saving one question's answer or notes (`Store.save_answer`, `Store.save_note`): one transaction of
three statements, built once, with every check of the page's save.

1. **Claim the assessment**: `UPDATE assessments SET revision = revision + 1 ... RETURNING` the head
   (agency, status, questionnaire, the agency's type and province) and the question's stored row
   (value, notes, version). The UPDATE takes the assessment's row lock, as every writer of its
   answers does first, so the saves of one assessment follow one another; the new revision is the
   answer's new version. The scope, the status (submitted, accepted), the value (it must fit the
   questionnaire) and the version the page saw are then checked on what came back; a refusal, and a
   save that changes nothing, roll the transaction back, so a refused or idle save writes nothing.
2. **Write the row**, only if it still has the version read in 1 (`UPDATE/DELETE ... WHERE version =`,
   `INSERT ... ON CONFLICT DO NOTHING`). On PostgreSQL the sub-selects of 1 read the snapshot taken
   when the statement started, so after waiting for another save's lock on the same assessment they
   may show the row as it was before that save. A write that finds another version re-reads the row
   (current now: the lock is held) and decides again, so the optimistic check never misses a change.
3. **The audit row(s)**: the answer and/or the notes, old and new.

The statements are built once on the tables (not per call, not through the ORM): building and
compiling SQLAlchemy statements was most of a save's CPU time, and one app process serves many
sessions on one core.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, cast

from sqlalchemy import Connection, Insert, Table, and_, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from storage.checks import check_answer_fits, checked_assessment_id
from storage.errors import StaleAnswer, StorageError
from storage.inputs import KEEP, Note, _actor, _Keep, _note, _question_id
from storage.schema import AgencyRow, AnswerRow, AssessmentRow, utcnow
from storage.scope import Scope
from storage.store_base import StoreBase, checked_head
from storage.values import Answer, canonical_value

_S = cast(Table, AssessmentRow.__table__)
_A = cast(Table, AgencyRow.__table__)
_W = cast(Table, AnswerRow.__table__)
_KEY = and_(_W.c.assessment_id == bindparam("aid"), _W.c.question_id == bindparam("qid"))


def _stored(column: Any) -> Any:
    return select(column).where(_KEY).scalar_subquery()


def _of_agency(column: Any) -> Any:
    return select(column).where(_A.c.id == _S.c.agency_id).correlate(_S).scalar_subquery()


CLAIM = (
    update(_S)
    .where(_S.c.id == bindparam("aid"))
    .values(revision=_S.c.revision + 1, updated_at=bindparam("now"))
    .returning(
        _S.c.revision,
        _S.c.agency_id,
        _S.c.questionnaire_id,
        _S.c.questionnaire_version,
        _S.c.status,
        _S.c.submitted_at,
        _of_agency(_A.c.type).label("type"),
        _of_agency(_A.c.province).label("province"),
        _stored(_W.c.value).label("old_value"),
        _stored(_W.c.na_reason).label("old_na_reason"),
        _stored(_W.c.evidence).label("old_evidence"),
        _stored(_W.c.version).label("old_version"),
    )
)
_NEW: dict[str, Any] = {
    "value": bindparam("new_value"),
    "na_reason": bindparam("new_na_reason"),
    "evidence": bindparam("new_evidence"),
    "updated_at": bindparam("now"),
    "version": bindparam("new_version"),
}
_SEEN = _W.c.version == bindparam("seen_version")
UPDATE_ROW = update(_W).where(_KEY, _SEEN).values(_NEW)
DELETE_ROW = delete(_W).where(_KEY, _SEEN)
READ_ROW = select(_W.c.value, _W.c.na_reason, _W.c.evidence, _W.c.version).where(_KEY)
_INSERT_VALUES = {"assessment_id": bindparam("aid"), "question_id": bindparam("qid"), **_NEW}
# RETURNING tells whether the row went in (an INSERT's rowcount is not reported by every driver).
_INSERT_ROW: dict[str, Insert] = {
    "postgresql": postgresql.insert(_W).values(_INSERT_VALUES).on_conflict_do_nothing().returning(_W.c.version),
    "sqlite": sqlite.insert(_W).values(_INSERT_VALUES).on_conflict_do_nothing().returning(_W.c.version),
}
_INSERT_PLAIN = insert(_W).values(_INSERT_VALUES).returning(_W.c.version)  # elsewhere a racing insert fails


@dataclass(frozen=True)
class _Row:
    """A question's row: its answer (canonical text), notes and version (`exists` False: no row)."""

    value: str | None
    na_reason: str | None
    evidence: str | None
    version: int
    exists: bool

    @property
    def content(self) -> tuple[str | None, str | None, str | None]:
        return self.value, self.na_reason, self.evidence


class _Unchanged(Exception):
    """Raised inside the transaction to roll the claim back: the save changes nothing."""

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def save_question(
    store: StoreBase,
    assessment_id: int,
    question_id: str,
    value: Answer | Literal[_Keep.KEEP] | None,
    scope: Scope,
    actor: str,
    na_reason: Note,
    evidence: Note,
    based_on: int | None,
) -> int:
    """Check the arguments and save (see `Store.save_answer`; `value` KEEP: `Store.save_note`)."""
    actor = _actor(actor)
    question_id = _question_id(question_id)
    new_value = value if value is KEEP or value is None else canonical_value(value)
    na_reason, evidence = _note(na_reason), _note(evidence)
    assessment_id = checked_assessment_id(assessment_id)
    key = {"aid": assessment_id, "qid": question_id, "now": utcnow()}
    try:
        with store._write() as conn:
            head = conn.execute(CLAIM, key).first()
            checked_head(head, assessment_id, scope, writable=True)
            assert head is not None  # checked_head refuses a missing assessment
            check_answer_fits(
                head.questionnaire_id,
                head.questionnaire_version,
                question_id,
                None if new_value is KEEP else new_value,
                head.type,
            )
            old = _Row(
                head.old_value,
                head.old_na_reason,
                head.old_evidence,
                int(head.old_version or 0),
                head.old_version is not None,
            )
            return _apply(store, conn, head, key, old, new_value, na_reason, evidence, actor, based_on)
    except _Unchanged as unchanged:
        return unchanged.version


def _apply(
    store: StoreBase,
    conn: Connection,
    head: Any,
    key: dict[str, Any],
    old: _Row,
    value: str | Literal[_Keep.KEEP] | None,
    na_reason: Note,
    evidence: Note,
    actor: str,
    based_on: int | None,
) -> int:
    """Write the question's row (the assessment is claimed); return its version afterwards (0: no row).
    `key`: the claim's parameters (assessment id, question id, time)."""
    assessment_id, question_id = int(key["aid"]), str(key["qid"])
    for _attempt in range(2):
        new = _Row(
            old.value if value is KEEP else value,
            old.na_reason if na_reason is KEEP else na_reason,
            old.evidence if evidence is KEEP else evidence,
            int(head.revision),
            True,
        )
        if new.content == old.content:
            raise _Unchanged(old.version)  # nothing changes, so nobody's answer is overwritten either
        if based_on is not None and int(based_on) != old.version:
            raise StaleAnswer(
                f"The answer to {question_id} was changed by someone else (another window, a colleague or "
                f"an import) after you opened it, so your change was NOT saved. Reload the latest answers, "
                f"check them and answer again if needed.",
                assessment_id,
                question_id,
                int(based_on),
                old.version,
            )
        if _write_row(conn, key, old, new):
            break
        # Another save changed the row between the claim's snapshot and its lock: read it again.
        again = conn.execute(READ_ROW, key).first()
        old = _Row(None, None, None, 0, False) if again is None else _Row(*again[:3], int(again.version), True)
    else:  # pragma: no cover - the second read is made under the lock, so its version holds
        raise StorageError(f"The answer to {question_id} could not be saved; try again.")
    _audit_change(store, conn, head.agency_id, assessment_id, question_id, old, new, actor)
    return 0 if new.content == (None, None, None) else new.version


def _write_row(conn: Connection, key: dict[str, Any], old: _Row, new: _Row) -> bool:
    """Delete, insert or update the row if it is still `old`; False when it is not."""
    seen = key | {"seen_version": old.version}
    if new.content == (None, None, None):
        return conn.execute(DELETE_ROW, seen).rowcount == 1
    values = key | {
        "new_value": new.value,
        "new_na_reason": new.na_reason,
        "new_evidence": new.evidence,
        "new_version": new.version,
    }
    if not old.exists:
        return conn.execute(_INSERT_ROW.get(conn.dialect.name, _INSERT_PLAIN), values).first() is not None
    return conn.execute(UPDATE_ROW, values | {"seen_version": old.version}).rowcount == 1


def _audit_change(
    store: StoreBase,
    conn: Connection,
    agency_id: str,
    assessment_id: int,
    question_id: str,
    old: _Row,
    new: _Row,
    actor: str,
) -> None:
    if new.value != old.value:
        store._audit(
            conn,
            actor,
            "answer_cleared" if new.value is None else "answer_saved",
            agency_id,
            assessment_id,
            question_id,
            old_value=old.value,
            new_value=new.value,
        )
    old_notes = {"na_reason": old.na_reason, "evidence": old.evidence}
    new_notes = {"na_reason": new.na_reason, "evidence": new.evidence}
    changed = [name for name in old_notes if old_notes[name] != new_notes[name]]
    if changed:
        store._audit(
            conn,
            actor,
            "note_saved",
            agency_id,
            assessment_id,
            question_id,
            old_value=json.dumps({k: old_notes[k] for k in changed}, ensure_ascii=False),
            new_value=json.dumps({k: new_notes[k] for k in changed}, ensure_ascii=False),
            detail=" and ".join(name.replace("_", " ") for name in changed) + " changed",
        )
