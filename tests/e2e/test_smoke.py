"""The app starts and every page renders without an exception, in both languages."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot, wait_idle

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_renders(app_server, page, lang):
    for path in ("", "assessment", "results", "coordinator", "trainer"):
        page.goto(f"{app_server.url}/{path}?lang={lang}")
        wait_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0, path
        assert "Page not found" not in page.content()
        screenshot(page, f"smoke-{path or 'start'}-{lang}")
