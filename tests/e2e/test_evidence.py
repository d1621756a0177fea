"""Evidence documents in the browser: upload beside the answer, a renamed program refused in
Vietnamese, download byte for byte, delete; all texts of the uploader in Vietnamese."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.content import load_bundle
from storage import Scope, Store
from storage.evidence import Evidence
from tests.e2e.conftest import screenshot, wait_idle
from tests.evidence_files import exe_bytes, pdf_bytes
from tests.ui.conftest import AGENCY

pytestmark = pytest.mark.e2e
NATIONAL = Scope.national()


def test_upload_refuse_download_delete(app_server, page, tmp_path: Path) -> None:
    bundle = load_bundle()
    store = Store(f"sqlite:///{Path(app_server.env['DMM_SQLITE_PATH'])}")
    store.upsert_agency(AGENCY, NATIONAL, "t")
    aid = store.create_assessment(AGENCY.id, "2026", bundle.questionnaire.id, bundle.questionnaire.version,
                                  NATIONAL, "t").id
    qid = bundle.questionnaire.dimensions[0].questions[0].id
    block = page.locator(f".st-key-block_{aid}_{qid.replace('.', '__')}")
    decision = tmp_path / "Quyết định 12.pdf"
    decision.write_bytes(pdf_bytes())
    program = tmp_path / "ke_hoach.pdf"
    program.write_bytes(exe_bytes())

    page.goto(f"{app_server.url}/assessment?lang=vi&a={aid}")
    wait_idle(page)
    block.get_by_role("button", name="Tài liệu minh chứng (0)").click()
    popover = page.locator('[data-testid="stPopoverBody"]')
    dropzone = popover.locator('[data-testid="stFileUploaderDropzone"]')
    dropzone.wait_for()
    text = dropzone.inner_text()
    assert "Drag" not in text and "Browse" not in text and "per file" not in text
    screenshot(page, "evidence-popover-vi")
    dropzone.locator('input[type="file"]').set_input_files(str(decision))
    wait_idle(page)
    assert block.get_by_text("Quyết định 12.pdf").count() >= 1  # listed beside the answer
    assert [d.file_name for d in Evidence(store).list(aid, NATIONAL)] == ["Quyết định 12.pdf"]

    if not popover.is_visible():
        block.get_by_role("button", name="Tài liệu minh chứng (1)").click()
    popover.locator('[data-testid="stFileUploaderDropzone"] input[type="file"]').set_input_files(str(program))
    wait_idle(page)
    assert page.get_by_text("Từ chối tệp ke_hoach.pdf: đây là một chương trình máy tính").count() == 1
    assert len(Evidence(store).list(aid, NATIONAL)) == 1
    screenshot(page, "evidence-refused-vi")

    if not popover.is_visible():
        block.get_by_role("button", name="Tài liệu minh chứng (1)").click()
    with page.expect_download() as download_info:
        popover.get_by_role("button", name="Tải về").click()
    saved = tmp_path / "downloaded.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes() == decision.read_bytes()

    popover.get_by_role("button", name="Xóa").click()
    wait_idle(page)
    assert Evidence(store).list(aid, NATIONAL) == []
    assert page.get_by_text("Đã xóa tài liệu Quyết định 12.pdf").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
