"""Process-wide resources shared by all sessions: the content bundle and the store.

Cached with `st.cache_resource`. The bundle's cache key includes the content files' modification
times, so editing a YAML file takes effect on the next run without a restart.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import streamlit as st

from scoring.content import Bundle, load_bundle, load_rubric, rubric_path, shipped_content_files
from scoring.registry import DEFAULT_QUESTIONNAIRE_ID, offered_version, version_key
from scoring.schemas.base import Text
from storage import Principal, Scope, Store

ACTOR_DEFAULT = "it-lead"
PRINCIPAL_KEY = "_signed_in_principal"
T = TypeVar("T")


STAMP_TTL_SECONDS = 1.0
_stamps: dict[tuple[str, ...], tuple[float, Any]] = {}


def _looked_at_once_a_second(key: tuple[str, ...], look: Callable[[], T]) -> T:
    """`look()` (a scan of the content folders), done again only when the last look is over a second
    old: a page run asks several times, and an edited YAML file is still seen on the next run."""
    now = time.monotonic()
    seen = _stamps.get(key)
    if seen is not None and now - seen[0] < STAMP_TTL_SECONDS:
        return cast(T, seen[1])
    value = look()
    _stamps[key] = (now, value)
    return value


def _content_stamp(rubric: str) -> tuple[float, ...]:
    """Modification times of the content files (one stamp for every rubric: they share the files)."""
    del rubric  # the same files whatever the rubric
    return _looked_at_once_a_second(
        ("content",), lambda: tuple(Path(f).stat().st_mtime for f in shipped_content_files()))


def _offered_version() -> str:
    """`scoring.registry.offered_version()`, keyed by the folders and the pinning variable, so
    pointing the registry elsewhere is seen at once."""
    from scoring import registry

    key = ("offered", str(registry.QUESTIONNAIRE_DIR), str(registry.RUBRIC_DIR), str(registry.TARGETS_DIR),
           os.environ.get("DMM_QUESTIONNAIRE_VERSION", ""))
    return _looked_at_once_a_second(key, offered_version)


@st.cache_resource(show_spinner=False, max_entries=16)
def _bundle(rubric: str, version: str, stamp: tuple[float, ...]) -> Bundle:
    del stamp  # part of the cache key only
    return load_bundle(DEFAULT_QUESTIONNAIRE_ID, version, rubric=rubric)


def get_bundle(rubric: str | None = None, version: str | None = None) -> Bundle:
    """A shipped questionnaire version (default: the one offered for new rounds) with its targets and the
    chosen rubric (default: the session's). A round is always shown with the version it was answered on."""
    chosen = rubric or st.session_state.get("rubric", "standard")
    return _bundle(chosen, version or _offered_version(), _content_stamp(chosen))


@st.cache_resource(show_spinner=False, max_entries=16)
def _rubric_title(path: str, stamp: tuple[float, ...]) -> Text:
    del stamp  # part of the cache key only
    return load_rubric(path)[0].name


def rubric_name(rubric: str, lang: str) -> str:
    """The name of a shipped rubric, as `get_bundle(rubric)` would give it, reading the rubric file
    alone (the sidebar lists every rubric; a whole bundle per rubric would be parsed for a name)."""
    path = rubric_path(rubric, DEFAULT_QUESTIONNAIRE_ID, version_key(_offered_version())[0])
    return _rubric_title(str(path), _content_stamp(rubric)).get(lang)


@st.cache_resource(show_spinner=False)
def _store(url: str | None) -> Store:
    return Store(url)


def get_store() -> Store:
    return _store(None)


def current_principal() -> Principal | None:
    """The signed-in person (set by app.py through `ui.auth` on every run); None in local mode."""
    principal = st.session_state.get(PRINCIPAL_KEY)
    return principal if isinstance(principal, Principal) else None


def current_scope() -> Scope:
    """What storage calls run as: the signed-in principal (the service derives the scope from it and
    enforces the role), or, in single-user local mode, the whole country."""
    principal = current_principal()
    return principal if principal is not None else Scope.national()  # type: ignore[return-value]


def current_actor() -> str:
    principal = current_principal()
    if principal is not None:
        return principal.email
    return st.session_state.get("actor", ACTOR_DEFAULT)
