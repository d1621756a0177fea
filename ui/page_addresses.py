"""A page opened at its own address (`/coordinator`) connects to the server without a failed first try.

Streamlit's frontend, opened at `/coordinator`, cannot tell a page's name from a path the whole app
is served under (a proxy's `/dmm/`). It first asks `/coordinator/_stcore/health` and
`/coordinator/_stcore/host-config`, gets 404, waits 100 ms, then asks `/_stcore/health`: every
page load at a page's address started 110-160 ms late (measured in Chromium on the national demo).

The server knows its pages' addresses. For them it serves Streamlit's own `index.html` with one
inline script that sets `window.__streamlit.BACKEND_BASE_URL` (Streamlit's documented setting for
where its server is) to the page's parent address: the frontend asks there at once, which is the
address the second try reached before, so the page, its query and everything after are as before.
Computed in the browser from its address, so behind a proxy that strips a prefix (`/dmm/coordinator`
seen as `/coordinator`) the parent is still right (`/dmm/`). Any other address, and the root, are
Streamlit's as before. If Streamlit's `index.html` is not where it was, no route is added and the
frontend tries as it always did.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import streamlit
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

INDEX_HTML = Path(streamlit.__file__).parent / "static" / "index.html"
# The address without its last segment (the page's name): where the app's server is.
BASE_URL_SCRIPT = (
    "<script>(function(){var p=location.pathname.replace(/\\/+$/,'').split('/');p.pop();"
    "window.__streamlit=Object.assign({},window.__streamlit,"
    "{BACKEND_BASE_URL:location.origin+p.join('/')+'/'});})();</script>"
)


def page_index_html(index_html: Path = INDEX_HTML) -> str | None:
    """Streamlit's `index.html` with the base-address script first in its head (None: not found)."""
    try:
        html = index_html.read_text(encoding="utf-8")
    except OSError:
        return None
    if "<head>" not in html:
        return None
    return html.replace("<head>", "<head>" + BASE_URL_SCRIPT, 1)


def page_routes(url_paths: Iterable[str], index_html: Path = INDEX_HTML) -> list[BaseRoute]:
    """Routes serving the pages' addresses (`/<url_path>`) with `page_index_html`; for `st.App(routes=...)`."""
    html = page_index_html(index_html)
    if html is None:
        return []
    body = html.encode("utf-8")

    async def serve(request: Request) -> Response:
        del request
        # As Streamlit serves its index.html: always revalidated, so a new release's assets are used.
        return HTMLResponse(body, headers={"Cache-Control": "no-cache"})

    return [Route(f"/{path}", serve, methods=["GET", "HEAD"], name=f"dmm-page-{path}") for path in url_paths]
