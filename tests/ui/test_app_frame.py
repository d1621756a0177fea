"""The frame every page shares (issue 8): local mode said in the main area too (a phone starts with the
sidebar collapsed), and the rubric choice readable in a narrow sidebar."""

from __future__ import annotations

from scoring.content import load_bundle

from .conftest import new_app


def test_local_mode_is_said_on_the_page_and_the_rubric_is_readable(db_url: str) -> None:
    at = new_app()
    at.run()
    assert not at.exception, at.exception
    main = [m.value for m in at.main.markdown]
    assert any("Chế độ cục bộ (một người dùng)" in text for text in main), main
    assert any("Chế độ cục bộ (một người dùng)" in m.value for m in at.sidebar.markdown)
    rubric = at.sidebar.selectbox(key="rubric")
    full = load_bundle().rubric.name.vi  # "Thang chấm chuẩn (cấp độ theo ngưỡng)"
    assert rubric.format_func(rubric.value) == full.split(" (")[0] == "Thang chấm chuẩn"
    assert full in [c.value for c in at.sidebar.caption]
    at.sidebar.selectbox(key="rubric").set_value("lenient").run()
    assert "Thang chấm nới (theo điểm trung bình)" in [c.value for c in at.sidebar.caption]
    assert at.sidebar.selectbox(key="rubric").format_func("lenient") == "Thang chấm nới"
