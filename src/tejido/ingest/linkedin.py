"""Importing a LinkedIn data export into the store, in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection as SqlConnection
from sqlalchemy import update

from tejido.ingest.files import DEFAULT_MAX_BYTES, file_label
from tejido.ingest.identity import PersonMention, Resolver, strong_keys
from tejido.ingest.linkedin_files import LinkedInExport, Messages, Participant, parse_linkedin
from tejido.ingest.normalise import name_key, org_key
from tejido.ingest.owners import Owner, find_owner
from tejido.ingest.upload import Written, supersede
from tejido.store.bulk import Bulk
from tejido.store.models import (
    Person,
    UploadKind,
    table_of,
)

__all__ = ["LinkedInUpload", "prepare_linkedin"]

P = table_of(Person)


@dataclass
class LinkedInUpload:
    """A parsed LinkedIn export, ready to be written as one upload."""

    export: LinkedInExport
    employee: str | None = None
    kind: UploadKind = UploadKind.LINKEDIN
    # Computed with the parse (in the worker process of a batch), as plain columns: each
    # contact's folded name and organisation key, the message participants with their
    # folded names, and the owner's profile URL.
    name_keys: list[str] = field(init=False, repr=False)
    org_keys: list[str] = field(init=False, repr=False)
    participants: list[tuple[str | None, str | None, str]] = field(init=False, repr=False)
    own_linkedin: str | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        export = self.export
        contacts = export.contacts
        names = zip(contacts.first, contacts.last, strict=True)
        self.name_keys = [name_key(first, last) for first, last in names]
        self.org_keys = [org_key(c) for c in contacts.company]
        seen: dict[Participant, None] = {}
        for sender, recipients in zip(
            export.messages.sender, export.messages.recipients, strict=True
        ):
            seen.setdefault(sender, None)
            for person in recipients:
                seen.setdefault(person, None)
        self.participants = [(n, u, name_key(n) if n else "") for n, u in seen]
        profile = export.profile
        owner_key = name_key(profile.first, profile.last) if profile else ""
        self.own_linkedin = _own_linkedin(self.participants, export.messages, owner_key)

    def mentions(self) -> list[PersonMention]:
        """The contacts as mentions for the resolver (built where they are resolved)."""
        c = self.export.contacts
        return [
            PersonMention(
                first=first, last=last, linkedin=url, emails=(email,) if email else (),
                position=position, cached_keys=strong_keys(url, (email,) if email else ()),
                cached_name_key=key,
            )
            for first, last, url, email, position, key in zip(
                c.first, c.last, c.linkedin, c.email, c.position, self.name_keys, strict=True
            )
        ]  # fmt: skip

    @property
    def file(self) -> str:
        return self.export.file

    def write(self, conn: SqlConnection, upload_id: int, resolver: Resolver) -> Written:
        export = self.export
        owner = _owner(conn, resolver, export, self.employee, self.own_linkedin)
        counts: dict[str, Any] = {"files": sorted(export.files)}
        contacts = self.mentions()
        ids = _connections(conn, resolver, export, contacts, self.org_keys, owner, upload_id)
        counts["connections"] = len(set(ids) - {owner.person_id})
        counts["duplicate_rows"] = len(ids) - counts["connections"]
        by_name = _contacts_by_name(contacts, ids)
        counts["messages"], counts["interactions"] = _messages(
            conn, resolver, export, by_name, self.participants, owner, upload_id
        )
        counts["positions"] = _jobs(conn, resolver, export, owner, upload_id)
        counts["education"] = _schools(conn, export, owner, upload_id)
        _profile(conn, export, owner, upload_id)
        stats = resolver.stats
        counts.update(
            people_new=stats.created,
            people_matched=stats.matched_strong + stats.matched_name,
            people_matched_by_name=stats.matched_name,
            people_ambiguous=stats.ambiguous,
            organisations_new=stats.org_created,
        )
        warnings = [f"skipped {n} {reason}" for reason, n in sorted(export.skipped.items())]
        if counts["duplicate_rows"]:
            warnings.append(f"skipped {counts['duplicate_rows']} repeated connection rows")
        if stats.ambiguous:
            warnings.append(
                f"{stats.ambiguous} contacts without a profile URL matched several people "
                "by name and organisation and were kept apart"
            )
        if export.ignored:
            counts["files_ignored"] = len(export.ignored)
        superseded = supersede(conn, upload_id, UploadKind.LINKEDIN, owner.person_id, export.files)
        return Written(counts, warnings, owner, superseded)


def prepare_linkedin(
    data: bytes,
    file: str,
    *,
    employee: str | None = None,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LinkedInUpload:
    """Parse one LinkedIn export (the zip, or one of its CSV files) for writing."""
    export = parse_linkedin(data, file_label(file), encoding=encoding, max_bytes=max_bytes)
    return LinkedInUpload(export, employee)


def _owner(
    conn: SqlConnection,
    resolver: Resolver,
    export: LinkedInExport,
    employee: str | None,
    own_linkedin: str | None,
) -> Owner:
    profile = export.profile
    mention = PersonMention(
        first=profile.first if profile else None,
        last=profile.last if profile else None,
        emails=tuple(export.emails),
        x_handle=profile.x_handles[0] if profile and profile.x_handles else None,
    )
    mention.linkedin = own_linkedin
    if not (mention.first or mention.last or mention.emails or employee):
        from tejido.errors import BadInputError

        raise BadInputError(
            "cannot tell whose export this is: it has no Profile.csv or Email Addresses.csv; "
            "give the employee's e-mail (--employee)",
            file=export.file,
        )
    owner = find_owner(conn, resolver, employee=employee, emails=export.emails, mention=mention)
    # What the export says of its owner is asserted by this upload too.
    mention.organisation_id = None
    resolver.people_as(owner.person_id, mention)
    return owner


def _own_linkedin(
    participants: list[tuple[str | None, str | None, str]],
    messages: Messages,
    owner_key: str,
) -> str | None:
    """The owner's profile URL, learnt from messages they sent or received under their name."""
    if not owner_key:
        return None
    theirs = {(n, u) for n, u, key in participants if u and key == owner_key}
    if not theirs:
        return None
    seen: dict[str, int] = {}
    for sender, recipients in zip(messages.sender, messages.recipients, strict=True):
        for person in (sender, *recipients):
            if person in theirs:
                url = person[1]
                assert url is not None
                seen[url] = seen.get(url, 0) + 1
    return max(seen, key=lambda u: (seen[u], u))


_CONNECTION_COLUMNS = (
    "upload_id", "line", "kind", "source_id", "target_id", "directed", "weight",
    "connected_on", "organisation_id", "company", "position", "target_key_id",
    "target_email_id",
)  # fmt: skip
_INTERACTION_COLUMNS = (
    "upload_id", "line", "channel", "source_id", "target_id", "at", "conversation",
    "group_size", "subject", "content", "folder",
)  # fmt: skip


def _connections(
    conn: SqlConnection,
    resolver: Resolver,
    export: LinkedInExport,
    mentions: list[PersonMention],
    org_keys: list[str],
    owner: Owner,
    upload_id: int,
) -> list[int]:
    """Write the connection rows; the person each contact resolved to."""
    c = export.contacts
    if not len(c):
        return []
    orgs = resolver.organisations(c.company, keys=org_keys)
    for mention, org in zip(mentions, orgs, strict=True):
        mention.organisation_id = org
    ids, keys = resolver.people_on_rows(mentions)
    resolver.refresh(mentions, ids)
    rows = []
    source = owner.person_id
    seen = {source}
    left_out: list[int] = []  # keys of repeated rows (the owner, or a contact twice)
    for line, pid, on, org, company, position, (url, email) in zip(
        c.line, ids, c.connected_on, orgs, c.company, c.position, keys, strict=True
    ):
        if pid in seen:
            left_out.extend(k for k in (url, email) if k is not None)
            continue
        seen.add(pid)
        rows.append(
            (upload_id, line, "linkedin", source, pid, False, None, on, org, company, position,
             url, email)
        )  # fmt: skip
    if rows:
        Bulk(conn).insert("connection", _CONNECTION_COLUMNS, rows)
    resolver.stated((k for row in rows for k in row[-2:] if k is not None), left_out)
    return ids


def _messages(
    conn: SqlConnection,
    resolver: Resolver,
    export: LinkedInExport,
    by_name: dict[str, int],
    prepared: list[tuple[str | None, str | None, str]],
    owner: Owner,
    upload_id: int,
) -> tuple[int, int]:
    messages = export.messages
    if not len(messages):
        return 0, 0
    owner_key = name_key(export.profile.first, export.profile.last) if export.profile else ""
    participants: dict[tuple[str | None, str | None], int | None] = {}
    pending: list[tuple[str | None, str | None]] = []
    pending_keys: list[str] = []
    for name, url, key in prepared:
        participants[(name, url)] = None
        if url is None and key and key == owner_key:
            participants[(name, url)] = owner.person_id
        elif url is None and key in by_name:
            participants[(name, url)] = by_name[key]
        else:
            pending.append((name, url))
            pending_keys.append(key)
    mentions = [
        PersonMention(display=name, linkedin=url, cached_name_key=key)
        for (name, url), key in zip(pending, pending_keys, strict=True)
    ]
    for person, pid in zip(pending, resolver.people(mentions), strict=True):
        participants[person] = pid
    rows = []
    for line, sender_of, recipients, at, conversation, subject, content, folder in zip(
        messages.line, messages.sender, messages.recipients, messages.at,
        messages.conversation, messages.subject, messages.content, messages.folder,
        strict=True,
    ):  # fmt: skip
        sender = participants[sender_of]
        if sender is None:
            continue
        group = len(recipients)
        for recipient in recipients:
            target = participants[recipient]
            if target is None or target == sender:
                continue
            rows.append(
                (upload_id, line, "message", sender, target, at, conversation, group,
                 subject, content, folder)
            )  # fmt: skip
    if rows:
        Bulk(conn).insert("interaction", _INTERACTION_COLUMNS, rows)
    return len(messages), len(rows)


def _contacts_by_name(contacts: list[PersonMention], ids: list[int]) -> dict[str, int]:
    """This export's contacts by folded name, for messages that carry no profile URL.

    Only contacts with a profile URL (whose person is certain), and only names that one
    contact of the export bears.
    """
    counts: dict[str, int] = {}
    found: dict[str, int] = {}
    for contact, pid in zip(contacts, ids, strict=True):
        key = contact.name_key()
        counts[key] = counts.get(key, 0) + 1
        if contact.linkedin:
            found[key] = pid
    return {k: v for k, v in found.items() if counts[k] == 1}


def _jobs(
    conn: SqlConnection, resolver: Resolver, export: LinkedInExport, owner: Owner, upload_id: int
) -> int:
    if not export.jobs:
        return 0
    orgs = resolver.organisations([job.company for job in export.jobs])
    Bulk(conn).insert_dicts(
        "position",
        [
            {
                "upload_id": upload_id,
                "line": job.line,
                "person_id": owner.person_id,
                "organisation_id": org,
                "company": job.company,
                "title": job.title,
                "description": job.description,
                "location": job.location,
                "started_on": job.started_on,
                "finished_on": job.finished_on,
            }
            for job, org in zip(export.jobs, orgs, strict=True)
        ],
    )
    current = [
        (job, org)
        for job, org in zip(export.jobs, orgs, strict=True)
        if job.finished_on is None and org is not None
    ]
    if current:
        # Someone enrolled by their own export: their current job is where they work.
        job, org = max(current, key=lambda jo: jo[0].started_on or dt.date.min)
        conn.execute(
            update(P)
            .where(P.c.id == owner.person_id, P.c.organisation_id.is_(None))
            .values(organisation_id=org, position=job.title)
        )
        resolver.forget(owner.person_id)
    return len(export.jobs)


def _schools(conn: SqlConnection, export: LinkedInExport, owner: Owner, upload_id: int) -> int:
    if not export.schools:
        return 0
    Bulk(conn).insert_dicts(
        "education",
        [
            {
                "upload_id": upload_id,
                "line": school.line,
                "person_id": owner.person_id,
                "school": school.school,
                "school_key": org_key(school.school),
                "degree": school.degree,
                "start_year": school.start_year,
                "end_year": school.end_year,
            }
            for school in export.schools
        ],
    )
    return len(export.schools)


def _profile(conn: SqlConnection, export: LinkedInExport, owner: Owner, upload_id: int) -> None:
    profile = export.profile
    if profile is None:
        return
    conn.execute(
        update(P)
        .where(P.c.id == owner.person_id)
        .values(
            headline=profile.headline,
            summary=profile.summary,
            location=profile.location,
            industry=profile.industry,
            profile_upload_id=upload_id,
        )
    )
