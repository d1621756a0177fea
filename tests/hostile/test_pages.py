"""The two upload widgets with hostile files, through AppTest: a message naming the file, no
exception on the page, nothing stored."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from scoring.content import Bundle
from storage import Store
from tests.hostile.conftest import populate, snapshot
from tests.hostile.corpus import built
from tests.ui.conftest import ROOT, db_url, open_page, store, texts  # noqa: F401 - fixtures

START = "app_pages/start.py"


@pytest.fixture
def populated(store: Store, bundle: Bundle) -> Store:  # noqa: F811
    populate(store, bundle)
    return store


@pytest.mark.parametrize(("kind", "filename", "shown"), [
    ("alias_bomb", "laughs.yaml", "laughs.yaml:"),
    ("python_object_tag", "pyobj.yaml", "!!python/object"),
    ("file_50_mb", "big.yaml", "more than the limit"),
])
def test_start_page_upload_refuses_hostile_files(populated: Store, kind: str, filename: str, shown: str) -> None:
    before = snapshot(populated)
    at = open_page(START)
    at.file_uploader(key="start_import").set_value((filename, built(kind), "application/x-yaml")).run()
    assert not at.exception, at.exception
    codes = "\n".join(c.value for c in at.code)
    assert filename in codes and shown in codes
    assert snapshot(populated) == before


def test_coordinator_upload_gives_every_hostile_file_a_verdict(populated: Store) -> None:
    before = snapshot(populated)
    at = AppTest.from_file(str(ROOT / "app_pages" / "coordination.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    at.segmented_control(key="coord_section").set_value("import").run()
    files = [("bomb.zip", built("zip_bomb_2_gb"), "application/zip"),
             ("extra_col.csv", built("csv_extra_column_and_bad_row"), "text/csv"),
             ("laughs.yaml", built("alias_bomb"), "application/x-yaml")]
    at.file_uploader[0].set_value(files).run()
    at.button(key="coord_import_go").click().run()
    assert not at.exception, at.exception
    report = at.dataframe[0].value
    assert sorted(report["file"]) == ["bomb.zip", "extra_col.csv", "laughs.yaml"]
    assert set(report["status"]) == {"❌ Rejected"}
    shown = texts(at) + report.to_string()
    assert "laughs.yaml:" in shown and "bomb.zip:" in shown and "'comment' are not used" in shown
    assert snapshot(populated) == before


@pytest.mark.parametrize("page", ["app_pages/assessment.py", "app_pages/results.py", START])
def test_an_assessment_id_no_row_can_have_in_the_url_is_no_error(populated: Store, page: str) -> None:
    at = open_page(page, assessment_id=2**64)  # "?a=18446744073709551616": an OverflowError once
    assert not at.exception, at.exception
