"""A page's own address (`/coordinator`) is served with the script that tells Streamlit's frontend where
the server is, so it connects without first asking `/coordinator/_stcore/health`; the root and the pages
say their language in `<html lang>` (ui/page_addresses.py). The browser side (no such request, the right
page drawn, the page's language) is in tests/e2e/test_smoke.py."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from starlette.requests import Request
from starlette.routing import Route

from ui.navigation import PAGES
from ui.page_addresses import BASE_URL_SCRIPT, INDEX_HTML, STREAMLIT_LANG, page_index_html, page_routes


def _answer(route: Route, query: str) -> tuple[int, dict[str, str], str]:
    request = Request({"type": "http", "method": "GET", "path": route.path, "query_string": query.encode(),
                       "headers": []})
    # In its own thread: an earlier test of the session may have left this thread's event loop running.
    with ThreadPoolExecutor(1) as pool:
        response = pool.submit(asyncio.run, route.endpoint(request)).result()
    return response.status_code, dict(response.headers), bytes(response.body).decode("utf-8")


def test_streamlits_index_gets_the_script_first_in_its_head_and_the_language_and_is_otherwise_unchanged():
    original = INDEX_HTML.read_text(encoding="utf-8")
    assert original.count(STREAMLIT_LANG) == 1  # what is replaced is there (else the page keeps "en")
    served = page_index_html(lang="vi")
    assert served is not None
    assert served.count(BASE_URL_SCRIPT) == 1
    assert served.index(BASE_URL_SCRIPT) == served.index("<head>") + len("<head>")
    assert '<html lang="vi">' in served
    assert served.replace(BASE_URL_SCRIPT, "", 1).replace('<html lang="vi">', STREAMLIT_LANG) == original
    assert page_index_html(lang="en", base_script=False) == original


def test_every_page_and_the_root_are_served_in_the_language_asked_for():
    routes = page_routes(spec.url_path for spec in PAGES)
    assert [getattr(r, "path", None) for r in routes] == ["/", *(f"/{spec.url_path}" for spec in PAGES)]
    root, coordinator = routes[0], routes[[spec.key for spec in PAGES].index("coordinator") + 1]
    for route, query, lang in ((coordinator, "lang=en", "en"), (coordinator, "lang=vi&rubric=standard", "vi"),
                               (coordinator, "", "vi"), (coordinator, "lang=xx", "vi"), (root, "lang=en", "en")):
        status, headers, body = _answer(route, query)  # type: ignore[arg-type]
        assert status == 200
        assert headers["cache-control"] == "no-cache"
        assert headers["content-type"].startswith("text/html")
        assert f'<html lang="{lang}">' in body, (route.path, query)
        assert (BASE_URL_SCRIPT in body) == (route is coordinator)  # the root is where the server is


def test_without_streamlits_index_no_route_is_added_and_the_frontend_probes_as_before(tmp_path: Path):
    assert page_routes(["coordinator"], index_html=tmp_path / "missing.html") == []
    odd = tmp_path / "index.html"
    odd.write_text("<html><body>no head</body></html>", encoding="utf-8")
    assert page_routes(["coordinator"], index_html=odd) == []
