"""Bulk import for coordinators: many response YAML files, a zip of them, or the bulk CSV.

Each file is validated on its own by the core (`scoring.load_named_inputs`, file:line problems),
so a bad file is reported and never blocks the good ones. The valid responses of a file are stored
as SUBMITTED in one transaction (`Store.import_responses`); an agency and round that is already in
the database is replaced, and storage audits it as "replaced". The result is a per-file report.

Zip archives are read in memory, never unpacked to disk. Refused: anything that is not a zip,
an archive larger than `Limits.max_zip_bytes`, one that would unpack to more than
`Limits.max_uncompressed_bytes` in total (zip bombs; counted while reading, not trusted from the
archive's directory), more than `Limits.max_members` entries, encrypted entries, zips inside the
zip and entries in sub-folders ("nested paths").
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from scoring import Bundle, load_named_inputs
from scoring.answers import parse_value
from scoring.model import Response
from storage import Scope, StorageError, Store

Status = Literal["accepted", "rejected"]
RESPONSE_SUFFIXES = (".yaml", ".yml", ".csv")
ACCEPTED_SUFFIXES = (*RESPONSE_SUFFIXES, ".zip")
_JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")
_CHUNK = 1 << 16
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_zip_bytes: int = 50 * MB
    max_uncompressed_bytes: int = 200 * MB
    max_members: int = 20_000


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


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


class _TooLarge(Exception):
    pass


def _read_limited(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """An entry's bytes, counted while decompressing: raises _TooLarge past `budget`."""
    out = io.BytesIO()
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            out.write(chunk)
            if out.tell() > budget:
                raise _TooLarge
    return out.getvalue()


def expand_zip(name: str, raw: bytes, limits: Limits = Limits()) -> tuple[list[tuple[str, bytes]], list[FileReport]]:
    """The response files inside a zip as (archive/entry, bytes), and the entries (or the whole
    archive) refused, each with its reason."""
    if len(raw) > limits.max_zip_bytes:
        return [], [FileReport(name, "rejected", problems=[
            f"{name}: the archive is {_mb(len(raw))}, more than the limit of {_mb(limits.max_zip_bytes)}; "
            "split it into smaller archives"])]
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        return [], [FileReport(name, "rejected", problems=[f"{name}: not a zip archive (or a damaged one)"])]
    with archive:
        if len(infos) > limits.max_members:
            return [], [FileReport(name, "rejected", problems=[
                f"{name}: {len(infos)} entries, more than the limit of {limits.max_members}"])]
        declared = sum(i.file_size for i in infos if not i.is_dir())
        if declared > limits.max_uncompressed_bytes:
            return [], [FileReport(name, "rejected", problems=[
                f"{name}: would unpack to {_mb(declared)}, more than the limit of "
                f"{_mb(limits.max_uncompressed_bytes)}; refused"])]
        files: list[tuple[str, bytes]] = []
        refused: list[FileReport] = []
        budget = limits.max_uncompressed_bytes
        for info in infos:
            member = info.filename
            if info.is_dir() or _is_junk(member):
                continue
            label = f"{name}/{member}"
            reason = _member_problem(member, info)
            if reason:
                refused.append(FileReport(label, "rejected", problems=[f"{label}: {reason}"]))
                continue
            try:
                data = _read_limited(archive, info, budget)
            except _TooLarge:
                return [], [FileReport(name, "rejected", problems=[
                    f"{name}: unpacks to more than {_mb(limits.max_uncompressed_bytes)} (a zip bomb?); refused"])]
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
                refused.append(FileReport(label, "rejected", problems=[f"{label}: cannot unpack this entry ({exc})"]))
                continue
            budget -= len(data)
            files.append((label, data))
    if not files and not refused:
        refused.append(FileReport(name, "rejected", problems=[f"{name}: the archive holds no response files"]))
    return files, refused


def _member_problem(member: str, info: zipfile.ZipInfo) -> str | None:
    if "/" in member or "\\" in member or member.startswith("..") or ":" in member:
        return "nested paths are not accepted: put the response files at the top level of the zip"
    if info.flag_bits & 0x1:
        return "encrypted entries are not accepted"
    suffix = _suffix(member)
    if suffix == ".zip":
        return "a zip inside a zip is not accepted"
    if suffix not in RESPONSE_SUFFIXES:
        return "not a response file (expected .yaml, .yml or .csv)"
    return None


def expand_inputs(
    named: Iterable[tuple[str, bytes]], limits: Limits = Limits()
) -> tuple[list[tuple[str, bytes]], list[FileReport]]:
    """Uploaded files → response files to validate, and the files refused before validation."""
    files: list[tuple[str, bytes]] = []
    refused: list[FileReport] = []
    for name, raw in named:
        suffix = _suffix(name)
        if suffix == ".zip":
            inner, bad = expand_zip(name, raw, limits)
            files.extend(inner)
            refused.extend(bad)
        elif suffix in RESPONSE_SUFFIXES:
            files.append((name, raw))
        else:
            refused.append(FileReport(name, "rejected", problems=[
                f"{name}: not a response file (expected .yaml, .yml, .csv or .zip)"]))
    return files, refused


# --- frames to responses -----------------------------------------------------------------------


def frame_to_responses(frame: pd.DataFrame, questionnaire_id: str, version: str) -> list[Response]:
    """A validated long answer frame (e.g. a bulk CSV) as one `Response` per agency and round.

    The columns are prepared once for the whole frame; only the final objects are built one by one.
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
        responses.append(Response.model_validate({
            "questionnaire": questionnaire_id,
            "version": version,
            "agency": {"id": agency[start], "name": name[start], "type": kind[start],
                       "province": province[start] or None},
            "round": round_[start],
            "answers": dict(zip(question[rows], parsed[rows], strict=True)),
            "notes": {q: n for q, n in zip(question[rows], notes[rows], strict=True) if n},
        }))
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
    limits: Limits = Limits(),
    progress: Callable[[float], None] | None = None,
) -> ImportReport:
    """Validate and import uploaded files (YAML, zip, bulk CSV); one report row per file."""
    files, refused = expand_inputs(named, limits)
    report = ImportReport(files=list(refused))
    seen: dict[tuple[str, str], str] = {}
    for done, (name, raw) in enumerate(files, start=1):
        report.files.append(_import_one(name, raw, bundle, store, scope, actor, seen))
        if progress:
            progress(done / len(files))
    order = {name: i for i, (name, _) in enumerate(named)}
    report.files.sort(key=lambda f: (order.get(f.file.split("/", 1)[0], len(order)), f.file))
    return report


def _import_one(
    name: str, raw: bytes, bundle: Bundle, store: Store, scope: Scope, actor: str, seen: dict[tuple[str, str], str]
) -> FileReport:
    loaded = load_named_inputs([(name, raw)], bundle)
    problems = [str(p) for p in loaded.problems]
    if name.lower().endswith(".csv"):
        responses = frame_to_responses(loaded.frame, bundle.questionnaire.id, bundle.questionnaire.version)
    else:
        responses = [] if problems else list(loaded.responses)
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
