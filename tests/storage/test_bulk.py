"""storage.bulk: a column rendered beforehand (`render`, as the demo loader does while the previous
batch is stored) stores exactly what the plain column stores, on SQLite and PostgreSQL: text with
tabs, line breaks and backslashes, NULLs, a column of one value; `among` finds the same rows as
`IN`."""

from __future__ import annotations

import numpy as np
from sqlalchemy import Column, Integer, MetaData, Table, Text, select

from storage import Store
from storage.bulk import Rendered, Same, among, bulk_insert, render

TEXTS = ["plain", "tab\there", "line\nbreak", "back\\slash", None, "Đắk Hà", "plain", "cr\rhere"]


def _table(name: str) -> Table:
    return Table(name, MetaData(), Column("id", Integer, primary_key=True), Column("note", Text),
                 Column("empty", Text), Column("level", Integer))


def test_a_rendered_column_stores_what_the_plain_column_stores(store: Store) -> None:
    plain, rendered = _table("bulk_plain"), _table("bulk_rendered")
    ids = np.arange(len(TEXTS), dtype=np.int64)
    notes = np.array(TEXTS, dtype=object)
    empty = np.array([None] * len(TEXTS), dtype=object)
    assert isinstance(render(notes), Rendered) and render(empty) == Same(None)
    with store.engine.begin() as conn:
        for table in (plain, rendered):
            table.metadata.create_all(conn)
        bulk_insert(conn, plain, {"id": ids, "note": notes, "empty": empty, "level": Same(3)})
        bulk_insert(conn, rendered, {"id": ids, "note": render(notes), "empty": render(empty), "level": Same(3)})
    with store.engine.connect() as conn:
        rows = [conn.execute(select(t).order_by(t.c.id)).all() for t in (plain, rendered)]
        found = conn.execute(select(plain.c.id).where(*among(conn, plain.c.note, ["plain", "Đắk Hà", "x"]))
                             .order_by(plain.c.id)).scalars().all()
    assert rows[0] == rows[1] == [(i, text, None, 3) for i, text in enumerate(TEXTS)]
    assert found == [0, 5, 6]
