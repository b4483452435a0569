"""Importing a share log: who shared (liked, commented on, clicked) which post, and when.

A share log is what an advocacy tool, a company page's analytics or an X export writes:
one row per person and post, with the time. People are named by a key the store already
knows (a LinkedIn profile URL, an e-mail, an X handle or X account id) and are found
through the identity resolver; a share log creates nobody. Rows naming someone the store
does not know are skipped and counted (the log of a public post names many people outside
the company's map), with a warning that gives their first lines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from tejido.ingest.files import DEFAULT_MAX_BYTES, Row, decode, file_label, gunzip, read_table
from tejido.ingest.identity import Resolver
from tejido.ingest.normalise import canonical_linkedin, fold, normalise_email
from tejido.ingest.upload import Written
from tejido.store.bulk import Bulk
from tejido.store.models import IdentifierKind, UploadKind

__all__ = ["ACTIONS", "COLUMNS", "SharesUpload", "parse_time", "person_key", "prepare_shares"]

# Canonical field -> header spellings (LinkedIn, X and advocacy tools' exports, Spanish).
COLUMNS: dict[str, tuple[str, ...]] = {
    "post": (
        "Post", "Post ID", "Post URL", "Post URN", "Activity", "Activity URN", "Share URN",
        "URN", "Tweet ID", "Tweet", "Content ID", "Publicación", "ID de publicación",
    ),
    "person": (
        "Person", "Profile", "Profile URL", "LinkedIn URL", "Member", "Member URL", "User",
        "Actor", "Handle", "Username", "Screen Name", "Email", "E-mail", "User ID",
        "Account", "Persona", "Perfil", "Usuario",
    ),
    "action": ("Action", "Event", "Event Type", "Type", "Interaction", "Acción", "Evento",
               "Tipo"),
    "at": (
        "Time", "Timestamp", "Date", "Date Time", "Datetime", "Created At", "Shared At",
        "When", "Fecha", "Hora", "Fecha y hora",
    ),
}  # fmt: skip

# What each written action means; folded spellings. A row without an action is a share.
ACTIONS: dict[str, str] = {
    **dict.fromkeys(
        ("share", "shared", "reshare", "reshared", "repost", "reposted", "retweet",
         "retweeted", "rt", "quote", "quoted", "post", "posted", "compartir", "compartido",
         "compartio", "publicar", "publicado", "difundir"),
        "share",
    ),
    **dict.fromkeys(
        ("like", "liked", "reaction", "react", "favorite", "favourite", "fav", "me gusta",
         "reaccion"),
        "like",
    ),
    **dict.fromkeys(
        ("comment", "commented", "reply", "replied", "comentario", "comentar", "respuesta"),
        "comment",
    ),
    **dict.fromkeys(("click", "clicked", "clic", "link click", "clics"), "click"),
}  # fmt: skip

_HANDLE = re.compile(r"@([A-Za-z0-9_]{1,15})")
_X_URL = re.compile(r"(?:https?://)?(?:www\.|mobile\.)?(?:x|twitter)\.com/([A-Za-z0-9_]{1,15})/?",
                    re.IGNORECASE)  # fmt: skip
_X_ID = re.compile(r"\d{1,20}")
_EPOCH = re.compile(r"\d{9,13}(?:\.\d+)?")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
_NOT_A_HANDLE = {"i", "home", "search", "intent", "share", "hashtag", "explore"}


def person_key(value: str) -> tuple[str, str] | None:
    """The strong key a share log's person cell names, or None when it names none.

    >>> person_key("https://es.linkedin.com/in/Ana-Ruiz/")
    ('linkedin', 'in/ana-ruiz')
    >>> person_key("Ana.Ruiz@Acme.example"), person_key("@AnaRuiz"), person_key("12345")
    (('email', 'ana.ruiz@acme.example'), ('x_handle', 'anaruiz'), ('x_id', '12345'))
    >>> person_key("https://x.com/anaruiz"), person_key("Ana Ruiz")
    (('x_handle', 'anaruiz'), None)
    """
    value = value.strip()
    if (linkedin := canonical_linkedin(value)) is not None:
        return IdentifierKind.LINKEDIN.value, linkedin
    if (email := normalise_email(value)) is not None:
        return IdentifierKind.EMAIL.value, email
    if m := _HANDLE.fullmatch(value):
        return IdentifierKind.X_HANDLE.value, m.group(1).lower()
    if (m := _X_URL.fullmatch(value)) and m.group(1).lower() not in _NOT_A_HANDLE:
        return IdentifierKind.X_HANDLE.value, m.group(1).lower()
    if _X_ID.fullmatch(value):
        return IdentifierKind.X_ID.value, value
    return None


def parse_time(value: str) -> dt.datetime:
    """A share's time as a naive UTC datetime; ValueError when it is not one.

    ISO 8601 with a time of day (``2026-03-13T09:18:54Z``, offsets such as ``+01:00``,
    fractions of a second), LinkedIn's ``2026-03-13 09:18:54 UTC``, or Unix time in
    seconds or milliseconds. A date without a time is refused: the order of shares within
    a day is what learning needs.

    >>> parse_time("2026-03-13T10:18:54+01:00"), parse_time("2026-03-13 09:18:54 UTC")
    (datetime.datetime(2026, 3, 13, 9, 18, 54), datetime.datetime(2026, 3, 13, 9, 18, 54))
    >>> parse_time("1773393534")
    datetime.datetime(2026, 3, 13, 9, 18, 54)
    """
    text = value.strip()
    if _EPOCH.fullmatch(text):
        seconds = float(text)
        if seconds >= 1e11:  # milliseconds
            seconds /= 1000.0
        return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)
    if not _ISO.match(text):
        raise ValueError("no time of day")
    if text.endswith(" UTC"):
        text = text[:-4]
    when = dt.datetime.fromisoformat(text)  # Z, offsets and fractions since Python 3.11
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when


@dataclass
class SharesUpload:
    """A parsed share log, ready to be written as one upload."""

    file: str
    lines: list[int]
    posts: list[str]
    keys: list[tuple[str, str]]
    written: list[str]  # the person cell as the file wrote it (for warnings)
    actions: list[str]
    times: list[dt.datetime]
    kind: UploadKind = UploadKind.SHARES
    warnings: list[str] = field(default_factory=list)

    def write(self, conn: Connection, upload_id: int, resolver: Resolver) -> Written:
        people = resolver.lookup(self.keys)
        first: dict[tuple[str, int, str], int] = {}  # (post, person, action) -> row kept
        unknown: list[int] = []
        repeated = 0
        for i, pid in enumerate(people):
            if pid is None:
                unknown.append(i)
                continue
            key = (self.posts[i], pid, self.actions[i])
            kept = first.get(key)
            if kept is None:
                first[key] = i
                continue
            repeated += 1
            if self.times[i] < self.times[kept]:  # the earliest row of a repeat is the share
                first[key] = i
        rows = [
            (upload_id, self.lines[i], post, pid, action, self.times[i].isoformat(" "))
            for (post, pid, action), i in sorted(first.items(), key=lambda item: item[1])
        ]
        Bulk(conn).insert("share_event", ("upload_id", "line", "post", "person_id", "action",
                                          "at"), rows)  # fmt: skip
        warnings = list(self.warnings)
        if unknown:
            shown = ", ".join(f"line {self.lines[i]} ({self.written[i][:80]!r})"
                              for i in unknown[:3])  # fmt: skip
            warnings.append(
                f"skipped {len(unknown)} rows naming people the store does not know (first: "
                f"{shown}); import the exports that name them, then this log again"
            )
        if repeated:
            warnings.append(
                f"skipped {repeated} repeated rows (same post, person and action; the earliest "
                "is kept)"
            )
        counts: dict[str, Any] = {
            "rows": len(self.lines),
            "shares": len(rows),
            "posts": len({post for post, _pid, _action in first}),
            "people": len({pid for _post, pid, _action in first}),
            "unknown_people_skipped": len(unknown),
            "repeated_rows_skipped": repeated,
        }
        return Written(counts, warnings)


def _cell(row: Row, name: str, max_len: int) -> str:
    value = row.text(name, max_len)
    if value is None:
        raise row.error(name, f"a share needs its {_WHAT[name]}")
    return value


_WHAT = {"post": "post", "person": "person", "at": "time"}


def prepare_shares(
    data: bytes,
    file: str,
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> SharesUpload:
    """Parse a share log CSV (columns post, person, time and optionally action)."""
    file = file_label(file)
    table = read_table(
        decode(gunzip(data, file, max_bytes=max_bytes), file, encoding),
        file,
        COLUMNS,
        required=("post", "person", "at"),
    )
    parsed = SharesUpload(file, [], [], [], [], [], [])
    for row in table.rows():
        post = _cell(row, "post", 256)
        written = _cell(row, "person", 512)
        key = person_key(written)
        if key is None:
            raise row.error(
                "person",
                f"{written[:80]!r} is not a LinkedIn profile URL, an e-mail, an X handle "
                "(@name) or an X account id",
            )
        raw_action = row.text("action", 32)
        action = "share" if raw_action is None else ACTIONS.get(fold(raw_action))
        if action is None:
            raise row.error(
                "action",
                f"{raw_action!r} is not an action Tejido knows (share, like, comment, click, "
                "or their usual spellings)",
            )
        raw_time = _cell(row, "at", 64)
        try:
            when = parse_time(raw_time)
        except (ValueError, OverflowError):
            raise row.error(
                "at",
                f"{raw_time!r} is not a time like '2026-03-13T09:18:54Z' (ISO 8601 with a time "
                "of day, or Unix seconds)",
            ) from None
        parsed.lines.append(row.line)
        parsed.posts.append(post)
        parsed.keys.append(key)
        parsed.written.append(written)
        parsed.actions.append(action)
        parsed.times.append(when)
    return parsed
