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
from typing import Any, Literal, overload

from sqlalchemy import Connection

from tejido.ingest.normalise import group_variants, name_key, org_key
from tejido.store.bulk import Bulk
from tejido.store.models import IdentifierKind, utcnow

__all__ = ["Memo", "PersonMention", "ResolveStats", "Resolver", "chunks", "strong_keys"]

_BATCH = 900
# Plain strings: enum attribute look-ups are slow in the hot loops.
_LINKEDIN, _EMAIL, _X_ID, _X_HANDLE, _EXTERNAL = (
    IdentifierKind.LINKEDIN.value,
    IdentifierKind.EMAIL.value,
    IdentifierKind.X_ID.value,
    IdentifierKind.X_HANDLE.value,
    IdentifierKind.EXTERNAL.value,
)


def chunks(items: Sequence[Any], size: int = _BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def strong_keys(
    linkedin: str | None,
    emails: Sequence[str] = (),
    x_id: str | None = None,
    x_handle: str | None = None,
    external: str | None = None,
) -> list[tuple[str, str]]:
    """The (kind, value) keys that identify a person, strongest first.

    >>> strong_keys("in/ana-ruiz", ["ana@acme.example"])
    [('linkedin', 'in/ana-ruiz'), ('email', 'ana@acme.example')]
    """
    keys: list[tuple[str, str]] = []
    if linkedin:
        keys.append((_LINKEDIN, linkedin))
    for email in emails:
        keys.append((_EMAIL, email))
    if x_id:
        keys.append((_X_ID, x_id))
    if x_handle:
        keys.append((_X_HANDLE, x_handle))
    if external is not None:
        keys.append((_EXTERNAL, external))
    return keys


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
    # Computed once (in the parsing worker when there is one) and kept.
    cached_keys: list[tuple[str, str]] | None = field(default=None, repr=False, compare=False)
    cached_name_key: str | None = field(default=None, repr=False, compare=False)

    def prime(self) -> PersonMention:
        """Compute the keys now, so that the process that writes does not have to."""
        self.strong_keys()
        self.name_key()
        return self

    def strong_keys(self) -> list[tuple[str, str]]:
        if self.cached_keys is None:
            self.cached_keys = strong_keys(
                self.linkedin, self.emails, self.x_id, self.x_handle, self.external
            )
        return self.cached_keys

    def full_name(self) -> str:
        name = " ".join(p for p in (self.first, self.last) if p)
        return name or self.display or self.x_handle or self.external or self.x_id or "?"

    def name_key(self) -> str:
        if self.cached_name_key is None:
            both = self.first or self.last
            self.cached_name_key = (
                name_key(self.first, self.last) if both else name_key(self.display)
            )
        return self.cached_name_key


@dataclass
class ResolveStats:
    matched_strong: int = 0
    matched_name: int = 0
    created: int = 0
    ambiguous: int = 0
    conflicts: int = 0
    merged: int = 0  # placeholders of an X account merged into the account's owner
    org_created: int = 0
    org_ambiguous: int = 0
    ambiguous_names: list[str] = field(default_factory=list)


# The identifier ids of a mention's LinkedIn URL and e-mail, for its row to record.
RowKeys = tuple[int | None, int | None]
# (folded name, organisation) -> mentions, or people
_ByNameOrg = dict[tuple[str, int], list[int]]
# (organisation, position, has a first or last name, folded name)
PersonState = tuple[int | None, str | None, bool, str]


@dataclass
class Memo:
    """What resolvers learnt of the store, shared by the uploads of a batch.

    Valid while the store holds exactly what the batch saw and wrote: cleared when an
    upload of the batch rolls back to its savepoint or erases people, and when another
    writer committed between two of the batch's transactions.

    A memo is either a cache (what the uploads so far looked up, the rest is read from
    the store when needed) or, after ``mirror``, *complete*: it holds every key, every
    person's name and organisation and every organisation alias of the store, so that
    resolving a mention needs no query at all. Big batches into small stores mirror.
    """

    key_person: dict[tuple[str, str], int] = field(default_factory=dict)
    key_id: dict[tuple[str, str], int] = field(default_factory=dict)
    loaded: set[tuple[str, str]] = field(default_factory=set)
    org_by_key: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    org_domains: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    # person -> (organisation, position, has a first or last name, folded name), as the
    # store holds it
    person_state: dict[int, PersonState] = field(default_factory=dict)
    complete: bool = False
    # Complete memos only: people by folded name, and each person's LinkedIn URLs.
    by_name: dict[str, list[int]] = field(default_factory=dict)
    person_linkedin: dict[int, set[str]] = field(default_factory=dict)

    def clear(self) -> None:
        self.key_person.clear()
        self.key_id.clear()
        self.loaded.clear()
        self.org_by_key.clear()
        self.org_domains.clear()
        self.person_state.clear()
        self.by_name.clear()
        self.person_linkedin.clear()
        self.complete = False

    def size(self) -> int:
        return (
            len(self.key_person) + len(self.loaded) + len(self.org_by_key) + len(self.person_state)
        )

    def mirror(self, conn: Connection, limit: int) -> bool:
        """Read every key, person and alias of the store, when it holds at most ``limit``.

        Returns whether the memo is complete now.
        """
        bulk = Bulk(conn)
        ((rows,),) = bulk.select(
            "SELECT (SELECT count(*) FROM person_identifier) + (SELECT count(*) FROM person)"
            " + (SELECT count(*) FROM org_alias)"
        )
        if rows > limit:
            return False
        self.clear()
        for kind, value, person_id, key_id in bulk.select(
            "SELECT kind, value, person_id, id FROM person_identifier"
        ):
            self.key_person[(kind, value)] = person_id
            self.key_id[(kind, value)] = key_id
            if kind == _LINKEDIN:
                self.person_linkedin.setdefault(person_id, set()).add(value)
        for pid, org, position, first, last, key in bulk.select(
            "SELECT id, organisation_id, position, first_name, last_name, name_key FROM person"
        ):
            self.person_state[pid] = (org, position, bool(first or last), key)
            if key:
                self.by_name.setdefault(key, []).append(pid)
        for kind, value, org in bulk.select(
            "SELECT kind, value, organisation_id FROM org_alias ORDER BY id"
        ):
            self.org_by_key.setdefault((kind, value), []).append(org)
            if kind == "domain":
                self.org_domains[org].add(value)
        self.complete = True
        return True


_PERSON_COLUMNS = (
    "id", "display_name", "first_name", "last_name", "name_key", "organisation_id",
    "position", "created_at",
)  # fmt: skip


class Resolver:
    """Resolves the mentions of one upload against the store, inside its transaction."""

    def __init__(self, conn: Connection, upload_id: int, *, memo: Memo | None = None) -> None:
        self.bulk = Bulk(conn)
        self.upload_id = upload_id
        self.stats = ResolveStats()
        memo = memo if memo is not None else Memo()
        self._memo = memo
        self._key_person = memo.key_person
        self._key_id = memo.key_id  # identifier row of each known key
        self._loaded = memo.loaded
        self._org_by_key = memo.org_by_key
        self._org_domains = memo.org_domains
        self._person_state = memo.person_state
        self._asserted: set[int] = set()  # identifiers this upload already stated
        self._new_orgs: list[tuple[str, str]] = []  # (name, key) waiting for their ids
        self._new_aliases: list[tuple[int, str, str, str]] = []
        self._provisional: list[tuple[str, str]] = []  # aliases naming a provisional id

    # -- people ------------------------------------------------------------------------

    def people(self, mentions: Sequence[PersonMention]) -> list[int]:
        """The person id of each mention, creating people that are not in the store yet."""
        keyed, ids = self._resolve(mentions)
        self._write_keys(keyed, ids)
        return ids

    def people_on_rows(self, mentions: Sequence[PersonMention]) -> tuple[list[int], list[RowKeys]]:
        """As ``people``, for mentions that each become a row stating its target's keys.

        Returns, with the ids, the identifier ids of each mention's LinkedIn URL and e-mail
        (when they are the person's), for the row to record (``connection.target_key_id``
        and ``target_email_id``); other keys are asserted as ``people`` does. The caller
        then says which rows it wrote and which it left out (``stated``).
        """
        keyed, ids = self._resolve(mentions)
        return ids, self._write_keys(keyed, ids, on_rows=True)

    def stated(self, on_rows: Iterable[int], elsewhere: Iterable[int]) -> None:
        """Identifiers that written rows state, and identifiers of rows left out (asserted)."""
        self._asserted.update(on_rows)
        self._assert(elsewhere)

    def _assert(self, identifiers: Iterable[int]) -> None:
        rows = []
        for key_id in identifiers:
            if key_id not in self._asserted:
                self._asserted.add(key_id)
                rows.append((key_id, self.upload_id))
        self.bulk.insert("identifier_assertion", ("identifier_id", "upload_id"), rows)

    def _resolve(
        self, mentions: Sequence[PersonMention]
    ) -> tuple[list[list[tuple[str, str]]], list[int]]:
        keyed = [m.strong_keys() for m in mentions]
        self._load_keys(keyed)
        ids: list[int | None] = [None] * len(mentions)
        key_person = self._key_person
        conflicts = 0
        for i, keys in enumerate(keyed):
            if len(keys) == 1:  # most mentions: a profile URL alone
                ids[i] = key_person.get(keys[0])
                continue
            found = {key_person[k] for k in keys if k in key_person}
            if len(found) == 1:
                ids[i] = found.pop()
            elif len(found) > 1:
                # Keys that point to different people: the LinkedIn URL decides.
                conflicts += 1
                linkedin = mentions[i].linkedin
                ids[i] = (key_person.get((_LINKEDIN, linkedin)) if linkedin else None) or min(found)
        self.stats.conflicts += conflicts
        self.stats.matched_strong += len(ids) - ids.count(None) - conflicts
        self._match_by_name(mentions, ids)
        self._create(mentions, keyed, ids)
        resolved = [pid for pid in ids if pid is not None]
        assert len(resolved) == len(mentions)
        return keyed, resolved

    def lookup(self, keys: Sequence[tuple[str, str]]) -> list[int | None]:
        """The person who holds each strong key, or None: nobody is created, and nothing is
        asserted (a share log names people; it says nothing about who they are)."""
        self._load_keys([list(keys)])
        return [self._key_person.get(key) for key in keys]

    def people_as(self, person_id: int, mention: PersonMention) -> None:
        """Record what this upload says of a person already identified (an owner)."""
        keys = mention.strong_keys()
        self._load_keys([keys])
        self._write_keys([keys], [person_id])

    def claim(self, person_id: int, mention: PersonMention) -> list[int]:
        """An owner's own upload states their X id or handle: people that only other
        archives' follows named by those keys ("X account 123": no name, job, company or
        other key, not an employee) are the owner. Merge them into the owner (their
        follows become the owner's) and return their ids. Anyone else holding a key stays
        apart (a conflict, as in ``people_as``)."""
        keys = [k for k in mention.strong_keys() if k[0] in (_X_ID, _X_HANDLE)]
        self._load_keys([keys])
        holders = sorted({self._key_person[k] for k in keys
                          if self._key_person.get(k, person_id) != person_id})  # fmt: skip
        merged = [h for h in holders if self._is_placeholder(h)]
        for h in merged:
            self._merge(h, person_id)
        return merged

    def _is_placeholder(self, person_id: int) -> bool:
        rows = self.bulk.select_in(
            "SELECT display_name, first_name, last_name, position, organisation_id, headline, "
            "(SELECT count(*) FROM employee WHERE person_id = person.id), "
            "(SELECT count(*) FROM person_identifier WHERE person_id = person.id "
            f"AND kind NOT IN ('{_X_ID}', '{_X_HANDLE}')) FROM person WHERE id IN {{values}}",
            [person_id],
        )
        if not rows:
            return False
        display, first, last, position, org, headline, employee, other = rows[0]
        bare = not (first or last or position or org or headline or employee or other)
        return bare and str(display).startswith("X account ")

    def _merge(self, old: int, new: int) -> None:
        """Move everything of person ``old`` to ``new`` and delete ``old``."""
        ex = self.bulk.execute_many
        for column, other in (("source_id", "target_id"), ("target_id", "source_id")):
            # A row the upload already states for ``new`` would repeat: drop the old one.
            ex(f"DELETE FROM connection WHERE {column} = {{p}} AND EXISTS (SELECT 1 FROM "
               f"connection d WHERE d.upload_id = connection.upload_id AND d.{column} = {{p}} "
               f"AND d.{other} = connection.{other})", [(old, new)])  # fmt: skip
            ex(f"UPDATE connection SET {column} = {{p}} WHERE {column} = {{p}}", [(new, old)])
            ex(f"UPDATE interaction SET {column} = {{p}} WHERE {column} = {{p}}", [(new, old)])
        # Share rows too; one that ``new`` already has for the same post repeats.
        ex("DELETE FROM share_event WHERE person_id = {p} AND EXISTS (SELECT 1 FROM "
           "share_event d WHERE d.upload_id = share_event.upload_id AND d.person_id = {p} "
           "AND d.post = share_event.post AND d.action = share_event.action)",
           [(old, new)])  # fmt: skip
        ex("UPDATE share_event SET person_id = {p} WHERE person_id = {p}", [(new, old)])
        ex("DELETE FROM connection WHERE source_id = {p} AND target_id = {p}", [(new, new)])
        ex("UPDATE person_identifier SET person_id = {p} WHERE person_id = {p}", [(new, old)])
        ex("UPDATE relation_override SET contact_key = {p} WHERE contact_key = {p}",
           [(f"person:{new}", f"person:{old}")])  # fmt: skip
        ex("DELETE FROM person WHERE id = {p}", [(old,)])
        for key, pid in list(self._key_person.items()):
            if pid == old:
                self._key_person[key] = new
        state = self._person_state.pop(old, None)
        if state is not None and self._memo.complete:
            named = self._memo.by_name.get(state[3], [])
            if old in named:
                named.remove(old)
        self._memo.person_linkedin.pop(old, None)
        self.stats.merged += 1

    def known(self, kind: str, value: str) -> int | None:
        """The person a key resolved to in this upload, if it did."""
        return self._key_person.get((kind, value))

    def _load_keys(self, keyed: Sequence[list[tuple[str, str]]]) -> None:
        """Read the store's owners of the keys that the memo does not hold yet."""
        if self._memo.complete:
            return
        by_kind: dict[str, list[str]] = defaultdict(list)
        for key in {key for keys in keyed for key in keys} - self._loaded:
            by_kind[key[0]].append(key[1])
            self._loaded.add(key)
        for kind, values in by_kind.items():
            rows = self.bulk.select_in(
                "SELECT value, person_id, id FROM person_identifier "
                "WHERE kind = {p} AND value IN {values}",
                sorted(values),
                (kind,),
            )
            for value, person_id, key_id in rows:
                self._key_person[(kind, value)] = person_id
                self._key_id[(kind, value)] = key_id

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
        candidates = self._namesakes(wanted)
        if not candidates:
            return
        taken = {pid for pid in ids if pid is not None}
        linkedin_of = self._linkedin_of({p for c in candidates.values() for p in c})
        for wanted_key, pool in candidates.items():
            indexes = wanted[wanted_key]
            pool = [p for p in pool if p not in taken]
            if not pool:
                continue
            if len(indexes) > 1:
                # Two people of one file with the same name at the same company: whoever
                # the store holds, it cannot be both of them.
                self.stats.ambiguous += len(indexes)
                continue
            mention = mentions[indexes[0]]
            url = mention.linkedin
            fits = [p for p in pool if not url or url in linkedin_of.get(p, (url,))]
            if len(fits) == 1:
                ids[indexes[0]] = fits[0]
                taken.add(fits[0])
                self.stats.matched_name += 1
            elif len(fits) > 1:
                self.stats.ambiguous += 1
                if len(self.stats.ambiguous_names) < 20:
                    self.stats.ambiguous_names.append(mention.full_name())

    def _namesakes(self, wanted: _ByNameOrg) -> _ByNameOrg:
        """The people of the store with each wanted folded name at each wanted organisation."""
        candidates: _ByNameOrg = defaultdict(list)
        if self._memo.complete:
            by_name = self._memo.by_name
            pools = {key: by_name.get(key, []) for key, _ in wanted}
            self._states({p for pool in pools.values() for p in pool})
            state = self._person_state
            for key, org in wanted:
                candidates[(key, org)] = [p for p in pools[key] if state[p][0] == org]
            return {k: v for k, v in candidates.items() if v}
        rows = self.bulk.select_in(
            "SELECT id, name_key, organisation_id FROM person WHERE name_key IN {values}",
            sorted({name for name, _ in wanted}),
        )
        for pid, key, org in rows:
            if (key, org) in wanted:
                candidates[(key, org)].append(pid)
        return candidates

    def _linkedin_of(self, people: set[int]) -> dict[int, set[str]]:
        """The LinkedIn URLs the store holds for each of ``people`` (who has any)."""
        if self._memo.complete:
            known = self._memo.person_linkedin
            return {p: known[p] for p in people if p in known}
        found: dict[int, set[str]] = {}
        for pid, url in self.bulk.select_in(
            "SELECT person_id, value FROM person_identifier "
            "WHERE kind = {p} AND person_id IN {values}",
            sorted(people),
            (_LINKEDIN,),
        ):
            found.setdefault(pid, set()).add(url)
        return found

    def _states(self, people: Iterable[int]) -> None:
        """Read the state of those of ``people`` that the memo does not hold."""
        state = self._person_state
        rows = self.bulk.select_in(
            "SELECT id, organisation_id, position, first_name, last_name, name_key FROM person "
            "WHERE id IN {values}",
            sorted(pid for pid in people if pid not in state),
        )
        for pid, org, position, first, last, key in rows:
            state[pid] = (org, position, bool(first or last), key)

    def _create(
        self,
        mentions: Sequence[PersonMention],
        keyed: Sequence[list[tuple[str, str]]],
        ids: list[int | None],
    ) -> None:
        """New people for unmatched mentions; mentions sharing a strong key become one."""
        groups: dict[int, list[int]] = {}
        owner_of_key: dict[tuple[str, str], int] = {}
        for i, keys in enumerate(keyed):
            if ids[i] is not None:
                continue
            head = next((owner_of_key[k] for k in keys if k in owner_of_key), i)
            groups.setdefault(head, []).append(i)
            for k in keys:
                owner_of_key.setdefault(k, head)
        if not groups:
            return
        heads = list(groups)
        new_ids = self.bulk.reserve_ids("person", len(heads))
        now = utcnow()
        rows = []
        by_name = self._memo.by_name if self._memo.complete else None
        for head, pid in zip(heads, new_ids, strict=True):
            m = mentions[head]
            key = m.name_key()
            rows.append(
                (pid, _display(m.first, m.last, m), m.first, m.last, key,
                 m.organisation_id, m.position, now)
            )  # fmt: skip
            self._person_state[pid] = (m.organisation_id, m.position, bool(m.first or m.last), key)
            if by_name is not None and key:
                by_name.setdefault(key, []).append(pid)
            for i in groups[head]:
                ids[i] = pid
        self.bulk.insert("person", _PERSON_COLUMNS, rows)
        self.stats.created += len(heads)

    @overload
    def _write_keys(self, keyed: Sequence[list[tuple[str, str]]], ids: Sequence[int]) -> None: ...

    @overload
    def _write_keys(
        self, keyed: Sequence[list[tuple[str, str]]], ids: Sequence[int], on_rows: Literal[True]
    ) -> list[RowKeys]: ...

    def _write_keys(
        self, keyed: Sequence[list[tuple[str, str]]], ids: Sequence[int], on_rows: bool = False
    ) -> list[RowKeys] | None:
        """Store new keys and record that this upload stated each key of its mentions.

        ``on_rows``: a mention's LinkedIn URL and e-mail are left for its row to record;
        their identifier ids are returned, one pair per mention.
        """
        key_person = self._key_person
        new: list[tuple[tuple[str, str], int]] = []
        for keys, pid in zip(keyed, ids, strict=True):
            for key in keys:
                owner = key_person.get(key)
                if owner is None:
                    key_person[key] = pid
                    new.append((key, pid))
        if new:
            key_ids = self.bulk.reserve_ids("person_identifier", len(new))
            rows = []
            linkedin = self._memo.person_linkedin if self._memo.complete else None
            for (key, pid), key_id in zip(new, key_ids, strict=True):
                self._key_id[key] = key_id
                rows.append((key_id, pid, key[0], key[1]))
                if linkedin is not None and key[0] == _LINKEDIN:
                    linkedin.setdefault(pid, set()).add(key[1])
            self.bulk.insert("person_identifier", ("id", "person_id", "kind", "value"), rows)
        id_of = self._key_id
        stated: list[int] = []
        carried: list[RowKeys] = []
        for keys, pid in zip(keyed, ids, strict=True):
            url = email = None
            for key in keys:
                if key_person[key] != pid:
                    self.stats.conflicts += 1  # the key is someone else's: do not repeat it
                    continue
                kind = key[0]
                if on_rows and kind == _LINKEDIN and url is None:
                    url = id_of[key]
                elif on_rows and kind == _EMAIL and email is None:
                    email = id_of[key]
                else:
                    stated.append(id_of[key])
            if on_rows:
                carried.append((url, email))
        self._assert(stated)
        return carried if on_rows else None

    def refresh(self, mentions: Sequence[PersonMention], ids: Sequence[int]) -> None:
        """Fill what existing people lack and move them to the organisation stated now."""
        latest: dict[int, PersonMention] = {}
        for mention, pid in zip(mentions, ids, strict=True):
            latest[pid] = mention
        self._states(latest)
        state = self._person_state
        by_name = self._memo.by_name if self._memo.complete else None
        jobs, positions, names = [], [], []
        for pid, m in latest.items():
            org, position, named, key = state[pid]
            new_org = m.organisation_id if m.organisation_id is not None else org
            new_position = m.position or position
            # Only what changed is written: an indexed column costs index updates.
            if new_org != org:
                jobs.append((new_org, new_position, pid))
            elif new_position != position:
                positions.append((new_position, pid))
            if not named and (m.first or m.last):
                old, key = key, name_key(m.first, m.last)
                names.append((m.first, m.last, _display(m.first, m.last, m), key, pid))
                named = True
                if by_name is not None and old != key:
                    if old:
                        by_name[old].remove(pid)
                    if key:
                        by_name.setdefault(key, []).append(pid)
            state[pid] = (new_org, new_position, named, key)
        self.bulk.execute_many(
            "UPDATE person SET organisation_id = {p}, position = {p} WHERE id = {p}", jobs
        )
        self.bulk.execute_many("UPDATE person SET position = {p} WHERE id = {p}", positions)
        self.bulk.execute_many(
            "UPDATE person SET first_name = {p}, last_name = {p}, display_name = {p}, "
            "name_key = {p} WHERE id = {p}",
            names,
        )

    def forget(self, person_id: int) -> None:
        """Someone else changed this person's organisation or position: read it again later.

        (A change of name would have to move them in a complete memo's ``by_name``.)
        """
        self._person_state.pop(person_id, None)

    # -- organisations -----------------------------------------------------------------

    def organisations(
        self,
        names: Sequence[str | None],
        domains: Sequence[str | None] | None = None,
        *,
        keys: Sequence[str] | None = None,
    ) -> list[int | None]:
        """The organisation id for each written name (and domain when known).

        ``keys`` are the names' ``org_key``s when the caller computed them already.
        """
        domains = domains if domains is not None else [None] * len(names)
        keys = keys if keys is not None else [org_key(n) for n in names]
        self._load_orgs({("name", k) for k in keys if k} | {("domain", d) for d in domains if d})
        # Names no organisation holds yet may be a group's name with or without "Grupo".
        unknown = {k for k in keys if k and not self._org_by_key.get(("name", k))}
        self._load_orgs({("name", v) for k in unknown for v in group_variants(k)})
        out: list[int | None] = []
        for raw, key, domain in zip(names, keys, domains, strict=True):
            out.append(self._one_org(raw, key, domain) if key or domain else None)
        real = self._flush_orgs()
        return [real.get(org, org) if org is not None else None for org in out]

    def _load_orgs(self, aliases: set[tuple[str, str]]) -> None:
        if self._memo.complete:
            return
        by_kind: dict[str, list[str]] = defaultdict(list)
        for kind, value in aliases:
            if (kind, value) not in self._org_by_key:
                by_kind[kind].append(value)
                self._org_by_key[(kind, value)] = []
        found: set[int] = set()
        for kind, values in by_kind.items():
            rows = self.bulk.select_in(
                "SELECT value, organisation_id FROM org_alias "
                "WHERE kind = {p} AND value IN {values}",
                sorted(values),
                (kind,),
            )
            for value, org in rows:
                self._org_by_key[(kind, value)].append(org)
                found.add(org)
        missing = sorted(found - set(self._org_domains))
        rows = self.bulk.select_in(
            "SELECT organisation_id, value FROM org_alias "
            "WHERE kind = 'domain' AND organisation_id IN {values}",
            missing,
        )
        for org in missing:
            self._org_domains.setdefault(org, set())
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
            by_name = [o for o in by_name if not self._org_domains.get(o) or
                       domain in self._org_domains[o]]  # fmt: skip
        if len(by_name) == 1:
            org = by_name[0]
            if domain and domain not in self._org_domains.get(org, set()):
                self._add_alias(org, "domain", domain, domain)
            return org
        if len(by_name) > 1:
            self.stats.org_ambiguous += 1
            return None
        group = self._group_match(key, domain)
        if group is not None:
            self._add_alias(group, "name", key, raw or key)
            return group
        name = (raw or domain or key)[:512]
        # A provisional (negative) id until _flush_orgs draws the real ones.
        self._new_orgs.append((name, key or org_key(name)))
        org = -len(self._new_orgs)
        self.stats.org_created += 1
        if key:
            self._add_alias(org, "name", key, name)
        if domain:
            self._add_alias(org, "domain", domain, domain)
        return org

    def _group_match(self, key: str, domain: str | None) -> int | None:
        """The one organisation named ``key`` with or without a "group" word in front."""
        if not key:
            return None
        found: set[int] = set()
        for variant in group_variants(key):
            for org in self._org_by_key.get(("name", variant), []):
                if not domain or not self._org_domains.get(org) or domain in self._org_domains[org]:
                    found.add(org)
        return found.pop() if len(found) == 1 else None

    def _add_alias(self, org: int, kind: str, value: str, raw: str) -> None:
        self._new_aliases.append((org, kind, value, raw[:512]))
        self._org_by_key.setdefault((kind, value), []).append(org)
        if org < 0:
            self._provisional.append((kind, value))
        if kind == "domain":
            self._org_domains[org].add(value)

    def _flush_orgs(self) -> dict[int, int]:
        """Write the organisations and aliases created so far; provisional id -> real id."""
        real: dict[int, int] = {}
        if self._new_orgs:
            ids = self.bulk.reserve_ids("organisation", len(self._new_orgs))
            real = {-(i + 1): org for i, org in enumerate(ids)}
            now = utcnow()
            self.bulk.insert(
                "organisation",
                ("id", "name", "key", "is_ours", "created_at"),
                [
                    (org, name, key, False, now)
                    for org, (name, key) in zip(ids, self._new_orgs, strict=True)
                ],
            )
            for alias in self._provisional:
                orgs = self._org_by_key[alias]
                orgs[:] = [real.get(o, o) for o in orgs]
            for provisional, org in real.items():
                self._org_domains[org] = self._org_domains.pop(provisional, set())
            self._new_orgs = []
            self._provisional = []
        if self._new_aliases:
            self.bulk.insert(
                "org_alias",
                ("organisation_id", "kind", "value", "raw"),
                [(real.get(o, o), kind, value, raw) for o, kind, value, raw in self._new_aliases],
            )
            self._new_aliases = []
        return real


def _display(first: str | None, last: str | None, mention: PersonMention) -> str:
    name = " ".join(p for p in (first, last) if p)
    return (name or mention.full_name())[:512]
