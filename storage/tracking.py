"""Response tracking reads and round deadlines: who has an assessment in a round and in which
status, who to contact, and the date by which a round is due (shown to everyone; set with
`storage.rounds`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import inspect, select

from storage.schema import AgencyRow, AssessmentRow, RoundDeadlineRow, UserRow
from storage.scope import Scope
from storage.service import Store, _scope_clause

A, S, D, U = AgencyRow, AssessmentRow, RoundDeadlineRow, UserRow
CONTACT_ROLES: tuple[str, ...] = ("it_lead", "respondent")


def round_statuses(store: Store, scope: Scope, questionnaire_id: str, round: str) -> pd.DataFrame:
    """Each agency in scope with an assessment of the round: columns agency_id, status (one query)."""
    stmt = (select(S.agency_id, S.status).join(A, A.id == S.agency_id)
            .where(_scope_clause(scope), S.questionnaire_id == questionnaire_id, S.round == str(round)))
    with store._read() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["agency_id", "status"], dtype=object)


def contacts(store: Store) -> pd.DataFrame:
    """Active accounts that answer for an agency, province or ministry: columns scope, email, name.
    Empty while the accounts table does not exist (an older database) or holds nobody."""
    columns = ["scope", "email", "name"]
    with store._read() as conn:
        if not inspect(conn).has_table(U.__tablename__):
            return pd.DataFrame(columns=columns, dtype=object)
        rows = conn.execute(select(U.scope, U.email, U.display_name).where(U.active.is_(True),
                                                                           U.role.in_(CONTACT_ROLES))
                            .order_by(U.scope, U.role, U.email)).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=columns, dtype=object)


@dataclass(frozen=True)
class Deadline:
    round: str
    deadline: date
    note: str | None


def deadlines(store: Store) -> dict[str, Deadline]:
    """Every open round's deadline, by round (a closed round has none left to meet). Deadlines are set
    with `storage.rounds.Rounds` (administrators and national coordinators, audited)."""
    with store._read() as conn:
        rows = conn.execute(select(D.round, D.deadline, D.note).where(D.closed_at.is_(None))).all()
    return {r.round: Deadline(round=r.round, deadline=r.deadline, note=r.note) for r in rows}
