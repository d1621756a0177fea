"""The app starts and every page renders without an exception, in both languages."""

from __future__ import annotations

import urllib.request

import pytest

from tests.e2e.conftest import screenshot, wait_idle

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_renders(app_server, page, lang):
    for path in ("", "assessment", "results", "coordinator", "trainer", "rounds"):
        page.goto(f"{app_server.url}/{path}?lang={lang}")
        wait_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0, path
        assert "Page not found" not in page.content()
        screenshot(page, f"smoke-{path or 'start'}-{lang}")


def test_an_unknown_address_says_page_not_found_in_the_app_language(app_server, page):
    """/foo: the app's own page in vi and en (no Streamlit "Page not found" dialog), on a phone too,
    with a link to the first page that works."""
    for lang, title, link in (("vi", "Không tìm thấy trang", "Về trang Bắt đầu"),
                              ("en", "Page not found", "Go to Start")):
        page.goto(f"{app_server.url}/foo?lang={lang}")
        wait_idle(page)
        page.get_by_role("heading", name=title).wait_for()
        page.get_by_role("link", name=link).wait_for()
        assert page.get_by_text("The page that you have requested does not seem to exist").count() == 0
        assert page.locator('[role="dialog"]').count() == 0
        assert page.url.startswith(f"{app_server.url}/foo"), "the address stays what the person typed"
        screenshot(page, f"not-found-{lang}")
    page.set_viewport_size({"width": 390, "height": 844})  # no script run: the page only lays out again
    screenshot(page, "not-found-en-phone")
    page.get_by_role("link", name="Go to Start").click()
    wait_idle(page)
    page.get_by_role("heading", name="Data-management maturity self-assessment").wait_for()  # the Start page
    assert page.url.split("?")[0].rstrip("/") == app_server.url
    # The first page by its own name (Streamlit serves it only at the root): that page, no dialog.
    page.goto(f"{app_server.url}/start?lang=en")
    wait_idle(page)
    page.get_by_role("heading", name="Data-management maturity self-assessment").wait_for()
    assert page.get_by_text("The page that you have requested does not seem to exist").count() == 0
    assert page.locator('[role="dialog"]').count() == 0


def test_a_page_opened_at_its_address_connects_at_once_says_its_language_and_its_icon_is_local(app_server, page):
    """/coordinator: Streamlit's frontend used to ask /coordinator/_stcore/health first (404), wait
    100 ms and ask again at the root (ui/page_addresses.py); and a Material icon as the tab's icon
    made the browser fetch it from fonts.gstatic.com; and Streamlit's page said `lang="en"` always."""
    with urllib.request.urlopen(f"{app_server.url}/coordinator") as response:
        assert response.headers["Cache-Control"] == "no-cache"
        assert "BACKEND_BASE_URL" in response.read().decode("utf-8")
    with urllib.request.urlopen(f"{app_server.url}/foo") as response:  # not a page: Streamlit's own answer
        assert "BACKEND_BASE_URL" not in response.read().decode("utf-8")
    page.goto(f"{app_server.url}/coordinator?lang=en")
    wait_idle(page)
    page.get_by_role("heading", name="National coordination: data-management maturity").wait_for()
    assert page.url.startswith(f"{app_server.url}/coordinator?lang=en")
    requested = page.evaluate("performance.getEntriesByType('resource').map(r => r.name)")
    assert any(name.startswith(f"{app_server.url}/_stcore/health") for name in requested)
    assert not [name for name in requested if "/coordinator/_stcore/" in name]
    assert not [name for name in requested if not name.startswith(app_server.url)], "only this server is asked"
    icon = page.evaluate("document.querySelector('link[rel~=\"icon\"]').href")
    assert icon.startswith(f"{app_server.url}/media/") and icon.endswith(".png")
    # The page says its language (Streamlit's own page says "en" whatever it shows): a screen reader
    # then reads it with the right voice. The root without ?lang= is in the app's default, Vietnamese.
    assert page.evaluate("document.documentElement.lang") == "en"
    page.goto(app_server.url)
    wait_idle(page)
    page.get_by_role("heading", name="Tự đánh giá mức độ trưởng thành quản trị dữ liệu").wait_for()
    assert page.evaluate("document.documentElement.lang") == "vi"
