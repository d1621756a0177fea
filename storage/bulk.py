"""Many rows into one table inside the caller's transaction, at the speed of the driver.

SQLAlchemy's executemany runs every value of every row through its type processors (the UTC
timestamp decorator alone was a Python call per answer); at 750,000 answers that is most of an
import. Here the processors run once per DISTINCT value of a column (an import stamps every row
with the same time), and the rows go to the driver in its cheapest form:

- SQLite: one `executemany` of the varying columns only; a value given as `Same` for every row is
  written into the statement as a literal, so the driver binds 3 values a row instead of 7;
- PostgreSQL (psycopg): `COPY ... FROM STDIN` fed with text-format lines built a column at a time
  (each distinct value escaped once, then joined), in slices, so the server parses and indexes one
  slice while the next is built. psycopg's `write_row` costs a Python call per row and per value.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import repeat
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table

COPY_SLICE = 50_000  # rows per write to the COPY stream


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
    if len(lengths) > 1 or (not lengths and columns):
        raise ValueError(f"bulk_insert into {table.name}: columns of lengths {sorted(lengths)}")
    n = lengths.pop() if lengths else 0
    if not n:
        return
    values = {c: _constant(v) for c, v in values.items()}
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    target = dialect.identifier_preparer.format_table(table)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        # No type processors: the values are what psycopg would have been given (aware datetimes, bytes).
        texts = [_copy_texts(values[c]) for c in columns]
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]  # psycopg Connection
        with cursor, cursor.copy(f"COPY {target} ({', '.join(quote(c) for c in columns)}) FROM STDIN") as copy:
            for start in range(0, n, COPY_SLICE):
                stop = min(start + COPY_SLICE, n)
                copy.write("\n".join(map("\t".join, _rows(texts, start, stop))) + "\n")
        return
    processors = {c: table.c[c].type._cached_bind_processor(dialect) for c in columns}
    varying = [c for c in columns if not isinstance(values[c], Same)]
    marks = [_sql_literal(_process(processors[c], v.value), v) if isinstance(v := values[c], Same)
             else _placeholder(dialect.paramstyle, varying.index(c)) for c in columns]
    statement = f"INSERT INTO {target} ({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(marks)})"
    rows = zip(*(_processed(_plain(values[c]), processors[c]) for c in varying), strict=True)
    conn.exec_driver_sql(statement, list(rows))  # a list of tuples: executemany


def _constant(column: Column) -> Column:
    """`Same(value)` for an array of integers that are all equal or of Nones only (an import's notes
    and versions, most of the time): on SQLite a literal, not a value bound per row."""
    if isinstance(column, np.ndarray) and len(column):
        if column.dtype.kind in "iu" and (column == column[0]).all():
            return Same(int(column[0]))
        if column.dtype == object and (column == None).all():  # noqa: E711 - element-wise
            return Same(None)
    return column


def _plain(column: Column) -> Sequence[Any]:
    assert not isinstance(column, Same)
    return column.tolist() if isinstance(column, np.ndarray) else column  # numpy scalars are no driver values


def _process(process: Callable[[Any], Any] | None, value: Any) -> Any:
    return value if process is None else process(value)


def _processed(column: Sequence[Any], process: Callable[[Any], Any] | None) -> Sequence[Any]:
    """The column's values as the driver takes them; the processor runs once per distinct value."""
    if process is None:
        return column
    return _per_distinct(column, process)


def _per_distinct(column: Sequence[Any] | np.ndarray, convert: Callable[[Any], Any]) -> list[Any]:
    """`convert` of every value, called once per distinct value (told apart by type too: True,
    1 and 1.0 are three values)."""
    if isinstance(column, np.ndarray) and column.dtype.kind in "iu":
        codes, uniques = pd.factorize(column)
        return np.asarray([convert(int(u)) for u in uniques], dtype=object)[codes].tolist()
    if set(map(type, column)) == {str}:  # the common case (ids, answers): hashed in C
        codes, uniques = pd.factorize(np.asarray(column, dtype=object))
        return np.asarray([convert(u) for u in uniques], dtype=object)[codes].tolist()
    done: dict[tuple[type, Any], Any] = {}
    out = []
    for value in column.tolist() if isinstance(column, np.ndarray) else column:
        key = (value.__class__, value)
        if key not in done:
            done[key] = convert(value)
        out.append(done[key])
    return out


def _sql_literal(value: Any, original: Same) -> str:
    """A processed constant as an SQLite literal (only the plain types a driver would bind)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"bulk_insert: no SQL literal for the constant {original.value!r}")


# --- PostgreSQL COPY text format ---------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_texts(column: Column) -> str | list[str]:
    """The column in COPY's text format: one string for a `Same` column, else one per row."""
    if isinstance(column, Same):
        return _copy_text(column.value)
    return _per_distinct(column, _copy_text)


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format (NULL is \\N; backslash, tab, newline and carriage
    return escaped; bytea in hex)."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("a text value with a NUL character cannot be stored")
        return value.translate(_ESCAPES)
    if isinstance(value, bool | np.bool_):
        return "t" if value else "f"
    if isinstance(value, int | np.integer | Decimal):
        return str(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        return ("Infinity" if number > 0 else "-Infinity") if math.isinf(number) else repr(number)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\\\x" + bytes(value).hex()
    raise TypeError(f"bulk_insert: no COPY text form for {value!r}")


def _rows(texts: list[str | list[str]], start: int, stop: int) -> Iterator[tuple[str, ...]]:
    return zip(*(repeat(t, stop - start) if isinstance(t, str) else t[start:stop] for t in texts), strict=True)


def _placeholder(paramstyle: str | None, index: int) -> str:
    if paramstyle == "qmark":
        return "?"
    if paramstyle == "numeric":
        return f":{index + 1}"
    return "%s"  # format / pyformat drivers take positional %s with a sequence of parameters
