"""Many rows into one table inside the caller's transaction, at the speed of the driver.

SQLAlchemy's executemany runs every value of every row through its type processors (the UTC
timestamp decorator alone was a Python call per answer); at 750,000 answers that is most of an
import. Here the processors run once per DISTINCT value of a column (an import stamps every row
with the same time), and the rows go to the driver as plain tuples: `executemany` on SQLite,
`COPY ... FROM STDIN` on PostgreSQL (psycopg), which is the server's own bulk path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
from sqlalchemy import Connection, Table


@dataclass(frozen=True)
class Same:
    """One value for every row of a `bulk_insert` (e.g. the import's time stamp)."""

    value: Any


Column: TypeAlias = Sequence[Any] | np.ndarray | Same


def bulk_insert(conn: Connection, table: Table, values: Mapping[str, Column]) -> None:
    """INSERT rows given as columns into `table`, in the transaction of `conn`. A column is a
    sequence (one value per row, all of one length) or `Same(value)` for every row."""
    columns = list(values)
    lengths = {len(v) for v in values.values() if not isinstance(v, Same)}
    if len(lengths) != 1:
        raise ValueError(f"bulk_insert into {table.name}: columns of lengths {sorted(lengths)}")
    n = lengths.pop()
    if not n:
        return
    dialect = conn.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        names = ", ".join(dialect.identifier_preparer.quote(c) for c in columns)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]  # psycopg Connection
        target = f"{dialect.identifier_preparer.format_table(table)} ({names})"
        with cursor, cursor.copy(f"COPY {target} FROM STDIN") as copy:
            for row in zip(*(_spread(values[c], n) for c in columns), strict=True):
                copy.write_row(row)
        return
    processed = [_processed(_spread(values[c], n), table.c[c].type._cached_bind_processor(dialect)) for c in columns]
    marks = ", ".join(_placeholder(dialect.paramstyle, i) for i in range(len(columns)))
    names = ", ".join(dialect.identifier_preparer.quote(c) for c in columns)
    statement = f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names}) VALUES ({marks})"
    conn.exec_driver_sql(statement, list(zip(*processed, strict=True)))  # a list of tuples: executemany


def _spread(column: Column, n: int) -> Sequence[Any]:
    if isinstance(column, Same):
        return [column.value] * n
    return column.tolist() if isinstance(column, np.ndarray) else column  # numpy scalars are no driver values


def _processed(column: Sequence[Any], process: Callable[[Any], Any] | None) -> Sequence[Any]:
    """The column's values as the driver takes them; the processor runs once per distinct value."""
    if process is None:
        return column
    done: dict[tuple[type, Any], Any] = {}
    out = []
    for value in column:
        key = (value.__class__, value)
        if key not in done:
            done[key] = process(value)
        out.append(done[key])
    return out


def _placeholder(paramstyle: str | None, index: int) -> str:
    if paramstyle == "qmark":
        return "?"
    if paramstyle == "numeric":
        return f":{index + 1}"
    return "%s"  # format / pyformat drivers take positional %s with a sequence of parameters
