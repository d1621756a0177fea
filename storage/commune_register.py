"""The commune register uploaded by a coordinator: the communes expected to answer (the register's
commune CSV, `coordinator.register.parse_communes_csv`), which replace the shipped stand-in in
response tracking. One upload replaces the whole list in one transaction, audited; only an
administrator or a national coordinator may do it (`manage_register` in `storage.access`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import delete, func, select

from storage.access import RoleRefused, guarded
from storage.bulk import Same, bulk_insert
from storage.checks import check_agency
from storage.errors import InvalidValue
from storage.inputs import _actor
from storage.schema import RegisterCommuneRow, utcnow
from storage.scope import Scope

if TYPE_CHECKING:
    from storage.service import Store

C = RegisterCommuneRow
COLUMNS = ("id", "name", "province")


class CommuneRegister:
    """Replace and read the uploaded commune register."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @guarded("manage_register")
    def replace(self, communes: pd.DataFrame, scope: Scope, actor: str) -> int:
        """Store `communes` (columns id, name, province; already checked against the register's
        provinces) as THE commune register, replacing the previous upload. Returns how many."""
        if scope.level != "national":
            raise RoleRefused("The commune register is national: only an administrator or a national coordinator "
                              f"may replace it (your access: {scope.describe()}).")
        actor = _actor(actor)
        missing = [c for c in COLUMNS if c not in communes.columns]
        if missing:
            raise InvalidValue(f"the commune register needs the columns {', '.join(COLUMNS)}; missing {missing}")
        frame = communes[list(COLUMNS)].astype(str)
        if frame.empty:
            raise InvalidValue("the commune register is empty: it needs at least one commune")
        if frame["id"].duplicated().any():
            raise InvalidValue(f"commune {frame.loc[frame['id'].duplicated(), 'id'].iloc[0]!r} is listed twice")
        from scoring.schemas.response import Agency

        for row in frame.itertuples(index=False):  # the same id and name rules as every agency
            check_agency(Agency.model_construct(id=row.id, name=row.name, type="commune", province=row.province))
        now = utcnow()
        with self.store._write() as conn:
            before = conn.execute(select(func.count()).select_from(C)).scalar_one()
            conn.execute(delete(C))
            bulk_insert(conn, C.__table__, {  # type: ignore[arg-type]  # the ORM class's Table
                "id": frame["id"].tolist(), "name": frame["name"].tolist(), "province": frame["province"].tolist(),
                "uploaded_at": Same(now), "uploaded_by": Same(actor)})
            self.store._audit(conn, actor, "register_communes", None, old_value=str(before), new_value=str(len(frame)),
                              detail=f"commune register replaced: {before} communes before, {len(frame)} now")
        return len(frame)


def stored_communes(store: Store) -> pd.DataFrame | None:
    """The uploaded communes (id, name, province), or None when nothing was uploaded (the register
    file's communes apply). The list of expected communes is not confidential: no role check."""
    with store._read() as conn:
        rows = conn.execute(select(C.id, C.name, C.province).order_by(C.id)).all()
    if not rows:
        return None
    return pd.DataFrame([tuple(r) for r in rows], columns=list(COLUMNS))


def register_stamp(store: Store) -> tuple[int, str]:
    """(communes, latest upload time): changes with every upload, for caches to key on."""
    with store._read() as conn:
        count, latest = conn.execute(select(func.count(), func.max(C.uploaded_at))).one()
    return int(count), str(latest)
