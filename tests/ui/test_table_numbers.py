"""The table helper (`ui.table_numbers`): every number as `scoring.numbers` writes it, columns kept numeric."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.elements.lib.pandas_styler_utils import marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData

from scoring.numbers import MISSING, fmt_decimal, fmt_int, fmt_pct, fmt_percent_value
from ui.table_numbers import column_texts, display_values, number_table

FRAME = pd.DataFrame({
    "name": ["Hà Nội", None, "Cà Mau"],
    "rank": [1081, 3385, 7],
    "level": pd.array([1, pd.NA, 3], dtype="Int64"),
    "share": [0.0992, np.nan, 0.5],
    "mean": [1.391892, 2.0, np.nan],
    "met": [True, False, True],
})


@pytest.mark.parametrize(("lang", "rank", "share", "mean"), [
    ("vi", ["1.081", "3.385", "7"], ["9,9 %", MISSING, "50,0 %"], ["1,39", "2,00", MISSING]),
    ("en", ["1,081", "3,385", "7"], ["9.9%", MISSING, "50.0%"], ["1.39", "2.00", MISSING]),
])
def test_numbers_in_the_language_and_columns_kept(lang: str, rank: list[str], share: list[str],
                                                  mean: list[str]) -> None:
    styler = number_table(FRAME, lang, shares=("share",), decimals={"mean": 2})
    shown = display_values(styler)
    assert shown["rank"].tolist() == rank
    assert shown["share"].tolist() == share
    assert shown["mean"].tolist() == mean
    assert shown["level"].tolist() == ["1", MISSING, "3"]
    # the data keep their types: the grid sorts numbers as numbers
    assert styler.data.dtypes.to_dict() == FRAME.dtypes.to_dict()
    assert styler.data["rank"].sort_values().tolist() == [7, 1081, 3385]


def test_columns_the_grid_already_writes_right_are_not_sent() -> None:
    frame = FRAME.assign(small=[1, 2, 999], big=[1, 2, 1000])
    sent = number_table(frame, "en", shares=("share",), decimals={"mean": 2}).number_texts
    assert "small" not in sent and "met" not in sent and "name" not in sent  # "999", checkboxes, texts
    assert sent["big"] == ["1", "2", "1,000"] and sent["level"] == ["1", MISSING, "3"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_streamlit_sends_the_helpers_texts(lang: str) -> None:
    """What `st.dataframe` marshals from the helper's Styler is its display values."""
    styler = number_table(FRAME, lang, shares=("share",), decimals={"mean": 2})
    proto = ArrowData()
    marshall_styler(proto, styler, "t")
    sent = pa.ipc.open_stream(proto.styler.display_values).read_all().to_pandas().reset_index(drop=True)
    pd.testing.assert_frame_equal(sent, display_values(styler), check_dtype=False)


def test_a_fraction_column_needs_a_format() -> None:
    with pytest.raises(ValueError, match="mean"):
        number_table(FRAME, "vi", shares=("share",))


def test_shares_with_their_own_digits() -> None:
    frame = pd.DataFrame({"target": [0.8, 1.0], "share": [0.0003, 0.325]})
    shown = display_values(number_table(frame, "vi", shares={"target": 0, "share": 1}))
    assert shown.to_dict("list") == {"target": ["80 %", "100 %"], "share": ["0,0 %", "32,5 %"]}


values = st.one_of(st.integers(-10**9, 10**9).map(float), st.floats(-1e7, 1e7, allow_nan=False),
                   st.integers(-10**6, 10**6).map(lambda n: n / 1000), st.integers(-4000, 4000).map(lambda n: n / 8))


@given(st.lists(values, min_size=1, max_size=30), st.sampled_from(["vi", "en"]), st.integers(0, 3))
def test_column_texts_equal_the_helpers_one_by_one(numbers: list[float], lang: str, digits: int) -> None:
    """Babel per value would cost 50 µs a cell; the column path formats distinct values itself and
    must write exactly what `scoring.numbers` writes (rounding half to even included)."""
    column = pd.Series([*numbers, np.nan])
    assert column_texts(column, "count", lang) == [fmt_int(v, lang) for v in column]
    assert column_texts(column, "decimal", lang, digits) == [fmt_decimal(v, lang, digits) for v in column]
    shares = column / 1000
    assert column_texts(shares, "share", lang, digits) == [fmt_pct(v, lang, digits) for v in shares]


@pytest.mark.parametrize(("value", "vi", "en"), [(85, "85 %", "85%"), (33.5, "33,5 %", "33.5%"),
                                                 (1250.25, "1.250,25 %", "1,250.25%"), (None, MISSING, MISSING)])
def test_a_value_already_in_percent(value: float | None, vi: str, en: str) -> None:
    """Indicators are answered and targeted in percent (85 means 85 %): the results and trainer tables."""
    assert (fmt_percent_value(value, "vi"), fmt_percent_value(value, "en")) == (vi, en)
