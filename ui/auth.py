"""Who is using the app: sign-in through OpenID Connect (`st.login` / `st.user`) when `[auth]` is
configured in the secrets, otherwise the single-user local mode of a laptop.

The signed-in person becomes a `storage.Principal` (looked up in the users table on every run, so a
role change or a deactivation takes effect at once); `ui.state.current_scope()` then hands that
principal to every storage call, and the service layer enforces the role.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from storage import Accounts, Principal
from ui.i18n import t
from ui.run_marker import stop_run
from ui.state import PRINCIPAL_KEY, get_store

WHAT_IF_ROLES = frozenset({"trainer", "coordinator"})


def auth_configured() -> bool:
    """Whether `[auth]` is in the secrets (a missing secrets file means local mode)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all, or an unreadable one: local mode
        return False


def resolve_principal() -> Principal | None:
    """None in local mode. In OIDC mode: the signed-in, known, active person; otherwise render the
    sign-in page or the "ask your administrator" page and stop the run (no data is read)."""
    if not auth_configured():
        st.session_state.pop(PRINCIPAL_KEY, None)
        return None
    user: Any = st.user
    if not user.is_logged_in:
        st.session_state.pop(PRINCIPAL_KEY, None)
        _sign_in_page()
        stop_run()
    email = user.get("email")
    sub = user.get("sub")
    principal = Accounts(get_store()).principal_for(email if isinstance(email, str) else None,
                                                    sub if isinstance(sub, str) else None)
    if principal is None:
        st.session_state.pop(PRINCIPAL_KEY, None)
        _unknown_user_page(str(email or sub or "?"))
        stop_run()
    st.session_state[PRINCIPAL_KEY] = principal
    return principal


def _sign_in_page() -> None:
    st.title(t("common.app_title"))
    st.caption(t("common.app_subtitle"))
    with st.container(border=True):
        st.markdown(t("access.sign_in_text"))
        if st.button(t("access.sign_in"), key="access_sign_in", type="primary", icon=":material/login:"):
            st.login()


def _unknown_user_page(who: str) -> None:
    st.title(t("access.unknown_title"))
    st.warning(t("access.unknown_text", who=who), icon=":material/person_off:")
    if st.button(t("access.sign_out"), key="access_sign_out_unknown", icon=":material/logout:"):
        st.logout()


def identity_badge(principal: Principal | None) -> None:
    """The sidebar line that says who is working: local mode, or the person, role and scope."""
    if principal is None:
        st.markdown(f":orange-badge[:material/laptop: {t('access.local_mode')}]")
        st.caption(t("access.local_mode_help"))
        return
    st.markdown(f":blue-badge[:material/badge: {t('access.role_' + principal.role)}]")
    st.caption(f"{principal.display_name or principal.email} · {scope_words(principal.scope_text)}")
    if st.button(t("access.sign_out"), key="access_sign_out", icon=":material/logout:"):
        st.logout()


def main_identity_strip(principal: Principal | None) -> None:
    """Local mode, said compactly at the top of every page (on a phone the sidebar starts collapsed)."""
    if principal is None:
        st.markdown(f":orange-badge[:material/laptop: {t('access.local_mode')}]", help=t("access.local_mode_help"))


def rubric_selector(bundle: Any) -> None:
    """The sidebar's rubric choice (local mode, trainers, coordinators). A rubric's name is long
    ("Thang chấm chuẩn (cấp độ theo ngưỡng)") and a selectbox shows its value on one line, cut in a
    narrow sidebar: the box shows the name before its parenthesis and the full name is written below."""
    from scoring.content import shipped_rubrics
    from ui.state import rubric_name

    # Names are read now, not inside format_func: AppTest formats labels outside the script run.
    language = st.session_state["lang"]
    full = {rid: rubric_name(rid, language) for rid in shipped_rubrics()}
    short = {rid: name.split(" (", 1)[0] for rid, name in full.items()}
    st.selectbox(t("common.rubric"), list(full), key="rubric", format_func=short.__getitem__)
    chosen = st.session_state["rubric"]
    if full[chosen] != short[chosen]:
        st.caption(full[chosen])
    if st.query_params.get("rubric") != chosen:
        st.query_params["rubric"] = chosen
    if chosen != bundle.targets.official_rubric:
        st.warning(t("access.what_if_rubric"), icon=":material/science:")


def scope_words(scope_text: str) -> str:
    if scope_text == "national":
        return t("access.scope_national")
    level, _, ident = scope_text.partition(":")
    return t(f"access.scope_{level}", id=ident)


def may_choose_rubric(principal: Principal | None) -> bool:
    """Local mode and the roles that may look at other rubrics (as what-if readings)."""
    return principal is None or principal.role in WHAT_IF_ROLES


def unavailable_pages(principal: Principal | None, others: list[Any], home: Any) -> list[Any]:
    """For each page the role may not use, a hidden page at the same address that says so in the app's
    language, with a link to the role's first page (`home`): a pasted or stale link never meets
    Streamlit's English "Page not found" dialog, and the real page never runs."""
    def not_available() -> None:
        st.title(t("access.unavailable_title"))
        if principal is None:
            st.warning(t("access.unavailable_local"), icon=":material/block:")
        else:
            st.warning(t("access.unavailable_role", role=t("access.role_" + principal.role)), icon=":material/block:")
        st.page_link(home, label=t("access.unavailable_home", page=home.title), icon=":material/home:")

    return [st.Page(not_available, title=t("access.unavailable_title"), url_path=page.url_path, visibility="hidden")
            for page in others]
