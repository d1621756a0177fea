"""Bytes of an uploaded text file (YAML or CSV) to text, refusing what is not UTF-8 text.

Shared by the YAML and the CSV readers so that both say the same thing about a file saved in
UTF-16, a Windows code page (cp1258, latin-1) or holding NUL bytes: which line, and what to do.
"""

from __future__ import annotations

import codecs
import re

from scoring.errors import ContentError
from scoring.limits import describe_size

# Control characters never found in a text file a person saved (tab, CR and LF are fine).
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SAVE_AS_UTF8 = "save it as UTF-8 (in Excel: 'CSV UTF-8'; in Notepad: Save as, Encoding UTF-8)"


def decode_text(raw: bytes, path: str, limit: int) -> str:
    """The file's text (a UTF-8 BOM is dropped); ContentError naming the file and line otherwise.
    `limit`: the largest size accepted, in bytes (`InputLimits.max_yaml_bytes` or `max_csv_bytes`)."""
    if len(raw) > limit:
        raise ContentError.single(
            path, None, f"the file is {describe_size(len(raw))}, more than the limit of {describe_size(limit)}"
        )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (len(raw) > 1 and b"\x00" in raw[:2]):
        raise ContentError.single(path, 1, f"the file is UTF-16 text, not UTF-8; {SAVE_AS_UTF8}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ContentError.single(
            path,
            line,
            f"the file is not UTF-8 text (byte {raw[exc.start]:#04x} is "
            f"not UTF-8: probably a Windows code page such as cp1258 or latin-1); {SAVE_AS_UTF8}",
        ) from None
    found = _BINARY.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise ContentError.single(
            path, line, f"the file holds a control character ({ord(found.group()):#04x}); it is not a text file"
        )
    return text
