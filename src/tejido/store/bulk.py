"""Bulk reads and writes on the driver connection of an open transaction.

Imports move hundreds of thousands of rows; going through SQLAlchemy's per-row parameter
processing costs more than the database's own work. These helpers talk to the DBAPI
connection of the *same* transaction: SQLite gets ``executemany``, PostgreSQL gets
``COPY`` and ``= ANY(array)`` look-ups. Only trusted identifiers (table and column names
from the models) are ever formatted into SQL; values always travel as parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection

__all__ = ["Bulk"]

_SQLITE_CHUNK = 5000


class Bulk:
    """Bulk operations inside ``conn``'s transaction.

    >>> from tejido.store.session import Store
    >>> store = Store("sqlite://")
    >>> with store.write() as conn:
    ...     bulk = Bulk(conn)
    ...     _ = bulk.insert("organisation", ["id", "name", "key", "is_ours", "created_at"],
    ...                 [(1, "Acme", "acme", False, "2026-01-01 00:00:00")])
    ...     bulk.select_in("SELECT id, name FROM organisation WHERE key IN {values}", ["acme"])
    [(1, 'Acme')]
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.dialect = conn.dialect.name
        self.raw: Any = conn.connection.dbapi_connection
        self.param = "?" if self.dialect == "sqlite" else "%s"

    def select(self, sql: str) -> list[tuple[Any, ...]]:
        """All rows of a query that takes no parameters."""
        cursor = self.raw.cursor()
        try:
            cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def select_in(
        self, sql: str, values: Sequence[Any], params: Sequence[Any] = ()
    ) -> list[tuple[Any, ...]]:
        """Run ``sql`` whose ``IN {values}`` stands for a list of values; ``{p}`` for one param.

        ``params`` fill the ``{p}`` placeholders, which must come before ``{values}``.
        """
        if not values:
            return []
        rows: list[tuple[Any, ...]] = []
        cursor = self.raw.cursor()
        try:
            if self.dialect == "postgresql":
                array = "bigint[]" if all(isinstance(v, int) for v in values) else "text[]"
                # "= ANY(array)" lets the planner probe the index once per value; the
                # "IN (SELECT unnest(...))" form was planned as a scan of the whole table.
                cursor.execute(
                    sql.replace("IN {values}", "= ANY({values})").format(
                        p="%s", values=f"%s::{array}"
                    ),
                    (*params, list(values)),
                )
                rows.extend(cursor.fetchall())
            else:
                for start in range(0, len(values), _SQLITE_CHUNK):
                    part = list(values[start : start + _SQLITE_CHUNK])
                    marks = "(" + ",".join("?" * len(part)) + ")"
                    cursor.execute(sql.format(p="?", values=marks), (*params, *part))
                    rows.extend(cursor.fetchall())
        finally:
            cursor.close()
        return [tuple(row) for row in rows]

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Insert ``rows`` (tuples in ``columns`` order); returns how many."""
        cursor = self.raw.cursor()
        count = 0
        try:
            if self.dialect == "postgresql":
                names = ", ".join(f'"{c}"' for c in columns)
                with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" * len(columns))
                batch = rows if isinstance(rows, list) else list(rows)
                cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', batch)
                count = len(batch)
        finally:
            cursor.close()
        return count

    def insert_dicts(self, table: str, rows: Sequence[dict[str, Any]]) -> int:
        """Insert rows given as dicts with the same keys; returns how many."""
        if not rows:
            return 0
        columns = list(rows[0])
        return self.insert(table, columns, [tuple(row[c] for c in columns) for row in rows])

    def reserve_ids(self, table: str, n: int) -> list[int]:
        """``n`` fresh primary keys for ``table``, to insert rows whose ids we must know.

        The caller holds the store's write lock (see ``Store.write``), so SQLite's
        ``max(id) + 1`` cannot race; PostgreSQL draws from the table's own sequence.
        """
        if n <= 0:
            return []
        cursor = self.raw.cursor()
        try:
            if self.dialect == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    (table, n),
                )
                return [int(r[0]) for r in cursor.fetchall()]
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
            start = int(cursor.fetchone()[0]) + 1
            return list(range(start, start + n))
        finally:
            cursor.close()

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """``sql`` with ``{p}`` placeholders, once per row."""
        if not rows:
            return
        cursor = self.raw.cursor()
        try:
            cursor.executemany(sql.replace("{p}", self.param), rows)
        finally:
            cursor.close()
