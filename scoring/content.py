"""Loading the shipped content (questionnaire, rubrics, targets) and checking it fits together."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.errors import ContentError, Problem
from scoring.model import Questionnaire, Rubric, RubricQuestionnaireRef, Targets
from scoring.yamlio import LocatedDocument, load_model

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRE_DIR = PROJECT_ROOT / "questionnaires"
RUBRIC_DIR = Path(__file__).resolve().parent / "rubrics"
TARGETS_DIR = Path(__file__).resolve().parent / "targets"
DEFAULT_QUESTIONNAIRE = QUESTIONNAIRE_DIR / "dmm-vn.yaml"
DEFAULT_RUBRIC = "standard"
DEFAULT_TARGETS = TARGETS_DIR / "qd-2629.yaml"


def shipped_rubrics() -> dict[str, Path]:
    return {path.stem: path for path in sorted(RUBRIC_DIR.glob("*.yaml"))}


def shipped_content_files() -> list[Path]:
    return [DEFAULT_QUESTIONNAIRE, *shipped_rubrics().values(), DEFAULT_TARGETS]


def load_questionnaire(path: str | Path = DEFAULT_QUESTIONNAIRE) -> tuple[Questionnaire, LocatedDocument]:
    return load_model(path, Questionnaire)


def load_rubric(path: str | Path) -> tuple[Rubric, LocatedDocument]:
    return load_model(path, Rubric)


def load_targets(path: str | Path = DEFAULT_TARGETS) -> tuple[Targets, LocatedDocument]:
    return load_model(path, Targets)


def rubric_path(rubric: str | Path) -> Path:
    """A rubric given by shipped id ('standard') or by file path."""
    rubrics = shipped_rubrics()
    if str(rubric) in rubrics:
        return rubrics[str(rubric)]
    path = Path(rubric)
    if not path.exists():
        known = ", ".join(rubrics) or "none"
        raise ContentError.single(str(rubric), None, f"no such rubric (shipped rubrics: {known})")
    return path


def _reporter(doc: LocatedDocument, problems: list[Problem]):
    def add(location: tuple, message: str) -> None:
        problems.append(Problem(doc.path, doc.line_of(location), message))

    return add


def _check_questionnaire_ref(what: str, ref: RubricQuestionnaireRef, questionnaire: Questionnaire, add) -> None:
    if ref.id != questionnaire.id or ref.major != questionnaire.major:
        add(
            ("questionnaire",),
            f"{what} for questionnaire {ref.id} v{ref.major}.x, "
            f"but the questionnaire is {questionnaire.id} v{questionnaire.version}",
        )


def check_rubric(questionnaire: Questionnaire, rubric: Rubric, doc: LocatedDocument) -> list[Problem]:
    problems: list[Problem] = []
    add = _reporter(doc, problems)
    _check_questionnaire_ref("rubric is", rubric.questionnaire, questionnaire, add)
    question_ids = {q.id for q in questionnaire.questions}
    numeric_ids = {q.id for q in questionnaire.questions if q.kind == "numeric"}
    for qid in rubric.question_weights:
        if qid not in question_ids:
            add(("question_weights", qid), f"question_weights names unknown question {qid!r}")
    for qid in rubric.numeric_bands_by_question:
        if qid not in numeric_ids:
            add(("numeric_bands_by_question", qid), f"{qid!r} is not a numeric question of the questionnaire")
    dimension_ids = {d.id for d in questionnaire.dimensions}
    for did in rubric.dimension_weights:
        if did not in dimension_ids:
            add(("dimension_weights", did), f"dimension_weights names unknown dimension {did!r}")
    return problems


def check_targets(questionnaire: Questionnaire, targets: Targets, doc: LocatedDocument) -> list[Problem]:
    problems: list[Problem] = []
    add = _reporter(doc, problems)
    _check_questionnaire_ref("targets are", targets.questionnaire, questionnaire, add)
    dimension_ids = {d.id for d in questionnaire.dimensions}
    for year, target in targets.years.items():
        for did in target.dimension_min_levels:
            if did not in dimension_ids:
                add(("years", year, "dimension_min_levels", did), f"unknown dimension {did!r}")
    numeric_ids = {q.id for q in questionnaire.questions if q.kind == "numeric"}
    for index, indicator in enumerate(targets.indicators):
        if indicator.question not in numeric_ids:
            add(
                ("indicators", index, "question"),
                f"indicator {indicator.id!r} points to {indicator.question!r}, which is not a numeric question",
            )
        for year in indicator.targets:
            if year not in targets.years:
                add(("indicators", index, "targets", year), f"year {year} is not one of the target years")
    return problems


@dataclass(frozen=True)
class Bundle:
    """A questionnaire with the rubric that scores it and the targets it is compared against."""

    questionnaire: Questionnaire
    rubric: Rubric
    targets: Targets
    sources: dict[str, str] = field(default_factory=dict)

    @cached_property
    def question_table(self) -> pd.DataFrame:
        """One row per question, in questionnaire order: everything the vectorised engine needs."""
        rows = []
        for dim_index, dimension in enumerate(self.questionnaire.dimensions):
            for question in dimension.questions:
                rows.append(
                    {
                        "question_id": question.id,
                        "dimension_id": dimension.id,
                        "dimension_index": dim_index,
                        "kind": question.kind,
                        "weight": self.rubric.question_weights.get(question.id, 1.0),
                        "low": question.low if question.kind == "numeric" else 1.0,
                        "high": question.high if question.kind == "numeric" else 5.0,
                    }
                )
        return pd.DataFrame(rows).set_index("question_id")

    @cached_property
    def dimension_ids(self) -> list[str]:
        return [d.id for d in self.questionnaire.dimensions]

    @cached_property
    def dimension_weights(self) -> np.ndarray:
        return np.array([self.rubric.dimension_weights.get(d, 1.0) for d in self.dimension_ids])

    @cached_property
    def questions_per_dimension(self) -> np.ndarray:
        return np.array([len(d.questions) for d in self.questionnaire.dimensions])

    @property
    def years(self) -> list[str]:
        return sorted(self.targets.years)


def load_bundle(
    questionnaire: str | Path = DEFAULT_QUESTIONNAIRE,
    rubric: str | Path = DEFAULT_RUBRIC,
    targets: str | Path = DEFAULT_TARGETS,
) -> Bundle:
    """Load and cross-check the three content files; raise ContentError listing every problem."""
    problems: list[Problem] = []
    loaded = {}
    for name, loader, path in (
        ("questionnaire", load_questionnaire, questionnaire),
        ("rubric", load_rubric, rubric_path(rubric)),
        ("targets", load_targets, targets),
    ):
        try:
            loaded[name] = loader(path)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    q, _ = loaded["questionnaire"]
    r, r_doc = loaded["rubric"]
    t, t_doc = loaded["targets"]
    problems = check_rubric(q, r, r_doc) + check_targets(q, t, t_doc)
    if problems:
        raise ContentError(problems)
    return Bundle(
        questionnaire=q,
        rubric=r,
        targets=t,
        sources={"questionnaire": str(questionnaire), "rubric": r_doc.path, "targets": str(targets)},
    )
