"""Persisted scores: what the coordinator reads equals scoring the answers afresh; a new import,
a re-import or another rubric is scored (once, in one batch); reading never touches the answers.
Every test runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest

from coordinator import data, scores
from coordinator.demo import load_demo
from coordinator.imports import import_files
from scoring import Bundle, load_bundle
from scoring.schemas.response import Agency
from storage import Scope, Store
from storage.results import counted_summary, stale_assessments
from tests.coordinator.test_imports import ACTOR, NATIONAL, yaml_bytes


def fresh(store: Store, bundle: Bundle, round_: str) -> data.PopulationFrames:
    index = data.submitted_index(store, NATIONAL, bundle.questionnaire.id)
    return data.score_rounds([data.load_round(store, NATIONAL, bundle.questionnaire.id, round_)], bundle, index)


def assert_same(got: data.PopulationFrames, want: data.PopulationFrames) -> None:
    columns = [c for c in want.agencies.columns if c in got.agencies.columns]
    assert set(want.agencies.columns) <= set(got.agencies.columns)
    pd.testing.assert_frame_equal(got.agencies[columns], want.agencies[columns], check_dtype=False,
                                  check_categorical=False)
    pd.testing.assert_frame_equal(got.dimensions, want.dimensions[got.dimensions.columns], check_dtype=False)
    pd.testing.assert_frame_equal(got.indicators.astype({"indicator_id": object}),
                                  want.indicators[got.indicators.columns].astype({"indicator_id": object}),
                                  check_dtype=False)


def test_stored_results_equal_a_fresh_score(store: Store, shipped: Bundle) -> None:
    load_demo(store, shipped, NATIONAL, total=80, rounds=2)  # the loader stores the scores as well
    layout = scores.layout_of(shipped)
    assert stale_assessments(store, NATIONAL, layout, shipped.questionnaire.id) == []
    for round_ in ("2025", "2026"):
        got = scores.read_population(store, NATIONAL, shipped, round_)
        assert len(got.agencies) == 80
        assert_same(got, fresh(store, shipped, round_))


def test_imports_and_other_rubrics_are_scored_once(store: Store, shipped: Bundle,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import_files([("a.yaml", yaml_bytes(shipped, agency_id="xa_a", level=2)),
                  ("b.yaml", yaml_bytes(shipped, agency_id="xa_b", level=3))], shipped, store, NATIONAL, ACTOR)
    layout = scores.layout_of(shipped)
    assert len(stale_assessments(store, NATIONAL, layout, shipped.questionnaire.id)) == 2
    assert scores.persist_scores(store, NATIONAL, shipped) == 2
    assert scores.persist_scores(store, NATIONAL, shipped) == 0
    before = scores.read_population(store, NATIONAL, shipped, "2026").agencies.set_index("agency_id")

    # Re-importing one agency at level 4 makes only its result stale.
    import_files([("a.yaml", yaml_bytes(shipped, agency_id="xa_a", level=4))], shipped, store, NATIONAL, ACTOR)
    stale = stale_assessments(store, NATIONAL, layout, shipped.questionnaire.id)
    assert stale == [int(before.loc["xa_a", "assessment_id"])]
    assert scores.persist_scores(store, NATIONAL, shipped) == 1
    after = scores.read_population(store, NATIONAL, shipped, "2026").agencies.set_index("agency_id")
    assert after.loc["xa_a", "overall_score"] > before.loc["xa_a", "overall_score"]
    assert after.loc["xa_b", "overall_score"] == before.loc["xa_b", "overall_score"]
    assert_same(scores.read_population(store, NATIONAL, shipped, "2026"), fresh(store, shipped, "2026"))

    # Another rubric is another scoring: stored beside the first, each equal to its own fresh score.
    lenient = load_bundle(rubric="lenient")
    assert scores.layout_of(lenient).scoring_key != layout.scoring_key
    assert scores.persist_scores(store, NATIONAL, lenient) == 2
    assert_same(scores.read_population(store, NATIONAL, lenient, "2026"), fresh(store, lenient, "2026"))

    # Reading stored results never reads an answer.
    def no_answers(*args: object, **kwargs: object) -> None:
        raise AssertionError("the reading path read answers")

    monkeypatch.setattr(scores, "answers_of", no_answers)
    monkeypatch.setattr(Store, "submitted_answers_frame", no_answers)
    assert scores.persist_scores(store, NATIONAL, shipped) == 0
    assert len(scores.read_population(store, NATIONAL, shipped, "2026").agencies) == 2


def test_changed_content_makes_every_result_stale(store: Store, shipped: Bundle) -> None:
    import_files([("a.yaml", yaml_bytes(shipped, agency_id="xa_a"))], shipped, store, NATIONAL, ACTOR)
    scores.persist_scores(store, NATIONAL, shipped)
    targets = shipped.targets.model_copy(update={"traffic_light": shipped.targets.traffic_light.model_copy(
        update={"yellow_max_gap": shipped.targets.traffic_light.yellow_max_gap + 1})})
    edited = Bundle(questionnaire=shipped.questionnaire, rubric=shipped.rubric, targets=targets)
    layout = scores.layout_of(edited)
    assert layout.scoring_key == scores.layout_of(shipped).scoring_key  # same ids and versions...
    assert layout.content_stamp != scores.layout_of(shipped).content_stamp  # ...other content
    assert len(stale_assessments(store, NATIONAL, layout, shipped.questionnaire.id)) == 1
    assert scores.read_population(store, NATIONAL, edited, "2026").agencies.empty  # stale rows are not read
    assert scores.persist_scores(store, NATIONAL, edited) == 1
    assert len(scores.read_population(store, NATIONAL, edited, "2026").agencies) == 1


def test_a_submitted_assessment_without_answers_is_scored_and_counted(store: Store, shipped: Bundle) -> None:
    """Submitted with zero answers: stored as answering nothing (every dimension unrated, red), so the
    coordinator counts it like any other submission instead of leaving it out."""
    import_files([("a.yaml", yaml_bytes(shipped, agency_id="xa_a", level=3))], shipped, store, NATIONAL, ACTOR)
    store.upsert_agency(Agency(id="xa_trong", name="Xã Trống", type="commune", province="tinh_a"), NATIONAL, ACTOR)
    empty = store.create_assessment("xa_trong", "2026", shipped.questionnaire.id, shipped.questionnaire.version,
                                    NATIONAL, ACTOR)
    store.submit(empty.id, NATIONAL, ACTOR)
    assert scores.persist_scores(store, NATIONAL, shipped) == 2
    assert stale_assessments(store, NATIONAL, scores.layout_of(shipped), shipped.questionnaire.id) == []
    got = scores.read_population(store, NATIONAL, shipped, "2026")
    row = got.agencies.set_index("agency_id").loc["xa_trong"]
    asked = len(shipped.for_agency_type("commune").questionnaire.questions)
    assert (row["answered"], row["unanswered"], bool(row["rated"])) == (0, asked, False)
    assert pd.isna(row["overall_level"]) and all(row[f"light_{y}"] == "RED" for y in shipped.years)
    mine = got.dimensions.iloc[list(got.agencies["agency_id"]).index("xa_trong") * len(shipped.dimension_ids):][
        : len(shipped.dimension_ids)]
    assert not mine["rated"].any() and mine["level"].isna().all()
    assert_same(got, fresh(store, shipped, "2026"))


def test_the_counted_summary_equals_the_assessments_it_groups(store: Store, shipped: Bundle) -> None:
    """The page's per-round numbers come from one grouped query: the same counts, rounds, versions,
    agencies and highest ids as the assessments themselves, nationally and for one province; a
    re-import moves the stamp of its round only."""
    load_demo(store, shipped, NATIONAL, total=60, rounds=2)
    qid = shipped.questionnaire.id
    index = data.submitted_index(store, NATIONAL, qid)
    province = next(a.id for a in store.list_agencies(NATIONAL) if a.type == "province")
    for scope in (NATIONAL, Scope("province", frozenset({province}))):
        want = data.submitted_index(store, scope, qid)
        summary, agencies = counted_summary(store, scope, qid)
        assert agencies == want["agency_id"].nunique() > 0
        got = summary.set_index(["round", "questionnaire_version"])["assessments"].sort_index()
        assert got.to_dict() == want.groupby(["round", "questionnaire_version"]).size().sort_index().to_dict()
        assert [(r, n, top) for r, n, _, top in data.summary_stamp(summary)] == [
            (r, n, top) for r, n, _, top in data.data_stamp(want)]
    summary, agencies = counted_summary(store, NATIONAL, qid)
    assert agencies == 60 and summary["assessments"].sum() == len(index) == 120
    before = dict((r, rest) for r, *rest in data.summary_stamp(summary))

    agency = store.list_agencies(NATIONAL)[0]
    again = yaml_bytes(shipped, agency_id=agency.id, kind=agency.type, province=agency.province, level=4)
    report = import_files([("again.yaml", again)], shipped, store, NATIONAL, ACTOR)
    assert report.replaced == 1
    after = dict((r, rest) for r, *rest in data.summary_stamp(counted_summary(store, NATIONAL, qid)[0]))
    assert after["2025"] == before["2025"]
    assert after["2026"] != before["2026"]


def test_answers_scored_before_their_ids_store_only_what_is_stale(store: Store, shipped: Bundle,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """persist_scores(fresh=(score_answers(frame), keys)), as the demo loader calls it: of the keys,
    only the assessments still without a current result are written (one was scored meanwhile),
    and what is stored equals a fresh score of the stored answers."""
    from coordinator.demo import demo_frame

    frame = demo_frame(shipped, total=12, rounds=1)
    infos = store.import_answer_frame(frame, shipped.questionnaire.id, shipped.questionnaire.version, NATIONAL, ACTOR)
    keys = pd.DataFrame({"assessment_id": [i.id for i in infos], "agency_id": [i.agency_id for i in infos],
                         "round": [i.round for i in infos]})
    assert scores.persist_scores(store, NATIONAL, shipped, assessment_ids=[infos[0].id]) == 1
    written: list[int] = []
    real_write = scores.write_results
    monkeypatch.setattr(scores, "write_results",
                        lambda store, layout, overall, *arrays: written.extend(overall["assessment_id"].astype(int))
                        or real_write(store, layout, overall, *arrays))
    assert scores.persist_scores(store, NATIONAL, shipped, fresh=(scores.score_answers(frame, shipped), keys)) == 11
    assert sorted(written) == sorted(i.id for i in infos[1:])
    assert stale_assessments(store, NATIONAL, scores.layout_of(shipped), shipped.questionnaire.id) == []
    round_ = infos[0].round
    assert_same(scores.read_population(store, NATIONAL, shipped, round_), fresh(store, shipped, round_))
