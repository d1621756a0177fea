"""Who may see what: `Scope.allows`, in plain Python (the SQL side is checked in test_stories)."""

from __future__ import annotations

import pytest

from scoring.schemas.response import Agency
from storage import Scope

HANOI = Agency(id="hn", name="Hà Nội", type="province")
BA_DINH = Agency(id="hn_ba_dinh", name="Ba Đình", type="commune", province="hn")
BEN_THANH = Agency(id="hcm_ben_thanh", name="Bến Thành", type="commune", province="hcm")
FINANCE = Agency(id="btc", name="Bộ Tài chính", type="ministry")
EVERYONE = (HANOI, BA_DINH, BEN_THANH, FINANCE)


def covered(scope: Scope) -> set[str]:
    return {a.id for a in EVERYONE if scope.allows(a)}


def test_national_covers_everyone() -> None:
    assert covered(Scope.national()) == {"hn", "hn_ba_dinh", "hcm_ben_thanh", "btc"}


def test_a_province_covers_itself_and_its_communes() -> None:
    assert covered(Scope.for_province("hn")) == {"hn", "hn_ba_dinh"}
    assert covered(Scope.for_province("hcm")) == {"hcm_ben_thanh"}


def test_a_ministry_covers_itself_only() -> None:
    assert covered(Scope.for_ministry("btc")) == {"btc"}
    assert covered(Scope.for_ministry("hn")) == set()


def test_an_agency_scope_covers_exactly_its_agencies() -> None:
    assert covered(Scope.for_agency("hn_ba_dinh")) == {"hn_ba_dinh"}
    assert covered(Scope.for_agencies(["hn", "btc"])) == {"hn", "btc"}
    assert covered(Scope.for_agencies("btc")) == {"btc"}  # a lone id is not split into letters


def test_a_scope_with_no_agencies_covers_nothing() -> None:
    assert covered(Scope.for_agencies([])) == set()
    assert Scope.for_agencies([]).describe() == "no agency"


def test_scopes_describe_themselves_for_messages() -> None:
    assert Scope.national().describe() == "the whole country"
    assert Scope.for_province("hn").describe() == "province hn and its communes"
    assert Scope.for_agency("hn_ba_dinh").describe() == "agency hn_ba_dinh"


def test_malformed_scopes_are_refused() -> None:
    with pytest.raises(ValueError):
        Scope("national", frozenset({"hn"}))
    with pytest.raises(ValueError):
        Scope.for_agencies(["", "hn"])
