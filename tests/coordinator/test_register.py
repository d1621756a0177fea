"""The agency register (34 provincial-level units after the 2025 merger, the ministries, communes
from a CSV), response tracking counts, and Vietnamese collation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coordinator.register import load_register, parse_communes_csv
from coordinator.tracking import agency_statuses, non_submitters, totals, tracking_table
from scoring.collation import sorted_vi
from scoring.errors import ContentError
from scoring.synthetic import MINISTRIES, PROVINCES


def test_the_shipped_register_has_the_34_provinces_and_the_ministries() -> None:
    register = load_register()
    provinces = register.content.provinces
    assert len(provinces) == 34
    assert sum(p.kind == "city" for p in provinces) == 6
    assert {p.id for p in provinces} == {f"tinh_{p}" for p, _ in PROVINCES}  # the demo's ids
    assert len({tuple(p.tile) for p in provinces}) == 34  # one tile each
    assert {p.short for p in provinces} >= {"Hà Nội", "Huế", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Hồ Chí Minh"}
    assert [m.name for m in register.content.ministries] == MINISTRIES
    frame = register.frame
    assert frame["agency_type"].value_counts().to_dict() == {"commune": 3321, "province": 34, "ministry": 30}


def test_communes_from_a_csv_and_its_errors() -> None:
    ids = {"tinh_ca_mau", "tinh_cao_bang"}
    good = "id,name,province\nxa_a,Xã An Xuyên,tinh_ca_mau\nxa_b,Phường Thục Phán,tinh_cao_bang\n".encode()
    frame = parse_communes_csv(good, "xa.csv", ids)
    assert frame.to_dict("records")[1] == {"id": "xa_b", "name": "Phường Thục Phán", "province": "tinh_cao_bang"}
    with pytest.raises(ContentError) as error:
        parse_communes_csv(b"id,name,province\nxa_a,X,tinh_x\nxa_a,Y,tinh_ca_mau\nxa_a,Z,tinh_ca_mau\n", "xa.csv", ids)
    assert [(p.line, p.message) for p in error.value.problems] == [
        (2, "'tinh_x' is not a province id of the register"), (4, "commune 'xa_a' is listed twice")]
    with pytest.raises(ContentError, match="missing column"):
        parse_communes_csv(b"ma,ten\n", "xa.csv", ids)


def test_a_register_file_with_communes_from_csv(tmp_path: Path) -> None:
    text = Path(load_register.__defaults__[0]).read_text(encoding="utf-8")  # type: ignore[index]
    (tmp_path / "agencies.yaml").write_text(text.replace("communes: synthetic", "communes: xa.csv"), encoding="utf-8")
    (tmp_path / "xa.csv").write_text("id,name,province\nxa_1,Xã Một,tinh_ca_mau\n", encoding="utf-8")
    register = load_register(tmp_path / "agencies.yaml")
    assert len(register.frame) == 65


def test_tracking_counts_by_hand() -> None:
    register = load_register()
    statuses = pd.DataFrame({"agency_id": ["tinh_ca_mau", "bo_01", "bo_02", "xa_unknown"],
                             "status": ["accepted", "submitted", "draft", "submitted"]})
    frame = agency_statuses(register, statuses)
    counts = totals(frame)
    assert counts["expected"] == 3385
    assert (counts["accepted"], counts["submitted"], counts["draft"]) == (1, 1, 1)  # xa_unknown is not expected
    assert counts["not_started"] == 3385 - 3
    table = tracking_table(register, frame).set_index("group")
    communes_ca_mau = int((register.frame["province"] == "tinh_ca_mau").sum())
    assert table.loc["tinh_ca_mau", ["expected", "accepted", "not_started"]].tolist() == [
        communes_ca_mau + 1, 1, communes_ca_mau]
    assert table.loc["bo_01", "share_responded"] == 1.0 and table.loc["bo_02", "draft"] == 1
    assert table.loc["bo_02", "group_type"] == "ministry"
    waiting = non_submitters(register, frame, pd.DataFrame({"scope": ["agency:bo_02", "province:tinh_ca_mau"],
                                                            "email": ["a@bo.gov.vn", "b@camau.gov.vn"],
                                                            "name": ["A", "B"]}))
    assert len(waiting) == 3385 - 2
    by_id = waiting.set_index("agency_id")
    assert by_id.loc["bo_02", "contact_email"] == "a@bo.gov.vn"
    commune = register.frame[register.frame["province"] == "tinh_ca_mau"]["agency_id"].iloc[0]
    assert by_id.loc[commune, "contact_email"] == "b@camau.gov.vn"  # the province's account
    assert pd.isna(by_id.loc["bo_03", "contact_email"])


def test_vietnamese_collation() -> None:
    names = ["Đồng Nai", "Cao Bằng", "Vĩnh Long", "Cà Mau", "Đắk Lắk", "Dak X", "An Giang", "Điện Biên"]
    assert sorted_vi(names) == ["An Giang", "Cà Mau", "Cao Bằng", "Dak X", "Đắk Lắk", "Điện Biên", "Đồng Nai",
                                "Vĩnh Long"]
