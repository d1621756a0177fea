"""The uploaded commune register in storage (issue 12): replaced whole, audited, national roles only,
nothing changed by a refused or invalid call. SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest

from storage import AccessDenied, InvalidValue, Store
from storage.access import Principal
from storage.accounts import Accounts
from storage.commune_register import CommuneRegister, register_stamp, stored_communes

from .conftest import ACTOR, NATIONAL


def communes(*ids: str) -> pd.DataFrame:
    return pd.DataFrame({"id": list(ids), "name": [f"Xã {i}" for i in ids], "province": "tinh_ha_noi"})


def test_an_upload_replaces_the_whole_list(store: Store) -> None:
    register = CommuneRegister(store)
    assert stored_communes(store) is None and register_stamp(store)[0] == 0
    assert register.replace(communes("xa_a", "xa_b"), NATIONAL, ACTOR) == 2
    first = register_stamp(store)
    assert register.replace(communes("xa_c"), NATIONAL, ACTOR) == 1
    assert list(stored_communes(store)["id"]) == ["xa_c"] and register_stamp(store) != first
    trail = [(e.action, e.detail) for e in store.audit_trail(NATIONAL) if e.action == "register_communes"]
    assert trail[0][1] == "commune register replaced: 2 communes before, 1 now"


@pytest.mark.parametrize("bad", [communes("xa_a", "xa_a"), communes("=HYPERLINK(1)"), communes(),
                                 pd.DataFrame({"id": ["xa_a"], "name": ["X"]})])
def test_an_invalid_list_changes_nothing(store: Store, bad: pd.DataFrame) -> None:
    register = CommuneRegister(store)
    register.replace(communes("xa_a"), NATIONAL, ACTOR)
    with pytest.raises(InvalidValue):
        register.replace(bad, NATIONAL, ACTOR)
    assert list(stored_communes(store)["id"]) == ["xa_a"]


def test_only_national_roles_replace_it(store: Store) -> None:
    accounts = Accounts(store)
    people = {"coord@hn.gov.vn": ("coordinator", "province:tinh_ha_noi"),
              "rev@hn.gov.vn": ("reviewer", "province:tinh_ha_noi"),
              "lead@xa.gov.vn": ("it_lead", "agency:xa_a"), "coord@mic.gov.vn": ("coordinator", "national")}
    for email, (role, scope) in people.items():
        accounts.add_user(email, role, scope, NATIONAL, ACTOR)
    register = CommuneRegister(store)
    for email in ("coord@hn.gov.vn", "rev@hn.gov.vn", "lead@xa.gov.vn"):
        role, scope = people[email]
        with pytest.raises(AccessDenied):
            register.replace(communes("xa_a"), Principal(email, role, scope), ACTOR)
        assert stored_communes(store) is None
    assert register.replace(communes("xa_a"), Principal("coord@mic.gov.vn", "coordinator", "national"), ACTOR) == 1
