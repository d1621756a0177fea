"""Real browser sessions answering against one app server at once (bounded, loopback only).

    python benchmarks/bench_browsers.py                                   # SQLite (a temp file)
    DATABASE_URL=$(bash .ci/start-postgres.sh) python benchmarks/bench_browsers.py   # PostgreSQL
    ... python benchmarks/bench_browsers.py --sessions 20 --seconds 30

Starts one `streamlit run app.py` on loopback and one headless Chromium (Debian's /usr/bin/chromium
through Playwright, never a downloaded browser) with `--sessions` browser contexts, each a separate
user with its own draft assessment. Every session clicks a level on one of the questions of the
first step, waits for the app to finish that run, and clicks again, for `--seconds`.

Latency is measured inside the page: from the click event to the moment the app's script-run state
returns to "not running" (a MutationObserver on Streamlit's `data-test-script-state`), i.e. until the
server has saved the answer and sent the page back. Printed: clicks, errors (exceptions on the page,
timeouts), answers in the database vs answers acknowledged (final values compared question by
question), p50/p95 latency, and the server's resident memory per session (after all sessions minus
after one warm-up session, divided by the number of sessions). Goal: 0 errors, 0 lost, p95 < 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import browser_driver as driver  # noqa: E402
from scoring.content import Bundle, load_bundle  # noqa: E402
from scoring.schemas.response import Agency  # noqa: E402
from storage import Scope, Store, normalise_url, sqlite_url  # noqa: E402
from storage.scratch import scratch_postgres_schema  # noqa: E402
from tests.e2e.servers import IDLE_AFTER, RUN_MARKERS, AppServer, block  # noqa: E402

SCOPE = Scope.national()
TARGET_P95_MS = 200.0


@dataclass
class SessionLog:
    assessment_id: int
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    final: dict[str, int] = field(default_factory=dict)
    unsure: dict[str, set[int]] = field(default_factory=dict)
    """Levels clicked after the last acknowledged one whose run was not seen to end (an error)."""


async def idle(page) -> None:
    await page.wait_for_selector('[data-testid="stApp"]')
    await page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")


@dataclass
class Phases:
    """All sessions open their page first; the clicking starts together; memory is read while every
    session is still open."""

    sessions: int
    ready: int = 0
    all_ready: asyncio.Event = field(default_factory=asyncio.Event)
    until: float = 0.0
    seconds: float = 30.0
    finished: int = 0
    all_finished: asyncio.Event = field(default_factory=asyncio.Event)
    close: asyncio.Event = field(default_factory=asyncio.Event)
    opening: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Pages are opened one after the other (people do not all arrive in the same second)."""

    def arrive(self) -> None:
        self.ready += 1
        if self.ready == self.sessions:
            self.until = time.monotonic() + self.seconds
            self.all_ready.set()

    def done(self) -> None:
        self.finished += 1
        if self.finished == self.sessions:
            self.all_finished.set()


async def session(browser, url: str, bundle: Bundle, log: SessionLog, questions: list[str], phases: Phases,
                  seed: int) -> None:
    rng = random.Random(seed)
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.set_default_timeout(120_000)
    page = await context.new_page()
    aid = log.assessment_id
    names = {n: bundle.questionnaire.level_definition(n).name.vi for n in range(1, 6)}
    try:
        try:
            async with phases.opening:
                await page.goto(f"{url}/assessment?a={aid}&lang=vi")
                await idle(page)
                await page.evaluate(driver.RUN_TIMER)
        finally:
            phases.arrive()
        await phases.all_ready.wait()
        while time.monotonic() < phases.until:
            question = rng.choice(questions)
            level = rng.choice([n for n in range(1, 6) if log.final.get(question) != n])
            before = await page.evaluate(RUN_MARKERS)
            try:
                await block(page, aid, question).get_by_text(f"Cấp {level} · {names[level]}", exact=True).click()
                # The app's own end-of-run marker (ui/run_marker.py), as the e2e tests wait: the script
                # state alone misses a fragment's run that starts and ends between two looks.
                await page.wait_for_function(IDLE_AFTER, arg=before)
            except Exception as error:  # a benchmark reports everything
                log.errors.append(f"{type(error).__name__}: {str(error)[:200]}")
                log.unsure.setdefault(question, set()).add(level)  # it may have been saved all the same
                continue
            log.latencies_ms.append(await driver.input_to_run_end_ms(page))
            log.final[question] = level
            log.unsure.pop(question, None)
            if await page.locator('[data-testid="stException"]').count():
                log.errors.append("an exception is shown on the page")
    except Exception as error:
        log.errors.append(f"session failed: {type(error).__name__}: {str(error)[:200]}")
    finally:
        phases.done()
        await phases.close.wait()
        await context.close()


async def drive(url: str, bundle: Bundle, logs: list[SessionLog], seconds: float, server: AppServer) -> dict:
    from playwright.async_api import async_playwright

    questions = [q.id for q in bundle.questionnaire.dimensions[0].questions if q.kind == "level"]
    async with async_playwright() as playwright:
        browser = await driver.launch_chromium(playwright)
        # One warm-up session: the first run imports the pages; what follows is per-session memory.
        warm = await browser.new_context()
        warm_page = await warm.new_page()
        await warm_page.goto(f"{url}/assessment?a={logs[0].assessment_id}&lang=vi")
        await idle(warm_page)
        await warm.close()
        assert server.process is not None
        before = driver.rss_mb(server.process.pid)
        phases = Phases(sessions=len(logs), seconds=seconds)
        started = time.monotonic()
        tasks = [asyncio.create_task(session(browser, url, bundle, log, questions, phases, i))
                 for i, log in enumerate(logs)]
        await phases.all_ready.wait()
        opened_s = time.monotonic() - started
        await phases.all_finished.wait()
        after_all = driver.rss_mb(server.process.pid)  # every session still open
        phases.close.set()
        await asyncio.gather(*tasks)
        await browser.close()
    return {"rss_before": before, "rss_after": after_all, "opened_s": opened_s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    if not Path(driver.CHROMIUM).exists():
        print(f"{driver.CHROMIUM} is missing (apt-get install chromium)")
        return 2
    bundle = load_bundle()
    base = os.environ.get("DATABASE_URL", "").strip()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if base:
            database = scratch_postgres_schema(base, prefix="dmm_browsers")
            url = normalise_url(database.__enter__())
            env["DATABASE_URL"] = url
            kind = "PostgreSQL"
        else:
            database = None
            path = Path(folder) / "browsers.sqlite3"
            url = sqlite_url(path)
            env["DMM_SQLITE_PATH"] = str(path)
            env.pop("DATABASE_URL", None)
            kind = "SQLite"
        try:
            store = Store(url)
            logs = []
            for number in range(args.sessions):
                agency = Agency(id=f"xa_browser_{number}", name=f"Xã trình duyệt {number}", type="commune",
                                province="tinh_bench")
                store.upsert_agency(agency, SCOPE, "bench")
                info = store.create_assessment(agency.id, "2026", bundle.questionnaire.id,
                                               bundle.questionnaire.version, SCOPE, "bench")
                logs.append(SessionLog(info.id))
            server = AppServer(env=env, log=Path(folder) / "server.log")
            server.start()
            try:
                memory = asyncio.run(drive(server.url, bundle, logs, args.seconds, server))
            finally:
                server.stop()
            lost = 0
            for log in logs:
                stored = store.load_answers(log.assessment_id, SCOPE)
                lost += sum(1 for q, level in log.final.items()
                            if q not in stored or stored[q].value not in {level, *log.unsure.get(q, ())})
        finally:
            if database is not None:
                database.__exit__(None, None, None)
    latencies = sorted(ms for log in logs for ms in log.latencies_ms)
    errors = [e for log in logs for e in log.errors]
    acknowledged = len(latencies)

    def pct(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] if latencies else float("nan")

    per_session = (memory["rss_after"] - memory["rss_before"]) / args.sessions
    print(f"{args.sessions} browser sessions (one Chromium), {args.seconds:.0f} s of clicking, one app server on "
          f"{kind}; {os.cpu_count()} CPU cores shared by the browser, the server and whatever else runs")
    print(f"all {args.sessions} sessions had their page after {memory['opened_s']:.0f} s; then "
          f"clicks acknowledged {acknowledged}, errors {len(errors)}, lost {lost}; "
          f"latency click -> saved and redrawn: p50 {pct(0.5):.0f} ms, p95 {pct(0.95):.0f} ms, max {pct(1.0):.0f} ms")
    print(f"server RSS {memory['rss_before']:.0f} MB after one warm-up session, {memory['rss_after']:.0f} MB with "
          f"{args.sessions} sessions: {per_session:.1f} MB per session")
    if errors:
        print(f"first error: {errors[0]}")
    ok = not errors and lost == 0
    print(f"goal: 0 errors, 0 lost, p95 < {TARGET_P95_MS:.0f} ms -> {'errors/lost: none' if ok else 'ERRORS OR LOSS'};"
          f" p95 {'met' if pct(0.95) < TARGET_P95_MS else 'not met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
