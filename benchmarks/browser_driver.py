"""What the browser benchmarks share to drive Chromium and time script runs in the page.

Debian's Chromium is launched the way the e2e tests launch it (tests/e2e/servers.py: its path and
flags); a page-side timer stamps the last click or key press and every end of a script run (the
script state returning to notRunning, seen by a MutationObserver), so a latency is measured inside
the page, from the user's input to the run's end, without the driver's round trips.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.e2e.servers import CHROMIUM, CHROMIUM_ARGS

__all__ = [
    "CHROMIUM", "MORE_RUNS_ENDED", "RUN_TIMER", "input_to_run_end_ms", "launch_chromium", "rss_mb", "runs_ended",
    "shown_seconds", "stamp_shown",
]

# window.__dmmRuns: runs ended since installed; __dmmDoneAt: when the last one ended; __dmmInputAt: the
# last click or key press (performance.now() milliseconds).
RUN_TIMER = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__dmmRuns = 0; window.__dmmDoneAt = 0; window.__dmmInputAt = 0;
  // Each record carries the value before its change: with the value now they give every transition,
  // also a run that started and ended between two observer callbacks (a busy machine batches them).
  new MutationObserver(records => {
    const values = [...records.map(r => r.oldValue), app.getAttribute('data-test-script-state')];
    for (let i = 1; i < values.length; i++) {
      if (values[i] === 'notRunning' && values[i - 1] !== 'notRunning') {
        window.__dmmRuns += 1; window.__dmmDoneAt = performance.now();
      }
    }
  }).observe(app, {attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
  const input = () => { window.__dmmInputAt = performance.now(); };
  document.addEventListener('click', input, true);
  document.addEventListener('keydown', input, true);
}"""
RUNS_ENDED = "window.__dmmRuns"
MORE_RUNS_ENDED = "n => window.__dmmRuns > n"  # wait_for_function with the count read before the input
INPUT_TO_RUN_END = "window.__dmmDoneAt - window.__dmmInputAt"


# The element drawn (a box, not hidden) and the script stopped.
SHOWN_AND_STOPPED = """selector => {
  const element = document.querySelector(selector);
  const app = document.querySelector('[data-testid="stApp"]');
  if (!element || !app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const box = element.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== 'hidden';
}"""
# Installed in every document of a context: stamps the first animation frame in which the condition
# holds (window.__dmmShownAt, milliseconds since the navigation started, i.e. since the user asked
# for the page), so a page load is timed by the page itself. Timed from the driver, with
# wait_for_selector's polling back-off (20, 50, 100, 100, then every 500 ms) and the round trips on a
# busy machine, a page drawn at 0.75 s was seen at 1.1 s.
SHOWN_STAMP = """selector => {
  window.__dmmShownAt = 0;
  const shown = SHOWN;
  const check = () => {
    if (shown(selector)) { window.__dmmShownAt = performance.now(); } else { requestAnimationFrame(check); }
  };
  requestAnimationFrame(check);
}""".replace("SHOWN", SHOWN_AND_STOPPED)


def stamp_shown(context: Any, selector: str) -> None:
    """Every page of `context` from now on stamps when `selector` is first drawn with the script stopped."""
    context.add_init_script(script=f"({SHOWN_STAMP})({json.dumps(selector)})")


def shown_seconds(page: Any, timeout: float = 180_000) -> float:
    """Waits for the stamp of `stamp_shown` and returns it: seconds from the navigation's start."""
    page.wait_for_function("() => window.__dmmShownAt > 0", timeout=timeout)
    return float(page.evaluate("window.__dmmShownAt")) / 1000


def launch_chromium(playwright: Any) -> Any:
    """Debian's headless Chromium through a sync or async Playwright (await the result of the latter)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def runs_ended(page: Any) -> Any:
    """How many runs the page's timer has seen end (a sync value, or an awaitable with async Playwright)."""
    return page.evaluate(RUNS_ENDED)


def input_to_run_end_ms(page: Any) -> Any:
    """Milliseconds from the last click or key press to the end of the last run."""
    return page.evaluate(INPUT_TO_RUN_END)


def rss_mb(pid: int) -> float:
    """The resident memory of a process (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")
