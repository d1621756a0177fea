"""`python -m scoring validate` without paths: every shipped content file, each against what it declares.

Every questionnaire version, every rubric and targets file (checked against each shipped version of the
questionnaire major it declares; a file for a questionnaire that is not shipped is noted and skipped), every
mapping (against both of its versions) and the term list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scoring import registry
from scoring.content import check_rubric, check_targets, load_questionnaire, load_rubric, load_targets
from scoring.errors import ContentError, Problem
from scoring.schemas.mapping import Mapping
from scoring.schemas.questionnaire import Questionnaire
from scoring.schemas.terms import TermList
from scoring.yamlio import LocatedDocument, load_model


@dataclass
class ValidationReport:
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)


def check_mapping(old: Questionnaire, new: Questionnaire, mapping: Mapping, doc: LocatedDocument) -> list[Problem]:
    """Every old question mapped or retired, every new one fed or new; kinds agree; ids exist."""
    problems: list[Problem] = []

    def add(location: tuple, message: str) -> None:
        problems.append(Problem(doc.path, doc.line_of(location), message))

    if (mapping.questionnaire, mapping.from_version, mapping.to_version) != (old.id, old.version, new.version):
        add((), f"mapping is for {mapping.questionnaire} {mapping.from_version} -> {mapping.to_version}")
    old_ids = {q.id for q in old.questions}
    new_ids = {q.id for q in new.questions}
    for index, entry in enumerate(mapping.questions):
        if entry.to not in new_ids:
            add(("questions", index, "to"), f"{entry.to!r} is not a question of {new.id} {new.version}")
            continue
        kind = new.question(entry.to).kind
        for source in entry.from_:
            if source not in old_ids:
                add(("questions", index, "from"), f"{source!r} is not a question of {old.id} {old.version}")
            elif old.question(source).kind != kind:
                add(
                    ("questions", index, "from"),
                    f"{source!r} is a {old.question(source).kind} question, {entry.to!r} {kind}",
                )
        if entry.level_map and kind != "level":
            add(("questions", index, "level_map"), "level_map is only for level questions")
    for index, qid in enumerate(mapping.new):
        if qid not in new_ids:
            add(("new", index), f"{qid!r} is not a question of {new.id} {new.version}")
    for index, retired in enumerate(mapping.retired):
        if retired.id not in old_ids:
            add(("retired", index, "id"), f"{retired.id!r} is not a question of {old.id} {old.version}")
    carried = {s for e in mapping.questions for s in e.from_} | {r.id for r in mapping.retired}
    for qid in sorted(old_ids - carried):
        add(("retired",), f"{old.version} question {qid!r} is neither mapped (in a from) nor retired (with a reason)")
    fed = {e.to for e in mapping.questions} | set(mapping.new)
    for qid in sorted(new_ids - fed):
        add(("new",), f"{new.version} question {qid!r} is neither fed (in a to) nor listed as new")
    return problems


def validate_shipped() -> ValidationReport:
    report = ValidationReport()
    questionnaires: dict[tuple[str, str], Questionnaire] = {}
    for (qid, version), path in registry.questionnaire_files().items():
        report.files += 1
        try:
            questionnaire, _ = load_questionnaire(path)
        except ContentError as exc:
            report.problems += exc.problems
            continue
        if (questionnaire.id, questionnaire.version) != (qid, version):
            report.problems.append(
                Problem(
                    str(path),
                    1,
                    f"the file says {questionnaire.id} {questionnaire.version}; its place says {qid} {version}",
                )
            )
            continue
        questionnaires[(qid, version)] = questionnaire
        report.summaries.append(
            f"{qid} {version}: {len(questionnaire.dimensions)} dimensions, {len(questionnaire.questions)} questions"
        )
    for folder, loader, checker, what in (
        (registry.RUBRIC_DIR, load_rubric, check_rubric, "rubric"),
        (registry.TARGETS_DIR, load_targets, check_targets, "targets"),
    ):
        for path in registry.content_files(folder):
            report.files += 1
            try:
                model, doc = loader(path)
            except ContentError as exc:
                report.problems += exc.problems
                continue
            ref = model.questionnaire
            matching = [q for (qid, _), q in questionnaires.items() if qid == ref.id and q.major == ref.major]
            if not matching:
                report.notes.append(f"{path}: {what} for {ref.id} v{ref.major}.x, which is not shipped: skipped")
            for questionnaire in matching:
                report.problems += checker(questionnaire, model, doc)  # type: ignore[arg-type]
    for (qid, version), questionnaire in questionnaires.items():
        if version not in registry.offered_versions(qid):
            report.notes.append(
                f"{qid} {version}: no rubric or targets declared for v{questionnaire.major}.x: not offered"
            )
    for qid in sorted({q for q, _ in questionnaires}):
        for (old_v, new_v), path in registry.mapping_files(qid).items():
            report.files += 1
            try:
                mapping, doc = load_model(path, Mapping)
            except ContentError as exc:
                report.problems += exc.problems
                continue
            old, new = questionnaires.get((qid, old_v)), questionnaires.get((qid, new_v))
            if old is None or new is None:
                report.notes.append(f"{path}: {qid} {old_v if old is None else new_v} is not shipped: skipped")
                continue
            report.problems += check_mapping(old, new, mapping, doc)
    if registry.TERMS_FILE.exists():
        report.files += 1
        try:
            load_model(registry.TERMS_FILE, TermList)
        except ContentError as exc:
            report.problems += exc.problems
    return report


def load_mapping(questionnaire_id: str, from_version: str, to_version: str) -> Mapping:
    path = registry.mapping_files(questionnaire_id).get((from_version, to_version))
    if path is None:
        raise ContentError.single(
            str(registry.QUESTIONNAIRE_DIR / questionnaire_id / f"mapping-{from_version}-to-{to_version}.yaml"),
            None,
            f"no mapping from {questionnaire_id} {from_version} to {to_version} is shipped",
        )
    mapping, _ = load_model(Path(path), Mapping)
    return mapping
