"""Loading the shipped content (questionnaire, rubrics, targets) and checking it fits together."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scoring import registry
from scoring.errors import ContentError, Problem
from scoring.registry import DEFAULT_QUESTIONNAIRE_ID, DEFAULT_VERSION, QUESTIONNAIRE_DIR, TARGETS_DIR
from scoring.schemas.base import AGENCY_TYPES
from scoring.schemas.questionnaire import Question, Questionnaire
from scoring.schemas.rubric import Rubric, RubricQuestionnaireRef
from scoring.schemas.targets import Targets
from scoring.yamlio import LocatedDocument, load_model

PROJECT_ROOT = registry.PROJECT_ROOT
DEFAULT_QUESTIONNAIRE = QUESTIONNAIRE_DIR / DEFAULT_QUESTIONNAIRE_ID / f"{DEFAULT_VERSION}.yaml"
DEFAULT_RUBRIC = "standard"
DEFAULT_TARGETS = TARGETS_DIR / "qd-2629.yaml"


def shipped_rubrics(questionnaire_id: str = DEFAULT_QUESTIONNAIRE_ID, major: int | None = None) -> dict[str, Path]:
    """{rubric id: path} of the rubrics for a questionnaire's major version (default: that of 1.0.0)."""
    return registry.rubrics_for(questionnaire_id, registry.version_key(DEFAULT_VERSION)[0] if major is None else major)


def shipped_content_files() -> list[Path]:
    """Every shipped content file: each questionnaire version, mapping, rubric and targets file, the terms."""
    files = [*registry.questionnaire_files().values()]
    for questionnaire_id in sorted({q for q, _ in registry.questionnaire_files()}):
        files += registry.mapping_files(questionnaire_id).values()
    files += registry.content_files(registry.RUBRIC_DIR) + registry.content_files(registry.TARGETS_DIR)
    if registry.TERMS_FILE.exists():
        files.append(registry.TERMS_FILE)
    return files


def load_questionnaire(path: str | Path = DEFAULT_QUESTIONNAIRE) -> tuple[Questionnaire, LocatedDocument]:
    return load_model(path, Questionnaire)


def load_rubric(path: str | Path) -> tuple[Rubric, LocatedDocument]:
    return load_model(path, Rubric)


def load_targets(path: str | Path = DEFAULT_TARGETS) -> tuple[Targets, LocatedDocument]:
    return load_model(path, Targets)


def rubric_path(rubric: str | Path, questionnaire_id: str = DEFAULT_QUESTIONNAIRE_ID, major: int | None = None) -> Path:
    """A rubric given by id ('standard', for the questionnaire's major version) or by file path."""
    rubrics = shipped_rubrics(questionnaire_id, major)
    if str(rubric) in rubrics:
        return rubrics[str(rubric)]
    path = Path(rubric)
    if not path.is_file():
        known = ", ".join(rubrics) or "none"
        raise ContentError.single(
            str(rubric), None, f"no such rubric for {questionnaire_id} v{major or 1}.x (shipped rubrics: {known})"
        )
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
    if rubric.provided_level is None and any(q.providable for q in questionnaire.questions):
        add(
            ("provided_level",),
            "provided_level: the questionnaire has providable questions; say which level `provided` counts as",
        )
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
    agency_type: str | None = None  # set by for_agency_type: the questions are those this type is asked

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
                        "in_levels": question.kind == "level" or self.rubric.indicators_in_levels,
                        "providable": question.providable,
                        **{f"asked_{t}": question.applies(t) for t in AGENCY_TYPES},
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

    def for_agency_type(self, agency_type: str) -> Bundle:
        """The same bundle with only the questions this agency type answers (what the wizard asks);
        a dimension left without questions is dropped. Scoring uses the full bundle: the engine leaves
        questions that do not apply out of the denominator itself."""
        cache: dict[str, Bundle] = self.__dict__.setdefault("_by_type", {})
        if agency_type not in cache:
            cache[agency_type] = self._narrowed(lambda d, q: q.applies(agency_type), agency_type)
        return cache[agency_type]

    def for_dimensions(self, dimension_ids: Collection[str]) -> Bundle:
        """The same bundle with only the given dimensions (a respondent's wizard: what was assigned to them)."""
        key = frozenset(dimension_ids)
        cache: dict[frozenset[str], Bundle] = self.__dict__.setdefault("_by_dimensions", {})
        if key not in cache:
            cache[key] = self._narrowed(lambda d, q: d in key, self.agency_type)
        return cache[key]

    def _narrowed(self, keep: Callable[[str, Question], bool], agency_type: str | None) -> Bundle:
        """The questions `keep(dimension id, question)` accepts; a dimension left without any is dropped."""
        dimensions = []
        for dimension in self.questionnaire.dimensions:
            asked = [q for q in dimension.questions if keep(dimension.id, q)]
            if asked:
                dimensions.append(dimension.model_copy(update={"questions": asked}))
        narrowed = self.questionnaire.model_copy(update={"dimensions": dimensions})
        narrowed.__dict__.pop("_qindex", None)
        asked_ids = {q.id for q in narrowed.questions}
        indicators = [i for i in self.targets.indicators if i.question in asked_ids]
        targets = self.targets.model_copy(update={"indicators": indicators})
        return Bundle(narrowed, self.rubric, targets, self.sources, agency_type)


def _is_path(value: str | Path) -> bool:
    return isinstance(value, Path) or str(value).endswith((".yaml", ".yml")) or "/" in str(value)


def load_bundle(
    questionnaire: str | Path = DEFAULT_QUESTIONNAIRE_ID,
    version: str | Path | None = None,
    targets: str | Path | None = None,
    *,
    rubric: str | Path = DEFAULT_RUBRIC,
) -> Bundle:
    """Load and cross-check a questionnaire, a rubric and targets; raise ContentError listing every problem.

    `load_bundle("dmm-vn", "2.0.0", rubric="lenient")` loads a shipped version with the rubric and targets
    declared for it; `load_bundle()` is dmm-vn 1.0.0. The older form with three paths
    `load_bundle(questionnaire_yaml, rubric_yaml_or_id, targets_yaml)` still works.
    """
    if _is_path(questionnaire):
        questionnaire_file = Path(questionnaire)
        if version is not None:
            rubric = version
    else:
        questionnaire_file = registry.questionnaire_path(str(questionnaire), str(version or DEFAULT_VERSION))
    try:
        q, _ = load_questionnaire(questionnaire_file)
    except ContentError:
        raise
    problems: list[Problem] = []
    loaded: dict[str, Any] = {}
    try:
        rubric_file = rubric_path(rubric, q.id, q.major)
        targets_file = Path(targets) if targets is not None else registry.default_targets_path(q.id, q.major)
    except ContentError as exc:
        raise ContentError(exc.problems) from None
    for name, loader, path in (("rubric", load_rubric, rubric_file), ("targets", load_targets, targets_file)):
        try:
            loaded[name] = loader(path)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    r, r_doc = loaded["rubric"]
    t, t_doc = loaded["targets"]
    problems = check_rubric(q, r, r_doc) + check_targets(q, t, t_doc)
    if problems:
        raise ContentError(problems)
    return Bundle(
        questionnaire=q,
        rubric=r,
        targets=t,
        sources={"questionnaire": str(questionnaire_file), "rubric": r_doc.path, "targets": str(targets_file)},
    )
