"""`python -m scoring` as a coordinator or an IT lead uses it: exit codes, messages, formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from scoring.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_responses" / "v1"  # the 1.0.0 samples (2.0.0: tests/core/test_samples_v2.py)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scoring", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_validate_shipped_content():
    done = run("validate")
    assert done.returncode == 0 and "content files valid (dmm-vn 1.0.0: 10 dimensions, 74 questions" in done.stdout


def test_validate_bad_file_names_file_and_line(tmp_path: Path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        'questionnaire: dmm-vn\nversion: "1.0.0"\nagency: {id: x, name: X, type: ministry}\n'
        'round: "2026"\nanswers:\n  governance.data_owners: 9\n',
        encoding="utf-8",
    )
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:6: governance.data_owners: 9 is not a level" in err


def test_usage_error_exits_2():
    done = run("score")
    assert done.returncode == 2 and "error:" in done.stderr


def test_template_lists_every_question_and_fills_into_a_valid_response(tmp_path: Path, shipped):
    done = run("template")
    assert done.returncode == 0
    for question in shipped.questionnaire.questions:
        assert f"  {question.id}:" in done.stdout
    data = yaml.safe_load(done.stdout)
    data["agency"] = {"id": "bo_thu", "name": "Bộ Thử", "type": "ministry"}
    # 85 % is level 3 or above under every band (satisfaction has its own, stricter bands)
    data["answers"] = {q.id: (3 if q.kind == "level" else 85) for q in shipped.questionnaire.questions}
    assert "notes" not in data  # notes are a commented-out example, never a null `notes:`
    path = tmp_path / "filled.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    scored = json.loads(run("score", str(path), "--format", "json").stdout)
    assert scored[0]["overall_level"] == 3 and scored[0]["targets"]["2027"]["met"] is True


def test_score_json_shape_on_samples():
    done = run("score", str(SAMPLES), "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) >= 15
    first = rows[0]
    assert {"agency_id", "overall_score", "overall_level", "dimensions", "targets"} <= set(first)
    assert set(first["targets"]) == {"2027", "2030"} and {"met", "gaps"} <= set(first["targets"]["2027"])
    assert all({"score", "level"} == set(d) for d in first["dimensions"].values())


def test_a_bad_file_among_many_is_reported_and_the_rest_scored(tmp_path: Path):
    good = next(SAMPLES.glob("*.yaml"))
    (tmp_path / good.name).write_bytes(good.read_bytes())
    (tmp_path / "broken.yaml").write_text("agency: [oops\n", encoding="utf-8")
    done = run("score", str(tmp_path), "--format", "json")
    assert done.returncode == 1
    assert "broken.yaml:" in done.stderr and "YAML syntax error" in done.stderr
    assert len(json.loads(done.stdout)) == 1


def test_lenient_rubric_gives_a_different_reading_without_code():
    standard = {
        r["agency_id"] + r["round"]: r for r in json.loads(run("score", str(SAMPLES), "--format", "json").stdout)
    }
    lenient = {
        r["agency_id"] + r["round"]: r
        for r in json.loads(run("--rubric", "lenient", "score", str(SAMPLES), "--format", "json").stdout)
    }
    assert standard.keys() == lenient.keys()
    assert any(standard[k]["overall_level"] != lenient[k]["overall_level"] for k in standard)


def test_summary_csv_and_table():
    done = run("summary", str(SAMPLES / "bulk" / "bulk.csv"), "--format", "csv")
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0]
    assert header.startswith("group_by,group,year,target,min_level,target_share")
    assert run("summary", str(SAMPLES), "--format", "table").returncode == 0


def test_generate_writes_a_scorable_csv(tmp_path: Path):
    out = tmp_path / "national.csv"
    done = run("generate", str(out), "--agencies", "80", "--rounds", "2")
    assert done.returncode == 0, done.stderr
    scored = run("summary", str(out), "--format", "json")
    assert scored.returncode == 0, scored.stderr
    rows = json.loads(scored.stdout)
    assert next(r for r in rows if r["group_by"] == "all")["agencies"] == 160
