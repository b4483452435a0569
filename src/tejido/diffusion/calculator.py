"""Seed 002's back-of-envelope reach model, and the same assumptions on the real graph.

The blog multiplies averages: a corporate account of 5,000 followers with a 1% click rate
brings 50 visits; each employee has a LinkedIn and an X account of about 1,000 contacts,
so 10 employees reach 10 x 2 x 1,000 = 20,000 people (100 reach 200,000); employees share
their own and others' content too (curation, x10) and a peer's post is clicked three
times as often as a corporate one (x3): 20,000 x 10 x 3 = 600,000 ("close to half a
million"); and 5% of those who see a post engage with it, showing it to their own ~1,000
contacts: the corporate account's 5,000 followers give 5,000 x 5% x 1,000 = 250,000, the
10 employees' 20,000 give 1,000,000 per post and 10,000,000 over the curated stream
("several millions").

``blog_reach`` reproduces those figures from its parameters. ``graph_reach`` puts the
same assumptions on the company's real network: every employee's audience is who they
are actually tied to (LinkedIn connections, X followers), and people two colleagues know
are counted once, which is what multiplying averages cannot do.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tejido.errors import BadInputError
from tejido.snapshot.model import KIND_X_AB, KIND_X_BA

if TYPE_CHECKING:
    import pandas as pd
    from numpy.typing import NDArray

    from tejido.contactmap.view import ContactMap

__all__ = ["Assumptions", "BlogReach", "GraphReach", "blog_reach", "graph_reach"]


@dataclass(frozen=True)
class Assumptions:
    """The blog's averages (seed 002); every figure of ``blog_reach`` follows from them."""

    corporate_followers: int = 5_000
    click_rate: float = 0.01
    employees: int = 10
    networks: int = 2  # LinkedIn and X
    contacts: int = 1_000  # per network and employee ("500-1000")
    curation: float = 10.0  # own and third-party content shared besides the post
    peer_factor: float = 3.0  # a peer's post is clicked this many times more
    engagement: float = 0.05  # share of viewers who like, comment or share
    engager_contacts: int = 1_000  # whom an engagement shows the post to

    def __post_init__(self) -> None:
        for name in ("corporate_followers", "employees", "networks", "contacts",
                     "engager_contacts"):  # fmt: skip
            value = getattr(self, name)
            if not (isinstance(value, int) and value >= 0):
                raise BadInputError(f"The {name!r} assumption must be an int >= 0. Got {value!r}.",
                                    field=name)  # fmt: skip
        for name in ("click_rate", "engagement"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0 <= value <= 1):
                raise BadInputError(f"The {name!r} assumption must be a share in [0, 1]. "
                                    f"Got {value!r}.", field=name)  # fmt: skip
        for name in ("curation", "peer_factor"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and value >= 0):
                raise BadInputError(f"The {name!r} assumption must be a number >= 0. "
                                    f"Got {value!r}.", field=name)  # fmt: skip


@dataclass(frozen=True)
class BlogReach:
    """The blog's figures for one set of assumptions."""

    assumptions: Assumptions
    corporate_visits: float  # followers x click rate
    employee_audience: int  # employees x networks x contacts
    employee_visits: float  # audience x click rate x peer factor
    curated_reach: float  # audience x curation x peer factor
    corporate_engaged_exposure: float  # followers x engagement x engager contacts
    employee_engaged_exposure: float  # audience x engagement x engager contacts
    curated_engaged_exposure: float  # the same over the curated stream (x curation)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def blog_reach(assumptions: Assumptions | None = None, **changes: Any) -> BlogReach:
    """Seed 002's figures, multiplying averages.

    >>> r = blog_reach()
    >>> r.corporate_visits, r.employee_audience, blog_reach(employees=100).employee_audience
    (50.0, 20000, 200000)
    >>> r.curated_reach, r.corporate_engaged_exposure, r.employee_engaged_exposure
    (600000.0, 250000.0, 1000000.0)
    """
    a = assumptions or Assumptions()
    if changes:
        a = Assumptions(**{**asdict(a), **changes})
    audience = a.employees * a.networks * a.contacts
    return BlogReach(
        assumptions=a,
        corporate_visits=a.corporate_followers * a.click_rate,
        employee_audience=audience,
        employee_visits=audience * a.click_rate * a.peer_factor,
        curated_reach=audience * a.curation * a.peer_factor,
        corporate_engaged_exposure=a.corporate_followers * a.engagement * a.engager_contacts,
        employee_engaged_exposure=audience * a.engagement * a.engager_contacts,
        curated_engaged_exposure=audience * a.curation * a.engagement * a.engager_contacts,
    )


@dataclass(frozen=True)
class GraphReach:
    """The same assumptions on the real graph, for a set of employees."""

    employees: int
    audiences: list[int]  # each employee's own audience
    summed: int  # what multiplying (adding) audiences gives
    distinct: int  # the people reached, each counted once
    overlap: float  # share of the summed audience that is the same people again
    visits: float  # distinct x click rate x peer factor
    blog: BlogReach  # the blog's figures with these employees' average audience

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def graph_reach(
    cm: ContactMap,
    employees: Any,
    assumptions: Assumptions | None = None,
    follows: pd.DataFrame | None = None,
) -> GraphReach:
    """The audience of ``employees`` (snapshot nodes) on the map this viewer may use:
    people tied to them on LinkedIn or following them on X, each counted once.

    ``follows`` are the X follows (``influence.suspicious.follow_rows``): one-way follows
    are no tie of the map, but a follower sees what they post. Beside the audience, the
    blog's figures for as many employees with the same average audience, so the two
    differ only by the overlap the graph shows.
    """
    a = assumptions or Assumptions()
    snap = cm.snap
    chosen = np.unique(np.asarray(employees, dtype=np.int64))
    if chosen.size and (chosen.min() < 0 or chosen.max() >= snap.n_nodes):
        raise BadInputError("employees must be nodes of the snapshot", field="employees")
    reached = _audiences(cm, chosen)
    if follows is not None and len(follows):
        reached = _with_followers(cm, chosen, reached, follows)
    sizes = [int(r.size) for r in reached]
    distinct = int(np.unique(np.concatenate(reached)).size) if reached else 0
    summed = int(sum(sizes))
    mean = summed / max(len(sizes), 1)
    blog = blog_reach(a, employees=len(sizes), networks=1, contacts=round(mean))
    return GraphReach(
        employees=len(sizes), audiences=sizes, summed=summed, distinct=distinct,
        overlap=(1.0 - distinct / summed) if summed else 0.0,
        visits=distinct * a.click_rate * a.peer_factor, blog=blog,
    )  # fmt: skip


def _with_followers(
    cm: ContactMap,
    chosen: NDArray[np.int64],
    reached: list[NDArray[np.int64]],
    follows: pd.DataFrame,
) -> list[NDArray[np.int64]]:
    """Add each employee's X followers from the follows the viewer may use."""
    from tejido.influence.consent import row_levels

    snap = cm.snap
    src = snap.index_of(follows["source_id"].to_numpy())
    dst = snap.index_of(follows["target_id"].to_numpy())
    usable, _named = row_levels(cm, follows["owner_id"].to_numpy(), src, dst)
    keep = usable & (src >= 0) & np.isin(dst, chosen)
    src, dst = src[keep], dst[keep]
    return [np.union1d(r, src[dst == e]) for e, r in zip(chosen.tolist(), reached, strict=True)]


def _audiences(cm: ContactMap, chosen: NDArray[np.int64]) -> list[NDArray[np.int64]]:
    """Per employee: the other ends of their usable ties that can see what they post (a
    LinkedIn connection either way; on X only a follower)."""
    snap = cm.snap
    indptr, nbr, eid = np.asarray(snap.indptr), np.asarray(snap.nbr), np.asarray(snap.eid)
    kinds, u = np.asarray(snap.kinds), np.asarray(snap.u)
    visible = np.asarray(cm.visible)
    out = []
    for e in chosen.tolist():
        lo, hi = int(indptr[e]), int(indptr[e + 1])
        edges, others = eid[lo:hi], nbr[lo:hi]
        k = kinds[edges]
        x_only = (k & np.uint8(0xFF ^ (KIND_X_AB | KIND_X_BA))) == 0
        # On the tie (u, v), v follows u when KIND_X_BA is set.
        follows_me = np.where(u[edges] == e, (k & KIND_X_BA) > 0, (k & KIND_X_AB) > 0)
        sees = visible[edges] & (~x_only | follows_me)
        out.append(np.asarray(others[sees], dtype=np.int64))
    return out
