"""Many rows into one table inside the caller's transaction, at the speed of the driver.

SQLAlchemy's executemany runs every value of every row through its type processors (the UTC
timestamp decorator alone was a Python call per answer); at 750,000 answers that is most of an
import. Here the processors run once per DISTINCT value of a column (an import stamps every row
with the same time), and the rows go to the driver in its cheapest form:

- SQLite: one `executemany` of the varying columns only; a value given as `Same` for every row is
  written into the statement as a literal, so the driver binds 3 values a row instead of 7;
- PostgreSQL (psycopg): `COPY ... FROM STDIN` fed with text-format lines built a column at a time
  (each distinct value escaped once, then joined), in slices, so the server parses and indexes one
  slice while the next is built; the `Same` columns are listed last and written once, as the end
  of every line. psycopg's `write_row` costs a Python call per row and per value.

`render(column)` makes a column's COPY text ahead of `bulk_insert` (the demo loader renders a batch
while the previous one is stored). `among(conn, column, values)`: `column IN values` as one
`= ANY(array)` on PostgreSQL (a query with thousands of placeholders costs psycopg more Python
than the query costs the server).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

COPY_SLICE = 50_000  # rows per write to the COPY stream
IN_CHUNK = 5_000  # values per IN (...) list on SQLite: below its limit of bound variables


@dataclass(frozen=True)
class Same:
    """One value for every row of a `bulk_insert` (e.g. the import's time stamp)."""

    value: Any


@dataclass(frozen=True)
class Rendered:
    """A column whose COPY text form was made beforehand (`render`), e.g. while the previous batch
    was being stored: PostgreSQL's COPY takes `texts`, every other path `values`."""

    values: Sequence[Any] | np.ndarray
    texts: list[str]

    def __len__(self) -> int:
        return len(self.values)


Column: TypeAlias = Sequence[Any] | np.ndarray | Same | Rendered


def render(column: Sequence[Any] | np.ndarray) -> Same | Rendered:
    """`column` with its COPY text form made now; a column of one value stays `Same`."""
    constant = _constant(column)
    return constant if isinstance(constant, Same) else Rendered(column, _copy_texts(column))


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
    dialect = conn.dialect
    copying = dialect.name == "postgresql" and dialect.driver == "psycopg"
    if not copying:
        values = {c: v.values if isinstance(v, Rendered) else v for c, v in values.items()}
    values = {c: _constant(v) for c, v in values.items()}
    quote = dialect.identifier_preparer.quote
    target = dialect.identifier_preparer.format_table(table)
    if copying:
        # No type processors: the values are what psycopg would have been given (aware datetimes, bytes).
        # The constant columns go last and are written once, as every line's ending.
        varying = [c for c in columns if not isinstance(values[c], Same)]
        constant = [c for c in columns if isinstance(values[c], Same)]
        texts = [v.texts if isinstance(v := values[c], Rendered) else _copy_texts(v) for c in varying]
        ending = "".join("\t" + _copy_text(values[c].value) for c in constant) + "\n"  # type: ignore[union-attr]
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]  # psycopg Connection
        names = ", ".join(quote(c) for c in varying + constant)
        statement = f"COPY {target} ({names}) FROM STDIN"
        with _as_sqlalchemy_errors(conn, statement), cursor, cursor.copy(statement) as copy:
            for start in range(0, n, COPY_SLICE):
                stop = min(start + COPY_SLICE, n)
                copy.write(ending.join(map("\t".join, zip(*(t[start:stop] for t in texts), strict=True))) + ending)
        return
    processors = {c: table.c[c].type._cached_bind_processor(dialect) for c in columns}
    varying = [c for c in columns if not isinstance(values[c], Same)]
    marks = [_sql_literal(_process(processors[c], v.value), v) if isinstance(v := values[c], Same)
             else _placeholder(dialect.paramstyle, varying.index(c)) for c in columns]
    statement = f"INSERT INTO {target} ({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(marks)})"
    rows = zip(*(_processed(_plain(values[c]), processors[c]) for c in varying), strict=True)
    # The driver's own executemany with the rows made one at a time: a list of 150,000 tuples (what
    # SQLAlchemy's executemany needs) was a twentieth of a load, mostly the garbage collector's.
    cursor = conn.connection.cursor()
    with _as_sqlalchemy_errors(conn, statement):
        try:
            # sqlite3 takes any iterable; PEP 249 promises other drivers a sequence.
            cursor.executemany(statement, rows if dialect.name == "sqlite" else list(rows))  # type: ignore[arg-type]
        finally:
            cursor.close()


@contextmanager
def _as_sqlalchemy_errors(conn: Connection, statement: str) -> Iterator[None]:
    """The driver's errors as SQLAlchemy raises them from `exec_driver_sql` (IntegrityError,
    OperationalError, ...), for the statements sent through the driver's own cursor."""
    base = conn.dialect.loaded_dbapi.Error
    try:
        yield
    except base as error:
        raise DBAPIError.instance(statement, None, error, base, dialect=conn.dialect) from error


def among(conn: Connection, column: ColumnElement[Any] | QueryableAttribute[Any],
          values: Sequence[Any]) -> list[ColumnElement[bool]]:
    """`column IN values` as few conditions as the database allows: on PostgreSQL one
    `column = ANY(array)` (one parameter: psycopg turns a query with thousands of placeholders into
    its own form in Python, which cost more than the query), on SQLite one `IN` per `IN_CHUNK`."""
    if not len(values):
        return []
    if conn.dialect.name == "postgresql":
        return [column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))]
    return [column.in_(values[i : i + IN_CHUNK]) for i in range(0, len(values), IN_CHUNK)]


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
    assert not isinstance(column, Same | Rendered)
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
    values = column.tolist() if isinstance(column, np.ndarray) else column
    kinds = set(map(type, values))
    if kinds <= _BLOBS:  # packed arrays: nearly all different, nothing to share
        return [convert(v) for v in values]
    if convert is _copy_text and kinds <= {float, type(None)}:  # scores: mostly different too
        return [_float_copy_text(v) for v in values]
    if len(kinds - {type(None)}) == 1 and kinds - {type(None)} <= {str, int}:
        # One plain type, perhaps with None (ids, answers, notes): hashed in C; None is code -1.
        codes, uniques = pd.factorize(np.asarray(values, dtype=object))
        return np.asarray([*(convert(u) for u in uniques), convert(None)], dtype=object)[codes].tolist()
    done: dict[tuple[type, Any], Any] = {}
    out = []
    for value in values:
        key = (value.__class__, value)
        if key not in done:
            done[key] = convert(value)
        out.append(done[key])
    return out


_BLOBS = {bytes, bytearray, memoryview}


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


def _copy_texts(column: Column) -> list[str]:
    """A varying column in COPY's text format, one string per row."""
    assert not isinstance(column, Same | Rendered)
    return _per_distinct(column, _copy_text)


def _float_copy_text(value: float | None) -> str:
    """`_copy_text` of a float or None, without its chain of type tests."""
    if value is None:
        return "\\N"
    return repr(value) if math.isfinite(value) else _copy_text(value)


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


def _placeholder(paramstyle: str | None, index: int) -> str:
    if paramstyle == "qmark":
        return "?"
    if paramstyle == "numeric":
        return f":{index + 1}"
    return "%s"  # format / pyformat drivers take positional %s with a sequence of parameters
