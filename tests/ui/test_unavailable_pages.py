"""A page outside the role, asked for by its address (a pasted or stale link), answers "not available
for your role" in the app's language instead of Streamlit's English "Page not found" dialog, and the
real page never runs (issue 8). Here in local mode (no sign-in, so no role pages); per signed-in role
against a real OpenID Connect provider in Chromium: tests/e2e/test_signin.py.

AppTest has no public way to request a page by URL: `_page_hash` is what a browser's request for
`/<url_path>` sets (st.Page hashes its url_path), so the test sets that."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from .conftest import new_app, texts


def _ask_for(at: AppTest, url_path: str) -> AppTest:
    at._page_hash = calc_hash(url_path)  # what the browser's /<url_path> resolves to
    at.run()
    assert not at.exception, at.exception
    return at


def test_local_mode_gets_a_vietnamese_message_for_the_users_page(db_url: str) -> None:
    at = new_app()
    at.run()
    at = _ask_for(at, "users")
    assert "ở chế độ cục bộ (một người dùng) không có trang này" in texts(at)
    assert "Người dùng" not in [t.value for t in at.title], "the users page did not run"


def _browser_opens(monkeypatch, address: str) -> None:
    """What a browser opening `/<address>` sends on its first run: no page hash, the page's name
    (`streamlit.runtime.pages_manager.PagesManager.set_script_intent`); later runs send the hash."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.set_script_intent
    first = [True]

    def browser_request(self, page_script_hash: str, page_name: str) -> None:
        if first[0] and not page_script_hash:
            first[0] = False
            page_name = address
        original(self, page_script_hash, page_name)

    monkeypatch.setattr(PagesManager, "set_script_intent", browser_request)


def test_an_unknown_address_says_page_not_found_in_the_app_language(db_url: str, monkeypatch) -> None:
    _browser_opens(monkeypatch, "foo")
    at = new_app()
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Không tìm thấy trang"], "the not-found page, not the Start page"
    assert [w.value for w in at.warning] == [
        "Địa chỉ /foo không phải là một trang của ứng dụng (đường dẫn gõ nhầm hoặc đã cũ). Hãy dùng liên kết "
        "dưới đây hoặc các trang ở thanh bên."]
    [link] = at.get("page_link")
    assert (link.proto.label, link.proto.page_script_hash) == ("Về trang Bắt đầu", calc_hash("start")), (
        "a link to the first page")
    # A language switch reruns the same page (asked for by its hash now), in English.
    at.selectbox(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Page not found"]
    assert at.warning[0].value.startswith("The address /foo is not a page of this app")
    assert at.get("page_link")[0].proto.label == "Go to Start"
    # A known page of another sign-in still answers "not available", a page of the app still runs.
    at = _ask_for(new_app(), "users")
    assert "Trang không dùng được" in [t.value for t in at.title]


def test_an_address_that_looks_like_markdown_is_shown_as_text(db_url: str, monkeypatch) -> None:
    _browser_opens(monkeypatch, "[b%E1%BA%A5m](javascript:alert)")
    at = new_app()
    at.run()
    assert not at.exception, at.exception
    assert at.warning[0].value.startswith(r"Địa chỉ /\[bấm\]\(javascript\:alert\) không phải")
