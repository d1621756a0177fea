"""The page table (ui/navigation.py): which pages each role gets, in which order (the first is served at
the root address), and that every row points at a page file and translated titles."""

from __future__ import annotations

import pytest

from storage import Principal
from ui.i18n import translate
from ui.navigation import PAGES, page_keys

from .conftest import ROOT


@pytest.mark.parametrize(("role", "scope", "expected"), [
    (None, None, ("start", "assessment", "results", "coordinator", "trainer", "rounds")),
    ("respondent", "agency:xa_dak_ha", ("start", "assessment")),
    ("it_lead", "agency:xa_dak_ha", ("start", "assessment", "results", "team")),
    ("reviewer", "province:tinh_dak_lak", ("review", "results")),
    ("coordinator", "national", ("coordinator", "results", "trainer", "rounds")),
    ("coordinator", "province:tinh_dak_lak", ("coordinator", "results", "trainer")),  # rounds are national
    ("trainer", "national", ("trainer",)),
    ("admin", "national", ("users", "rounds", "coordinator")),
])
def test_each_role_gets_its_pages_first_page_first(role: str | None, scope: str | None,
                                                   expected: tuple[str, ...]) -> None:
    principal = None if role is None else Principal("x@gov.vn", role, scope or "national")
    assert page_keys(principal) == expected


def test_every_row_has_a_file_titles_and_a_unique_address() -> None:
    assert len({p.url_path for p in PAGES}) == len(PAGES) == len({p.key for p in PAGES})
    for spec in PAGES:
        assert (ROOT / spec.file).is_file(), spec.file
        for lang in ("vi", "en"):
            for key in (spec.title_key, spec.section_key):
                assert translate(lang, key) != key, (lang, key)
