"""Who is calling: a signed-in `Principal` (role + scope + e-mail), and the role rules of the service.

Every `Store` (and `Review`) method takes a `Scope` argument. Trusted code (tests, command line,
the single-user local mode) passes a `Scope` and an actor as before. The multi-user app passes the
signed-in `Principal` instead: the method then derives the scope and the actor from it, checks that
the role may do the action at all, that the person's account is still what it was at sign-in
(a stale session of a deactivated or re-scoped user is refused), and writes every refusal to the
audit trail. A refusal raises `AccessDenied` before anything is written, so no stored row changes.

| role        | may                                                                                   |
|-------------|---------------------------------------------------------------------------------------|
| respondent  | read their agency; answer the dimensions assigned to them in its draft; never submit   |
| it_lead     | everything on their agency: add it, start rounds, assign, answer, submit, reply        |
| reviewer    | read their province (its own assessment and its communes) or ministry; comment, return, accept |
| coordinator | read everything in their scope                                                        |
| trainer     | nothing from the database (trainer mode works on the shipped sample agencies)         |
| admin       | users, roles, scopes, rounds; read everything; import files (audited)                  |

Stored scores (`storage.results`, `storage.stamps`) follow the same rules (`read_results`: not a
respondent, who sees only their dimensions, nor a trainer). Rounds (`storage.rounds`) are managed by an
administrator or a national coordinator.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import insert, select

from storage.errors import AccessDenied, InvalidValue, StorageError
from storage.schema import ROLES, AssessmentRow, AssignmentRow, AuditRow, UserRow, utcnow
from storage.scope import Scope

if TYPE_CHECKING:
    from storage.service import Store

READ = "read"
READERS = frozenset({"respondent", "it_lead", "reviewer", "coordinator", "admin"})

# Which roles may call which action at all; the scope then limits WHICH agencies.
PERMISSIONS: dict[str, frozenset[str]] = {
    READ: READERS,
    "upsert_agency": frozenset({"it_lead"}),
    "create_assessment": frozenset({"it_lead"}),
    "save_answer": frozenset({"it_lead", "respondent"}),
    "delete_evidence": frozenset({"it_lead"}),
    "submit": frozenset({"it_lead"}),
    "import": frozenset({"it_lead", "admin"}),
    "assign": frozenset({"it_lead"}),
    "comment": frozenset({"reviewer", "it_lead"}),
    "return": frozenset({"reviewer"}),
    "accept": frozenset({"reviewer"}),
    "history": frozenset({"it_lead", "reviewer", "coordinator", "admin"}),
    # Stored scores cover every dimension of an agency: not for a respondent, who sees only theirs.
    "read_results": frozenset({"it_lead", "reviewer", "coordinator", "admin"}),
    "manage_users": frozenset({"admin"}),
    # Rounds are national (one deadline for everybody): an administrator or a national coordinator.
    "manage_rounds": frozenset({"admin", "coordinator"}),
    # The commune register (who is expected to answer) is national too.
    "manage_register": frozenset({"admin", "coordinator"}),
}

ROLE_SCOPES: dict[str, tuple[str, ...]] = {
    "respondent": ("agency",),
    "it_lead": ("agency",),
    "reviewer": ("province", "ministry"),
    "coordinator": ("national", "province", "ministry"),
    "trainer": ("national",),
    "admin": ("national",),
}

ROLE_WORDS = {
    "respondent": "a respondent",
    "it_lead": "an IT lead",
    "reviewer": "a reviewer",
    "coordinator": "a coordinator",
    "trainer": "a trainer",
    "admin": "an administrator",
}

ACTION_WORDS = {
    READ: "read agency data",
    "upsert_agency": "add or change an agency",
    "create_assessment": "start an assessment",
    "save_answer": "change answers",
    "delete_evidence": "delete evidence documents",
    "submit": "submit an assessment",
    "import": "import responses",
    "assign": "assign dimensions to respondents",
    "comment": "comment on an assessment",
    "return": "return an assessment for changes",
    "accept": "accept an assessment",
    "history": "see who answered what",
    "read_results": "read stored scores",
    "manage_users": "manage users",
    "manage_rounds": "open, change or close assessment rounds",
    "manage_register": "replace the commune register",
}


class RoleRefused(AccessDenied):
    """The signed-in person's role does not allow the action (or their session is stale)."""


def parse_scope(text: str) -> Scope:
    """`national`, `province:<id>`, `ministry:<id>` or `agency:<id>` as a `Scope`."""
    raw = (text or "").strip()
    if raw == "national":
        return Scope.national()
    level, _, ident = raw.partition(":")
    ident = ident.strip()
    if level not in ("province", "ministry", "agency") or not ident:
        raise InvalidValue(
            f"scope {raw!r} is not one of national, province:<id>, ministry:<id>, agency:<id>"
        )
    if len(ident) > 64 or any(c.isspace() for c in ident):
        raise InvalidValue(f"scope {raw!r}: the id must be at most 64 characters with no spaces")
    return Scope(level, frozenset({ident}))  # type: ignore[arg-type]


def scope_text(scope: Scope) -> str:
    if scope.level == "national":
        return "national"
    return f"{scope.level}:{','.join(sorted(scope.ids))}"


def check_role_scope(role: str, scope: str) -> str:
    """The canonical scope text for `role`, or `InvalidValue` saying what fits."""
    if role not in ROLES:
        raise InvalidValue(f"role {role!r} is not one of {', '.join(ROLES)}")
    parsed = parse_scope(scope)
    if parsed.level not in ROLE_SCOPES[role]:
        allowed = " or ".join(f"{lvl}:<id>" if lvl != "national" else "national" for lvl in ROLE_SCOPES[role])
        raise InvalidValue(f"{ROLE_WORDS[role]} needs a scope of {allowed}, not {scope!r}")
    return scope_text(parsed)


@dataclass(frozen=True)
class Principal:
    """The signed-in person, as the users table knew them at sign-in."""

    email: str
    role: str
    scope_text: str
    display_name: str | None = None

    @property
    def scope(self) -> Scope:
        return parse_scope(self.scope_text)

    @property
    def actor(self) -> str:
        return self.email

    # A principal stands wherever a Scope is read (the UI passes it to every storage call).
    @property
    def level(self) -> str:
        return self.scope.level

    @property
    def ids(self) -> frozenset[str]:
        return self.scope.ids

    def allows(self, agency: Any) -> bool:
        return self.role in READERS and self.scope.allows(agency)

    @property
    def agency_id(self) -> str | None:
        scope = self.scope
        return next(iter(scope.ids)) if scope.level == "agency" else None

    def may(self, action: str) -> bool:
        return self.role in PERMISSIONS[action]

    def describe(self) -> str:
        return f"{self.email} ({ROLE_WORDS.get(self.role, self.role)}, {self.scope.describe()})"


Who = Scope | Principal

F = TypeVar("F", bound=Callable[..., Any])


def guarded(action: str) -> Callable[[F], F]:
    """Decorate a service method whose arguments include `scope` (and maybe `actor`).

    With a `Scope`, the call runs as written (trusted callers). With a `Principal`, the role and the
    account are checked first, `scope`/`actor` are replaced by the principal's, and any
    `AccessDenied` (role, scope, crafted id) is written to the audit trail before it propagates.
    """

    def decorate(method: F) -> F:
        signature = inspect.signature(method)

        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(self, *args, **kwargs)
            who = bound.arguments.get("scope")
            if not isinstance(who, Principal):
                return method(*bound.args, **bound.kwargs)
            store: Store = getattr(self, "store", self)
            target = _target(bound.arguments)
            try:
                confirm_current(store, who)
                if not who.may(action):
                    raise RoleRefused(
                        f"You are signed in as {ROLE_WORDS.get(who.role, who.role)}, who may not "
                        f"{ACTION_WORDS[action]}."
                    )
                if who.role == "respondent" and action == "save_answer":
                    where = bound.arguments.get("question_id") or bound.arguments.get("dimension_id") or ""
                    _check_assigned(store, who, bound.arguments["assessment_id"], where)
                bound.arguments["scope"] = who.scope
                if "who" in signature.parameters:
                    bound.arguments["who"] = who
                if "actor" in bound.arguments:
                    bound.arguments["actor"] = who.email
                result = method(*bound.args, **bound.kwargs)
            except AccessDenied as refused:
                audit_refusal(store, who, action, refused, *target)
                raise
            if who.role == "respondent" and method.__name__ == "load_answers":
                dims = assigned_dimensions(store, who.email, bound.arguments["assessment_id"])
                return {q: a for q, a in result.items() if q.split(".", 1)[0] in dims}
            return result

        return wrapper  # type: ignore[return-value]

    return decorate


def _target(arguments: dict[str, Any]) -> tuple[str | None, int | None, str | None]:
    """(agency id, assessment id, question id) named by the call, for the audit row of a refusal."""
    agency = arguments.get("agency_id")
    if agency is None and "agency" in arguments:
        agency = getattr(arguments["agency"], "id", None)
    assessment = arguments.get("assessment_id")
    question = arguments.get("question_id")
    return (
        agency if isinstance(agency, str) else None,
        assessment if isinstance(assessment, int) and not isinstance(assessment, bool) else None,
        question if isinstance(question, str) else None,
    )


def confirm_current(store: Store, who: Principal) -> None:
    """Refuse a principal whose account was deactivated or changed since sign-in."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(UserRow.role, UserRow.scope, UserRow.active).where(UserRow.email == who.email.lower())
        ).first()
    if row is None or not row.active:
        raise RoleRefused(f"The account {who.email} is not active any more; ask your administrator.")
    if (row.role, row.scope) != (who.role, who.scope_text):
        raise RoleRefused(
            f"Your access changed since you signed in (now {ROLE_WORDS.get(row.role, row.role)}, {row.scope}); "
            "sign out and sign in again."
        )


def assigned_dimensions(store: Store, email: str, assessment_id: int) -> set[str]:
    with store.engine.connect() as conn:
        return set(
            conn.execute(
                select(AssignmentRow.dimension_id)
                .join(UserRow, UserRow.id == AssignmentRow.user_id)
                .where(AssignmentRow.assessment_id == assessment_id, UserRow.email == email.lower())
            ).scalars()
        )


def _check_assigned(store: Store, who: Principal, assessment_id: int, question_id: str) -> None:
    dimension = str(question_id).split(".", 1)[0]
    if dimension not in assigned_dimensions(store, who.email, int(assessment_id)):
        raise RoleRefused(
            f"Dimension {dimension!r} of assessment {assessment_id} is not assigned to you; "
            "ask your agency's IT lead to assign it."
        )


def audit_refusal(
    store: Store,
    who: Principal,
    action: str,
    error: StorageError,
    agency_id: str | None = None,
    assessment_id: int | None = None,
    question_id: str | None = None,
) -> None:
    """One audit row per refusal, in its own transaction (the refused one wrote nothing)."""
    with store.engine.connect() as conn, conn.begin():
        if agency_id is None and assessment_id is not None:
            agency_id = conn.execute(
                select(AssessmentRow.agency_id).where(AssessmentRow.id == assessment_id)
            ).scalar_one_or_none()
        conn.execute(
            insert(AuditRow).values(
                at=utcnow(),
                actor=who.email[:200],
                action="refused",
                agency_id=agency_id[:64] if agency_id else None,
                assessment_id=assessment_id,
                question_id=(question_id or None) and question_id[:128],
                old_value=None,
                new_value=action,
                detail=f"{who.describe()}: {error}"[:2000],
            )
        )
