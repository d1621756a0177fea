"""The IT lead's journey in a real browser: add the agency, answer, reload, restart the server,
import the rest from a YAML file, submit, read the results and download the PDF.

Screenshots of Start, Assessment and Results in both languages go to screenshots/ for a person to
look at.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from scoring.content import load_bundle
from scoring.response_frame import response_to_yaml
from scoring.schemas.response import Agency
from tests.conftest import require_tool
from tests.e2e.conftest import reruns, screenshot, wait_idle
from tests.ui.conftest import sample_response

pytestmark = pytest.mark.e2e

NAME = "Ủy ban nhân dân xã Đắk Hà"
AGENCY_ID = "uy_ban_nhan_dan_xa_dak_ha"


def block(page, aid: str, qid: str):
    return page.locator(f".st-key-block_{aid}_{qid.replace('.', '__')}")


def checked_index(page, aid: str, qid: str) -> int | None:
    inputs = block(page, aid, qid).locator('input[type="radio"]')
    for index in range(inputs.count()):
        if inputs.nth(index).is_checked():
            return index
    return None


def shot(page, name: str) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, so make the window tall."""
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }")
    page.set_viewport_size({"width": 1400, "height": min(max(1000, int(height) + 40), 9000)})
    screenshot(page, name)
    page.set_viewport_size({"width": 1400, "height": 1000})


def choose_step(page, text: str) -> None:
    if text in page.locator(".st-key-journey_step_select input").input_value():
        return  # already open: choosing it again asks for no run
    page.locator(".st-key-journey_step_select input").click()
    with reruns(page):  # the step fragment's own run
        page.get_by_role("option").filter(has_text=text).first.click()


def test_the_it_leads_journey(app_server, page, tmp_path: Path) -> None:
    bundle = load_bundle()
    dims = bundle.questionnaire.dimensions
    q1 = next(q for q in dims[0].questions if q.kind == "level")
    q2 = next(q for q in dims[1].questions if q.kind == "level")
    numeric = next(q for q in dims[0].questions if q.kind == "numeric")
    level3 = f"Cấp 3 · {bundle.questionnaire.level_definition(3).name.vi}"
    level4 = f"Cấp 4 · {bundle.questionnaire.level_definition(4).name.vi}"

    # --- Start: add the agency and start the round ---------------------------------------------
    page.goto(f"{app_server.url}/?lang=vi")
    wait_idle(page)
    shot(page, "journey-start-empty-vi")
    page.get_by_label("Tên cơ quan").fill(NAME)
    page.get_by_label("Tên cơ quan").press("Enter")
    wait_idle(page)
    page.locator(".st-key-start_new_province input").click()
    page.keyboard.type("Đắk Lắk")
    page.get_by_role("option").filter(has_text="Tỉnh Đắk Lắk").first.click()
    wait_idle(page)
    page.locator(".st-key-start_add_agency button").click()
    wait_idle(page)
    assert page.get_by_text(f"Đã thêm cơ quan {NAME}").count() == 1
    shot(page, "journey-start-vi")
    page.locator(".st-key-start_new_round button").click()
    wait_idle(page)
    page.wait_for_url(re.compile(r".*/assessment\?.*a=\d+"))
    aid = parse_qs(urlparse(page.url).query)["a"][0]

    # --- Assessment: answer in two dimensions -----------------------------------------------------
    block(page, aid, q1.id).get_by_text(level3, exact=True).click()
    wait_idle(page)
    assert checked_index(page, aid, q1.id) == 2
    # A percentage with the Vietnamese decimal comma and a "%" sign, then an unreadable one.
    percent = block(page, aid, numeric.id).locator("input[type='text']")
    percent.fill("62,5 %")
    percent.press("Tab")
    wait_idle(page)
    assert percent.input_value() == "62,5"
    percent.fill("6,5,1")
    percent.press("Tab")
    wait_idle(page)
    assert block(page, aid, numeric.id).get_by_text("không phải là một tỉ lệ phần trăm").count() == 1
    percent.fill("62,5")
    percent.press("Tab")
    wait_idle(page)
    page.locator(".st-key-journey_next_bottom button").click()
    wait_idle(page)
    block(page, aid, q2.id).get_by_text(level4, exact=True).click()
    wait_idle(page)
    evidence = block(page, aid, q2.id).get_by_label("Minh chứng (ghi chú hoặc đường dẫn)")
    evidence.fill("Quyết định số 15/QĐ-UBND")  # no Enter: its Save button stores it
    block(page, aid, q2.id).get_by_role("button", name="Lưu minh chứng").click()
    wait_idle(page)
    assert block(page, aid, q2.id).get_by_text("Đã lưu lúc").count() == 1
    shot(page, "journey-assessment-vi")

    def answers_are_there() -> None:
        wait_idle(page)
        block(page, aid, q2.id).locator('input[type="radio"]:checked').wait_for(state="attached")
        assert checked_index(page, aid, q2.id) == 3  # the step is kept in the URL too
        assert block(page, aid, q2.id).get_by_label("Minh chứng (ghi chú hoặc đường dẫn)").input_value() == (
            "Quyết định số 15/QĐ-UBND")
        choose_step(page, dims[0].name.vi)
        assert checked_index(page, aid, q1.id) == 2
        assert block(page, aid, numeric.id).locator("input[type='text']").input_value() == "62,5"
        choose_step(page, dims[1].name.vi)

    url = page.url
    page.reload()
    answers_are_there()
    app_server.restart()
    page.goto(url)
    answers_are_there()
    assert page.locator('[data-testid="stException"]').count() == 0

    # Changing an answered question reruns only the step's fragment; N/A waits for its reason.
    level2 = f"Cấp 2 · {bundle.questionnaire.level_definition(2).name.vi}"
    block(page, aid, q2.id).get_by_text(level2, exact=True).click()
    wait_idle(page)
    assert checked_index(page, aid, q2.id) == 1
    block(page, aid, q2.id).get_by_text("Không áp dụng với cơ quan (cần nêu lý do)", exact=True).click()
    wait_idle(page)
    assert block(page, aid, q2.id).get_by_text("Hãy nhập lý do").count() == 1
    reason = block(page, aid, q2.id).get_by_label("Lý do không áp dụng")
    reason.fill("Xã chưa có hệ thống thông tin riêng")
    block(page, aid, q2.id).locator('[data-testid="stMarkdownContainer"]').first.click()  # leaving the field saves

    wait_idle(page)
    assert block(page, aid, q2.id).get_by_text("Hãy nhập lý do").count() == 0
    assert block(page, aid, q2.id).get_by_text("Đã trả lời").count() == 1
    page.reload()
    wait_idle(page)
    assert checked_index(page, aid, q2.id) == 5  # N/A, stored with its reason
    assert block(page, aid, q2.id).get_by_label("Lý do không áp dụng").input_value() == (
        "Xã chưa có hệ thống thông tin riêng")

    # --- Complete the rest from a YAML file (the answers given in the app are kept) -----------------
    agency = Agency(id=AGENCY_ID, name=NAME, type="commune", province="tinh_dak_lak")
    response = sample_response(bundle, agency=agency, skip=(q1.id, q2.id, numeric.id))
    yaml_file = tmp_path / "dak_ha.yaml"
    yaml_file.write_text(response_to_yaml(response), encoding="utf-8")
    page.goto(f"{app_server.url}/")
    wait_idle(page)
    page.locator('[data-testid="stFileUploaderDropzone"] input[type="file"]').set_input_files(str(yaml_file))
    wait_idle(page)  # the import, then the assessment page it switches to
    page.wait_for_url(re.compile(r".*/assessment.*"))
    assert page.get_by_text("Đã nhập tệp dak_ha.yaml").count() == 1

    # --- Submit ---------------------------------------------------------------------------------------
    choose_step(page, "Rà soát và nộp")
    assert page.get_by_text("Đã trả lời đủ tất cả câu hỏi").count() == 1
    page.locator(".st-key-journey_confirm label").click()
    wait_idle(page)
    page.locator(".st-key-journey_submit button").click()
    wait_idle(page)
    assert page.get_by_text("Đã nộp bản đánh giá").count() >= 1
    shot(page, "journey-submitted-vi")

    # --- Results and the PDF ------------------------------------------------------------------------------
    page.get_by_role("link", name="Xem kết quả").first.click()
    wait_idle(page)
    page.wait_for_selector('[data-testid="stVegaLiteChart"]')
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(2)  # charts load lazily
    assert page.get_by_text("Cấp độ chung").count() >= 1
    shot(page, "journey-results-vi")
    with page.expect_download(timeout=60_000) as download_info:
        page.locator(".st-key-results_pdf button").click()
    pdf_path = tmp_path / "report.pdf"
    download_info.value.save_as(pdf_path)
    require_tool("pdftotext", "poppler-utils")
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert NAME in text
    assert re.search(r"Cấp độ chung: (Cấp [1-5] · \w+|Chưa xếp cấp)", text)
    assert "Kết quả theo lĩnh vực" in text
    assert f"{bundle.questionnaire.id}, phiên bản {bundle.questionnaire.version}" in text

    # --- The same pages in English ------------------------------------------------------------------------
    for path, name in (("", "start"), ("assessment", "assessment"), ("results", "results")):
        page.goto(f"{app_server.url}/{path}?lang=en&a={aid}")
        wait_idle(page)
        if path == "results":
            page.wait_for_selector('[data-testid="stVegaLiteChart"]')
        assert page.locator('[data-testid="stException"]').count() == 0
        shot(page, f"journey-{name}-en")
    assert page.get_by_text("Overall level").count() >= 1
    page.goto(f"{app_server.url}/assessment?lang=vi&a={aid}")
    wait_idle(page)
    shot(page, "journey-assessment-readonly-vi")
