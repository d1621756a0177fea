"""Change stamps read from the database: what caches key on, in every app process alike.

A cache that is invalidated per process (or after a time-to-live) shows each app replica its own
idea of the data; a stamp read from the database changes for all replicas at the moment of the
commit. `locked_change_stamp` is cheap (one grouped query over the assessments' head rows) and moves
only when the coordinators' data moves: an assessment submitted, accepted, returned or replaced by an
import. Typing in drafts all over the country does not move it. A signed-in `Principal` in place of the scope
gets the role rules of `storage.access` (`read_results`).
"""

from __future__ import annotations

from sqlalchemy import func, select

from storage.access import guarded
from storage.schema import AgencyRow, AssessmentRow
from storage.scope import Scope
from storage.service import LOCKED_STATUSES, Store, _scope_clause

LockedStamp = tuple[tuple[str, int, str, int], ...]


@guarded("read_results")
def locked_change_stamp(store: Store, scope: Scope) -> LockedStamp:
    """Per locked status (submitted, accepted) in scope: (status, how many, latest change, highest id).
    Any transition into, out of or between those statuses changes a count; an import that replaces a
    locked assessment changes its `updated_at`; a locked assessment's answers cannot change otherwise."""
    S, A = AssessmentRow, AgencyRow
    stmt = select(S.status, func.count(), func.max(S.updated_at), func.max(S.id))
    if scope.level != "national":  # read on every script run: the national stamp needs no agency row
        stmt = stmt.join(A, A.id == S.agency_id)
    stmt = stmt.where(S.status.in_(LOCKED_STATUSES), _scope_clause(scope)).group_by(S.status).order_by(S.status)
    with store.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return tuple((str(status), int(count), str(latest), int(top)) for status, count, latest, top in rows)
