"""Evidence documents attached to answers: upload, list, download, delete (audited), frozen after submit.

Where the bytes live, and why: IN THE DATABASE (table `evidence_documents`, one row per document
with its SHA-256), not in a file store beside it.
- One thing to back up and restore: a database dump holds the assessment and its evidence together,
  so they can never drift apart (no orphan files, no rows pointing at missing files).
- Transactions: "submitted, so frozen" is checked under the assessment's row lock in the same
  transaction that adds or deletes a document; a file store could not take part in it.
- Several app servers (replicas) on one PostgreSQL need no shared disk.
- Sizes are small and bounded: a scanned decision or plan is 0.1-5 MB; the limits below (10 MB per
  file, 100 MB per assessment by default) keep an assessment's evidence well within what SQLite and
  PostgreSQL (bytea, TOAST-compressed out of line) handle comfortably. Listing never reads the bytes.
The checksum is verified on every download and in the export bundle, so silent corruption is seen.

Every file is checked by content (`storage.file_types`), never trusted by its name.
Limits are configurable with environment variables (see `EvidenceLimits.from_env`).
"""

from __future__ import annotations

import builtins
import hashlib
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select

from storage.access import READ, guarded
from storage.errors import NotFound, StorageError
from storage.file_types import RefusedFile, check_file
from storage.schema import EvidenceDocumentRow, utcnow
from storage.scope import Scope
from storage.service import Store, _actor, _question_id

E = EvidenceDocumentRow
MB = 1024 * 1024


@dataclass(frozen=True)
class EvidenceLimits:
    max_file_bytes: int = 10 * MB
    max_files_per_answer: int = 5
    max_bytes_per_assessment: int = 100 * MB
    max_files_per_assessment: int = 300

    @classmethod
    def from_env(cls) -> EvidenceLimits:
        """DMM_EVIDENCE_MAX_FILE_MB, DMM_EVIDENCE_MAX_FILES_PER_ANSWER, DMM_EVIDENCE_MAX_ASSESSMENT_MB,
        DMM_EVIDENCE_MAX_FILES_PER_ASSESSMENT (unset: the defaults above)."""
        default = cls()

        def number(name: str, fallback: float) -> float:
            raw = os.environ.get(name, "").strip()
            try:
                return float(raw) if raw else fallback
            except ValueError:
                return fallback

        return cls(
            max_file_bytes=int(number("DMM_EVIDENCE_MAX_FILE_MB", default.max_file_bytes / MB) * MB),
            max_files_per_answer=int(number("DMM_EVIDENCE_MAX_FILES_PER_ANSWER", default.max_files_per_answer)),
            max_bytes_per_assessment=int(
                number("DMM_EVIDENCE_MAX_ASSESSMENT_MB", default.max_bytes_per_assessment / MB) * MB),
            max_files_per_assessment=int(
                number("DMM_EVIDENCE_MAX_FILES_PER_ASSESSMENT", default.max_files_per_assessment)),
        )


@dataclass(frozen=True)
class EvidenceDocument:
    id: int
    assessment_id: int
    question_id: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str


class DocumentRefused(StorageError):
    """A document that is not stored. `reason`: a RefusedFile reason (executable, unknown_type,
    name_mismatch, macros, damaged, zip_bomb, empty), `bad_name` (see `hostile_name`) or a limit
    (too_big, too_many_for_answer, too_many_for_assessment, assessment_full). `limit` is the limit that was hit."""

    def __init__(self, reason: str, file_name: str, limit: int | None = None) -> None:
        super().__init__(f"{file_name}: refused ({reason}{'' if limit is None else f', limit {limit}'})")
        self.reason = reason
        self.file_name = file_name
        self.limit = limit


class ChecksumMismatch(StorageError):
    pass


def clean_file_name(name: str) -> str:
    """The last path part, NFC, no control characters or separators, at most 255 characters (the
    extension kept)."""
    text = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = re.sub(r"[\x00-\x1f\x7f:*?\"<>|]", "_", text).strip(" .") or "document"
    if len(text) > 255:
        stem, dot, extension = text.rpartition(".")
        text = (stem[: 254 - len(extension)] + dot + extension) if dot and len(extension) < 16 else text[:255]
    return text


def hostile_name(name: str) -> bool:
    """A name no document has: control characters (NUL: "quyet_dinh.pdf\\x00.exe") or a ".." path part.
    A browser's full Windows path ("C:\\Users\\lan\\QĐ 12.pdf") is not hostile: `clean_file_name` keeps
    its last part."""
    parts = (name or "").replace("\\", "/").split("/")
    return ".." in parts or re.search(r"[\x00-\x1f\x7f]", name or "") is not None


def _document(row: Any) -> EvidenceDocument:
    return EvidenceDocument(
        id=row.id, assessment_id=row.assessment_id, question_id=row.question_id, file_name=row.file_name,
        media_type=row.media_type, size=row.size, sha256=row.sha256, uploaded_at=row.uploaded_at,
        uploaded_by=row.uploaded_by,
    )


_COLUMNS = (E.id, E.assessment_id, E.question_id, E.file_name, E.media_type, E.size, E.sha256, E.uploaded_at,
            E.uploaded_by)


class Evidence:
    """The evidence documents of assessments, through the same store, scopes and audit trail."""

    def __init__(self, store: Store, limits: EvidenceLimits | None = None) -> None:
        self.store = store
        self.limits = limits or EvidenceLimits.from_env()

    @guarded("save_answer")
    def add(self, assessment_id: int, question_id: str, file_name: str, content: bytes, scope: Scope,
            actor: str) -> EvidenceDocument:
        """Check the file by content and against the limits, then store it (audited). Raises
        DocumentRefused (nothing stored) or AssessmentLocked (submitted: evidence is frozen)."""
        name = clean_file_name(file_name)
        question_id = _question_id(question_id)
        actor = _actor(actor)
        if hostile_name(file_name):
            raise DocumentRefused("bad_name", name)
        if len(content) > self.limits.max_file_bytes:
            raise DocumentRefused("too_big", name, self.limits.max_file_bytes)
        try:
            kind = check_file(name, content)
        except RefusedFile as exc:
            raise DocumentRefused(exc.reason, name) from None
        digest = hashlib.sha256(content).hexdigest()
        with self.store._write() as conn:
            head = self.store._writable(conn, assessment_id, scope)
            per_answer = conn.execute(select(func.count()).where(
                E.assessment_id == assessment_id, E.question_id == question_id)).scalar_one()
            if per_answer >= self.limits.max_files_per_answer:
                raise DocumentRefused("too_many_for_answer", name, self.limits.max_files_per_answer)
            count, total = conn.execute(select(func.count(), func.coalesce(func.sum(E.size), 0)).where(
                E.assessment_id == assessment_id)).one()
            if count >= self.limits.max_files_per_assessment:
                raise DocumentRefused("too_many_for_assessment", name, self.limits.max_files_per_assessment)
            if int(total) + len(content) > self.limits.max_bytes_per_assessment:
                raise DocumentRefused("assessment_full", name, self.limits.max_bytes_per_assessment)
            now = utcnow()
            new_id = conn.execute(insert(E).values(
                assessment_id=assessment_id, question_id=question_id, file_name=name, media_type=kind.media_type,
                size=len(content), sha256=digest, content=content, uploaded_at=now, uploaded_by=actor,
            ).returning(E.id)).scalar_one()
            self.store._audit(conn, actor, "evidence_add", head.agency_id, assessment_id, question_id,
                              new_value=name, detail=f"sha256={digest} size={len(content)} type={kind.media_type}")
        return EvidenceDocument(new_id, assessment_id, question_id, name, kind.media_type, len(content), digest, now,
                                actor)

    @guarded(READ)
    def list(self, assessment_id: int, scope: Scope, question_id: str | None = None) -> list[EvidenceDocument]:
        """The documents of an assessment (or one answer), oldest first; the bytes are not read."""
        with self.store._read() as conn:
            self.store._assessment_in_scope(conn, assessment_id, scope)
            stmt = select(*_COLUMNS).where(E.assessment_id == assessment_id)
            if question_id is not None:
                stmt = stmt.where(E.question_id == question_id)
            return [_document(r) for r in conn.execute(stmt.order_by(E.question_id, E.id))]

    @guarded(READ)
    def by_question(self, assessment_id: int, scope: Scope) -> dict[str, builtins.list[EvidenceDocument]]:
        grouped: dict[str, list[EvidenceDocument]] = {}
        for document in self.list(assessment_id, scope):
            grouped.setdefault(document.question_id, []).append(document)
        return grouped

    @guarded(READ)
    def content(self, document_id: int, scope: Scope) -> tuple[EvidenceDocument, bytes]:
        """The document and its bytes, checked against the stored SHA-256."""
        with self.store._read() as conn:
            row = conn.execute(select(*_COLUMNS, E.content).where(E.id == document_id)).first()
            if row is None:
                raise NotFound(f"Evidence document {document_id} does not exist (it may have been deleted).")
            self.store._assessment_in_scope(conn, row.assessment_id, scope)
        data = bytes(row.content)
        if hashlib.sha256(data).hexdigest() != row.sha256:
            raise ChecksumMismatch(f"Evidence document {document_id} ({row.file_name}) is damaged: its checksum "
                                   "does not match; restore it from a backup.")
        return _document(row), data

    @guarded("delete_evidence")
    def delete(self, document_id: int, scope: Scope, actor: str) -> EvidenceDocument:
        """Delete a draft's document; the audit trail keeps who deleted which file (name, checksum)."""
        actor = _actor(actor)
        with self.store._write() as conn:
            row = conn.execute(select(*_COLUMNS).where(E.id == document_id)).first()
            if row is None:
                raise NotFound(f"Evidence document {document_id} does not exist (it may have been deleted).")
            head = self.store._writable(conn, row.assessment_id, scope)
            conn.execute(delete(E).where(E.id == document_id))
            self.store._audit(conn, actor, "evidence_delete", head.agency_id, row.assessment_id, row.question_id,
                              old_value=row.file_name, detail=f"sha256={row.sha256} size={row.size}")
        return _document(row)

    def add_many(self, assessment_id: int, files: Sequence[tuple[str, str, bytes]], scope: Scope,
                 actor: str) -> builtins.list[EvidenceDocument]:
        """(question_id, file name, bytes) each; stops at the first refusal (see `add`)."""
        return [self.add(assessment_id, qid, name, data, scope, actor) for qid, name, data in files]
