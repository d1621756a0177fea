"""Every kind of the bad-input corpus, fed to every door a file comes in by: the CLI (`validate` and
`score`), the Start page import (`journey.import_response_bytes`, what the page calls) and the
coordinator bulk import (`coordinator.imports.import_files`, what the coordinator page calls).

Each must be refused with a message naming the file (and the line where the problem has one),
without a traceback, within seconds, and with every stored row unchanged.
"""

from __future__ import annotations

import functools
import time
from pathlib import Path

import pytest

from coordinator.imports import import_files
from scoring.cli import main
from scoring.content import Bundle, load_bundle
from scoring.registry import declared_version
from storage import Store
from tests.hostile.conftest import ACTOR, NATIONAL, snapshot
from tests.hostile.corpus import Kind, all_kinds, built
from ui import journey

KINDS = all_kinds()
SECONDS = 10.0  # generous for a shared CI machine; the worst kind takes well under 2 s alone


def by_kind(kinds: tuple[Kind, ...] = KINDS):
    return pytest.mark.parametrize("kind", kinds, ids=[k.name for k in kinds])


def test_the_corpus_is_large_and_varied() -> None:
    suffixes = {k.suffix for k in KINDS}
    assert len(KINDS) >= 60 and suffixes == {"yaml", "csv", "zip"}


@pytest.fixture(autouse=True)
def _content_loaded_once(monkeypatch: pytest.MonkeyPatch, bundle: Bundle) -> None:
    """The CLI loads the shipped content on every call (a second each); load it once here."""
    import scoring.cli

    monkeypatch.setattr(scoring.cli, "load_bundle", lambda *args, **kwargs: bundle)


@functools.cache
def bundle_of(version: str) -> Bundle:
    return load_bundle("dmm-vn", version)


def _timed(call):
    start = time.perf_counter()
    result = call()
    elapsed = time.perf_counter() - start
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    return result


@by_kind()
def test_cli_validate_and_score_refuse_it(kind: Kind, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / kind.filename
    path.write_bytes(built(kind.name))
    for command in ("validate", "score"):
        assert _timed(lambda command=command: main([command, str(path)])) == 1
        out = capsys.readouterr()
        assert "Traceback" not in out.err + out.out
        assert str(path) in out.err, out.err
        if kind.suffix != "zip":  # the CLI reads response files, not archives: any refusal will do
            assert kind.expect in out.err, out.err
            if kind.line is not None:
                assert f"{path}:{kind.line}:" in out.err, out.err


@by_kind()
def test_start_page_import_refuses_it_and_changes_nothing(
    kind: Kind, shared_store: Store, before: dict, bundle: Bundle
) -> None:
    raw = built(kind.name)

    def start_page_import() -> journey.ImportOutcome:  # what app_pages/start.py does with an upload
        version = declared_version(raw)
        file_bundle = bundle if version in (None, bundle.questionnaire.version) else bundle_of(version)
        return journey.import_response_bytes(raw, kind.filename, file_bundle, shared_store, NATIONAL, ACTOR)

    outcome = _timed(start_page_import)
    assert not outcome.ok and outcome.problems, outcome
    assert all(p.startswith(kind.filename) for p in outcome.problems), outcome.problems
    text = "\n".join(outcome.problems)
    if kind.suffix == "yaml":
        assert kind.expect in text, text
        if kind.line is not None:
            assert f"{kind.filename}:{kind.line}:" in text, text
    assert snapshot(shared_store) == before


@by_kind()
def test_coordinator_import_refuses_it_and_changes_nothing(
    kind: Kind, shared_store: Store, before: dict, bundle: Bundle
) -> None:
    raw = built(kind.name)
    report = _timed(lambda: import_files([(kind.filename, raw)], bundle, shared_store, NATIONAL, ACTOR))
    assert report.files and report.accepted == 0 and report.assessments == 0
    for verdict in report.files:
        assert verdict.status == "rejected" and verdict.problems
        assert verdict.file.startswith(kind.filename)
        assert all(p.startswith(verdict.file) for p in verdict.problems), verdict.problems
    text = "\n".join(p for f in report.files for p in f.problems)
    assert kind.expect in text, text
    if kind.line is not None and kind.suffix != "zip":
        assert f"{kind.filename}:{kind.line}:" in text, text
    assert snapshot(shared_store) == before
