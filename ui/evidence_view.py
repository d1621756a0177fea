"""Evidence documents beside each answer of the wizard: the names under the answer, and a popover to
upload (checked by content, within the limits), download and delete them. Registered as a question
hook (`ui.question_block.QUESTION_HOOKS`); storage is `storage.evidence`."""

from __future__ import annotations

import streamlit as st

from scoring import numbers
from scoring.content import Bundle
from scoring.schemas.questionnaire import Question
from storage import AssessmentLocked, StorageError, StoredAnswer
from storage.evidence import DocumentRefused, Evidence, EvidenceDocument
from ui.i18n import translate
from ui.state import current_actor, current_scope, get_store

DOCS_KEY = "evidence_documents"  # assessment id -> question id -> documents (read once per page run)
UPLOAD_ROUND_KEY = "evidence_upload_round"  # a new uploader key after each upload clears it
MESSAGES_KEY = "evidence_messages"


@st.cache_resource(show_spinner=False)
def _evidence(url: str) -> Evidence:
    return Evidence(get_store())


def get_evidence() -> Evidence:
    return _evidence(get_store().url)


def forget(assessment_id: int) -> None:
    """Read the assessment's documents again on the next use (a full page run, or after a change)."""
    st.session_state.setdefault(DOCS_KEY, {}).pop(assessment_id, None)


def documents(assessment_id: int) -> dict[str, list[EvidenceDocument]]:
    cache = st.session_state.setdefault(DOCS_KEY, {})
    if assessment_id not in cache:
        cache[assessment_id] = get_evidence().by_question(assessment_id, current_scope())
    return cache[assessment_id]


def size_text(size: int, lang: str) -> str:
    value = size / 1024 / 1024 if size >= 1024 * 1024 else size / 1024
    unit = "MB" if size >= 1024 * 1024 else "KB"
    return f"{numbers.fmt_decimal(value, lang)} {unit}"


def _upload_key(assessment_id: int, question_id: str) -> str:
    rounds = st.session_state.setdefault(UPLOAD_ROUND_KEY, {})
    return f"q_{assessment_id}_{question_id}_upload_{rounds.get((assessment_id, question_id), 0)}"


def _on_upload(assessment_id: int, question_id: str, lang: str) -> None:
    files = st.session_state.get(_upload_key(assessment_id, question_id)) or []
    messages: list[tuple[str, str]] = []
    evidence = get_evidence()
    for file in files:
        try:
            document = evidence.add(assessment_id, question_id, file.name, file.getvalue(), current_scope(),
                                    current_actor())
            messages.append(("success", translate(lang, "evidence.added", name=document.file_name)))
        except DocumentRefused as exc:
            limit = "" if exc.limit is None else size_text(exc.limit, lang) if "big" in exc.reason or exc.reason == (
                "assessment_full") else str(exc.limit)
            messages.append(("error", translate(lang, f"evidence.refused_{exc.reason}", name=exc.file_name,
                                                limit=limit)))
        except AssessmentLocked:
            messages.append(("error", translate(lang, "evidence.locked")))
        except StorageError as exc:
            messages.append(("error", translate(lang, "evidence.failed", detail=str(exc))))
    rounds = st.session_state.setdefault(UPLOAD_ROUND_KEY, {})
    rounds[(assessment_id, question_id)] = rounds.get((assessment_id, question_id), 0) + 1
    st.session_state.setdefault(MESSAGES_KEY, {})[(assessment_id, question_id)] = messages
    forget(assessment_id)


def _on_delete(assessment_id: int, question_id: str, document_id: int, lang: str) -> None:
    try:
        document = get_evidence().delete(document_id, current_scope(), current_actor())
        message = ("success", translate(lang, "evidence.deleted", name=document.file_name))
    except AssessmentLocked:
        message = ("error", translate(lang, "evidence.locked"))
    except StorageError as exc:
        message = ("error", translate(lang, "evidence.failed", detail=str(exc)))
    st.session_state.setdefault(MESSAGES_KEY, {})[(assessment_id, question_id)] = [message]
    forget(assessment_id)


def documents_hook(ctx: object, bundle: Bundle, question: Question, stored: StoredAnswer | None) -> None:
    """Under one question: its documents' names, then the popover to manage them."""
    aid, qid, lang, readonly = ctx.assessment_id, question.id, ctx.lang, ctx.readonly  # type: ignore[attr-defined]
    docs = documents(aid).get(qid, [])
    if docs:
        names = " · ".join(f"**{d.file_name}** ({size_text(d.size, lang)})" for d in docs)
        st.markdown(f":material/attach_file: {names}")
    label = translate(lang, "evidence.documents", count=len(docs))
    with st.popover(label, icon=":material/attach_file:"):
        for document in docs:
            left, middle, right = st.columns([6, 2, 2], vertical_alignment="center")
            left.markdown(f"**{document.file_name}**  \n{size_text(document.size, lang)} · {document.uploaded_by}")
            middle.download_button(
                translate(lang, "evidence.download"), key=f"q_{aid}_{qid}_doc_{document.id}_get",
                data=lambda d=document.id: get_evidence().content(d, current_scope())[1],
                file_name=document.file_name, mime=document.media_type, on_click="ignore",
                icon=":material/download:",
            )
            if not readonly:
                right.button(translate(lang, "evidence.delete"), key=f"q_{aid}_{qid}_doc_{document.id}_del",
                             on_click=_on_delete, args=(aid, qid, document.id, lang), icon=":material/delete:")
        if readonly:
            st.caption(translate(lang, "evidence.frozen"))
        else:
            limits = get_evidence().limits
            st.file_uploader(
                translate(lang, "evidence.upload_label"), accept_multiple_files=True,
                key=_upload_key(aid, qid), on_change=_on_upload, args=(aid, qid, lang),
                help=translate(lang, "evidence.upload_help", size=size_text(limits.max_file_bytes, lang),
                               count=limits.max_files_per_answer),
            )
            st.caption(translate(lang, "evidence.upload_help", size=size_text(limits.max_file_bytes, lang),
                                 count=limits.max_files_per_answer))
    for kind, text in st.session_state.get(MESSAGES_KEY, {}).pop((aid, qid), []):
        (st.success if kind == "success" else st.error)(text, icon="✅" if kind == "success" else "⛔")
