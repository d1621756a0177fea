"""AppTest helpers for the agency pages.

Every test gets its own database: a fresh SQLite file (env DMM_SQLITE_PATH), or, when DATABASE_URL
points to PostgreSQL (`DATABASE_URL=$(bash .ci/start-postgres.sh) pytest tests/ui`), a fresh schema
that is dropped afterwards. The app's cached store (`ui.state._store`) is cleared around each test
so the app opens that database.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from scoring.content import Bundle, load_bundle
from scoring.schemas.response import Agency, AnswerNote, Response
from storage import Scope, Store, normalise_url
from storage.scratch import scratch_postgres_schema, scratch_sqlite
from ui import state

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = Scope.national()
ACTOR = "it-lead"
AGENCY = Agency(id="xa_dak_ha", name="Ủy ban nhân dân xã Đắk Hà", type="commune", province="tinh_dak_lak")


@pytest.fixture
def db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    base = os.environ.get("DATABASE_URL", "").strip()
    if base and make_url(normalise_url(base)).get_backend_name() == "postgresql":
        database = scratch_postgres_schema(base, prefix="dmm_ui")
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)
        monkeypatch.setenv("DMM_SQLITE_PATH", str(tmp_path / "ui.sqlite3"))
        database = scratch_sqlite(tmp_path / "ui.sqlite3")
    with database as url:
        if base:
            monkeypatch.setenv("DATABASE_URL", url)
        state._store.clear()
        try:
            yield url
        finally:
            state._store.clear()


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    return load_bundle()


def sample_response(
    bundle: Bundle, seed: int = 1, agency: Agency = AGENCY, round_: str = "2026", skip: tuple[str, ...] = ()
) -> Response:
    """A complete, valid response with one N/A (with its reason), one don't-know and an evidence note."""
    rnd = random.Random(seed)
    answers: dict[str, int | float | str] = {}
    notes: dict[str, AnswerNote] = {}
    questions = bundle.questionnaire.questions
    for question in questions:
        if question.id in skip:
            continue
        if question.kind == "level":
            answers[question.id] = rnd.choice([1, 2, 2, 3, 3, 3, 4, 4, 5])
        else:
            answers[question.id] = rnd.choice([10, 35.5, 60, 85, 100])
    if questions[3].id not in skip:
        answers[questions[3].id] = "na"
        notes[questions[3].id] = AnswerNote(na_reason="Không thuộc phạm vi quản lý của xã")
    if questions[5].id not in skip:
        answers[questions[5].id] = "dont_know"
    notes[questions[0].id] = AnswerNote(evidence="https://dakha.gov.vn/ke-hoach-du-lieu")
    return Response(
        questionnaire=bundle.questionnaire.id,
        version=bundle.questionnaire.version,
        agency=agency,
        round=round_,
        answers=answers,
        notes=notes,
    )


def new_app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app_router.py"), default_timeout=30)


def open_page(page: str, assessment_id: int | None = None, lang: str | None = None) -> AppTest:
    """The app on `page` (e.g. "app_pages/assessment.py"), with an assessment open via the URL."""
    at = new_app()
    if lang:
        at.query_params["lang"] = lang
    if assessment_id is not None:
        at.query_params["a"] = str(assessment_id)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def create_draft(store: Store, bundle: Bundle, agency: Agency = AGENCY, round_: str = "2026") -> int:
    store.upsert_agency(agency, NATIONAL, ACTOR)
    info = store.create_assessment(
        agency.id, round_, bundle.questionnaire.id, bundle.questionnaire.version, NATIONAL, ACTOR
    )
    return info.id


def texts(at: AppTest) -> str:
    """Every markdown, caption, alert and title text on the page, for 'is it shown' checks."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success", "code"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def shown_table(element) -> pd.DataFrame:
    """What the grid writes in each cell of an `st.dataframe` (AppTest's `Dataframe`): the Styler's
    display values where the page gave a Styler, the cells as text otherwise."""
    import pyarrow as pa

    raw = element.proto.arrow_data.styler.display_values
    if not raw:
        return element.value.astype(str)
    return pa.ipc.open_stream(raw).read_all().to_pandas().reset_index(drop=True)
