"""The bad-input corpus: every kind of broken or hostile file a civil servant (or an attacker) might
upload, built in code from one valid sample response so that nothing large is committed.

Every kind targets agency `xa_dak_ha`, round 2026, which the tests' store holds as a DRAFT: if a
kind were wrongly accepted, importing it would change stored rows, and the tests would see it.
`Kind.expect` is a piece of the message the person must see (so a vague message fails the test);
`Kind.line` is the line the message must name, when the problem has one.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from scoring.content import Bundle, load_bundle
from scoring.registry import declared_version
from scoring.response_frame import responses_frame
from scoring.responses import parse_response

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_responses" / "xa_dak_ha_2026.yaml"
TARGET = ("xa_dak_ha", "2026")
MB = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    name: str
    filename: str
    build: Callable[[], bytes]
    expect: str
    line: int | None = None

    @property
    def suffix(self) -> str:
        return self.filename.rsplit(".", 1)[-1]


@cache
def corpus_bundle() -> Bundle:
    """The content the sample answers (the version offered for new rounds)."""
    return load_bundle("dmm-vn", declared_version(SAMPLE.read_bytes()))


@cache
def base_text() -> str:
    """The valid sample, without its comment lines (so the line numbers below are easy to see), with
    an evidence note on its first answer if it has no notes."""
    lines = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    if "notes:" not in lines:
        first = lines[lines.index("answers:") + 1].strip().split(":")[0]
        lines += ["notes:", f"  {first}: {{evidence: 'Biên bản họp số 12'}}"]
    return "\n".join(lines) + "\n"


def base_lines() -> list[str]:
    return base_text().splitlines()


def line_of(prefix: str) -> int:
    """1-based line of the first line starting with `prefix` (after indentation)."""
    return next(i for i, line in enumerate(base_lines(), start=1) if line.strip().startswith(prefix))


def first_answer() -> str:
    return base_lines()[line_of("answers:")].strip().split(":")[0]  # the line after "answers:"


def numeric_answer() -> str:
    bundle = corpus_bundle()
    numeric = {q.id for q in bundle.questionnaire.questions if q.kind == "numeric"}
    return next(line.strip().split(":")[0] for line in base_lines() if line.strip().split(":")[0] in numeric)


def with_answer(question: str, value: str) -> bytes:
    """The base with the answer (not a note) to `question` replaced."""
    lines = base_lines()
    at = line_of(question + ":") - 1
    lines[at] = f"  {question}: {value}"
    return ("\n".join(lines) + "\n").encode()


def version_line() -> str:
    return next(line for line in base_lines() if line.startswith("version:"))


def replace(old: str, new: str, count: int = 1) -> bytes:
    text = base_text()
    assert old in text, old
    return text.replace(old, new, count).encode()


def insert_after(prefix: str, extra: str) -> bytes:
    lines = base_lines()
    at = line_of(prefix)
    return ("\n".join([*lines[:at], extra, *lines[at:]]) + "\n").encode()


# --- CSV -------------------------------------------------------------------------------------


@cache
def base_csv() -> str:
    response = parse_response(base_text().encode(), SAMPLE.name, corpus_bundle())
    return responses_frame([response]).to_csv(index=False, lineterminator="\n")


def csv_lines() -> list[str]:
    return base_csv().splitlines()


def csv_with_row(index: int, row: str) -> bytes:
    """The base CSV with data row `index` (1 = first data row, file line index + 1) replaced."""
    lines = csv_lines()
    lines[index] = row
    return ("\n".join(lines) + "\n").encode()


def csv_cells(index: int) -> list[str]:
    return csv_lines()[index].split(",")


def csv_with_cell(index: int, column: int, value: str) -> bytes:
    cells = csv_cells(index)
    cells[column] = value
    return csv_with_row(index, ",".join(cells))


ANSWER = 6  # column of `answer` in the CSV (agency_id, agency_name, agency_type, province, round, question_id)


# --- zips ------------------------------------------------------------------------------------


def zip_of(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb(size: int = 2 * 1024 * MB, declared: int | None = None) -> bytes:
    """A zip of a few MB whose one entry unpacks to `size` bytes of spaces (a 'YAML file'), its
    directory declaring `declared` bytes (the true size unless the archive lies).

    After a full flush deflate starts afresh, so the compressed form of each 1 MB of spaces is the
    same block: the body is that block repeated, built in milliseconds instead of compressing 2 GB.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b" " * MB) + compressor.flush(zlib.Z_FULL_FLUSH)
    body = block * (size // MB) + compressor.flush()
    return _one_entry_zip(b"bomb.yaml", body, size if declared is None else declared)


def _one_entry_zip(name: bytes, body: bytes, size: int) -> bytes:
    """A one-entry deflated zip (zip64 sizes) around a precomputed body; the CRC is not checked
    before the end of the entry, which a refused entry never reaches."""
    crc = 0
    extra = struct.pack("<HHQQ", 1, 16, size, len(body))
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 45, 0, 8, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(name),
                        len(extra)) + name + extra
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 45, 45, 0, 8, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                          len(name), len(extra), 0, 0, 0, 0, 0) + name + extra
    offset = len(local) + len(body)
    zip64_end = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, 1, 1, len(central), offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, offset + len(central), 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), 0xFFFFFFFF, 0)
    return local + body + central + zip64_end + locator + end


def many_entries(count: int = 10_000) -> bytes:
    return zip_of({f"r{i}.yaml": b"x: 1\n" for i in range(count)}, zipfile.ZIP_STORED)


def deep_lists(depth: int = 5_000) -> bytes:
    return b"answers: " + b"[" * depth + b"]" * depth + b"\n"


def deep_maps(depth: int = 2_000) -> bytes:
    return b"answers: " + b"{a: " * depth + b"1" + b"}" * depth + b"\n"


def alias_bomb() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def big_yaml(size: int = 50 * MB) -> bytes:
    """A response whose one evidence note is `size` bytes long (a 50 MB file)."""
    head = base_text() + f"notes:\n  {first_answer()}:\n    evidence: \""
    return head.encode() + b"x" * (size - len(head) - 2) + b'"\n'


def big_csv(size: int = 50 * MB) -> bytes:
    head = "agency_id,agency_name,agency_type,province,round,question_id,answer,na_reason,evidence\n"
    row = 'xa_dak_ha,"UBND xã Đắk Hà",commune,tinh_quang_ngai,2026,governance.strategy,3,,"'
    body = head + row
    return body.encode() + b"y" * (size - len(body.encode()) - 2) + b'"\n'


def _yaml_kinds() -> list[Kind]:
    q = first_answer
    a = line_of
    return [
        Kind("syntax_unclosed_bracket", "unclosed.yaml", lambda: with_answer(q(), "[3"), "YAML syntax error"),
        Kind("syntax_bad_indent", "indent.yaml", lambda: insert_after("answers:", " governance.bad: 3\n   x: 1"),
             "YAML syntax error"),
        Kind("tab_indent", "tab.yaml", lambda: replace(f"  {q()}:", f"\t{q()}:"), "'\\t'", a(q())),
        Kind("answers_is_a_list", "answers_list.yaml", lambda: replace("answers:\n", "answers: [1, 2]\nx:\n"),
             "answers"),
        Kind("agency_is_text", "agency_text.yaml", lambda: replace("agency:\n", "agency: xa_dak_ha\nagency_:\n"),
             "agency"),
        Kind("root_is_a_list", "root_list.yaml", lambda: b"- questionnaire: dmm-vn\n- answers: {}\n",
             "expected a mapping"),
        Kind("root_is_text", "root_text.yaml", lambda: b"just some words\n", "expected a mapping"),
        Kind("binary_garbage", "garbage.yaml", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not UTF-8"),
        Kind("unknown_question_id", "unknown_q.yaml", lambda: insert_after(q(), "  governance.nope: 3"),
             "unknown question id 'governance.nope'", a(q()) + 1),
        Kind("question_id_2_63", "qid_int.yaml", lambda: insert_after(q(), "  9223372036854775808: 3"),
             "unknown question id", a(q()) + 1),
        Kind("duplicate_answer_key", "dup_answer.yaml", lambda: insert_after(q(), f"  {q()}: 5"),
             "duplicate key", a(q()) + 1),
        Kind("duplicate_top_key", "dup_round.yaml", lambda: insert_after("round:", "round: '2027'"),
             "duplicate key 'round'", a("round:") + 1),
        Kind("answer_0", "answer_0.yaml", lambda: with_answer(q(), "0"), "is not a level", a(q())),
        Kind("answer_6", "answer_6.yaml", lambda: with_answer(q(), "6"), "is not a level", a(q())),
        Kind("answer_3_5", "answer_3_5.yaml", lambda: with_answer(q(), "3.5"), "is not a level", a(q())),
        Kind("answer_minus_1", "answer_minus_1.yaml", lambda: with_answer(q(), "-1"), "is not a level", a(q())),
        Kind("answer_three", "answer_three.yaml", lambda: with_answer(q(), "three"), "'three' is not an answer",
             a(q())),
        Kind("answer_yes", "answer_yes.yaml", lambda: with_answer(q(), "yes"), "is not an answer", a(q())),
        Kind("answer_empty", "answer_empty.yaml", lambda: with_answer(q(), ""), "empty answer", a(q())),
        Kind("answer_list", "answer_list.yaml", lambda: with_answer(q(), "[3, 4]"), "a list or mapping", a(q())),
        Kind("answer_400_digits", "answer_400.yaml", lambda: with_answer(q(), "9" * 400), "characters)", a(q())),
        Kind("answer_2_63", "answer_2_63.yaml", lambda: with_answer(q(), str(2**63)), "is not a level", a(q())),
        Kind("percent_150", "pct_150.yaml", lambda: with_answer(numeric_answer(), "150"), "out of range",
             a(numeric_answer())),
        Kind("percent_minus_5", "pct_neg.yaml", lambda: with_answer(numeric_answer(), "-5"), "out of range",
             a(numeric_answer())),
        Kind("percent_sign", "pct_sign.yaml", lambda: with_answer(numeric_answer(), "85%"), "without %",
             a(numeric_answer())),
        Kind("percent_decimal_comma", "pct_comma.yaml", lambda: with_answer(numeric_answer(), "'85,5'"),
             "decimal point", a(numeric_answer())),
        Kind("percent_400_digits", "pct_400.yaml", lambda: with_answer(numeric_answer(), "9" * 400),
             "(400 characters) is not an answer", a(numeric_answer())),
        Kind("percent_infinite", "pct_inf.yaml", lambda: with_answer(numeric_answer(), ".inf"), "not an answer",
             a(numeric_answer())),
        Kind("percent_nan", "pct_nan.yaml", lambda: with_answer(numeric_answer(), ".nan"), "not an answer",
             a(numeric_answer())),
        Kind("wrong_questionnaire", "wrong_q.yaml", lambda: replace("questionnaire: dmm-vn", "questionnaire: other"),
             "is not 'dmm-vn'", a("questionnaire:")),
        Kind("wrong_major_version", "v2.yaml", lambda: replace(version_line(), "version: 9.0.0"),
             "does not match", a("version:")),
        Kind("version_not_semver", "v_text.yaml", lambda: replace(version_line(), "version: one"),
             "MAJOR.MINOR.PATCH", a("version:")),
        Kind("agency_name_missing", "no_name.yaml", lambda: replace("  name: ", "  nam: "), "agency."),
        Kind("agency_unknown_field", "agency_extra.yaml", lambda: insert_after("id: xa_dak_ha", "  email: a@b.vn"),
             "unknown field", a("id: xa_dak_ha") + 1),
        Kind("unknown_top_field", "top_extra.yaml", lambda: insert_after("round:", "submitted_by: lan"),
             "unknown field", a("round:") + 1),
        Kind("round_missing", "no_round.yaml", lambda: replace("round: '2026'\n", ""), "round: required"),
        Kind("round_is_a_list", "round_list.yaml", lambda: replace("round: '2026'", "round: [2026]"), "round",
             a("round:")),
        Kind("agency_id_formula", "id_formula.yaml",
             lambda: replace("id: xa_dak_ha", 'id: "=HYPERLINK(\\"http://x\\",\\"y\\")"'), "is not allowed",
             a("id:")),
        Kind("agency_id_traversal", "id_path.yaml", lambda: replace("id: xa_dak_ha", "id: ../../etc/passwd"),
             "is not allowed", a("id:")),
        Kind("agency_id_newline", "id_newline.yaml", lambda: replace("id: xa_dak_ha", 'id: "xa\\nda"'),
             "is not allowed", a("id:")),
        Kind("agency_id_100_chars", "id_long.yaml", lambda: replace("id: xa_dak_ha", "id: " + "x" * 100),
             "too long", a("id:")),
        Kind("agency_id_int_2_63", "id_int.yaml", lambda: replace("id: xa_dak_ha", f"id: {2**63}"),
             "valid string", a("id:")),
        Kind("agency_name_nul_escape", "name_nul.yaml", lambda: replace("  name: ", '  name: "\\0"\n  x_: '),
             "agency."),
        Kind("agency_name_2400_chars", "name_long.yaml",
             lambda: replace("  name: ", "  name: " + "Ủy ban " * 400 + "\n  x_: "), "agency."),
        Kind("na_without_reason", "na_no_reason.yaml", lambda: with_answer(q(), "na"), "needs a reason", a(q())),
        Kind("note_unknown_question", "note_unknown.yaml",
             lambda: insert_after("notes:", "  governance.nope: {evidence: x}"), "unknown question id",
             a("notes:") + 1),
        Kind("note_too_long", "note_long.yaml",
             lambda: insert_after("notes:", f"  {numeric_answer()}: {{evidence: {'x' * 6000}}}"),
             "more than 5,000", a("notes:") + 1),
        Kind("two_documents", "two_docs.yaml", lambda: base_text().encode() + b"---\nround: '2027'\n",
             "YAML syntax error"),
        Kind("cp1258", "cp1258.yaml", lambda: replace("round:", "round:").decode().replace(
            "  name: ", "  name: Vi\u00ea\u0323t ").encode("utf-8").replace(
            "Vi\u00ea\u0323t".encode(), "Vi\u00ea\u0323t".encode("cp1258")), "not UTF-8", a("name:")),
        Kind("latin1", "latin1.yaml", lambda: replace("  name: ", "  name: Café ").replace(
            "Café".encode(), "Café".encode("latin-1")), "not UTF-8", a("name:")),
        Kind("utf16", "utf16.yaml", lambda: base_text().encode("utf-16"), "UTF-16", 1),
        Kind("utf16_no_bom", "utf16le.yaml", lambda: base_text().encode("utf-16-le"), "UTF-16", 1),
        Kind("bom_then_bad_answer", "bom.yaml", lambda: b"\xef\xbb\xbf" + with_answer(q(), "7"), "is not a level",
             a(q())),
        Kind("empty", "empty.yaml", lambda: b"", "empty"),
        Kind("whitespace_only", "blank.yaml", lambda: b"   \n\n    \n", "empty"),
        Kind("comments_only", "comments.yaml", lambda: b"# nothing here\n# at all\n", "empty"),
        Kind("nul_byte", "nul.yaml", lambda: replace("round:", "round:\x00"), "control character", a("round:")),
        Kind("escape_char", "esc.yaml", lambda: replace("  name: ", "  name: \x1b[31m"), "control character",
             a("name:")),
        Kind("file_50_mb", "big.yaml", big_yaml, "more than the limit"),
        Kind("deep_lists", "deep_lists.yaml", deep_lists, "nested more than"),
        Kind("deep_maps", "deep_maps.yaml", deep_maps, "nested more than"),
        Kind("alias_bomb", "laughs.yaml", alias_bomb, "more than"),
        Kind("many_aliases", "aliases.yaml",
             lambda: b"x: &x 1\ny: [" + b",".join([b"*x"] * 150) + b"]\n", "aliases"),
        Kind("python_object_tag", "pyobj.yaml",
             lambda: replace("answers:\n", "answers: !!python/object:os.system\n"), "!!python/object"),
        Kind("python_name_tag", "pyname.yaml", lambda: with_answer(q(), "!!python/name:os.system"),
             "!!python/name:os.system", a(q())),
        Kind("custom_tag", "tag.yaml", lambda: with_answer(q(), "!level 3"), "the tag !level", a(q())),
        Kind("binary_tag", "bin.yaml", lambda: with_answer(q(), "!!binary aGVsbG8="), "!!binary", a(q())),
        Kind("merge_key", "merge.yaml", lambda: base_text().replace("answers:\n", "answers: &ans\n").encode()
             + b"extra: {<<: *ans}\n", "merge keys"),
    ]


def _csv_kinds() -> list[Kind]:
    header = csv_lines()[0]
    return [
        Kind("csv_missing_column", "missing_col.csv",
             lambda: base_csv().replace("question_id,answer", "question_id,value", 1).encode(),
             "missing column(s) answer", 1),
        Kind("csv_extra_column_and_bad_row", "extra_col.csv",
             lambda: (header + ",comment\n" + "\n".join(line + ",x" for line in csv_with_cell(1, ANSWER, "9")
                                                             .decode().splitlines()[1:]) + "\n").encode(),
             "'comment' are not used"),
        Kind("csv_semicolons", "semicolon.csv", lambda: base_csv().replace(",", ";").encode(), "semicolons", 1),
        Kind("csv_tabs", "tabs.csv", lambda: base_csv().replace(",", "\t").encode(), "tabs", 1),
        Kind("csv_quoted_newline_then_bad", "quoted_newline.csv",
             lambda: csv_with_cell(1, 8, '"line one\nline two"') .replace(
                 csv_lines()[3].encode(), ",".join([*csv_cells(3)[:ANSWER], "7", *csv_cells(3)[ANSWER + 1:]]).encode()),
             "is not a level", 5),
        Kind("csv_utf16", "utf16.csv", lambda: base_csv().encode("utf-16"), "UTF-16", 1),
        Kind("csv_cp1258", "cp1258.csv", lambda: base_csv().encode().replace(
            "Đắk".encode(), "Đ".encode("cp1258"), 1), "not UTF-8", 2),
        Kind("csv_header_only", "header_only.csv", lambda: (header + "\n").encode(), "no rows", 2),
        Kind("csv_empty", "empty.csv", lambda: b"", "empty", 1),
        Kind("csv_whitespace", "blank.csv", lambda: b"  \n\n", "empty", 1),
        Kind("csv_row_missing_fields", "short_row.csv",
             lambda: csv_with_row(3, ",".join(csv_cells(3)[:3] + csv_cells(3)[4:ANSWER + 1])), "fields", 4),
        Kind("csv_first_row_extra_fields", "long_row.csv", lambda: csv_with_row(1, csv_lines()[1] + ",extra,more"),
             "fields", 2),
        Kind("csv_unterminated_quote", "quote.csv", lambda: csv_with_cell(2, 8, '"never closed'), "CSV"),
        Kind("csv_duplicate_header", "dup_header.csv",
             lambda: base_csv().replace("na_reason,evidence", "answer,evidence", 1).encode(), "twice", 1),
        Kind("csv_answer_formula", "formula.csv", lambda: csv_with_cell(1, ANSWER, "=1+2"), "is not a level", 2),
        Kind("csv_answer_at", "at.csv", lambda: csv_with_cell(1, ANSWER, "@SUM(A1)"), "is not a level", 2),
        Kind("csv_answer_plus", "plus.csv", lambda: csv_with_cell(1, ANSWER, "+HYPERLINK(1)"), "is not a level", 2),
        Kind("csv_answer_minus", "minus.csv", lambda: csv_with_cell(1, ANSWER, "-1"), "is not a level", 2),
        Kind("csv_agency_id_formula", "id_formula.csv",
             lambda: csv_with_cell(1, 0, "=cmd|'/C calc'!A0"), "is not allowed", 2),
        Kind("csv_answer_400_digits", "answer_400.csv", lambda: csv_with_cell(1, ANSWER, "9" * 400),
             "is not a level", 2),
        Kind("csv_answer_2_63", "answer_2_63.csv", lambda: csv_with_cell(1, ANSWER, str(2**63)), "is not a level", 2),
        Kind("csv_question_id_2_63", "qid_2_63.csv", lambda: csv_with_cell(1, 5, str(2**63)), "unknown question", 2),
        Kind("csv_agency_id_100_chars", "id_long.csv", lambda: csv_with_cell(1, 0, "x" * 100), "is not allowed", 2),
        Kind("csv_nul_byte", "nul.csv", lambda: csv_with_cell(1, 1, "UBND\x00"), "control character", 2),
        Kind("csv_answer_percent_sign", "pct.csv", lambda: csv_with_cell(1, ANSWER, "85%"), "not a level", 2),
        Kind("csv_answer_three", "three.csv", lambda: csv_with_cell(1, ANSWER, "three"), "not a level", 2),
        Kind("csv_na_without_reason", "na.csv", lambda: csv_with_cell(1, ANSWER, "na"), "needs a reason", 2),
        Kind("csv_note_too_long", "note.csv", lambda: csv_with_cell(1, 8, "z" * 6000), "longer than 5,000", 2),
        Kind("csv_unknown_question", "unknown_q.csv", lambda: csv_with_cell(1, 5, "governance.nope"),
             "unknown question id", 2),
        Kind("csv_duplicate_question", "dup_q.csv", lambda: (base_csv() + csv_lines()[1] + "\n").encode(),
             "answered twice", len(csv_lines()) + 1),
        Kind("csv_commune_without_province", "no_prov.csv", lambda: csv_with_cell(1, 3, ""), "province", 2),
        Kind("csv_file_50_mb", "big.csv", big_csv, "this is not a bulk CSV", 2),
    ]


def _zip_kinds() -> list[Kind]:
    bad = with_answer(first_answer(), "9")
    return [
        Kind("zip_bomb_2_gb", "bomb.zip", zip_bomb, "more than"),
        Kind("zip_bomb_lying_sizes", "liar.zip", lambda: zip_bomb(declared=1_000), "cannot unpack this entry"),
        Kind("zip_path_traversal", "traversal.zip", lambda: zip_of({"../../evil.yaml": bad}), "nested paths"),
        Kind("zip_absolute_path", "absolute.zip", lambda: zip_of({"/etc/evil.yaml": bad}), "nested paths"),
        Kind("zip_nested_zip", "nested.zip", lambda: zip_of({"inner.zip": zip_of({"r.yaml": bad})}),
             "zip inside a zip"),
        Kind("zip_10000_entries", "many.zip", many_entries, "entries, more than the limit"),
        Kind("zip_not_a_zip", "fake.zip", lambda: b"this is not a zip archive at all", "not a zip"),
        Kind("zip_truncated", "truncated.zip", lambda: zip_of({"r.yaml": bad})[:60], "not a zip"),
        Kind("zip_empty", "empty.zip", lambda: zip_of({}), "no response files"),
        Kind("zip_comments_bomb", "comments.zip",
             lambda: zip_of({"r.yaml": b"# " + b"comment " * (24 * MB // 8)}), "more than"),
        Kind("zip_bad_entry", "bad_entry.zip", lambda: zip_of({"r.yaml": bad}), "is not a level"),
    ]


@cache
def all_kinds() -> tuple[Kind, ...]:
    kinds = (*_yaml_kinds(), *_csv_kinds(), *_zip_kinds())
    names = [k.name for k in kinds]
    assert len(names) == len(set(names)), "kind names must be unique"
    return kinds


@cache
def built(name: str) -> bytes:
    """A kind's bytes, built once per test session."""
    return next(k for k in all_kinds() if k.name == name).build()
