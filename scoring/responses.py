"""Agency responses in, as validated data: one YAML file per agency and round, or a bulk long CSV.

Everything ends up in one long frame (`ANSWER_COLUMNS`), the engine's only input, so a response
typed in the app, imported from YAML or loaded from a coordinator's CSV is scored the same way.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import logging
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from scoring.answers import DONT_KNOW, NOT_APPLICABLE, PROVIDED, SPECIAL, canonical_value
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
    note_problem,
)
from scoring.limits import DEFAULT_LIMITS, InputLimits
from scoring.schemas.base import AGENCY_TYPES
from scoring.schemas.questionnaire import Questionnaire
from scoring.schemas.response import Response
from scoring.spreadsheet_safety import restore_texts
from scoring.yamlio import LocatedDocument, parse_yaml_bytes, read_limited, validate_document

log = logging.getLogger(__name__)

AGENCY_COLUMNS = ["agency_id", "agency_name", "agency_type", "province"]
ANSWER_COLUMNS = [*AGENCY_COLUMNS, "round", "question_id", "answer"]
NOTE_COLUMNS = ["na_reason", "evidence"]
MAX_PROBLEMS_PER_FILE = 50
EXPECTED_ANSWER = "expected 1-5, na or dont_know"


@dataclass
class LoadedResponses:
    """Answers that passed validation, and the problems of what did not."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    files_read: int = 0

    @property
    def assessment_count(self) -> int:
        return 0 if self.frame.empty else len(self.frame[["agency_id", "round"]].drop_duplicates())


def empty_answer_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in [*ANSWER_COLUMNS, *NOTE_COLUMNS]})


# --- single responses ----------------------------------------------------------------------


def check_answer(
    questionnaire: Questionnaire, question_id: str, value: object, agency_type: str | None = None
) -> str | None:
    """Why `value` is not an allowed answer to the question (from this agency type), or None when it is."""
    try:
        question = questionnaire.question(question_id)
    except KeyError:
        return f"unknown question id {question_id!r} (see `python -m scoring template` for the ids)"
    if agency_type is not None and not question.applies(agency_type):
        asked_of = ", ".join(question.agency_types)
        return f"{question_id}: this question is not asked of a {agency_type} (it applies to {asked_of})"
    if value == PROVIDED:
        if not question.providable:
            return f"{question_id}: 'provided' is only for questions a commune's province can provide"
        if agency_type not in (None, "commune"):
            return f"{question_id}: 'provided' is only for communes (the province's shared platform provides it)"
        return None
    expected = _expected(question.kind, question.low, question.high)
    if isinstance(value, str):
        if value in SPECIAL:
            return None
        return f"{question_id}: {_shown(value)} is not an answer ({expected}{_number_hint(value)})"
    number = _finite_number(value)
    if number is None:
        return f"{question_id}: {_shown(value)} is not an answer ({expected})"
    if question.kind == "level":
        if not number.is_integer() or not 1 <= number <= 5:
            return f"{question_id}: {_shown(value)} is not a level ({EXPECTED_ANSWER})"
        return None
    if not question.low <= number <= question.high:
        return f"{question_id}: {_shown(value)} is out of range ({expected})"
    return None


def _finite_number(value: object) -> float | None:
    """A plain finite number as a float; None for booleans, huge integers, NaN, infinity and the rest."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # a 400-digit integer
        return None
    return number if math.isfinite(number) else None


def _shown(value: object) -> str:
    """A value as quoted in a message, cut to a readable length (a 400-digit number is not shown whole)."""
    shown = repr(value)
    return shown if len(shown) <= 40 else f"{shown[:30]}... ({len(shown)} characters)"


def _number_hint(text: str) -> str:
    if text.strip().endswith("%"):
        return "; write the number without %"
    if "," in text:
        return "; write decimals with a decimal point, e.g. 85.5"
    return ""


def _expected(kind: str, low: float, high: float) -> str:
    if kind == "level":
        return EXPECTED_ANSWER
    return f"expected a percentage from {low:g} to {high:g}, na or dont_know"


def check_response(
    response: Response, bundle: Bundle, doc: LocatedDocument, limits: InputLimits = DEFAULT_LIMITS
) -> list[Problem]:
    questionnaire = bundle.questionnaire
    problems: list[Problem] = []

    def add(location: tuple, message: str) -> None:
        problems.append(Problem(doc.path, doc.line_of(location), message))

    if response.questionnaire != questionnaire.id:
        add(("questionnaire",), f"questionnaire {response.questionnaire!r} is not {questionnaire.id!r}")
    if response.version.split(".")[0] != str(questionnaire.major):
        add(
            ("version",),
            f"version {response.version} does not match questionnaire version {questionnaire.version} "
            f"(question ids are stable only within major version {questionnaire.major})",
        )
    for question_id, value in response.answers.items():
        why = check_answer(questionnaire, question_id, value, response.agency.type)
        if why:
            add(("answers", question_id), why)
        elif value == NOT_APPLICABLE and bundle.rubric.not_applicable.requires_reason:
            note = response.notes.get(question_id)
            if note is None or not (note.na_reason or "").strip():
                add(
                    ("answers", question_id),
                    f"{question_id}: 'na' needs a reason (add notes: {{{question_id}: {{na_reason: ...}}}})",
                )
    for question_id, note in response.notes.items():
        try:
            questionnaire.question(question_id)
        except KeyError:
            add(("notes", question_id), f"notes: unknown question id {question_id!r}")
        for kind in ("na_reason", "evidence"):
            text = getattr(note, kind)
            why = None if text is None else note_problem(f"{question_id}: {kind}", text, limits.max_note_chars)
            if why:
                add(("notes", question_id, kind), why)
    return problems


def _answer_shape_problems(doc: LocatedDocument) -> list[Problem]:
    """Answers that are no value at all (empty, yes/no, a list), each at its own line."""
    answers = doc.data.get("answers")
    if not isinstance(answers, dict):
        return []
    problems = []
    for key, value in answers.items():
        if not isinstance(key, str):
            why = "unknown question id (question ids are texts such as governance.strategy)"
        elif value is None:
            why = "empty answer (expected 1-5, na, dont_know or a number; omit unanswered questions)"
        elif isinstance(value, bool):
            why = f"{value!r} is not an answer (yes/no/on/off read as true/false; expected 1-5, na, dont_know)"
        elif isinstance(value, (dict, list)):
            why = "a list or mapping is not an answer (expected 1-5, na, dont_know or a number)"
        else:
            continue
        problems.append(Problem(doc.path, doc.line_of(("answers", key)), f"{key}: {why}"))
    return problems


def parse_response(raw: bytes, name: str, bundle: Bundle, limits: InputLimits = DEFAULT_LIMITS) -> Response:
    """A response file's bytes as a validated Response; ContentError lists every problem."""
    doc = parse_yaml_bytes(raw, name, limits)
    if not isinstance(doc.data, dict):
        raise ContentError.single(name, 1, "expected a mapping with questionnaire, version, agency, round, answers")
    shape = _answer_shape_problems(doc)
    if shape:
        raise ContentError(shape)
    response = validate_document(doc, Response)
    problems = check_response(response, bundle, doc, limits)
    if problems:
        raise ContentError(problems)
    return response


def response_rows(response: Response) -> list[dict[str, object]]:
    agency = response.agency
    return [
        {
            "agency_id": agency.id,
            "agency_name": agency.name,
            "agency_type": agency.type,
            "province": agency.province,
            "round": response.round,
            "question_id": question_id,
            "answer": canonical_value(value),
            "na_reason": (response.notes.get(question_id) or _NO_NOTE).na_reason,
            "evidence": (response.notes.get(question_id) or _NO_NOTE).evidence,
        }
        for question_id, value in response.answers.items()
    ]


class _NoNote:
    na_reason = None
    evidence = None


_NO_NOTE = _NoNote()


def responses_frame(responses: Iterable[Response]) -> pd.DataFrame:
    rows = [row for response in responses for row in response_rows(response)]
    return pd.DataFrame(rows, columns=[*ANSWER_COLUMNS, *NOTE_COLUMNS]) if rows else empty_answer_frame()


def response_to_yaml(response: Response) -> str:
    """The response file format, in questionnaire order, readable and re-importable."""
    data = response.model_dump(mode="json", exclude_none=True)
    if not data.get("notes"):
        data.pop("notes", None)
    else:
        data["notes"] = {k: v for k, v in data["notes"].items() if v}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


# --- bulk CSV ------------------------------------------------------------------------------


def _read_csv_table(raw: bytes, name: str, limits: InputLimits) -> tuple[pd.DataFrame, list[Problem]]:
    """The bulk CSV as a table of texts with a `_line` column (the FILE line each record starts on,
    so a quoted line break inside a cell does not shift the numbers), or the problems that make the
    whole file unreadable. A row with too few or too many fields cannot be attributed safely to an
    agency and round, so it refuses the whole file rather than import a partial assessment."""
    text = decode_text(raw, name, limits.max_csv_bytes)
    if not text.strip():
        raise ContentError.single(name, 1, f"the file is empty (expected the header {','.join(ANSWER_COLUMNS)})")
    first = text.lstrip().split("\n", 1)[0]
    for separator, what in ((";", "semicolons (;)"), ("\t", "tabs")):
        if separator in first and "," not in first:
            raise ContentError.single(
                name, 1, f"the columns are separated by {what}; save the file as CSV with commas (CSV UTF-8)"
            )
    longest = limits.max_note_chars * (len(ANSWER_COLUMNS) + len(NOTE_COLUMNS)) + 1_000
    too_long = _line_longer_than(raw, text, longest)
    if too_long:
        line = text.count("\n", 0, too_long.start()) + 1
        raise ContentError.single(name, line, f"a line of more than {longest:,} characters; this is not a bulk CSV")
    with _no_cyclic_gc():
        header, rows, lines = _csv_records(raw, name)
    problems: list[Problem] = []
    if len(set(header)) != len(header):
        raise ContentError.single(name, 1, "a column name appears twice in the header")
    missing = [c for c in ANSWER_COLUMNS if c not in header]
    if missing:
        raise ContentError.single(
            name, 1, f"missing column(s) {', '.join(missing)} (expected {','.join(ANSWER_COLUMNS)})"
        )
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
    if not rows:
        raise ContentError.single(name, 2, "the file has a header but no rows of answers")
    with _no_cyclic_gc():  # column by column: a DataFrame built from row lists is about 3x slower
        columns = dict(zip(header, zip(*rows, strict=True), strict=True))
        del rows
        table = pd.DataFrame({c: pd.Series(np.array(v, dtype=object), dtype="str") for c, v in columns.items()})
        del columns
    for column in NOTE_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    table = table[[*ANSWER_COLUMNS, *NOTE_COLUMNS]].apply(lambda column: column.str.strip())
    for column in ("agency_name", *NOTE_COLUMNS):  # texts our own CSV exports protected against formulas
        table[column] = restore_texts(table[column])
    table["_line"] = lines
    return table, problems


def _line_longer_than(raw: bytes, text: str, longest: int) -> re.Match[str] | None:
    """The first line of more than `longest` characters, or None. A line has at least as many bytes
    as characters, so the gaps between the newline bytes (one numpy pass, no copy of the text) rule
    out almost every file; only a file with a long line is searched, from line starts only."""
    newlines = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == 0x0A)
    gaps = np.diff(newlines, prepend=-1, append=len(raw))
    if not len(gaps) or int(gaps.max()) - 1 < longest:
        return None
    return re.search(rf"(?m)^[^\n]{{{longest},}}", text)


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

    def flag(mask: pd.Series, message: str | Callable[[pd.Series], pd.Series]) -> None:
        """Give the rows of `mask` without a reason yet `message`: a text, or a function of the row
        selection building the texts of those rows only (most files have no problem: no message
        is built for 250,000 good rows)."""
        nonlocal reasons
        new = mask & (reasons == "")
        if new.any():
            reasons = reasons.mask(new, message(new) if callable(message) else message)

    flag(bad_agency_ids(table["agency_id"]),
         lambda m: "agency_id " + _cut(table.loc[m, "agency_id"]) + f" is not allowed ({ID_RULE})")
    flag(bad_texts(table["round"], MAX_ROUND_CHARS), f"round must be one line of 1-{MAX_ROUND_CHARS} characters")
    unmatched = reasons != ""
    if unmatched.any():
        # A row whose agency or round cannot be read cannot be matched to its assessment: leaving
        # out only "its" agency-round could import the rest of a real assessment without that row.
        problems += [Problem(name, int(n), str(r)) for n, r in zip(line[unmatched], reasons[unmatched], strict=True)]
        problems.append(Problem(name, None, "nothing in this file was imported: fix the rows above and import again"))
        return empty_answer_frame(), problems[: MAX_PROBLEMS_PER_FILE + 1]
    flag(
        (table["province"] != "") & bad_agency_ids(table["province"]),
        lambda m: "province " + _cut(table.loc[m, "province"]) + f" is not a province id ({ID_RULE})",
    )
    flag(
        bad_texts(table["agency_name"], MAX_NAME_CHARS),
        f"agency_name must be one line of 1-{MAX_NAME_CHARS} characters",
    )
    for column in NOTE_COLUMNS:
        flag(
            bad_notes(table[column], limits.max_note_chars),
            f"{column} is longer than {limits.max_note_chars:,} characters or holds a control character",
        )
    questions = bundle.question_table
    known = table["question_id"].isin(questions.index)
    flag(~known, lambda m: "unknown question id " + _cut(table.loc[m, "question_id"]))
    # Per distinct question id, then spread by its codes (a map over 250,000 texts was seconds).
    question_codes, question_uniques = pd.factorize(table["question_id"])
    per_question = questions.reindex(question_uniques)
    kind, low, high = (pd.Series(per_question[c].to_numpy()[question_codes], index=table.index)
                       for c in ("kind", "low", "high"))
    applies = pd.Series(
        [q.applies(t) for q in bundle.questionnaire.questions for t in AGENCY_TYPES],
        index=pd.MultiIndex.from_tuples([(q.id, t) for q in bundle.questionnaire.questions for t in AGENCY_TYPES]),
    )
    asked = pd.MultiIndex.from_arrays([table["question_id"], table["agency_type"]]).isin(applies[applies].index)
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
    level_ok = (kind == "level") & number.isin([1, 2, 3, 4, 5])
    numeric_ok = (kind == "numeric") & number.between(low, high)
    flag(
        known & ~special & ~level_ok & ~numeric_ok & (kind == "level"),
        lambda m: table.loc[m, "question_id"] + ": " + _cut(table.loc[m, "answer"])
        + f" is not a level ({EXPECTED_ANSWER})",
    )
    flag(
        known & ~special & ~numeric_ok & (kind == "numeric"),
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
    duplicated = table.duplicated(["agency_id", "round", "question_id"], keep="first")
    flag(duplicated, lambda m: "question " + table.loc[m, "question_id"] + " answered twice for this agency and round")
    inconsistent = (
        table.groupby("agency_id")[["agency_name", "agency_type", "province"]].transform("nunique").max(axis=1) > 1
    )
    flag(inconsistent,
         lambda m: "agency " + table.loc[m, "agency_id"] + " has different names, types or provinces on different rows")

    bad = reasons != ""
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


def _per_distinct(values: pd.Series, convert: Callable[[Any], Any]) -> pd.Series:
    """`convert` of every non-missing value, computed once per distinct value."""
    codes, uniques = pd.factorize(values)
    converted = np.array([convert(u) for u in uniques] + [None], dtype=object)
    return pd.Series(converted[codes], index=values.index, dtype=object)


def _cut(values: pd.Series, width: int = 40) -> pd.Series:
    """Texts quoted for messages, long ones cut (a 50 MB cell is not repeated in a message)."""
    shown = values.str.slice(0, width).map(repr)
    return shown.where(values.str.len() <= width, shown.str.slice(0, -1) + "...'")


# --- many inputs ---------------------------------------------------------------------------

RESPONSE_SUFFIXES = (".yaml", ".yml")


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in (*RESPONSE_SUFFIXES, ".csv")))
        else:
            files.append(path)
    return files


def load_named_inputs(
    named: Iterable[tuple[str, bytes]], bundle: Bundle, limits: InputLimits = DEFAULT_LIMITS
) -> LoadedResponses:
    """Validate many (name, bytes) inputs; a bad one is reported and the others still load."""
    responses: list[Response] = []
    frames: list[pd.DataFrame] = []
    problems: list[Problem] = []
    count = 0
    for name, raw in named:
        count += 1
        try:
            if name.lower().endswith(".csv"):
                frame, csv_problems = parse_bulk_csv(raw, name, bundle, limits)
                frames.append(frame)
                problems.extend(csv_problems)
            else:
                responses.append(parse_response(raw, name, bundle, limits))
        except ContentError as exc:
            problems.extend(exc.problems)
        except Exception as exc:  # a verdict for every file: one unforeseen failure never stops the batch
            log.exception("reading %s failed", name)
            problems.append(Problem(name, None, f"cannot read this file ({type(exc).__name__}); nothing was loaded"))
    frames.insert(0, responses_frame(responses))
    frames = [f for f in frames if not f.empty]
    frame = pd.concat(frames, ignore_index=True) if frames else empty_answer_frame()
    duplicate = frame.duplicated(["agency_id", "round", "question_id"], keep="last")
    if duplicate.any():
        twice = frame.loc[duplicate, ["agency_id", "round"]].drop_duplicates()
        for agency_id, round_ in twice.itertuples(index=False):
            problems.append(
                Problem(
                    "(inputs)",
                    None,
                    f"agency {agency_id} round {round_} is given more than once; the last file read wins",
                )
            )
        frame = frame[~duplicate].reset_index(drop=True)
    return LoadedResponses(frame=frame, problems=problems, responses=responses, files_read=count)


def load_paths(paths: Iterable[str | Path], bundle: Bundle, limits: InputLimits = DEFAULT_LIMITS) -> LoadedResponses:
    named: list[tuple[str, bytes]] = []
    unreadable: list[Problem] = []
    for path in expand_paths(paths):
        try:
            named.append((str(path), read_limited(path, limits)))
        except ContentError as exc:
            unreadable.extend(exc.problems)
    loaded = load_named_inputs(named, bundle, limits)
    loaded.problems[:0] = unreadable
    return loaded


__all__ = [
    "ANSWER_COLUMNS",
    "DONT_KNOW",
    "NOT_APPLICABLE",
    "LoadedResponses",
    "check_answer",
    "load_named_inputs",
    "load_paths",
    "parse_bulk_csv",
    "parse_response",
    "response_to_yaml",
    "responses_frame",
]
