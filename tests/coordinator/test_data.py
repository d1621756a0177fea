"""Loading the population from storage: the same numbers as scoring the same answers directly,
a stamp that moves when (and only when) submitted data changes, the drill-down, and the demo loader.
Every test runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import pandas as pd

from coordinator import data, headline, selection
from coordinator.demo import load_demo
from coordinator.imports import import_files
from coordinator.scores import layout_of
from scoring import Bundle, agency_result, score
from scoring.synthetic import national_population, synthetic_answers
from storage import Scope, Store
from storage.results import stale_assessments
from tests.coordinator.test_imports import ACTOR, NATIONAL, yaml_bytes


def load(store: Store, bundle: Bundle) -> data.Population:
    index = data.submitted_index(store, NATIONAL, bundle.questionnaire.id)
    frames = [data.load_round(store, NATIONAL, bundle.questionnaire.id, r) for r, *_ in data.data_stamp(index)]
    return data.Population(bundle, data.score_rounds(frames, bundle, index))


def test_population_from_storage_equals_direct_scoring(store: Store, shipped: Bundle) -> None:
    report = load_demo(store, shipped, NATIONAL, total=60, rounds=2)
    assert (report.agencies, report.assessments, report.imported, report.skipped) == (60, 120, 120, 0)
    pop = load(store, shipped)
    direct = score(synthetic_answers(national_population(total=60), shipped, rounds=2), shipped)
    keys = {"agency_id": object, "round": object}
    got = pop.agencies.astype(keys).set_index(["agency_id", "round"]).sort_index()
    want = direct.agencies.astype({"agency_id": str, "round": str}).astype(keys).set_index(["agency_id", "round"])
    want = want.sort_index()
    for column in ("overall_score", "overall_level", "light_2027", "light_2030", "gap_2030"):
        pd.testing.assert_series_equal(got[column].astype(object), want[column].astype(object), check_names=False)
    assert pop.rounds == ["2025", "2026"]
    assert set(pop.agencies["questionnaire_version"]) == {shipped.questionnaire.version}
    assert pop.agencies["assessment_id"].notna().all()
    # Loading it again changes nothing: the demo is idempotent.
    again = load_demo(store, shipped, NATIONAL, total=60, rounds=2)
    assert (again.imported, again.skipped) == (0, 120)


def test_the_demo_loads_the_latest_round_first_with_its_scores_and_the_bar_moves(store: Store, shipped: Bundle) -> None:
    """The coordinator page opens on the latest round: it is imported and scored before the older
    rounds, and the progress bar moves at every batch and round, up to 1."""
    layout = layout_of(shipped)
    seen: list[tuple[float, list[str], list[int]]] = []

    def progress(share: float) -> None:
        rounds = sorted({a.round for a in store.list_assessments(NATIONAL)})
        seen.append((share, rounds, stale_assessments(store, NATIONAL, layout, shipped.questionnaire.id)))

    report = load_demo(store, shipped, NATIONAL, total=40, rounds=3, progress=progress)
    assert report.imported == 120
    shares = [share for share, _, _ in seen]
    assert shares == sorted(shares) and shares[-1] == 1.0 and len(set(shares)) >= 6  # import + score per round
    assert seen[0][1] == ["2027"]
    first_older = next(i for i, (_, rounds, _) in enumerate(seen) if rounds != ["2027"])
    assert seen[first_older - 1][2] == []  # 2027 scored before 2026 was touched
    assert seen[first_older][1] == ["2026", "2027"]
    assert seen[-1][2] == []


def test_stamp_moves_only_when_submitted_data_changes(store: Store, shipped: Bundle) -> None:
    assert data.change_signal(store, NATIONAL) == ()
    assert data.data_stamp(data.submitted_index(store, NATIONAL, shipped.questionnaire.id)) == ()
    import_files([("a.yaml", yaml_bytes(shipped, agency_id="xa_a"))], shipped, store, NATIONAL, ACTOR)
    head = data.change_signal(store, NATIONAL)
    stamp = data.data_stamp(data.submitted_index(store, NATIONAL, shipped.questionnaire.id))
    assert [s[:2] for s in head] == [("submitted", 1)] and [s[:2] for s in stamp] == [("2026", 1)]
    # A draft being typed somewhere moves neither the database's change stamp nor the submitted stamp.
    info = store.create_assessment("xa_a", "2027", shipped.questionnaire.id, shipped.questionnaire.version,
                                   NATIONAL, ACTOR)
    store.save_answer(info.id, shipped.questionnaire.questions[1].id, 2, NATIONAL, ACTOR)
    assert data.change_signal(store, NATIONAL) == head
    assert data.data_stamp(data.submitted_index(store, NATIONAL, shipped.questionnaire.id)) == stamp
    # Re-importing the round changes its stamp.
    import_files([("a.yaml", yaml_bytes(shipped, agency_id="xa_a", level=4))], shipped, store, NATIONAL, ACTOR)
    assert data.data_stamp(data.submitted_index(store, NATIONAL, shipped.questionnaire.id)) != stamp
    assert data.change_signal(store, NATIONAL) != head
    # Submitting the draft moves it too.
    head = data.change_signal(store, NATIONAL)
    store.submit(info.id, NATIONAL, ACTOR)
    assert [s[:2] for s in data.change_signal(store, NATIONAL)] == [("submitted", 2)]


def test_drill_down_equals_the_population_row(store: Store, shipped: Bundle) -> None:
    import_files([("a.yaml", yaml_bytes(shipped, agency_id="xa_a", level=3)),
                  ("b.yaml", yaml_bytes(shipped, agency_id="tinh_b", level=4, kind="province"))],
                 shipped, store, NATIONAL, ACTOR)
    pop = load(store, shipped)
    row = pop.agencies.set_index("agency_id").loc["xa_a"]
    result = data.agency_drill_down(store, NATIONAL, shipped, int(row["assessment_id"]))
    assert result.agency_id == "xa_a"
    assert result.overall_level == int(row["overall_level"])
    assert result.overall_score == round(float(row["overall_score"]), 4)
    assert result.targets["2027"].light == row["light_2027"]
    first = shipped.questionnaire.questions[0].id
    assert result.questions[first].na_reason == "Không thuộc phạm vi"  # notes come along
    # ...and equals scoring.agency_result on a population scored in one go.
    frame = store.submitted_answers_frame(NATIONAL)
    assert agency_result(score(frame, shipped), "xa_a", "2026").overall_score == result.overall_score


def test_scope_limits_the_population(store: Store, shipped: Bundle) -> None:
    files = [("a.yaml", yaml_bytes(shipped, agency_id="xa_a", province="tinh_x")),
             ("b.yaml", yaml_bytes(shipped, agency_id="xa_b", province="tinh_y"))]
    import_files(files, shipped, store, NATIONAL, ACTOR)
    scope = Scope.for_province("tinh_x")
    index = data.submitted_index(store, scope, shipped.questionnaire.id)
    frame = data.load_round(store, scope, shipped.questionnaire.id, "2026")
    pop = data.Population(shipped, data.score_rounds([frame], shipped, index))
    assert pop.agencies["agency_id"].tolist() == ["xa_a"]
    assert headline.headline(pop, selection.Filters()).agencies == 1


def test_an_empty_database_gives_an_empty_population(store: Store, shipped: Bundle) -> None:
    pop = data.Population(shipped, data.score_rounds([], shipped, None))
    assert pop.empty and pop.rounds == []
    head = headline.headline(pop, selection.Filters())
    assert head.agencies == 0 and [t.meeting for t in head.tiles] == [0, 0, 0]


def test_a_round_read_in_chunks_equals_one_read(store: Store, shipped: Bundle) -> None:
    load_demo(store, shipped, NATIONAL, total=150, rounds=1)
    whole = data.load_round(store, NATIONAL, shipped.questionnaire.id, "2025", chunk_agencies=10_000)
    chunked = data.load_round(store, NATIONAL, shipped.questionnaire.id, "2025", chunk_agencies=20)
    assert len(data._chunk_scopes(store, NATIONAL, 20)) > 3

    def rows(frame: pd.DataFrame) -> list[tuple]:
        return sorted(map(tuple, frame.astype(str).to_numpy().tolist()))

    assert len(whole) == 150 * len(shipped.questionnaire.questions)  # every question answered
    assert rows(whole) == rows(chunked)
