"""Users, roles and scopes: who may sign in and what they then see.

A user is matched to the identity provider's token by `sub` (when recorded) or by e-mail (lower
case). Only an admin `Principal` (or trusted code passing a `Scope`, such as the command line) may
add or change users; every change is written to the audit trail, and nothing is ever deleted:
a user who leaves is deactivated.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, or_, select, update

from storage.access import Principal, Who, check_role_scope, guarded
from storage.errors import InvalidValue, NotFound
from storage.schema import AuditRow, UserRow, utcnow
from storage.service import Store

U = UserRow
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
CSV_COLUMNS = ("email", "role", "scope", "display_name", "active")


@dataclass(frozen=True)
class UserInfo:
    id: int
    email: str
    sub: str | None
    display_name: str | None
    role: str
    scope: str
    active: bool
    created_at: datetime
    updated_at: datetime

    def principal(self) -> Principal:
        return Principal(email=self.email, role=self.role, scope_text=self.scope, display_name=self.display_name)


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    """(row number in the file, counting the header as row 1; what is wrong)."""


def normalise_email(email: object) -> str:
    if not isinstance(email, str) or not EMAIL.match(email.strip()):
        raise InvalidValue(f"{email!r} is not an e-mail address")
    value = email.strip().lower()
    if len(value) > 254:
        raise InvalidValue("an e-mail address has at most 254 characters")
    return value


def _user(row: Row[Any]) -> UserInfo:
    return UserInfo(
        id=int(row.id),
        email=row.email,
        sub=row.sub,
        display_name=row.display_name,
        role=row.role,
        scope=row.scope,
        active=bool(row.active),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _columns() -> Any:
    return select(U.id, U.email, U.sub, U.display_name, U.role, U.scope, U.active, U.created_at, U.updated_at)


class Accounts:
    """The users table behind one `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- sign-in (no principal yet) --------------------------------------------------------------

    def principal_for(self, email: str | None, sub: str | None = None) -> Principal | None:
        """The active user matching the identity provider's `sub` or e-mail, or None (unknown or
        deactivated: the app then shows "ask your administrator" and no data)."""
        clauses = []
        if sub:
            clauses.append(U.sub == sub)
        if email:
            clauses.append(U.email == email.strip().lower())
        if not clauses:
            return None
        with self.store.engine.connect() as conn:
            rows = [_user(r) for r in conn.execute(_columns().where(or_(*clauses)))]
        # A recorded `sub` wins over an e-mail (an address can be reassigned to someone else).
        rows.sort(key=lambda u: 0 if sub and u.sub == sub else 1)
        for user in rows:
            if user.sub and sub and user.sub != sub:
                continue
            return user.principal() if user.active else None
        return None

    # --- administration --------------------------------------------------------------------------

    @guarded("manage_users")
    def list_users(self, scope: Who) -> list[UserInfo]:
        with self.store.engine.connect() as conn:
            return [_user(r) for r in conn.execute(_columns().order_by(U.role, U.email))]

    @guarded("manage_users")
    def get_user(self, email: str, scope: Who) -> UserInfo:
        with self.store.engine.connect() as conn:
            row = conn.execute(_columns().where(U.email == normalise_email(email))).first()
        if row is None:
            raise NotFound(f"There is no user {email}.")
        return _user(row)

    @guarded("manage_users")
    def add_user(
        self,
        email: str,
        role: str,
        scope_text: str,
        scope: Who,
        actor: str,
        display_name: str | None = None,
        sub: str | None = None,
    ) -> UserInfo:
        """Add a user; an existing e-mail is refused (use `change_user`)."""
        email = normalise_email(email)
        canonical = check_role_scope(role, scope_text)
        with self.store._write() as conn:
            if conn.execute(select(U.id).where(U.email == email)).first() is not None:
                raise InvalidValue(f"{email} is already a user; change their role or scope instead.")
            now = utcnow()
            conn.execute(
                insert(U).values(
                    email=email,
                    sub=(sub or None),
                    display_name=(display_name or "").strip() or None,
                    role=role,
                    scope=canonical,
                    active=True,
                    created_at=now,
                    updated_at=now,
                )
            )
            self._audit(conn, actor, "user_added", email, None, f"{role} {canonical}")
            return _user(conn.execute(_columns().where(U.email == email)).one())

    @guarded("manage_users")
    def change_user(
        self,
        email: str,
        scope: Who,
        actor: str,
        *,
        role: str | None = None,
        scope_text: str | None = None,
        active: bool | None = None,
        display_name: str | None = None,
    ) -> UserInfo:
        """Change a user's role, scope, name or active flag (audited with old and new)."""
        email = normalise_email(email)
        with self.store._write() as conn:
            row = conn.execute(_columns().where(U.email == email).with_for_update()).first()
            if row is None:
                raise NotFound(f"There is no user {email}; add them first.")
            old = _user(row)
            new_role = role or old.role
            new_scope = check_role_scope(new_role, scope_text or old.scope)
            new_active = old.active if active is None else bool(active)
            new_name = old.display_name if display_name is None else (display_name.strip() or None)
            if (new_role, new_scope, new_active, new_name) == (old.role, old.scope, old.active, old.display_name):
                return old
            conn.execute(
                update(U)
                .where(U.email == email)
                .values(role=new_role, scope=new_scope, active=new_active, display_name=new_name, updated_at=utcnow())
            )
            action = "user_deactivated" if old.active and not new_active else "user_changed"
            self._audit(
                conn,
                actor,
                action,
                email,
                f"{old.role} {old.scope} {'active' if old.active else 'inactive'}",
                f"{new_role} {new_scope} {'active' if new_active else 'inactive'}",
            )
            return _user(conn.execute(_columns().where(U.email == email)).one())

    @guarded("manage_users")
    def import_csv(self, text: str, scope: Who, actor: str) -> ImportReport:
        """Add or update the users of a CSV (columns email, role, scope[, display_name, active]).
        Each bad row is reported with its row number and reason; the good rows are stored."""
        report = ImportReport()
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        missing = [c for c in ("email", "role") if c not in header]
        if missing:
            report.problems.append((1, f"the header lacks the column(s) {', '.join(missing)} "
                                       f"(expected {', '.join(CSV_COLUMNS)})"))
            return report
        reader.fieldnames = header
        seen: dict[str, int] = {}
        for number, raw in enumerate(reader, start=2):
            row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
            try:
                email = normalise_email(row.get("email", ""))
                if email in seen:
                    raise InvalidValue(f"{email} already appears on row {seen[email]}")
                seen[email] = number
                role = row.get("role", "")
                canonical = check_role_scope(role, row.get("scope") or "national")
                active = _flag(row.get("active", ""))
                self._import_row(email, role, canonical, row.get("display_name") or None, active, scope, actor,
                                 report)
            except (InvalidValue, NotFound) as error:
                report.problems.append((number, str(error)))
        return report

    def _import_row(
        self,
        email: str,
        role: str,
        scope_text: str,
        name: str | None,
        active: bool,
        scope: Who,
        actor: str,
        report: ImportReport,
    ) -> None:
        try:
            old = self.get_user(email, scope)
        except NotFound:
            self.add_user(email, role, scope_text, scope, actor, display_name=name)
            if not active:
                self.change_user(email, scope, actor, active=False)
            report.added.append(email)
            return
        new = self.change_user(email, scope, actor, role=role, scope_text=scope_text, active=active,
                               display_name=name if name is not None else old.display_name)
        (report.unchanged if new == old else report.updated).append(email)

    def _audit(self, conn: Any, actor: str, action: str, email: str, old: str | None, new: str | None) -> None:
        conn.execute(
            insert(AuditRow).values(
                at=utcnow(), actor=actor, action=action, agency_id=None, assessment_id=None, question_id=None,
                old_value=old, new_value=new, detail=f"user {email}",
            )
        )


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in ("", "1", "true", "yes", "y", "active", "có"):
        return True
    if value in ("0", "false", "no", "n", "inactive", "không"):
        return False
    raise InvalidValue(f"active must be yes or no, not {text!r}")
