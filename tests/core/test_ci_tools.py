"""A test needing an external tool skips on a developer's machine without it, and fails in CI."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import require_tool


def test_missing_tool_skips_locally_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda command: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_tool("pdftotext", "poppler-utils")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true needs it"):
        require_tool("pdftotext", "poppler-utils")
