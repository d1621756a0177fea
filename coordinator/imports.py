"""Bulk import for coordinators: many response YAML files, a zip of them, or the bulk CSV.

Each file is validated on its own by the core (`scoring.load_named_inputs`, file:line problems),
so a bad file is reported and never blocks the good ones. The valid responses of a file are stored
as SUBMITTED in one transaction (`Store.import_responses`); an agency and round that is already in
the database is replaced, and storage audits it as "replaced". The result is a per-file report.

Zip archives are read in memory, never unpacked to disk. The limits are `scoring.limits.InputLimits`
(one place for every reader). Refused: anything that is not a zip, an archive larger than
`max_zip_bytes`, more than `max_zip_entries` entries, an entry larger than a response file may be or
compressed more than `max_expansion_ratio` times (zip bombs; sizes counted while reading, never
trusted from the archive's directory), more than `max_upload_unpacked_bytes` unpacked from all the
archives of one upload together, encrypted entries, zips inside the zip and entries in sub-folders
or with ".." in their path. Every uploaded file (and every entry of a zip) gets a verdict, even if
reading it fails in an unforeseen way.
"""

from __future__ import annotations

import io
import logging
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from scoring import Bundle, load_named_inputs
from scoring.answers import parse_value
from scoring.limits import DEFAULT_LIMITS, InputLimits, describe_size
from scoring.schemas.response import Response
from storage import Scope, StorageError, Store

log = logging.getLogger(__name__)

Status = Literal["accepted", "rejected"]
RESPONSE_SUFFIXES = (".yaml", ".yml", ".csv")
ACCEPTED_SUFFIXES = (*RESPONSE_SUFFIXES, ".zip")
_JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")
_CHUNK = 1 << 16
MB = 1024 * 1024
Limits = InputLimits  # the one set of limits, kept under its old name for callers of this module


@dataclass
class FileReport:
    """What happened to one file (a zip's entries are reported one by one as `archive.zip/entry`)."""

    file: str
    status: Status
    agencies: int = 0  # distinct agencies imported
    assessments: int = 0  # agency-round assessments imported
    replaced: int = 0  # of which replaced an assessment already in the database
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return sum(f.status == "accepted" for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.status == "rejected" for f in self.files)

    @property
    def assessments(self) -> int:
        return sum(f.assessments for f in self.files)

    @property
    def replaced(self) -> int:
        return sum(f.replaced for f in self.files)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "file": [f.file for f in self.files],
                "status": [f.status for f in self.files],
                "agencies": [f.agencies for f in self.files],
                "assessments": [f.assessments for f in self.files],
                "replaced": [f.replaced for f in self.files],
                "problems": ["\n".join(f.problems) for f in self.files],
            }
        )


# --- unpacking ---------------------------------------------------------------------------------


def _is_junk(member: str) -> bool:
    base = member.rsplit("/", 1)[-1]
    return member.startswith("__MACOSX/") or base in _JUNK


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


class _TooLarge(Exception):
    pass


@dataclass
class _Budget:
    """What may still be unpacked in this upload (shared by all its archives)."""

    remaining: int


def _read_limited(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """An entry's bytes, counted while decompressing: raises _TooLarge past `cap`."""
    out = io.BytesIO()
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            out.write(chunk)
            if out.tell() > cap:
                raise _TooLarge
    return out.getvalue()


def _rejected(name: str, message: str) -> FileReport:
    return FileReport(name, "rejected", problems=[f"{name}: {message}"])


def expand_zip(
    name: str, raw: bytes, limits: InputLimits = DEFAULT_LIMITS, budget: _Budget | None = None
) -> tuple[list[tuple[str, bytes]], list[FileReport]]:
    """The response files inside a zip as (archive/entry, bytes), and the entries (or the whole
    archive) refused, each with its reason."""
    budget = budget or _Budget(limits.max_upload_unpacked_bytes)
    if len(raw) > limits.max_zip_bytes:
        return [], [_rejected(name, f"the archive is {describe_size(len(raw))}, more than the limit of "
                                    f"{describe_size(limits.max_zip_bytes)}; split it into smaller archives")]
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return [], [_rejected(name, "not a zip archive (or a damaged one)")]
    with archive:
        if len(infos) > limits.max_zip_entries:
            return [], [_rejected(name, f"{len(infos):,} entries, more than the limit of "
                                        f"{limits.max_zip_entries:,}; split it into smaller archives")]
        declared = sum(i.file_size for i in infos if not i.is_dir())
        if declared > budget.remaining:
            return [], [_rejected(name, f"would unpack to {describe_size(declared)}, more than the "
                                        f"{describe_size(budget.remaining)} left of the limit of "
                                        f"{describe_size(limits.max_upload_unpacked_bytes)} per upload; refused")]
        files: list[tuple[str, bytes]] = []
        refused: list[FileReport] = []
        for info in infos:
            member = info.filename
            if info.is_dir() or _is_junk(member):
                continue
            label = f"{name}/{member}"
            reason = _member_problem(member, info, limits)
            if reason:
                refused.append(_rejected(label, reason))
                continue
            # Never trust the directory: the entry is counted while unpacking against the smallest of
            # its own size limit, its expansion ratio and what the upload may still unpack.
            entry_cap = min(limits.max_bytes_for(member), max(MB, limits.max_expansion_ratio * info.compress_size))
            try:
                data = _read_limited(archive, info, min(entry_cap, budget.remaining))
            except _TooLarge:
                if budget.remaining < entry_cap:
                    return [], [_rejected(name, f"unpacks to more than the limit of "
                                                f"{describe_size(limits.max_upload_unpacked_bytes)} per upload "
                                                "(a zip bomb?); nothing in it was imported")]
                refused.append(_rejected(label, f"unpacks to more than {describe_size(entry_cap)} "
                                                "(a zip bomb, or a file too large to import); refused"))
                continue
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError,
                    ValueError) as exc:
                refused.append(_rejected(label, f"cannot unpack this entry ({exc})"))
                continue
            budget.remaining -= len(data)
            files.append((label, data))
    if not files and not refused:
        refused.append(_rejected(name, "the archive holds no response files"))
    return files, refused


def _member_problem(member: str, info: zipfile.ZipInfo, limits: InputLimits) -> str | None:
    parts = member.replace("\\", "/").split("/")
    if len(parts) > 1 or ".." in parts or member.startswith(("..", "/")) or ":" in member:
        return "nested paths are not accepted: put the response files at the top level of the zip"
    if info.flag_bits & 0x1:
        return "encrypted entries are not accepted"
    suffix = _suffix(member)
    if suffix == ".zip":
        return "a zip inside a zip is not accepted"
    if suffix not in RESPONSE_SUFFIXES:
        return "not a response file (expected .yaml, .yml or .csv)"
    limit = limits.max_bytes_for(member)
    if info.file_size > limit:
        return f"the file is {describe_size(info.file_size)}, more than the limit of {describe_size(limit)}"
    if info.file_size > MB and info.file_size > limits.max_expansion_ratio * max(info.compress_size, 1):
        return (f"compressed {info.file_size // max(info.compress_size, 1):,} times, more than the limit of "
                f"{limits.max_expansion_ratio} (a zip bomb?); refused")
    return None


def expand_inputs(
    named: Iterable[tuple[str, bytes]], limits: InputLimits = DEFAULT_LIMITS
) -> tuple[list[tuple[str, bytes]], list[FileReport]]:
    """Uploaded files → response files to validate, and the files refused before validation."""
    files: list[tuple[str, bytes]] = []
    refused: list[FileReport] = []
    budget = _Budget(limits.max_upload_unpacked_bytes)
    for name, raw in named:
        suffix = _suffix(name)
        if suffix == ".zip":
            inner, bad = expand_zip(name, raw, limits, budget)
            files.extend(inner)
            refused.extend(bad)
        elif suffix in RESPONSE_SUFFIXES:
            files.append((name, raw))
        else:
            refused.append(_rejected(name, "not a response file (expected .yaml, .yml, .csv or .zip)"))
    return files, refused


# --- frames to responses -----------------------------------------------------------------------


def frame_to_responses(
    frame: pd.DataFrame, questionnaire_id: str, version: str, problems: list[str] | None = None
) -> list[Response]:
    """A validated long answer frame (e.g. a bulk CSV) as one `Response` per agency and round.

    The columns are prepared once for the whole frame; only the final objects are built one by one.
    An agency-round that still fails the response schema is left out whole, with its reason added
    to `problems` (never a partial assessment).
    """
    if frame.empty:
        return []
    agency = frame["agency_id"].astype(str).to_numpy(dtype=object)
    round_ = frame["round"].astype(str).to_numpy(dtype=object)
    codes, _ = pd.factorize(pd.Series(agency + "\x1f" + round_))
    order = np.argsort(codes, kind="stable")
    boundaries = np.flatnonzero(np.diff(codes[order])) + 1
    starts = np.concatenate([[0], boundaries])
    ends = np.concatenate([boundaries, [len(order)]])
    answer_codes, answer_uniques = pd.factorize(frame["answer"].astype(str))
    parsed = np.array([parse_value(u) for u in answer_uniques] + [None], dtype=object)[answer_codes]
    question = frame["question_id"].astype(str).to_numpy(dtype=object)[order]
    parsed = parsed[order]
    notes = _note_columns(frame, order)
    name = _text_column(frame, "agency_name")[order]
    kind = _text_column(frame, "agency_type")[order]
    province = _text_column(frame, "province")[order]
    agency, round_ = agency[order], round_[order]
    responses = []
    for start, end in zip(starts, ends, strict=True):
        rows = slice(start, end)
        try:
            responses.append(Response.model_validate({
                "questionnaire": questionnaire_id,
                "version": version,
                "agency": {"id": agency[start], "name": name[start], "type": kind[start],
                           "province": province[start] or None},
                "round": round_[start],
                "answers": dict(zip(question[rows], parsed[rows], strict=True)),
                "notes": {q: n for q, n in zip(question[rows], notes[rows], strict=True) if n},
            }))
        except ValidationError as exc:
            if problems is None:
                raise
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            problems.append(f"agency {str(agency[start])[:64]!r} round {str(round_[start])[:32]!r} left out: "
                            f"{where}: {first['msg']}")
    return responses


def _text_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), None, dtype=object)
    values = frame[column].astype(object)
    return values.where(values.notna() & (values.astype(str) != ""), None).to_numpy(dtype=object)


def _note_columns(frame: pd.DataFrame, order: np.ndarray) -> np.ndarray:
    """Per row: {"na_reason": ..., "evidence": ...} with the notes given, or None."""
    reason = _text_column(frame, "na_reason")[order]
    evidence = _text_column(frame, "evidence")[order]
    has = (reason != None) | (evidence != None)  # noqa: E711 - element-wise on object arrays
    out = np.full(len(order), None, dtype=object)
    out[has] = [{"na_reason": r, "evidence": e} for r, e in zip(reason[has], evidence[has], strict=True)]
    return out


# --- importing ---------------------------------------------------------------------------------


def import_files(
    named: Sequence[tuple[str, bytes]],
    bundle: Bundle,
    store: Store,
    scope: Scope,
    actor: str,
    limits: InputLimits = DEFAULT_LIMITS,
    progress: Callable[[float], None] | None = None,
) -> ImportReport:
    """Validate and import uploaded files (YAML, zip, bulk CSV); one report row per file."""
    files, refused = expand_inputs(named, limits)
    report = ImportReport(files=list(refused))
    seen: dict[tuple[str, str], str] = {}
    for done, (name, raw) in enumerate(files, start=1):
        try:
            verdict = _import_one(name, raw, bundle, store, scope, actor, seen, limits)
        except Exception as exc:  # a verdict for every file: one unforeseen failure never stops the batch
            log.exception("importing %s failed", name)
            verdict = _rejected(name, f"not imported: reading it failed ({type(exc).__name__}); nothing was stored")
        report.files.append(verdict)
        if progress:
            progress(done / len(files))
    order = {name: i for i, (name, _) in enumerate(named)}
    report.files.sort(key=lambda f: (order.get(f.file.split("/", 1)[0], len(order)), f.file))
    return report


def _import_one(
    name: str,
    raw: bytes,
    bundle: Bundle,
    store: Store,
    scope: Scope,
    actor: str,
    seen: dict[tuple[str, str], str],
    limits: InputLimits,
) -> FileReport:
    loaded = load_named_inputs([(name, raw)], bundle, limits)
    problems = [str(p) for p in loaded.problems]
    if name.lower().endswith(".csv"):
        responses = frame_to_responses(loaded.frame, bundle.questionnaire.id, bundle.questionnaire.version, problems)
    else:
        responses = [] if any(not p.warning for p in loaded.problems) else list(loaded.responses)
    empty = [r for r in responses if not r.answers]
    if empty:
        problems += [f"{name}: agency {r.agency.id} round {r.round} has no answers" for r in empty]
        responses = [r for r in responses if r.answers]
    if not responses:
        return FileReport(name, "rejected", problems=problems or [f"{name}: no responses in the file"])
    for response in responses:
        key = (response.agency.id, response.round)
        if key in seen:
            problems.append(f"{name}: agency {key[0]} round {key[1]} was also in {seen[key]}; this file replaces it")
        seen[key] = name
    try:
        infos = store.import_responses(responses, scope, actor, status="submitted")
    except (StorageError, SQLAlchemyError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return FileReport(name, "rejected", problems=[*problems, f"{name}: not stored: {message}"])
    return FileReport(
        name,
        "accepted",
        agencies=len({i.agency_id for i in infos}),
        assessments=len(infos),
        replaced=sum(i.created_at != i.updated_at for i in infos),
        problems=problems,
    )
