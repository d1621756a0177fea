"""The only door into storage: `Store`, and the value types its methods return.

Every method takes a `Scope` and stays inside it. Each write is one transaction that also writes
its audit row, so an answer is on disk (and audited) when `save_answer` returns.
"""

from __future__ import annotations

from storage.agencies import AgenciesMixin
from storage.answers import AnswersMixin
from storage.assessments import AssessmentsMixin
from storage.audit import AuditTrailMixin
from storage.frames import CoordinatorFramesMixin, _answers_frame
from storage.imports import ImportsMixin
from storage.inputs import KEEP, Note, _actor, _note, _question_id, _round, _text, _version, round_sort_key
from storage.records import FRAME_COLUMNS, LOCKED_STATUSES, AssessmentInfo, AuditEntry, Status, StoredAnswer
from storage.store_base import _scope_clause

# Other modules import these from here; they live in the use-case modules named above.
__all__ = [
    "FRAME_COLUMNS",
    "KEEP",
    "LOCKED_STATUSES",
    "AssessmentInfo",
    "AuditEntry",
    "Note",
    "Status",
    "Store",
    "StoredAnswer",
    "_actor",
    "_answers_frame",
    "_note",
    "_question_id",
    "_round",
    "_scope_clause",
    "_text",
    "_version",
    "round_sort_key",
]


class Store(ImportsMixin, AgenciesMixin, AssessmentsMixin, AnswersMixin, CoordinatorFramesMixin, AuditTrailMixin):
    """Storage for agencies, assessments, answers and the audit trail.

    `Store(url)` is cheap: engines are shared per URL and the schema is migrated once per process.
    `url=None` uses `resolve_database_url()` (env DATABASE_URL, .streamlit/secrets.toml, SQLite).

    The methods live in one module per use case: storage.agencies, storage.assessments,
    storage.answers, storage.imports, storage.frames (coordinators' reads), storage.audit; the shared
    internals (transactions, scope checks, audit rows) in storage.store_base.
    """
