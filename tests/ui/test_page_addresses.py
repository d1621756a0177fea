"""A page's own address (`/coordinator`) is served with the script that tells Streamlit's frontend where
the server is, so it connects without first asking `/coordinator/_stcore/health` (ui/page_addresses.py).
The browser side (no such request, the right page drawn) is in tests/e2e/test_smoke.py."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ui.navigation import PAGES
from ui.page_addresses import BASE_URL_SCRIPT, INDEX_HTML, page_index_html, page_routes


def test_streamlits_index_gets_the_script_first_in_its_head_and_is_otherwise_unchanged():
    original = INDEX_HTML.read_text(encoding="utf-8")
    served = page_index_html()
    assert served is not None
    assert served.count(BASE_URL_SCRIPT) == 1
    assert served.index(BASE_URL_SCRIPT) == served.index("<head>") + len("<head>")
    assert served.replace(BASE_URL_SCRIPT, "", 1) == original
    assert "BACKEND_BASE_URL" in BASE_URL_SCRIPT and "location.origin" in BASE_URL_SCRIPT


def test_every_page_of_the_app_has_its_address_served_and_nothing_else(tmp_path: Path):
    routes = page_routes(spec.url_path for spec in PAGES)
    assert [getattr(r, "path", None) for r in routes] == [f"/{spec.url_path}" for spec in PAGES]
    # In its own thread: an earlier test of the session may have left this thread's event loop running.
    with ThreadPoolExecutor(1) as pool:
        response = pool.submit(asyncio.run, routes[0].endpoint(None)).result()  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-type"].startswith("text/html")
    assert BASE_URL_SCRIPT.encode() in response.body


def test_without_streamlits_index_no_route_is_added_and_the_frontend_probes_as_before(tmp_path: Path):
    assert page_routes(["coordinator"], index_html=tmp_path / "missing.html") == []
    odd = tmp_path / "index.html"
    odd.write_text("<html><body>no head</body></html>", encoding="utf-8")
    assert page_routes(["coordinator"], index_html=odd) == []
