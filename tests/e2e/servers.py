"""A real `streamlit run` on a free loopback port, waited on until healthy, and Debian's Chromium.

Shared by the e2e fixtures (tests/e2e/conftest.py), the e2e tests that run several servers and the
browser benchmarks, so there is one way to start, restart and stop the app.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DMM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


RUN_MARKERS = "() => [...document.querySelectorAll('[data-run-end]')].map(marker => marker.dataset.runEnd)"
# Idle after an action: a run that ended after it drew a marker the page did not show before (the app
# draws one as the last element of each run: ui/run_marker.py), the script is not running, and every
# element is mounted. The marker is needed because right after a click the state still reads
# notRunning until the rerun starts. The last condition because Streamlit loads an element type's code
# the first time a page shows it, with a placeholder (stSkeleton) until then: a radio can appear a few
# hundred ms after its run has ended, and a click on a selectbox that is still a placeholder is lost.
IDLE_AFTER = """before => !!document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    && [...document.querySelectorAll('[data-run-end]')].some(marker => !before.includes(marker.dataset.runEnd))
    && !document.querySelector('[data-testid="stSkeleton"]')"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class AppServer:
    """A Streamlit server that a test can restart (to prove nothing is lost)."""

    env: dict[str, str]
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None
    extra_args: list[str] = field(default_factory=list)  # e.g. ["--secrets.files", path] for sign-in tests
    script: str = "app.py"  # another page (a benchmark's floor) runs the same way
    start_timeout: float = 60.0
    """Seconds to wait for /_stcore/health before giving up (with the log's tail)."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        assert self.log is not None
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            self.script,
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            "--logger.hideWelcomeMessage",  # its URL line says the socket listens
            "false",
            *self.extra_args,
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        # Streamlit prints its URL once its socket listens; the first request then waits in the socket's
        # queue until the server answers, which it does once warm (ui/server_start.py): no polling.
        listening = threading.Event()
        threading.Thread(target=_copy_log, args=(self.process, self.log, listening), daemon=True).start()
        started = time.monotonic()
        if not listening.wait(self.start_timeout) or self.process.poll() is not None:
            raise RuntimeError(f"streamlit did not start; log:\n{self.log.read_text()[-3000:]}")
        left = max(1.0, self.start_timeout - (time.monotonic() - started))
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=left) as reply:
                if reply.read() == b"ok":
                    return
        except OSError as exc:
            raise RuntimeError(f"streamlit is not healthy ({exc}); log:\n{self.log.read_text()[-3000:]}") from exc
        raise RuntimeError(f"streamlit is not healthy; log:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


def _copy_log(process: subprocess.Popen[bytes], log: Path, listening: threading.Event) -> None:
    """Copy the server's output to its log file, and say when the server's URL line is out (or the
    server has ended: the caller then reports the log)."""
    assert process.stdout is not None
    with log.open("ab") as out:
        for line in process.stdout:
            out.write(line)
            out.flush()
            if b"URL: http" in line:
                listening.set()
    listening.set()


def block(page, aid: int, qid: str):
    """The answer block of question `qid` in assessment `aid` on the assessment page."""
    return page.locator(f".st-key-block_{aid}_{qid.replace('.', '__')}")


def checked_level(page, aid: int, qid: str) -> int | None:
    """The level (1-5) whose radio is checked in that block, or None."""
    inputs = block(page, aid, qid).locator('input[type="radio"]')
    for index in range(min(inputs.count(), 5)):
        if inputs.nth(index).is_checked():
            return index + 1
    return None
