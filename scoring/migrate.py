"""Carrying answers from one questionnaire version to another by the shipped mapping (docs/MODEL-2.md).

One function, `migrate_answers`, serves `python -m scoring migrate` (files) and the pre-fill of a new round from a
previous round answered on another version (storage). Merge rules come from the mapping YAML; nothing here knows
a question id.
"""

from __future__ import annotations

import math
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field

from scoring.answers import DONT_KNOW, NOT_APPLICABLE, AnswerValue
from scoring.content import Bundle
from scoring.errors import ContentError
from scoring.response_checks import check_answer
from scoring.schemas.mapping import MappedQuestion, Mapping
from scoring.schemas.questionnaire import Questionnaire
from scoring.schemas.response import AnswerNote, Response
from scoring.validation import load_mapping


@dataclass
class MigrationReport:
    """What was carried, and what could not be (each with why), for the person who asked."""

    carried: dict[str, list[str]] = field(default_factory=dict)  # new id -> the old ids it came from
    not_carried: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    to_answer: list[str] = field(default_factory=list)  # new questions, answered fresh

    def lines(self) -> list[str]:
        out = [f"carried: {len(self.carried)} answers"]
        out += [f"not carried: {line}" for line in self.not_carried]
        out += [f"retired: {line}" for line in self.retired]
        if self.to_answer:
            out.append(f"to answer (new in this version): {', '.join(self.to_answer)}")
        return out


@dataclass
class Migrated:
    answers: dict[str, AnswerValue]
    notes: dict[str, AnswerNote]
    report: MigrationReport


def _is_real(value: AnswerValue | None) -> bool:
    return value is not None and not isinstance(value, str)


def merge(entry: MappedQuestion, values: list[AnswerValue | None]) -> AnswerValue | None:
    """The new answer from the sources' answers (in `from` order), by the entry's rule."""
    mapped = [entry.level_map.get(int(v), v) if _is_real(v) and entry.level_map else v  # type: ignore[arg-type]
              for v in values]
    real = [float(v) for v in mapped if _is_real(v)]  # type: ignore[arg-type]
    if real:
        if entry.rule in ("same", "first_answered"):
            result = real[0]
        elif entry.rule == "max":
            result = max(real)
        elif entry.rule == "min":
            result = min(real)
        else:  # mean_round_down: levels take the floor of the mean; percentages keep the mean
            result = sum(real) / len(real)
        return int(result) if result.is_integer() else result
    if NOT_APPLICABLE in mapped:
        return NOT_APPLICABLE
    if DONT_KNOW in mapped:
        return DONT_KNOW
    return None


def migrate_answers(
    answers: MappingABC[str, AnswerValue],
    notes: MappingABC[str, AnswerNote],
    mapping: Mapping,
    new: Questionnaire,
    agency_type: str | None,
) -> Migrated:
    report = MigrationReport()
    out: dict[str, AnswerValue] = {}
    out_notes: dict[str, AnswerNote] = {}
    for entry in mapping.questions:
        question = new.question(entry.to)
        sources = [answers.get(s) for s in entry.from_]
        if all(v is None for v in sources):
            continue
        if agency_type is not None and not question.applies(agency_type):
            report.not_carried.append(f"{entry.to} (from {', '.join(entry.from_)}): not asked of a {agency_type}")
            continue
        value = merge(entry, sources)
        if value is not None and question.kind == "level" and _is_real(value) and entry.rule == "mean_round_down":
            value = math.floor(float(value))
        if value is None:
            continue
        why = check_answer(new, entry.to, value, agency_type)
        if why:
            report.not_carried.append(f"{entry.to} (from {', '.join(entry.from_)}): {why}")
            continue
        out[entry.to] = value
        report.carried[entry.to] = [s for s, v in zip(entry.from_, sources, strict=True) if v is not None]
        used = [notes[s] for s in entry.from_ if s in notes and answers.get(s) is not None]
        evidence = "; ".join(dict.fromkeys(n.evidence.strip() for n in used if n.evidence and n.evidence.strip()))
        na_reason = next((n.na_reason for n in used if value == NOT_APPLICABLE and n.na_reason), None)
        if evidence or na_reason:
            out_notes[entry.to] = AnswerNote(na_reason=na_reason, evidence=evidence or None)
    for retired in mapping.retired:
        if answers.get(retired.id) is not None:
            report.retired.append(f"{retired.id}: {retired.reason.en}")
    report.to_answer = [q for q in mapping.new if agency_type is None or new.question(q).applies(agency_type)]
    return Migrated(out, out_notes, report)


def migrate_response(response: Response, to: Bundle) -> Migrated:
    """A response of an older version as answers of `to`'s version (by the shipped mapping between them)."""
    mapping = load_mapping(response.questionnaire, response.version, to.questionnaire.version)
    return migrate_answers(response.answers, response.notes, mapping, to.questionnaire, response.agency.type)


def migrated_response(response: Response, to: Bundle) -> tuple[Response, MigrationReport]:
    migrated = migrate_response(response, to)
    new = response.model_copy(
        update={"version": to.questionnaire.version, "answers": migrated.answers, "notes": migrated.notes}
    )
    return new, migrated.report


def carry_for(to: Bundle, agency_type: str | None):  # -> storage.prefill.Carry (storage does not import this)
    """A function that carries a previous round's answers (of any older version with a shipped mapping) to `to`'s
    version, for the pre-fill of a new round."""

    def carry(source_version: str, answers: dict, notes: dict) -> tuple[dict, dict, list[str]]:
        try:
            mapping = load_mapping(to.questionnaire.id, source_version, to.questionnaire.version)
        except ContentError as exc:
            return {}, {}, [str(p.message) for p in exc.problems]
        migrated = migrate_answers(answers, notes, mapping, to.questionnaire, agency_type)
        return migrated.answers, migrated.notes, migrated.report.not_carried

    return carry
