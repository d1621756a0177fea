"""The bulk CSV's two readers agree: a regular file read by Arrow (`scoring.regular_csv`) gives the
same table, line numbers, problems and CLI output, byte for byte, as the csv module's careful path;
every unusual or broken file goes the careful way, so its messages are the ones it always had."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scoring.bulk_csv as bulk_csv
from scoring.bulk_csv import parse_bulk_csv
from scoring.cli import main
from scoring.content import Bundle
from scoring.errors import ContentError
from scoring.limits import DEFAULT_LIMITS
from tests.hostile.corpus import Kind, all_kinds, corpus_bundle

HEADER = "agency_id,agency_name,agency_type,province,round,question_id,answer,na_reason,evidence"
ROWS = [
    'bo_x,"Bộ Kế hoạch, Đầu tư",ministry,,2026,alpha.one,3,,"Quyết định 12, ngày 1/2"',
    'bo_x,"Bộ Kế hoạch, Đầu tư",ministry,,2026,alpha.pct,40,,"Báo cáo ""Dữ liệu mở"""',
    "xa_a,UBND xã Đắk Hà,commune,tinh_q,2026,alpha.one,na,Chưa có hệ thống,",
    "xa_a,UBND xã Đắk Hà,commune,tinh_q,2026,alpha.pct,dont_know,,",
    'xa_b,  UBND xã Ea Kao  ,commune,tinh_q,2026,alpha.one,"5",, có khoảng trắng ',
    "xa_b,UBND xã Ea Kao,commune,tinh_q,2026,alpha.pct,12.50,,'=không phải công thức",
]


def text(rows: list[str] = ROWS, header: str = HEADER, end: str = "\n") -> str:
    return end.join([header, *rows]) + end


# Files both readers take: the Arrow path must read them (the usual files must be fast).
REGULAR = {
    "quoted commas and doubled quotes": text().encode(),
    "BOM": codecs.BOM_UTF8 + text().encode(),
    "CRLF": text(end="\r\n").encode(),
    "BOM and CRLF": codecs.BOM_UTF8 + text(end="\r\n").encode(),
    "no final line break": text().rstrip("\n").encode(),
    "unused column": text([r + ",x" for r in ROWS], HEADER + ",comment").encode(),
    "header with spaces, quoted": text(header=' agency_id ,"agency_name",' + HEADER.split(",", 2)[2]).encode(),
    "no note columns": text([",".join(r.split(",")[:7]) for r in ROWS[2:4]], ",".join(HEADER.split(",")[:7])).encode(),
    "C1 control (U+0085)": text().encode().replace(b"Ea Kao", "Ea\x85Kao".encode()),
    "second BOM inside": text().encode().replace(b"Ea Kao", codecs.BOM_UTF8 + b"Ea Kao"),
    "blank line": text([*ROWS[:2], "", *ROWS[2:]]).encode(),
    "blank line at the end": (text() + "\n").encode(),
    "CRLF blank line": text([*ROWS[:2], "", *ROWS[2:]], end="\r\n").encode(),
    "blank lines at the start and the end, CRLF": text(["", "", *ROWS, "", ""], end="\r\n").encode(),
    "bad values (checked after reading)": text([*ROWS, "xa_c,X,commune,,2026,alpha.one,9,,"]).encode(),
}
# Files the Arrow path must leave to the csv module (both readers' results still compared).
UNUSUAL = {
    "quoted line break": text([ROWS[0], 'bo_x,Bộ X,ministry,,2026,alpha.pct,40,,"dòng một\ndòng hai"', *ROWS[2:]])
    .encode(),
    "quoted CRLF line break": text([ROWS[0], 'bo_x,B,ministry,,2026,alpha.pct,40,,"một\r\nhai"'], end="\r\n").encode(),
    "lone CR line ends": text(end="\r").encode(),
    "blank line and a quoted line break": text(["", ROWS[0], 'bo_x,B,ministry,,2026,alpha.pct,40,,"một\n\nhai"', ""])
    .encode(),
    "CR inside a field": text([*ROWS, "xa_c,X\rY,commune,tinh_q,2026,alpha.one,3,,"]).encode(),
    "quote inside a field": text([*ROWS, 'xa_c,X "Y" Z,commune,tinh_q,2026,alpha.one,3,,']).encode(),
    "text after a closing quote": text([*ROWS, 'xa_c,"X"Y,commune,tinh_q,2026,alpha.one,3,,']).encode(),
    "space before a quote": text([*ROWS, 'xa_c, "X",commune,tinh_q,2026,alpha.one,3,,']).encode(),
    "unclosed quote": text([*ROWS, 'xa_c,"X,commune,tinh_q,2026,alpha.one,3,,']).encode(),
    "quoted quote at a line end": text([*ROWS, 'xa_c,X,commune,tinh_q,2026,alpha.one,3,,"a""']).encode(),
    "short row": text([*ROWS, "xa_c,X,commune,tinh_q,2026,alpha.one"]).encode(),
    "long row": text([*ROWS, "xa_c,X,commune,tinh_q,2026,alpha.one,3,,,extra"]).encode(),
    "not UTF-8": text().encode().replace("Đ".encode(), "Đ".encode("cp1258")),
    "surrogate bytes": text().encode().replace(b"Ea Kao", b"Ea \xed\xa0\x80Kao"),
    "not UTF-8 in the header": text().encode().replace(b"agency_name", b"agency_n\xe0me"),
    "UTF-16": text().encode("utf-16"),
    "NUL byte": text().encode().replace(b"Ea Kao", b"Ea\x00Kao"),
    "escape byte": text().encode().replace(b"Ea Kao", b"Ea\x1bKao"),
    "DEL byte": text().encode().replace(b"Ea Kao", b"Ea\x7fKao"),
    "header only": (HEADER + "\n").encode(),
    "header only, no line break": HEADER.encode(),
    "header and blank lines": (HEADER + "\n\n\r\n").encode(),
    "empty": b"",
    "blank": b" \n\n",
    "semicolons": text().replace(",", ";").encode(),
    "duplicate column": text(header=HEADER.replace("evidence", "answer")).encode(),
    "missing column": text(header=HEADER.replace("answer", "value")).encode(),
    "header over two lines": text(header=HEADER.replace("agency_name", '"agency\nname"')).encode(),
    "BOM twice": codecs.BOM_UTF8 * 2 + text().encode(),
    "BOM starting the second line": text().encode().replace(b"\nbo_x", b"\n" + codecs.BOM_UTF8 + b"bo_x", 1),
}


@pytest.fixture(scope="module")
def mini_bundle(mini: Bundle) -> Bundle:
    return mini


@contextmanager
def careful_path_only() -> Iterator[None]:
    with mock.patch.object(bulk_csv, "_regular_records", lambda raw, limits: None):
        yield


def read_table(raw: bytes) -> tuple[pd.DataFrame, list[str]] | list[str]:
    """The table and warnings read from `raw`, or the problems that refused the file."""
    try:
        table, problems = bulk_csv._read_csv_table(raw, "bulk.csv", DEFAULT_LIMITS)
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return table, [str(p) for p in problems]


def assert_same_reading(raw: bytes, bundle: Bundle) -> None:
    fast = read_table(raw)
    with careful_path_only():
        careful = read_table(raw)
    if isinstance(careful, list):
        assert fast == careful
    else:
        assert not isinstance(fast, list), fast
        pd.testing.assert_frame_equal(fast[0], careful[0], check_exact=True)
        assert fast[1] == careful[1]
    fast_frame, fast_problems = parse_bulk_csv(raw, "bulk.csv", bundle)
    with careful_path_only():
        careful_frame, careful_problems = parse_bulk_csv(raw, "bulk.csv", bundle)
    pd.testing.assert_frame_equal(fast_frame, careful_frame, check_exact=True)
    assert [(str(p), p.warning) for p in fast_problems] == [(str(p), p.warning) for p in careful_problems]


def takes_arrow_path(raw: bytes) -> bool:
    return bulk_csv._regular_records(raw, DEFAULT_LIMITS) is not None


@pytest.mark.parametrize("raw", REGULAR.values(), ids=REGULAR.keys())
def test_regular_files_are_read_by_arrow_as_the_csv_module_reads_them(raw: bytes, mini_bundle: Bundle):
    assert takes_arrow_path(raw)
    assert_same_reading(raw, mini_bundle)


def test_blank_lines_are_skipped_with_the_file_lines_kept():
    table, _ = read_table(REGULAR["blank line"])  # type: ignore[misc]
    assert list(table["_line"]) == [2, 3, 5, 6, 7, 8]
    table, _ = read_table(REGULAR["blank lines at the start and the end, CRLF"])  # type: ignore[misc]
    assert list(table["_line"]) == [4, 5, 6, 7, 8, 9]


def test_regular_file_texts_lines_and_warnings_hand_checked():
    table, warnings = read_table(REGULAR["unused column"])  # type: ignore[misc]
    assert list(table["_line"]) == [2, 3, 4, 5, 6, 7]
    assert list(table["agency_name"])[:2] == ["Bộ Kế hoạch, Đầu tư"] * 2
    assert list(table["evidence"]) == ["Quyết định 12, ngày 1/2", 'Báo cáo "Dữ liệu mở"', "", "", "có khoảng trắng",
                                       "=không phải công thức"]  # our exports' formula guard undone
    assert list(table["na_reason"]) == ["", "", "Chưa có hệ thống", "", "", ""]
    assert table["agency_name"].iloc[4] == "UBND xã Ea Kao"
    assert warnings == ["bulk.csv:1: warning: column(s) 'comment' are not used and were ignored "
                        "(the columns read are agency_id,agency_name,agency_type,province,round,question_id,answer,"
                        "na_reason,evidence)"]


@pytest.mark.parametrize("raw", UNUSUAL.values(), ids=UNUSUAL.keys())
def test_unusual_files_go_the_careful_way_with_the_same_result(raw: bytes, mini_bundle: Bundle):
    assert not takes_arrow_path(raw)
    assert_same_reading(raw, mini_bundle)


def test_unusual_files_keep_their_line_numbers(mini_bundle: Bundle):
    table, _ = read_table(UNUSUAL["quoted line break"])  # type: ignore[misc]
    assert list(table["_line"]) == [2, 3, 5, 6, 7, 8]
    assert read_table(UNUSUAL["short row"]) == [
        "bulk.csv:8: this row has 6 fields but the header has 9; the file is damaged "
        "(nothing in it was imported: fix the row and import the file again)"]


CSV_KINDS = [k for k in all_kinds() if k.suffix == "csv" and k.name != "csv_file_50_mb"]


@pytest.mark.parametrize("kind", CSV_KINDS, ids=[k.name for k in CSV_KINDS])
def test_every_hostile_csv_reads_the_same_both_ways(kind: Kind):
    assert_same_reading(kind.build(), corpus_bundle())


def test_a_file_over_the_size_limit_is_left_to_the_careful_path():
    raw = text().encode()
    assert bulk_csv._regular_records(raw, replace(DEFAULT_LIMITS, max_csv_bytes=len(raw) - 1)) is None


def test_cli_json_and_table_are_byte_identical_both_ways(tmp_path: Path):
    """A generated population (quoted names with commas, Vietnamese text), also saved with a BOM and
    CRLF line ends as Excel writes it: the CLI's output is the same bytes whichever reader read it."""
    plain = tmp_path / "population.csv"
    assert main(["generate", "--agencies", "120", "--rounds", "2", str(plain)]) == 0
    excel = tmp_path / "excel.csv"
    excel.write_bytes(codecs.BOM_UTF8 + plain.read_bytes().replace(b"\n", b"\r\n"))
    assert b'"' in plain.read_bytes() and "ệ".encode() in plain.read_bytes()
    for path in (plain, excel):
        assert takes_arrow_path(path.read_bytes())
        for form in ("json", "table"):
            fast, careful = tmp_path / f"fast.{form}", tmp_path / f"careful.{form}"
            assert main(["score", str(path), "--format", form, "-o", str(fast)]) == 0
            with careful_path_only():
                assert main(["score", str(path), "--format", form, "-o", str(careful)]) == 0
            assert fast.read_bytes() == careful.read_bytes()


# Random files built from cells made of the characters that make CSV hard (plain, quoted as a
# spreadsheet quotes, or raw), with LF or CRLF line ends: whenever Arrow reads one, the csv module must
# read the same table, and a file the careful path refuses Arrow must not have read.
_CHARS = ["a", "é", "Đ", "1", ",", '"', "\n", "\r", " ", "\ufeff", "\\", "'=", "\x85", "\t"]
_TEXT = st.lists(st.sampled_from(_CHARS), max_size=6).map("".join)
_PLAIN = _TEXT.map(lambda t: t.replace('"', "").replace(",", "").replace("\n", "").replace("\r", ""))
_QUOTED = _TEXT.map(lambda t: '"' + t.replace('"', '""') + '"')
_CELL = st.one_of(_PLAIN, _PLAIN, _PLAIN, _QUOTED, _QUOTED, _TEXT)
_ROW = st.one_of(
    *[st.lists(_CELL, min_size=7, max_size=7).map(",".join)] * 4,
    st.lists(_CELL, min_size=6, max_size=8).map(",".join),
    st.sampled_from(["", "\r", " "]),  # blank lines (a CR, with a CRLF end: a blank line too)
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_ROW, min_size=1, max_size=4), end=st.sampled_from(["\n", "\r\n"]), last=st.booleans())
def test_random_files_read_the_same_both_ways(rows: list[str], end: str, last: bool):
    header = "agency_id,agency_name,agency_type,province,round,question_id,answer"
    raw = (end.join([header, *rows]) + (end if last else "")).encode()
    fast = read_table(raw)
    with careful_path_only():
        careful = read_table(raw)
    if isinstance(careful, list) or isinstance(fast, list):
        assert fast == careful
    else:
        pd.testing.assert_frame_equal(fast[0], careful[0], check_exact=True)
        assert fast[1] == careful[1]
