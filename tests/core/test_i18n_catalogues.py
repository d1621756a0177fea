"""Both UI catalogues carry the same keys and the same {placeholders}, so no screen falls back."""

from __future__ import annotations

import re
import string

from ui.i18n import LANGUAGES, catalogue


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_same_keys_in_every_language():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert keys["vi"] == keys["en"], keys["vi"] ^ keys["en"]


def test_same_placeholders_in_every_language():
    vi, en = catalogue("vi"), catalogue("en")
    assert [k for k in vi if placeholders(vi[k]) != placeholders(en[k])] == []


def test_vietnamese_catalogue_is_vietnamese():
    marked = [
        k
        for k, v in catalogue("vi").items()
        if re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", v.lower())
    ]
    assert len(marked) >= 0.8 * len(catalogue("vi"))
