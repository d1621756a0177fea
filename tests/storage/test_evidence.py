"""Evidence documents: checked by content, limited, listed, downloaded intact, deletion audited,
frozen after submit; the export bundle re-imports losslessly. SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from scoring.content import load_bundle
from storage import AssessmentLocked, Scope, Store
from storage.assessment_notes import dimension_comments, save_dimension_comment
from storage.evidence import DocumentRefused, Evidence, EvidenceLimits, clean_file_name
from storage.file_types import check_file
from tests.evidence_files import docm_like_bytes, exe_bytes, pdf_bytes, png_bytes, xlsx_bytes
from tests.ui.conftest import AGENCY, sample_response
from ui.record_bundle import export_bundle, import_bundle

NATIONAL = Scope.national()
Q = "governance.strategy"


@pytest.fixture
def draft(store: Store) -> int:
    bundle = load_bundle()
    store.upsert_agency(AGENCY, NATIONAL, "t")
    return store.create_assessment(AGENCY.id, "2026", bundle.questionnaire.id, bundle.questionnaire.version,
                                   NATIONAL, "t").id


def test_files_are_known_by_content_not_by_name() -> None:
    assert check_file("qd.pdf", pdf_bytes()).media_type == "application/pdf"
    assert check_file("anh.PNG", png_bytes()).kind == "png"
    assert check_file("danh_muc.xlsx", xlsx_bytes()).kind == "xlsx"


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("quyet_dinh.pdf", exe_bytes(), "executable"),  # a renamed program
    ("bao_cao.docx", exe_bytes(), "executable"),
    ("anh.png", pdf_bytes(), "name_mismatch"),  # a PDF called .png
    ("ke_hoach.docx", docm_like_bytes(), "macros"),
    ("ghi_chu.txt", b"plain text", "unknown_type"),
    ("rong.pdf", b"", "empty"),
    ("hong.xlsx", b"PK\x03\x04garbage", "damaged"),
])
def test_refused_files_store_nothing(store: Store, draft: int, name: str, content: bytes, reason: str) -> None:
    evidence = Evidence(store)
    with pytest.raises(DocumentRefused) as refused:
        evidence.add(draft, Q, name, content, NATIONAL, "lan")
    assert refused.value.reason == reason
    assert evidence.list(draft, NATIONAL) == []


def test_upload_list_download_delete(store: Store, draft: int) -> None:
    evidence = Evidence(store)
    data = pdf_bytes()
    document = evidence.add(draft, Q, "C:\\Users\\lan\\Quyết định 12.pdf", data, NATIONAL, "lan@dakha")
    assert document.file_name == "Quyết định 12.pdf"  # the path is dropped, the Vietnamese name kept
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    evidence.add(draft, "governance.data_owners", "so_do.png", png_bytes(), NATIONAL, "lan@dakha")
    listed = evidence.by_question(draft, NATIONAL)
    assert [d.file_name for d in listed[Q]] == ["Quyết định 12.pdf"]
    assert [d.file_name for d in listed["governance.data_owners"]] == ["so_do.png"]
    got, content = evidence.content(document.id, NATIONAL)
    assert content == data and got.media_type == "application/pdf"
    evidence.delete(document.id, NATIONAL, "minh@dakha")
    assert Q not in evidence.by_question(draft, NATIONAL)
    trail = [e for e in store.audit_trail(NATIONAL, assessment_id=draft) if e.action.startswith("evidence")]
    deleted = next(e for e in trail if e.action == "evidence_delete")
    assert (deleted.actor, deleted.old_value) == ("minh@dakha", "Quyết định 12.pdf")
    assert hashlib.sha256(data).hexdigest() in (deleted.detail or "")


def test_limits_per_file_per_answer_and_per_assessment(store: Store, draft: int) -> None:
    data = pdf_bytes()
    small = Evidence(store, EvidenceLimits(max_file_bytes=len(data) + 10, max_files_per_answer=2,
                                           max_bytes_per_assessment=3 * len(data) + 5, max_files_per_assessment=10))
    with pytest.raises(DocumentRefused) as refused:
        small.add(draft, Q, "big.pdf", data + b"\x00" * 100, NATIONAL, "t")
    assert refused.value.reason == "too_big"
    small.add(draft, Q, "a.pdf", data, NATIONAL, "t")
    small.add(draft, Q, "b.pdf", data, NATIONAL, "t")
    with pytest.raises(DocumentRefused) as refused:
        small.add(draft, Q, "c.pdf", data, NATIONAL, "t")
    assert (refused.value.reason, refused.value.limit) == ("too_many_for_answer", 2)
    small.add(draft, "governance.data_owners", "d.pdf", data, NATIONAL, "t")
    with pytest.raises(DocumentRefused) as refused:
        small.add(draft, "governance.budget", "e.pdf", data, NATIONAL, "t")
    assert refused.value.reason == "assessment_full"
    assert len(small.list(draft, NATIONAL)) == 3


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DMM_EVIDENCE_MAX_FILE_MB", "2")
    monkeypatch.setenv("DMM_EVIDENCE_MAX_FILES_PER_ANSWER", "3")
    limits = EvidenceLimits.from_env()
    assert (limits.max_file_bytes, limits.max_files_per_answer) == (2 * 1024 * 1024, 3)


def test_evidence_of_a_submitted_assessment_is_frozen(store: Store) -> None:
    bundle = load_bundle()
    evidence = Evidence(store)
    info = store.import_response(sample_response(bundle), NATIONAL, "t", status="draft")
    document = evidence.add(info.id, Q, "qd.pdf", pdf_bytes(), NATIONAL, "t")
    store.submit(info.id, NATIONAL, "t")
    with pytest.raises(AssessmentLocked):
        evidence.add(info.id, Q, "late.pdf", pdf_bytes(), NATIONAL, "t")
    with pytest.raises(AssessmentLocked):
        evidence.delete(document.id, NATIONAL, "t")
    assert [d.file_name for d in evidence.list(info.id, NATIONAL)] == ["qd.pdf"]


def test_export_bundle_reimports_losslessly(store: Store, tmp_path) -> None:
    bundle = load_bundle()
    evidence = Evidence(store)
    info = store.import_response(sample_response(bundle), NATIONAL, "t", status="draft")
    evidence.add(info.id, Q, "Quyết định.pdf", pdf_bytes(), NATIONAL, "lan")
    evidence.add(info.id, Q, "sơ đồ.png", png_bytes(), NATIONAL, "lan")
    evidence.add(info.id, "governance.data_owners", "danh mục.xlsx", xlsx_bytes(), NATIONAL, "lan")
    save_dimension_comment(store, info.id, "governance", "Ban chỉ đạo họp quý; biên bản: \"2/2026\"\nDòng 2",
                           NATIONAL, "lan")
    save_dimension_comment(store, info.id, "sharing", "Chưa kết nối LGSP", NATIONAL, "lan")
    raw = export_bundle(store, evidence, info.id, NATIONAL)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert {"response.yaml", "evidence/manifest.yaml", "comments.yaml"} <= set(archive.namelist())

    # Into another, empty database: same answers, notes and documents byte for byte.
    other = Store(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    other_evidence = Evidence(other)
    imported = import_bundle(raw, "dak_ha.zip", bundle, other, other_evidence, NATIONAL, "t")
    assert imported.ok, imported.problems
    assert imported.documents_added == 3
    new_id = imported.outcome.info.id
    assert other.to_response(new_id, NATIONAL) == store.to_response(info.id, NATIONAL)
    before = {(d.question_id, d.file_name, d.sha256) for d in evidence.list(info.id, NATIONAL)}
    after = {(d.question_id, d.file_name, d.sha256) for d in other_evidence.list(new_id, NATIONAL)}
    assert before == after
    assert dimension_comments(other, new_id, NATIONAL) == {
        "governance": "Ban chỉ đạo họp quý; biên bản: \"2/2026\"\nDòng 2", "sharing": "Chưa kết nối LGSP"}
    assert imported.comments == 2
    # Again: nothing is duplicated.
    again = import_bundle(raw, "dak_ha.zip", bundle, other, other_evidence, NATIONAL, "t")
    assert (again.documents_added, again.documents_skipped) == (0, 3)
    assert dimension_comments(other, new_id, NATIONAL) == dimension_comments(store, info.id, NATIONAL)


def _with_comments(raw: bytes, text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, text.encode() if item.filename == "comments.yaml" else source.read(item))
    return out.getvalue()


@pytest.mark.parametrize(("text", "problem"), [
    ("dimension_comments: {no_such_dimension: x}", "unknown dimension 'no_such_dimension'"),
    ("dimension_comments: {governance: [a, b]}", "the comment of governance is not text"),
    ("dimension_comments: [governance]", "expected a mapping under 'dimension_comments'"),
    ("dimension_comments: {governance: 'x", "not valid YAML"),
])
def test_a_bundle_with_bad_comments_stores_nothing(store: Store, tmp_path, text: str, problem: str) -> None:
    bundle = load_bundle()
    info = store.import_response(sample_response(bundle), NATIONAL, "t", status="draft")
    raw = _with_comments(export_bundle(store, Evidence(store), info.id, NATIONAL), text)
    other = Store(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    result = import_bundle(raw, "x.zip", bundle, other, Evidence(other), NATIONAL, "t")
    assert not result.ok
    assert len(result.problems) == 1 and result.problems[0].startswith(f"x.zip/comments.yaml: {problem}")
    assert other.list_assessments(NATIONAL) == []


def test_a_bundle_with_a_bad_document_stores_nothing(store: Store, tmp_path) -> None:
    bundle = load_bundle()
    evidence = Evidence(store)
    info = store.import_response(sample_response(bundle), NATIONAL, "t", status="draft")
    evidence.add(info.id, Q, "qd.pdf", pdf_bytes(), NATIONAL, "lan")
    raw = export_bundle(store, evidence, info.id, NATIONAL)
    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, exe_bytes() if item.filename.endswith("qd.pdf") else data)
    other = Store(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    result = import_bundle(tampered.getvalue(), "x.zip", bundle, other, Evidence(other), NATIONAL, "t")
    assert not result.ok and "checksum" in result.problems[0]
    assert other.list_assessments(NATIONAL) == []


def test_file_names_are_cleaned() -> None:
    assert clean_file_name("../../etc/passwd") == "passwd"
    assert clean_file_name("a\x00b:c.pdf") == "a_b_c.pdf"
    long = "x" * 300 + ".pdf"
    assert len(clean_file_name(long)) == 255 and clean_file_name(long).endswith(".pdf")
