"""Fake and suspicious accounts in the X follow data: features, a score, and reasons.

An X archive lists its owner's followers (newest first) and the accounts they follow, as
bare account ids. What that shows about an account that follows our people:

- **burst**: X ids are "snowflake" ids that carry the account's creation time; accounts
  made by the dozen within hours of each other were made by one hand (bought followers
  are made in batches);
- **block**: where it sits in a follower list: bought followers arrive together, so they
  sit as one contiguous block of the list, aged accounts (made long before) included;
- **never followed back**: none of the colleagues it follows follows it;
- **empty profile**: nothing but the X id names it: no name, job, company or other key;
- **duplicate name**: its display name is another account's too;
- **follow ratio**: it follows several of our people and none follows it;
- **clustering**: the colleagues it follows do not know each other (real followers follow
  people who know each other).

Each feature that fires adds evidence; the score combines them as independent pieces of
evidence (noisy-OR: ``1 - prod(1 - w)``), so one weak sign alone (an empty profile: most
accounts that follow anyone are strangers) stays low and a batch-made account that sits
in a block scores high. The weights are stated in ``WEIGHTS`` and the reasons name every
sign that fired. Scored on the demo's planted bought followers in docs/influence.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sqlalchemy import Connection, select

from tejido.influence.consent import row_levels
from tejido.ingest.normalise import fold
from tejido.store.models import Connection as ConnectionRow
from tejido.store.models import (
    IdentifierKind,
    Person,
    PersonIdentifier,
    Upload,
    UploadStatus,
    table_of,
)

if TYPE_CHECKING:
    from tejido.contactmap.view import ContactMap

__all__ = [
    "BLOCK_SHARE",
    "BURST_GAP_SECONDS",
    "BURST_MIN",
    "THRESHOLD",
    "WEIGHTS",
    "account_profiles",
    "created_at",
    "follow_rows",
    "score_accounts",
]

P, PI, U = table_of(Person), table_of(PersonIdentifier), table_of(Upload)
C = table_of(ConnectionRow)

# Evidence each sign gives that an account is fake (noisy-OR weights). Being made in a
# batch is weak alone: strangers are made every hour, and a batch's hours also hold real
# accounts; arriving in a block of a follower list together with a batch is strong. With
# these weights a stranger (empty profile, not followed back: 0.32) crosses the threshold
# only with the block, or with the batch and one more sign.
WEIGHTS = {
    "burst": 0.25,
    "block": 0.5,
    "empty_profile": 0.2,
    "duplicate_name": 0.2,
    "never_followed_back": 0.15,
    "follow_ratio": 0.1,
    "low_clustering": 0.1,
}
THRESHOLD = 0.5  # scores at or above are listed as suspicious
BURST_GAP_SECONDS = 3 * 3600  # accounts made within this of the previous one: one batch
BURST_MIN = 10  # a batch this large is a burst
BLOCK_SHARE = 0.8  # a stretch of a follower list this full of batch-made accounts is a block
_BLOCK_GAP = 4  # batch-made followers this close in a list are one stretch
_TWITTER_EPOCH_MS = 1288834974657
_SNOWFLAKE_MIN = 1 << 32  # smaller ids are sequential (before late 2013): no time in them


def created_at(x_ids: Any) -> NDArray[np.float64]:
    """Creation time (seconds since 1970) of X accounts from their snowflake ids; NaN for
    ids that carry none (sequential ids of old accounts, or not numbers).

    >>> import datetime as dt
    >>> when = created_at(["670308580675572937", "12345", "x"])
    >>> dt.datetime.fromtimestamp(when[0], dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    '2015-11-27 18:29:54'
    >>> np.isnan(when[1:]).tolist()
    [True, True]
    """
    out = np.full(len(x_ids), np.nan)
    for i, x in enumerate(x_ids):
        if isinstance(x, str) and x.isdigit() and len(x) < 20 and int(x) >= _SNOWFLAKE_MIN:
            out[i] = ((int(x) >> 22) + _TWITTER_EPOCH_MS) / 1000.0
    return out


def follow_rows(conn: Connection) -> pd.DataFrame:
    """Every follow of the X archives in force: ``upload_id``, ``owner_id`` (whose archive),
    ``line`` (place in the archive's list), ``source_id`` (follows) ``target_id``."""
    rows = conn.execute(
        select(C.c.upload_id, U.c.owner_person_id, C.c.line, C.c.source_id, C.c.target_id)
        .join(U, U.c.id == C.c.upload_id)
        .where(C.c.kind == "x_follow", U.c.status == UploadStatus.ACTIVE)
    ).all()
    frame = pd.DataFrame(rows, columns=["upload_id", "owner_id", "line", "source_id",
                                        "target_id"])  # fmt: skip
    return frame.fillna({"owner_id": -1, "line": 0}).astype(np.int64)


def account_profiles(conn: Connection, person_ids: Any) -> pd.DataFrame:
    """Per person: ``x_id``, ``name`` (folded display name, None when only the X id names
    them) and ``empty_profile`` (nothing but an X id: no name, job, company, headline,
    e-mail or LinkedIn profile)."""
    wanted = sorted({int(i) for i in person_ids})
    people: dict[int, dict[str, Any]] = {}
    for part in _chunks(wanted):
        for pid, display, first, last, position, org, headline in conn.execute(
            select(P.c.id, P.c.display_name, P.c.first_name, P.c.last_name, P.c.position,
                   P.c.organisation_id, P.c.headline).where(P.c.id.in_(part))
        ):  # fmt: skip
            named = bool(first or last) or not str(display).startswith("X account ")
            people[int(pid)] = {
                "person_id": int(pid), "x_id": None,
                "name": fold(str(display)) if named else None,
                "empty_profile": not (named or position or org or headline),
            }  # fmt: skip
        for pid, kind, value in conn.execute(
            select(PI.c.person_id, PI.c.kind, PI.c.value).where(PI.c.person_id.in_(part))
        ):
            row = people.get(int(pid))
            if row is None:
                continue
            if kind == IdentifierKind.X_ID:
                row["x_id"] = str(value)
            elif kind in (IdentifierKind.EMAIL, IdentifierKind.LINKEDIN):
                row["empty_profile"] = False
    columns = ["person_id", "x_id", "name", "empty_profile"]
    return pd.DataFrame(list(people.values()), columns=columns)


def _chunks(ids: list[int], size: int = 900) -> Any:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def score_accounts(cm: ContactMap, follows: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    """One row per account (not an employee) in the X follows this viewer may use, with
    its features, the signs that fired (``sign_<name>``), ``score`` and ``reasons``, most
    suspicious first; ``named`` says whether the viewer may see who it is.

    ``follows`` and ``profiles`` are as ``follow_rows`` and ``account_profiles`` give
    them. One-way follows are no tie of the map, so consent is applied to them here, as
    the map applies it to ties.
    """
    snap = cm.snap
    src = snap.index_of(follows["source_id"].to_numpy())
    dst = snap.index_of(follows["target_id"].to_numpy())
    usable, named = row_levels(cm, follows["owner_id"].to_numpy(), src, dst)
    seen = (src >= 0) & (dst >= 0) & usable
    f = follows[seen].assign(src=src[seen], dst=dst[seen], named=named[seen])
    employee = snap.consent >= 0
    # The accounts: everyone outside the company on a visible follow.
    nodes = np.unique(np.concatenate([f["src"], f["dst"]]))
    nodes = nodes[~employee[nodes]]
    out = pd.DataFrame({"node": nodes, "person_id": snap.person_id[nodes]})
    if not len(out):
        return _empty(out)
    shown = np.concatenate([f["src"].to_numpy()[f["named"]], f["dst"].to_numpy()[f["named"]]])
    out["named"] = np.isin(nodes, shown)
    out = out.merge(profiles, on="person_id", how="left")
    out["empty_profile"] = out["empty_profile"].fillna(True).astype(bool)
    follows_them = f[employee[f["dst"].to_numpy()] & ~employee[f["src"].to_numpy()]]
    followed_by = f[employee[f["src"].to_numpy()] & ~employee[f["dst"].to_numpy()]]
    out["follows"] = _count(follows_them["src"], nodes)
    out["followers"] = _count(followed_by["dst"], nodes)
    mutual = follows_them.merge(followed_by, left_on=["src", "dst"],
                                right_on=["dst", "src"])  # fmt: skip
    out["followed_back"] = _count(mutual["src_x"], nodes)
    share = out["followed_back"] / out["follows"].clip(lower=1)
    out["reciprocity"] = np.where(out["follows"] > 0, share, np.nan)
    out["clustering"] = _clustering(cm, follows_them, nodes)
    out["created_at"] = created_at(out["x_id"].tolist())
    burst = _bursts(out["created_at"].to_numpy())
    out["burst"] = burst
    out["block"] = _blocks(follows_them, out["node"].to_numpy(), burst)
    names = out["name"].where(out["name"].notna() & (out["name"] != ""))
    out["duplicate_name"] = names.map(names.value_counts()).fillna(0).astype(np.int64)
    signs = {
        "burst": out["burst"] >= BURST_MIN,
        "block": out["block"] >= BURST_MIN,
        "empty_profile": out["empty_profile"],
        "duplicate_name": out["duplicate_name"] >= 2,
        "never_followed_back": (out["follows"] > 0) & (out["followed_back"] == 0),
        "follow_ratio": (out["follows"] >= 3) & (out["followers"] == 0),
        "low_clustering": (out["follows"] >= 3) & (out["clustering"] == 0),
    }
    keep = np.ones(len(out))
    for sign, fired in signs.items():
        out[f"sign_{sign}"] = fired.to_numpy(dtype=bool)
        keep *= np.where(fired, 1.0 - WEIGHTS[sign], 1.0)
    out["score"] = 1.0 - keep
    out["suspicious"] = out["score"] >= THRESHOLD
    out["reasons"] = [_reasons(r, {k: bool(v.iloc[i]) for k, v in signs.items()})
                      for i, r in enumerate(out.to_dict("records"))]  # fmt: skip
    return out.sort_values(["score", "node"], ascending=[False, True]).reset_index(drop=True)


def _empty(out: pd.DataFrame) -> pd.DataFrame:
    for column in ("named", "x_id", "name", "empty_profile", "follows", "followers",
                   "followed_back", "reciprocity", "clustering", "created_at", "burst", "block",
                   "duplicate_name", *(f"sign_{k}" for k in WEIGHTS), "score", "suspicious",
                   "reasons"):  # fmt: skip
        out[column] = pd.Series(dtype=object)
    return out


def _count(values: pd.Series, nodes: NDArray[np.int64]) -> NDArray[np.int64]:
    at = np.searchsorted(nodes, values.to_numpy())
    return np.bincount(at, minlength=len(nodes)).astype(np.int64)


def _clustering(cm: ContactMap, follows_them: pd.DataFrame, nodes: NDArray[np.int64]) -> Any:
    """Share of the pairs of colleagues an account follows who are tied (NaN under two)."""
    snap = cm.snap
    indptr, nbr = np.asarray(snap.indptr), np.asarray(snap.nbr)
    visible = np.asarray(cm.visible)[np.asarray(snap.eid)]
    out = np.full(len(nodes), np.nan)
    src, dst = follows_them["src"].to_numpy(), follows_them["dst"].to_numpy()
    order = np.argsort(src, kind="stable")
    src, dst = src[order], dst[order]
    starts = np.flatnonzero(np.r_[True, src[1:] != src[:-1]])
    for lo_, hi_ in zip(starts.tolist(), [*starts[1:].tolist(), len(src)], strict=True):
        account = int(src[lo_])
        mates = np.unique(dst[lo_:hi_])
        if mates.size < 2:
            continue
        tied = 0
        for m in mates.tolist():
            lo, hi = indptr[m], indptr[m + 1]
            tied += int(np.isin(nbr[lo:hi][visible[lo:hi]], mates).sum())
        pairs = mates.size * (mates.size - 1)
        out[int(np.searchsorted(nodes, account))] = tied / pairs
    return out


def _bursts(created: NDArray[np.float64]) -> NDArray[np.int64]:
    """For each account, how many accounts were made in its batch (accounts made within
    ``BURST_GAP_SECONDS`` of the previous one); 0 when its creation time is unknown."""
    out = np.zeros(len(created), dtype=np.int64)
    known = np.flatnonzero(~np.isnan(created))
    if not known.size:
        return out
    order = known[np.argsort(created[known], kind="stable")]
    times = created[order]
    batch = np.concatenate([[0], np.cumsum(np.diff(times) > BURST_GAP_SECONDS)])
    sizes = np.bincount(batch)
    out[order] = sizes[batch]
    return out


def _blocks(
    follows_them: pd.DataFrame, nodes: NDArray[np.int64], burst: NDArray[np.int64]
) -> NDArray[np.int64]:
    """For each account, the length of the block of a follower list it sits in (0: none).

    In each list, in order, the followers that belong to bursts are grouped wherever
    fewer than ``_BLOCK_GAP`` others separate them; a group of at least ``BURST_MIN``
    that fills ``BLOCK_SHARE`` of its stretch of the list is a block, and everyone in the
    stretch (aged accounts delivered with the batch too) sits in it.
    """
    out = np.zeros(len(nodes), dtype=np.int64)
    at = np.searchsorted(nodes, follows_them["src"].to_numpy())
    lists = pd.DataFrame({"upload": follows_them["upload_id"].to_numpy(),
                          "line": follows_them["line"].to_numpy(), "at": at})  # fmt: skip
    lists["batch"] = burst[at] >= BURST_MIN
    for _upload, rows in lists.sort_values(["upload", "line"]).groupby("upload", sort=False):
        hits = np.flatnonzero(rows["batch"].to_numpy())
        if hits.size < BURST_MIN:
            continue
        accounts = rows["at"].to_numpy()
        cuts = np.flatnonzero(np.diff(hits) > _BLOCK_GAP) + 1
        for group in np.split(hits, cuts):
            length = int(group[-1] - group[0] + 1)
            if group.size >= BURST_MIN and group.size >= BLOCK_SHARE * length:
                span = accounts[group[0] : group[-1] + 1]
                out[span] = np.maximum(out[span], length)
    return out


def _reasons(r: dict[Any, Any], fired: dict[str, bool]) -> list[str]:
    out = []
    if fired["burst"]:
        out.append(f"made in a batch of {int(r['burst']):,} accounts within hours")
    if fired["block"]:
        out.append(f"followed within a block of {int(r['block']):,} batch-made followers")
    if fired["empty_profile"]:
        out.append("no profile: only an X id")
    if fired["duplicate_name"]:
        out.append(f"its name is on {int(r['duplicate_name'])} accounts")
    if fired["never_followed_back"]:
        out.append(f"follows {int(r['follows'])} of our people, none follows it back")
    if fired["follow_ratio"]:
        out.append("follows several of our people and nobody follows it")
    if fired["low_clustering"]:
        out.append("the colleagues it follows do not know each other")
    return out
