"""X (Twitter) accounts of the demo world and the archives ~30% of employees upload.

Archives hold ``data/manifest.js``, ``data/account.js``, ``data/follower.js`` and
``data/following.js`` as ``window.YTD.<name>.part0 = [...]`` with ids as strings. Follows
between employees are consistent across archives; pool people with an X account are in
the truth (people.csv ``x_id``); the other ids are random accounts nobody can resolve.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tejido.demo._files import write_zip
from tejido.demo.influence_plants import BoughtFollowers
from tejido.demo.names import slug_words
from tejido.demo.state import DemoWorld, XAccount
from tejido.demo.world import People

__all__ = ["assign_x_accounts", "js_payload", "write_x_archives"]

_TWITTER_EPOCH_MS = 1288834974657


def _x_id(created: dt.datetime, low: int, rng: np.random.Generator) -> str:
    if created.year < 2014:
        return str(int(rng.integers(10_000_000, 3_000_000_000)))
    ms = int((created - dt.datetime(1970, 1, 1)).total_seconds() * 1000) - _TWITTER_EPOCH_MS
    return str((ms << 22) | low)


def assign_x_accounts(
    people: People, has_zip: NDArray[np.bool_], rng: np.random.Generator
) -> dict[int, XAccount]:
    """Give 45% of employees and 12% of the pool an X account; 2/3 of those employees'
    accounts come with an uploaded archive. Sets ``people.x_id``."""
    n = people.n_employees
    has = rng.random(len(people)) < np.where(np.arange(len(people)) < n, 0.45, 0.12)
    archive = (rng.random(len(people)) < 0.67) & has & (np.arange(len(people)) < n)
    if not archive.any():
        has[0] = archive[0] = True
    seconds = rng.integers(0, 15 * 365 * 86400, size=len(people))
    lows = rng.integers(0, 1 << 22, size=len(people))
    used: set[str] = set()
    names: set[str] = set()
    out: dict[int, XAccount] = {}
    for i in np.flatnonzero(has).tolist():
        created = dt.datetime(2009, 1, 1) + dt.timedelta(seconds=int(seconds[i]))
        xid = _x_id(created, int(lows[i]), rng)
        while xid in used:
            xid = str(int(xid) + 1)
        used.add(xid)
        people.x_id[i] = xid
        if i >= n:
            continue
        first = slug_words(people.first[i]).replace("-", "")
        initials = "".join(w[:1] for w in slug_words(people.last[i]).split("-"))
        user, k = f"{first}_{initials}", 2
        while user in names:
            user, k = f"{first}_{initials}{k}", k + 1
        names.add(user)
        display = f"{people.first[i]} {people.last[i].split(' ')[0]}"
        stamp = created.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        out[i] = XAccount(i, xid, user, display, stamp, bool(archive[i]))
    return out


def js_payload(name: str, items: list[dict[str, Any]]) -> str:
    """``window.YTD.<name>.part0 = [...]`` exactly as X writes it (no final newline)."""
    return f"window.YTD.{name}.part0 = " + json.dumps(items, indent=2, ensure_ascii=False)


def _follow_items(kind: str, ids: list[str]) -> list[dict[str, Any]]:
    link = "https://twitter.com/intent/user?user_id="
    return [{kind: {"accountId": i, "userLink": link + i}} for i in ids]


def write_x_archives(
    out_dir: Path, w: DemoWorld, rng: np.random.Generator, bought: BoughtFollowers | None = None
) -> dict[str, Any]:
    """Write every archive; return their paths and follow counts. ``bought`` followers go
    into their employees' follower lists as one block each (after every random draw, so
    the rest of the archives does not depend on them)."""
    n = w.people.n_employees
    accounts = sorted(w.x_accounts)
    colleague = np.zeros((n, n), dtype=bool)
    inner = w.ties.b < n
    colleague[w.ties.a[inner], w.ties.b[inner]] = True
    colleague |= colleague.T
    acc = np.array(accounts, dtype=np.int64)
    p = np.where(colleague[np.ix_(acc, acc)], 0.35, 0.06)
    follows = rng.random(p.shape) < p
    np.fill_diagonal(follows, False)
    ptr, tie_idx = w.ties.by_owner(n)
    pool_x = np.array([i for i in range(n, len(w.people)) if w.people.x_id[i]], dtype=np.int64)
    pool_w = w.people.popularity[pool_x] if pool_x.size else np.ones(1)
    truth_ids = {x for x in w.people.x_id if x} | set(bought.ids if bought else ())
    drawn = np.unique(rng.integers(10**8, 10**18, size=max(2000, 40 * n))).astype(str)
    randoms = np.array([r for r in drawn.tolist() if r not in truth_ids])
    rand_w = rng.lognormal(0, 1.2, size=randoms.size)
    paths: list[Path] = []
    follow_rows = 0
    for k, e in enumerate(accounts):
        x = w.x_accounts[e]
        if not x.archive:
            continue
        mine = tie_idx[ptr[e] : ptr[e + 1]]
        contacts = np.where(w.ties.a[mine] == e, w.ties.b[mine], w.ties.a[mine])
        known = contacts[(contacts >= n) & np.array([bool(w.people.x_id[c]) for c in contacts])]
        lists: dict[str, list[str]] = {}
        for kind, col, share in (("following", follows[k], 0.5), ("follower", follows[:, k], 0.4)):
            mates = [w.x_accounts[int(j)].account_id for j in acc[col]]
            friends = known[rng.random(known.size) < share]
            size = int(min(randoms.size // 2, rng.lognormal(np.log(120), 1.0)))
            famous = rng.choice(pool_x, size=min(size // 3, pool_x.size), replace=False,
                                p=pool_w / pool_w.sum()) if pool_x.size else pool_x  # fmt: skip
            people_ids = np.union1d(friends, famous)
            others = rng.choice(randoms, size=size, replace=False, p=rand_w / rand_w.sum())
            ids = mates + [w.people.x_id[int(c)] for c in people_ids] + others.tolist()
            lists[kind] = [ids[int(i)] for i in rng.permutation(len(ids))]
        if bought is not None:
            fake = bought.block.get(e, []) + bought.extra.get(e, [])
            if fake:
                at = round(bought.depth[e] * len(lists["follower"]))
                lists["follower"][at:at] = fake
        follow_rows += len(lists["follower"]) + len(lists["following"])
        manifest = {
            "userInfo": {"accountId": x.account_id, "userName": x.username,
                         "displayName": x.display_name},
            "dataTypes": {
                name: {"files": [{"fileName": f"data/{name}.js",
                                  "globalName": f"YTD.{name}.part0", "count": str(count)}]}
                for name, count in (("follower", len(lists["follower"])),
                                    ("following", len(lists["following"])), ("account", 1))
            },
        }  # fmt: skip
        account = [{"account": {
            "email": w.emp.work_email[e], "createdVia": "web", "username": x.username,
            "accountId": x.account_id, "createdAt": x.created_at,
            "accountDisplayName": x.display_name}}]  # fmt: skip
        members = [
            ("data/manifest.js",
             "window.__THAR_CONFIG = " + json.dumps(manifest, indent=2, ensure_ascii=False)),
            ("data/account.js", js_payload("account", account)),
            ("data/follower.js", js_payload("follower", _follow_items("follower",
                                                                      lists["follower"]))),
            ("data/following.js", js_payload("following", _follow_items("following",
                                                                        lists["following"]))),
        ]  # fmt: skip
        path = out_dir / "x" / f"{w.people.slug[e]}-twitter-archive.zip"
        write_zip(path, [(name, text.encode()) for name, text in members])
        paths.append(path)
    return {"paths": sorted(paths), "x_follow_rows": follow_rows}
