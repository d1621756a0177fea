"""The content registry: which questionnaire versions, rubrics and targets are shipped, and which fit which.

Layout (see docs/MODEL-2.md):
- questionnaires/<id>/<version>.yaml            one file per questionnaire version
- questionnaires/<id>/mapping-<a>-to-<b>.yaml   how answers carry from version a to version b
- scoring/rubrics/**.yaml, scoring/targets/**.yaml
  each declares `questionnaire: {id, major}`; a rubric is chosen by its own `id` and that declaration.

Only headers are read here (ids and declarations), and a file that does not parse is simply not offered:
`python -m scoring validate` is where such a file is reported. So a stray or foreign file never breaks the app.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scoring.errors import ContentError
from scoring.yamlio import parse_yaml_bytes, read_yaml_file

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRE_DIR = PROJECT_ROOT / "questionnaires"
RUBRIC_DIR = Path(__file__).resolve().parent / "rubrics"
TARGETS_DIR = Path(__file__).resolve().parent / "targets"
TERMS_FILE = QUESTIONNAIRE_DIR / "terms.yaml"
VERSION_FILE = re.compile(r"^(\d+)\.(\d+)\.(\d+)\.ya?ml$")
MAPPING_FILE = re.compile(r"^mapping-(\d+\.\d+\.\d+)-to-(\d+\.\d+\.\d+)\.ya?ml$")
# Rounds that predate the registry, and callers that name no version, use this one.
DEFAULT_QUESTIONNAIRE_ID = "dmm-vn"
DEFAULT_VERSION = "1.0.0"
DEFAULT_TARGETS_ID = "qd-2629"


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class ContentHeader:
    """What a rubric or targets file says about itself: its id and the questionnaire it is for."""

    path: Path
    id: str
    questionnaire_id: str
    major: int


def questionnaire_files() -> dict[tuple[str, str], Path]:
    """{(questionnaire id, version): path} for every questionnaires/<id>/<version>.yaml."""
    root = QUESTIONNAIRE_DIR  # read at call time, so tests can point the registry at a fixture tree
    found: dict[tuple[str, str], Path] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        for path in sorted(folder.iterdir()):
            match = VERSION_FILE.match(path.name)
            if match:
                found[(folder.name, ".".join(match.groups()))] = path
    return found


def versions(questionnaire_id: str = DEFAULT_QUESTIONNAIRE_ID) -> list[str]:
    """The shipped versions of a questionnaire, oldest first."""
    return sorted((v for q, v in questionnaire_files() if q == questionnaire_id), key=version_key)


def offered_versions(questionnaire_id: str = DEFAULT_QUESTIONNAIRE_ID) -> list[str]:
    """The versions that can be scored: a rubric and targets are declared for their major version."""
    return [
        v
        for v in versions(questionnaire_id)
        if rubrics_for(questionnaire_id, version_key(v)[0]) and targets_for(questionnaire_id, version_key(v)[0])
    ]


def newest_version(questionnaire_id: str = DEFAULT_QUESTIONNAIRE_ID) -> str:
    """The version offered for new rounds: the newest one that can be scored."""
    shipped = offered_versions(questionnaire_id)
    if not shipped:
        raise ContentError.single(str(QUESTIONNAIRE_DIR / questionnaire_id), None, "no questionnaire version shipped")
    return shipped[-1]


def offered_version(questionnaire_id: str = DEFAULT_QUESTIONNAIRE_ID) -> str:
    """The version new rounds use: DMM_QUESTIONNAIRE_VERSION when set (a programme may stay on an older
    version for a while), else the newest version that can be scored."""
    pinned = os.environ.get("DMM_QUESTIONNAIRE_VERSION", "").strip()
    if pinned:
        questionnaire_path(questionnaire_id, pinned)  # a clear error for a version that is not shipped
        return pinned
    return newest_version(questionnaire_id)


def questionnaire_path(questionnaire_id: str, version: str) -> Path:
    files = questionnaire_files()
    if (questionnaire_id, version) not in files:
        known = ", ".join(versions(questionnaire_id)) or "none"
        raise ContentError.single(
            str(QUESTIONNAIRE_DIR / questionnaire_id / f"{version}.yaml"),
            None,
            f"questionnaire {questionnaire_id} has no version {version} (shipped versions: {known})",
        )
    return files[(questionnaire_id, version)]


def mapping_files(questionnaire_id: str = DEFAULT_QUESTIONNAIRE_ID) -> dict[tuple[str, str], Path]:
    """{(from version, to version): path} of the shipped mappings of a questionnaire."""
    folder = QUESTIONNAIRE_DIR / questionnaire_id
    found: dict[tuple[str, str], Path] = {}
    for path in sorted(folder.glob("mapping-*.y*ml")) if folder.is_dir() else []:
        match = MAPPING_FILE.match(path.name)
        if match:
            found[(match.group(1), match.group(2))] = path
    return found


def content_files(folder: Path) -> list[Path]:
    """Every YAML file under a rubric or targets folder, sub-folders included."""
    return sorted(p for p in folder.rglob("*.y*ml") if p.is_file())


def _stamp(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


@lru_cache(maxsize=256)
def _header(path: Path, stamp: float) -> ContentHeader | None:
    del stamp  # part of the cache key only: an edited file is read again
    try:
        data = read_yaml_file(path).data
    except ContentError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("questionnaire"), dict):
        return None
    ref = data["questionnaire"]
    if (
        not isinstance(data.get("id"), str)
        or not isinstance(ref.get("id"), str)
        or not isinstance(ref.get("major"), int)
    ):
        return None
    return ContentHeader(path=path, id=data["id"], questionnaire_id=ref["id"], major=ref["major"])


def headers(folder: Path) -> list[ContentHeader]:
    """The readable headers of the files in a folder (unreadable files are left to `validate`)."""
    found = (_header(path, _stamp(path)) for path in content_files(folder))
    return [h for h in found if h is not None]


def rubrics_for(questionnaire_id: str, major: int) -> dict[str, Path]:
    """{rubric id: path} of the rubrics declared for this questionnaire's major version."""
    return {h.id: h.path for h in headers(RUBRIC_DIR) if h.questionnaire_id == questionnaire_id and h.major == major}


def targets_for(questionnaire_id: str, major: int) -> dict[str, Path]:
    """{targets id: path} of the targets declared for this questionnaire's major version."""
    return {h.id: h.path for h in headers(TARGETS_DIR) if h.questionnaire_id == questionnaire_id and h.major == major}


def default_targets_path(questionnaire_id: str, major: int) -> Path:
    shipped = targets_for(questionnaire_id, major)
    if not shipped:
        raise ContentError.single(
            str(TARGETS_DIR), None, f"no targets file declares questionnaire {questionnaire_id} v{major}.x"
        )
    return shipped.get(DEFAULT_TARGETS_ID) or next(iter(shipped.values()))


def shipped_questionnaire_majors() -> set[tuple[str, int]]:
    return {(q, version_key(v)[0]) for q, v in questionnaire_files()}


def declared(raw: bytes) -> tuple[str, str] | None:
    """(questionnaire id, version) a response file declares, if that version is shipped (else None: the caller
    validates against the offered version and the file gets the usual precise message)."""
    # The guarded reader (scoring.yamlio): alias bombs, deep nesting and tags stop here too.

    try:
        data = parse_yaml_bytes(raw, "(upload)").data
    except ContentError:
        return None
    if not isinstance(data, dict):
        return None
    questionnaire_id = str(data.get("questionnaire") or DEFAULT_QUESTIONNAIRE_ID)
    version = str(data.get("version") or "")
    return (questionnaire_id, version) if version in versions(questionnaire_id) else None


def declared_version(raw: bytes) -> str | None:
    found = declared(raw)
    return found[1] if found else None
