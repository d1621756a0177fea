"""An assessment with its evidence documents as one zip file, and back (plain functions, no Streamlit).

    response.yaml              the response (answers, N/A reasons, evidence notes) as `scoring` writes it
    evidence/manifest.yaml     one entry per document: question, file name, path, size, type, SHA-256,
                               who uploaded it and when
    evidence/<n>/<file name>   the documents, byte for byte
    comments.yaml              the agency's comment per dimension (`dimension_comments: {dimension: text}`)

Importing checks everything first (the response like any response file; every document's checksum,
content type and the limits; the comments' dimensions and length) and stores nothing if anything is
wrong. A comment in the file replaces that dimension's comment (others keep theirs). Documents already
attached to the same answer with the same checksum are not added twice, so exporting and importing
again is a no-op and moving an assessment to another server loses nothing.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field

import yaml

from reports.record import RecordFacts
from scoring.content import Bundle
from scoring.response_frame import response_to_yaml
from storage import AssessmentInfo, Scope, StorageError, Store
from storage.assessment_notes import MAX_COMMENT, dimension_comments, save_dimension_comment
from storage.evidence import DocumentRefused, Evidence, clean_file_name
from storage.file_types import RefusedFile, check_file
from ui import journey

RESPONSE_NAME = "response.yaml"
MANIFEST_NAME = "evidence/manifest.yaml"
COMMENTS_NAME = "comments.yaml"
MAX_ENTRIES = 2000


def record_facts(store: Store, evidence: Evidence, info: AssessmentInfo, scope: Scope,
                 dimension_comments: dict[str, str] | None = None) -> RecordFacts:
    """Status, submitter, dates and document names of a stored assessment, for its PDF and workbook."""
    from storage.review import Review

    try:
        summary = Review(store).summary(info.id, scope)
        submitted_by, reviewed_by, accepted_at = summary.submitted_by, summary.reviewed_by, summary.accepted_at
    except StorageError:  # no review history yet: the record still has the assessment's own dates
        submitted_by = reviewed_by = accepted_at = None
    documents: dict[str, list[str]] = {}
    for document in evidence.list(info.id, scope):
        documents.setdefault(document.question_id, []).append(document.file_name)
    return RecordFacts(status=info.status, created_at=info.created_at, updated_at=info.updated_at,
                       submitted_at=info.submitted_at, submitted_by=submitted_by, reviewed_by=reviewed_by,
                       accepted_at=accepted_at, documents=documents, dimension_comments=dimension_comments or {})


def is_bundle(raw: bytes) -> bool:
    return raw[:4] == b"PK\x03\x04"


def response_bytes(raw: bytes) -> bytes:
    """The bundle's response.yaml (empty when it is missing or the zip is broken: the import says why)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return archive.read(RESPONSE_NAME) if RESPONSE_NAME in archive.namelist() else b""
    except (zipfile.BadZipFile, OSError):
        return b""


def export_bundle(store: Store, evidence: Evidence, assessment_id: int, scope: Scope) -> bytes:
    response = store.to_response(assessment_id, scope)
    manifest = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(RESPONSE_NAME, response_to_yaml(response))
        for number, document in enumerate(evidence.list(assessment_id, scope), start=1):
            _, data = evidence.content(document.id, scope)
            path = f"evidence/{number}/{document.file_name}"
            archive.writestr(path, data)
            manifest.append({
                "question_id": document.question_id, "file_name": document.file_name, "path": path,
                "size": document.size, "media_type": document.media_type, "sha256": document.sha256,
                "uploaded_by": document.uploaded_by, "uploaded_at": document.uploaded_at.isoformat(),
            })
        archive.writestr(MANIFEST_NAME, yaml.safe_dump({"documents": manifest}, allow_unicode=True, sort_keys=False))
        comments = dimension_comments(store, assessment_id, scope)
        archive.writestr(COMMENTS_NAME, yaml.safe_dump({"dimension_comments": dict(sorted(comments.items()))},
                                                       allow_unicode=True, sort_keys=False))
    return buffer.getvalue()


@dataclass(frozen=True)
class BundleImport:
    outcome: journey.ImportOutcome | None = None
    problems: list[str] = field(default_factory=list)
    documents_added: int = 0
    documents_skipped: int = 0
    comments: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and self.outcome is not None and self.outcome.ok


def import_bundle(raw: bytes, name: str, bundle: Bundle, store: Store, evidence: Evidence, scope: Scope,
                  actor: str) -> BundleImport:
    """Import a bundle as a draft (see `journey.import_response_bytes` for how answers merge)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        return BundleImport(problems=[f"{name}: not a zip file"])
    with archive:
        names = archive.namelist()
        if len(names) > MAX_ENTRIES or RESPONSE_NAME not in names:
            return BundleImport(problems=[f"{name}: {RESPONSE_NAME} is missing (not an exported assessment)"])
        budget = evidence.limits.max_bytes_per_assessment + 10 * 1024 * 1024
        if sum(i.file_size for i in archive.infolist()) > budget:
            return BundleImport(problems=[f"{name}: larger than the evidence limit of an assessment"])
        files, problems = _documents(archive, name, bundle, evidence)
        comments, comment_problems = _comments(archive, name, bundle)
        problems += comment_problems
        response_bytes = archive.read(RESPONSE_NAME)
    if problems:
        return BundleImport(problems=problems)
    from scoring.errors import ContentError
    from scoring.responses import parse_response

    try:  # check the response before anything is stored
        parse_response(response_bytes, f"{name}/{RESPONSE_NAME}", bundle)
    except ContentError as exc:
        return BundleImport(problems=[str(p) for p in exc.problems])
    outcome = journey.import_response_bytes(response_bytes, f"{name}/{RESPONSE_NAME}", bundle, store, scope, actor)
    if not outcome.ok or outcome.info is None:
        return BundleImport(outcome=outcome, problems=outcome.problems)
    for dimension_id, text in comments.items():
        save_dimension_comment(store, outcome.info.id, dimension_id, text, scope, actor)
    present = {(d.question_id, d.sha256) for d in evidence.list(outcome.info.id, scope)}
    added = skipped = 0
    try:
        for question_id, file_name, data in files:
            key = (question_id, hashlib.sha256(data).hexdigest())
            if key in present:
                skipped += 1
                continue
            evidence.add(outcome.info.id, question_id, file_name, data, scope, actor)
            present.add(key)
            added += 1
    except DocumentRefused as exc:
        return BundleImport(outcome=outcome, problems=[f"{name}: {exc}"], documents_added=added,
                            comments=len(comments))
    return BundleImport(outcome=outcome, documents_added=added, documents_skipped=skipped, comments=len(comments))


def _comments(archive: zipfile.ZipFile, name: str, bundle: Bundle) -> tuple[dict[str, str], list[str]]:
    """The bundle's comment per dimension (none in a bundle exported before comments travelled)."""
    if COMMENTS_NAME not in archive.namelist():
        return {}, []
    where = f"{name}/{COMMENTS_NAME}"
    try:
        data = yaml.safe_load(archive.read(COMMENTS_NAME)) or {}
    except yaml.YAMLError as exc:
        return {}, [f"{where}: not valid YAML ({exc})"]
    comments = data.get("dimension_comments") if isinstance(data, dict) else None
    if not isinstance(comments, dict):
        return {}, [f"{where}: expected a mapping under 'dimension_comments' (dimension id: text)"]
    known = set(bundle.dimension_ids)
    problems = []
    for dimension_id, text in comments.items():
        if dimension_id not in known:
            problems.append(f"{where}: unknown dimension {dimension_id!r}")
        elif not isinstance(text, str):
            problems.append(f"{where}: the comment of {dimension_id} is not text")
        elif len(text) > MAX_COMMENT:
            problems.append(f"{where}: the comment of {dimension_id} is longer than {MAX_COMMENT} characters")
    return ({} if problems else {str(k): v for k, v in comments.items()}), problems


def _documents(archive: zipfile.ZipFile, name: str, bundle: Bundle,
               evidence: Evidence) -> tuple[list[tuple[str, str, bytes]], list[str]]:
    if MANIFEST_NAME not in archive.namelist():
        return [], []
    try:
        manifest = yaml.safe_load(archive.read(MANIFEST_NAME)) or {}
    except yaml.YAMLError as exc:
        return [], [f"{name}/{MANIFEST_NAME}: not valid YAML ({exc})"]
    entries = manifest.get("documents") if isinstance(manifest, dict) else None
    if not isinstance(entries, list):
        return [], [f"{name}/{MANIFEST_NAME}: expected a list under 'documents'"]
    known = {q.id for q in bundle.questionnaire.questions}
    files: list[tuple[str, str, bytes]] = []
    problems: list[str] = []
    per_answer: dict[str, int] = {}
    for index, entry in enumerate(entries, start=1):
        where = f"{name}/{MANIFEST_NAME} document {index}"
        if not isinstance(entry, dict) or not {"question_id", "file_name", "path", "sha256"} <= set(entry):
            problems.append(f"{where}: needs question_id, file_name, path and sha256")
            continue
        question_id, path = str(entry["question_id"]), str(entry["path"])
        if question_id not in known:
            problems.append(f"{where}: unknown question {question_id!r}")
            continue
        if path not in archive.namelist():
            problems.append(f"{where}: {path} is missing from the zip")
            continue
        data = archive.read(path)
        if hashlib.sha256(data).hexdigest() != str(entry["sha256"]):
            problems.append(f"{where}: {path} does not match its checksum (damaged or changed)")
            continue
        file_name = clean_file_name(str(entry["file_name"]))
        try:
            check_file(file_name, data)
        except RefusedFile as exc:
            problems.append(f"{where}: {file_name} refused ({exc.reason})")
            continue
        if len(data) > evidence.limits.max_file_bytes:
            problems.append(f"{where}: {file_name} is larger than {evidence.limits.max_file_bytes} bytes")
            continue
        per_answer[question_id] = per_answer.get(question_id, 0) + 1
        if per_answer[question_id] > evidence.limits.max_files_per_answer:
            problems.append(f"{where}: more than {evidence.limits.max_files_per_answer} documents for {question_id}")
            continue
        files.append((question_id, file_name, data))
    return files, problems
