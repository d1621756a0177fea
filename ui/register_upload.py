"""The commune register on the coordinator's response tracking: which list of communes is expected
(the shipped stand-in, or the one a coordinator uploaded) and, for an administrator or a national
coordinator, the upload of a new one (the register's commune CSV: id,name,province). A file with a
problem is refused with every problem's file and line, and nothing is stored."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from coordinator.register import COMMUNE_COLUMNS, REGISTER_FILE, Register, load_register, parse_communes_csv
from scoring.errors import ContentError
from scoring.numbers import fmt_int
from storage import Scope, StorageError, Store
from storage.commune_register import CommuneRegister, register_stamp, stored_communes
from storage.rounds import may_manage_rounds
from ui.i18n import current_language, t

UPLOAD_KEY = "coord_register_file"


@st.cache_resource(show_spinner=False, max_entries=4)
def _register(path: str, mtime: float) -> Register:
    del mtime  # part of the cache key: editing the register takes effect on the next run
    return load_register(path)


def get_register() -> Register:
    """The shipped register file (provinces, ministries, the communes it names)."""
    path = Path(REGISTER_FILE)
    return _register(str(path), path.stat().st_mtime)


@st.cache_resource(show_spinner=False, max_entries=4)
def _with_uploaded(_store: Store, url: str, stamp: tuple[object, ...], _base: Register) -> Register:
    del url, stamp  # the cache key: another database, or a new upload, reads again
    communes = stored_communes(_store)
    return _base if communes is None else _base.with_communes(communes)


def current_register(store: Store) -> Register:
    """The register the response tracking counts against: the shipped file, with the uploaded
    communes when a coordinator has uploaded them."""
    base = get_register()
    return _with_uploaded(store, store.url, (*register_stamp(store), base.version), base)


def render_register_source(store: Store, scope: Scope, actor: str, register: Register) -> Register:
    """Say which commune list counts; offer the upload to those who may replace it. Returns the
    register to count with (the new one right after a successful upload)."""
    lang = current_language()
    caption = st.empty()  # filled last: after an upload in this run it names the new list
    if may_manage_rounds(scope):
        register = _upload(store, scope, actor, register, lang)
    source = "register_uploaded" if stored_communes(store) is not None else "register_shipped"
    caption.caption(t(f"coordinator.{source}", communes=fmt_int(len(register.communes), lang)))
    return register


def _upload(store: Store, scope: Scope, actor: str, register: Register, lang: str) -> Register:
    with st.expander(t("coordinator.register_upload_title"), icon=":material/upload_file:"):
        st.caption(t("coordinator.register_upload_help", columns=",".join(COMMUNE_COLUMNS)))
        file = st.file_uploader(t("coordinator.register_upload_label"), type=["csv"], key=UPLOAD_KEY)
        if file is None or not st.button(t("coordinator.register_upload_go"), key="coord_register_go",
                                         type="primary"):
            return register
        taken = {p.id for p in register.content.provinces} | {m.id for m in register.content.ministries}
        try:
            communes = parse_communes_csv(file.getvalue(), file.name, {p.id for p in register.content.provinces},
                                          taken)
            count = CommuneRegister(store).replace(communes, scope, actor)
        except ContentError as exc:
            st.error(t("coordinator.register_upload_refused", file=file.name))
            st.code("\n".join(str(p) for p in exc.problems[:50]), language=None)
            return register
        except StorageError as exc:
            st.error(t("coordinator.register_upload_refused", file=file.name) + f" {exc}")
            return register
        st.success(t("coordinator.register_upload_done", communes=fmt_int(count, lang)))
    return current_register(store)
