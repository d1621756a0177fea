"""`Store` use case: read the audit trail (every write adds its row through `StoreBase._audit`)."""

from __future__ import annotations

from sqlalchemy import select

from storage.access import guarded
from storage.checks import checked_assessment_id
from storage.records import AuditEntry
from storage.scope import Scope
from storage.store_base import A, L, S, StoreBase, _scope_clause


class AuditTrailMixin(StoreBase):
    """The audit trail, newest first, within the scope."""

    @guarded("history")
    def audit_trail(self, scope: Scope, assessment_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
        """The latest audit entries in scope, newest first."""
        stmt = select(L).order_by(L.id.desc()).limit(max(0, int(limit)))
        if scope.level != "national":
            stmt = stmt.where(L.agency_id.in_(select(A.id).where(_scope_clause(scope))))
        with self._read() as conn:
            if assessment_id is not None:
                assessment_id = checked_assessment_id(assessment_id)
                if conn.execute(select(S.id).where(S.id == assessment_id)).first() is not None:
                    self._assessment_in_scope(conn, assessment_id, scope)
                stmt = stmt.where(L.assessment_id == assessment_id)
            rows = conn.execute(stmt).all()
        return [
            AuditEntry(
                id=r.id,
                at=r.at,
                actor=r.actor,
                action=r.action,
                agency_id=r.agency_id,
                assessment_id=r.assessment_id,
                question_id=r.question_id,
                old_value=r.old_value,
                new_value=r.new_value,
                detail=r.detail,
            )
            for r in rows
        ]
