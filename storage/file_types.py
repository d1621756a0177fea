"""What a file really is, from its bytes, never from its name.

Evidence documents are PDF, images and office files. A file is accepted only when its content
matches a known signature AND its name's extension belongs to that kind, so "quyet_dinh.pdf" that
is really a Windows program is refused, and so is a .docx with macros. No dependency: the
signatures are a few bytes each, and OOXML / OpenDocument are checked by opening the zip and
looking for the parts that define them (a plain zip renamed .docx fails).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from scoring.limits import DEFAULT_LIMITS, MB

MAX_ZIP_ENTRIES = 5000  # an office file has tens of parts; thousands means something else


@dataclass(frozen=True)
class FileKind:
    kind: str  # pdf, png, jpeg, gif, webp, tiff, docx, xlsx, pptx, odt, ods, odp, doc, xls, ppt
    media_type: str
    extensions: tuple[str, ...]


KINDS: dict[str, FileKind] = {k.kind: k for k in (
    FileKind("pdf", "application/pdf", (".pdf",)),
    FileKind("png", "image/png", (".png",)),
    FileKind("jpeg", "image/jpeg", (".jpg", ".jpeg")),
    FileKind("gif", "image/gif", (".gif",)),
    FileKind("webp", "image/webp", (".webp",)),
    FileKind("tiff", "image/tiff", (".tif", ".tiff")),
    FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    FileKind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",)),
    FileKind("odt", "application/vnd.oasis.opendocument.text", (".odt",)),
    FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
    FileKind("odp", "application/vnd.oasis.opendocument.presentation", (".odp",)),
    FileKind("doc", "application/msword", (".doc",)),
    FileKind("xls", "application/vnd.ms-excel", (".xls",)),
    FileKind("ppt", "application/vnd.ms-powerpoint", (".ppt",)),
)}
ACCEPTED_EXTENSIONS: tuple[str, ...] = tuple(e for k in KINDS.values() for e in k.extensions)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OOXML_MAIN_PART = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
_ODF_MIMETYPES = {KINDS[k].media_type: k for k in ("odt", "ods", "odp")}


class RefusedFile(ValueError):
    """Why a file is not accepted. `reason` is a stable code for the UI's message catalogue:
    executable, unknown_type, name_mismatch, macros, damaged, zip_bomb, empty."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def sniff(content: bytes) -> str | None:
    """The kind of file the bytes are (a key of KINDS), "executable", "macros", "damaged", "zip_bomb"
    (an office file that unpacks to far more than it weighs), or None (unknown)."""
    head = content[:16]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"#!")):
        return "executable"
    if head.startswith(_OLE2):
        return "ole2"  # legacy .doc/.xls/.ppt: the container says no more; the name decides which
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    return None


def _zip_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if len(names) > MAX_ZIP_ENTRIES:
                return None
            if any(_unsafe_part(n) for n in names):
                return "damaged"  # no office program writes "../" or absolute part names
            if "mimetype" in names:
                kind = _ODF_MIMETYPES.get(_read_capped(archive, "mimetype", 256).decode("ascii", "replace").strip())
            elif "[Content_Types].xml" not in names:
                return None
            elif any(n.lower().endswith("vbaproject.bin") for n in names):
                return "macros"
            else:
                kind = next((kind for part, kind in _OOXML_MAIN_PART.items() if part in names), None)
            if kind is not None and _bomb(archive, len(content)):
                return "zip_bomb"
            return kind
    except _Unpacked:
        return "zip_bomb"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError, EOFError,
            RuntimeError, zlib.error):
        return "damaged"


class _Unpacked(Exception):
    """More came out of an entry than it may (or than it said)."""


def _unsafe_part(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or ":" in name or "\x00" in name


def _read_capped(archive: zipfile.ZipFile, name: str | zipfile.ZipInfo, cap: int) -> bytes:
    with archive.open(name) as stream:
        data = stream.read(cap + 1)
    if len(data) > cap:
        raise _Unpacked
    return data


def _bomb(archive: zipfile.ZipFile, packed: int) -> bool:
    """Whether an office file unpacks to far more than it weighs: the declared sizes first, then every
    entry really unpacked and counted (a directory may lie), against the limits of `scoring.limits`
    (expansion ratio, unpacked bytes per upload) with a floor, since a small document of plain XML
    compresses well. Reading a real 10 MB document this way takes a fraction of a second."""
    limits = DEFAULT_LIMITS
    budget = min(limits.max_upload_unpacked_bytes, max(16 * MB, limits.max_expansion_ratio * packed))
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if sum(i.file_size for i in infos) > budget:
        return True
    for info in infos:
        with archive.open(info) as stream:
            while chunk := stream.read(MB):
                budget -= len(chunk)
                if budget < 0:
                    return True
    return False


def check_file(name: str, content: bytes) -> FileKind:
    """The file's kind if it may be accepted as evidence; raises RefusedFile otherwise."""
    if not content:
        raise RefusedFile("empty", name)
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    found = sniff(content)
    if found == "executable":
        raise RefusedFile("executable", name)
    if found == "macros":
        raise RefusedFile("macros", name)
    if found in ("damaged", "zip_bomb"):
        raise RefusedFile(found, name)
    if found == "ole2":
        legacy = {".doc": "doc", ".xls": "xls", ".ppt": "ppt"}.get(extension)
        if legacy is None:
            raise RefusedFile("name_mismatch", name)
        return KINDS[legacy]
    if found is None:
        raise RefusedFile("unknown_type", name)
    kind = KINDS[found]
    if extension not in kind.extensions:
        raise RefusedFile("name_mismatch", name)
    return kind
