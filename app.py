"""Entry point: `streamlit run app.py`.

Streamlit finds the `app` below and serves it (Streamlit's own server, run by uvicorn) with a
start-up hook: when the server starts, before anyone connects, a background thread imports the
pages and loads the content and the coordinator's latest round (`ui.server_start`), so the first
visitor does not wait for them. Every script run executes `app_router.py` (page frame, language,
rubric, navigation). The pages' own addresses (`/coordinator`) are served so that the browser
connects at once (`ui.page_addresses`). `streamlit run app_router.py` serves the same app without
either.
"""

from __future__ import annotations

import streamlit as st

from ui.navigation import PAGES
from ui.page_addresses import page_routes
from ui.server_start import lifespan

app = st.App("app_router.py", lifespan=lifespan, routes=page_routes(spec.url_path for spec in PAGES))
