"""Employees as the people behind the network: their consent level, their own uploads,
and the erasure of everything they uploaded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update

from tejido.errors import NotFoundError
from tejido.ingest.upload import erase_upload
from tejido.store.models import (
    ConsentLevel,
    Employee,
    Person,
    Upload,
    UploadKind,
    table_of,
)
from tejido.store.session import Store

if TYPE_CHECKING:
    from tejido.accounts import User

__all__ = [
    "OWN_KINDS",
    "EmployeeInfo",
    "consent_counts",
    "employee_of",
    "erase_own_uploads",
    "list_employees",
    "set_consent",
    "uploads_of",
]

EMP, P, U = table_of(Employee), table_of(Person), table_of(Upload)
# What an employee uploads themselves: their own network's exports.
OWN_KINDS = (UploadKind.LINKEDIN, UploadKind.X)


@dataclass(frozen=True)
class EmployeeInfo:
    person_id: int
    name: str
    email: str | None
    department: str | None
    consent: ConsentLevel


def employee_of(store: Store, user: User) -> EmployeeInfo | None:
    """The employee a user account is: linked by person, else by the same e-mail."""
    match = (EMP.c.person_id == user.person_id) if user.person_id else (EMP.c.email == user.email)
    query = (
        select(EMP.c.person_id, P.c.display_name, EMP.c.email, EMP.c.department, EMP.c.consent)
        .join(P, P.c.id == EMP.c.person_id)
        .where(match)
    )
    with store.read() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return EmployeeInfo(int(row[0]), str(row[1]), row[2], row[3], ConsentLevel(row[4]))


def list_employees(store: Store) -> list[dict[str, Any]]:
    """Every employee with consent level and their own uploads (count, last one)."""
    own = (
        select(
            U.c.owner_person_id.label("person_id"),
            func.count().label("uploads"),
            func.max(U.c.created_at).label("last_upload"),
        )
        .where(U.c.kind.in_(OWN_KINDS), U.c.owner_person_id.is_not(None))
        .group_by(U.c.owner_person_id)
        .subquery()
    )
    query = (
        select(EMP.c.person_id, P.c.display_name.label("name"), EMP.c.email, EMP.c.department,
               EMP.c.title, EMP.c.consent, EMP.c.active,
               func.coalesce(own.c.uploads, 0).label("uploads"), own.c.last_upload)
        .join(P, P.c.id == EMP.c.person_id)
        .outerjoin(own, own.c.person_id == EMP.c.person_id)
        .order_by(P.c.display_name, EMP.c.person_id)
    )  # fmt: skip
    with store.read() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
    for r in rows:
        r["consent"] = ConsentLevel(r["consent"]).value
    return rows


def consent_counts(store: Store) -> dict[str, int]:
    """How many active employees chose each consent level (every level listed)."""
    query = select(EMP.c.consent, func.count()).where(EMP.c.active).group_by(EMP.c.consent)
    with store.read() as conn:
        found = {ConsentLevel(level).value: int(n) for level, n in conn.execute(query).all()}
    return {level.value: found.get(level.value, 0) for level in ConsentLevel}


def set_consent(store: Store, person_id: int, level: str | ConsentLevel, *, actor: str) -> None:
    """Change what an employee lets the company see of their network (audited)."""
    from tejido.accounts import audit

    chosen = ConsentLevel(level)
    with store.write() as conn:
        before = conn.execute(select(EMP.c.consent).where(EMP.c.person_id == person_id)).scalar()
        if before is None:
            raise NotFoundError(f"person {person_id} is not an employee")
        conn.execute(update(EMP).where(EMP.c.person_id == person_id).values(consent=chosen))
        audit(conn, actor, "consent", f"person {person_id}",
              {"from": ConsentLevel(before).value, "to": chosen.value})  # fmt: skip


def uploads_of(store: Store, person_id: int) -> list[dict[str, Any]]:
    """An employee's own uploads, newest first, with what each brought in."""
    query = (
        select(U.c.id, U.c.kind, U.c.filename, U.c.status, U.c.created_at, U.c.counts,
               U.c.warnings, U.c.uploaded_by)
        .where(U.c.owner_person_id == person_id, U.c.kind.in_(OWN_KINDS))
        .order_by(U.c.id.desc())
    )  # fmt: skip
    with store.read() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
    for r in rows:
        r["kind"], r["status"] = str(r["kind"].value), str(r["status"].value)
        r["counts"] = {k: v for k, v in dict(r["counts"] or {}).items() if isinstance(v, int)}
        r["uploaded_at"] = r.pop("created_at")
        w = r["warnings"]
        r["warnings"] = list(w.get("messages", [])) if isinstance(w, dict) else []
    return rows


def erase_own_uploads(store: Store, person_id: int, *, actor: str) -> dict[str, int]:
    """Erase every LinkedIn and X upload an employee owns, in one transaction (audited).

    Their connections, messages, career and the people only their uploads named go;
    what a roster or another employee's export says stays.
    """
    from tejido.accounts import audit

    totals: dict[str, int] = {}
    with store.write() as conn:
        ids = conn.execute(
            select(U.c.id).where(U.c.owner_person_id == person_id, U.c.kind.in_(OWN_KINDS))
        ).scalars()
        erased = [int(i) for i in ids]
        for upload_id in erased:
            for name, count in erase_upload(conn, upload_id).items():
                totals[name] = totals.get(name, 0) + count
        totals["uploads"] = len(erased)
        audit(conn, actor, "erase.own", f"person {person_id}", {**totals, "ids": erased})
    return totals
