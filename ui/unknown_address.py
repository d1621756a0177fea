"""An address that is no page of the app (`/foo`, a mistyped or outdated link): a page in the app's
language that says so, with a link to the person's first page, instead of Streamlit's English
"Page not found" dialog over the first page.

How Streamlit 1.67 treats an unknown address: the browser's first run asks for the page by its name
("foo"); `st.navigation` looks for a page with that `url_path` and, finding none, sends the browser a
`page_not_found` message (the English dialog, which no option turns off or translates) and runs the
default page. So the router adds one hidden page AT the asked-for address, which `st.navigation` then
finds: no dialog, and this page runs. The name a run asks for is Streamlit's own
`PagesManager.intended_page_name` (no public API gives it: `st.context.url` is rewritten with the
current page's path); if a later Streamlit drops it, the app falls back to Streamlit's dialog, as before.
Reruns on the page (a language switch) ask for it by its hash, so the session remembers the name.
The first page's own name (`/start`) is the same case: Streamlit serves the first page at the root only,
so a session that asked for it by name gets it at that address too (`home_asked_by_name`).
Addresses with a `/` inside (`/a/b`) never reach the script: Streamlit's server cannot load the app there.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import streamlit as st
from streamlit.errors import StreamlitAPIException

from ui.i18n import t

REMEMBERED_KEY = "router_unknown_address"
HOME_BY_NAME_KEY = "router_home_by_name"
_SHOWN_CHARS = 80
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def requested_page_name() -> str | None:
    """The page name a browser asked for on its first run ("foo" for `/foo`), or None (a rerun, the root,
    or a Streamlit without this attribute)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    manager = getattr(get_script_run_ctx(), "pages_manager", None)
    name = getattr(manager, "intended_page_name", None)
    return name if isinstance(name, str) and name.strip("/ ") else None


def home_asked_by_name(home_path: str) -> bool:
    """Whether this session opened its first page by the page's own name (`/start` for an IT lead,
    `/coordinator` for a coordinator). Streamlit serves the first page only at the root address and
    answers its name with the English dialog, so the router then serves it under that name too."""
    if requested_page_name() == home_path:
        st.session_state[HOME_BY_NAME_KEY] = home_path
    return st.session_state.get(HOME_BY_NAME_KEY) == home_path


def not_found_pages(known_paths: set[str], home: Any) -> list[Any]:
    """The hidden page at the unknown address this session asked for (none when every address asked
    for is a page). `known_paths`: the url paths of every page of the app, whoever may use them."""
    asked = requested_page_name()
    if asked is not None and asked not in known_paths:
        st.session_state[REMEMBERED_KEY] = asked
    address = st.session_state.get(REMEMBERED_KEY)
    if not isinstance(address, str) or address in known_paths:
        return []

    def not_found() -> None:
        st.title(t("access.not_found_title"))
        st.warning(t("access.not_found_text", address=_shown(address)), icon=":material/link_off:")
        st.page_link(home, label=t("access.unavailable_home", page=home.title), icon=":material/home:")

    try:
        return [st.Page(not_found, title=t("access.not_found_title"), url_path=address, visibility="hidden")]
    except StreamlitAPIException:  # not a possible page address: Streamlit's own dialog, as before
        return []


def _shown(address: str) -> str:
    """The address as typed, cut to a readable length, with Markdown's characters escaped (it comes
    from the URL: never a link or a formatting in the message)."""
    text = unquote(address)
    if len(text) > _SHOWN_CHARS:
        text = text[:_SHOWN_CHARS] + "…"
    return _MARKDOWN.sub(r"\\\1", "/" + text)
