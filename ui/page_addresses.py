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
seen as `/coordinator`) the parent is still right (`/dmm/`).

The root and the pages also say their language (`<html lang="vi">` from `?lang=`, the app's default
without it; Streamlit's page says "en" whatever it shows, and a screen reader then reads Vietnamese
with an English voice). A language switch inside the app rewrites `?lang=`, so the next load says the
new one. Any other address (`/foo`) is Streamlit's as before. If Streamlit's `index.html` is not
where it was, no route is added and the frontend tries as it always did.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

import streamlit
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES

INDEX_HTML = Path(streamlit.__file__).parent / "static" / "index.html"
# The address without its last segment (the page's name): where the app's server is.
BASE_URL_SCRIPT = (
    "<script>(function(){var p=location.pathname.replace(/\\/+$/,'').split('/');p.pop();"
    "window.__streamlit=Object.assign({},window.__streamlit,"
    "{BACKEND_BASE_URL:location.origin+p.join('/')+'/'});})();</script>"
)


STREAMLIT_LANG = '<html lang="en">'


def page_index_html(index_html: Path = INDEX_HTML, lang: str = DEFAULT_LANGUAGE,
                    base_script: bool = True) -> str | None:
    """Streamlit's `index.html` saying the page's language (`<html lang>`: Streamlit's says "en", and a
    screen reader reads a Vietnamese page with an English voice) and, for a page's own address, with
    the base-address script first in its head (None: the file is not found or has no head)."""
    try:
        html = index_html.read_text(encoding="utf-8")
    except OSError:
        return None
    if "<head>" not in html:
        return None
    html = html.replace(STREAMLIT_LANG, f'<html lang="{lang}">', 1)
    return html.replace("<head>", "<head>" + BASE_URL_SCRIPT, 1) if base_script else html


def page_routes(url_paths: Iterable[str], index_html: Path = INDEX_HTML) -> list[BaseRoute]:
    """Routes for `st.App(routes=...)`: the root and the pages' addresses (`/<url_path>`), each page in
    the language its address asks for (`?lang=`, as the app reads it; else the app's default)."""
    pages = {lang: page_index_html(index_html, lang) for lang in LANGUAGES}
    # The root is where the server is: no script (it would take a proxy's prefix for a page name).
    roots = {lang: page_index_html(index_html, lang, base_script=False) for lang in LANGUAGES}
    if any(html is None for html in (*pages.values(), *roots.values())):
        return []

    def server_of(htmls: dict[str, str | None]) -> Callable[[Request], Awaitable[Response]]:
        bodies = {lang: str(html).encode("utf-8") for lang, html in htmls.items()}

        async def serve(request: Request) -> Response:
            body = bodies.get(request.query_params.get("lang", DEFAULT_LANGUAGE), bodies[DEFAULT_LANGUAGE])
            # As Streamlit serves its index.html: always revalidated, so a new release's assets are used.
            return HTMLResponse(body, headers={"Cache-Control": "no-cache"})

        return serve

    serve_page = server_of(pages)
    return [Route("/", server_of(roots), methods=["GET", "HEAD"], name="dmm-root"),
            *(Route(f"/{path}", serve_page, methods=["GET", "HEAD"], name=f"dmm-page-{path}") for path in url_paths)]
