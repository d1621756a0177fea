"""The coordinator page in AppTest, on the synthetic dataset (300 agencies × 3 rounds): the tiles
are the core's population summary, filters change them correctly, every section renders, a row
opens the agency's full results, and a zip is imported through the page.

Runs on a fresh SQLite file, or a fresh PostgreSQL schema with DATABASE_URL (tests/ui/conftest.py).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import coordinator.selection  # noqa: F401
from coordinator.demo import load_demo
from scoring import Bundle, population_summary, score
from scoring.numbers import MISSING, fmt_decimal
from scoring.schemas.response import Agency
from scoring.synthetic import PROVINCES, national_population
from storage import Store
from tests.coordinator.test_imports import bad_yaml, response, yaml_bytes
from tests.ui.conftest import NATIONAL, shown_table, texts
from ui.coordinator_view import fmt_int, fmt_pct

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "coordination.py")
TOTAL = 300


def open_coordinator(lang: str = "vi") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def nation(store: Store, bundle: Bundle) -> Store:
    load_demo(store, bundle, NATIONAL, total=TOTAL, rounds=3)
    return store


def expected_tiles(store: Store, bundle: Bundle, round_: str, lang: str = "vi", agency_types: tuple[str, ...] = (),
                   provinces: tuple[str, ...] = ()) -> list[str]:
    """The core's population summary of the same agencies, formatted as the page shows it."""
    frame = store.submitted_answers_frame(NATIONAL, round=round_)
    if agency_types:
        frame = frame[frame["agency_type"].isin(agency_types)]
    if provinces:
        frame = frame[frame["agency_id"].isin(provinces) | frame["province"].isin(provinces)]
    summary = population_summary(score(frame, bundle), by=())
    rows = summary[(summary["group_by"] == "all") & (summary["target"] == "population")]
    rows = rows.sort_values(["year", "min_level"])
    return [fmt_int(frame["agency_id"].nunique(), lang), *[fmt_pct(s, lang) for s in rows["share"]]]


def tiles(at: AppTest) -> list[str]:
    return [m.value for m in at.metric][:4]


def test_an_empty_database_offers_import_and_the_demo(db_url: str) -> None:
    at = open_coordinator()
    assert "Chưa có bản đánh giá nào được nộp" in texts(at)
    assert at.get("file_uploader")
    assert at.button(key="coord_demo").label == "Nạp dữ liệu mẫu toàn quốc"


def test_tiles_equal_the_population_summary_and_follow_the_filters(nation: Store, bundle: Bundle) -> None:
    at = open_coordinator()
    assert tiles(at) == expected_tiles(nation, bundle, "2027")
    labels = [m.label for m in at.metric][:4]
    assert labels == ["Cơ quan đã đánh giá", "Cấp ≥ 3 · mục tiêu 2027: 100 %", "Cấp ≥ 4 · mục tiêu 2030: 100 %",
                      "Cấp 5 · mục tiêu 2030: 90 %"]

    at.multiselect(key="coord_types").set_value(["commune"]).run()
    assert tiles(at) == expected_tiles(nation, bundle, "2027", agency_types=("commune",))
    assert tiles(at)[0] == fmt_int(TOTAL - 64, "vi")

    frame = nation.submitted_answers_frame(NATIONAL, round="2027")
    picked = (str(frame.loc[frame["agency_type"] == "commune", "province"].iloc[0]),)
    at.multiselect(key="coord_provinces").set_value(list(picked)).run()
    assert tiles(at) == expected_tiles(nation, bundle, "2027", agency_types=("commune",), provinces=picked)

    at.selectbox(key="coord_round").set_value("2025").run()
    assert tiles(at) == expected_tiles(nation, bundle, "2025", agency_types=("commune",), provinces=picked)

    at.multiselect(key="coord_types").set_value([]).run()
    at.multiselect(key="coord_provinces").set_value([]).run()
    assert tiles(at) == expected_tiles(nation, bundle, "2025")


def test_every_section_renders_and_an_agency_opens(nation: Store, bundle: Bundle) -> None:
    at = open_coordinator()
    assert at.get("vega_lite_chart"), "the overview draws charts"
    for section in ("heatmap", "provinces", "agencies", "trends", "import", "overview"):
        at.segmented_control(key="coord_section").set_value(section).run()
        assert not at.exception, (section, at.exception)
    # The heatmap aggregates (province × dimension, 34 provinces + the ministries), weakest first...
    at.segmented_control(key="coord_section").set_value("heatmap").run()
    assert "35 nhóm, 300 cơ quan" in texts(at)
    groups = at.selectbox(key="coord_hm_group").options
    assert len(groups) == 35 and "Bộ, ngành" in groups
    # ...and drills down to one province's agencies.
    frame = nation.submitted_answers_frame(NATIONAL, round="2027")
    province = str(frame.loc[frame["agency_type"] == "commune", "province"].iloc[0])
    members = frame[(frame["agency_id"] == province) | (frame["province"] == province)]["agency_id"].nunique()
    at.selectbox(key="coord_hm_group").set_value(province).run()
    assert not at.exception, at.exception
    assert f"Hiển thị {members} trên {members} cơ quan" in texts(at)
    at.selectbox(key="coord_hm_group").set_value("ministries").run()
    assert "Hiển thị 30 trên 30 cơ quan" in texts(at)
    at.selectbox(key="coord_hm_rows").set_value("agencies").run()
    assert "Hiển thị 40 trên 300 cơ quan" in texts(at)  # every agency: the weakest 40 only

    at.segmented_control(key="coord_section").set_value("provinces").run()
    provinces = at.selectbox(key="coord_prov_pick").options
    assert len(provinces) == 34
    # AppTest's select_index() stores the shown label, not the value: set the values themselves.
    frame = nation.submitted_answers_frame(NATIONAL, round="2027")
    commune = frame[frame["agency_type"] == "commune"].iloc[0]
    at.selectbox(key="coord_prov_pick").set_value(str(commune["province"])).run()
    assert not at.exception
    assert "Các cơ quan của" in texts(at)
    at.selectbox(key="coord_prov_drill").set_value(str(commune["agency_id"])).run()  # ...one of them in full
    assert not at.exception, at.exception
    assert "Cấp độ chung" in [m.label for m in at.metric]

    at.segmented_control(key="coord_section").set_value("agencies").run()
    at.selectbox(key="coord_drill").set_value("bo_01").run()
    assert not at.exception, at.exception
    assert "Cấp độ chung" in [m.label for m in at.metric]  # the IT lead's results view

    at.segmented_control(key="coord_section").set_value("trends").run()
    assert "Dự báo khả năng đạt mục tiêu 2027 và 2030" in texts(at)
    projection = at.dataframe[0].value  # the first table of the section
    assert len(projection) == 3
    assert set(projection["Trạng thái"]) <= {"Đã đạt", "Đúng tiến độ", "Chậm tiến độ", "Chưa đủ dữ liệu"}


def test_english_labels(nation: Store, bundle: Bundle) -> None:
    at = open_coordinator("en")
    assert at.title[0].value == "National coordination: data-management maturity"
    assert [m.label for m in at.metric][:2] == ["Agencies assessed", "Level ≥ 3 · 2027 target: 100%"]
    assert tiles(at) == expected_tiles(nation, bundle, "2027", lang="en")


def test_import_a_zip_through_the_page(store: Store, bundle: Bundle) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xa_a.yaml", yaml_bytes(bundle, agency_id="xa_a"))
        archive.writestr("xa_b.yaml", yaml_bytes(bundle, agency_id="xa_b", level=4))
        archive.writestr("loi.yaml", bad_yaml(bundle))
    at = open_coordinator()
    at.file_uploader[0].set_value(("dot_1.zip", buffer.getvalue(), "application/zip")).run()
    at.button(key="coord_import_go").click().run()
    assert not at.exception, at.exception
    report = at.dataframe[0].value
    assert sorted(report["file"]) == ["dot_1.zip/loi.yaml", "dot_1.zip/xa_a.yaml", "dot_1.zip/xa_b.yaml"]
    assert "2 tệp được nhận, 1 tệp bị từ chối" in texts(at)
    assert "dot_1.zip/loi.yaml:" in texts(at)
    assert tiles(at)[0] == "2"  # the new data are on the page at once


def test_changes_elsewhere_show_at_the_next_run(store: Store, bundle: Bundle) -> None:
    """The cached population is keyed on a change stamp read from the database, so a submission
    made anywhere (another session, another app process) is counted at the coordinator's next run."""
    store.import_response(response(bundle, agency_id="xa_a"), NATIONAL, "lead@xa-a")
    at = open_coordinator()
    assert tiles(at)[0] == "1"
    store.import_response(response(bundle, agency_id="xa_b"), NATIONAL, "lead@xa-b")
    at.run()
    assert tiles(at)[0] == "2"



def test_import_a_zip_into_a_populated_database(nation: Store, bundle: Bundle) -> None:
    """The import section is drawn after the section selector: importing there must not write the
    selector's state (StreamlitWidgetAlreadyInstantiatedError) and shows the report at once."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xa_a.yaml", yaml_bytes(bundle, agency_id="xa_moi_a", round_="2027"))
        archive.writestr("loi.yaml", bad_yaml(bundle))
    at = open_coordinator()
    before = int(tiles(at)[0].replace(".", ""))
    at.segmented_control(key="coord_section").set_value("import").run()
    at.file_uploader[0].set_value(("dot_2.zip", buffer.getvalue(), "application/zip")).run()
    at.button(key="coord_import_go").click().run()
    assert not at.exception, at.exception
    assert at.segmented_control(key="coord_section").value == "import"
    assert "1 tệp được nhận, 1 tệp bị từ chối" in texts(at)
    report = next(d.value for d in at.dataframe if "file" in d.value.columns)
    assert sorted(report["file"]) == ["dot_2.zip/loi.yaml", "dot_2.zip/xa_a.yaml"]
    assert [a.round for a in nation.list_assessments(NATIONAL, agency_id="xa_moi_a")] == ["2027"]
    assert int(tiles(at)[0].replace(".", "")) == before + 1  # counted at once in the latest round


def test_response_tracking_is_the_register_minus_what_was_answered(nation: Store, bundle: Bundle) -> None:
    register = national_population()  # the shipped register's communes are the synthetic national set
    draft_commune = register[(register["agency_type"] == "commune")].iloc[-1]  # not in the 300 answered
    nation.upsert_agency(Agency(id=str(draft_commune["agency_id"]), name=str(draft_commune["agency_name"]),
                                type="commune", province=str(draft_commune["province"])), NATIONAL, "lead")
    nation.create_assessment(str(draft_commune["agency_id"]), "2027", bundle.questionnaire.id,
                             bundle.questionnaire.version, NATIONAL, "lead")
    at = open_coordinator()
    at.segmented_control(key="coord_section").set_value("responses").run()
    assert not at.exception, at.exception
    answered = set(nation.submitted_answers_frame(NATIONAL, round="2027")["agency_id"].astype(str))
    assert len(answered) == TOTAL
    values = {m.label: m.value for m in at.metric}
    assert values["Phải nộp"] == fmt_int(len(register), "vi") == "3.385"
    assert values["Đã nộp, chờ duyệt"] == fmt_int(TOTAL, "vi")
    assert values["Đang soạn"] == "1"
    assert values["Chưa bắt đầu"] == fmt_int(len(register) - TOTAL - 1, "vi")

    element = next(d for d in at.dataframe if "share_responded" in d.value.columns)
    table, shown = element.value, shown_table(element)
    assert len(table) == 34 + 30  # every province and every ministry
    register["key"] = register["province"].fillna(register["agency_id"])
    for province in ("tinh_ca_mau", "tinh_ha_noi", str(draft_commune["province"])):
        members = register[register["key"] == province]["agency_id"]
        expected = len(members)
        done = int(members.isin(answered).sum())
        drafts = int(province == draft_commune["province"])
        name = f"UBND {dict(PROVINCES)[province.removeprefix('tinh_')]}"
        row = shown[table["group_name"] == name].iloc[0]
        assert (row["expected"], row["submitted"], row["draft"], row["not_started"]) == (
            fmt_int(expected, "vi"), fmt_int(done, "vi"), str(drafts), fmt_int(expected - done - drafts, "vi"))
        assert row["share_responded"] == fmt_pct(table.loc[row.name, "share_responded"], "vi")
    # worst first: the response shares never go down the table
    shares = table["share_responded"].tolist()
    assert shares == sorted(shares)

    waiting = next(d.value for d in at.dataframe if "contact_email" in d.value.columns)
    assert len(waiting) == len(register) - TOTAL
    assert str(draft_commune["agency_id"]) in set(waiting["agency_id"])
    assert not answered & set(waiting["agency_id"])


def test_numbers_follow_the_language(nation: Store, bundle: Bundle) -> None:
    """One number format per language: tiles, the ranking's scores and the tile gap (no minus sign)."""
    for lang, thousands, decimal in (("vi", "3.385", ","), ("en", "3,385", ".")):
        assert fmt_int(3385, lang) == thousands
        assert fmt_pct(0.099, lang) == {"vi": "9,9 %", "en": "9.9%"}[lang]
        at = open_coordinator(lang)
        shares = [m.value for m in at.metric][1:4]
        assert all(v.endswith(" %") if lang == "vi" else v.endswith("%") and " " not in v for v in shares)
        assert all(decimal in v for v in shares)
        gaps = [m.delta for m in at.metric if m.delta]
        assert gaps and not any(g.startswith("-") for g in gaps)
        at.segmented_control(key="coord_section").set_value("agencies").run()
        element = next(d for d in at.dataframe if "overall_score" in d.value.columns)
        ranking, shown = element.value, shown_table(element)
        assert ranking["overall_score"].dtype == float  # sorted as numbers by the grid
        assert shown["overall_score"].tolist() == [fmt_decimal(v, lang, 2) for v in ranking["overall_score"]]
        assert all(decimal in v for v in shown["overall_score"] if v != "–")
        assert shown["rank"].tolist() == [fmt_int(v, lang) for v in ranking["rank"]]


def test_accepted_assessments_are_counted_by_default_once_review_has_started(nation: Store, bundle: Bundle) -> None:
    from sqlalchemy import update

    from storage.schema import AssessmentRow

    accepted = nation.list_assessments(NATIONAL, round="2027")[:25]
    with nation.engine.begin() as conn:  # as the review workflow leaves them
        conn.execute(update(AssessmentRow).where(AssessmentRow.id.in_([a.id for a in accepted]))
                     .values(status="accepted"))
    at = open_coordinator()
    assert at.radio(key="coord_basis").value == "accepted"
    assert tiles(at)[0] == "25"
    assert "25 bản đã duyệt, 275 bản đã nộp chờ duyệt." in texts(at)
    at.radio(key="coord_basis").set_value("submitted").run()
    assert tiles(at)[0] == "300"


def test_overview_tables_follow_a_language_switch(nation: Store, bundle: Bundle) -> None:
    """The overview's tables write their numbers as the tiles do, in the language just chosen (not the
    browser's), while the columns stay numbers (the grid sorts them as numbers)."""
    at = open_coordinator("vi")
    for lang in ("vi", "en"):
        if lang == "en":  # what the language selector does: the session's language, then a run
            at.session_state["lang"] = "en"
            at.run()
            assert not at.exception, at.exception
        tables = {d.value.columns[0]: d for d in at.dataframe}  # read-only tables carry no key
        lights, shown = tables["group"].value, shown_table(tables["group"])
        assert lights["total"].dtype.kind == "i" and lights["share_green"].dtype.kind == "f"
        assert shown["share_green"].tolist() == [fmt_pct(v, lang) for v in lights["share_green"]]
        assert shown["total"].tolist() == [fmt_int(v, lang) for v in lights["total"]]
        assert tables["group"].proto.placeholder == MISSING  # an empty number cell: the en dash, not "None"
        indicators = tables["indicator_id"]
        assert shown_table(indicators)["target"].tolist() == [fmt_pct(v, lang, 0) for v in indicators.value["target"]]
