"""Importing the employee roster: who works here, in which department, with which consent."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from tejido.errors import BadInputError
from tejido.ingest.files import (
    DEFAULT_MAX_BYTES,
    Row,
    decode,
    file_label,
    gunzip,
    read_table,
)
from tejido.ingest.identity import PersonMention, Resolver, chunks
from tejido.ingest.normalise import canonical_linkedin, fold, normalise_domain, normalise_email
from tejido.ingest.upload import Written
from tejido.store.models import ConsentLevel, Employee, Organisation, UploadKind, table_of

__all__ = ["COLUMNS", "RosterUpload", "consent_of", "prepare_roster"]

EMP = table_of(Employee)
O = table_of(Organisation)

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("Name", "Full Name", "Employee", "Employee Name", "Nombre", "Nombre completo"),
    "first": ("First Name", "Given Name", "Nombre de pila"),
    "last": ("Last Name", "Surname", "Family Name", "Apellidos"),
    "email": ("Email", "E-mail", "Email Address", "Work Email", "Correo", "Correo electrónico"),
    "linkedin": ("LinkedIn URL", "LinkedIn", "LinkedIn Profile", "Profile URL", "URL"),
    "department": ("Department", "Dept", "Team", "Departamento", "Área", "Area"),
    "title": ("Title", "Job Title", "Position", "Puesto", "Cargo"),
    "consent": ("Consent", "Consent Level", "Consentimiento", "Nivel de consentimiento"),
}  # fmt: skip

_CONSENT = {
    **dict.fromkeys(("private", "privado", "privada", "none", "no"), ConsentLevel.PRIVATE),
    **dict.fromkeys(
        (
            "existence only", "existence", "aggregate", "aggregates", "anonymous",
            "agregado", "solo existencia", "existencia", "anonimo",
        ),
        ConsentLevel.EXISTENCE_ONLY,
    ),
    **dict.fromkeys(("named", "nominal", "nombrado", "con nombre", "yes", "si", "full"),
                    ConsentLevel.NAMED),
}  # fmt: skip


def consent_of(row: Row) -> ConsentLevel:
    """The consent level of a roster row; blank means private (nothing is shared by default).

    >>> from tejido.ingest.files import Row
    >>> consent_of(Row("r.csv", 2, ["Existence-only"], {"consent": 0}, {})).value
    'existence_only'
    """
    value = row.text("consent", 64)
    if value is None:
        return ConsentLevel.PRIVATE
    level = _CONSENT.get(fold(value))
    if level is None:
        raise row.error(
            "consent", f"{value!r} is not a consent level (private, existence_only, named)"
        )
    return level


def _our_company(
    conn: Connection, resolver: Resolver, company: str | None, emails: list[str]
) -> int:
    """Our own organisation: named by the caller, else from the roster's usual e-mail domain."""
    domains = Counter(normalise_domain(e) for e in emails if e)
    domain = domains.most_common(1)[0][0] if domains else None
    name = company or (domain.split(".")[0].replace("-", " ").title() if domain else None)
    if name is None:
        existing = conn.execute(select(O.c.id).where(O.c.is_ours.is_(True))).scalar()
        if existing is not None:
            return int(existing)
        raise BadInputError("cannot tell our company's name: give it (--company)")
    (org,) = resolver.organisations([name], [domain])
    if org is None:
        raise BadInputError(f"{name!r} matches several organisations: give its domain too")
    conn.execute(update(O).where(O.c.is_ours.is_(True), O.c.id != org).values(is_ours=False))
    conn.execute(update(O).where(O.c.id == org).values(is_ours=True))
    return org


@dataclass
class RosterUpload:
    """A parsed roster, ready to be written as one upload."""

    file: str
    people: list[dict[str, Any]]
    company: str | None = None
    kind: UploadKind = UploadKind.ROSTER

    def write(self, conn: Connection, upload_id: int, resolver: Resolver) -> Written:
        people = self.people
        ours = _our_company(conn, resolver, self.company, [p["email"] for p in people])
        mentions = [
            PersonMention(
                first=p["first"],
                last=p["last"],
                linkedin=p["linkedin"],
                emails=(p["email"],),
                organisation_id=ours,
                position=p["title"],
            )
            for p in people
        ]
        ids = resolver.people(mentions)
        resolver.refresh(mentions, ids)
        new, updated = _employees(conn, people, ids, upload_id)
        # Employees that an earlier roster listed and this one does not have left.
        left = conn.execute(
            update(EMP)
            .where(
                EMP.c.roster_upload_id.is_not(None),
                EMP.c.roster_upload_id != upload_id,
                EMP.c.active.is_(True),
            )
            .values(active=False)
        ).rowcount
        counts: dict[str, Any] = {
            "employees": len(people),
            "employees_new": new,
            "employees_updated": updated,
            "employees_left": left,
            "people_new": resolver.stats.created,
        }
        return Written(counts)


def prepare_roster(
    data: bytes,
    file: str,
    *,
    company: str | None = None,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> RosterUpload:
    """Parse the roster: employees will be created or updated, never duplicated."""
    file = file_label(file)
    table = read_table(
        decode(gunzip(data, file, max_bytes=max_bytes), file, encoding),
        file,
        COLUMNS,
        required=("email",),
    )
    if "name" not in table.fields and not {"first", "last"} <= set(table.fields):
        raise BadInputError(
            'no "Name" column (or "First Name" and "Last Name")', file=file, line=table.header_line
        )
    if not len(table):
        # An empty roster would mark every employee as gone: refuse it instead.
        raise BadInputError("no employees after the header row", file=file, line=table.header_line)
    people: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in table.rows():
        raw_email = row.text("email", 320)
        email = normalise_email(raw_email)
        if email is None:
            raise row.error(
                "email",
                f"{raw_email!r} is not an e-mail address"
                if raw_email
                else "every employee needs an e-mail address",
            )
        if email in seen:
            raise row.error("email", f"{email} is already on line {seen[email]}")
        seen[email] = row.line
        url = row.text("linkedin", 1024)
        linkedin = canonical_linkedin(url)
        if url and linkedin is None:
            raise row.error("linkedin", f"{url[:80]!r} is not a LinkedIn profile URL")
        first, last = row.text("first", 256), row.text("last", 256)
        if first is None and last is None:
            full = row.text("name", 512)
            if full is None:
                raise row.error("name", "every employee needs a name")
            first, _, last = full.partition(" ")
        people.append(
            {
                "line": row.line,
                "first": first,
                "last": last or None,
                "email": email,
                "linkedin": linkedin,
                "department": row.text("department", 256),
                "title": row.text("title"),
                "consent": consent_of(row),
            }
        )
    return RosterUpload(file, people, company)


def _employees(
    conn: Connection, people: list[dict[str, Any]], ids: list[int], upload_id: int
) -> tuple[int, int]:
    existing: dict[int, int] = {}
    for part in chunks(sorted(set(ids))):
        rows = conn.execute(select(EMP.c.person_id, EMP.c.id).where(EMP.c.person_id.in_(part)))
        existing.update({person: employee for person, employee in rows})
    new_rows, updates = [], []
    for person, pid in zip(people, ids, strict=True):
        values = {
            "email": person["email"],
            "department": person["department"],
            "title": person["title"],
            "consent": person["consent"],
            "active": True,
            "roster_upload_id": upload_id,
        }
        if pid in existing:
            updates.append((existing[pid], values))
        else:
            new_rows.append({"person_id": pid, **values})
    if new_rows:
        conn.execute(insert(EMP), new_rows)
    for employee_id, values in updates:
        conn.execute(update(EMP).where(EMP.c.id == employee_id).values(**values))
    return len(new_rows), len(updates)
