"""The records of a regular CSV read by Arrow's CSV reader in C: the national bulk CSV (250,000 rows)
in about 0.15 s, where decoding it, Python's csv module and the transposition into columns took about 1 s.

"Regular" is checked, never assumed: the caller (`scoring.bulk_csv`) reads the header line with the
csv module, and this module answers None for anything Arrow could read differently from the csv
module, or that the csv module refuses; the caller then reads the file the careful way, which words
every problem with its file line. So a file read here gives exactly the columns the csv module gives.
"""

from __future__ import annotations

import codecs
import re

import numpy as np
import pyarrow as pa

# The bytes `scoring.decoding` refuses as control characters (in valid UTF-8 they only ever stand for
# themselves); tab, CR and LF are fine.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# A quoted field as the csv module reads it (`""` inside stands for one quote) that closes before a
# comma, a line end or the end of the file. Where it starts is checked per match.
_QUOTED_FIELD = re.compile(rb'"(?:[^"]|"")*"(?![^,\r\n])')


def regular_records(raw: bytes, header: list[str]) -> tuple[dict[str, pa.Array], range | np.ndarray] | None:
    """The columns (texts, named by `header`) of the records after the file's first line and the
    file line of each record, or None when the file is not regular: a control byte, a carriage
    return outside a CRLF line end, a quote outside a well-formed quoted field, a record spread over
    several lines, a row with another number of fields than the header, text that is not UTF-8, or
    no record at all. Blank lines are skipped, as the csv module skips them.
    `header` is the first line as the csv module read it, on that one line, its names unique."""
    # Control bytes and carriage returns in one pass: none may be left once every CR of a CRLF is
    # counted (the pair is only searched for in a file that has any).
    unusual = len(raw) - len(raw.translate(None, _CONTROL_BYTES + b"\r"))
    if unusual and unusual != raw.count(b"\r\n"):
        return None
    start = raw.find(b"\n") + 1
    if not start or start == len(raw) or raw.startswith(codecs.BOM_UTF8, start):  # Arrow drops a BOM it starts on
        return None
    if raw.find(b'"', start) != -1 and not _quotes_well_formed(raw, start):
        return None
    import pyarrow.csv as arrow_csv  # a millisecond, and only when a CSV is read

    try:
        table = arrow_csv.read_csv(
            pa.py_buffer(memoryview(raw)[start:]),  # the records, not copied
            read_options=arrow_csv.ReadOptions(column_names=header),
            # Quoted line breaks are read as the csv module reads them; such a file then has fewer
            # records than non-blank lines and goes the careful way (its records' lines are not positions).
            parse_options=arrow_csv.ParseOptions(newlines_in_values=True),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.large_string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowException, ValueError):  # a row with a wrong number of fields, bytes that are not UTF-8
        return None
    if not table.num_rows:  # only blank lines after the header: the careful way says so
        return None
    lines = raw.count(b"\n", start) + (0 if raw.endswith(b"\n") else 1)
    record_lines: range | np.ndarray = range(2, 2 + lines)
    if table.num_rows != lines:  # Arrow skipped blank lines, or a record spans lines
        record_lines = _non_blank_lines(raw, start)
        if len(record_lines) != table.num_rows:  # a record spans lines
            return None
    columns = {name: table.column(i).combine_chunks() for i, name in enumerate(header)}  # one piece, as pa.array
    return columns, record_lines


def _non_blank_lines(raw: bytes, start: int) -> np.ndarray:
    """The file line numbers of the lines from `start` (line 2) holding anything: not empty, nor a
    lone CR of a CRLF. When as many as the records Arrow read, each holds one record."""
    data = np.frombuffer(raw, dtype=np.uint8)
    breaks = np.flatnonzero(data[start:] == 0x0A) + start
    starts = np.concatenate(([start], breaks + 1))
    ends = np.concatenate((breaks, [len(raw)]))
    if raw.endswith(b"\n"):  # no line after the last line break
        starts, ends = starts[:-1], ends[:-1]
    length = ends - starts
    lone_cr = (length == 1) & (data[np.minimum(starts, len(raw) - 1)] == 0x0D)
    return np.flatnonzero((length > 0) & ~lone_cr) + 2


def _quotes_well_formed(raw: bytes, start: int) -> bool:
    """Whether every quote from `start` on belongs to a quoted field that opens a field (at a line
    start or after a comma) and closes before a comma or a line end, as both readers read it.
    Anything else (`a"b`, `"a"b`, an unclosed quote) the two readers may read differently."""
    quotes = 0
    for match in _QUOTED_FIELD.finditer(raw, start):
        if raw[match.start() - 1] not in b",\n":
            return False
        quotes += match.group().count(b'"')
    return quotes == raw.count(b'"', start)
