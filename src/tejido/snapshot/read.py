"""Reading the store into plain columns: one consistent read of everything a snapshot needs.

Everything is read in one read transaction (a repeatable read on PostgreSQL), so the
snapshot is of one version of the store. Tables are fetched as Arrow columns: through ADBC
from PostgreSQL (the Arrow project's driver), and as one string per column from SQLite
(see ``_SqliteSource``): a 2M-row table arrives in about a second, where building Python
tuples and turning them into columns took eight. Dates become day numbers (or months)
on the server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray
from sqlalchemy import Connection, select
from sqlalchemy.engine import make_url

from tejido.store.models import (
    Employee,
    IdentifierKind,
    Person,
    PersonIdentifier,
    RelationOverride,
    table_of,
)
from tejido.store.session import Store

__all__ = ["StoreTables", "read_store", "resolve_person_keys"]

# Connection kinds as the snapshot codes them (bits of Snapshot.kinds).
KIND_CODES = {"linkedin": 1, "edge": 4, "x_follow": 64}


@dataclass
class StoreTables:
    """Everything the snapshot is built from, as columns; ids are store ids."""

    version: int
    person_id: NDArray[np.int64]
    person_org: NDArray[np.int64]  # organisation id, -1 when unknown
    person_location: list[str | None]
    person_industry: list[str | None]
    person_position: list[str | None]
    org_id: NDArray[np.int64]
    org_relation: list[str | None]
    org_country: list[str | None]
    org_industry: list[str | None]
    org_is_ours: NDArray[np.bool_]
    emp_person: NDArray[np.int64]
    emp_consent: list[str]
    emp_department: list[str | None]
    emp_active: NDArray[np.bool_]
    emp_email: list[str | None]
    upload_id: NDArray[np.int64]
    upload_owner: NDArray[np.int64]  # person id, -1 for company uploads (CRM, roster, edges)
    # One row per assertion (a file row) of a connection.
    conn_source: NDArray[np.int64]
    conn_target: NDArray[np.int64]
    conn_kind: NDArray[np.uint8]
    conn_directed: NDArray[np.bool_]
    conn_day: NDArray[np.int64]  # days since 1970-01-01, 0 when unknown
    conn_upload: NDArray[np.int64]
    # Messages, de-duplicated across uploads: one row per (sender, recipient, group?).
    msg_source: NDArray[np.int64]
    msg_target: NDArray[np.int64]
    msg_group: NDArray[np.bool_]
    msg_at: NDArray[np.int64]  # seconds since 1970, -1 when unknown
    msg_upload: NDArray[np.int64]
    # Careers and schools of the people whose exports were imported.
    pos_person: NDArray[np.int64]
    pos_org: NDArray[np.int64]
    pos_start: NDArray[np.int64]  # months (year * 12 + month - 1), -1 unknown
    pos_end: NDArray[np.int64]  # months, -1 for a current job
    pos_location: list[str | None]
    edu_person: NDArray[np.int64]
    edu_school: list[str]
    # Manual relation classes: (employee person id, contact person id, relation).
    overrides: list[tuple[int, int, str]]


def _day_sql(dialect: str, column: str) -> str:
    """Days since 1970-01-01 of a date or timestamp column."""
    if dialect == "postgresql":
        return f"CAST(FLOOR(EXTRACT(EPOCH FROM {column}) / 86400) AS BIGINT)"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _seconds_sql(dialect: str, column: str) -> str:
    """Seconds since 1970-01-01 of a timestamp column."""
    if dialect == "postgresql":
        return f"CAST(FLOOR(EXTRACT(EPOCH FROM {column})) AS BIGINT)"
    return f"CAST(strftime('%s', {column}) AS INTEGER)"


def _month_sql(dialect: str, column: str) -> str:
    """Months (year * 12 + month - 1) of a date column."""
    if dialect == "postgresql":
        return (
            f"CAST(EXTRACT(YEAR FROM {column}) * 12 + EXTRACT(MONTH FROM {column}) - 1 AS BIGINT)"
        )
    year, month = (f"CAST(strftime('{f}', {column}) AS INTEGER)" for f in ("%Y", "%m"))
    return f"{year} * 12 + {month} - 1"


Columns = dict[str, tuple[str, int]]  # name -> (SQL expression, value for NULL)


class _Source(Protocol):
    """Queries inside one read transaction, answered as Arrow tables."""

    def fetch(self, sql: str) -> pa.Table: ...

    def numbers(self, table: str, columns: Columns, where: str = "") -> pa.Table: ...


class _PostgresSource:
    """PostgreSQL through ADBC: Arrow columns straight from the wire protocol."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor

    def fetch(self, sql: str) -> pa.Table:
        self.cursor.execute(sql)
        table: pa.Table = self.cursor.fetch_arrow_table()
        return table

    def numbers(self, table: str, columns: Columns, where: str = "") -> pa.Table:
        exprs = ", ".join(f"COALESCE({e}, {d}) AS {n}" for n, (e, d) in columns.items())
        return self.fetch(f"SELECT {exprs} FROM {table} {where}")


class _SqliteSource:
    """SQLite through Python's own driver, in the store's read transaction.

    Millions of rows as Python tuples cost seconds to build and transpose, so integer
    columns come as one ``group_concat`` string per column and chunk of ids (all columns
    of a chunk in one scan, so they stay aligned), parsed by NumPy. Another SQLite
    library in the same process (such as ADBC's) must not open the file: POSIX locks are
    per process, and one library closing the file drops the other's locks.
    """

    CHUNK = 1_000_000

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor

    def fetch(self, sql: str) -> pa.Table:
        self.cursor.execute(sql)
        names = [d[0] for d in self.cursor.description]
        rows = self.cursor.fetchall()
        return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})

    def numbers(self, table: str, columns: Columns, where: str = "") -> pa.Table:
        self.cursor.execute(f"SELECT MIN(id), MAX(id) FROM {table}")
        low, high = self.cursor.fetchone()
        parts: dict[str, list[NDArray[np.int64]]] = {n: [] for n in columns}
        if low is not None:
            exprs = ", ".join(f"group_concat(COALESCE({e}, {d}))" for e, d in columns.values())
            joiner = "AND" if where else "WHERE"
            for start in range(int(low) - 1, int(high), self.CHUNK):
                self.cursor.execute(
                    f"SELECT {exprs} FROM {table} {where} {joiner} "
                    f"id > {start} AND id <= {start + self.CHUNK}"
                )
                row = self.cursor.fetchone()
                for name, text in zip(columns, row, strict=True):
                    if text:
                        parts[name].append(np.fromstring(text, dtype=np.int64, sep=","))
        return pa.table({
            n: np.concatenate(p) if p else np.zeros(0, dtype=np.int64) for n, p in parts.items()
        })  # fmt: skip


@contextmanager
def _source(store: Store) -> Iterator[_Source]:
    """A source of Arrow tables inside one read transaction of ``store``."""
    if store.dialect == "postgresql":
        import adbc_driver_postgresql.dbapi as adbc_pg

        url = make_url(store.url).set(drivername="postgresql")
        conn: Any = adbc_pg.connect(url.render_as_string(hide_password=False))
        try:
            cursor = conn.cursor()
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield _PostgresSource(cursor)
        finally:
            conn.rollback()
            conn.close()
        return
    with store.engine.connect() as sa_conn, sa_conn.begin():
        sa_conn.exec_driver_sql("SELECT 1")  # the read transaction starts here
        raw: Any = sa_conn.connection.dbapi_connection
        cursor = raw.cursor()
        try:
            yield _SqliteSource(cursor)
        finally:
            cursor.close()


def _int(table: pa.Table, name: str, default: int = -1) -> NDArray[np.int64]:
    column = table.column(name)
    if pa.types.is_null(column.type):  # every value NULL (a column with no type at all)
        return np.full(len(column), default, dtype=np.int64)
    if column.null_count:
        column = pc.fill_null(column, default)
    out: NDArray[np.int64] = np.asarray(column.to_numpy(), dtype=np.int64)
    return out


def _strings(table: pa.Table, name: str) -> list[str | None]:
    out: list[str | None] = table.column(name).to_pylist()
    return out


def read_store(store: Store) -> StoreTables:
    """Read everything a snapshot needs in one read transaction (a consistent view)."""
    with _source(store) as source:
        tables = _read(source, store.dialect)
    with store.read() as conn:
        tables.overrides = _read_overrides(conn)
    return tables


def _read(source: _Source, dialect: str) -> StoreTables:
    fetch = source.fetch
    state = fetch("SELECT version FROM store_state WHERE id = 1")
    version = int(state.column("version")[0].as_py()) if state.num_rows else 0
    people = fetch("SELECT id, organisation_id, location, industry, position FROM person")
    orgs = fetch(
        "SELECT id, relation, country, industry, CASE WHEN is_ours THEN 1 ELSE 0 END AS ours "
        "FROM organisation ORDER BY id"
    )
    emps = fetch(
        "SELECT person_id, consent, department, CASE WHEN active THEN 1 ELSE 0 END AS active, "
        "email FROM employee"
    )
    uploads = fetch("SELECT id, owner_person_id FROM upload WHERE status = 'active'")
    kind_case = " ".join(f"WHEN '{k}' THEN {v}" for k, v in KIND_CODES.items())
    conns = source.numbers(
        "connection",
        {
            "source_id": ("source_id", -1),
            "target_id": ("target_id", -1),
            "kind": (f"CASE kind {kind_case} ELSE 4 END", 4),
            "directed": ("CASE WHEN directed THEN 1 ELSE 0 END", 0),
            "day": (_day_sql(dialect, "connected_on"), 0),
            "upload_id": ("upload_id", -1),
        },
    )
    # One row per (message, recipient) as each upload stated it: the same message in two
    # employees' exports is counted once by the snapshot, which also leaves out what a
    # private employee's upload says of anybody else.
    messages = source.numbers(
        "interaction",
        {
            "source_id": ("source_id", -1),
            "target_id": ("target_id", -1),
            "grp": ("CASE WHEN group_size > 1 THEN 1 ELSE 0 END", 0),
            "at": (_seconds_sql(dialect, "at"), -1),
            "upload_id": ("upload_id", -1),
        },
        "WHERE channel = 'message'",
    )
    jobs = fetch(
        f"SELECT person_id, organisation_id, {_month_sql(dialect, 'started_on')} AS start, "
        f"{_month_sql(dialect, 'finished_on')} AS finish, location FROM position "
        "WHERE organisation_id IS NOT NULL"
    )
    schools = fetch("SELECT person_id, school_key FROM education")
    return StoreTables(
        version=version,
        person_id=_int(people, "id"),
        person_org=_int(people, "organisation_id"),
        person_location=_strings(people, "location"),
        person_industry=_strings(people, "industry"),
        person_position=_strings(people, "position"),
        org_id=_int(orgs, "id"),
        org_relation=_strings(orgs, "relation"),
        org_country=_strings(orgs, "country"),
        org_industry=_strings(orgs, "industry"),
        org_is_ours=_int(orgs, "ours", 0).astype(bool),
        emp_person=_int(emps, "person_id"),
        emp_consent=[str(c) for c in _strings(emps, "consent")],
        emp_department=_strings(emps, "department"),
        emp_active=_int(emps, "active", 0).astype(bool),
        emp_email=_strings(emps, "email"),
        upload_id=_int(uploads, "id"),
        upload_owner=_int(uploads, "owner_person_id"),
        conn_source=_int(conns, "source_id"),
        conn_target=_int(conns, "target_id"),
        conn_kind=_int(conns, "kind").astype(np.uint8),
        conn_directed=_int(conns, "directed", 0).astype(bool),
        conn_day=_int(conns, "day", 0),
        conn_upload=_int(conns, "upload_id"),
        msg_source=_int(messages, "source_id"),
        msg_target=_int(messages, "target_id"),
        msg_group=_int(messages, "grp", 0).astype(bool),
        msg_at=_int(messages, "at"),
        msg_upload=_int(messages, "upload_id"),
        pos_person=_int(jobs, "person_id"),
        pos_org=_int(jobs, "organisation_id"),
        pos_start=_int(jobs, "start"),
        pos_end=_int(jobs, "finish"),
        pos_location=_strings(jobs, "location"),
        edu_person=_int(schools, "person_id"),
        edu_school=[str(x) for x in _strings(schools, "school_key")],
        overrides=[],
    )


def _read_overrides(conn: Connection) -> list[tuple[int, int, str]]:
    """Manual relation classes, their stable keys resolved to today's person ids."""
    R = table_of(RelationOverride)
    rows = conn.execute(select(R.c.employee_key, R.c.contact_key, R.c.relation)).all()
    if not rows:
        return []
    keys = {key for row in rows for key in (row[0], row[1])}
    resolved = resolve_person_keys(conn, keys)
    out = []
    for employee_key, contact_key, relation in rows:
        a, b = resolved.get(employee_key), resolved.get(contact_key)
        if a is not None and b is not None:
            out.append((a, b, str(relation)))
    return out


def resolve_person_keys(conn: Connection, keys: set[str]) -> dict[str, int]:
    """Person ids of stable keys: ``person:<id>``, ``email:…``, ``linkedin:…``, ``x_id:…``."""
    PI, E, P = table_of(PersonIdentifier), table_of(Employee), table_of(Person)
    out: dict[str, int] = {}
    by_kind: dict[str, list[str]] = {}
    for key in keys:
        kind, _, value = key.partition(":")
        by_kind.setdefault(kind, []).append(value)
    ids = [int(v) for v in by_kind.pop("person", []) if v.isdigit()]
    if ids:
        for (pid,) in conn.execute(select(P.c.id).where(P.c.id.in_(ids))):
            out[f"person:{pid}"] = int(pid)
    emails = by_kind.get("email", [])
    if emails:
        for email, pid in conn.execute(
            select(E.c.email, E.c.person_id).where(E.c.email.in_(emails))
        ):
            out[f"email:{email}"] = int(pid)
    known = {k.value for k in IdentifierKind}
    for kind, values in by_kind.items():
        if kind not in known:
            continue
        rows = conn.execute(
            select(PI.c.value, PI.c.person_id).where(PI.c.kind == kind, PI.c.value.in_(values))
        )
        for value, pid in rows:
            out.setdefault(f"{kind}:{value}", int(pid))
    return out
