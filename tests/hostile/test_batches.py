"""Uploads of many files at once, budgets per upload, all-or-nothing per agency-round, the limits'
one place, and the worst kinds run in a fresh process (the CLI as a user runs it, time and memory).
Store-facing tests run on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from coordinator.imports import import_files
from scoring.content import Bundle
from scoring.limits import MB, InputLimits
from scoring.response_frame import response_to_yaml, responses_frame
from scoring.responses import parse_response
from storage import Store
from tests.hostile.conftest import ACTOR, NATIONAL, populate, snapshot
from tests.hostile.corpus import ROOT, SAMPLE, TARGET, all_kinds, built, zip_of


def good_yaml(bundle: Bundle, agency_id: str) -> bytes:
    response = parse_response(SAMPLE.read_bytes(), SAMPLE.name, bundle)
    agency = response.agency.model_copy(update={"id": agency_id})
    return response_to_yaml(response.model_copy(update={"agency": agency})).encode()


def test_one_upload_with_every_kind_gives_each_file_a_verdict(db_url: str, bundle: Bundle) -> None:
    store = Store(db_url)
    populate(store, bundle)
    before = snapshot(store)
    kinds = all_kinds()
    upload = [(k.filename if k.suffix != "zip" else f"{k.name}.zip", built(k.name)) for k in kinds]
    upload.insert(len(upload) // 2, ("xa_moi.yaml", good_yaml(bundle, "xa_moi")))  # a good file in the middle
    upload.append(("xa_cuoi.yaml", good_yaml(bundle, "xa_cuoi")))  # and one after every bad one
    report = import_files(upload, bundle, store, NATIONAL, ACTOR)
    judged = {f.file.split("/", 1)[0] for f in report.files}
    assert judged == {name for name, _ in upload}  # every uploaded file has a verdict
    accepted = sorted(f.file for f in report.files if f.status == "accepted")
    assert accepted == ["xa_cuoi.yaml", "xa_moi.yaml"]
    after = snapshot(store)
    new_ids = {row[0] for row in after["assessments"]} - {row[0] for row in before["assessments"]}
    assert len(new_ids) == 2
    # Every row stored before is still there, unchanged; only the two new assessments were added.
    assert set(before["agencies"]) <= set(after["agencies"])
    assert [r for r in after["assessments"] if r[0] not in new_ids] == before["assessments"]
    assert [r for r in after["answers"] if r[0] not in new_ids] == before["answers"]


def test_a_broken_csv_row_never_replaces_a_submitted_assessment(db_url: str, bundle: Bundle) -> None:
    """The data loss of the issue: a row with a missing field shifted the values, the row was left
    out as 'another' agency-round, and the agency's submitted 74 answers were replaced by 73."""
    store = Store(db_url)
    submitted = parse_response((ROOT / "sample_responses" / "bo_tai_chinh_2026.yaml").read_bytes(), "b", bundle)
    store.import_responses([submitted], NATIONAL, ACTOR, status="submitted")
    before = snapshot(store)
    lines = responses_frame([submitted]).to_csv(index=False, lineterminator="\n").splitlines()
    cells = lines[5].split(",")
    lines[5] = ",".join(cells[:3] + cells[4:])  # the empty province cell is missing: 8 fields, not 9
    report = import_files([("short_row.csv", ("\n".join(lines) + "\n").encode())], bundle, store, NATIONAL, ACTOR)
    assert report.accepted == 0 and "nothing in it was imported" in "\n".join(report.files[0].problems)
    assert snapshot(store) == before
    # A CSV that is fine except for one value of that agency: its agency-round is left out whole.
    fine = lines[:]
    fine[5] = ",".join([*cells[:6], "9", *cells[7:]])
    report = import_files([("value.csv", ("\n".join(fine) + "\n").encode())], bundle, store, NATIONAL, ACTOR)
    assert report.assessments == 0 and "left out" in "\n".join(report.files[0].problems)
    assert snapshot(store) == before


def test_five_archives_share_one_unpacking_budget(db_url: str, bundle: Bundle) -> None:
    store = Store(db_url)
    limits = InputLimits(max_upload_unpacked_bytes=10 * MB, max_yaml_bytes=2 * MB)
    # About 3 MB of (barely compressible) comment text per archive, so that the ratio check lets it through.
    archive = zip_of({f"r{i}.yaml": b"# " + os.urandom(MB // 2).hex().encode() for i in range(3)})
    upload = [(f"part{i}.zip", archive) for i in range(5)]
    report = import_files(upload, bundle, store, NATIONAL, ACTOR, limits=limits)
    refused_whole = sorted(f.file for f in report.files if "per upload" in "\n".join(f.problems))
    assert refused_whole == ["part3.zip", "part4.zip"]  # 3 x 3 MB fit in 10 MB; the 4th and 5th do not
    assert report.accepted == 0 and store.list_assessments(NATIONAL) == []


def test_limits_live_in_one_place_and_can_be_set_per_deployment() -> None:
    limits = InputLimits.from_env({"DMM_LIMIT_MAX_NOTE_CHARS": "100", "DMM_LIMIT_MAX_ZIP_ENTRIES": "x"})
    assert limits.max_note_chars == 100 and limits.max_zip_entries == InputLimits().max_zip_entries


def test_the_target_is_a_draft_so_a_wrong_acceptance_would_show(shared_store: Store) -> None:
    [info] = shared_store.list_assessments(NATIONAL, agency_id=TARGET[0], round=TARGET[1])
    assert info.status == "draft" and info.answered_count > 50


WORST = ("file_50_mb", "csv_file_50_mb", "alias_bomb", "deep_lists", "deep_maps", "zip_bomb_2_gb",
         "zip_10000_entries", "zip_comments_bomb")

_MEASURE = r"""
import json, sys, time
from pathlib import Path
from coordinator.imports import import_files
from scoring.content import load_bundle
from storage import Scope, Store
from storage.scratch import scratch_sqlite


def rss_mb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


bundle = load_bundle()
out = {"kinds": {}}
with scratch_sqlite(Path(sys.argv[1]) / "m.sqlite3") as url:
    store = Store(url)
    for path in map(Path, sys.argv[2:]):
        raw = path.read_bytes()
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current size
        before = rss_mb("VmRSS:")
        start = time.perf_counter()
        report = import_files([(path.name, raw)], bundle, store, Scope.national(), "m")
        seconds = time.perf_counter() - start
        out["kinds"][path.name] = {"seconds": round(seconds, 3), "extra_mb": round(rss_mb("VmHWM:") - before, 1),
                                   "rejected": report.rejected, "accepted": report.accepted}
print(json.dumps(out))
"""


def test_worst_kinds_in_a_fresh_process_stay_fast_and_small(tmp_path: Path) -> None:
    """`python -m scoring validate` as a user runs it, then the coordinator import, on the most costly
    kinds: clean refusals, seconds not minutes, memory bounded (the 50 MB files are held once or twice)."""
    paths = []
    for name in WORST:
        kind = next(k for k in all_kinds() if k.name == name)
        path = tmp_path / kind.filename
        path.write_bytes(built(name))
        paths.append(str(path))
    yaml_and_csv = [p for p in paths if not p.endswith(".zip")]
    done = subprocess.run([sys.executable, "-m", "scoring", "validate", *yaml_and_csv], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert all(p in done.stderr for p in yaml_and_csv), done.stderr
    measured = subprocess.run([sys.executable, "-c", _MEASURE, str(tmp_path), *paths], capture_output=True,
                              text=True, cwd=ROOT, timeout=300, check=False)
    assert measured.returncode == 0, measured.stderr[-2000:]
    figures = json.loads(measured.stdout.strip().splitlines()[-1])
    print(json.dumps(figures, indent=1))  # shown with -s: the corpus figures for the report
    assert all(k["rejected"] >= 1 and k["accepted"] == 0 for k in figures["kinds"].values())
    assert max(k["seconds"] for k in figures["kinds"].values()) < 10
    assert max(k["extra_mb"] for k in figures["kinds"].values()) < 400  # the 50 MB files, held a few times
