"""Canonical values: one stored text per answer, read back as the same answer."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage import InvalidValue, canonical_value, parse_value


@given(st.integers(min_value=1, max_value=5))
def test_canonical_values_round_trip_levels(level: int) -> None:
    text = canonical_value(level)
    assert text == str(level)
    assert parse_value(text) == level and isinstance(parse_value(text), int)


@given(st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False))
def test_canonical_values_round_trip_percentages(value: float) -> None:
    text = canonical_value(value)
    assert parse_value(text) == value
    assert not text.endswith(".0")
    assert canonical_value(parse_value(text)) == text  # one text per value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3, "3"),
        (57.5, "57.5"),
        (80.0, "80"),
        (80, "80"),
        (0.0, "0"),
        (-0.0, "0"),
        (12.25, "12.25"),
        ("na", "na"),
        ("dont_know", "dont_know"),
    ],
)
def test_canonical_values_examples(value: object, text: str) -> None:
    assert canonical_value(value) == text


@pytest.mark.parametrize("value", [True, False, None, "maybe", "NA", "", math.nan, math.inf, [3], b"3", {}])
def test_what_is_not_an_answer_is_refused(value: object) -> None:
    with pytest.raises(InvalidValue):
        canonical_value(value)


def test_numpy_numbers_from_a_dataframe_are_answers() -> None:
    np = pytest.importorskip("numpy")
    assert canonical_value(np.int64(4)) == "4"
    assert canonical_value(np.float64(62.5)) == "62.5"
    with pytest.raises(InvalidValue):
        canonical_value(np.bool_(True))


def test_numeric_text_is_read_as_the_number_as_in_response_files() -> None:
    assert canonical_value("3") == "3"
    assert canonical_value(" 57,5 ") == "57.5"
    assert canonical_value("80.0") == "80"


@pytest.mark.parametrize("text", ["", "abc", "nan", "inf"])
def test_unreadable_stored_text_is_reported(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_value(text)
