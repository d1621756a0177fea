"""Storage of agencies, assessments, answers and the audit trail (SQLite or PostgreSQL).

The UI goes through `Store` only; every method takes a `Scope`. Nothing here imports streamlit.

    from storage import Store, Scope
    store = Store()                       # DATABASE_URL, .streamlit/secrets.toml, or data/dmm.sqlite3
    info = store.create_assessment("hn", "2026", "dmm", "1.0.0", Scope.for_province("hn"), "lan@hn")
    store.save_answer(info.id, "governance.policy", 3, Scope.for_province("hn"), "lan@hn")
"""

from storage.access import Principal, RoleRefused, parse_scope
from storage.accounts import Accounts, UserInfo
from storage.checks import MAX_ROW_ID
from storage.config import normalise_url, resolve_database_url, sqlite_url
from storage.engine import dispose_all_engines, dispose_engine
from storage.errors import (
    AccessDenied,
    AssessmentLocked,
    DatabaseBusy,
    DuplicateAssessment,
    InvalidValue,
    NotFound,
    SchemaTooNew,
    StaleAnswer,
    StorageError,
)
from storage.migrations import LATEST_VERSION, MIGRATIONS, Migration, current_version, migrate
from storage.review import Review, WorkflowSummary
from storage.scope import Scope
from storage.service import (
    FRAME_COLUMNS,
    KEEP,
    AssessmentInfo,
    AuditEntry,
    Store,
    StoredAnswer,
    round_sort_key,
)
from storage.values import canonical_value, parse_value

__all__ = [
    "FRAME_COLUMNS",
    "KEEP",
    "LATEST_VERSION",
    "MAX_ROW_ID",
    "MIGRATIONS",
    "AccessDenied",
    "Accounts",
    "AssessmentInfo",
    "AssessmentLocked",
    "AuditEntry",
    "DatabaseBusy",
    "DuplicateAssessment",
    "InvalidValue",
    "Migration",
    "NotFound",
    "Principal",
    "Review",
    "RoleRefused",
    "SchemaTooNew",
    "Scope",
    "StaleAnswer",
    "StorageError",
    "Store",
    "StoredAnswer",
    "UserInfo",
    "WorkflowSummary",
    "canonical_value",
    "current_version",
    "dispose_all_engines",
    "dispose_engine",
    "migrate",
    "normalise_url",
    "parse_scope",
    "parse_value",
    "resolve_database_url",
    "round_sort_key",
    "sqlite_url",
]
