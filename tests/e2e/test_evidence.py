"""Evidence documents in the browser: upload beside the answer, a renamed program refused in
Vietnamese, download byte for byte, delete; all texts of the uploader in Vietnamese. The wizard's
next-dimension scroll and review step; the offline Excel workbook downloaded and imported back."""

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
    page.get_by_text("Đã lưu tài liệu Quyết định 12.pdf.").wait_for()  # the upload's own signal
    assert block.get_by_text("Quyết định 12.pdf").count() >= 1  # listed beside the answer
    assert [d.file_name for d in Evidence(store).list(aid, NATIONAL)] == ["Quyết định 12.pdf"]

    if not popover.is_visible():
        block.get_by_role("button", name="Tài liệu minh chứng (1)").click()
    popover.locator('[data-testid="stFileUploaderDropzone"] input[type="file"]').set_input_files(str(program))
    wait_idle(page)
    page.get_by_text("Từ chối tệp ke_hoach.pdf: đây là một chương trình máy tính").wait_for()
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
    page.get_by_text("Đã xóa tài liệu Quyết định 12.pdf").wait_for()
    assert Evidence(store).list(aid, NATIONAL) == []
    assert page.locator('[data-testid="stException"]').count() == 0


def test_next_dimension_opens_at_its_first_question_and_the_review_step(app_server, page) -> None:
    from tests.e2e.test_journey import shot
    from tests.ui.conftest import sample_response

    bundle = load_bundle()
    store = Store(f"sqlite:///{Path(app_server.env['DMM_SQLITE_PATH'])}")
    skip = tuple(q.id for q in bundle.questionnaire.dimensions[1].questions[:2])
    response = sample_response(bundle, skip=skip)
    aid = store.import_response(response, NATIONAL, "t", status="draft").id
    page.goto(f"{app_server.url}/assessment?lang=vi&a={aid}&step={bundle.dimension_ids[0]}")
    wait_idle(page)
    shot(page, "wizard-dimension-vi")
    page.locator(".st-key-journey_next_bottom button").scroll_into_view_if_needed()
    page.locator(".st-key-journey_next_bottom button").click()
    wait_idle(page)
    page.wait_for_function("document.body.dataset.dmmScrolled !== undefined")
    top = page.locator(".st-key-journey_step_top").bounding_box()
    assert top is not None and -1 < top["y"] < 300  # the title is on screen (to a sub-pixel), not the bottom
    assert bundle.questionnaire.dimensions[1].name.vi in page.locator(".st-key-journey_step_top").inner_text()

    page.goto(f"{app_server.url}/assessment?lang=vi&a={aid}&step=__review__")
    wait_idle(page)
    assert page.get_by_text("1 câu trả lời “Chưa rõ” (không được tính điểm)").count() == 1
    assert page.get_by_text("Tóm tắt toàn bộ câu trả lời sẽ nộp").count() == 1
    shot(page, "wizard-review-vi")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_offline_workbook_downloads_and_imports_back_on_the_start_page(app_server, page, tmp_path: Path) -> None:
    """Download the offline Excel workbook, fill in a question offline, upload it on Start: the workbook's
    answers are what the wizard shows (a changed answer in the database is overwritten by the file's)."""
    import openpyxl

    from reports.offline_workbook import COL_ANSWER, COL_ID, FIRST_ROW
    from scoring.registry import offered_version
    from tests.e2e.servers import checked_level
    from tests.ui.conftest import sample_response

    bundle = load_bundle("dmm-vn", offered_version()).for_agency_type(AGENCY.type)
    store = Store(f"sqlite:///{Path(app_server.env['DMM_SQLITE_PATH'])}")
    first, second = [q.id for q in bundle.questionnaire.dimensions[0].questions if q.kind == "level"][:2]
    response = sample_response(bundle, skip=(first,))
    aid = store.import_response(response, NATIONAL, "t", status="draft").id
    page.goto(f"{app_server.url}/assessment?lang=vi&a={aid}&step={bundle.dimension_ids[0]}")
    wait_idle(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Trả lời ngoại tuyến bằng Excel").click()
    workbook = tmp_path / "offline.xlsx"
    download_info.value.save_as(workbook)

    book = openpyxl.load_workbook(workbook)  # offline: the unanswered question gets level 4
    sheet = book.worksheets[1]
    row = next(r for r in range(FIRST_ROW, sheet.max_row + 1) if sheet.cell(row=r, column=COL_ID).value == first)
    sheet.cell(row=row, column=COL_ANSWER, value=4)
    book.save(workbook)
    other_level = 1 if response.answers[second] != 1 else 2  # meanwhile, someone changes an answer online
    store.save_answer(aid, second, other_level, NATIONAL, "t")

    page.goto(f"{app_server.url}/?lang=vi")
    wait_idle(page)
    page.locator('.st-key-start_import input[type="file"]').set_input_files(str(workbook))
    page.get_by_text("Đã nhập tệp offline.xlsx vào bản nháp đang có").wait_for()
    stored = store.load_answers(aid, NATIONAL)
    assert stored[first].value == 4 and stored[second].value == response.answers[second]
    assert {q: a.value for q, a in stored.items() if q != first} == response.answers
    page.goto(f"{app_server.url}/assessment?lang=vi&a={aid}&step={bundle.dimension_ids[0]}")
    wait_idle(page)
    assert checked_level(page, aid, first) == 4
    assert checked_level(page, aid, second) == response.answers[second]
    assert page.locator('[data-testid="stException"]').count() == 0
