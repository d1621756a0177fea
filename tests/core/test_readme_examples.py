"""Every `python -m scoring` example in the README runs as printed: without its optional parts, and
with all of them (each alternative of `a|b|c` in turn), options after the sub-command included."""

from __future__ import annotations

import itertools
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
OPTIONAL = re.compile(r"\[([^\[\]]+)\]")
BIG_NUMBER = re.compile(r"\b\d{4,}\b")


def readme_examples() -> list[str]:
    """The `python -m scoring ...` lines of the README's shell blocks, comments stripped."""
    blocks = re.findall(r"```(?:bash|sh|console)\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("python -m scoring")]


def variants(example: str) -> list[str]:
    """The example without its optional parts, then with every optional part (a metavar list such
    as `[PATH ...]` is left out), one command per combination of `a|b|c` alternatives."""
    minimal = re.sub(r"\s+", " ", OPTIONAL.sub("", example)).strip()
    parts = [p for p in OPTIONAL.findall(example) if "..." not in p]
    choices = []
    for part in parts:
        head, _, tail = part.rpartition(" ")
        choices.append([f"{head} {alt}".strip() for alt in tail.split("|")] if "|" in tail else [part])
    full = []
    for combination in itertools.product(*choices):
        command = OPTIONAL.sub("", example)
        full.append(re.sub(r"\s+", " ", f"{command} {' '.join(combination)}").strip())
    return [minimal, *[c for c in full if c != minimal]]


EXAMPLES = readme_examples()


def test_the_readme_shows_the_cli_examples() -> None:
    assert len(EXAMPLES) >= 5
    assert any("--rubric lenient" in e for e in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_readme_example_runs_as_printed(example: str, tmp_path: Path) -> None:
    (tmp_path / "sample_responses").symlink_to(ROOT / "sample_responses")
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    for command in variants(example):
        # Synthetic data sizes are kept small on the shared test machine; the options are as printed.
        words = [BIG_NUMBER.sub("300", w) if w.isdigit() else w for w in shlex.split(command)]
        assert words[:3] == ["python", "-m", "scoring"]
        result = subprocess.run([sys.executable, *words[1:]], cwd=tmp_path, env=env, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, f"{command}\n{result.stderr[-2000:]}"
        assert "Traceback" not in result.stderr, command


def test_options_after_the_sub_command_are_the_same_as_before_it(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(*words: str) -> str:
        result = subprocess.run([sys.executable, "-m", "scoring", *words], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout

    sample = "sample_responses/"
    after = run("score", sample, "--rubric", "lenient", "--format", "csv")
    before = run("--rubric", "lenient", "score", sample, "--format", "csv")
    standard = run("score", sample, "--format", "csv")
    assert after == before
    assert after != standard  # the rubric given after the sub-command is really used


def test_variants_expand_optional_parts() -> None:
    assert variants("python -m scoring score x/ [--rubric lenient] [--format table|json]") == [
        "python -m scoring score x/",
        "python -m scoring score x/ --rubric lenient --format table",
        "python -m scoring score x/ --rubric lenient --format json",
    ]
    assert variants("python -m scoring validate [PATH ...]") == ["python -m scoring validate"]
