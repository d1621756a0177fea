"""When has the app finished what the browser last asked of it? Read from Streamlit's own messages.

The browser asks for a script run with a `rerun_script` BackMsg (page load, widget change, page link,
upload, reconnect); the server answers each run with a `new_session` ForwardMsg and ends it with
`script_finished`. The app has finished what was asked when, after the browser's last request, a run
has started and has ended with a status other than "finished early for a rerun" (`st.rerun()` and
`st.switch_page()` chain another run). Then the page itself must have taken in every message the
browser received up to that end (the page keeps its own copy of small messages, recorded before the
app's code runs); `wait_idle` then checks that the page shows no element of an earlier run. This
replaces fixed sleeps: a test waits exactly as long as the app works.

`wait` expects a new request since the previous wait returned: calling it after an action that asks
for no run (a tab, an expander) is a mistake in the test, reported as such.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

_RUNS: WeakKeyDictionary[Any, ScriptRuns] = WeakKeyDictionary()
SLICE_MS = 200

# Keeps the page's own copy of the small binary messages it receives (a `script_finished` is a few
# dozen bytes and names its run), so a wait can tell that the page has taken in the run's end.
_PAGE_RECORDER = """
(() => {
  const Native = window.WebSocket;
  const seen = window.__dmmSeen = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (!(event.data instanceof ArrayBuffer) || event.data.byteLength > 1024) return;
        let text = "";
        for (const byte of new Uint8Array(event.data)) text += String.fromCharCode(byte);
        seen.push(btoa(text));
        if (seen.length > 512) seen.shift();
      });
    }
  };
})();
"""


@dataclass
class ScriptRuns:
    """The script-run messages of one browser tab, over every websocket it opens (reloads, restarts)."""

    requested: int = -1  # position of the browser's last rerun request
    started: int = -1  # position of the server's last `new_session`
    finished: int = -1  # position of the last `script_finished` that ends a run chain
    answered: int = -1  # the request the previous wait returned for
    seen: int = 0  # frames seen, both directions, all sockets
    last_end: str = ""  # base64 of the last `script_finished` that ends a run chain
    sockets: list[Any] = field(default_factory=list)

    def attach(self, socket: Any) -> None:
        self.sockets.append(socket)
        socket.on("framesent", self._sent)
        socket.on("framereceived", self._received)

    def _sent(self, payload: bytes | str) -> None:
        self.seen += 1
        if isinstance(payload, bytes) and BackMsg.FromString(payload).WhichOneof("type") == "rerun_script":
            self.requested = self.seen

    def _received(self, payload: bytes | str) -> None:
        self.seen += 1
        if not isinstance(payload, bytes):
            return
        message = ForwardMsg.FromString(payload)
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.started = self.seen
        elif kind == "script_finished" and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.finished = self.seen
            self.last_end = base64.b64encode(payload).decode()

    def done(self) -> bool:
        return self.answered < self.requested < self.started < self.finished

    def describe(self) -> str:
        if self.requested <= self.answered:
            return "the browser asked for no script run since the last wait (did the action rerun the app?)"
        return (f"request at frame {self.requested}, last run started at {self.started}, "
                f"last run ended at {self.finished}")

    def wait(self, page: Any, timeout_ms: float) -> None:
        """Block until done. Frames are delivered while Playwright waits on the newest socket; the wait
        is sliced because a page that navigates opens a new socket while the old one may not be
        reported closed yet (a slice ends early on every frame that completes the run)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while not self.done():
            remaining = (deadline - time.monotonic()) * 1000
            if remaining <= 0:
                raise TimeoutError(f"the app did not finish in {timeout_ms:.0f} ms: {self.describe()}")
            socket = self.sockets[-1] if self.sockets else None
            slice_ms = min(remaining, SLICE_MS)
            try:
                if socket is None or socket.is_closed():
                    page.wait_for_event("websocket", timeout=slice_ms)
                else:
                    socket.wait_for_event("framereceived", predicate=lambda _: self.done(), timeout=slice_ms)
            except Exception:  # the slice ended, or the socket closed (a server restart): look again
                continue
        self.answered = self.requested
        until(page, "end => window.__dmmSeen.includes(end)", self.last_end, timeout_ms,
              "the page did not take in the end of its script run")


def until(page: Any, predicate: str, arg: Any, timeout_ms: float, what: str) -> None:
    """Ask the page until `predicate(arg)` holds. Asked from here rather than with `wait_for_function`:
    that polls with the page's own timers, and a page that is not in front may run none."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} in {timeout_ms:.0f} ms")


def watch(page: Any) -> Any:
    """Follow the script runs of `page` from now on (call before its first `goto`). Returns the page."""
    if page not in _RUNS:
        runs = ScriptRuns()
        _RUNS[page] = runs
        page.add_init_script(_PAGE_RECORDER)
        page.on("websocket", runs.attach)
    return page


def script_runs(page: Any) -> ScriptRuns:
    try:
        return _RUNS[page]
    except KeyError:
        raise AssertionError("this page is not watched: create it with watch(context.new_page())") from None
