"""Identity resolution: one Person per human and one Organisation per company, across uploads.

People match on strong keys first (canonical LinkedIn URL, e-mail, X id, edge-list id),
then on folded full name + organisation when exactly one existing person fits and no
strong key contradicts it. Organisations match on web domain, then on the folded name
with legal forms removed. Anything ambiguous is kept apart: a duplicate can be merged
later, a wrong merge silently corrupts every analysis.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from tejido.ingest.normalise import name_key, org_key
from tejido.store.models import (
    IdentifierKind,
    OrgAlias,
    Organisation,
    Person,
    PersonIdentifier,
    table_of,
)

__all__ = ["PersonMention", "Resolver", "chunks"]

P = table_of(Person)
PI = table_of(PersonIdentifier)
O = table_of(Organisation)
OA = table_of(OrgAlias)

_BATCH = 900


def chunks(items: Sequence[Any], size: int = _BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(slots=True)
class PersonMention:
    """What one row of a file says about a person."""

    first: str | None = None
    last: str | None = None
    display: str | None = None  # a name written in one piece (messages, X)
    linkedin: str | None = None  # canonical, see normalise.canonical_linkedin
    emails: tuple[str, ...] = ()
    x_id: str | None = None
    x_handle: str | None = None
    external: str | None = None
    organisation_id: int | None = None
    position: str | None = None

    def strong_keys(self) -> list[tuple[IdentifierKind, str]]:
        keys: list[tuple[IdentifierKind, str]] = []
        if self.linkedin:
            keys.append((IdentifierKind.LINKEDIN, self.linkedin))
        keys.extend((IdentifierKind.EMAIL, e) for e in self.emails)
        if self.x_id:
            keys.append((IdentifierKind.X_ID, self.x_id))
        if self.x_handle:
            keys.append((IdentifierKind.X_HANDLE, self.x_handle))
        if self.external is not None:
            keys.append((IdentifierKind.EXTERNAL, self.external))
        return keys

    def full_name(self) -> str:
        name = " ".join(p for p in (self.first, self.last) if p)
        return name or self.display or self.x_handle or self.external or self.x_id or "?"

    def name_key(self) -> str:
        return (
            name_key(self.first, self.last) if (self.first or self.last) else name_key(self.display)
        )


@dataclass
class ResolveStats:
    matched_strong: int = 0
    matched_name: int = 0
    created: int = 0
    ambiguous: int = 0
    conflicts: int = 0
    org_created: int = 0
    org_ambiguous: int = 0
    ambiguous_names: list[str] = field(default_factory=list)


class Resolver:
    """Resolves the mentions of one upload against the store, inside its transaction."""

    def __init__(self, conn: Connection, upload_id: int) -> None:
        self.conn = conn
        self.upload_id = upload_id
        self.stats = ResolveStats()
        self._key_person: dict[tuple[str, str], int] = {}
        self._asserted: set[tuple[str, str]] = set()  # keys this upload already wrote
        self._org_by_key: dict[tuple[str, str], list[int]] = {}
        self._org_domains: dict[int, set[str]] = defaultdict(set)

    # -- people ------------------------------------------------------------------------

    def people(self, mentions: Sequence[PersonMention]) -> list[int]:
        """The person id of each mention, creating people that are not in the store yet."""
        self._load_keys({key for m in mentions for key in m.strong_keys()})
        ids: list[int | None] = [None] * len(mentions)
        for i, mention in enumerate(mentions):
            found = {self._key_person[k] for k in mention.strong_keys() if k in self._key_person}
            if len(found) == 1:
                ids[i] = found.pop()
                self.stats.matched_strong += 1
            elif len(found) > 1:
                # Keys that point to different people: the LinkedIn URL decides.
                self.stats.conflicts += 1
                li = mention.linkedin and self._key_person.get(
                    (IdentifierKind.LINKEDIN, mention.linkedin)
                )
                ids[i] = li or min(found)
        self._match_by_name(mentions, ids)
        self._create(mentions, ids)
        resolved = [pid for pid in ids if pid is not None]
        assert len(resolved) == len(mentions)
        self._write_keys(mentions, resolved)
        return resolved

    def people_as(self, person_id: int, mention: PersonMention) -> None:
        """Record what this upload says of a person already identified (an owner)."""
        self._load_keys(set(mention.strong_keys()))
        self._write_keys([mention], [person_id])

    def known(self, kind: str, value: str) -> int | None:
        """The person a key resolved to in this upload, if it did."""
        return self._key_person.get((kind, value))

    def _load_keys(self, keys: set[tuple[IdentifierKind, str]]) -> None:
        by_kind: dict[str, list[str]] = defaultdict(list)
        for kind, value in keys:
            if (kind, value) not in self._key_person:
                by_kind[kind].append(value)
        for kind_name, values in by_kind.items():
            for part in chunks(sorted(values)):
                rows = self.conn.execute(
                    select(PI.c.value, PI.c.person_id)
                    .where(PI.c.kind == kind_name, PI.c.value.in_(part))
                    .distinct()
                )
                for value, person_id in rows:
                    current = self._key_person.get((kind_name, value))
                    self._key_person[(kind_name, value)] = min(current or person_id, person_id)

    def _match_by_name(self, mentions: Sequence[PersonMention], ids: list[int | None]) -> None:
        """Unmatched mentions with a name and an organisation: match a unique existing person."""
        wanted: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, mention in enumerate(mentions):
            if ids[i] is None and mention.organisation_id is not None:
                key = mention.name_key()
                if key:
                    wanted[(key, mention.organisation_id)].append(i)
        if not wanted:
            return
        taken = {pid for pid in ids if pid is not None}
        candidates: dict[tuple[str, int], list[int]] = defaultdict(list)
        names = sorted({name for name, _ in wanted})
        for part in chunks(names):
            rows = self.conn.execute(
                select(P.c.id, P.c.name_key, P.c.organisation_id).where(P.c.name_key.in_(part))
            )
            for pid, key, org in rows:
                if (key, org) in wanted:
                    candidates[(key, org)].append(pid)
        linkedin_of = self._linkedin_of([p for c in candidates.values() for p in c])
        for wanted_key, indexes in wanted.items():
            pool = [p for p in candidates.get(wanted_key, []) if p not in taken]
            if not pool:
                continue
            if len(indexes) > 1:
                # Two people of one file with the same name at the same company: whoever
                # the store holds, it cannot be both of them.
                self.stats.ambiguous += len(indexes)
                continue
            mention = mentions[indexes[0]]
            fits = [
                p
                for p in pool
                if not (
                    mention.linkedin and linkedin_of.get(p, mention.linkedin) != mention.linkedin
                )
            ]
            if len(fits) == 1:
                ids[indexes[0]] = fits[0]
                taken.add(fits[0])
                self.stats.matched_name += 1
            elif len(fits) > 1:
                self.stats.ambiguous += 1
                if len(self.stats.ambiguous_names) < 20:
                    self.stats.ambiguous_names.append(mention.full_name())

    def _linkedin_of(self, person_ids: list[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for part in chunks(sorted(set(person_ids))):
            rows = self.conn.execute(
                select(PI.c.person_id, PI.c.value).where(
                    PI.c.kind == IdentifierKind.LINKEDIN, PI.c.person_id.in_(part)
                )
            )
            found.update({person: value for person, value in rows})
        return found

    def _create(self, mentions: Sequence[PersonMention], ids: list[int | None]) -> None:
        """New people for unmatched mentions; mentions sharing a strong key become one."""
        groups: dict[int, list[int]] = {}
        owner_of_key: dict[tuple[str, str], int] = {}
        for i, mention in enumerate(mentions):
            if ids[i] is not None:
                continue
            head = next((owner_of_key[k] for k in mention.strong_keys() if k in owner_of_key), i)
            groups.setdefault(head, []).append(i)
            for k in mention.strong_keys():
                owner_of_key.setdefault(k, head)
        if not groups:
            return
        heads = list(groups)
        rows = [_person_row(mentions[h]) for h in heads]
        new_ids = self.conn.execute(
            insert(P).returning(P.c.id, sort_by_parameter_order=True), rows
        ).scalars()
        for head, pid in zip(heads, new_ids, strict=True):
            for i in groups[head]:
                ids[i] = pid
        self.stats.created += len(heads)

    def _write_keys(self, mentions: Sequence[PersonMention], ids: Sequence[int]) -> None:
        rows = []
        for mention, pid in zip(mentions, ids, strict=True):
            for kind, value in mention.strong_keys():
                owner = self._key_person.get((kind, value))
                if owner is not None and owner != pid:
                    self.stats.conflicts += 1  # the key is someone else's: do not repeat it
                    continue
                self._key_person[(kind, value)] = pid
                if (kind, value) not in self._asserted:
                    self._asserted.add((kind, value))
                    rows.append(
                        {
                            "person_id": pid,
                            "kind": kind,
                            "value": value,
                            "upload_id": self.upload_id,
                        }
                    )
        if rows:
            self.conn.execute(insert(PI), rows)

    def refresh(self, mentions: Sequence[PersonMention], ids: Sequence[int]) -> None:
        """Fill what existing people lack and move them to the organisation stated now."""
        latest: dict[int, PersonMention] = {}
        for mention, pid in zip(mentions, ids, strict=True):
            latest[pid] = mention
        current: dict[int, tuple[Any, ...]] = {}
        for part in chunks(sorted(latest)):
            rows = self.conn.execute(
                select(
                    P.c.id, P.c.organisation_id, P.c.position, P.c.first_name, P.c.last_name
                ).where(P.c.id.in_(part))
            )
            current.update({row[0]: tuple(row[1:]) for row in rows})
        changes = []
        for pid, m in latest.items():
            org, position, first, last = current[pid]
            new_org = m.organisation_id if m.organisation_id is not None else org
            new_position = m.position or position
            names = (first, last)
            if not (first or last) and (m.first or m.last):
                names = (m.first, m.last)
            if (new_org, new_position, *names) != (org, position, first, last):
                changes.append(
                    {
                        "pid": pid,
                        "organisation_id": new_org,
                        "position": new_position,
                        "first_name": names[0],
                        "last_name": names[1],
                        "display_name": _display(names[0], names[1], m),
                        "name_key": name_key(names[0], names[1]) or m.name_key(),
                    }
                )
        if changes:
            self.conn.execute(
                update(P)
                .where(P.c.id == bindparam("pid"))
                .values(
                    organisation_id=bindparam("organisation_id"),
                    position=bindparam("position"),
                    first_name=bindparam("first_name"),
                    last_name=bindparam("last_name"),
                    display_name=bindparam("display_name"),
                    name_key=bindparam("name_key"),
                ),
                changes,
            )

    # -- organisations -----------------------------------------------------------------

    def organisations(
        self, names: Sequence[str | None], domains: Sequence[str | None] | None = None
    ) -> list[int | None]:
        """The organisation id for each written name (and domain when known)."""
        domains = domains if domains is not None else [None] * len(names)
        keys = [org_key(n) for n in names]
        self._load_orgs({("name", k) for k in keys if k} | {("domain", d) for d in domains if d})
        out: list[int | None] = []
        for raw, key, domain in zip(names, keys, domains, strict=True):
            out.append(self._one_org(raw, key, domain) if key or domain else None)
        return out

    def _load_orgs(self, aliases: set[tuple[str, str]]) -> None:
        by_kind: dict[str, list[str]] = defaultdict(list)
        for kind, value in aliases:
            if (kind, value) not in self._org_by_key:
                by_kind[kind].append(value)
                self._org_by_key[(kind, value)] = []
        found: set[int] = set()
        for kind, values in by_kind.items():
            for part in chunks(sorted(values)):
                rows = self.conn.execute(
                    select(OA.c.value, OA.c.organisation_id).where(
                        OA.c.kind == kind, OA.c.value.in_(part)
                    )
                )
                for value, org in rows:
                    self._org_by_key[(kind, value)].append(org)
                    found.add(org)
        missing = sorted(found - set(self._org_domains))
        for part in chunks(missing):
            rows = self.conn.execute(
                select(OA.c.organisation_id, OA.c.value).where(
                    OA.c.kind == "domain", OA.c.organisation_id.in_(part)
                )
            )
            for org, value in rows:
                self._org_domains[org].add(value)

    def _one_org(self, raw: str | None, key: str, domain: str | None) -> int | None:
        if domain:
            by_domain = self._org_by_key.get(("domain", domain), [])
            if len(by_domain) == 1:
                org = by_domain[0]
                if key and org not in self._org_by_key.setdefault(("name", key), []):
                    self._add_alias(org, "name", key, raw or key)
                return org
        by_name = self._org_by_key.get(("name", key), []) if key else []
        if domain:
            # A company with another web domain is another company of the same name.
            by_name = [
                o for o in by_name if not self._org_domains.get(o) or domain in self._org_domains[o]
            ]
        if len(by_name) == 1:
            org = by_name[0]
            if domain and domain not in self._org_domains.get(org, set()):
                self._add_alias(org, "domain", domain, domain)
            return org
        if len(by_name) > 1:
            self.stats.org_ambiguous += 1
            return None
        return self._new_org(raw or domain or key, key, domain)

    def _new_org(self, name: str, key: str, domain: str | None) -> int:
        org = self.conn.execute(
            insert(O).returning(O.c.id), {"name": name, "key": key or org_key(name)}
        ).scalar_one()
        self.stats.org_created += 1
        if key:
            self._add_alias(org, "name", key, name)
        if domain:
            self._add_alias(org, "domain", domain, domain)
        return int(org)

    def _add_alias(self, org: int, kind: str, value: str, raw: str) -> None:
        self.conn.execute(
            insert(OA), {"organisation_id": org, "kind": kind, "value": value, "raw": raw[:512]}
        )
        self._org_by_key.setdefault((kind, value), []).append(org)
        if kind == "domain":
            self._org_domains[org].add(value)


def _display(first: str | None, last: str | None, mention: PersonMention) -> str:
    name = " ".join(p for p in (first, last) if p)
    return (name or mention.full_name())[:512]


def _person_row(m: PersonMention) -> dict[str, Any]:
    return {
        "display_name": _display(m.first, m.last, m),
        "first_name": m.first,
        "last_name": m.last,
        "name_key": m.name_key(),
        "organisation_id": m.organisation_id,
        "position": m.position,
    }
