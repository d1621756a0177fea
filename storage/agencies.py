"""`Store` use case: add, change, read and list agencies, within the caller's scope."""

from __future__ import annotations

import json

from sqlalchemy import Connection, insert, update

from scoring.schemas.response import Agency
from storage.access import READ, guarded
from storage.checks import check_agency
from storage.errors import AccessDenied
from storage.inputs import _actor
from storage.schema import utcnow
from storage.scope import Scope
from storage.store_base import A, StoreBase, _agency, _agency_select, _agency_words, _scope_clause


class AgenciesMixin(StoreBase):
    """Agencies: add or change one (audited), read one, list those in scope."""

    @guarded("upsert_agency")
    def upsert_agency(self, agency: Agency, scope: Scope, actor: str) -> None:
        """Add the agency, or change its name/type/province. Both the old and the new agency must
        lie inside the scope (a province cannot take over another province's commune)."""
        actor = _actor(actor)
        with self._write() as conn:
            self._upsert_agency(conn, agency, scope, actor)

    @guarded(READ)
    def get_agency(self, agency_id: str, scope: Scope) -> Agency | None:
        with self._read() as conn:
            row = conn.execute(_agency_select().where(A.id == agency_id)).first()
        if row is None:
            return None
        if not scope.allows(row):
            raise AccessDenied(f"Agency {agency_id} is outside your access ({scope.describe()}).")
        return _agency(row)

    @guarded(READ)
    def list_agencies(self, scope: Scope, agency_type: str | None = None) -> list[Agency]:
        stmt = _agency_select().where(_scope_clause(scope)).order_by(A.type, A.id)
        if agency_type is not None:
            stmt = stmt.where(A.type == agency_type)
        with self._read() as conn:
            return [_agency(row) for row in conn.execute(stmt)]

    def _upsert_agency(self, conn: Connection, agency: Agency, scope: Scope, actor: str) -> None:
        province = agency.province or None
        check_agency(agency)
        if not scope.allows(agency):
            raise AccessDenied(
                f"Agency {agency.id} ({_agency_words(agency)}) is outside your access ({scope.describe()}); "
                "it cannot be added or changed from here."
            )
        old = conn.execute(_agency_select().where(A.id == agency.id).with_for_update()).first()
        new_json = _agency_json(agency.name, agency.type, province)
        if old is None:
            conn.execute(
                insert(A).values(
                    id=agency.id, name=agency.name, type=agency.type, province=province, created_at=utcnow()
                )
            )
            self._audit(conn, actor, "agency_created", agency.id, new_value=new_json)
            return
        if not scope.allows(old):
            raise AccessDenied(
                f"Agency {agency.id} already exists as {_agency_words(old)}, outside your access "
                f"({scope.describe()}); it cannot be changed from here."
            )
        if (old.name, old.type, old.province) == (agency.name, agency.type, province):
            return
        conn.execute(update(A).where(A.id == agency.id).values(name=agency.name, type=agency.type, province=province))
        self._audit(
            conn,
            actor,
            "agency_updated",
            agency.id,
            old_value=_agency_json(old.name, old.type, old.province),
            new_value=new_json,
        )


def _agency_json(name: str, type: str, province: str | None) -> str:
    return json.dumps({"name": name, "type": type, "province": province}, ensure_ascii=False)
