"""Agency responses in, as validated data: one YAML file per agency and round (`parse_response`), a bulk
long CSV (`scoring.bulk_csv`), or many inputs at once with a verdict for each (`load_named_inputs`,
`load_paths`). The frame they become is `scoring.response_frame`'s; the answer rules are
`scoring.response_checks`'.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from scoring.bulk_csv import parse_bulk_csv
from scoring.content import Bundle
from scoring.errors import ContentError, Problem
from scoring.limits import DEFAULT_LIMITS, InputLimits
from scoring.response_checks import answer_shape_problems, check_response
from scoring.response_frame import (
    LoadedResponses,
    empty_answer_frame,
    responses_frame,
)
from scoring.schemas.response import Response
from scoring.yamlio import parse_yaml_bytes, read_limited, validate_document

log = logging.getLogger(__name__)


def parse_response(raw: bytes, name: str, bundle: Bundle, limits: InputLimits = DEFAULT_LIMITS) -> Response:
    """A response file's bytes as a validated Response; ContentError lists every problem."""
    doc = parse_yaml_bytes(raw, name, limits)
    if not isinstance(doc.data, dict):
        raise ContentError.single(name, 1, "expected a mapping with questionnaire, version, agency, round, answers")
    shape = answer_shape_problems(doc)
    if shape:
        raise ContentError(shape)
    response = validate_document(doc, Response)
    problems = check_response(response, bundle, doc, limits)
    if problems:
        raise ContentError(problems)
    return response

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
