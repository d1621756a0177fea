"""The IT lead's journey as plain functions: which assessment is open, agencies, completeness,
saving one answer, importing a response file and scoring an assessment.

Only the first few helpers touch Streamlit (the open assessment lives in the URL's query
parameter `a`, so a browser reload reopens it, and in session state, so switching pages keeps
it). Everything else takes the store, scope and actor explicitly so tests call it directly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

from scoring.answers import DONT_KNOW, NOT_APPLICABLE, PROVIDED
from scoring.content import Bundle
from scoring.engine import score
from scoring.errors import ContentError
from scoring.identifiers import MAX_AGENCY_ID_CHARS, agency_id_problem
from scoring.response_checks import check_answer
from scoring.response_frame import responses_frame
from scoring.responses import parse_response
from scoring.results import AgencyResult, agency_result
from scoring.schemas.questionnaire import Question
from scoring.schemas.response import Agency, AnswerNote, Response
from scoring.synthetic import PROVINCES
from storage import KEEP, MAX_ROW_ID, AssessmentInfo, DuplicateAssessment, Scope, StorageError, Store, StoredAnswer
from storage.rounds import RoundClosed

QUERY_KEY = "a"
SESSION_KEY = "journey_open_assessment"
STEP_QUERY_KEY = "step"
REVIEW_STEP = "__review__"
LEVEL_CHOICES: tuple[int | str, ...] = (1, 2, 3, 4, 5, NOT_APPLICABLE, DONT_KNOW)
NUMERIC_MODES: tuple[str, ...] = ("value", NOT_APPLICABLE, DONT_KNOW)
PROVINCE_PREFIX = "tinh_"
MAX_ID_LENGTH = MAX_AGENCY_ID_CHARS

# --- the open assessment (Streamlit) ---------------------------------------------------------


def open_assessment_id() -> int | None:
    """The assessment the user is working on: from the URL (survives a reload) or the session
    (survives a page switch, which drops query parameters). Keeps both in step."""
    import streamlit as st

    raw = st.query_params.get(QUERY_KEY) or st.session_state.get(SESSION_KEY)
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return None
    if not 0 < value <= MAX_ROW_ID:  # "?a=99999999999999999999" is no assessment (and no overflow)
        return None
    st.session_state[SESSION_KEY] = value
    if st.query_params.get(QUERY_KEY) != str(value):
        st.query_params[QUERY_KEY] = str(value)
    return value


def set_open_assessment(assessment_id: int | None) -> None:
    import streamlit as st

    if assessment_id is None:
        st.session_state.pop(SESSION_KEY, None)
        if QUERY_KEY in st.query_params:
            del st.query_params[QUERY_KEY]
        return
    if st.session_state.get(SESSION_KEY) != assessment_id:
        st.session_state.pop(STEP_SESSION_KEY, None)
    st.session_state[SESSION_KEY] = assessment_id
    st.query_params[QUERY_KEY] = str(assessment_id)


STEP_SESSION_KEY = "journey_step"


def current_step(step_ids: list[str], default: str) -> str:
    """The wizard step: session first, then the URL (a reload keeps the step), else `default`."""
    import streamlit as st

    step = st.session_state.get(STEP_SESSION_KEY) or st.query_params.get(STEP_QUERY_KEY)
    if step not in step_ids:
        step = default
    st.session_state[STEP_SESSION_KEY] = step
    if st.query_params.get(STEP_QUERY_KEY) != step:
        st.query_params[STEP_QUERY_KEY] = step
    return step


def set_step(step: str) -> None:
    import streamlit as st

    st.session_state[STEP_SESSION_KEY] = step


# --- agencies ----------------------------------------------------------------------------------


def slugify(text: str, max_length: int = MAX_ID_LENGTH) -> str:
    """An ASCII id from a Vietnamese name: 'Ủy ban nhân dân xã Đắk Hà' -> 'uy_ban_nhan_dan_xa_dak_ha'."""
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    return slug[:max_length].rstrip("_")


def province_choices() -> list[tuple[str, str]]:
    """(province agency id, name) of the 34 provinces and cities, e.g. ('tinh_ha_noi', 'Thành phố Hà Nội')."""
    return [(f"{PROVINCE_PREFIX}{pid}", name) for pid, name in PROVINCES]


def province_name(province_id: str | None) -> str | None:
    if not province_id:
        return None
    return dict(province_choices()).get(province_id, province_id)


AgencyProblem = Literal["name_required", "province_required", "id_invalid", "id_taken"]


@dataclass(frozen=True)
class AgencyDraft:
    """What the new-agency form produces: an agency, or the problems to show (i18n keys)."""

    agency: Agency | None
    problems: list[AgencyProblem] = field(default_factory=list)


def build_agency(name: str, agency_type: str, province: str | None, agency_id: str | None,
                 existing: Mapping[str, Agency] | None = None) -> AgencyDraft:
    """Validate the new-agency form. A province agency's id is its province id (`tinh_<id>`), so
    that the province's coordinators see it; other ids are typed or generated from the name."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    problems: list[AgencyProblem] = []
    if not name:
        problems.append("name_required")
    if agency_type in ("commune", "province") and not province:
        problems.append("province_required")
    wanted = province if agency_type == "province" and province else (agency_id or "").strip() or slugify(name)
    if name and agency_id_problem(wanted):
        problems.append("id_invalid")
    if not problems and existing is not None and wanted in existing and existing[wanted].name != name:
        problems.append("id_taken")
    if problems:
        return AgencyDraft(None, problems)
    return AgencyDraft(
        Agency(id=wanted, name=name, type=agency_type, province=province if agency_type == "commune" else None)
    )


def default_round() -> str:
    return str(date.today().year)


def start_assessment(store: Store, agency_id: str, round_: str, bundle: Bundle, scope: Scope, actor: str,
                     prefill: bool) -> tuple[AssessmentInfo, bool]:
    """Start a draft for the round (pre-filled from the latest earlier round if asked), or return the
    one that already exists. Returns (assessment, created)."""
    from scoring.migrate import carry_for

    questionnaire = bundle.questionnaire
    agency = store.get_agency(agency_id, scope)
    try:
        info = store.create_assessment(
            agency_id, round_.strip(), questionnaire.id, questionnaire.version, scope, actor,
            prefill_from_previous=prefill, prefill_questions=[q.id for q in questionnaire.questions],
            prefill_carry=carry_for(bundle, agency.type if agency else None),  # a round on an older version
        )
    except DuplicateAssessment as exc:
        return store.get_assessment(exc.existing_id, scope), False
    return info, True


def has_earlier_round(assessments: list[AssessmentInfo], round_: str) -> bool:
    from storage import round_sort_key

    return any(round_sort_key(a.round) < round_sort_key(round_.strip() or "0") for a in assessments)


# --- completeness --------------------------------------------------------------------------------

QuestionState = Literal["done", "dont_know", "unanswered", "na_reason"]


def question_state(stored: StoredAnswer | None, requires_reason: bool, pending_na: bool = False) -> QuestionState:
    """done: answered (or N/A with a reason); dont_know: answered "don't know" (allowed, warned);
    unanswered; na_reason: N/A chosen but no reason given yet (not a valid answer)."""
    if pending_na:
        return "na_reason"
    if stored is None or stored.value is None:
        return "unanswered"
    if stored.value == NOT_APPLICABLE and requires_reason and not (stored.na_reason or "").strip():
        return "na_reason"
    if stored.value == DONT_KNOW:
        return "dont_know"
    return "done"


@dataclass(frozen=True)
class Missing:
    dimension_id: str
    question_id: str
    state: QuestionState


@dataclass(frozen=True)
class Completeness:
    total: int
    done: int  # answered, N/A with a reason, or don't know
    by_dimension: dict[str, tuple[int, int]]  # dimension id -> (done, total)
    states: dict[str, QuestionState]
    missing: list[Missing]
    dont_know: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0

    def first_incomplete_dimension(self) -> str | None:
        return self.missing[0].dimension_id if self.missing else None


def completeness(bundle: Bundle, answers: Mapping[str, StoredAnswer],
                 pending_na: Collection[str] = ()) -> Completeness:
    requires = bundle.rubric.not_applicable.requires_reason
    by_dimension: dict[str, tuple[int, int]] = {}
    states: dict[str, QuestionState] = {}
    missing: list[Missing] = []
    dont_know: list[str] = []
    done_total = 0
    for dimension in bundle.questionnaire.dimensions:
        done = 0
        for question in dimension.questions:
            state = question_state(answers.get(question.id), requires, question.id in pending_na)
            states[question.id] = state
            if state in ("done", "dont_know"):
                done += 1
                if state == "dont_know":
                    dont_know.append(question.id)
            else:
                missing.append(Missing(dimension.id, question.id, state))
        by_dimension[dimension.id] = (done, len(dimension.questions))
        done_total += done
    total = sum(t for _, t in by_dimension.values())
    return Completeness(total, done_total, by_dimension, states, missing, dont_know)


# --- saving one answer ---------------------------------------------------------------------------

Refusal = Literal["na_needs_reason", "out_of_range", "not_a_number", "locked", "stale", "storage_error"]


@dataclass(frozen=True)
class SaveOutcome:
    saved: bool
    refusal: Refusal | None = None
    detail: str = ""
    row: StoredAnswer | None = None  # what the question's row now holds (when saved; None: no row)


def stored_after(current: StoredAnswer | None, value: object = KEEP, na_reason: object = KEEP,
                 evidence: object = KEEP, version: int = 0) -> StoredAnswer | None:
    """The row `save_answer`/`save_note` leave behind, from the row before (KEEP: unchanged), in the
    store's own canonical forms; None when the row is gone. Lets the UI update its cache without
    reading the assessment again."""
    from storage import canonical_value, parse_value

    old_value = current.value if current else None
    new_value = old_value if value is KEEP else (None if value is None else parse_value(canonical_value(value)))  # type: ignore[arg-type]
    reason = (current.na_reason if current else None) if na_reason is KEEP else ((na_reason or "").strip() or None)  # type: ignore[union-attr]
    note = (current.evidence if current else None) if evidence is KEEP else ((evidence or "").strip() or None)  # type: ignore[union-attr]
    if new_value is None and reason is None and note is None:
        return None
    return StoredAnswer(value=new_value, na_reason=reason, evidence=note, updated_at=datetime.now(UTC),
                        version=version)


def _based_on(current: StoredAnswer | None) -> int:
    """The version the widget was seeded with (0: no row): a save refuses to overwrite a newer one."""
    return current.version if current is not None else 0


def _save(store: Store, assessment_id: int, question_id: str, value: int | float | str | None, scope: Scope,
          actor: str, na_reason: str | None, current: StoredAnswer | None = None) -> SaveOutcome:
    from storage import AssessmentLocked, StaleAnswer

    try:
        version = store.save_answer(assessment_id, question_id, value, scope, actor, na_reason=na_reason,
                                    based_on=_based_on(current))
    except AssessmentLocked as exc:
        return SaveOutcome(False, "locked", str(exc))
    except StaleAnswer as exc:
        return SaveOutcome(False, "stale", str(exc))
    except StorageError as exc:
        return SaveOutcome(False, "storage_error", str(exc))
    return SaveOutcome(True, row=stored_after(current, value, na_reason, version=version))


# Each save function takes the question's `current` row: the row the widget was seeded with (None: no
# row). The save is refused ("stale") if the stored row has changed since; the outcome's `row` is the
# row as stored afterwards.


def save_choice(store: Store, bundle: Bundle, assessment_id: int, question_id: str, choice: int | str | None,
                reason: str | None, scope: Scope, actor: str, current: StoredAnswer | None = None) -> SaveOutcome:
    """A level question's radio (1-5, "na", "dont_know"). N/A needs a reason when the rubric says
    so: without one NOTHING is stored (the previous answer stays) and the refusal is returned."""
    if choice == NOT_APPLICABLE:
        return save_reason(store, bundle, assessment_id, question_id, reason, scope, actor, current)
    return _save(store, assessment_id, question_id, choice, scope, actor, None, current)


def save_reason(store: Store, bundle: Bundle, assessment_id: int, question_id: str, reason: str | None,
                scope: Scope, actor: str, current: StoredAnswer | None = None) -> SaveOutcome:
    """Record N/A with its reason; an empty reason is refused (a stored reason is kept)."""
    text = unicodedata.normalize("NFC", (reason or "").strip())
    if not text and bundle.rubric.not_applicable.requires_reason:
        return SaveOutcome(False, "na_needs_reason")
    return _save(store, assessment_id, question_id, NOT_APPLICABLE, scope, actor, text or None, current)


def save_number(store: Store, bundle: Bundle, assessment_id: int, question_id: str, value: float | None,
                scope: Scope, actor: str, current: StoredAnswer | None = None) -> SaveOutcome:
    """A numeric indicator (a percentage within the question's range); None clears the answer."""
    if value is None:
        return _save(store, assessment_id, question_id, None, scope, actor, None, current)
    why = check_answer(bundle.questionnaire, question_id, float(value))
    if why:
        return SaveOutcome(False, "out_of_range", why)
    return _save(store, assessment_id, question_id, float(value), scope, actor, None, current)


def save_percent_text(store: Store, bundle: Bundle, assessment_id: int, question_id: str, text: str | None,
                      scope: Scope, actor: str, current: StoredAnswer | None = None) -> SaveOutcome:
    """A numeric indicator typed as text: "62,5", "62.5 %"... (`scoring.answers.parse_percent`);
    anything else is refused with "not_a_number" and nothing is stored."""
    from scoring.answers import parse_percent

    try:
        number = parse_percent(text)
    except ValueError as exc:
        return SaveOutcome(False, "not_a_number", str(exc))
    return save_number(store, bundle, assessment_id, question_id, number, scope, actor, current)


def save_special(store: Store, bundle: Bundle, assessment_id: int, question_id: str, mode: str,
                 number: float | None, reason: str | None, scope: Scope, actor: str,
                 current: StoredAnswer | None = None) -> SaveOutcome:
    """A numeric question's mode radio: a value, "na" (needs a reason) or "dont_know"."""
    if mode == NOT_APPLICABLE:
        return save_reason(store, bundle, assessment_id, question_id, reason, scope, actor, current)
    if mode == DONT_KNOW:
        return _save(store, assessment_id, question_id, DONT_KNOW, scope, actor, None, current)
    return save_number(store, bundle, assessment_id, question_id, number, scope, actor, current)


def save_evidence(store: Store, assessment_id: int, question_id: str, text: str | None, scope: Scope,
                  actor: str, current: StoredAnswer | None = None) -> SaveOutcome:
    from storage import AssessmentLocked, StaleAnswer

    note = unicodedata.normalize("NFC", (text or "").strip()) or None
    try:
        version = store.save_note(assessment_id, question_id, scope, actor, evidence=note,
                                  based_on=_based_on(current))
    except AssessmentLocked as exc:
        return SaveOutcome(False, "locked", str(exc))
    except StaleAnswer as exc:
        return SaveOutcome(False, "stale", str(exc))
    except StorageError as exc:
        return SaveOutcome(False, "storage_error", str(exc))
    return SaveOutcome(True, row=stored_after(current, evidence=note, version=version))


def choice_of(question: Question, stored: StoredAnswer | None) -> int | str | None:
    """The radio value that shows a stored answer."""
    if stored is None or stored.value is None:
        return None
    if question.kind == "level":
        return stored.value if stored.value in (*LEVEL_CHOICES, PROVIDED) else None
    return stored.value if stored.value in (NOT_APPLICABLE, DONT_KNOW) else "value"


# --- import ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    """`info` when stored; otherwise `problems` (file:line texts from the core) or `refusal` (for
    "round_closed", `detail` is the round and `closed_on` its closing date)."""

    info: AssessmentInfo | None = None
    problems: list[str] = field(default_factory=list)
    refusal: Literal["submitted", "round_closed", "storage_error"] | None = None
    detail: str = ""
    file: str = ""
    closed_on: date | None = None
    answers: int = 0
    merged: bool = False

    @property
    def ok(self) -> bool:
        return self.info is not None


def import_response_bytes(raw: bytes, name: str, bundle: Bundle, store: Store, scope: Scope,
                          actor: str) -> ImportOutcome:
    """Import a response YAML as a DRAFT. An invalid file changes nothing and returns the core's
    file:line problems. If the agency already has a draft for that round, the file's answers are
    merged into it (the file wins for the questions it answers; other answers are kept). A
    submitted assessment is never changed."""
    try:
        response = parse_response(raw, name, bundle)
    except ContentError as exc:
        return ImportOutcome(problems=[str(p) for p in exc.problems])
    except Exception as exc:
        return ImportOutcome(problems=[f"{name}: {exc}"])
    try:
        existing = [
            a for a in store.list_assessments(scope, agency_id=response.agency.id, round=response.round)
            if a.questionnaire_id == response.questionnaire
        ]
        merged = False
        if existing:
            if existing[0].is_submitted:
                return ImportOutcome(refusal="submitted", detail=f"{response.agency.id} {response.round}",
                                     info=None)
            response = merge_responses(store.to_response(existing[0].id, scope), response)
            merged = True
        info = store.import_response(response, scope, actor, status="draft")
    except RoundClosed as exc:
        return ImportOutcome(refusal="round_closed", detail=exc.round, file=name, closed_on=exc.closed_at.date())
    except StorageError as exc:
        return ImportOutcome(refusal="storage_error", detail=str(exc))
    return ImportOutcome(info=info, answers=len(response.answers), merged=merged)


def import_offline_workbook(raw: bytes, name: str, bundle: Bundle, store: Store, scope: Scope, actor: str,
                            lang: str) -> ImportOutcome:
    """The offline Excel workbook (reports.offline_workbook): every problem named by sheet and cell,
    and nothing stored unless the whole workbook is valid; then imported like a response file."""
    from reports.offline_workbook import read_offline_workbook
    from scoring.response_frame import response_to_yaml

    read = read_offline_workbook(raw, name, bundle, lang)
    if read.response is None:
        return ImportOutcome(problems=read.problems)
    return import_response_bytes(response_to_yaml(read.response).encode("utf-8"), name, bundle, store, scope, actor)


def merge_responses(current: Response, incoming: Response) -> Response:
    """`incoming` over `current`: its answers replace those questions' answers (and N/A reasons);
    its notes replace notes; everything it does not mention is kept."""
    answers = dict(current.answers)
    notes = {k: v.model_dump() for k, v in current.notes.items()}
    for qid, value in incoming.answers.items():
        answers[qid] = value
        note = notes.setdefault(qid, {"na_reason": None, "evidence": None})
        note["na_reason"] = None
    for qid, note in incoming.notes.items():
        merged = notes.setdefault(qid, {"na_reason": None, "evidence": None})
        for key, value in note.model_dump().items():
            if value is not None:
                merged[key] = value
    clean = {k: AnswerNote(**v) for k, v in notes.items() if v["na_reason"] or v["evidence"]}
    return Response(questionnaire=incoming.questionnaire, version=incoming.version, agency=incoming.agency,
                    round=incoming.round, answers=answers, notes=clean)


# --- results ---------------------------------------------------------------------------------------


def stored_response(store: Store, assessment_id: int, scope: Scope) -> Response:
    return store.to_response(assessment_id, scope)


def score_response(response: Response, bundle: Bundle) -> AgencyResult | None:
    """The engine's result for one stored response (the only scoring path: responses_frame ->
    score -> agency_result); None when nothing is answered yet."""
    frame = responses_frame([response])
    if frame.empty:
        return None
    result = score(frame, bundle)
    return agency_result(result, response.agency.id, response.round)


def score_assessment(store: Store, assessment_id: int, scope: Scope, bundle: Bundle) -> AgencyResult | None:
    return score_response(store.to_response(assessment_id, scope), bundle)


def assessment_label(info: AssessmentInfo, agency_names: Mapping[str, str]) -> str:
    return f"{agency_names.get(info.agency_id, info.agency_id)} · {info.round}"
