"""Importing an X (Twitter) archive zip: the account, its followers and the accounts it follows."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from tejido.errors import BadInputError
from tejido.ingest.files import DEFAULT_MAX_BYTES, Archive, decode, file_label
from tejido.ingest.identity import PersonMention, Resolver
from tejido.ingest.normalise import normalise_email
from tejido.ingest.owners import find_owner
from tejido.ingest.upload import Written, supersede
from tejido.store.bulk import Bulk
from tejido.store.models import UploadKind

__all__ = ["XArchive", "XUpload", "parse_x_archive", "prepare_x"]


_ASSIGNMENT = re.compile(r"^\s*window\.(YTD\.[A-Za-z_]+\.part\d+|__THAR_CONFIG)\s*=\s*", re.ASCII)
_ACCOUNT_ID = re.compile(r"^\d{1,20}$")


@dataclass
class XArchive:
    file: str
    account_id: str | None = None
    username: str | None = None
    display_name: str | None = None
    email: str | None = None
    followers: list[str] = field(default_factory=list)
    following: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _load_js(archive: Archive, member: str) -> Any:
    label = archive.label(member)
    text = decode(archive.read(member), label)
    match = _ASSIGNMENT.match(text)
    if match is None:
        raise BadInputError(
            "does not start with 'window.YTD.<name>.part<N> = ' as X archive files do",
            file=label,
            line=1,
        )
    try:
        return json.loads(text[match.end() :])
    except json.JSONDecodeError as exc:
        raise BadInputError(f"invalid JSON ({exc.msg})", file=label, line=exc.lineno) from None


def _account_text(account: dict[str, Any], key: str, max_len: int, label: str) -> str | None:
    """A string of account.js, checked as every text cell is: no NUL, bounded length."""
    value = account.get(key)
    if value is None or value == "":
        return None
    text = str(value).strip()
    if "\x00" in text:
        raise BadInputError("NUL character in the value", file=label, field=f"account.{key}")
    if len(text) > max_len:
        raise BadInputError(
            f"{len(text):,} characters long, at most {max_len:,} accepted",
            file=label,
            field=f"account.{key}",
        )
    return text or None


def _parts(archive: Archive, manifest: Any, name: str) -> list[str]:
    """The members holding data type ``name``: from the manifest, else by file name."""
    listed: list[str] = []
    if isinstance(manifest, dict):
        files = manifest.get("dataTypes", {}).get(name, {}).get("files", [])
        listed = [f.get("fileName", "") for f in files if isinstance(f, dict)]
    if not listed:
        listed = [f"data/{name}.js"] + [f"data/{name}-part{i}.js" for i in range(1, 100)]
    found = [archive.find(member) for member in listed]
    return [member for member in found if member is not None]


def _ids(archive: Archive, member: str, kind: str) -> list[str]:
    items = _load_js(archive, member)
    if not isinstance(items, list):
        raise BadInputError("expected a list of accounts", file=archive.label(member))
    ids = []
    for index, item in enumerate(items):
        account = item.get(kind, {}) if isinstance(item, dict) else None
        account_id = str(account.get("accountId", "")) if isinstance(account, dict) else ""
        if not _ACCOUNT_ID.match(account_id):
            raise BadInputError(
                f"entry {index + 1} has no numeric accountId",
                file=archive.label(member),
                field=f"{kind}.accountId",
            )
        ids.append(account_id)
    return ids


def parse_x_archive(data: bytes, file: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> XArchive:
    """Read the account, followers and following of an X archive zip."""
    archive = Archive(data, file, max_bytes=max_bytes)
    parsed = XArchive(file=file)
    manifest_member = archive.find("data/manifest.js")
    manifest = _load_js(archive, manifest_member) if manifest_member else None
    for member in _parts(archive, manifest, "account"):
        items = _load_js(archive, member)
        account = items[0].get("account", {}) if isinstance(items, list) and items else {}
        if not isinstance(account, dict):
            raise BadInputError("no account object", file=archive.label(member))
        label = archive.label(member)
        account_id = _account_text(account, "accountId", 20, label)
        if account_id and not _ACCOUNT_ID.match(account_id):
            raise BadInputError(
                f"{account_id!r} is not an X account id", file=label, field="account.accountId"
            )
        parsed.account_id = account_id
        parsed.username = (_account_text(account, "username", 64, label) or "").lower() or None
        parsed.display_name = _account_text(account, "accountDisplayName", 256, label)
        parsed.email = normalise_email(_account_text(account, "email", 320, label))
        parsed.files.append("account")
    for kind in ("follower", "following"):
        members = _parts(archive, manifest, kind)
        for member in members:
            getattr(parsed, "followers" if kind == "follower" else "following").extend(
                _ids(archive, member, kind)
            )
        if members:
            parsed.files.append(kind)
    if not ({"follower", "following"} & set(parsed.files)):
        raise BadInputError(
            "no data/follower.js or data/following.js inside: not an X archive", file=file
        )
    return parsed


@dataclass
class XUpload:
    """A parsed X archive, ready to be written as one upload."""

    archive: XArchive
    employee: str | None = None
    kind: UploadKind = UploadKind.X

    @property
    def file(self) -> str:
        return self.archive.file

    def write(self, conn: Connection, upload_id: int, resolver: Resolver) -> Written:
        archive = self.archive
        emails = [archive.email] if archive.email else []
        me = PersonMention(
            display=archive.display_name,
            emails=tuple(emails),
            x_id=archive.account_id,
            x_handle=archive.username,
        )
        owner = find_owner(conn, resolver, employee=self.employee, emails=emails, mention=me)
        # Other archives may have followed this account before its owner's archive came.
        merged = resolver.claim(owner.person_id, me)
        resolver.people_as(owner.person_id, me)
        accounts = sorted(set(archive.followers) | set(archive.following))
        repeated = (len(archive.followers) - len(set(archive.followers))) + (
            len(archive.following) - len(set(archive.following))
        )
        ids = resolver.people([PersonMention(display=f"X account {a}", x_id=a) for a in accounts])
        person_of = dict(zip(accounts, ids, strict=True))
        rows = []
        seen: set[tuple[int, int]] = set()
        for index, account in enumerate(archive.followers):
            edge = (person_of[account], owner.person_id)
            if edge not in seen and edge[0] != edge[1]:
                seen.add(edge)
                rows.append(_follow(upload_id, index + 1, *edge))
        for index, account in enumerate(archive.following):
            edge = (owner.person_id, person_of[account])
            if edge not in seen and edge[0] != edge[1]:
                seen.add(edge)
                rows.append(_follow(upload_id, index + 1, *edge))
        Bulk(conn).insert_dicts("connection", rows)
        counts: dict[str, Any] = {
            "files": sorted(archive.files),
            "followers": len(set(archive.followers)),
            "following": len(set(archive.following)),
            "connections": len(rows),
            "people_new": resolver.stats.created,
            "people_matched": resolver.stats.matched_strong,
            "repeated_follows_skipped": repeated,
            "placeholders_merged": len(merged),
        }
        warnings = [f"skipped {repeated} repeated follows"] if repeated else []
        superseded = supersede(conn, upload_id, UploadKind.X, owner.person_id, archive.files)
        return Written(counts, warnings, owner, superseded)


def prepare_x(
    data: bytes,
    file: str,
    *,
    employee: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> XUpload:
    """Parse an X archive zip for writing; follows become directed ties."""
    archive = parse_x_archive(data, file_label(file), max_bytes=max_bytes)
    if not (archive.account_id or employee):
        raise BadInputError(
            "no data/account.js: give the employee's e-mail (--employee)", file=file
        )
    return XUpload(archive, employee)


def _follow(upload_id: int, line: int, source: int, target: int) -> dict[str, Any]:
    return {
        "upload_id": upload_id,
        "line": line,
        "kind": "x_follow",
        "source_id": source,
        "target_id": target,
        "directed": True,
        "weight": None,
        "connected_on": None,
        "organisation_id": None,
        "company": None,
        "position": None,
    }
