"""Whole responses to import, held as columns (one row per response, one row per stored answer), and
checked as a set: every rule of `storage.checks` / `storage.inputs` is applied once per DISTINCT
value (agency, round, question id, answer of a question for an agency type), not once per row.

Two builders, one shape: `batch_from_responses` (the `Response` objects of files and the API) and
`batch_from_frame` (a long answer frame: the national demo, 750,000 answers). No database here:
`storage.imports` stores a checked batch in set-based statements.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from scoring.schemas.base import AGENCY_TYPES
from scoring.schemas.response import Agency, Response
from storage.bulk import Rendered, Same, render
from storage.checks import check_agency, check_answers_fit
from storage.errors import InvalidValue
from storage.inputs import _note, _question_id, _round, _text, _version
from storage.values import canonical_value

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass
class ImportBatch:
    """Checked responses as columns. Per response i: `agencies[i]`, `rounds[i]`, `questionnaires[i]`,
    `versions[i]`; per stored answer row j: `owner[j]` (its response), `question_ids[j]`, `values[j]`
    (canonical text or None for a note only), `na_reasons[j]`, `evidence[j]`."""

    agencies: list[Agency]
    rounds: list[str]
    questionnaires: list[str]
    versions: list[str]
    owner: np.ndarray
    question_ids: np.ndarray
    values: np.ndarray
    na_reasons: np.ndarray
    evidence: np.ndarray
    answer_columns: dict[str, Same | Rendered] | None = None  # `for_copy`: the four columns above, rendered

    def __len__(self) -> int:
        return len(self.agencies)

    def for_copy(self) -> ImportBatch:
        """This batch with its answer columns' COPY text made now (`storage.bulk.render`), so that
        storing it on PostgreSQL does not make them (a sub-batch of `take` makes its own)."""
        return dataclasses.replace(self, answer_columns={
            "question_id": render(self.question_ids), "value": render(self.values),
            "na_reason": render(self.na_reasons), "evidence": render(self.evidence)})

    def assessment_keys(self) -> list[tuple[str, str, str]]:
        """(agency id, round, questionnaire id) per response: the assessment each one fills."""
        return [(a.id, r, q) for a, r, q in zip(self.agencies, self.rounds, self.questionnaires, strict=True)]

    def answered(self) -> np.ndarray:
        """Per response: how many answers (not notes only) it brings."""
        return np.bincount(self.owner[self.values != None], minlength=len(self))  # noqa: E711

    def take(self, responses: Sequence[int]) -> ImportBatch:
        """The sub-batch of these responses (in this order)."""
        position = np.full(len(self), -1)
        position[list(responses)] = np.arange(len(responses))
        kept = position[self.owner] >= 0
        order = np.argsort(position[self.owner[kept]], kind="stable")
        pick = np.flatnonzero(kept)[order]
        return ImportBatch(
            agencies=[self.agencies[i] for i in responses],
            rounds=[self.rounds[i] for i in responses],
            questionnaires=[self.questionnaires[i] for i in responses],
            versions=[self.versions[i] for i in responses],
            owner=position[self.owner[pick]],
            question_ids=self.question_ids[pick],
            values=self.values[pick],
            na_reasons=self.na_reasons[pick],
            evidence=self.evidence[pick],
        )

    def generations(self) -> list[ImportBatch]:
        """The batch split so that no assessment appears twice in a part: the second response of the
        same agency, round and questionnaire replaces the first, as if imported one after the other."""
        seen: dict[tuple[str, str, str], int] = {}
        parts: list[list[int]] = []
        for i, key in enumerate(self.assessment_keys()):
            n = seen.get(key, 0)
            seen[key] = n + 1
            if n == len(parts):
                parts.append([])
            parts[n].append(i)
        return [self] if len(parts) <= 1 else [self.take(p) for p in parts]


def batch_from_responses(responses: Iterable[Response]) -> ImportBatch:
    """The responses as one checked batch (the answers of each in question-id order)."""
    agencies, rounds, questionnaires, versions = [], [], [], []
    owner: list[int] = []
    question_ids: list[str] = []
    raw_values: list[object] = []
    reasons: list[str | None] = []
    evidence: list[str | None] = []
    for i, response in enumerate(responses):
        agencies.append(response.agency)
        rounds.append(response.round)
        questionnaires.append(response.questionnaire)
        versions.append(response.version)
        for question_id in sorted(set(response.answers) | set(response.notes)):
            note = response.notes.get(question_id)
            owner.append(i)
            question_ids.append(question_id)
            raw_values.append(response.answers.get(question_id))
            reasons.append(note.na_reason if note else None)
            evidence.append(note.evidence if note else None)
    return _checked(agencies, rounds, questionnaires, versions, np.array(owner, dtype=np.int64),
                    _objects(question_ids), _objects(raw_values), _objects(reasons), _objects(evidence))


def batch_from_frame(frame: pd.DataFrame, questionnaire_id: str, version: str) -> ImportBatch:
    """A long answer frame (`agency_id, agency_name, agency_type, province, round, question_id, answer`
    and optional `na_reason, evidence`; e.g. `scoring.synthetic.synthetic_answers`) as one checked
    batch: one response per agency and round, its agency taken from its first row. Columns are
    handled as integer codes (free for categorical columns), each distinct value checked once."""
    agency_codes, _ = _codes(frame, "agency_id")
    round_codes, round_ids = _codes(frame, "round")
    owner, _ = pd.factorize(agency_codes.astype(np.int64) * max(len(round_ids), 1) + round_codes)
    order = np.argsort(owner, kind="stable") if len(owner) and (np.diff(owner) < 0).any() else None
    if order is not None:
        owner = owner[order]
    firsts = np.flatnonzero(np.diff(owner, prepend=-1)) if len(owner) else np.zeros(0, dtype=np.int64)

    def column(name: str) -> np.ndarray:
        codes, uniques = _codes(frame, name)
        if order is not None:
            codes = codes[order]
        return _objects([*uniques, None])[codes]  # code -1 (missing) -> None

    names, types, provinces = column("agency_name")[firsts], column("agency_type")[firsts], column("province")[firsts]
    unchecked = [
        Agency.model_construct(id=a, name=n, type=t, province=p)  # checked below, once per agency
        for a, n, t, p in zip(column("agency_id")[firsts], names, types, provinces, strict=True)
    ]
    n = len(firsts)
    return _checked(unchecked, list(column("round")[firsts]), [questionnaire_id] * n, [version] * n,
                    owner.astype(np.int64), column("question_id"), column("answer"), column("na_reason"),
                    column("evidence"))


def _codes(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A column as integer codes (-1 for a missing or empty cell) and its distinct values (objects)."""
    if name not in frame:
        return np.full(len(frame), -1, dtype=np.int64), np.empty(0, dtype=object)
    series = frame[name]
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, uniques = series.cat.codes.to_numpy().astype(np.int64), series.cat.categories.to_numpy(dtype=object)
    else:
        values = series.to_numpy(dtype=object)
        kinds = set(map(type, values))
        if bool in kinds or np.bool_ in kinds:  # True == 1 for hashing: a boolean would pass as the level 1
            raise InvalidValue(f"{name}: {values[[type(v) in (bool, np.bool_) for v in values]][0]!r} is not a value")
        raw_codes, raw_uniques = pd.factorize(values)
        codes, uniques = raw_codes.astype(np.int64), np.asarray(raw_uniques, dtype=object)
    blank = np.array([u is None or (isinstance(u, float) and u != u) or (isinstance(u, str) and u == "")
                      for u in uniques], dtype=bool)
    if blank.any():
        codes = np.where(codes >= 0, np.append(~blank, False)[codes] * (codes + 1) - 1, -1)
    return codes, uniques


# --- the checks, once per distinct value ----------------------------------------------------------


def _checked(agencies: list[Agency], rounds: list[Any], questionnaires: list[Any], versions: list[Any],
             owner: np.ndarray, question_ids: np.ndarray, raw_values: np.ndarray, reasons: np.ndarray,
             evidence: np.ndarray) -> ImportBatch:
    for agency in _distinct(agencies, key=lambda a: (a.id, a.name, a.type, a.province)):
        if agency.type not in AGENCY_TYPES:
            raise InvalidValue(f"Agency {agency.id!r}: type {agency.type!r} is not one of {', '.join(AGENCY_TYPES)}")
        check_agency(agency)
    rounds = _each(rounds, _round)
    questionnaires = _each(questionnaires, lambda q: _text("questionnaire id", q, 64))
    versions = _each(versions, _version)
    question_ids = _per_distinct(question_ids, _question_id)
    values = _canonical(raw_values)
    reasons, evidence = _notes(reasons), _notes(evidence)
    empty = (values == None) & (reasons == None) & (evidence == None)  # noqa: E711 - element-wise
    if empty.any():  # nothing to store for that question (as a response without it)
        keep = ~empty
        owner, question_ids, values, reasons, evidence = (
            owner[keep], question_ids[keep], values[keep], reasons[keep], evidence[keep])
    batch = ImportBatch(agencies, rounds, questionnaires, versions, owner, question_ids, values, reasons, evidence)
    _check_answers(batch)
    return batch


def _check_answers(batch: ImportBatch) -> None:
    """`storage.checks.check_answers_fit` on each distinct (questionnaire, version, agency type,
    question, value), in order of first appearance: the demo's 750,000 answers are a few hundred
    distinct checks. Found with integer codes (one number per row), not a frame of the rows."""
    if not len(batch.owner):
        return
    kinds: dict[tuple[str, str, str], int] = {}
    responses = zip(batch.questionnaires, batch.versions, batch.agencies, strict=True)
    kind_of_response = np.array([kinds.setdefault((q, v, a.type), len(kinds)) for q, v, a in responses],
                                dtype=np.int64)
    question_codes, questions = pd.factorize(batch.question_ids)
    value_codes, values = pd.factorize(batch.values)  # None (a note only) is code -1
    n_questions, n_values = len(questions) + 1, len(values) + 1
    combined = (kind_of_response[batch.owner] * n_questions + question_codes) * n_values + value_codes + 1
    distinct, first = np.unique(combined, return_index=True)
    distinct = distinct[np.argsort(first, kind="stable")]
    kind_codes, rest = np.divmod(distinct, n_questions * n_values)
    question_of, value_of = np.divmod(rest, n_values)
    value_texts = _objects([None, *values])
    for (questionnaire, version, agency_type), code in kinds.items():
        pick = kind_codes == code
        if pick.any():
            check_answers_fit(str(questionnaire), str(version),
                              zip(questions[question_of[pick]], value_texts[value_of[pick]], strict=True),
                              str(agency_type))


def _canonical(raw: np.ndarray) -> np.ndarray:
    """Each answer's stored text (None for a note only), computed once per distinct answer."""
    kinds = set(map(type, raw))
    if bool in kinds or np.bool_ in kinds:  # True == 1 as a key: refuse it before grouping
        canonical_value(next(v for v in raw if type(v) in (bool, np.bool_)))
    given = np.flatnonzero(raw != None)  # noqa: E711 - element-wise on object arrays
    out = np.full(len(raw), None, dtype=object)
    if len(given):
        out[given] = _per_distinct(raw[given], canonical_value)
    return out


def _notes(notes: np.ndarray) -> np.ndarray:
    out = np.full(len(notes), None, dtype=object)
    given = np.flatnonzero(notes != None)  # noqa: E711 - element-wise on object arrays
    out[given] = [_note(n) for n in notes[given]]
    return out


def _each(values: Sequence[K], check: Callable[[K], V]) -> list[V]:
    """`check` applied to every value, called once per distinct value."""
    done: dict[K, V] = {}
    out = []
    for value in values:
        if value not in done:
            done[value] = check(value)
        out.append(done[value])
    return out


def _per_distinct(values: np.ndarray, check: Callable[[Any], Any]) -> np.ndarray:
    """`check` applied to every value of an object array, called once per distinct value (NaN and
    None included: they are values to refuse, not gaps)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return _objects([check(u) for u in uniques])[codes] if len(values) else _objects([])


def _distinct(items: Iterable[V], key: Callable[[V], Hashable]) -> list[V]:
    seen: dict[Hashable, V] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


def _objects(values: list[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


