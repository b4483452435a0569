"""Employee advocacy: a post seen, clicked, engaged with and re-shared, round after round.

Seed 002's mechanism on the real graph. Employees post; each of their contacts may see it,
click it, and engage with it (like, comment or re-share), which shows it to their own
contacts: the next round. The blog gives the rates of a brand account's post (1% click,
"high") and says a peer's is clicked three times as often, that 5% of those who see a post
engage with it, and that an engineer's contacts are mostly engineers, so second rounds are
likely; the rest are our assumptions, stated in ``AdvocacyParams``.

Probabilities per arc ``u -> v`` (what ``u`` shares reaches ``v``): ``v`` clicks and
engages more when the tie is strong (Bakshy et al. 2012: strong ties are individually the
more influential) and when ``v`` shares ``u``'s industry or role family (homophily):

    factor = (1 + strength_gain * strength) * same_industry? * same_role?
    click  = min(1, click_rate * peer_factor * factor)
    engage = min(1, engage_rate * factor)

so the blog's rates are those of a tie with no evidence of strength between strangers to
each other's trade. Seeing (``seen``) and re-sharing (``reshare_share`` of engagements) do
not depend on the tie. The simulation itself, with the delays, is ``timeline``'s kernel.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from tejido.diffusion.timeline import HOURS, Delay, TimedRuns, simulate
from tejido.errors import BadInputError
from tejido.ingest.normalise import fold

if TYPE_CHECKING:
    from tejido.contactmap.view import ContactMap
    from tejido.diffusion.network import Arcs

__all__ = [
    "ROLE_FAMILIES",
    "AdvocacyNetwork",
    "AdvocacyParams",
    "ArcAttributes",
    "Stages",
    "advocacy_runs",
    "arc_attributes",
    "map_network",
    "role_family",
    "stage_probabilities",
]


# Median hours and log deviation: 10% of people see a post after 14 hours and 1% after
# two days; clicks come minutes after seeing it, engagements within the hour.
_SEEN_HOURS_LATER = Delay(3.0, 1.2)
_CLICKED_AT_ONCE = Delay(0.05, 1.0)
_ENGAGED_WITHIN_THE_HOUR = Delay(0.25, 1.0)


@dataclass(frozen=True)
class AdvocacyParams:
    """The advocacy model's rates, multipliers and delays (hours).

    From seed 002: ``click_rate`` (a brand account's post, 1%), ``peer_factor`` (a peer's
    post is clicked 3 times as often), ``engage_rate`` (5% of those who see a post like,
    comment or share it). Ours, to be measured: ``seen`` (share of a sharer's contacts who
    see the post in their feed: "only a small part"), ``activity_seen`` (a like or comment
    shows in the feed this often relative to a re-share), ``reshare_share`` (share of
    engagements that are re-shares), the multipliers for the same industry and the same
    role family (the blog: an engineer's network is mostly engineers), ``strength_gain``
    (a tie of strength 1 multiplies clicks and engagements by ``1 + strength_gain``), and
    the delays: people see posts hours later, click at once, engage within the hour.
    """

    click_rate: float = 0.01
    peer_factor: float = 3.0
    engage_rate: float = 0.05
    seen: float = 0.2
    activity_seen: float = 0.25
    reshare_share: float = 0.2
    same_industry: float = 1.5
    same_role: float = 2.0
    strength_gain: float = 2.0
    exposure_delay: Delay = _SEEN_HOURS_LATER
    click_delay: Delay = _CLICKED_AT_ONCE
    engage_delay: Delay = _ENGAGED_WITHIN_THE_HOUR

    def __post_init__(self) -> None:
        shares = ("click_rate", "engage_rate", "seen", "activity_seen", "reshare_share")
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_delay"):
                if not isinstance(value, Delay):
                    raise BadInputError(f"The {f.name!r} parameter of AdvocacyParams must be "
                                        f"a Delay. Got {value!r} instead.",
                                        field=f.name)  # fmt: skip
                continue
            ok = isinstance(value, int | float) and math.isfinite(value) and value >= 0
            if f.name in shares and not (ok and value <= 1):
                raise BadInputError(f"The {f.name!r} parameter of AdvocacyParams must be a "
                                    f"share in [0, 1]. Got {value!r} instead.",
                                    field=f.name)  # fmt: skip
            if not ok:
                raise BadInputError(f"The {f.name!r} parameter of AdvocacyParams must be a "
                                    f"number >= 0. Got {value!r} instead.",
                                    field=f.name)  # fmt: skip


@dataclass(frozen=True)
class Stages:
    """Per arc: the probability that the target sees what the source shares (``seen``),
    and, each time they see it, that they click it, engage with it, and that an
    engagement is a re-share."""

    seen: NDArray[np.float64]
    click: NDArray[np.float64]
    engage: NDArray[np.float64]
    reshare: NDArray[np.float64]


def stage_probabilities(
    strength: Any, same_industry: Any, same_role: Any, params: AdvocacyParams | None = None
) -> Stages:
    """The stage probabilities of arcs from their tie strength (0..1) and whether both
    ends share an industry and a role family (see the module docstring).

    >>> s = stage_probabilities([0.0, 1.0], [False, True], [False, False])
    >>> s.click.round(4).tolist(), s.engage.round(4).tolist(), s.seen.tolist()
    ([0.03, 0.135], [0.05, 0.225], [0.2, 0.2])
    """
    a = params or AdvocacyParams()
    s = np.asarray(strength, dtype=np.float64)
    ind = np.asarray(same_industry, dtype=bool)
    role = np.asarray(same_role, dtype=bool)
    if ind.shape != s.shape or role.shape != s.shape or s.ndim != 1:
        raise BadInputError("strength, same_industry and same_role must have one value per "
                            "arc", field="arcs")  # fmt: skip
    if s.size and (np.isnan(s).any() or s.min() < 0 or s.max() > 1):
        raise BadInputError("tie strengths must be in [0, 1]", field="strength")
    factor = (1 + a.strength_gain * s) * np.where(ind, a.same_industry, 1.0)
    factor *= np.where(role, a.same_role, 1.0)
    return Stages(
        seen=np.full(s.size, a.seen),
        click=np.minimum(1.0, a.click_rate * a.peer_factor * factor),
        engage=np.minimum(1.0, a.engage_rate * factor),
        reshare=np.full(s.size, a.reshare_share),
    )


@dataclass(frozen=True)
class AdvocacyNetwork:
    """Arcs in CSR (out-arcs of each vertex, sorted) with their stage probabilities, and
    the parameters (delays, ``activity_seen``) the simulation uses."""

    n: int
    indptr: NDArray[np.int64]
    dst: NDArray[np.int64]
    src: NDArray[np.int64]
    stages: Stages
    params: AdvocacyParams

    @classmethod
    def from_arcs(
        cls, src: Any, dst: Any, n: int, *, strength: Any = None, same_industry: Any = None,
        same_role: Any = None, params: AdvocacyParams | None = None,
    ) -> AdvocacyNetwork:  # fmt: skip
        """The network of arcs ``src -> dst`` on ``n`` vertices, usable without a workspace;
        per arc: ``strength`` (0 when None), ``same_industry`` and ``same_role`` (False
        when None). Repeated arcs are kept once (the first); self-loops dropped.

        >>> net = AdvocacyNetwork.from_arcs([0, 0, 1, 0], [1, 2, 2, 1], 3, strength=[1, 0, 0, 0])
        >>> net.indptr.tolist(), net.dst.tolist(), net.stages.engage.round(2).tolist()
        ([0, 2, 3, 3], [1, 2, 2], [0.15, 0.05, 0.05])
        """
        a = np.asarray(src, dtype=np.int64)
        b = np.asarray(dst, dtype=np.int64)
        if a.shape != b.shape or a.ndim != 1:
            raise BadInputError("src and dst must have one value per arc", field="arcs")
        if a.size and (min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= n):
            raise BadInputError(f"arcs must join nodes 0..{n - 1}", field="arcs")
        s = np.zeros(a.size) if strength is None else np.asarray(strength, dtype=np.float64)
        ind = np.zeros(a.size, bool) if same_industry is None else np.asarray(same_industry)
        role = np.zeros(a.size, bool) if same_role is None else np.asarray(same_role)
        a_params = params or AdvocacyParams()
        stages = stage_probabilities(s, ind, role, a_params)
        keep = np.flatnonzero(a != b)
        key, first = np.unique(a[keep] * n + b[keep], return_index=True)
        take = keep[first]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.add.at(indptr, key // n + 1, 1)
        picked = Stages(*(getattr(stages, f.name)[take] for f in fields(Stages)))
        return cls(n, np.cumsum(indptr), (key % n).astype(np.int64),
                   (key // n).astype(np.int64), picked, a_params)  # fmt: skip

    @property
    def m(self) -> int:
        return int(self.dst.size)


def advocacy_runs(
    network: AdvocacyNetwork,
    seeds: Any,
    weights: Any = None,
    runs: int = 10_000,
    seed: int = 0,
    *,
    bins: Any = HOURS,
    first: int = 0,
) -> TimedRuns:
    """``runs`` simulated posts by ``seeds`` (vertices) at hour 0: per run, the weighted
    people who saw, clicked, engaged and re-shared (``weights``: a segment, as for
    ``cascade.reach_runs``; None counts everyone once), the cascade tree's size, depth,
    breadth and timing, and reach by each of ``bins`` hours. Runs ``first..first+runs-1``
    of ``seed``: the same on any number of threads, or split across machines.

    >>> net = AdvocacyNetwork.from_arcs([0, 0], [1, 2], 3, params=AdvocacyParams(seen=1.0))
    >>> r = advocacy_runs(net, [0], runs=1000, seed=1, bins=[24, 1e9])
    >>> float(r.exposed.mean()), float(r.exposed_by[:, -1].mean()), bool(r.engaged.mean() < 0.2)
    (2.0, 2.0, True)
    """
    a = network.params
    delays = np.array([[d.median_hours, d.sigma]
                       for d in (a.exposure_delay, a.click_delay, a.engage_delay)])  # fmt: skip
    st = network.stages
    return simulate(network.indptr, network.dst, network.src, st.seen, st.click, st.engage,
                    st.reshare, a.activity_seen, delays, seeds, weights, runs, seed, bins,
                    first)  # fmt: skip


# -- the map's attributes ------------------------------------------------------------------

ROLE_FAMILIES = ("sales", "engineering", "marketing", "finance", "hr", "operations",
                 "executive", "procurement", "it", "legal")  # fmt: skip

# Words of folded titles (Spanish and English), tried in this order: the first family
# whose pattern matches wins, so "Director General" is an executive before "director"
# means anything, and "Category Manager, IT" is procurement before it is IT.
_ROLE_WORDS = (
    ("executive", r"ceo|cto|consejer[oa] delegad[oa]|directora? general|managing director"
                  r"|managing partner|general manager|founder|president[ea]?|socio director"
                  r"|chief executive|executives"),
    ("legal", r"counsel|legal|lawyer|abogad[oa]|juridic[oa]|compliance|cumplimiento|dpo"),
    ("procurement", r"procurement|purchas\w*|compras|aprovisionamiento|category manager"
                    r"|buyer"),
    ("it", r"it|cio|ciso|sistemas|systems|ciberseguridad|cybersecurity"
           r"|transformacion digital|digital channels|digital transformation"),
    ("hr", r"hr|rrhh|people|personas|talent|seleccion|recruit\w*|human resources"
           r"|recursos humanos"),
    ("finance", r"cfo|financ\w*|controller|treasury|tesoreria|audit\w*|accountant|contable"),
    ("marketing", r"marketing|brand|community manager|comunicacion|communications?|content"
                  r"|social media|cmo"),
    ("sales", r"sales|ventas|comercial|accounts?|cuentas?|business development"
              r"|desarrollo de negocio"),
    ("operations", r"operations|operaciones|coo|plant|planta|quality|calidad|servicio"
                   r"|support|soporte|customer success|implantacion|logistic\w*"),
    ("engineering", r"engineer\w*|ingenier\w*|software|data|datos|architect\w*"
                    r"|arquitect[oa]\w*|i d|r d|proyecto|project|developer\w*"
                    r"|desarrollador\w*|devops"),
)  # fmt: skip
_ROLE_PATTERNS = tuple((ROLE_FAMILIES.index(name), re.compile(rf"\b(?:{words})\b"))
                       for name, words in _ROLE_WORDS)  # fmt: skip


def role_family(title: str) -> int:
    """The role family of a job title (an index into ``ROLE_FAMILIES``), or -1.

    >>> [ROLE_FAMILIES[role_family(t)] for t in ("Ingeniera de Datos", "VP Sales, EMEA",
    ...                                         "Category Manager, IT", "Directora General")]
    ['engineering', 'sales', 'procurement', 'executive']
    >>> role_family("Astronaut")
    -1
    """
    folded = fold(title)
    for family, pattern in _ROLE_PATTERNS:
        if pattern.search(folded):
            return family
    return -1


@dataclass(frozen=True)
class ArcAttributes:
    """Per arc of an ``Arcs``: the strength of the tie under it, and whether both ends
    share an industry, and a role family."""

    strength: NDArray[np.float64]
    same_industry: NDArray[np.bool_]
    same_role: NDArray[np.bool_]


def arc_attributes(cm: ContactMap, net: Arcs) -> ArcAttributes:
    """The attributes of ``net``'s arcs on ``cm``. Strength: the map's score of the tie (a
    one-way X follow, which is no tie, counts as a tie without evidence: ``weights.base``).
    A tie the viewer may not use lends no strength either. Industry: the person's own, else
    their organisation's. Role family: from the job title, else (employees) the
    department's name. Unknown on either end is not the same."""
    snap = cm.snap
    a, b = net.nodes[net.src], net.nodes[net.dst]
    strength = np.full(a.size, float(cm.weights.base))
    if snap.n_edges and a.size:
        n = np.int64(snap.n_nodes)
        keys = np.asarray(snap.u, dtype=np.int64) * n + np.asarray(snap.v, dtype=np.int64)
        order = np.argsort(keys)
        wanted = np.minimum(a, b) * n + np.maximum(a, b)
        at = np.minimum(np.searchsorted(keys, wanted, sorter=order), keys.size - 1)
        edge = order[at]
        tie = (keys[edge] == wanted) & np.asarray(cm.visible)[edge]
        strength[tie] = np.asarray(cm.strength, dtype=np.float64)[edge[tie]]
    industry = _industry(cm)
    role = _roles(cm)
    same_industry = (industry[a] >= 0) & (industry[a] == industry[b])
    same_role = (role[a] >= 0) & (role[a] == role[b])
    return ArcAttributes(np.clip(strength, 0.0, 1.0), same_industry, same_role)


def map_network(cm: ContactMap, net: Arcs, params: AdvocacyParams | None = None) -> AdvocacyNetwork:
    """The advocacy network of ``net`` (``network.arcs(cm, follows)``): its vertices, with
    stage probabilities from the map's tie strengths, industries and job titles."""
    at = arc_attributes(cm, net)
    return AdvocacyNetwork.from_arcs(net.src, net.dst, net.n, strength=at.strength,
                                     same_industry=at.same_industry, same_role=at.same_role,
                                     params=params)  # fmt: skip


def _industry(cm: ContactMap) -> NDArray[np.int64]:
    snap = cm.snap
    own = np.asarray(snap.industry, dtype=np.int64)
    orgs = np.asarray(snap.of_org(snap.org_industry, snap.org, -1), dtype=np.int64)
    out: NDArray[np.int64] = np.where(own >= 0, own, orgs)
    return out


def _roles(cm: ContactMap) -> NDArray[np.int64]:
    """Role family per node: kept with the map, as titles are folded and matched once."""
    found: NDArray[np.int64] | None = cm.derived.get("diffusion.roles")
    if found is not None:
        return found
    snap = cm.snap
    by_title = np.array([role_family(p) for p in snap.positions] + [-1], dtype=np.int64)
    by_department = np.array([role_family(d) for d in snap.departments] + [-1],
                             dtype=np.int64)  # fmt: skip
    out = by_title[np.asarray(snap.position)]
    unknown = (out < 0) & (np.asarray(snap.consent) >= 0)
    out[unknown] = by_department[np.asarray(snap.department)[unknown]]
    cm.derived["diffusion.roles"] = out
    return out
