"""Finding people and organisations by what a user types, and their labels for display.

Analyses run on snapshots and return indices; this module is the one place that goes
back to the store for names, job titles and careers of the few rows a result shows.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, select

from tejido.errors import ConflictError, NotFoundError
from tejido.ingest.normalise import (
    canonical_linkedin,
    fold,
    normalise_domain,
    normalise_email,
    org_key,
)
from tejido.store.models import (
    Education,
    Employee,
    IdentifierKind,
    OrgAlias,
    Organisation,
    Person,
    PersonIdentifier,
    Position,
    Upload,
    UploadKind,
    UploadStatus,
    table_of,
)

__all__ = [
    "Careers",
    "NameIndex",
    "OrgLabel",
    "PersonLabel",
    "career_details",
    "external_ids",
    "find_org",
    "find_person",
    "org_labels",
    "person_labels",
    "upload_owners",
]

P, O, A = table_of(Person), table_of(Organisation), table_of(OrgAlias)
PI, E = table_of(PersonIdentifier), table_of(Employee)
POS, EDU, U = table_of(Position), table_of(Education), table_of(Upload)


@dataclass(frozen=True)
class PersonLabel:
    id: int
    name: str
    position: str | None
    organisation_id: int | None
    linkedin: str | None
    email: str | None
    department: str | None
    is_employee: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "position": self.position,
            "organisation_id": self.organisation_id,
            "linkedin": f"https://www.linkedin.com/{self.linkedin}" if self.linkedin else None,
            "email": self.email,
            "department": self.department,
            "is_employee": self.is_employee,
        }


@dataclass(frozen=True)
class OrgLabel:
    id: int
    name: str
    relation: str | None
    country: str | None
    industry: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "relation": self.relation,
            "country": self.country,
            "industry": self.industry,
        }


def _chunks(values: list[int], size: int = 900) -> Iterable[list[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def external_ids(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    """The node id an edge list gave each person (without its file's namespace), if any."""
    wanted = sorted({int(i) for i in ids})
    out: dict[int, str] = {}
    for part in _chunks(wanted):
        for pid, value in conn.execute(
            select(PI.c.person_id, PI.c.value)
            .where(PI.c.person_id.in_(part), PI.c.kind == IdentifierKind.EXTERNAL)
            .order_by(PI.c.id)
        ):
            out.setdefault(int(pid), str(value).split(":", 1)[-1])
    return out


def upload_owners(conn: Connection) -> NDArray[np.int64]:
    """Person ids of the employees whose own network (a LinkedIn export, an X archive) is
    imported and in force."""
    rows = conn.execute(
        select(U.c.owner_person_id)
        .where(U.c.status == UploadStatus.ACTIVE, U.c.owner_person_id.is_not(None),
               U.c.kind.in_((UploadKind.LINKEDIN, UploadKind.X)))
        .distinct()
    )  # fmt: skip
    return np.array(sorted(int(r[0]) for r in rows), dtype=np.int64)


def person_labels(conn: Connection, ids: Iterable[int]) -> dict[int, PersonLabel]:
    """Name, job title, organisation, LinkedIn key and e-mail of people by id."""
    wanted = sorted({int(i) for i in ids})
    rows: dict[int, dict[str, Any]] = {}
    for part in _chunks(wanted):
        for r in conn.execute(
            select(P.c.id, P.c.display_name, P.c.position, P.c.organisation_id).where(
                P.c.id.in_(part)
            )
        ):
            rows[int(r[0])] = {
                "name": r[1],
                "position": r[2],
                "org": r[3],
                "linkedin": None,
                "email": None,
                "department": None,
                "employee": False,
            }
        for pid, kind, value in conn.execute(
            select(PI.c.person_id, PI.c.kind, PI.c.value)
            .where(
                PI.c.person_id.in_(part),
                PI.c.kind.in_([IdentifierKind.LINKEDIN, IdentifierKind.EMAIL]),
            )
            .order_by(PI.c.id)
        ):
            field = "linkedin" if kind == IdentifierKind.LINKEDIN else "email"
            if int(pid) in rows and rows[int(pid)][field] is None:
                rows[int(pid)][field] = value
        for pid, dept, email in conn.execute(
            select(E.c.person_id, E.c.department, E.c.email).where(E.c.person_id.in_(part))
        ):
            if int(pid) in rows:
                rows[int(pid)].update(
                    department=dept, employee=True, email=email or rows[int(pid)]["email"]
                )
    return {
        pid: PersonLabel(
            pid,
            r["name"],
            r["position"],
            r["org"],
            r["linkedin"],
            r["email"],
            r["department"],
            r["employee"],
        )
        for pid, r in rows.items()
    }


def org_labels(conn: Connection, ids: Iterable[int]) -> dict[int, OrgLabel]:
    wanted = sorted({int(i) for i in ids if i is not None and int(i) >= 0})
    out: dict[int, OrgLabel] = {}
    for part in _chunks(wanted):
        for r in conn.execute(
            select(O.c.id, O.c.name, O.c.relation, O.c.country, O.c.industry).where(
                O.c.id.in_(part)
            )
        ):
            rel = None if r[2] is None else str(r[2].value if hasattr(r[2], "value") else r[2])
            out[int(r[0])] = OrgLabel(int(r[0]), r[1], rel, r[3], r[4])
    return out


def find_person(conn: Connection, query: str) -> list[int]:
    """People matching ``query``: an id, a LinkedIn URL, an e-mail, or a full name.

    Returns every match (several people may share a name); raises NotFoundError when
    there is none.
    """
    text = query.strip()
    if text.isdigit():
        found = conn.execute(select(P.c.id).where(P.c.id == int(text))).scalars().all()
    elif (key := canonical_linkedin(text)) is not None:
        found = (
            conn.execute(
                select(PI.c.person_id).where(
                    PI.c.kind == IdentifierKind.LINKEDIN, PI.c.value == key
                )
            )
            .scalars()
            .all()
        )
    elif (email := normalise_email(text)) is not None:
        found = (
            conn.execute(
                select(PI.c.person_id).where(PI.c.kind == IdentifierKind.EMAIL, PI.c.value == email)
            )
            .scalars()
            .all()
        )
        found = (
            found or conn.execute(select(E.c.person_id).where(E.c.email == email)).scalars().all()
        )
    else:
        found = (
            conn.execute(select(P.c.id).where(P.c.name_key == fold(text)).order_by(P.c.id))
            .scalars()
            .all()
        )
    if not found:
        raise NotFoundError(
            f"no person matches {query!r} (give an id, a LinkedIn URL, an e-mail or a full name)"
        )
    return sorted({int(x) for x in found})


def find_org(conn: Connection, query: str) -> int:
    """The organisation named by ``query``: an id, a web domain or a name."""
    text = query.strip()
    if text.isdigit():
        found = conn.execute(select(O.c.id).where(O.c.id == int(text))).scalars().all()
    else:
        found = []
        domain = normalise_domain(text) if "." in text and " " not in text else None
        if domain:
            found = (
                conn.execute(
                    select(A.c.organisation_id).where(A.c.kind == "domain", A.c.value == domain)
                )
                .scalars()
                .all()
            )
        if not found:
            key = org_key(text)
            found = (
                conn.execute(
                    select(A.c.organisation_id).where(A.c.kind == "name", A.c.value == key)
                )
                .scalars()
                .all()
                or conn.execute(select(O.c.id).where(O.c.key == key)).scalars().all()
            )
    ids = sorted({int(x) for x in found})
    if not ids:
        raise NotFoundError(
            f"no organisation matches {query!r} (give an id, a web domain or a name)"
        )
    if len(ids) > 1:
        names = org_labels(conn, ids)
        listed = "; ".join(f"{i}: {names[i].name}" for i in ids[:10] if i in names)
        raise ConflictError(f"{query!r} names {len(ids)} organisations ({listed}); give the id")
    return ids[0]


class Careers:
    """Jobs, current organisations and schools of some people, read in three queries, to
    say where two of them worked together ("Indra 2016-2019") and which school they share.
    """

    def __init__(self, conn: Connection, people: Iterable[int]) -> None:
        ids = sorted({int(p) for p in people})
        self.jobs: dict[int, list[tuple[int, Any, Any]]] = {}
        self.current: dict[int, int] = {}
        self.schools: dict[int, dict[str, str]] = {}
        for part in _chunks(ids):
            for pid, org, start, end in conn.execute(
                select(
                    POS.c.person_id, POS.c.organisation_id, POS.c.started_on, POS.c.finished_on
                ).where(POS.c.person_id.in_(part), POS.c.organisation_id.is_not(None))
            ):
                self.jobs.setdefault(int(pid), []).append((int(org), start, end))
            for pid, org in conn.execute(
                select(P.c.id, P.c.organisation_id).where(P.c.id.in_(part))
            ):
                if org is not None:
                    self.current[int(pid)] = int(org)
            for pid, key, name in conn.execute(
                select(EDU.c.person_id, EDU.c.school_key, EDU.c.school).where(
                    EDU.c.person_id.in_(part)
                )
            ):
                self.schools.setdefault(int(pid), {})[key] = name
        orgs = {o for jobs in self.jobs.values() for o, _, _ in jobs} | set(self.current.values())
        self.org_names = {o: label.name for o, label in org_labels(conn, orgs).items()}

    def _orgs(self, p: int) -> set[int]:
        own = {o for o, _, _ in self.jobs.get(p, [])}
        return own | ({self.current[p]} if p in self.current else set())

    def details(self, a: int, b: int) -> tuple[str | None, str | None]:
        """Where ``a`` and ``b`` worked together, and the schools they share (or None)."""
        shared = sorted(self._orgs(a) & self._orgs(b))
        work = None
        if shared:
            parts = []
            for o in shared[:3]:
                spans = [(s, e) for org, s, e in self.jobs.get(a, []) + self.jobs.get(b, [])
                         if org == o and s is not None]  # fmt: skip
                years = ""
                if spans:
                    first = min(s.year for s, _ in spans)
                    ends = [e.year for _, e in spans if e is not None]
                    open_ = any(e is None for _, e in spans)
                    years = f" {first}-{'now' if open_ or not ends else max(ends)}"
                parts.append(f"{self.org_names.get(o, f'organisation {o}')}{years}")
            work = ", ".join(parts)
        mine, theirs = self.schools.get(a, {}), self.schools.get(b, {})
        common = sorted(set(mine) & set(theirs))
        return work, (", ".join(mine[k] for k in common) if common else None)


def career_details(conn: Connection, a: int, b: int) -> tuple[str | None, str | None]:
    """Where two people worked together ("Indra 2016-2019") and the school they share."""
    return Careers(conn, [a, b]).details(a, b)


class NameIndex:
    """Every person's folded name in memory, in name order, for searching by words.

    One string holds the names one per line; a word is found with ``str.find`` (C speed)
    instead of a ``LIKE '%word%'`` scan of the person table on every search.

    >>> index = NameIndex([(1, "ana ruiz"), (2, "mariana gil"), (3, "pedro anaya")])
    >>> index.search(["ana"], 10)
    [1, 2, 3]
    >>> index.search(["ana", "gil"], 10)
    [2]
    """

    def __init__(self, rows: Iterable[tuple[int, str]]) -> None:
        ordered = sorted((str(key), int(pid)) for pid, key in rows)
        self.ids = np.array([pid for _key, pid in ordered], dtype=np.int64)
        keys = [key.replace("\n", " ") for key, _pid in ordered]
        self.text = "\n".join(keys) + "\n"
        lengths = np.fromiter((len(k) + 1 for k in keys), dtype=np.int64, count=len(keys))
        self.starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if keys else lengths

    @classmethod
    def of_store(cls, conn: Connection) -> NameIndex:
        return cls((int(i), str(k)) for i, k in conn.execute(select(P.c.id, P.c.name_key)))

    def search(self, words: list[str], limit: int) -> list[int]:
        """Ids of people whose name holds every word, in name order, at most ``limit``."""
        return list(itertools.islice(self.matches(words), limit))

    def matches(self, words: list[str]) -> Iterator[int]:
        """Ids of people whose name holds every word, in name order."""
        if not words or not len(self.ids):
            return
        first = max(words, key=len)
        text, starts, pos = self.text, self.starts, 0
        while (at := text.find(first, pos)) >= 0:
            row = int(np.searchsorted(starts, at, side="right")) - 1
            start = int(starts[row])
            end = text.index("\n", at)
            pos = end + 1
            name = text[start:end]
            if all(w in name for w in words):
                yield int(self.ids[row])
