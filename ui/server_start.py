"""What the server does once when it starts, before the first visitor (`app.py`'s lifespan hook).

A fresh server process has imported Streamlit and nothing else. Without this, the first visitor
waits for the app's modules to import, the content to parse and the coordinator's latest round to
be read. Here a thread does that work as the server starts, and the server starts answering when it
is done (at most `DMM_WARM_WAIT_SECONDS`, default 30: after that it answers anyway and the warming
goes on beside it). Like a replica that joins its load balancer when it is ready, the server reports
healthy once warm. The caches filled are the same `st.cache_resource` entries the pages use.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

# The modules every first page run needs (the router's and the coordinator's), imported here so
# that no visitor pays for them.
WARM_MODULES = ("ui.auth", "ui.i18n", "ui.state", "ui.coordinator_page.page", "ui.journey")

log = logging.getLogger(__name__)


def warm_process() -> None:
    """Import the app, read the UI texts and the content, load the coordinator's latest round."""
    started = time.perf_counter()
    try:
        for name in WARM_MODULES:
            importlib.import_module(name)
        from ui.coordinator_page.source import start_warming
        from ui.i18n import LANGUAGES, catalogue

        for lang in LANGUAGES:
            catalogue(lang)
        start_warming().join()
    except Exception:  # warming is an optimisation: the pages load what they need themselves
        log.exception("warming the server failed")
    log.info("server warmed in %.2f s", time.perf_counter() - started)


def warm_wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("DMM_WARM_WAIT_SECONDS", "30")))
    except ValueError:
        return 30.0


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """Warm the process when the server starts; answer when warm, or after the wait at most."""
    del app
    thread = threading.Thread(target=warm_process, name="dmm-warm-server", daemon=True)
    thread.start()
    await asyncio.to_thread(thread.join, warm_wait_seconds())
    yield
