"""Trainer mode in headless Chromium: every view renders, search, level filter, what-if, comparison,
the handbook download and presentation mode, with a screenshot of each for a person to look at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import drawn, reruns, screenshot, wait_idle

pytestmark = pytest.mark.e2e


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()


def _view(page, label: str) -> None:
    with reruns(page):
        page.locator('[data-testid="stButtonGroup"] button', has_text=label).first.click()


def _open_select(page, box) -> None:
    """Open a selectbox's menu. A click used to be lost now and then: it landed while the box was
    still Streamlit's loading placeholder (stSkeleton) or was mounted again by a run still going;
    `wait_idle` now returns only when the run has ended and every element has loaded."""
    box.get_by_role("combobox").first.click()
    page.get_by_role("option").first.wait_for()


def _choose(page, select_label: str, option: str | re.Pattern[str]) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=select_label).first
    _open_select(page, box)
    with reruns(page):
        page.get_by_role("option", name=option, exact=isinstance(option, str)).first.click()


def _full_screenshot(page, name: str) -> None:
    """Streamlit scrolls inside the app, not the document: grow the viewport to the content first."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], section, div')]"
        ".slice(0, 400).map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1400, "height": min(max(int(height) + 40, 1000), 12_000)})
    screenshot(page, name)
    page.set_viewport_size({"width": 1400, "height": 1000})
    drawn(page)


def _open(page, app_server, lang: str = "vi") -> None:
    page.goto(f"{app_server.url}/trainer?lang={lang}")
    wait_idle(page)
    _no_exception(page)


def test_criteria_browser_search_and_level_filter(app_server, page):
    _open(page, app_server)
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("table.dmm-matrix").count() == 1
    assert "governance.strategy" in main.inner_text()
    _full_screenshot(page, "trainer-criteria-vi")

    _choose(page, "Lĩnh vực", "An toàn thông tin và bảo vệ dữ liệu cá nhân")
    assert "security.backup" in main.inner_text()
    _full_screenshot(page, "trainer-criteria-security-vi")

    search = page.get_by_label("Tìm kiếm")
    search.fill("du lieu ca nhan")
    search.press("Enter")
    wait_idle(page)
    _choose(page, "Lĩnh vực", "Tất cả lĩnh vực")
    text = main.inner_text()
    assert "security.personal_data" in text and "governance.policies" in text
    assert main.locator("mark").count() > 0
    _full_screenshot(page, "trainer-search-vi")

    search.fill("")
    search.press("Enter")
    wait_idle(page)
    _choose(page, "Cấp độ", "Cấp 3 · Chuẩn hóa")
    assert main.locator("table.dmm-matrix").count() == 10  # one per dimension
    _full_screenshot(page, "trainer-level3-vi")
    _no_exception(page)


def test_targets_view(app_server, page):
    _open(page, app_server)
    _view(page, "Mục tiêu 2027 · 2030")
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "cần cấp 3" in text
    _full_screenshot(page, "trainer-targets-2027-vi")
    page.locator('[data-testid="stButtonGroup"] button', has_text="Năm 2030").click()
    wait_idle(page)
    assert "cần cấp 4" in page.locator('[data-testid="stMain"]').inner_text()
    _full_screenshot(page, "trainer-targets-2030-vi")
    _no_exception(page)


def test_sample_and_what_if(app_server, page):
    _open(page, app_server)
    _view(page, "Cơ quan mẫu")
    _choose(page, "Cơ quan mẫu", "Bộ Y tế (2026)")
    _no_exception(page)
    _full_screenshot(page, "trainer-sample-vi")

    _view(page, "Thử thay đổi (mô phỏng)")
    _choose(page, "Lĩnh vực", "An toàn thông tin và bảo vệ dữ liệu cá nhân")
    _choose(page, "security.system_levels", re.compile(r"^5 · "))
    main = page.locator('[data-testid="stMain"]')
    assert "Đã thay đổi 1 câu trả lời" in main.inner_text()
    assert main.locator('[data-testid="stTable"]').filter(has_text="▲").count() >= 1
    _no_exception(page)
    _full_screenshot(page, "trainer-whatif-vi")

    page.get_by_role("button", name=re.compile("Đặt lại")).click()
    wait_idle(page)
    assert "Chưa thay đổi câu trả lời nào" in main.inner_text()


def test_compare_view(app_server, page):
    _open(page, app_server)
    _view(page, "So sánh hai cơ quan")
    _choose(page, "Cơ quan A", "Bộ Tài chính (2026)")
    _choose(page, "Cơ quan B", "UBND xã Mường Nhé (2026)")
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator('[data-testid="stVegaLiteChart"]')).to_have_count(1)  # charts load lazily
    assert "Bộ Tài chính" in main.inner_text()
    _no_exception(page)
    _full_screenshot(page, "trainer-compare-vi")


def test_handbook_download(app_server, page, tmp_path):
    _open(page, app_server)
    _view(page, "Sổ tay PDF")
    _full_screenshot(page, "trainer-handbook-vi")
    with page.expect_download(timeout=60_000) as info:
        page.locator('[data-testid="stDownloadButton"] button').click()
    path = tmp_path / "handbook.pdf"
    info.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    assert info.value.suggested_filename.endswith("-vi.pdf")


def test_presentation_mode_keeps_what_if_live(app_server, page):
    _open(page, app_server)
    page.locator('[data-testid="stMain"]').get_by_text("Chế độ trình chiếu").click()  # the switch stays on the page
    wait_idle(page)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()  # the projector shows the content only
    _full_screenshot(page, "trainer-presentation-criteria-vi")
    _view(page, "Cơ quan mẫu")
    _full_screenshot(page, "trainer-presentation-result-vi")
    _view(page, "Thử thay đổi (mô phỏng)")
    main = page.locator('[data-testid="stMain"]')
    assert "bộ tiêu chí chỉ để xem" in main.inner_text()
    question = main.locator('[data-testid="stSelectbox"]').filter(has_text="governance.strategy").first
    assert not question.locator("input").first.is_disabled()  # a trainer runs a live what-if while projecting
    _no_exception(page)
    _full_screenshot(page, "trainer-presentation-sample-vi")


def test_english_ui(app_server, page):
    _open(page, app_server, "en")
    main = page.locator('[data-testid="stMain"]')
    assert "Data strategy and governance" in main.inner_text()
    _full_screenshot(page, "trainer-criteria-en")
    _view(page, "Sample agency")
    _view(page, "Try changes (what-if)")
    _no_exception(page)
    _full_screenshot(page, "trainer-whatif-en")
    _view(page, "Compare two agencies")
    _no_exception(page)
    _full_screenshot(page, "trainer-compare-en")
