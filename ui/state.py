"""Process-wide resources shared by all sessions: the content bundle and the store.

Cached with `st.cache_resource`. The bundle's cache key includes the content files' modification
times, so editing a YAML file takes effect on the next run without a restart.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from scoring.content import Bundle, load_bundle, rubric_path, shipped_content_files
from storage import Scope, Store

ACTOR_DEFAULT = "it-lead"


def _content_stamp(rubric: str) -> tuple[float, ...]:
    files = [*shipped_content_files(), rubric_path(rubric)]
    return tuple(Path(f).stat().st_mtime for f in files)


@st.cache_resource(show_spinner=False, max_entries=8)
def _bundle(rubric: str, stamp: tuple[float, ...]) -> Bundle:
    del stamp  # part of the cache key only
    return load_bundle(rubric=rubric)


def get_bundle(rubric: str | None = None) -> Bundle:
    """The shipped questionnaire and targets with the chosen rubric (default: the session's)."""
    chosen = rubric or st.session_state.get("rubric", "standard")
    return _bundle(chosen, _content_stamp(chosen))


@st.cache_resource(show_spinner=False)
def _store(url: str | None) -> Store:
    return Store(url)


def get_store() -> Store:
    return _store(None)


def current_scope() -> Scope:
    """Role-based access arrives later; until then every session acts nationally."""
    return Scope.national()


def current_actor() -> str:
    return st.session_state.get("actor", ACTOR_DEFAULT)
