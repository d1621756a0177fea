"""Sign-in and the review workflow in headless Chromium, against a real OpenID Connect provider.

The provider is `oidc-provider-mock` (a real OIDC server: discovery, authorize, token, JWKS) started
on loopback by the test; Streamlit's `[auth]` secrets point at it, and each person signs in through
its authorize form in their own browser context. Nothing about `st.user` is faked.

Journey (issue 8): a commune's IT lead assigns a dimension to a respondent, the respondent answers
it, the IT lead submits; the province reviewer returns it with a comment on one answer; the IT lead
sees the comment, changes the answer, replies and resubmits; the reviewer accepts; a national
coordinator sees it accepted; another commune's IT lead cannot see any of it, even by pasting the
URL. An unknown account gets "ask your administrator". Each role's first screen is saved under
screenshots/.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.content import load_bundle
from scoring.registry import DEFAULT_QUESTIONNAIRE_ID, offered_version
from scoring.schemas.response import Agency
from storage import Accounts, Scope, Store, sqlite_url
from tests.e2e.conftest import AppServer, screenshot, wait_idle

pytestmark = pytest.mark.e2e

NATIONAL = Scope.national()
COMMUNE = Agency(id="xa_dak_ha", name="Ủy ban nhân dân xã Đắk Hà", type="commune", province="tinh_dak_lak")
OTHER = Agency(id="xa_ea_kar", name="Ủy ban nhân dân xã Ea Kar", type="commune", province="tinh_dak_lak")
PROVINCE = Agency(id="tinh_dak_lak", name="UBND tỉnh Đắk Lắk", type="province")
PEOPLE = {
    "lead": ("lead@dakha.gov.vn", "it_lead", "agency:xa_dak_ha"),
    "respondent": ("lan@dakha.gov.vn", "respondent", "agency:xa_dak_ha"),
    "reviewer": ("review@daklak.gov.vn", "reviewer", "province:tinh_dak_lak"),
    "coordinator": ("coord@mic.gov.vn", "coordinator", "national"),
    "other_lead": ("lead@eakar.gov.vn", "it_lead", "agency:xa_ea_kar"),
    "admin": ("admin@mic.gov.vn", "admin", "national"),
    "trainer": ("trainer@mic.gov.vn", "trainer", "national"),
}


@pytest.fixture
def oidc_provider() -> Iterator[str]:
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=0) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def signed_app(oidc_provider: str, tmp_path: Path) -> Iterator[tuple[AppServer, int]]:
    """A Streamlit server with [auth] pointing at the provider, and a seeded database: the commune's
    draft with every answer except one question of the first dimension."""
    database = tmp_path / "signin.sqlite3"
    store = Store(sqlite_url(database))
    for agency in (PROVINCE, COMMUNE, OTHER):
        store.upsert_agency(agency, NATIONAL, "seed")
    accounts = Accounts(store)
    for email, role, scope in PEOPLE.values():
        accounts.add_user(email, role, scope, NATIONAL, "seed")
    bundle = load_bundle(DEFAULT_QUESTIONNAIRE_ID, offered_version())
    info = store.create_assessment(COMMUNE.id, "2026", bundle.questionnaire.id, bundle.questionnaire.version,
                                   NATIONAL, "seed")
    left_out = bundle.questionnaire.dimensions[0].questions[0].id
    for question in bundle.questionnaire.questions:
        if question.id != left_out:
            store.save_answer(info.id, question.id, 3 if question.kind == "level" else 50, NATIONAL, "seed")
    server = AppServer(env={}, log=tmp_path / "streamlit.log")
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{server.port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(24)}"\n'
        'client_id = "dmm-vn"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    server.env = {**env, "DMM_SQLITE_PATH": str(database), "PYTHONUNBUFFERED": "1"}
    server.extra_args = ["--secrets.files", str(secrets_file)]
    server.start()
    yield server, info.id
    server.stop()


def sign_in(browser, server: AppServer, who: str, path: str = "/"):
    """A fresh browser context signed in as `who` through the provider's authorize form."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{server.url}/?lang=vi")
    wait_idle(page)
    page.locator(".st-key-access_sign_in button").click()
    page.wait_for_selector('input[name="sub"]')
    page.locator('input[name="sub"]').fill(PEOPLE[who][0] if who in PEOPLE else who)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(server.url) + r"/(\?.*)?$"))
    wait_idle(page)
    if path != "/":
        page.goto(f"{server.url}{path}")
        wait_idle(page)
    return page


def block(page, aid: int, qid: str):
    return page.locator(f".st-key-block_{aid}_{qid.replace('.', '__')}")


def pick_level(page, aid: int, qid: str, level: int) -> None:
    block(page, aid, qid).locator('[data-testid="stRadio"] [role="radiogroup"] label').nth(level - 1).click()
    wait_idle(page)


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_sign_in_and_the_review_journey(browser, signed_app) -> None:
    server, aid = signed_app
    bundle = load_bundle(DEFAULT_QUESTIONNAIRE_ID, offered_version())
    dimension = bundle.questionnaire.dimensions[0]
    question = dimension.questions[0].id
    assert dimension.questions[0].kind == "level"

    # Unknown to the database: "ask your administrator", no data.
    page = sign_in(browser, server, "stranger@example.org")
    assert page.get_by_text("Chưa được cấp quyền").count() >= 1
    assert page.get_by_text(COMMUNE.name).count() == 0
    screenshot(page, "signin_unknown")
    page.context.close()

    # The commune's IT lead assigns the first dimension to the respondent.
    page = sign_in(browser, server, "lead")
    screenshot(page, "signin_first_it_lead")
    assert page.get_by_text("Cán bộ phụ trách CNTT").count() >= 1
    page.goto(f"{server.url}/team?a={aid}")
    wait_idle(page)
    page.locator(f".st-key-team_assign_{aid}_{dimension.id} input").click()
    page.get_by_role("option").filter(has_text=PEOPLE["respondent"][0]).first.click()
    wait_idle(page)
    assert page.get_by_text("Đã lưu phân công").count() == 1
    page.context.close()

    # The respondent answers the one open question of that dimension.
    page = sign_in(browser, server, "respondent", f"/assessment?a={aid}&step={dimension.id}")
    screenshot(page, "signin_first_respondent")
    assert page.get_by_text(f"Bạn trả lời các lĩnh vực sau của bản tự đánh giá này: {dimension.name.vi}").count() == 1
    pick_level(page, aid, question, 2)
    no_exception(page)
    # A page of another role, pasted: a message in the app's language, never Streamlit's English dialog.
    page.goto(f"{server.url}/coordinator?lang=vi")
    wait_idle(page)
    assert page.get_by_text("Trang này không dành cho vai trò của bạn (Người trả lời)").count() == 1
    assert page.get_by_text("Page not found").count() == 0
    screenshot(page, "signin_respondent_other_page")
    # An address that is no page at all: "page not found" in Vietnamese, a link to the respondent's first page.
    page.goto(f"{server.url}/foo?lang=vi")
    wait_idle(page)
    page.get_by_role("heading", name="Không tìm thấy trang").wait_for()
    assert page.get_by_role("link", name="Về trang Bắt đầu").count() == 1
    assert page.get_by_text("Page not found").count() == 0
    page.context.close()

    # The IT lead submits.
    page = sign_in(browser, server, "lead", f"/assessment?a={aid}&step=__review__")
    page.locator(".st-key-journey_confirm label").click()
    wait_idle(page)
    page.locator(".st-key-journey_submit button").click()
    wait_idle(page)
    assert page.get_by_text("Đã nộp bản đánh giá").count() >= 1
    page.context.close()

    # The province reviewer comments on that answer and returns the assessment.
    page = sign_in(browser, server, "reviewer")
    screenshot(page, "signin_first_reviewer")
    page.goto(f"{server.url}/?a={aid}")  # the review page is the reviewer's first page, at the root URL
    wait_idle(page)
    page.locator('[data-testid="stExpander"] summary').filter(has_text=dimension.name.vi).first.click()
    comment = page.locator(f".st-key-review_comment_{aid}_{question.replace('.', '__')} input")
    comment.fill("Cấp 2 chưa có minh chứng, đề nghị xem lại")
    comment.press("Enter")
    wait_idle(page)
    page.locator(f".st-key-review_overall_{aid} textarea").fill("Xem lại lĩnh vực đầu tiên")
    page.locator(f".st-key-review_return_{aid} button").click()
    wait_idle(page)
    assert page.get_by_text("Đã trả lại đơn vị để chỉnh sửa").count() == 1
    page.context.close()

    # The IT lead sees the comment beside the question, changes the answer, replies, resubmits.
    page = sign_in(browser, server, "lead", f"/assessment?a={aid}&step={dimension.id}")
    assert page.get_by_text("Cấp 2 chưa có minh chứng, đề nghị xem lại").count() == 1
    assert page.get_by_text("Xem lại lĩnh vực đầu tiên").count() >= 1
    pick_level(page, aid, question, 3)
    reply = page.locator(f".st-key-review_reply_{aid}_{question.replace('.', '__')} input")
    reply.fill("Đã bổ sung Quyết định 12/QĐ-UBND")
    reply.press("Enter")
    wait_idle(page)
    assert page.get_by_text("Đã bổ sung Quyết định 12/QĐ-UBND").count() == 1
    page.goto(f"{server.url}/assessment?a={aid}&step=__review__")
    wait_idle(page)
    page.locator(".st-key-journey_confirm label").click()
    wait_idle(page)
    page.locator(".st-key-journey_submit button").click()
    wait_idle(page)
    assert page.get_by_text("Đã nộp bản đánh giá").count() >= 1
    page.context.close()

    # The reviewer accepts.
    page = sign_in(browser, server, "reviewer", f"/?a={aid}")
    page.locator(f".st-key-review_accept_{aid} button").click()
    wait_idle(page)
    assert page.get_by_text("Đã chấp thuận").count() >= 1
    page.context.close()

    # A national coordinator sees it accepted.
    page = sign_in(browser, server, "coordinator")
    screenshot(page, "signin_first_coordinator")
    assert page.get_by_text("Chưa có bản đánh giá nào được nộp").count() == 0  # the accepted one counts
    page.goto(f"{server.url}/results?a={aid}")
    wait_idle(page)
    assert page.get_by_text("Đã chấp thuận").count() >= 1
    assert page.get_by_text(PEOPLE["reviewer"][0]).count() >= 1
    no_exception(page)
    page.context.close()

    # Another commune's IT lead sees none of it, even with the first commune's URLs.
    page = sign_in(browser, server, "other_lead")
    for path in (f"/assessment?a={aid}", f"/results?a={aid}", f"/review?a={aid}", f"/team?a={aid}"):
        page.goto(f"{server.url}{path}")
        wait_idle(page)
        assert page.get_by_text(COMMUNE.name).count() == 0, path
        assert page.get_by_text("Cấp 2 chưa có minh chứng").count() == 0, path
        assert page.get_by_text("Page not found").count() == 0, path
        refused = page.get_by_text("Trang này không dành cho vai trò của bạn").count()
        assert refused == (1 if path.startswith("/review") else 0), path
        no_exception(page)
    page.context.close()

    for who in ("admin", "trainer"):
        page = sign_in(browser, server, who)
        screenshot(page, f"signin_first_{who}")
        no_exception(page)
        if who == "trainer":  # the first page by its own name: that page, no English dialog
            page.goto(f"{server.url}/trainer")
            wait_idle(page)
            assert page.get_by_text("The page that you have requested does not seem to exist").count() == 0
            assert page.get_by_role("heading", name="Tập huấn: bộ tiêu chí và cơ quan mẫu").count() == 1
        if who == "admin":  # the rounds page: round 2026, started by the commune, and its accepted assessment
            page.goto(f"{server.url}/rounds")
            wait_idle(page)
            assert page.get_by_role("heading", name="Kỳ đánh giá").count() == 1
            screenshot(page, "signin_admin_rounds")
            no_exception(page)
        page.context.close()

    store = Store(sqlite_url(server.env["DMM_SQLITE_PATH"]))
    trail = store.audit_trail(NATIONAL, aid, limit=500)
    refused = [e for e in trail if e.action == "refused"]
    assert refused and all(e.actor == PEOPLE["other_lead"][0] for e in refused)
    steps = [(e.action, e.actor) for e in reversed(trail) if e.action in ("submitted", "returned", "resubmitted",
                                                                          "accepted")]
    assert steps == [("submitted", PEOPLE["lead"][0]), ("returned", PEOPLE["reviewer"][0]),
                     ("resubmitted", PEOPLE["lead"][0]), ("accepted", PEOPLE["reviewer"][0])]
