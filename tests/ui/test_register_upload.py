"""The commune register uploaded on the coordinator's response tracking (issue 12): a bad file is
refused with its file:line problems and nothing is stored; a good one replaces the expected communes
and the counts follow at once and in a new session. SQLite, or PostgreSQL with DATABASE_URL."""

from __future__ import annotations

from sqlalchemy import select

from coordinator.demo import load_demo
from scoring import Bundle
from storage import Store
from storage.commune_register import stored_communes
from storage.schema import AuditRow
from tests.ui.conftest import NATIONAL, shown_table, texts
from tests.ui.test_coordinator import open_coordinator
from ui.register_upload import get_register

BAD = ("id,name,province\n"
       "xa_moi_1,Xã Mới Một,tinh_ha_noi\n"
       "xa_moi_2,Xã Mới Hai,tinh_khong_co\n"  # line 3: no such province
       "=cmd,Xã Lạ,tinh_ha_noi\n"  # line 4: not an agency id
       "xa_moi_1,Xã Trùng,tinh_ha_noi\n").encode()  # line 5: listed twice
GOOD = ("id,name,province\n"
        "xa_moi_1,Xã Mới Một,tinh_ha_noi\n"
        "xa_moi_2,Phường Mới Hai,tinh_ha_noi\n"
        "xa_moi_3,Xã Mới Ba,tinh_ca_mau\n").encode()


def responses(at):  # type: ignore[no-untyped-def]
    at.segmented_control(key="coord_section").set_value("responses").run()
    assert not at.exception, at.exception
    return at


def upload(at, name: str, raw: bytes):  # type: ignore[no-untyped-def]
    at.file_uploader(key="coord_register_file").set_value((name, raw, "text/csv")).run()
    at.button(key="coord_register_go").click().run()
    assert not at.exception, at.exception
    return at


def expected(at) -> str:  # type: ignore[no-untyped-def]
    return {m.label: m.value for m in at.metric}["Phải nộp"]


def track_row(at, name: str):  # type: ignore[no-untyped-def]
    """The row as the grid writes it (numbers in the page's language)."""
    element = next(d for d in at.dataframe if "share_responded" in d.value.columns)
    return shown_table(element)[element.value["group_name"] == name].iloc[0]


def test_a_commune_register_upload_replaces_the_expected_communes(store: Store, bundle: Bundle) -> None:
    load_demo(store, bundle, NATIONAL, total=40, rounds=1)
    register = get_register()
    fixed = len(register.content.provinces) + len(register.content.ministries)
    at = responses(open_coordinator())
    assert expected(at) == "3.385" and "danh sách tạm" in texts(at)

    at = upload(at, "xa.csv", BAD)
    shown = texts(at)
    assert "Chưa nạp xa.csv" in shown
    for line in ("xa.csv:3:", "xa.csv:4:", "xa.csv:5:"):
        assert line in shown, line
    assert "xa.csv:2:" not in shown  # the good line is not a problem
    assert stored_communes(store) is None and expected(at) == "3.385"  # nothing stored, counts unchanged

    at = upload(at, "xa_chinh_thuc.csv", GOOD)
    assert "nay có 3 xã, phường phải nộp" in texts(at)
    assert "do điều phối viên tải lên (3 xã, phường)" in texts(at)  # the caption names the new list at once
    assert expected(at) == str(fixed + 3)
    assert (track_row(at, "UBND Thành phố Hà Nội")["expected"], track_row(at, "UBND Tỉnh Cà Mau")["expected"]) == (
        "3", "2")  # the province's own office and its uploaded communes
    assert list(stored_communes(store)["id"]) == ["xa_moi_1", "xa_moi_2", "xa_moi_3"]
    with store.engine.connect() as conn:
        audit = conn.execute(select(AuditRow.action, AuditRow.new_value).where(
            AuditRow.action == "register_communes")).all()
    assert [tuple(a) for a in audit] == [("register_communes", "3")]

    again = responses(open_coordinator())  # another session, after a restart: the upload holds
    assert expected(again) == str(fixed + 3) and "do điều phối viên tải lên (3 xã, phường)" in texts(again)
