"""A closed round takes no import (as it takes no new draft and no submission): the Start page's import
(a response YAML, an exported zip, the offline workbook), the coordinators' bulk import (YAML, zip, the
bulk CSV), a service caller and the demo loader are refused in the service layer, with a per-file message
naming the round, and nothing stored changes. Reopened, the same files go in. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coordinator.demo import load_demo
from coordinator.imports import import_files
from reports.offline_workbook import offline_workbook
from scoring import Bundle, responses_frame
from scoring.responses import parse_response
from storage import Store
from storage.evidence import Evidence
from storage.rounds import RoundClosed, Rounds
from tests.coordinator.test_imports import response, yaml_bytes, zip_of
from tests.evidence_files import pdf_bytes
from tests.hostile.conftest import snapshot
from ui import journey, record_bundle

from .conftest import ACTOR, NATIONAL

SOON = datetime.now(UTC).date().replace(year=datetime.now(UTC).year + 1)


def closed(store: Store, bundle: Bundle, *rounds: str) -> None:
    """Open each round on the bundle's version and close it."""
    for round_ in rounds:
        Rounds(store).open_round(round_, bundle.questionnaire.id, bundle.questionnaire.version, SOON, NATIONAL, ACTOR)
        Rounds(store).close(round_, NATIONAL, ACTOR)


def test_no_import_path_writes_into_a_closed_round(world: Store, shipped: Bundle) -> None:
    # Data already in the round: a submitted assessment and a draft that an import would replace or merge into.
    world.import_response(response(shipped, agency_id="hn_ba_dinh", province="hn"), NATIONAL, ACTOR)
    draft = world.import_response(response(shipped, agency_id="hn_hoan_kiem", province="hn", level=2), NATIONAL,
                                  ACTOR, status="draft")
    evidence = Evidence(world)
    question = shipped.questionnaire.questions[1].id
    evidence.add(draft.id, question, "quyet_dinh.pdf", pdf_bytes(), NATIONAL, ACTOR)
    exported = record_bundle.export_bundle(world, evidence, draft.id, NATIONAL)
    evidence.add(draft.id, question, "ke_hoach.pdf", pdf_bytes("Ke hoach"), NATIONAL, ACTOR)
    closed(world, shipped, "2026")
    before = snapshot(world)
    today = datetime.now(UTC).date()

    # A service caller.
    with pytest.raises(RoundClosed, match=r"Round 2026 was closed on .*import an assessment.*nothing was stored"
                       ) as refused:
        world.import_responses([response(shipped, agency_id="hcm_ben_thanh", province="hcm")], NATIONAL, ACTOR)
    assert (refused.value.round, refused.value.closed_at.date()) == ("2026", today)
    with pytest.raises(RoundClosed, match="Round 2026"):
        world.import_answer_frame(responses_frame([response(shipped, agency_id="hcm_ben_thanh", province="hcm")]),
                                  shipped.questionnaire.id, shipped.questionnaire.version, NATIONAL, ACTOR)

    # The Start page: a YAML into the existing draft (a merge), a new agency, the exported zip, the workbook.
    draft_file = yaml_bytes(shipped, agency_id="hn_hoan_kiem", province="hn", level=4)
    for name, outcome in [
        ("draft.yaml", journey.import_response_bytes(draft_file, "draft.yaml", shipped, world, NATIONAL, ACTOR)),
        ("new.yaml", journey.import_response_bytes(yaml_bytes(shipped, agency_id="xa_moi"), "new.yaml", shipped,
                                                   world, NATIONAL, ACTOR)),
        ("ho_so.zip/response.yaml", record_bundle.import_bundle(exported, "ho_so.zip", shipped, world, evidence,
                                                                NATIONAL, ACTOR).outcome),
    ]:
        assert outcome is not None and not outcome.ok
        assert (outcome.refusal, outcome.detail, outcome.file, outcome.closed_on) == (
            "round_closed", "2026", name, today), name
    workbook = offline_workbook(shipped, parse_response(draft_file, "draft.yaml", shipped), "vi")
    outcome = journey.import_offline_workbook(workbook, "phieu.xlsx", shipped, world, NATIONAL, ACTOR, "vi")
    assert (outcome.refusal, outcome.detail, outcome.file) == ("round_closed", "2026", "phieu.xlsx")
    assert snapshot(world) == before, "a refused import changes no row and writes no audit row"
    assert [d.file_name for d in evidence.list(draft.id, NATIONAL)] == ["quyet_dinh.pdf", "ke_hoach.pdf"], (
        "the bundle's document is not added either")

    # The coordinators' bulk import: one verdict per file, each naming the file and the round.
    csv = responses_frame([response(shipped, agency_id="xa_csv", round_="2025"),
                           response(shipped, agency_id="xa_csv")]).to_csv(index=False).encode()
    closed(world, shipped, "2025")
    before = snapshot(world)
    report = import_files([("a.yaml", yaml_bytes(shipped, agency_id="hn_ba_dinh", province="hn", level=5)),
                           ("many.zip", zip_of({"b.yaml": yaml_bytes(shipped, agency_id="xa_b"),
                                                "c.yaml": draft_file})),
                           ("bulk.csv", csv)], shipped, world, NATIONAL, ACTOR)
    assert [(f.file, f.status, f.assessments) for f in report.files] == [
        ("a.yaml", "rejected", 0), ("many.zip/b.yaml", "rejected", 0), ("many.zip/c.yaml", "rejected", 0),
        ("bulk.csv", "rejected", 0)]
    for verdict in report.files[:3]:
        assert verdict.problems[-1].startswith(f"{verdict.file}: not stored: Round 2026 was closed on {today:%Y-%m-%d}")
    assert report.files[3].problems[-1].startswith(
        f"bulk.csv: not stored: Round 2025 was closed on {today:%Y-%m-%d}; round 2026 was closed on "), (
        "every closed round of the file is named")
    assert snapshot(world) == before, "a refused import changes no row and writes no audit row"

    # Reopened, the same file goes in (replacing the submitted assessment, as an import does).
    Rounds(world).reopen("2026", NATIONAL, ACTOR)
    report = import_files([("a.yaml", yaml_bytes(shipped, agency_id="hn_ba_dinh", province="hn", level=5))],
                          shipped, world, NATIONAL, ACTOR)
    assert [(f.status, f.replaced) for f in report.files] == [("accepted", 1)]


def test_an_open_round_beside_a_closed_one_still_imports(world: Store, shipped: Bundle) -> None:
    closed(world, shipped, "2025")
    report = import_files([("old.yaml", yaml_bytes(shipped, agency_id="xa_a", round_="2025")),
                           ("new.yaml", yaml_bytes(shipped, agency_id="xa_a", round_="2026"))],
                          shipped, world, NATIONAL, ACTOR)
    assert [(f.file, f.status) for f in report.files] == [("old.yaml", "rejected"), ("new.yaml", "accepted")]
    assert [(a.agency_id, a.round) for a in world.list_assessments(NATIONAL)] == [("xa_a", "2026")]


def test_the_demo_leaves_out_closed_rounds(store: Store, shipped: Bundle) -> None:
    closed(store, shipped, "2025")
    report = load_demo(store, shipped, NATIONAL, total=40, rounds=2)
    assert (report.closed_rounds, report.imported, report.skipped) == (("2025",), 40, 0)
    assert {a.round for a in store.list_assessments(NATIONAL)} == {"2026"}
