"""The coordinators' bulk long CSV (`agency_id,agency_name,agency_type,province,round,question_id,answer`
[`,na_reason,evidence`]) read as validated answers, vectorised: problems count file lines; a row with the
wrong number of fields, or whose agency id or round breaks the rules, refuses the whole file; a bad value
leaves out its agency-round whole; unused columns are a warning.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import gc
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from scoring.answers import NOT_APPLICABLE, PROVIDED, SPECIAL, canonical_value
from scoring.content import Bundle
from scoring.decoding import decode_text
from scoring.errors import ContentError, Problem
from scoring.identifiers import (
    ID_RULE,
    MAX_NAME_CHARS,
    MAX_ROUND_CHARS,
    bad_agency_ids,
    bad_notes,
    bad_texts,
)
from scoring.limits import DEFAULT_LIMITS, InputLimits
from scoring.regular_csv import regular_records
from scoring.response_checks import EXPECTED_ANSWER
from scoring.response_frame import ANSWER_COLUMNS, NOTE_COLUMNS, empty_answer_frame
from scoring.schemas.base import AGENCY_TYPES
from scoring.spreadsheet_safety import restore_texts

MAX_PROBLEMS_PER_FILE = 50


def _read_csv_table(raw: bytes, name: str, limits: InputLimits) -> tuple[pd.DataFrame, list[Problem]]:
    """The bulk CSV as a table of texts with a `_line` column (the FILE line each record starts on,
    so a quoted line break inside a cell does not shift the numbers), or the problems that make the
    whole file unreadable. A row with too few or too many fields cannot be attributed safely to an
    agency and round, so it refuses the whole file rather than import a partial assessment.

    A regular file (the usual one) is read by Arrow; anything else, and every file with a problem,
    by the csv module, record by record where needed, which says exactly which line is wrong."""
    regular = _regular_records(raw, limits)
    header, columns, lines = regular if regular else _checked_records(raw, name, limits)
    problems: list[Problem] = []
    unused = [c for c in header if c not in (*ANSWER_COLUMNS, *NOTE_COLUMNS)]
    if unused:
        problems.append(
            Problem(
                name,
                1,
                f"column(s) {', '.join(map(repr, unused))} are not used and were ignored "
                f"(the columns read are {','.join([*ANSWER_COLUMNS, *NOTE_COLUMNS])})",
                warning=True,
            )
        )
    table = pd.DataFrame({c: _text_column(v) for c, v in columns.items()})
    del columns
    for column in NOTE_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    table = table[[*ANSWER_COLUMNS, *NOTE_COLUMNS]].apply(lambda column: column.str.strip())
    for column in ("agency_name", *NOTE_COLUMNS):  # texts our own CSV exports protected against formulas
        table[column] = restore_texts(table[column])
    table["_line"] = lines
    return table, problems


Records = tuple[list[str], dict[str, pa.Array], range | list[int] | np.ndarray]


def _longest_line(limits: InputLimits) -> int:
    """The most characters a line of a bulk CSV may have: every column full, and some slack."""
    return limits.max_note_chars * (len(ANSWER_COLUMNS) + len(NOTE_COLUMNS)) + 1_000


def _regular_records(raw: bytes, limits: InputLimits) -> Records | None:
    """The header, columns and record lines of a regular file (one record per non-blank line from
    line 2, see `scoring.regular_csv`) read by Arrow, or None: then `_checked_records` reads it."""
    if len(raw) > limits.max_csv_bytes or _may_have_line_longer_than(raw, _longest_line(limits)):
        return None
    try:
        records = _csv_reader(raw)
        header = [h.strip() for h in next(records)]
    except (csv.Error, StopIteration, UnicodeDecodeError):
        return None
    if records.line_num != 1 or _header_problem(header):
        return None
    read = regular_records(raw, header)
    return None if read is None else (header, *read)


def _checked_records(raw: bytes, name: str, limits: InputLimits) -> Records:
    """The header, columns and record lines read by the csv module, after every check of the whole
    file; ContentError (file:line) for the first problem that makes the whole file unreadable."""
    longest = _longest_line(limits)
    text = decode_text(raw, name, limits.max_csv_bytes)
    if not text.strip():
        raise ContentError.single(name, 1, f"the file is empty (expected the header {','.join(ANSWER_COLUMNS)})")
    first = text.lstrip().split("\n", 1)[0]
    for separator, what in ((";", "semicolons (;)"), ("\t", "tabs")):
        if separator in first and "," not in first:
            raise ContentError.single(
                name, 1, f"the columns are separated by {what}; save the file as CSV with commas (CSV UTF-8)"
            )
    if _may_have_line_longer_than(raw, longest):
        too_long = re.search(rf"(?m)^[^\n]{{{longest},}}", text)
        if too_long:
            line = text.count("\n", 0, too_long.start()) + 1
            raise ContentError.single(name, line, f"a line of more than {longest:,} characters; this is not a bulk CSV")
    with _no_cyclic_gc():
        header, rows, lines = _csv_records(raw, name)
    problem = _header_problem(header)
    if problem:
        raise ContentError.single(name, 1, problem)
    if not rows:
        raise ContentError.single(name, 2, "the file has a header but no rows of answers")
    with _no_cyclic_gc():  # column by column: a DataFrame built from row lists is about 3x slower
        by_column = zip(*rows, strict=True)
        columns = {c: pa.array(v, type=pa.large_string()) for c, v in zip(header, by_column, strict=True)}
    return header, columns, lines


def _header_problem(header: list[str]) -> str | None:
    """Why the header makes the whole file unreadable, or None."""
    if len(set(header)) != len(header):
        return "a column name appears twice in the header"
    missing = [c for c in ANSWER_COLUMNS if c not in header]
    if missing:
        return f"missing column(s) {', '.join(missing)} (expected {','.join(ANSWER_COLUMNS)})"
    return None


def _text_column(texts: pa.Array) -> pd.Series:
    """A column of texts as pandas' string dtype (Arrow's texts taken as they are: half the time of
    pandas' own conversion from an object array, which checks every element first)."""
    return pd.Series(pd.array(texts, dtype="str"))


def _may_have_line_longer_than(raw: bytes, longest: int) -> bool:
    """False when no line can have more than `longest` characters. A line has at least as many bytes
    as characters, so a file without `longest` bytes in a row free of line breaks has no such line;
    only a file with a long line needs its text searched. From each line start reached, the last
    line break within the next `longest` bytes is the next start: about one step per `longest`
    bytes, each searching back over one short line (no pass over the whole file)."""
    start = 0
    while len(raw) - start >= longest:
        last_break = raw.rfind(b"\n", start, start + longest)
        if last_break < 0:
            return True
        start = last_break + 1
    return False


def _csv_records(raw: bytes, name: str) -> tuple[list[str], list[list[str]], list[int] | range]:
    """The header, the non-empty records and the file line each record starts on.

    Lines are split at "\n" only and read in C from the bytes already held (no second copy of a
    large file). When every line is one record (no quoted line break: the usual file), the records
    are taken in one call and numbered by position; otherwise, or on any irregularity, the file is
    read record by record, which says exactly which line is wrong."""
    with contextlib.suppress(csv.Error, StopIteration):
        records = _csv_reader(raw)
        header = [h.strip() for h in next(records)]
        first = records.line_num + 1
        every = list(records)
        n_lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
        if len(every) == n_lines - first + 1 and all(len(r) == len(header) for r in every if r):
            rows = [r for r in every if r]
            if len(rows) == len(every):
                return header, rows, range(first, first + len(rows))
            return header, rows, [first + i for i, r in enumerate(every) if r]
    return _csv_records_one_by_one(raw, name)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: building hundreds of thousands of small row lists
    triggers full collections that scan them again and again (half the time of reading a CSV);
    they hold no cycles, and reference counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _csv_reader(raw: bytes) -> Any:
    return csv.reader(io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig", newline="\n"), strict=True)


def _csv_records_one_by_one(raw: bytes, name: str) -> tuple[list[str], list[list[str]], list[int]]:
    reader = _csv_reader(raw)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        header = [h.strip() for h in next(reader)]
        start = reader.line_num + 1
        width = len(header)
        for row in reader:
            if row and len(row) != width:
                raise ContentError.single(
                    name,
                    start,
                    f"this row has {len(row)} fields but the header has {width}; the file is damaged "
                    "(nothing in it was imported: fix the row and import the file again)",
                )
            if row:
                rows.append(row)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ContentError.single(name, start, f"cannot read as CSV: {exc}") from None
    return header, rows, lines


def parse_bulk_csv(
    raw: bytes, name: str, bundle: Bundle, limits: InputLimits = DEFAULT_LIMITS
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a long CSV with vectorised checks; assessments with a bad row are left out whole."""
    try:
        table, problems = _read_csv_table(raw, name, limits)
    except ContentError as exc:
        return empty_answer_frame(), exc.problems
    line = table.pop("_line")
    reasons = pd.Series("", index=table.index)
    flagged = pd.Series(False, index=table.index)  # the rows with a reason (not compared as texts per check)

    def flag(mask: pd.Series, message: str | Callable[[pd.Series], pd.Series]) -> None:
        """Give the rows of `mask` without a reason yet `message`: a text, or a function of the row
        selection building the texts of those rows only (most files have no problem: no message
        is built for 250,000 good rows)."""
        nonlocal reasons, flagged
        new = mask & ~flagged
        if new.any():
            reasons = reasons.mask(new, message(new) if callable(message) else message)
            flagged = flagged | new

    @functools.cache
    def factorized(column: str) -> tuple[np.ndarray, pd.Index]:
        """The column's codes and distinct values, once per column: the checks below work on the few
        thousand distinct texts of a 250,000-row file, then spread the verdicts by the codes."""
        return pd.factorize(table[column], use_na_sentinel=False)

    def each_distinct(column: str, check: Callable[[pd.Series], pd.Series]) -> pd.Series:
        """An element-wise vectorised `check` (True: bad) of the column, computed per distinct value."""
        codes, uniques = factorized(column)
        return pd.Series(check(pd.Series(uniques)).to_numpy(dtype=bool)[codes], index=table.index)

    flag(each_distinct("agency_id", bad_agency_ids),
         lambda m: "agency_id " + _cut(table.loc[m, "agency_id"]) + f" is not allowed ({ID_RULE})")
    flag(each_distinct("round", lambda v: bad_texts(v, MAX_ROUND_CHARS)),
         f"round must be one line of 1-{MAX_ROUND_CHARS} characters")
    unmatched = flagged
    if unmatched.any():
        # A row whose agency or round cannot be read cannot be matched to its assessment: leaving
        # out only "its" agency-round could import the rest of a real assessment without that row.
        problems += [Problem(name, int(n), str(r)) for n, r in zip(line[unmatched], reasons[unmatched], strict=True)]
        problems.append(Problem(name, None, "nothing in this file was imported: fix the rows above and import again"))
        return empty_answer_frame(), problems[: MAX_PROBLEMS_PER_FILE + 1]
    flag(
        each_distinct("province", lambda v: (v != "") & bad_agency_ids(v)),
        lambda m: "province " + _cut(table.loc[m, "province"]) + f" is not a province id ({ID_RULE})",
    )
    flag(
        each_distinct("agency_name", lambda v: bad_texts(v, MAX_NAME_CHARS)),
        f"agency_name must be one line of 1-{MAX_NAME_CHARS} characters",
    )
    for column in NOTE_COLUMNS:
        flag(
            each_distinct(column, lambda v: bad_notes(v, limits.max_note_chars)),
            f"{column} is longer than {limits.max_note_chars:,} characters or holds a control character",
        )
    questions = bundle.question_table
    known = table["question_id"].isin(questions.index)
    flag(~known, lambda m: "unknown question id " + _cut(table.loc[m, "question_id"]))
    # Per distinct question id, then spread by its codes (a map over 250,000 texts was seconds).
    question_codes, question_uniques = factorized("question_id")
    per_question = questions.reindex(question_uniques)
    kinds = per_question["kind"].to_numpy(dtype=object)[question_codes]
    is_level, is_numeric = (pd.Series(kinds == k, index=table.index) for k in ("level", "numeric"))
    low, high = (pd.Series(per_question[c].to_numpy()[question_codes], index=table.index) for c in ("low", "high"))
    asked_by_type = pd.DataFrame(  # distinct question x agency type: is it asked?
        [[q.applies(t) for t in AGENCY_TYPES] for q in bundle.questionnaire.questions],
        index=[q.id for q in bundle.questionnaire.questions],
    ).reindex(question_uniques, fill_value=False).to_numpy(dtype=bool)
    type_codes, types = factorized("agency_type")
    type_column = pd.Index(AGENCY_TYPES).get_indexer(types)[type_codes]  # -1: not an agency type
    asked = pd.Series((type_column >= 0) & asked_by_type[question_codes, np.maximum(type_column, 0)], index=table.index)
    flag(
        known & table["agency_type"].isin(AGENCY_TYPES) & ~asked,
        lambda m: table.loc[m, "question_id"] + ": this question is not asked of a " + table.loc[m, "agency_type"],
    )
    providable = pd.Series(pd.Series({q.id: q.providable for q in bundle.questionnaire.questions})
                           .reindex(question_uniques).to_numpy()[question_codes], index=table.index)
    is_provided = table["answer"] == PROVIDED
    flag(
        known & is_provided & ~(providable.fillna(False).astype(bool) & (table["agency_type"] == "commune")),
        lambda m: table.loc[m, "question_id"]
        + ": 'provided' is only for a commune, on questions its province can provide",
    )
    special = table["answer"].isin(SPECIAL) | is_provided
    answer_codes, answer_uniques = pd.factorize(table["answer"])
    number = pd.Series(pd.to_numeric(pd.Series(answer_uniques, dtype=object), errors="coerce").astype(float)
                       .to_numpy()[answer_codes], index=table.index)
    number = number.where(np.isfinite(number))
    level_ok = is_level & number.isin([1, 2, 3, 4, 5])
    numeric_ok = is_numeric & number.between(low, high)
    flag(
        known & ~special & ~level_ok & ~numeric_ok & is_level,
        lambda m: table.loc[m, "question_id"] + ": " + _cut(table.loc[m, "answer"])
        + f" is not a level ({EXPECTED_ANSWER})",
    )
    flag(
        known & ~special & ~numeric_ok & is_numeric,
        lambda m: table.loc[m, "question_id"]
        + ": "
        + _cut(table.loc[m, "answer"])
        + " is not a percentage from "
        + low[m].map("{:g}".format, na_action="ignore").fillna("")
        + " to "
        + high[m].map("{:g}".format, na_action="ignore").fillna("")
        + " (a number with a decimal point and no %, or na or dont_know)",
    )
    if bundle.rubric.not_applicable.requires_reason:
        flag(
            (table["answer"] == NOT_APPLICABLE) & (table["na_reason"] == ""),
            lambda m: table.loc[m, "question_id"] + ": 'na' needs a reason in the na_reason column",
        )
    flag(
        ~table["agency_type"].isin(AGENCY_TYPES),
        lambda m: "agency_type " + table.loc[m, "agency_type"].map(repr) + " must be one of " + ", ".join(AGENCY_TYPES),
    )
    flag((table["agency_type"] == "commune") & (table["province"] == ""), "a commune must name its province")
    flag((table["agency_id"] == "") | (table["round"] == ""), "agency_id and round must not be empty")
    agency_codes = factorized("agency_id")[0]
    answer_key = _combined_codes(agency_codes, factorized("round")[0], question_codes)
    duplicated = pd.Series(answer_key, index=table.index).duplicated(keep="first")
    flag(duplicated, lambda m: "question " + table.loc[m, "question_id"] + " answered twice for this agency and round")
    # An agency with more than one distinct (name, type, province) on its rows.
    profile = _combined_codes(*(factorized(c)[0] for c in ("agency_name", "agency_type", "province")))
    profile_count = int(profile.max(initial=-1)) + 1
    agency_of_pair = pd.unique(agency_codes * profile_count + profile) // profile_count
    profiles_per_agency = np.bincount(agency_of_pair, minlength=len(factorized("agency_id")[1]))
    inconsistent = pd.Series(profiles_per_agency[agency_codes] > 1, index=table.index)
    flag(inconsistent,
         lambda m: "agency " + table.loc[m, "agency_id"] + " has different names, types or provinces on different rows")

    bad = flagged
    row_problems = [Problem(name, int(n), str(r)) for n, r in zip(line[bad], reasons[bad], strict=True)]
    if len(row_problems) > MAX_PROBLEMS_PER_FILE:
        extra = len(row_problems) - MAX_PROBLEMS_PER_FILE
        row_problems = [*row_problems[:MAX_PROBLEMS_PER_FILE], Problem(name, None, f"... and {extra} more problems")]
    problems += row_problems
    bad_assessments = table.loc[bad, ["agency_id", "round"]].drop_duplicates()
    if not bad_assessments.empty:
        key = table["agency_id"] + "\x1f" + table["round"]
        bad_keys = set(bad_assessments["agency_id"] + "\x1f" + bad_assessments["round"])
        table = table[~key.isin(bad_keys)]
        problems.append(Problem(name, None, f"{len(bad_keys)} agency-round(s) left out because of the problems above"))
    good = table.copy()
    good["answer"] = good["answer"].where(
        special[good.index], _per_distinct(number[good.index], canonical_value)
    )
    good["province"] = good["province"].replace("", None)
    for column in NOTE_COLUMNS:
        good[column] = good[column].replace("", None)
    return good.reset_index(drop=True), problems


def _combined_codes(*codes: np.ndarray) -> np.ndarray:
    """One code per distinct combination of the given codes (row by row), combined a pair at a time
    and factorised again, so that no number grows past rows x rows."""
    combined = codes[0]
    for more in codes[1:]:
        combined = pd.factorize(combined * (int(more.max(initial=-1)) + 1) + more)[0]
    return combined


def _per_distinct(values: pd.Series, convert: Callable[[Any], Any]) -> pd.Series:
    """`convert` of every non-missing value, computed once per distinct value."""
    codes, uniques = pd.factorize(values)
    converted = np.array([convert(u) for u in uniques] + [None], dtype=object)
    return pd.Series(converted[codes], index=values.index, dtype=object)


def _cut(values: pd.Series, width: int = 40) -> pd.Series:
    """Texts quoted for messages, long ones cut (a 50 MB cell is not repeated in a message)."""
    shown = values.str.slice(0, width).map(repr)
    return shown.where(values.str.len() <= width, shown.str.slice(0, -1) + "...'")
