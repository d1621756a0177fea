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
