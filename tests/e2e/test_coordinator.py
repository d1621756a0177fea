"""The coordinator view in headless Chromium: upload a zip holding one bad file, read the import
report, see the heatmap, open one agency's full results, download the filtered table as Excel and
check its rows; then screenshots of the view on a synthetic country, in Vietnamese and English."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from coordinator.demo import load_demo
from coordinator.imports import frame_to_responses
from scoring import load_bundle, response_to_yaml
from scoring.synthetic import national_population, synthetic_answers
from storage import Scope, Store, sqlite_url
from tests.coordinator.test_imports import bad_yaml
from tests.e2e.conftest import screenshot, wait_idle

pytestmark = pytest.mark.e2e


def response_zip() -> tuple[bytes, list[str]]:
    """Twelve valid responses (ministries, provinces, communes; round 2026) and one bad file."""
    bundle = load_bundle()
    agencies = national_population(total=300, seed=5)
    chosen = agencies.groupby("agency_type", group_keys=False).head(4)
    frame = synthetic_answers(chosen.reset_index(drop=True), bundle, rounds=2, seed=5)
    frame = frame[frame["round"].astype(str) == "2026"]
    responses = frame_to_responses(frame, bundle.questionnaire.id, bundle.questionnaire.version)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for response in responses:
            archive.writestr(f"{response.agency.id}.yaml", response_to_yaml(response))
        archive.writestr("loi.yaml", bad_yaml(bundle))
    return buffer.getvalue(), [r.agency.id for r in responses]


def section(page, label: str) -> None:
    page.locator('[data-testid="stButtonGroup"]').get_by_text(label, exact=True).click()
    wait_idle(page)


def upload_register(page, raw: bytes) -> None:
    box = page.locator(".st-key-coord_register_file")
    if not box.is_visible():
        page.get_by_text("Danh mục xã, phường (tải danh sách chính thức lên)").click()
    box.locator('input[type="file"]').set_input_files(files=[{"name": "xa.csv", "mimeType": "text/csv",
                                                              "buffer": raw}])
    wait_idle(page)
    page.get_by_role("button", name="Thay danh mục xã, phường").click()
    wait_idle(page, timeout=60_000)
    no_exception(page)


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_import_heatmap_drill_down_and_excel(app_server, page, tmp_path: Path) -> None:
    archive, agency_ids = response_zip()
    page.goto(f"{app_server.url}/coordinator?lang=vi")
    wait_idle(page)
    assert page.get_by_text("Chưa có bản đánh giá nào được nộp").count() == 1

    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "dot_1.zip", "mimeType": "application/zip", "buffer": archive}])
    page.get_by_role("button", name="Nhập 1 tệp").click()
    wait_idle(page, timeout=120_000)
    no_exception(page)
    page.get_by_text("Kết quả nhập").wait_for()
    assert page.get_by_text("12 tệp được nhận, 1 tệp bị từ chối").count() == 1
    assert "dot_1.zip/loi.yaml:" in page.locator('[data-testid="stCode"]').inner_text()
    screenshot(page, "coordinator-import-vi")

    section(page, "Bản đồ nhiệt")
    no_exception(page)
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_attached()  # charts load lazily
    page.get_by_text("12 cơ quan; nhóm yếu nhất ở trên", exact=False).wait_for()  # aggregated by province
    screenshot(page, "coordinator-heatmap-vi")

    section(page, "Xếp hạng và chi tiết")
    drill = page.locator(".st-key-coord_drill")
    drill.click()
    page.keyboard.type(agency_ids[0])
    page.keyboard.press("Enter")
    wait_idle(page, timeout=60_000)
    no_exception(page)
    page.get_by_text("Cấp độ chung").first.wait_for()  # the IT lead's results view
    screenshot(page, "coordinator-drill-vi")

    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Bảng đã lọc (Excel)").click()
    saved = tmp_path / "bang.xlsx"
    download.value.save_as(saved)
    rows = list(load_workbook(saved).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("Hạng", "Mã cơ quan", "Cơ quan")
    assert sorted(r[1] for r in rows[1:]) == sorted(agency_ids)

    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Báo cáo tổng hợp (PDF)").click()
    pdf = tmp_path / "bao-cao.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_screenshots_of_a_synthetic_country(app_server, page, lang: str) -> None:
    store = Store(app_server.env.get("DATABASE_URL") or sqlite_url(app_server.env["DMM_SQLITE_PATH"]))
    load_demo(store, load_bundle(), Scope.national(), total=600, rounds=3)
    page.set_viewport_size({"width": 1400, "height": 2400})  # the app scrolls inside: show more of it
    page.goto(f"{app_server.url}/coordinator?lang={lang}")
    wait_idle(page, timeout=120_000)
    no_exception(page)
    expect(page.locator('[data-testid="stMetric"]').nth(3)).to_be_attached()
    screenshot(page, f"coordinator-overview-{lang}")
    names = {"vi": ("Tình hình nộp", "Bản đồ nhiệt", "Tỉnh, thành phố", "Xu hướng và dự báo"),
             "en": ("Responses", "Heatmap", "Provinces", "Trends and projection")}[lang]
    for label, name in zip(names, ("responses", "heatmap", "provinces", "trends"), strict=True):
        section(page, label)
        no_exception(page)
        screenshot(page, f"coordinator-{name}-{lang}")
        if name == "responses":  # the register (3,385 agencies) minus the 600 that answered
            expected = {"vi": ("Phải nộp", "3.385"), "en": ("Expected", "3,385")}[lang]
            tile = page.locator('[data-testid="stMetric"]').filter(has_text=expected[0]).first
            assert expected[1] in tile.inner_text()
            if lang == "vi":  # the official commune list uploaded: a bad file first (file:line), then a good one
                upload_register(page, b"id,name,province\nxa_1,Xa 1,tinh_ha_noi\nxa_2,Xa 2,tinh_khong_co\n")
                assert "xa.csv:3:" in page.locator('[data-testid="stCode"]').inner_text()
                assert expected[1] in tile.inner_text()  # nothing changed
                screenshot(page, "coordinator-register-refused-vi")
                upload_register(page, b"id,name,province\nxa_1,Xa 1,tinh_ha_noi\nxa_2,Xa 2,tinh_ca_mau\n")
                page.get_by_text("nay có 2 xã, phường phải nộp").wait_for()
                assert "66" in tile.inner_text()  # 34 provinces + 30 ministries + the 2 uploaded communes
                screenshot(page, "coordinator-register-uploaded-vi")
        if name == "heatmap":  # aggregated by province; drill down into one
            page.locator(".st-key-coord_hm_group").click()
            page.keyboard.type("Cà Mau")
            page.keyboard.press("Enter")
            wait_idle(page, timeout=60_000)
            no_exception(page)
            page.get_by_text({"vi": "Hiển thị", "en": "Showing"}[lang]).first.wait_for()
            screenshot(page, f"coordinator-heatmap-drill-{lang}")
    if lang == "vi":  # importing into a populated database: no crash, the report at once
        archive, agency_ids = response_zip()
        section(page, "Nhập dữ liệu")
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            files=[{"name": "dot_2.zip", "mimeType": "application/zip", "buffer": archive}])
        page.get_by_role("button", name="Nhập 1 tệp").click()
        wait_idle(page, timeout=120_000)
        no_exception(page)
        page.get_by_text("12 tệp được nhận, 1 tệp bị từ chối").wait_for()
        assert "dot_2.zip/loi.yaml:" in page.locator('[data-testid="stCode"]').inner_text()
        stored = {a.agency_id for a in store.list_assessments(Scope.national(), round="2026")}
        assert set(agency_ids) <= stored
        screenshot(page, "coordinator-import-populated-vi")
