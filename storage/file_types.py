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
from dataclasses import dataclass

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
    executable, unknown_type, name_mismatch, macros, damaged, empty."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def sniff(content: bytes) -> str | None:
    """The kind of file the bytes are (a key of KINDS), "executable", or None (unknown)."""
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
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return _ODF_MIMETYPES.get(mimetype)
            if "[Content_Types].xml" not in names:
                return None
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return "macros"
            return next((kind for part, kind in _OOXML_MAIN_PART.items() if part in names), None)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return "damaged"


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
    if found == "damaged":
        raise RefusedFile("damaged", name)
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
