"""Accent- and case-insensitive matching for Vietnamese: "du lieu" finds "Dữ liệu".

Folding works one character at a time and keeps, for every folded character, the position of the
original character it came from, so a match found in the folded text can be highlighted in the
original one.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that are distinct in Unicode (no combining mark to strip) but typed without accent.
_EXTRA = {"đ": "d", "Đ": "d", "ð": "d", "ł": "l", "ø": "o"}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _fold_char(char: str) -> str:
    if char in _EXTRA:
        return _EXTRA[char]
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """Lower case without tone or vowel marks: 'Dữ liệu ĐỊA PHƯƠNG' -> 'du lieu dia phuong'."""
    return fold_with_map(text)[0]


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the index of its source in NFC `text`."""
    source = nfc(text)
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(source):
        piece = _fold_char(char)
        folded.append(piece)
        origin.extend([index] * len(piece))
    return "".join(folded), origin


def query_terms(query: str) -> list[str]:
    """The folded words of a search query (empty when there is nothing to search for)."""
    return [term for term in re.split(r"\s+", fold(query).strip()) if term]


def phrase_pattern(terms: list[str]) -> re.Pattern[str]:
    """The folded words as one phrase starting at a word boundary ("ca nhan" is not inside "cach")."""
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(term) for term in terms))


def find_spans(text: str, terms: list[str]) -> list[tuple[int, int]] | None:
    """Spans (start, end) in NFC `text` of each occurrence of the phrase `terms`; None when absent.

    The phrase must start at the beginning of a word; it may end inside one, so "lieu" finds
    "liệu" and "du lieu" finds "dữ liệu" but "an" does not find "nhân".
    """
    if not terms:
        return None
    folded, origin = fold_with_map(text)
    spans = [(origin[m.start()], origin[m.end() - 1] + 1) for m in phrase_pattern(terms).finditer(folded)]
    return merge_spans(spans) or None


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
