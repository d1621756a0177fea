"""Vietnamese alphabetical order through ICU (PyICU), for every list of names the app sorts.

Code-point order puts "Đ" after "V" and every "UBND Thành phố …" before "UBND Tỉnh …"; ICU's
Vietnamese collation orders A Ă Â B C D Đ E Ê … with tones as secondary differences, so "Cà Mau"
comes before "Cao Bằng" and "Đắk Lắk" after "Dak …". No hand-made sort key.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import icu
import numpy as np
import pandas as pd

_local = threading.local()


def _collator() -> icu.Collator:
    """One collator per thread (ICU collators are cheap to keep and not shared across threads)."""
    collator = getattr(_local, "collator", None)
    if collator is None:
        collator = _local.collator = icu.Collator.createInstance(icu.Locale("vi"))
    return collator


def sort_key(text: object) -> bytes:
    """The Vietnamese collation key of a text (None and NaN sort first, as an empty text)."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return b""
    return bytes(_collator().getSortKey(str(text)))


def sorted_vi(texts: Iterable[str]) -> list[str]:
    return sorted(texts, key=sort_key)


def collation_keys(values: pd.Series) -> pd.Series:
    """Sort keys for a column, computed once per distinct value (names repeat across rounds)."""
    uniques = pd.unique(values.astype(object))
    keys = {v: sort_key(v) for v in uniques}
    return values.astype(object).map(keys)


def collation_rank(values: pd.Series) -> pd.Series:
    """Each value's position in Vietnamese order (ties share a rank): a numeric column that
    `DataFrame.sort_values` can combine with other keys."""
    keys = collation_keys(values)
    ordered = sorted(set(keys), key=lambda k: k)
    rank = {k: i for i, k in enumerate(ordered)}
    return keys.map(rank).astype("int64")
