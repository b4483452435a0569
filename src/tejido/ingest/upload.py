"""The life of an upload: duplicate detection, its record, superseding and complete erasure."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection, and_, delete, exists, insert, or_, select, update

from tejido.errors import BadInputError, NotFoundError
from tejido.ingest.identity import Memo, Resolver, chunks
from tejido.store.indexes import restore_indexes
from tejido.store.models import (
    Connection as Tie,
)
from tejido.store.models import (
    Education,
    Employee,
    IdentifierAssertion,
    Interaction,
    Organisation,
    Person,
    PersonIdentifier,
    Position,
    ShareEvent,
    Upload,
    UploadKind,
    UploadStatus,
    table_of,
)

if TYPE_CHECKING:
    from tejido.ingest.owners import Owner

__all__ = [
    "ImportResult",
    "Prepared",
    "Written",
    "erase_upload",
    "find_duplicate",
    "read_upload",
    "record_upload",
    "supersede",
    "write_upload",
]

U = table_of(Upload)
P = table_of(Person)
O = table_of(Organisation)
T = table_of(Tie)
I = table_of(Interaction)
POS = table_of(Position)
EDU = table_of(Education)
EMP = table_of(Employee)
PI = table_of(PersonIdentifier)
IA = table_of(IdentifierAssertion)
SE = table_of(ShareEvent)


@dataclass
class ImportResult:
    """What one upload did to the store."""

    kind: str
    file: str
    upload_id: int
    status: str  # "imported", or "unchanged" when the same file was imported before
    owner: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    superseded: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "upload_id": self.upload_id,
            "status": self.status,
            "owner": self.owner,
            "counts": self.counts,
            "warnings": self.warnings,
            "superseded": self.superseded,
        }


@dataclass
class Written:
    """What an importer's write step reports back."""

    counts: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    owner: Owner | None = None
    superseded: list[int] = field(default_factory=list)


class Prepared(Protocol):
    """A parsed upload, ready to be written: parsing never touches the store."""

    @property
    def kind(self) -> UploadKind: ...

    @property
    def file(self) -> str: ...

    def write(self, conn: Connection, upload_id: int, resolver: Resolver) -> Written: ...


def write_upload(
    conn: Connection,
    prepared: Prepared,
    sha256: str,
    *,
    uploaded_by: str | None = None,
    memo: Memo | None = None,
) -> ImportResult:
    """Write one parsed upload inside the caller's transaction (or savepoint).

    The same bytes imported before are recognised and change nothing.
    """
    kind = prepared.kind.value
    duplicate = find_duplicate(conn, prepared.kind, sha256)
    if duplicate is not None:
        counts = {k: v for k, v in dict(duplicate.counts).items() if isinstance(v, int)}
        return ImportResult(kind, prepared.file, duplicate.id, "unchanged", counts=counts)
    upload_id = record_upload(conn, prepared.kind, prepared.file, sha256, uploaded_by=uploaded_by)
    written = prepared.write(conn, upload_id, Resolver(conn, upload_id, memo=memo))
    if written.owner is not None:
        conn.execute(
            update(U).where(U.c.id == upload_id).values(owner_person_id=written.owner.person_id)
        )
    if written.superseded and memo is not None:
        memo.clear()  # superseding erased people and organisations the memo may hold
    finish_upload(conn, upload_id, written.counts, written.warnings)
    return ImportResult(
        kind,
        prepared.file,
        upload_id,
        "imported",
        owner=written.owner.name if written.owner else None,
        counts={k: v for k, v in written.counts.items() if isinstance(v, int)},
        warnings=written.warnings,
        superseded=written.superseded,
    )


def read_upload(path: Path | str, max_bytes: int) -> tuple[bytes, str]:
    """The bytes of an uploaded file and their SHA-256."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BadInputError(
                f"{size:,} bytes, over the upload limit of {max_bytes:,}", file=path.name
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadInputError("is a folder, not a file", file=str(path)) from None
    except PermissionError:
        raise BadInputError("cannot be read (permission denied)", file=str(path)) from None
    return data, hashlib.sha256(data).hexdigest()


def find_duplicate(conn: Connection, kind: UploadKind, sha256: str) -> Any | None:
    """The active upload of the same kind with the same bytes, if any."""
    return conn.execute(
        select(U.c.id, U.c.owner_person_id, U.c.counts, U.c.filename).where(
            U.c.kind == kind, U.c.sha256 == sha256, U.c.status == UploadStatus.ACTIVE
        )
    ).first()


def record_upload(
    conn: Connection,
    kind: UploadKind,
    file: str,
    sha256: str,
    *,
    owner_person_id: int | None = None,
    uploaded_by: str | None = None,
) -> int:
    return int(
        conn.execute(
            insert(U).returning(U.c.id),
            {
                "kind": kind,
                "filename": file[:1024],
                "sha256": sha256,
                "owner_person_id": owner_person_id,
                "uploaded_by": uploaded_by,
                "status": UploadStatus.ACTIVE,
                "counts": {},
                "warnings": {},
            },
        ).scalar_one()
    )


def finish_upload(
    conn: Connection, upload_id: int, counts: dict[str, Any], warnings: list[str]
) -> None:
    conn.execute(
        update(U)
        .where(U.c.id == upload_id)
        .values(counts=counts, warnings={"messages": warnings[:200]})
    )


def supersede(
    conn: Connection, upload_id: int, kind: UploadKind, owner: int, files: Iterable[str]
) -> list[int]:
    """Retire the owner's earlier uploads whose files the new upload covers; erase their facts."""
    covered = set(files)
    earlier = conn.execute(
        select(U.c.id, U.c.counts).where(
            U.c.kind == kind,
            U.c.owner_person_id == owner,
            U.c.status == UploadStatus.ACTIVE,
            U.c.id != upload_id,
        )
    ).all()
    retired = [uid for uid, counts in earlier if set(counts.get("files", [])) <= covered]
    for uid in retired:
        erase_upload(conn, uid, keep_record=True)
    return retired


def erase_upload(conn: Connection, upload_id: int, *, keep_record: bool = False) -> dict[str, int]:
    """Delete every fact an upload asserted, and the people and organisations only it named.

    Connections, interactions, share-log rows, positions, schools and key assertions go;
    so do keys no other upload asserts, profile fields it gave, CRM fields it set,
    employees that only it listed or enrolled, and then every person and organisation
    nothing refers to any more (share-log rows do not keep a person: they go with them).
    With ``keep_record`` the upload row stays, marked superseded (history); otherwise it
    goes too.
    """
    kind = conn.execute(select(U.c.kind).where(U.c.id == upload_id)).scalar()
    if kind is None:
        raise NotFoundError(f"upload {upload_id} does not exist")
    # Finding what names a person is an index probe only with the indexes in place.
    restore_indexes(conn)
    people = _people_named_by(conn, upload_id)
    vouched = (EMP.c.roster_upload_id == upload_id) | (EMP.c.enrolled_upload_id == upload_id)
    people.update(conn.execute(select(EMP.c.person_id).where(vouched)).scalars())
    orgs = _organisations_named_by(conn, upload_id, people)
    keys = set(
        conn.execute(select(IA.c.identifier_id).where(IA.c.upload_id == upload_id)).scalars()
    )
    for column in (T.c.target_key_id, T.c.target_email_id):
        stated = select(column).where(T.c.upload_id == upload_id, column.is_not(None))
        keys.update(conn.execute(stated).scalars())
    counts = {}
    for name, table in (
        ("connections", T),
        ("interactions", I),
        ("shares", SE),
        ("positions", POS),
        ("education", EDU),
        ("identifier_assertions", IA),
    ):
        counts[name] = conn.execute(delete(table).where(table.c.upload_id == upload_id)).rowcount
    # Keys that no upload states any more go too.
    counts["identifiers"] = 0
    for part in chunks(sorted(keys)):
        counts["identifiers"] += conn.execute(
            delete(PI).where(
                PI.c.id.in_(part),
                ~exists().where(IA.c.identifier_id == PI.c.id),
                ~exists().where(T.c.target_key_id == PI.c.id),
                ~exists().where(T.c.target_email_id == PI.c.id),
            )
        ).rowcount
    conn.execute(
        update(P)
        .where(P.c.profile_upload_id == upload_id)
        .values(headline=None, summary=None, location=None, industry=None, profile_upload_id=None)
    )
    conn.execute(
        update(EMP).where(EMP.c.roster_upload_id == upload_id).values(roster_upload_id=None)
    )
    conn.execute(
        update(EMP).where(EMP.c.enrolled_upload_id == upload_id).values(enrolled_upload_id=None)
    )
    conn.execute(
        update(O)
        .where(O.c.crm_upload_id == upload_id)
        .values(relation=None, country=None, industry=None, crm_id=None, crm_upload_id=None)
    )
    if kind == UploadKind.ROSTER:
        other_rosters = select(U.c.id).where(U.c.kind == UploadKind.ROSTER, U.c.id != upload_id)
        if conn.execute(other_rosters.limit(1)).first() is None:
            conn.execute(update(O).where(O.c.is_ours.is_(True)).values(is_ours=False))
    if keep_record:
        conn.execute(update(U).where(U.c.id == upload_id).values(status=UploadStatus.SUPERSEDED))
    else:
        conn.execute(delete(U).where(U.c.id == upload_id))
    # Employees that no roster lists, no upload enrolled and who own no upload are gone.
    owns = exists().where(U.c.owner_person_id == EMP.c.person_id, U.c.id != upload_id)
    counts["employees"] = conn.execute(
        delete(EMP).where(
            EMP.c.roster_upload_id.is_(None), EMP.c.enrolled_upload_id.is_(None), ~owns
        )
    ).rowcount
    counts["people"] = prune_people(conn, people)
    counts["organisations"] = prune_organisations(conn, orgs)
    return counts


def _people_named_by(conn: Connection, upload_id: int) -> set[int]:
    people: set[int] = set()
    for table, columns in (
        (T, (T.c.source_id, T.c.target_id)),
        (I, (I.c.source_id, I.c.target_id)),
        (SE, (SE.c.person_id,)),
        (POS, (POS.c.person_id,)),
        (EDU, (EDU.c.person_id,)),
    ):
        for column in columns:
            people.update(
                conn.execute(select(column).where(table.c.upload_id == upload_id).distinct())
                .scalars()
                .all()
            )
    asserted = select(IA.c.identifier_id).where(IA.c.upload_id == upload_id)
    people.update(
        conn.execute(select(PI.c.person_id).where(PI.c.id.in_(asserted)).distinct()).scalars()
    )
    owner = conn.execute(select(U.c.owner_person_id).where(U.c.id == upload_id)).scalar()
    if owner is not None:
        people.add(owner)
    return people


def _organisations_named_by(conn: Connection, upload_id: int, people: set[int]) -> set[int]:
    orgs: set[int] = set()
    for column in (T.c.organisation_id, POS.c.organisation_id):
        orgs.update(
            conn.execute(
                select(column).where(column.table.c.upload_id == upload_id).distinct()
            ).scalars()
        )
    orgs.update(conn.execute(select(O.c.id).where(O.c.crm_upload_id == upload_id)).scalars())
    orgs.update(conn.execute(select(O.c.id).where(O.c.is_ours.is_(True))).scalars())
    for part in chunks(sorted(people)):
        orgs.update(
            conn.execute(select(P.c.organisation_id).where(P.c.id.in_(part)).distinct()).scalars()
        )
    orgs.discard(None)
    return orgs


def prune_people(conn: Connection, candidates: Iterable[int]) -> int:
    """Delete the candidates that nothing refers to any more; refresh the survivors."""
    pid = P.c.id
    referenced = or_(
        exists().where(T.c.source_id == pid),
        exists().where(T.c.target_id == pid),
        exists().where(I.c.source_id == pid),
        exists().where(I.c.target_id == pid),
        exists().where(EMP.c.person_id == pid),
        exists().where(POS.c.person_id == pid),
        exists().where(EDU.c.person_id == pid),
        exists().where(U.c.owner_person_id == pid),
    )
    removed = 0
    survivors: list[int] = []
    for part in chunks(sorted(candidates)):
        removed += conn.execute(delete(P).where(pid.in_(part), ~referenced)).rowcount
        survivors.extend(conn.execute(select(pid).where(pid.in_(part))).scalars())
    _refresh_current_jobs(conn, survivors)
    return removed


def _refresh_current_jobs(conn: Connection, person_ids: list[int]) -> None:
    """A person's organisation and position: as the newest remaining upload states them.

    When no remaining upload states them, they are cleared (an employee keeps the
    organisation the roster gave, and loses only the position a colleague's export said).
    """
    for part in chunks(person_ids):
        rows = conn.execute(
            select(T.c.target_id, T.c.organisation_id, T.c.position)
            .where(
                T.c.target_id.in_(part),
                T.c.organisation_id.is_not(None) | T.c.position.is_not(None),
            )
            .order_by(T.c.target_id, T.c.upload_id.desc())
        ).all()
        latest: dict[int, tuple[int | None, str | None]] = {}
        for target, org, position in rows:
            latest.setdefault(target, (org, position))
        staff = set(
            conn.execute(select(EMP.c.person_id).where(EMP.c.person_id.in_(part))).scalars()
        )
        for target in part:
            org, position = latest.get(target, (None, None))
            values: dict[str, Any] = {"position": position}
            if target not in staff:
                values["organisation_id"] = org
            conn.execute(update(P).where(P.c.id == target).values(**values))


def prune_organisations(conn: Connection, candidates: Iterable[int]) -> int:
    """Delete organisations that no person, tie, job or CRM account refers to any more."""
    oid = O.c.id
    unused = and_(
        ~exists().where(P.c.organisation_id == oid),
        ~exists().where(T.c.organisation_id == oid),
        ~exists().where(POS.c.organisation_id == oid),
        O.c.crm_upload_id.is_(None),
        O.c.is_ours.is_(False),
    )
    removed = 0
    for part in chunks(sorted(candidates)):
        removed += conn.execute(delete(O).where(oid.in_(part), unused)).rowcount
    return removed
