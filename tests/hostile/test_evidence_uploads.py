"""The hostile-file corpus fed to the evidence upload service (`storage.evidence.Evidence.add`), on
SQLite and PostgreSQL: every response-file kind of tests/hostile/corpus.py, and the kinds that aim at
evidence documents (renamed programs, zip bombs dressed as office files, oversized, empty, wrong
extensions, path-traversal names, NUL in names, macros). Each is refused with a `DocumentRefused`
that names the file and whose reason has a message in both languages, and no stored row changes (the
documents, the answers, the assessments and the audit trail)."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from scoring.content import load_bundle
from storage import Scope, Store
from storage.evidence import DocumentRefused, Evidence, EvidenceLimits, clean_file_name
from storage.schema import AnswerRow, AssessmentRow, AuditRow, EvidenceDocumentRow
from tests.evidence_files import docm_like_bytes, exe_bytes, pdf_bytes, png_bytes, xlsx_bytes
from tests.hostile.corpus import MB, all_kinds, built
from ui.i18n import catalogue

NATIONAL = Scope.national()
ACTOR = "hostile-tests"
Q = "governance.strategy"
OOXML_WORD = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"}


def office_zip(entries: dict[str, bytes], big: tuple[str, int] | None = None) -> bytes:
    """A zip with `entries`, and optionally one entry of `size` spaces streamed in (never held whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if big is not None:
            with archive.open(big[0], "w") as stream:
                for _ in range(big[1] // MB):
                    stream.write(b" " * MB)
    return out.getvalue()


def lying_sizes(raw: bytes, name: str, declared: int) -> bytes:
    """`raw` with the entry `name` declaring `declared` unpacked bytes in its local and central headers."""
    data = bytearray(raw)
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            if data[start + name_at : start + name_at + len(encoded)] == encoded:
                data[start + size_at : start + size_at + 4] = declared.to_bytes(4, "little")
            start += 4
    return bytes(data)


def evidence_kinds() -> list[tuple[str, str, bytes, set[str]]]:
    """(what, file name, bytes, the reasons that are right) aimed at evidence documents."""
    bomb = office_zip(OOXML_WORD | {"word/media/a.xml": b"x"}, big=("word/document2.xml", 64 * MB))
    many = office_zip(OOXML_WORD | {f"word/p{i}.xml": b"" for i in range(10_000)})
    return [
        ("program renamed .pdf", "quyet_dinh.pdf", exe_bytes(), {"executable"}),
        ("program renamed .docx", "bao_cao.docx", exe_bytes(), {"executable"}),
        ("program renamed .jpg", "anh_chup.jpg", exe_bytes(), {"executable"}),
        ("Linux program renamed .png", "so_do.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, {"executable"}),
        ("shell script renamed .pdf", "ke_hoach.pdf", b"#!/bin/sh\nrm -rf /\n", {"executable"}),
        ("zip bomb dressed as .docx", "bom.docx", bomb, {"zip_bomb"}),
        ("zip bomb dressed as .xlsx, lying sizes", "bom.xlsx",
         lying_sizes(office_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"},
                                big=("xl/sheet1.xml", 64 * MB)), "xl/sheet1.xml", 1_000), {"zip_bomb", "damaged"}),
        ("office file with a path-traversal part", "leo_thu_muc.docx",
         office_zip(OOXML_WORD | {"../../evil.xml": b"<x/>"}), {"damaged"}),
        ("office file with an absolute part", "tuyet_doi.docx", office_zip(OOXML_WORD | {"/etc/cron.d/x": b"x"}),
         {"damaged"}),
        ("office file with 10,000 parts", "nhieu_phan.docx", many, {"unknown_type"}),
        ("macros in a .docx", "ke_hoach.docx", docm_like_bytes(), {"macros"}),
        ("oversized PDF", "lon.pdf", pdf_bytes() + b" " * (10 * MB), {"too_big"}),
        ("empty file", "rong.pdf", b"", {"empty"}),
        ("PDF named .docx", "van_ban.docx", pdf_bytes(), {"name_mismatch"}),
        ("image named .exe", "anh.exe", png_bytes(), {"name_mismatch"}),
        ("PDF without an extension", "quyet_dinh", pdf_bytes(), {"name_mismatch"}),
        ("spreadsheet named .pdf", "bang.pdf", xlsx_bytes(), {"name_mismatch"}),
        ("legacy office container named .pdf", "cu.pdf", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
         {"name_mismatch"}),
        ("plain text named .pdf", "ghi_chu.pdf", "Quyết định 12".encode(), {"unknown_type"}),
        ("path traversal in the name", "../../etc/passwd.pdf", pdf_bytes(), {"bad_name"}),
        ("Windows path traversal in the name", "..\\..\\Windows\\System32\\qd.pdf", pdf_bytes(), {"bad_name"}),
        ("NUL in the name", "quyet_dinh.pdf\x00.exe", pdf_bytes(), {"bad_name"}),
        ("line break in the name", "quyet\ndinh.pdf", pdf_bytes(), {"bad_name"}),
    ]


def corpus_kinds() -> list[tuple[str, str, bytes, set[str]]]:
    """Every response-file kind of the corpus, uploaded as evidence under its own name."""
    refusals = {"unknown_type", "damaged", "too_big", "empty", "name_mismatch"}
    return [(f"corpus {k.name}", k.filename, built(k.name), refusals) for k in all_kinds()]


def rows(store: Store) -> dict[str, list[tuple]]:
    tables = {"documents": EvidenceDocumentRow, "answers": AnswerRow, "assessments": AssessmentRow,
              "audit": AuditRow}
    with store.engine.connect() as conn:
        return {name: [tuple(r) for r in conn.execute(select(*t.__table__.columns).order_by(
            *t.__table__.primary_key))] for name, t in tables.items()}


@pytest.fixture
def draft(db_url: str) -> tuple[Store, int]:
    """A draft with one answer and one accepted document (so "nothing changed" is not about nothing)."""
    from tests.ui.conftest import AGENCY

    store = Store(db_url)
    bundle = load_bundle()
    store.upsert_agency(AGENCY, NATIONAL, ACTOR)
    info = store.create_assessment(AGENCY.id, "2026", bundle.questionnaire.id, bundle.questionnaire.version,
                                   NATIONAL, ACTOR)
    store.save_answer(info.id, Q, 3, NATIONAL, ACTOR)
    Evidence(store).add(info.id, Q, "Quyết định 12.pdf", pdf_bytes(), NATIONAL, ACTOR)
    return store, info.id


def test_every_hostile_file_is_refused_by_name_and_changes_nothing(draft: tuple[Store, int]) -> None:
    store, aid = draft
    evidence = Evidence(store, EvidenceLimits())  # the shipped limits, whatever the environment says
    before = rows(store)
    messages = {lang: catalogue(lang) for lang in ("vi", "en")}
    wrong = []
    for what, name, content, reasons in evidence_kinds() + corpus_kinds():
        try:
            evidence.add(aid, Q, name, content, NATIONAL, ACTOR)
        except DocumentRefused as refused:
            shown = clean_file_name(name)
            if refused.reason not in reasons:
                wrong.append(f"{what}: refused as {refused.reason}, expected one of {sorted(reasons)}")
            if refused.file_name != shown or shown not in str(refused):
                wrong.append(f"{what}: the refusal does not name the file {shown!r}: {refused}")
            for lang, texts in messages.items():
                if f"evidence.refused_{refused.reason}" not in texts:
                    wrong.append(f"{what}: no {lang} message for {refused.reason}")
        else:
            wrong.append(f"{what}: accepted")
    assert not wrong, "\n".join(wrong)
    assert rows(store) == before, "a refused upload changed stored rows"
    assert [d.file_name for d in evidence.list(aid, NATIONAL)] == ["Quyết định 12.pdf"]


def test_real_office_files_and_browser_paths_are_still_accepted(draft: tuple[Store, int]) -> None:
    """The checks above must not refuse what people really upload."""
    store, aid = draft
    evidence = Evidence(store, EvidenceLimits())
    for name, content in (("danh_muc.xlsx", xlsx_bytes()), ("C:\\Users\\lan\\Quyết định 13.pdf", pdf_bytes()),
                          ("so_do.png", png_bytes())):
        evidence.add(aid, "sharing.apis", name, content, NATIONAL, ACTOR)
    assert [d.file_name for d in evidence.list(aid, NATIONAL, question_id="sharing.apis")] == [
        "danh_muc.xlsx", "Quyết định 13.pdf", "so_do.png"]
