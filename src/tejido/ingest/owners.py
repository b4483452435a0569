"""Whose export is this? Finding (or enrolling) the employee who owns an upload."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, insert, select

from tejido.errors import NotFoundError
from tejido.ingest.identity import PersonMention, Resolver
from tejido.ingest.normalise import normalise_email
from tejido.store.models import (
    ConsentLevel,
    Employee,
    IdentifierKind,
    Person,
    PersonIdentifier,
    table_of,
)

__all__ = ["Owner", "find_owner"]

EMP = table_of(Employee)
P = table_of(Person)
PI = table_of(PersonIdentifier)


class Owner:
    """The employee an upload belongs to."""

    def __init__(self, person_id: int, name: str, enrolled: bool) -> None:
        self.person_id = person_id
        self.name = name
        self.enrolled = enrolled  # True when this upload created the employee


def _employee_by_email(conn: Connection, email: str) -> int | None:
    found = conn.execute(select(EMP.c.person_id).where(EMP.c.email == email)).scalar()
    if found is not None:
        return int(found)
    found = conn.execute(
        select(EMP.c.person_id)
        .join(PI, PI.c.person_id == EMP.c.person_id)
        .where(PI.c.kind == IdentifierKind.EMAIL, PI.c.value == email)
        .limit(1)
    ).scalar()
    return int(found) if found is not None else None


def _name_of(conn: Connection, person_id: int) -> str:
    return str(conn.execute(select(P.c.display_name).where(P.c.id == person_id)).scalar_one())


def find_owner(
    conn: Connection,
    resolver: Resolver,
    *,
    employee: str | None,
    emails: Sequence[str],
    mention: PersonMention,
) -> Owner:
    """The owner: the employee given, else one found by e-mail, then by unique name.

    When nothing identifies an existing employee, the owner becomes a new employee with
    consent "private" until they choose otherwise.
    """
    if employee is not None:
        email = normalise_email(employee)
        person = _employee_by_email(conn, email) if email else None
        if person is None:
            raise NotFoundError(
                f"no employee has the e-mail {employee!r}: import the roster first, "
                "or leave the employee out to find the owner from the export itself"
            )
        return Owner(person, _name_of(conn, person), enrolled=False)
    for email in emails:
        person = _employee_by_email(conn, email)
        if person is not None:
            return Owner(person, _name_of(conn, person), enrolled=False)
    key = mention.name_key()
    if key:
        named = (
            conn.execute(
                select(EMP.c.person_id)
                .join(P, P.c.id == EMP.c.person_id)
                .where(P.c.name_key == key)
            )
            .scalars()
            .all()
        )
        if len(named) == 1:
            return Owner(int(named[0]), _name_of(conn, named[0]), enrolled=False)
    (person,) = resolver.people([mention])
    existing = conn.execute(select(EMP.c.id).where(EMP.c.person_id == person)).scalar()
    if existing is None:
        conn.execute(
            insert(EMP),
            {
                "person_id": person,
                "email": emails[0] if emails else None,
                "consent": ConsentLevel.PRIVATE,
                "enrolled_upload_id": resolver.upload_id,
            },
        )
    return Owner(person, _name_of(conn, person), enrolled=existing is None)
