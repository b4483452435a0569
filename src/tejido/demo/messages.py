"""LinkedIn conversations: 1:1 threads along ties, group threads, and bulk InMail spam.

Stronger ties get more messages, more recent and more reciprocal ones. Bulk senders each
send one templated pitch (with the recipient's first name) to many employees; nobody
answers and they are nobody's connection.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from tejido.demo.careers import Employees
from tejido.demo.orgnames import COUNTRIES
from tejido.demo.texts import (
    BULK_CTAS,
    BULK_OPENERS,
    BULK_SUBJECTS,
    GROUP_TITLES,
    MESSAGE_LINES,
    SIGN_OFFS,
)
from tejido.demo.ties import EXPORT_DAY, Ties
from tejido.demo.world import Organisations, People

__all__ = ["Conversation", "Inbox", "build_inbox", "choose_bulk_senders"]

_DAY = 86400
MESSAGE_RATE = 14.0  # messages on a tie ~ Poisson(MESSAGE_RATE * strength**3)
WARM_MESSAGES = 12  # at least this many on a warm tie, the last within _WARM_DAYS
_WARM_DAYS = 25
_END = EXPORT_DAY * _DAY - 1


@dataclass
class Conversation:
    """One thread: its id, title, participants and (sender, time, subject, text) messages."""

    cid: str
    title: str
    participants: tuple[int, ...]
    messages: list[tuple[int, int, str, str]] = field(default_factory=list)


@dataclass
class Inbox:
    """Every conversation, and for each employee the indices of the threads they are in."""

    conversations: list[Conversation]
    by_employee: list[list[int]]
    bulk_senders: list[int]
    group_messages: int = 0
    bulk_messages: int = 0


def choose_bulk_senders(people: People, rng: np.random.Generator) -> NDArray[np.int64]:
    """A few dozen pool people (sales roles first) who spam employees with InMails."""
    n = people.n_employees
    k = int(np.clip(round(n / 8), 8, 40))
    twins = {x for pair in people.same_org_homonyms for x in pair}
    pool = np.array([i for i in range(n, len(people)) if people.role[i] == 0 and i not in twins])
    return np.sort(rng.choice(pool, size=k, replace=False)).astype(np.int64)


def _lang(people: People, p: int) -> str:
    return "es" if COUNTRIES[int(people.country[p])] in ("ES", "MX") else "en"


class _Ids:
    """Conversation ids like LinkedIn's ("2-" + base64 of hex digits), unique by design."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.k = int(rng.integers(1 << 36))

    def next(self) -> str:
        self.k = (self.k * 2862933555777941757 + 3037000493) % (1 << 40)
        return "2-" + base64.b64encode(f"{self.k:010x}".encode()).decode().rstrip("=")


def _thread_times(
    size: int, lo: int, strength: float, rng: np.random.Generator, *, within: int | None = None
) -> list[int]:
    """Times of one thread: recent for strong ties, never before ``lo`` nor after export.

    With ``within`` (seconds), the thread ends no earlier than that before the export.
    """
    window = max(_END - lo, 3600)
    if within is not None:
        window = min(window, within)
    age = min(rng.exponential(30 + 600 * (1 - strength)) * _DAY, rng.random() * window)
    gaps = (rng.exponential(3 * 3600, size=size) + 30).astype(np.int64)
    gaps[0] = 0
    times = _END - int(age) + np.cumsum(gaps)
    times -= max(0, int(times[-1]) - _END)
    return np.maximum(times, lo).tolist()  # type: ignore[no-any-return]


def _text(people: People, sender: int, to: int, opener: bool, rng: np.random.Generator) -> str:
    lang = _lang(people, sender)
    lines = MESSAGE_LINES[lang][0 if opener else 1]
    text = lines[int(rng.integers(len(lines)))].format(first=people.first[to])
    if rng.random() < 0.15:
        sign = SIGN_OFFS[lang][int(rng.integers(len(SIGN_OFFS[lang])))]
        text = f"{text}\n{sign}\n{people.first[sender]}"
    return text


def build_inbox(
    people: People,
    orgs: Organisations,
    emp: Employees,
    ties: Ties,
    senders: NDArray[np.int64],
    rng: np.random.Generator,
    *,
    warm: Sequence[int] = (),
    silent: Sequence[int] = (),
) -> Inbox:
    """Write nothing; decide every conversation and fill ``ties.messages``.

    The ``warm`` ties (indices) get at least WARM_MESSAGES one-to-one messages, answered,
    the last within _WARM_DAYS days of the export; the ``silent`` ones none. Neither joins
    a group thread: their messages are exactly what was planted.
    """
    n = people.n_employees
    ids = _Ids(rng)
    convs: list[Conversation] = []
    owner_zip = emp.has_zip[ties.a] | ((ties.b < n) & emp.has_zip[np.minimum(ties.b, n - 1)])
    counts = np.where(owner_zip, rng.poisson(MESSAGE_RATE * ties.strength**3), 0)
    counts[list(warm)] = np.maximum(counts[list(warm)], WARM_MESSAGES)
    counts[list(silent)] = 0
    ties.messages[:] = counts
    forced = set(warm)
    for t in np.flatnonzero(counts).tolist():
        a, b, s = int(ties.a[t]), int(ties.b[t]), float(ties.strength[t])
        total = int(counts[t])
        parts = 1 + int(total > 6) + int(total > 15)
        sizes = np.bincount(rng.integers(parts, size=total - parts), minlength=parts) + 1
        lo = int(ties.day[t]) * _DAY + 7 * 3600
        for i, size in enumerate(sizes.tolist()):
            conv = Conversation(ids.next(), "", (a, b))
            last = t in forced and i == parts - 1
            times = _thread_times(size, lo, s, rng, within=_WARM_DAYS * _DAY if last else None)
            sender = a if rng.random() < 0.5 else b
            for k, ts in enumerate(times):
                other = b if sender == a else a
                conv.messages.append((sender, ts, "", _text(people, sender, other, k == 0, rng)))
                # A warm tie's first message is always answered: it is never one-sided.
                if rng.random() < 0.25 + 0.7 * s or (t in forced and k == 0):
                    sender = other
            convs.append(conv)
    planted = np.array(sorted(forced.union(silent)), dtype=np.int64)
    n_group = _groups(people, orgs, emp, ties, planted, ids, convs, rng)
    n_bulk = _bulk(people, emp, senders, ids, convs, rng)
    by_emp: list[list[int]] = [[] for _ in range(n)]
    for i, conv in enumerate(convs):
        for p in conv.participants:
            if p < n and emp.has_zip[p]:
                by_emp[p].append(i)
    return Inbox(convs, by_emp, senders.tolist(), n_group, n_bulk)


def _groups(
    people: People,
    orgs: Organisations,
    emp: Employees,
    ties: Ties,
    planted: NDArray[np.int64],
    ids: _Ids,
    convs: list[Conversation],
    rng: np.random.Generator,
) -> int:
    """A few group threads per employee with their strongest ties (planted ones aside)."""
    ptr, tie_idx = ties.by_owner(people.n_employees)
    written = 0
    for e in np.flatnonzero(emp.has_zip).tolist():
        mine = tie_idx[ptr[e] : ptr[e + 1]]
        if planted.size:
            mine = mine[~np.isin(mine, planted)]
        if mine.size < 4:
            continue
        strong = mine[np.argsort(-ties.strength[mine], kind="stable")[:30]]
        for _ in range(int(rng.poisson(1.5))):
            k = int(rng.integers(2, 5))
            chosen = rng.choice(strong, size=min(k, strong.size), replace=False)
            others = [int(ties.b[t]) if int(ties.a[t]) == e else int(ties.a[t]) for t in chosen]
            members = tuple(sorted({e, *others}))
            outside = [p for p in members if p >= people.n_employees]
            org = orgs.brand[int(people.org[outside[0]])] if outside else "Tejido Demo"
            pattern = GROUP_TITLES[int(rng.integers(len(GROUP_TITLES)))]
            conv = Conversation(ids.next(), pattern.format(org=org), members)
            ts = _END - int(rng.exponential(200) * _DAY)
            for _m in range(int(rng.integers(2, 7))):
                sender = members[int(rng.integers(len(members)))]
                to = members[0] if members[0] != sender else members[1]
                conv.messages.append((sender, ts, "", _text(people, sender, to, _m == 0, rng)))
                ts = min(_END, ts + int(rng.exponential(5 * 3600)) + 60)
            written += len(conv.messages)
            convs.append(conv)
    return written


def _bulk(
    people: People,
    emp: Employees,
    senders: NDArray[np.int64],
    ids: _Ids,
    convs: list[Conversation],
    rng: np.random.Generator,
) -> int:
    """Each seller pitches the same text, first name filled in, to many employees."""
    targets_all = np.flatnonzero(emp.has_zip)
    keen = np.array([2.0 if emp.dept[e] in ("sales", "executives", "marketing") else 1.0
                     for e in targets_all])  # fmt: skip
    written = 0
    for k, s in enumerate(senders.tolist()):
        subject = BULK_SUBJECTS[k % len(BULK_SUBJECTS)]
        opener = BULK_OPENERS[(k // len(BULK_SUBJECTS) + k) % len(BULK_OPENERS)]
        cta = BULK_CTAS[k % len(BULK_CTAS)]
        body = f"{opener} {cta}\n{people.first[s]} {people.last[s]}"
        share = rng.uniform(0.2, 0.6)
        size = max(2, round(share * targets_all.size))
        size = min(size, targets_all.size)
        chosen = np.sort(rng.choice(targets_all, size=size, replace=False, p=keen / keen.sum()))
        ts = _END - int(rng.uniform(5, 400) * _DAY)
        for e in chosen.tolist():
            first = people.first[e]
            conv = Conversation(ids.next(), "", (s, e))
            text = body.format(first=first)
            conv.messages.append((s, ts, subject.format(first=first), text))
            ts += int(rng.integers(2, 40))
            convs.append(conv)
            written += 1
    return written
