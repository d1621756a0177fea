"""Accent- and case-insensitive matching for Vietnamese."""

from __future__ import annotations

import unicodedata

from trainer.text import find_spans, fold, query_terms


def test_fold_strips_marks_and_case():
    assert fold("Dữ liệu ĐỊA PHƯƠNG") == "du lieu dia phuong"
    assert fold("Quyết định 2629/QĐ-TTg") == "quyet dinh 2629/qd-ttg"


def test_fold_accepts_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Bảo vệ dữ liệu cá nhân")
    assert fold(decomposed) == "bao ve du lieu ca nhan"


def test_phrase_found_without_accents_and_highlight_spans_map_back():
    text = "Bảo vệ dữ liệu cá nhân và dữ liệu mở"
    spans = find_spans(text, query_terms("DU LIEU"))
    assert spans is not None
    assert [text[a:b] for a, b in spans] == ["dữ liệu", "dữ liệu"]


def test_phrase_with_marks_in_the_query():
    text = "Bảo vệ dữ liệu cá nhân"
    spans = find_spans(text, query_terms("dữ liệu cá nhân"))
    assert spans and text[spans[0][0]:spans[0][1]] == "dữ liệu cá nhân"


def test_phrase_starts_at_a_word_boundary():
    assert find_spans("nhân viên", query_terms("an")) is None
    assert find_spans("an toàn", query_terms("an")) == [(0, 2)]


def test_whitespace_in_the_text_may_differ():
    assert find_spans("dữ\n  liệu", query_terms("du lieu")) == [(0, 9)]


def test_empty_query_finds_nothing():
    assert query_terms("   ") == []
    assert find_spans("anything", []) is None
