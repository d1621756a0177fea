"""The coordinator's data: the counted assessments per round and version (re-read when the database's
change stamp moves), each round's persisted scores as one shared cached resource, and the warming of
the latest round."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from coordinator.data import (
    Population,
    PopulationFrames,
    Stamp,
    agency_drill_down,
    change_signal,
    concat_frames,
    summary_stamp,
)
from coordinator.scores import persist_scores, read_population
from scoring import AgencyResult, Bundle
from storage import Scope, Store
from storage.results import counted_summary
from ui.state import get_bundle, get_store


def scope_key(scope: Scope) -> tuple[str, tuple[str, ...]]:
    return scope.level, tuple(sorted(scope.ids))


def bundle_key(bundle: Bundle) -> tuple[object, ...]:
    q, r, tg = bundle.questionnaire, bundle.rubric, bundle.targets
    return q.id, q.version, r.id, r.version, tg.id, tg.version, id(bundle)


PopulationKey = tuple[object, ...]
"""What identifies a round's population in the views' caches: database, scope, bundle, round and
the round's change stamp (`PopulationSource.population_key`). A submission moves the stamp."""


def population_key(store: Store, scope: Scope, bundle: Bundle, round_: str, round_stamp: tuple) -> PopulationKey:
    """What the views' caches key a round's population on: it changes with the database, the scope,
    the rubric and content (the bundle) and the round's change stamp."""
    return store.url, scope_key(scope), bundle_key(bundle), round_, round_stamp


@dataclass(frozen=True)
class Counted:
    """What the page needs to know about the counted assessments before reading a round: per round
    and questionnaire version their number (`summary`, columns `storage.results.SUMMARY_COLUMNS`),
    the distinct agencies over all rounds, and the per-round stamp the caches key on."""

    summary: pd.DataFrame
    agencies: int
    stamp: Stamp

    @property
    def assessments(self) -> int:
        return int(self.summary["assessments"].sum())


@dataclass
class _IndexState:
    head: object
    checked: float
    counted: Counted


@st.cache_resource(show_spinner=False)
def _index_states() -> tuple[threading.Lock, dict[tuple, _IndexState]]:
    """Process-wide: the latest list of submitted assessments per database, scope and questionnaire."""
    return threading.Lock(), {}


def submitted_with_stamp(store: Store, scope: Scope, questionnaire_id: str, force: bool = False) -> Counted:
    """The counted assessments per round and version, and their per-round stamp. Re-read (one
    grouped query) only when the
    database's change stamp of submitted assessments has moved (drafts typed all over the country do
    not move it, so the coordinator's clicks stay fast). `force` re-reads at once."""
    head = change_signal(store, scope)
    key = (store.url, scope_key(scope), questionnaire_id)
    lock, states = _index_states()
    with lock:
        known = states.get(key)
    now = time.monotonic()
    if known is not None and known.head == head and not force:
        return known.counted
    summary, agencies = counted_summary(store, scope, questionnaire_id)
    state = _IndexState(head=head, checked=now, counted=Counted(summary, agencies, summary_stamp(summary)))
    with lock:
        states[key] = state
    return state.counted


@st.cache_resource(max_entries=12, show_spinner=False)
def _cached_scored_round(url: str, scope_key: tuple, bundle_key: tuple, round_: str, round_stamp: tuple,
                         _store: Store, _scope: Scope, _bundle: Bundle) -> PopulationFrames:
    """One round from the persisted scores (what changed since is scored first, in one batch): a
    shared read-only resource per round stamp and rubric (`st.cache_data` would copy it into every
    rerun of every session). A change in one round re-reads that round only."""
    del url, scope_key, bundle_key, round_stamp
    return round_frames(_store, _scope, _bundle, round_)


def round_frames(store: Store, scope: Scope, bundle: Bundle, round_: str) -> PopulationFrames:
    """Catch up the round's stored scores, then read them (no answer is read when nothing changed)."""
    persist_scores(store, scope, bundle, round_)
    return read_population(store, scope, bundle, round_)


@st.cache_resource(max_entries=2, show_spinner=False)
def _cached_all_rounds(url: str, scope_key: tuple, bundle_key: tuple, stamp: Stamp, _parts: list[PopulationFrames],
                       ) -> PopulationFrames:
    del url, scope_key, bundle_key, stamp
    return concat_frames(_parts)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_drill(url: str, scope_key: tuple, bundle_key: tuple, assessment_id: int, stamp: tuple,
                  _store: Store, _scope: Scope, _bundle: Bundle) -> AgencyResult:
    del url, scope_key, bundle_key, stamp
    return agency_drill_down(_store, _scope, _bundle, assessment_id)


class PopulationSource:
    """The submitted assessments in storage, scored on demand: one round, or all rounds (trends)."""

    def __init__(self, store: Store, scope: Scope, bundle: Bundle) -> None:
        self.store, self.scope, self.bundle = store, scope, bundle
        self._keys = (store.url, scope_key(scope))
        force = bool(st.session_state.pop("coord_refresh", False))
        self.counted = submitted_with_stamp(store, scope, bundle.questionnaire.id, force=force)
        self.summary, self.stamp = self.counted.summary, self.counted.stamp

    @property
    def rounds(self) -> list[str]:
        return [round_ for round_, *_ in self.stamp]

    def round_stamp(self, round_: str) -> tuple:
        return next(tuple(rest) for r, *rest in self.stamp if r == round_)

    def round_frames(self, round_: str) -> PopulationFrames:
        return _cached_scored_round(*self._keys, bundle_key(self.bundle), round_, self.round_stamp(round_),
                                    self.store, self.scope, self.bundle)

    def population_key(self, round_: str) -> PopulationKey:
        return population_key(self.store, self.scope, self.bundle, round_, self.round_stamp(round_))

    def round_population(self, round_: str) -> Population:
        return Population(self.bundle, self.round_frames(round_))

    def all_rounds(self) -> Population:
        parts = [self.round_frames(round_) for round_ in self.rounds]
        frames = _cached_all_rounds(*self._keys, bundle_key(self.bundle), self.stamp, parts)
        return Population(self.bundle, frames)


def round_bundle(summary: pd.DataFrame, round_: str, bundle: Bundle, rubric: str | None = None) -> Bundle:
    """The bundle a round is shown with: the questionnaire version its assessments were answered on
    (model 2.0: a round keeps its version), else `bundle`. The page and the warming use this one
    rule, so that the warming loads exactly what the first coordinator will ask for."""
    from scoring.registry import versions as shipped_versions

    in_round = sorted(set(summary.loc[summary["round"] == round_, "questionnaire_version"]))
    if len(in_round) == 1 and in_round[0] != bundle.questionnaire.version and in_round[0] in shipped_versions():
        return get_bundle(rubric, version=in_round[0])
    return bundle


@st.cache_resource(show_spinner=False)
def start_warming(rubric: str = "standard") -> threading.Thread:
    """Once per server process: catch up and load the latest round's stored scores in the
    background, so the first coordinator to arrive finds them in memory."""
    thread = threading.Thread(target=_warm_latest_round, args=(rubric,), name="dmm-warm-coordinator", daemon=True)
    thread.start()
    return thread


def _warm_latest_round(rubric: str) -> None:
    try:
        bundle, store, scope = get_bundle(rubric), get_store(), Scope.national()
        counted = submitted_with_stamp(store, scope, bundle.questionnaire.id)
        if counted.stamp:
            round_, *rest = counted.stamp[-1]
            bundle = round_bundle(counted.summary, round_, bundle, rubric)
            frames = _cached_scored_round(store.url, scope_key(scope), bundle_key(bundle), round_, tuple(rest), store,
                                          scope, bundle)
            from ui.coordinator_page.overview import warm_default_views  # it imports this module

            warm_default_views(Population(bundle, frames), population_key(store, scope, bundle, round_, tuple(rest)),
                               round_)
    except Exception:  # warming is an optimisation: the page loads the data itself when it fails
        logging.getLogger(__name__).exception("warming the coordinator's latest round failed")

