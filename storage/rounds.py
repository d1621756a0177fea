"""Assessment rounds: open one (its questionnaire version from the content registry and its deadline),
change its deadline, close and reopen it; and the rule the assessments obey (a closed round takes no new
draft and no submission; a round opened on a version is answered on that version).

A round is one row of `round_deadlines` (the deadline table the coordinators' banner already read). A
row written before rounds were opened here (a deadline only) keeps no version and never closes unless
closed here. Rounds are national: only an administrator or a national coordinator changes them
(`manage_rounds` in `storage.access`), and every change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, func, insert, select, update

from storage.access import RoleRefused, guarded
from storage.errors import InvalidValue, NotFound, WorkflowError
from storage.inputs import _actor, _round, _text, _version, round_sort_key
from storage.schema import AssessmentRow, RoundDeadlineRow, utcnow
from storage.scope import Scope

if TYPE_CHECKING:
    from storage.service import Store

D, S = RoundDeadlineRow, AssessmentRow
MANAGE = "manage_rounds"


class RoundClosed(WorkflowError):
    """The round was closed: no new draft, no submission, no import until it is reopened. `round` is the
    (first) closed round the call met and `closed_at` when it was closed, for a page to word it."""

    def __init__(self, message: str, round_: str, closed_at: datetime) -> None:
        super().__init__(message)
        self.round = round_
        self.closed_at = closed_at


@dataclass(frozen=True)
class RoundRecord:
    """One round as the administrator's page lists it. `deadline` is None for a round that agencies
    started without a record; `counts` holds its assessments per status."""

    round: str
    deadline: date | None
    note: str | None
    questionnaire_id: str | None
    questionnaire_version: str | None
    closed_at: datetime | None
    closed_by: str | None
    counts: dict[str, int]

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def assessments(self) -> int:
        return sum(self.counts.values())


def may_manage_rounds(who: Scope) -> bool:
    """Whether a page should offer round changes to `who` (the service checks again)."""
    role = getattr(who, "role", None)
    return who.level == "national" and (role is None or role in ("admin", "coordinator"))


def _national(scope: Scope) -> None:
    if scope.level != "national":
        raise RoleRefused(
            "Rounds and their deadlines are the same for the whole country: only an administrator or a national "
            f"coordinator may change them (your access: {scope.describe()})."
        )


def _deadline(value: object, *, future: bool) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidValue(f"a round's deadline must be a date, got {value!r}")
    if future and value < date.today():
        raise InvalidValue(f"the deadline {value.isoformat()} is in the past; choose today or a later date")
    return value


def _note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    if len(note.strip()) > 500:
        raise InvalidValue("the deadline note is longer than 500 characters")
    return note.strip()


def check_round_accepts(conn: Connection, round_: str, doing: str, questionnaire_id: str | None = None,
                        questionnaire_version: str | None = None) -> None:
    """Refuse `doing` in a closed round, and a draft on another questionnaire version than the round's
    (called inside the assessment's own transaction)."""
    row = conn.execute(select(D.closed_at, D.questionnaire_id, D.questionnaire_version).where(D.round == round_)
                       ).first()
    if row is None:
        return
    if row.closed_at is not None:
        raise RoundClosed(f"Round {round_} was closed on {row.closed_at:%Y-%m-%d}: you cannot {doing}. "
                          "Ask your coordinator to reopen the round.", round_, row.closed_at)
    if questionnaire_version is not None and row.questionnaire_version is not None and (
            (questionnaire_id, questionnaire_version) != (row.questionnaire_id, row.questionnaire_version)):
        raise InvalidValue(f"Round {round_} is answered on questionnaire {row.questionnaire_id} "
                           f"{row.questionnaire_version}, not {questionnaire_id} {questionnaire_version}.")


def refuse_closed_rounds(conn: Connection, rounds: Iterable[str], doing: str) -> None:
    """Refuse `doing` when any of `rounds` is closed, naming every closed one (called inside the import's
    own transaction; the round rows are locked so that a round closed meanwhile is seen closed)."""
    wanted = sorted(set(rounds), key=round_sort_key)
    if not wanted:
        return
    # Every wanted row locked (not only the closed ones), so that a close in progress is waited for.
    rows = conn.execute(select(D.round, D.closed_at).where(D.round.in_(wanted)).with_for_update()).all()
    closed = sorted((row for row in rows if row.closed_at is not None), key=lambda row: round_sort_key(row.round))
    if not closed:
        return
    which = "; ".join(f"round {row.round} was closed on {row.closed_at:%Y-%m-%d}" for row in closed)
    raise RoundClosed(f"{which[0].upper()}{which[1:]}: you cannot {doing}; nothing was stored. An administrator or a "
                      f"national coordinator can reopen {'it' if len(closed) == 1 else 'them'} on the Rounds page.",
                      closed[0].round, closed[0].closed_at)


def round_version(store: Store, round_: str) -> tuple[str, str] | None:
    """(questionnaire id, version) a round was opened on, or None (no record, or a deadline only)."""
    with store._read() as conn:
        row = conn.execute(select(D.questionnaire_id, D.questionnaire_version).where(D.round == round_)).first()
    if row is None or row.questionnaire_version is None:
        return None
    return str(row.questionnaire_id), str(row.questionnaire_version)


def closed_on(store: Store, round_: str) -> datetime | None:
    """When the round was closed, or None (open, or no record)."""
    with store._read() as conn:
        return conn.execute(select(D.closed_at).where(D.round == round_)).scalar_one_or_none()


def closed_rounds(store: Store) -> set[str]:
    """The rounds closed now."""
    with store._read() as conn:
        return set(conn.execute(select(D.round).where(D.closed_at.is_not(None))).scalars())


def open_rounds(store: Store) -> list[str]:
    """Rounds opened with a version and not closed, oldest first (what an IT lead is offered)."""
    with store._read() as conn:
        rounds = conn.execute(select(D.round).where(D.questionnaire_version.is_not(None), D.closed_at.is_(None))
                              ).scalars().all()
    return sorted(rounds, key=round_sort_key)


class Rounds:
    """The administrator's (and national coordinator's) round management."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @guarded(MANAGE)
    def list_rounds(self, scope: Scope) -> list[RoundRecord]:
        """Every round with a record or with assessments, oldest first (two queries)."""
        _national(scope)
        with self.store._read() as conn:
            rows = {r.round: r for r in conn.execute(select(D))}
            counts: dict[str, dict[str, int]] = {}
            for round_, status, n in conn.execute(select(S.round, S.status, func.count()).group_by(S.round, S.status)):
                counts.setdefault(round_, {})[status] = int(n)
        records = []
        for round_ in sorted(set(rows) | set(counts), key=round_sort_key):
            row = rows.get(round_)
            records.append(RoundRecord(
                round=round_, deadline=row.deadline if row else None, note=row.note if row else None,
                questionnaire_id=row.questionnaire_id if row else None,
                questionnaire_version=row.questionnaire_version if row else None,
                closed_at=row.closed_at if row else None, closed_by=row.closed_by if row else None,
                counts=counts.get(round_, {})))
        return records

    @guarded(MANAGE)
    def open_round(self, round: str, questionnaire_id: str, questionnaire_version: str, deadline: date, scope: Scope,
             actor: str, note: str | None = None) -> None:
        """Open a new round on a shipped questionnaire version with its deadline (today or later)."""
        from scoring.registry import versions

        _national(scope)
        round_, actor = _round(round), _actor(actor)
        qid = _text("questionnaire id", questionnaire_id, 64)
        version = _version(questionnaire_version)
        due, note = _deadline(deadline, future=True), _note(note)
        shipped = versions(qid)
        if version not in shipped:
            raise InvalidValue(f"questionnaire {qid} {version} is not in the content registry "
                               f"(shipped: {', '.join(shipped) or 'none'})")
        with self.store._write() as conn:
            old = conn.execute(select(D).where(D.round == round_)).first()
            if old is not None and old.questionnaire_version is not None:
                raise InvalidValue(f"round {round_} is already open (questionnaire {old.questionnaire_version}); "
                                   "change its deadline instead")
            other = conn.execute(select(S.questionnaire_id, S.questionnaire_version, func.count())
                                 .where(S.round == round_).group_by(S.questionnaire_id, S.questionnaire_version)
                                 ).all()
            clash = [f"{n} on {q} {v}" for q, v, n in other if (q, v) != (qid, version)]
            if clash:
                raise InvalidValue(f"round {round_} already has assessments on another questionnaire version "
                                   f"({', '.join(clash)}); open it on that version or choose another round id")
            values = {"deadline": due, "note": note, "questionnaire_id": qid, "questionnaire_version": version,
                      "closed_at": None, "closed_by": None, "updated_at": utcnow(), "updated_by": actor}
            if old is None:
                conn.execute(insert(D).values(round=round_, **values))
            else:  # a deadline set before the round was opened here
                conn.execute(update(D).where(D.round == round_).values(**values))
            self.store._audit(conn, actor, "round_opened", None, new_value=due.isoformat(),
                              detail=f"round {round_} on {qid} {version}")

    @guarded(MANAGE)
    def set_deadline(self, round: str, deadline: date | None, scope: Scope, actor: str, note: str | None = None
                     ) -> None:
        """Set a round's deadline (a round agencies started without a record gets one); `None` clears a
        deadline-only record, never an opened round's."""
        _national(scope)
        round_, actor, note = _round(round), _actor(actor), _note(note)
        due = None if deadline is None else _deadline(deadline, future=False)
        with self.store._write() as conn:
            old = conn.execute(select(D.deadline, D.questionnaire_version).where(D.round == round_)).first()
            if due is None:
                if old is not None and old.questionnaire_version is not None:
                    raise InvalidValue(f"round {round_} was opened with a deadline: choose another date or close "
                                       "the round")
                conn.execute(delete(D).where(D.round == round_))
            elif old is None:
                conn.execute(insert(D).values(round=round_, deadline=due, note=note, updated_at=utcnow(),
                                              updated_by=actor))
            else:
                conn.execute(update(D).where(D.round == round_).values(deadline=due, note=note, updated_at=utcnow(),
                                                                       updated_by=actor))
            self.store._audit(conn, actor, "deadline", None,
                              old_value=None if old is None else old.deadline.isoformat(),
                              new_value=None if due is None else due.isoformat(), detail=f"round {round_}")

    @guarded(MANAGE)
    def close(self, round: str, scope: Scope, actor: str) -> None:
        """Close a round: its drafts can no longer be started or submitted (reviews go on)."""
        self._set_closed(round, scope, actor, closed=True)

    @guarded(MANAGE)
    def reopen(self, round: str, scope: Scope, actor: str) -> None:
        self._set_closed(round, scope, actor, closed=False)

    def _set_closed(self, round: str, scope: Scope, actor: str, *, closed: bool) -> None:
        _national(scope)
        round_, actor = _round(round), _actor(actor)
        with self.store._write() as conn:
            old = conn.execute(select(D.closed_at).where(D.round == round_)).first()
            if old is None:
                raise NotFound(f"round {round_} has no record: set its deadline (or open it) first")
            if (old.closed_at is not None) == closed:
                raise InvalidValue(f"round {round_} is already {'closed' if closed else 'open'}")
            now = utcnow()
            conn.execute(update(D).where(D.round == round_).values(
                closed_at=now if closed else None, closed_by=actor if closed else None, updated_at=now,
                updated_by=actor))
            self.store._audit(conn, actor, "round_closed" if closed else "round_reopened", None,
                              detail=f"round {round_}")
