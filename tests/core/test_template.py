"""`python -m scoring template` prints a file that validates once filled in as printed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring import registry
from scoring.cli import main
from scoring.content import load_bundle
from scoring.responses import parse_response

ANSWER_LINE = re.compile(r"^  ([a-z0-9_]+\.[a-z0-9_]+):   # (percent 0-100|1-5)")


def fill(template: str) -> str:
    """What a person does with the template: a value after each colon, the agency's id and name."""
    out = []
    for line in template.splitlines():
        match = ANSWER_LINE.match(line)
        if match:
            line = f"  {match.group(1)}: {'57.5' if match.group(2).startswith('percent') else '3'}"
        line = line.replace("  id: ''", "  id: xa_thu_nghiem").replace("  name: ''", "  name: 'UBND xã Thử Nghiệm'")
        line = line.replace("  province: ''", "  province: tinh_quang_ngai")
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("version", registry.versions())
@pytest.mark.parametrize("agency_type", ["ministry", "province", "commune"])
def test_template_filled_in_as_printed_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 version: str, agency_type: str) -> None:
    bundle = load_bundle("dmm-vn", version)
    args = ["--questionnaire-version", version]
    assert main(["template", *args, "--agency-type", agency_type]) == 0
    template = capsys.readouterr().out
    asked = [q for q in bundle.questionnaire.questions if q.applies(agency_type)]
    assert len([line for line in template.splitlines() if ANSWER_LINE.match(line)]) == len(asked)
    filled = fill(template)
    response = parse_response(filled.encode(), "filled.yaml", bundle)
    assert len(response.answers) == len(asked) and response.notes == {}
    path = tmp_path / "filled.yaml"
    path.write_text(filled, encoding="utf-8")
    assert main(["validate", *args, str(path)]) == 0, capsys.readouterr().err
