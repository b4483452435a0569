"""Reading the store into plain columns: one consistent read of everything a snapshot needs.

Large tables (connections, messages) are read through the driver cursor with SQL that
turns dates into day numbers on the server, because going through SQLAlchemy's per-row
type processing for millions of rows costs more than the database's own work. Small
tables (positions, schools, overrides) go through SQLAlchemy Core.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, select

from tejido.store.models import (
    Education,
    Employee,
    IdentifierKind,
    Organisation,
    Person,
    PersonIdentifier,
    Position,
    RelationOverride,
    Upload,
    UploadStatus,
    table_of,
)
from tejido.store.session import Store

__all__ = ["StoreTables", "read_store"]

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
    msg_count: NDArray[np.int64]
    msg_last_day: NDArray[np.int64]
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
    if dialect == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM {column}) / 86400)::bigint"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _date_day_sql(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _raw(conn: Connection, sql: str) -> list[tuple[Any, ...]]:
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        rows: list[tuple[Any, ...]] = list(cursor.fetchall())
        return rows
    finally:
        cursor.close()


def _ints(values: Any, n: int, default: int = -1) -> NDArray[np.int64]:
    out = np.fromiter((default if v is None else v for v in values), dtype=np.int64, count=n)
    return out


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[tuple[Any, ...]]:
    if not rows:
        return [() for _ in range(width)]
    return list(zip(*rows, strict=True))


def _month(day: dt.date | None) -> int:
    return -1 if day is None else day.year * 12 + day.month - 1


def read_store(store: Store) -> StoreTables:
    """Read everything a snapshot needs in one read transaction (a consistent view)."""
    with store.engine.connect() as conn:
        if store.dialect == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            return _read(conn, store)


def _read(conn: Connection, store: Store) -> StoreTables:
    dialect = store.dialect
    version = store.version(conn)
    O, E, U = table_of(Organisation), table_of(Employee), table_of(Upload)

    people = _raw(conn, "SELECT id, organisation_id, location, industry, position FROM person")
    pid, porg, ploc, pind, ppos = _columns(people, 5)
    n = len(people)

    orgs = conn.execute(
        select(O.c.id, O.c.relation, O.c.country, O.c.industry, O.c.is_ours).order_by(O.c.id)
    ).all()
    oid, orel, ocountry, oind, oours = _columns([tuple(r) for r in orgs], 5)

    emps = conn.execute(
        select(E.c.person_id, E.c.consent, E.c.department, E.c.active, E.c.email)
    ).all()
    epid, econsent, edept, eactive, eemail = _columns([tuple(r) for r in emps], 5)

    uploads = conn.execute(
        select(U.c.id, U.c.owner_person_id).where(U.c.status == UploadStatus.ACTIVE)
    ).all()
    uid, uowner = _columns([tuple(r) for r in uploads], 2)

    kind_case = " ".join(f"WHEN '{k}' THEN {v}" for k, v in KIND_CODES.items())
    conns = _raw(
        conn,
        f"SELECT source_id, target_id, CASE kind {kind_case} ELSE 4 END, "
        f"CASE WHEN directed THEN 1 ELSE 0 END, "
        f"{_date_day_sql(dialect, 'connected_on')}, upload_id FROM connection",
    )
    cs, ct, ck, cd, cday, cu = _columns(conns, 6)
    m = len(conns)

    # A private employee's upload lends nothing to anybody else's ties: its messages count
    # only on the ties of its owner (which nobody but the owner sees anyway).
    messages = _raw(
        conn,
        "SELECT i.source_id, i.target_id, CASE WHEN i.group_size > 1 THEN 1 ELSE 0 END AS grp, "
        f"COUNT(DISTINCT i.at), MAX({_day_sql(dialect, 'i.at')}) "
        "FROM interaction i JOIN upload u ON u.id = i.upload_id "
        "LEFT JOIN employee e ON e.person_id = u.owner_person_id "
        "WHERE i.channel = 'message' AND (e.consent IS NULL OR e.consent <> 'private' "
        "OR u.owner_person_id = i.source_id OR u.owner_person_id = i.target_id) "
        "GROUP BY i.source_id, i.target_id, "
        "CASE WHEN i.group_size > 1 THEN 1 ELSE 0 END",
    )
    ms, mt, mg, mc, ml = _columns(messages, 5)
    k = len(messages)

    POS = table_of(Position)
    positions = conn.execute(
        select(
            POS.c.person_id,
            POS.c.organisation_id,
            POS.c.started_on,
            POS.c.finished_on,
            POS.c.location,
        ).where(POS.c.organisation_id.is_not(None))
    ).all()
    EDU = table_of(Education)
    schools = conn.execute(select(EDU.c.person_id, EDU.c.school_key)).all()

    overrides = _read_overrides(conn)
    return StoreTables(
        version=version,
        person_id=_ints(pid, n),
        person_org=_ints(porg, n),
        person_location=list(ploc),
        person_industry=list(pind),
        person_position=list(ppos),
        org_id=_ints(oid, len(orgs)),
        org_relation=[None if r is None else str(r) for r in orel],
        org_country=list(ocountry),
        org_industry=list(oind),
        org_is_ours=np.array(oours, dtype=bool),
        emp_person=_ints(epid, len(emps)),
        emp_consent=[str(c) for c in econsent],
        emp_department=list(edept),
        emp_active=np.array(eactive, dtype=bool),
        emp_email=list(eemail),
        upload_id=_ints(uid, len(uploads)),
        upload_owner=_ints(uowner, len(uploads)),
        conn_source=_ints(cs, m),
        conn_target=_ints(ct, m),
        conn_kind=np.fromiter(ck, dtype=np.uint8, count=m),
        conn_directed=np.fromiter(cd, dtype=bool, count=m),
        conn_day=_ints(cday, m, default=0),
        conn_upload=_ints(cu, m),
        msg_source=_ints(ms, k),
        msg_target=_ints(mt, k),
        msg_group=np.fromiter(mg, dtype=bool, count=k),
        msg_count=_ints(mc, k, default=0),
        msg_last_day=_ints(ml, k, default=0),
        pos_person=np.array([r[0] for r in positions], dtype=np.int64),
        pos_org=np.array([r[1] for r in positions], dtype=np.int64),
        pos_start=np.array([_month(r[2]) for r in positions], dtype=np.int64),
        pos_end=np.array([_month(r[3]) for r in positions], dtype=np.int64),
        pos_location=[r[4] for r in positions],
        edu_person=np.array([r[0] for r in schools], dtype=np.int64),
        edu_school=[str(r[1]) for r in schools],
        overrides=overrides,
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
