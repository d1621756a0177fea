"""Bulk import: good files go in as submitted, bad ones are reported (file:line) without blocking
the good ones, zips are unpacked safely, and a re-import replaces the earlier answers (audited).
Every test runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from coordinator.imports import Limits, expand_zip, frame_to_responses, import_files
from scoring import Bundle, response_to_yaml, responses_frame
from scoring.schemas.response import Agency, AnswerNote, Response
from scoring.synthetic import national_population, synthetic_answers
from storage import Scope, Store

NATIONAL = Scope.national()
ACTOR = "coordinator@mic.gov.vn"


def response(bundle: Bundle, agency_id: str = "xa_ba_dinh", level: int = 3, round_: str = "2026",
             kind: str = "commune", province: str | None = "tinh_ha_noi") -> Response:
    answers: dict[str, int | float | str] = {}
    for question in bundle.questionnaire.questions:
        answers[question.id] = level if question.kind == "level" else 20.0 * level - 0.5
    first = bundle.questionnaire.questions[0].id
    answers[first] = "na"
    return Response(
        questionnaire=bundle.questionnaire.id, version=bundle.questionnaire.version,
        agency=Agency(id=agency_id, name=f"Đơn vị {agency_id}", type=kind,
                      province=province if kind == "commune" else None),
        round=round_, answers=answers, notes={first: AnswerNote(na_reason="Không thuộc phạm vi")},
    )


def yaml_bytes(bundle: Bundle, **kwargs: object) -> bytes:
    return response_to_yaml(response(bundle, **kwargs)).encode("utf-8")  # type: ignore[arg-type]


def bad_yaml(bundle: Bundle) -> bytes:
    """A response whose third answer is 7 (not a level)."""
    text = yaml_bytes(bundle, agency_id="xa_loi").decode()
    third = bundle.questionnaire.questions[2].id
    return re.sub(rf"(\n  {re.escape(third)}: )\S+", r"\g<1>7", text).encode()


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_good_files_are_imported_as_submitted(store: Store, shipped: Bundle) -> None:
    files = [("a.yaml", yaml_bytes(shipped, agency_id="xa_a")), ("b.yml", yaml_bytes(shipped, agency_id="xa_b"))]
    report = import_files(files, shipped, store, NATIONAL, ACTOR)
    assert [(f.file, f.status, f.agencies, f.assessments, f.replaced) for f in report.files] == [
        ("a.yaml", "accepted", 1, 1, 0), ("b.yml", "accepted", 1, 1, 0)]
    stored = store.list_assessments(NATIONAL, status="submitted")
    assert sorted(a.agency_id for a in stored) == ["xa_a", "xa_b"]
    again = store.to_response(stored[0].id, NATIONAL)
    assert again.notes[shipped.questionnaire.questions[0].id].na_reason == "Không thuộc phạm vi"


def test_a_bad_file_is_reported_with_its_line_and_does_not_block_the_others(store: Store, shipped: Bundle) -> None:
    raw = bad_yaml(shipped)
    third = shipped.questionnaire.questions[2].id
    line = next(i for i, text in enumerate(raw.decode().splitlines(), start=1) if text.startswith(f"  {third}:"))
    files = [("good.yaml", yaml_bytes(shipped, agency_id="xa_tot")), ("bad.yaml", raw),
             ("notes.txt", b"hello")]
    report = import_files(files, shipped, store, NATIONAL, ACTOR)
    by_file = {f.file: f for f in report.files}
    assert by_file["good.yaml"].status == "accepted"
    assert by_file["bad.yaml"].status == "rejected"
    assert any(p.startswith(f"bad.yaml:{line}: {third}: 7") for p in by_file["bad.yaml"].problems), \
        by_file["bad.yaml"].problems
    assert by_file["notes.txt"].status == "rejected"
    assert (report.accepted, report.rejected, report.assessments) == (1, 2, 1)
    assert [a.agency_id for a in store.list_assessments(NATIONAL)] == ["xa_tot"]
    frame = report.frame()
    assert list(frame.columns) == ["file", "status", "agencies", "assessments", "replaced", "problems"]


def test_zip_with_one_bad_file(store: Store, shipped: Bundle) -> None:
    archive = zip_of({
        "tinh.yaml": yaml_bytes(shipped, agency_id="tinh_ha_noi", kind="province"),
        "xa.yaml": yaml_bytes(shipped, agency_id="xa_1"),
        "loi.yaml": bad_yaml(shipped),
        "__MACOSX/._xa.yaml": b"junk",  # a Mac's resource fork: skipped silently
    })
    report = import_files([("dot1.zip", archive)], shipped, store, NATIONAL, ACTOR)
    by_file = {f.file: f for f in report.files}
    assert set(by_file) == {"dot1.zip/tinh.yaml", "dot1.zip/xa.yaml", "dot1.zip/loi.yaml"}
    assert by_file["dot1.zip/loi.yaml"].status == "rejected"
    assert all(p.startswith("dot1.zip/loi.yaml:") for p in by_file["dot1.zip/loi.yaml"].problems)
    assert by_file["dot1.zip/xa.yaml"].status == by_file["dot1.zip/tinh.yaml"].status == "accepted"
    assert sorted(a.agency_id for a in store.list_assessments(NATIONAL, status="submitted")) == ["tinh_ha_noi", "xa_1"]


def test_unsafe_or_broken_zips_are_refused(shipped: Bundle) -> None:
    good = yaml_bytes(shipped)
    # Nested paths, a zip inside the zip, a file of another kind: those entries are refused.
    files, refused = expand_zip("a.zip", zip_of({"ok.yaml": good, "sub/x.yaml": good, "../up.yaml": good,
                                                 "inner.zip": zip_of({"y.yaml": good}), "x.exe": b"MZ"}))
    assert [name for name, _ in files] == ["a.zip/ok.yaml"]
    reasons = {f.file: f.problems[0] for f in refused}
    assert "nested paths" in reasons["a.zip/sub/x.yaml"]
    assert "nested paths" in reasons["a.zip/../up.yaml"]
    assert "zip inside a zip" in reasons["a.zip/inner.zip"]
    assert "not a response file" in reasons["a.zip/x.exe"]
    # Not a zip at all.
    _, refused = expand_zip("fake.zip", b"this is not a zip")
    assert refused[0].status == "rejected" and "not a zip" in refused[0].problems[0]
    # Too big to upload.
    _, refused = expand_zip("big.zip", zip_of({"ok.yaml": good}), Limits(max_zip_bytes=100))
    assert "limit" in refused[0].problems[0]
    # A zip bomb: 5 MB of zeros compress to a few kilobytes; the unpacked total is limited.
    bomb = zip_of({f"z{i}.yaml": b"0" * 5_000_000 for i in range(3)})
    assert len(bomb) < 100_000
    files, refused = expand_zip("bomb.zip", bomb, Limits(max_upload_unpacked_bytes=8_000_000))
    assert files == [] and "refused" in refused[0].problems[0]
    # ...also when the archive's directory lies about the sizes: counted while unpacking.
    liar = bytearray(zip_of({"z.yaml": b"0" * 3_000_000}))
    for marker in (b"PK\x01\x02", b"PK\x03\x04"):  # patch the declared size in both headers
        at = liar.find(marker)
        offset = at + (24 if marker == b"PK\x01\x02" else 22)
        liar[offset:offset + 4] = (10).to_bytes(4, "little")
    files, refused = expand_zip("liar.zip", bytes(liar), Limits(max_upload_unpacked_bytes=1_000_000))
    assert files == [] and refused and refused[0].status == "rejected"
    # Too many entries.
    _, refused = expand_zip("many.zip", zip_of({f"{i}.yaml": good for i in range(5)}), Limits(max_zip_entries=3))
    assert "entries" in refused[0].problems[0]


def test_reimport_replaces_and_is_audited(store: Store, shipped: Bundle) -> None:
    first = import_files([("v1.yaml", yaml_bytes(shipped, agency_id="xa_x", level=2))], shipped, store, NATIONAL,
                         ACTOR)
    assert first.files[0].replaced == 0
    second = import_files([("v2.yaml", yaml_bytes(shipped, agency_id="xa_x", level=4))], shipped, store, NATIONAL,
                          ACTOR)
    assert (second.files[0].status, second.files[0].replaced) == ("accepted", 1)
    stored = store.list_assessments(NATIONAL)
    assert len(stored) == 1
    level_question = next(q.id for q in shipped.questionnaire.questions if q.kind == "level"
                          and q.id != shipped.questionnaire.questions[0].id)
    assert store.to_response(stored[0].id, NATIONAL).answers[level_question] == 4
    actions = [e.action for e in store.audit_trail(NATIONAL, assessment_id=stored[0].id)]
    assert actions.count("replaced") == 1 and actions.count("imported") == 1
    # The same agency and round twice in one upload: the later file wins, and the report says so.
    both = import_files([("p.yaml", yaml_bytes(shipped, agency_id="xa_y")),
                         ("q.yaml", yaml_bytes(shipped, agency_id="xa_y", level=5))], shipped, store, NATIONAL, ACTOR)
    assert any("was also in p.yaml" in p for p in both.files[1].problems)


def test_bulk_csv_with_a_bad_row(store: Store, shipped: Bundle) -> None:
    agencies = national_population(total=70, seed=3)
    frame = synthetic_answers(agencies, shipped, rounds=2, seed=3)
    bad_agency = agencies["agency_id"].iloc[0]
    row = frame.index[(frame["agency_id"] == bad_agency) & (frame["round"] == "2025")][4]
    frame.loc[row, "answer"] = "9"
    raw = frame.to_csv(index=False).encode("utf-8")
    report = import_files([("quoc_gia.csv", raw)], shipped, store, NATIONAL, ACTOR)
    result = report.files[0]
    assert result.status == "accepted"
    assert result.assessments == 70 * 2 - 1
    assert result.agencies == 70
    assert any(p.startswith(f"quoc_gia.csv:{row + 2}:") for p in result.problems), result.problems[:3]
    assert len(store.list_assessments(NATIONAL, status="submitted")) == 139


def test_frame_to_responses_round_trips(shipped: Bundle) -> None:
    agencies = national_population(total=40, seed=5)
    frame = synthetic_answers(agencies, shipped, rounds=2, seed=5)
    frame["evidence"] = None
    frame.loc[frame.index[::97], "evidence"] = "https://example.gov.vn/bang-chung"
    responses = frame_to_responses(frame, shipped.questionnaire.id, shipped.questionnaire.version)
    assert len(responses) == 80
    back = responses_frame(responses)
    key = ["agency_id", "round", "question_id"]
    left = frame.astype({k: str for k in key}).sort_values(key).reset_index(drop=True)
    right = back.astype({k: str for k in key}).sort_values(key).reset_index(drop=True)
    for column in ("agency_id", "agency_type", "round", "question_id", "answer"):
        assert left[column].astype(str).tolist() == right[column].astype(str).tolist(), column
    assert left["evidence"].notna().sum() == right["evidence"].notna().sum()
    assert (left["na_reason"].notna() == right["na_reason"].notna()).all()


@pytest.mark.parametrize("name", ["x.yaml", "x.csv"])
def test_empty_files_are_rejected(store: Store, shipped: Bundle, name: str) -> None:
    report = import_files([(name, b"")], shipped, store, NATIONAL, ACTOR)
    assert report.files[0].status == "rejected"
    assert report.files[0].problems
