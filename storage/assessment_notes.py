"""What an agency says beside its answers: a comment per dimension; and the round's deadline.

Comments follow the answers' rules: changed only while the assessment is a draft (or returned),
every change audited, frozen after submit.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from sqlalchemy import delete, insert, select, update

from storage.access import READ, guarded
from storage.schema import DimensionCommentRow, RoundDeadlineRow, utcnow
from storage.scope import Scope
from storage.service import Store, _actor

C = DimensionCommentRow
MAX_COMMENT = 4000


@guarded(READ)
def dimension_comments(store: Store, assessment_id: int, scope: Scope) -> dict[str, str]:
    with store._read() as conn:
        store._assessment_in_scope(conn, assessment_id, scope)
        rows = conn.execute(select(C.dimension_id, C.comment).where(C.assessment_id == assessment_id))
        return {r.dimension_id: r.comment for r in rows}


@guarded("save_answer")
def save_dimension_comment(store: Store, assessment_id: int, dimension_id: str, comment: str | None, scope: Scope,
                           actor: str) -> str | None:
    """Store (or, when empty, remove) the comment; returns what is stored. Refuses a submitted assessment."""
    text = unicodedata.normalize("NFC", (comment or "").strip())[:MAX_COMMENT] or None
    actor = _actor(actor)
    with store._write() as conn:
        head = store._writable(conn, assessment_id, scope)
        old = conn.execute(select(C.comment).where(C.assessment_id == assessment_id,
                                                   C.dimension_id == dimension_id)).scalar_one_or_none()
        if old == text:
            return text
        if text is None:
            conn.execute(delete(C).where(C.assessment_id == assessment_id, C.dimension_id == dimension_id))
        elif old is None:
            conn.execute(insert(C).values(assessment_id=assessment_id, dimension_id=dimension_id, comment=text,
                                          updated_at=utcnow(), updated_by=actor))
        else:
            conn.execute(update(C).where(C.assessment_id == assessment_id, C.dimension_id == dimension_id)
                         .values(comment=text, updated_at=utcnow(), updated_by=actor))
        store._audit(conn, actor, "dimension_comment", head.agency_id, assessment_id, dimension_id,
                     old_value=old, new_value=text)
    return text


def round_deadline(store: Store, round_: str) -> date | None:
    """The date by which the round is to be submitted, if the coordinators set one and the round is open."""
    with store._read() as conn:
        return conn.execute(select(RoundDeadlineRow.deadline).where(RoundDeadlineRow.round == round_,
                                                                    RoundDeadlineRow.closed_at.is_(None))
                            ).scalar_one_or_none()
