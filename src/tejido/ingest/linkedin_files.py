"""Parsing a LinkedIn data export ("Get a copy of your data"): the zip or its CSV files alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from tejido.errors import BadInputError
from tejido.ingest.files import DEFAULT_MAX_BYTES, Archive, Table, decode, read_table
from tejido.ingest.normalise import canonical_linkedin, normalise_email
from tejido.ingest.values import month_year, parse_day_month_year, utc_timestamp_text, year
from tejido.ingest.wire import pack_columns, pack_ints, unpack_columns, unpack_ints

__all__ = [
    "MEMBERS",
    "Contacts",
    "LinkedInExport",
    "Messages",
    "parse_linkedin",
]


@dataclass
class Contacts:
    """Connections.csv as columns, one entry per contact.

    Columns of plain values, not one object per row: a salesperson's export has
    thousands of rows, and a batch ships every parsed export from its worker process,
    where rebuilding an object per row cost more than writing the row. Dates are ISO
    text (``2019-10-03``), as the store writes them.
    """

    line: list[int] = field(default_factory=list)
    first: list[str | None] = field(default_factory=list)
    last: list[str | None] = field(default_factory=list)
    linkedin: list[str | None] = field(default_factory=list)  # canonical profile path
    email: list[str | None] = field(default_factory=list)
    company: list[str | None] = field(default_factory=list)
    position: list[str | None] = field(default_factory=list)
    connected_on: list[str | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.line)

    # Pickled compactly (see tejido.ingest.wire): a batch ships every export this way.
    _TEXT: ClassVar[tuple[str, ...]] = (
        "first",
        "last",
        "linkedin",
        "email",
        "company",
        "position",
        "connected_on",
    )

    def __getstate__(self) -> dict[str, Any]:
        return pack_columns(self, self._TEXT, ("line",))

    def __setstate__(self, state: dict[str, Any]) -> None:
        unpack_columns(self, state, ("line",))


Participant = tuple[str | None, str | None]  # (name, canonical LinkedIn path)


@dataclass
class Messages:
    """messages.csv as columns, one entry per message; times are ISO text in UTC."""

    line: list[int] = field(default_factory=list)
    conversation: list[str | None] = field(default_factory=list)
    title: list[str | None] = field(default_factory=list)
    sender: list[Participant] = field(default_factory=list)
    recipients: list[list[Participant]] = field(default_factory=list)
    at: list[str | None] = field(default_factory=list)
    subject: list[str | None] = field(default_factory=list)
    content: list[str | None] = field(default_factory=list)
    folder: list[str | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.line)

    # Pickled compactly (see tejido.ingest.wire): participants as numbers into a list of
    # the distinct ones, and each message's recipients as the number of its group (the
    # parse shares one list between the messages of a conversation, and so does this).
    _TEXT: ClassVar[tuple[str, ...]] = (
        "conversation",
        "title",
        "at",
        "subject",
        "content",
        "folder",
    )

    def __getstate__(self) -> dict[str, Any]:
        state = pack_columns(self, self._TEXT, ("line",))
        number: dict[Participant, int] = {}
        state["sender"] = pack_ints([number.setdefault(p, len(number)) for p in self.sender])
        groups: dict[int, int] = {}
        members: list[int] = []
        sizes: list[int] = []
        of_message = []
        for group in self.recipients:
            if id(group) not in groups:
                groups[id(group)] = len(sizes)
                members.extend(number.setdefault(p, len(number)) for p in group)
                sizes.append(len(group))
            of_message.append(groups[id(group)])
        state["recipients"] = pack_ints(of_message)
        state["members"] = pack_ints(members)
        state["sizes"] = pack_ints(sizes)
        state["who"] = list(number)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        who: list[Participant] = state.pop("who")
        sender, of_message, members, sizes = (
            unpack_ints(state.pop(k)) for k in ("sender", "recipients", "members", "sizes")
        )
        unpack_columns(self, state, ("line",))
        self.sender = [who[i] for i in sender]
        groups = []
        start = 0
        for size in sizes:
            groups.append([who[i] for i in members[start : start + size]])
            start += size
        self.recipients = [groups[g] for g in of_message]


@dataclass(slots=True)
class Job:
    line: int
    company: str
    title: str | None
    description: str | None
    location: str | None
    started_on: dt.date | None
    finished_on: dt.date | None


@dataclass(slots=True)
class School:
    line: int
    school: str
    degree: str | None
    start_year: int | None
    end_year: int | None


@dataclass(slots=True)
class Profile:
    first: str | None
    last: str | None
    headline: str | None
    summary: str | None
    industry: str | None
    location: str | None
    x_handles: list[str]


@dataclass
class LinkedInExport:
    """Everything Tejido reads from one export; the rest of the zip is ignored."""

    file: str
    files: list[str] = field(default_factory=list)  # members read, canonical names
    ignored: list[str] = field(default_factory=list)
    contacts: Contacts = field(default_factory=Contacts)
    messages: Messages = field(default_factory=Messages)
    jobs: list[Job] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    profile: Profile | None = None
    emails: list[str] = field(default_factory=list)  # the owner's, primary first
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n


# Canonical member name -> (columns with their alternative spellings, required columns).
MEMBERS: dict[str, tuple[dict[str, tuple[str, ...]], tuple[str, ...]]] = {
    "Connections.csv": (
        {
            "First Name": ("Nombre", "Prénom", "Vorname"),
            "Last Name": ("Apellidos", "Nom", "Nachname"),
            "URL": ("Profile URL",),
            "Email Address": ("E-mail Address", "Email"),
            "Company": ("Empresa",),
            "Position": ("Cargo",),
            "Connected On": ("Fecha de conexión",),
        },
        ("First Name", "Last Name", "Connected On"),
    ),
    "messages.csv": (
        {
            "CONVERSATION ID": (),
            "CONVERSATION TITLE": (),
            "FROM": (),
            "SENDER PROFILE URL": (),
            "TO": (),
            "RECIPIENT PROFILE URLS": (),
            "DATE": (),
            "SUBJECT": (),
            "CONTENT": (),
            "FOLDER": (),
        },
        ("FROM", "TO", "DATE", "CONTENT"),
    ),
    "Positions.csv": (
        {
            "Company Name": (),
            "Title": (),
            "Description": (),
            "Location": (),
            "Started On": (),
            "Finished On": (),
        },
        ("Company Name", "Title", "Started On"),
    ),
    "Education.csv": (
        {
            "School Name": (),
            "Start Date": (),
            "End Date": (),
            "Degree Name": (),
        },
        ("School Name", "Start Date"),
    ),
    "Profile.csv": (
        {
            "First Name": (),
            "Last Name": (),
            "Headline": (),
            "Summary": (),
            "Industry": (),
            "Geo Location": ("Location",),
            "Twitter Handles": (),
        },
        ("First Name", "Last Name", "Headline"),
    ),
    "Email Addresses.csv": (
        {"Email Address": (), "Primary": (), "Confirmed": ()},
        ("Email Address", "Primary"),
    ),
}


def parse_linkedin(
    data: bytes,
    file: str,
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LinkedInExport:
    """Read an export zip, or one of its CSV files alone, into records.

    Pure parsing: nothing touches the store, so a bad file changes nothing.
    """
    export = LinkedInExport(file=file)
    if data[:4] == b"PK\x03\x04" or file.lower().endswith(".zip"):
        archive = Archive(data, file, max_bytes=max_bytes)
        wanted = {}
        for member in MEMBERS:
            stored = archive.find(member)
            if stored is not None:
                wanted[member] = stored
        export.ignored = sorted(set(archive.names()) - set(wanted.values()))
        if not wanted:
            raise BadInputError(
                "no LinkedIn export files inside (expected Connections.csv, messages.csv, "
                "Positions.csv, Education.csv, Profile.csv or Email Addresses.csv)",
                file=file,
            )
        for member, stored in wanted.items():
            label = archive.label(stored)
            _parse_member(export, member, decode(archive.read(stored), label, encoding), label)
    else:
        text = decode(data, file, encoding)
        _parse_member(export, _member_named(file) or _member_by_header(text, file), text, file)
    return export


def _member_named(file: str) -> str | None:
    base = file.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return next((m for m in MEMBERS if m.lower() == base), None)


def _member_by_header(text: str, file: str) -> str:
    for member, (columns, required) in MEMBERS.items():
        try:
            read_table(text, file, columns, required=required, scan_lines=20)
        except BadInputError:
            continue
        return member
    raise BadInputError(
        "not a file of a LinkedIn export (no Connections.csv, messages.csv, Positions.csv, "
        "Education.csv, Profile.csv or Email Addresses.csv header found)",
        file=file,
    )


def _parse_member(export: LinkedInExport, member: str, text: str, label: str) -> None:
    columns, required = MEMBERS[member]
    table = read_table(text, label, columns, required=required)
    export.files.append(member)
    parse = _PARSERS[member]
    parse(export, table)


def _contacts(export: LinkedInExport, table: Table) -> None:
    firsts, lasts = table.texts("First Name", 256), table.texts("Last Name", 256)
    urls, emails = table.texts("URL", 1024), table.texts("Email Address", 320)
    companies, positions = table.texts("Company"), table.texts("Position")
    dates = table.texts("Connected On", 40)
    out = export.contacts
    for i, line in enumerate(table.lines):
        url = urls[i]
        linkedin = canonical_linkedin(url) if url else None
        if url and linkedin is None:
            raise table.error(i, "URL", f"{url[:80]!r} is not a LinkedIn profile URL")
        if not (firsts[i] or lasts[i] or linkedin):
            export.skip("connection rows without a name or URL")
            continue
        try:
            connected_on = parse_day_month_year(dates[i])
        except ValueError as exc:
            raise table.error(i, "Connected On", str(exc)) from None
        email = emails[i]
        out.line.append(line)
        out.first.append(firsts[i])
        out.last.append(lasts[i])
        out.linkedin.append(linkedin)
        out.email.append(normalise_email(email) if email else None)
        out.company.append(companies[i])
        out.position.append(positions[i])
        out.connected_on.append(connected_on.isoformat() if connected_on else None)


def _split_people(names: str | None, urls: str | None) -> list[Participant]:
    """Group recipients: names and profile URLs are comma-joined in the same order."""
    url_list = [u.strip() for u in urls.split(",") if u.strip()] if urls else []
    if not url_list:
        return [(n.strip(), None) for n in names.split(",") if n.strip()] if names else []
    if len(url_list) == 1:
        return [(names or None, canonical_linkedin(url_list[0]))]
    name_list: list[str | None] = [n.strip() or None for n in names.split(",")] if names else []
    if len(name_list) != len(url_list):
        # A name with a comma in it: keep the URLs, which are unambiguous.
        name_list = [None] * len(url_list)
    return [(n, canonical_linkedin(u)) for n, u in zip(name_list, url_list, strict=True)]


def _messages(export: LinkedInExport, table: Table) -> None:
    senders, sender_urls = table.texts("FROM"), table.texts("SENDER PROFILE URL", 1024)
    recipients, recipient_urls = (
        table.texts("TO", 65536),
        table.texts("RECIPIENT PROFILE URLS", 1 << 20),
    )
    conversations, titles = (
        table.texts("CONVERSATION ID", 256),
        table.texts("CONVERSATION TITLE", 1024),
    )
    dates, subjects = table.texts("DATE", 40), table.texts("SUBJECT", 4096)
    contents, folders = table.texts("CONTENT", 1 << 20), table.texts("FOLDER", 64)
    # A conversation repeats its sender and recipients on every message: split each once.
    split: dict[tuple[str | None, str | None], list[Participant]] = {}
    for i, line in enumerate(table.lines):
        pair = (senders[i], sender_urls[i])
        sender = split.get(pair)
        if sender is None:
            sender = split[pair] = _split_people(*pair)
        pair = (recipients[i], recipient_urls[i])
        to = split.get(pair)
        if to is None:
            to = split[pair] = _split_people(*pair)
        if not sender or not to:
            export.skip("messages without a sender or recipient")
            continue
        try:
            at = utc_timestamp_text(dates[i])
        except ValueError as exc:
            raise table.error(i, "DATE", str(exc)) from None
        out = export.messages
        out.line.append(line)
        out.conversation.append(conversations[i])
        out.title.append(titles[i])
        out.sender.append(sender[0])
        out.recipients.append(to)
        out.at.append(at)
        out.subject.append(subjects[i])
        out.content.append(contents[i])
        out.folder.append(folders[i])


def _jobs(export: LinkedInExport, table: Table) -> None:
    for row in table.rows():
        company = row.text("Company Name")
        if company is None:
            export.skip("positions without a company")
            continue
        export.jobs.append(
            Job(
                line=row.line,
                company=company,
                title=row.text("Title"),
                description=row.text("Description", 65536),
                location=row.text("Location"),
                started_on=month_year(row, "Started On"),
                finished_on=month_year(row, "Finished On"),
            )
        )


def _schools(export: LinkedInExport, table: Table) -> None:
    for row in table.rows():
        school = row.text("School Name")
        if school is None:
            export.skip("education without a school")
            continue
        export.schools.append(
            School(
                line=row.line,
                school=school,
                degree=row.text("Degree Name"),
                start_year=year(row, "Start Date"),
                end_year=year(row, "End Date"),
            )
        )


def _profile(export: LinkedInExport, table: Table) -> None:
    if not len(table):
        return
    row = table.row(0)
    handles = (row.text("Twitter Handles", 1024) or "").strip("[]")
    export.profile = Profile(
        first=row.text("First Name", 256),
        last=row.text("Last Name", 256),
        headline=row.text("Headline", 4096),
        summary=row.text("Summary", 65536),
        industry=row.text("Industry", 256),
        location=row.text("Geo Location"),
        x_handles=[h.strip().lstrip("@").lower() for h in handles.split(",") if h.strip()],
    )


def _emails(export: LinkedInExport, table: Table) -> None:
    primary: list[str] = []
    others: list[str] = []
    for row in table.rows():
        email = normalise_email(row.text("Email Address", 320))
        if email is None:
            continue
        is_primary = (row.text("Primary", 16) or "").lower() in {"yes", "sí", "si", "true"}
        (primary if is_primary else others).append(email)
    export.emails = primary + others


_PARSERS = {
    "Connections.csv": _contacts,
    "messages.csv": _messages,
    "Positions.csv": _jobs,
    "Education.csv": _schools,
    "Profile.csv": _profile,
    "Email Addresses.csv": _emails,
}
