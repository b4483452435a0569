"""Learning each arc's share probability from observed cascades (share logs with times).

**Episodes.** A post is one cascade. Each person's first share of a post (at time ``t``)
is an activation; for each arc ``u -> v`` on which ``u`` shared a post at ``t_u``:

- if ``v`` shared it strictly after ``t_u`` and within ``window_hours``, ``u`` is one of
  ``v``'s *possible parents* for that post (a trial that may have succeeded);
- if ``v`` never shared it, or only after the window, the arc was tried and *failed*;
- if ``v`` shared it first (or at the same second), the arc was not tried.

**EM** (Saito, Nakano and Kimura, KES 2008, "Prediction of information diffusion
probabilities for independent cascade model", adapted from discrete steps to times and a
window). For the activation of ``v`` with possible parents ``B``, the Independent Cascade
gives ``P = 1 - prod_{u in B} (1 - p_uv)``; the log-likelihood of all episodes is

    L(p) = sum over activations of log P  +  sum over arcs of failures_uv * log(1 - p_uv)

*E step*: each possible parent's responsibility for each activation, ``p_uv / P``. *M step*:
``p_uv = (sum of u's responsibilities for v) / trials_uv``, trials counting both kinds
above. Starts from the partial-credit estimate below (clipped to [0.001, 0.999]); no step
lowers ``L``.

**Baselines** (Goyal, Bonchi and Lakshmanan, WSDM 2010, static Bernoulli model):
``goyal``: successes credited to ``u -> v`` (every possible parent gets a full success)
over its trials; ``goyal-partial``: each possible parent gets ``1 / |B|``. (Goyal et al.
divide by every share of ``u``; here by the trials above, which leave out the posts ``v``
shared first, so that every estimator counts the same trials.)

**Fallback.** Arcs with fewer than ``min_trials`` trials take the ``prior``: by default
the target's own re-share rate (``"target"``: of the shares ``v`` saw, over all of ``v``'s
tried in-arcs, the fraction ``v`` re-shared; the whole log's rate for people never
tried), or the weighted cascade ``1 / in-degree(v)`` (``"wc"``, what the diffusion
commands use when nothing is learned), or a uniform probability (a float). On the
300-employee demo, reach forecasts with the target's rate as fallback were off by 21%,
with the weighted cascade by 60% (``benchmarks/learning_truth.py``). ``pseudo_trials > 0``
shrinks every estimate towards the prior as if it had been seen that many times (a Beta
prior: ``(successes + a * prior) / (trials + a)``; 0, the default, is the plain
estimate; 10 lowered the demo's mean error over the tried arcs by 31%).

**Limits.** When the same people always share before ``v`` together, the data cannot say
which of them reached ``v`` (the likelihood is flat along their sum): EM splits the
credit as it starts. An arc tried a few times has a wide error (binomial: about
``sqrt(p(1 - p) / trials)``). Times only order the shares and apply the window; delays
are not fitted, so the window trades two biases when possible parents overlap: one much
longer than the usual delay credits an early sharer with what a later one caused (too
high), one shorter than the delays misses slow re-shares (too low). A share made on
one's own initiative (not through the network) after a neighbour's counts as that
neighbour's success.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select

from tejido.diffusion.cascade import Cascade
from tejido.diffusion.network import Arcs, arcs
from tejido.errors import BadInputError
from tejido.store.models import ShareEvent, table_of

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from tejido.contactmap.service import ContactMapService
    from tejido.contactmap.view import ContactMap, Viewer

__all__ = ["METHODS", "LearnedArcs", "ShareLog", "learn", "learned_arcs", "share_log"]

METHODS = ("em", "goyal", "goyal-partial")
SE = table_of(ShareEvent)
_CHUNK = 1 << 22  # arc-expansions of shares held in memory at once
_EPS = 1e-12


@dataclass(frozen=True)
class ShareLog:
    """Shares on the vertices of an ``Arcs``: post index, vertex, time (seconds, UTC)."""

    post: NDArray[np.int64]
    vertex: NDArray[np.int64]
    at: NDArray[np.float64]

    @classmethod
    def of(cls, posts: Any, vertices: Any, times: Any) -> ShareLog:
        """A log from post labels of any kind (coded in sorted order), vertices and times
        in seconds.

        >>> ShareLog.of(["b", "a", "b"], [0, 1, 2], [0.0, 5.0, 9.0]).post.tolist()
        [1, 0, 1]
        """
        _, codes = np.unique(np.asarray(posts), return_inverse=True)
        vertex = np.asarray(vertices, dtype=np.int64)
        at = np.asarray(times, dtype=np.float64)
        if not codes.shape == vertex.shape == at.shape:
            raise BadInputError("posts, vertices and times must have one value per share",
                                field="log")  # fmt: skip
        return cls(codes.astype(np.int64).ravel(), vertex, at)

    @property
    def size(self) -> int:
        return int(self.vertex.size)


@dataclass(frozen=True)
class LearnedArcs:
    """Per-arc probabilities aligned with an ``Arcs`` (same order, repeats included).

    ``prob`` is what a cascade should use: the estimate, or the prior where ``fallback``
    (fewer than ``min_trials`` trials). ``learned`` is the estimate alone (NaN where the
    arc was never tried), ``trials`` how many times each arc was tried, ``successes``
    the successes credited to it (EM: expected successes).
    """

    nodes: NDArray[np.int64]
    src: NDArray[np.int64]
    dst: NDArray[np.int64]
    prob: NDArray[np.float64]
    learned: NDArray[np.float64]
    trials: NDArray[np.int64]
    successes: NDArray[np.float64]
    fallback: NDArray[np.bool_]
    method: str
    prior: str
    window_hours: float
    min_trials: int
    iterations: int = 0
    converged: bool = True
    log_likelihood: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.nodes.size)

    def cascade(self) -> Cascade:
        """The Independent Cascade with these probabilities."""
        return Cascade.from_arcs(self.src, self.dst, self.n, model="ic", prob=self.prob)

    def summary(self) -> dict[str, Any]:
        """Figures for people: arcs learned and fallen back, trials, estimates' spread."""
        tried = self.trials > 0
        used = ~self.fallback
        learned = self.learned[used]
        return {
            "method": self.method,
            "window_hours": self.window_hours,
            "prior": self.prior,
            "min_trials": self.min_trials,
            "arcs": int(self.src.size),
            "arcs_tried": int(tried.sum()),
            "arcs_learned": int(used.sum()),
            "arcs_fallback": int(self.fallback.sum()),
            "trials": int(self.trials.sum()),
            "trials_median_tried": float(np.median(self.trials[tried])) if tried.any() else 0.0,
            "arcs_with_10_trials": int((self.trials >= 10).sum()),
            "learned_mean": round(float(learned.mean()), 6) if learned.size else None,
            "learned_p90": round(float(np.percentile(learned, 90)), 6) if learned.size else None,
            "iterations": self.iterations,
            "converged": self.converged,
            "log_likelihood": round(self.log_likelihood, 3),
            **self.counts,
        }


@dataclass(frozen=True)
class _Episodes:
    """Trials of each distinct arc, and the (activation, possible parent arc) pairs."""

    trials: NDArray[np.int64]
    event: NDArray[np.int64]  # activation of each pair, 0..events-1
    arc: NDArray[np.int64]  # distinct arc of each pair
    events: int
    shares: int
    posts: int


def _distinct(net: Arcs) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Distinct arcs sorted by (source, target), and each arc's distinct index."""
    n = max(net.n, 1)
    key, inverse = np.unique(net.src * n + net.dst, return_inverse=True)
    return key // n, key % n, inverse.astype(np.int64).ravel()


def _episodes(
    n: int, src: NDArray[np.int64], dst: NDArray[np.int64], log: ShareLog, window: float
) -> _Episodes:
    """The trials and possible parents of every arc over every post (module docstring)."""
    m = int(src.size)
    trials = np.zeros(m, dtype=np.int64)
    if not log.size or not m:
        empty = np.zeros(0, dtype=np.int64)
        return _Episodes(trials, empty, empty, 0, 0, 0)
    if log.vertex.min() < 0 or log.vertex.max() >= n:
        raise BadInputError(f"log vertices must be 0..{n - 1}", field="log")
    indptr = np.searchsorted(src, np.arange(n + 1)).astype(np.int64)
    key = log.post * n + log.vertex
    order = np.lexsort((log.at, key))
    key, at = key[order], log.at[order]
    first = np.r_[True, key[1:] != key[:-1]]  # a person's first share of a post
    key, at = key[first], at[first]
    post, vertex = key // n, key % n
    degree = indptr[vertex + 1] - indptr[vertex]
    events, arcs_of = [], []
    start = 0
    ends = np.cumsum(degree)
    while start < key.size:
        stop = int(np.searchsorted(ends, ends[start] - degree[start] + _CHUNK, side="right"))
        stop = max(stop, start + 1)
        d = degree[start:stop]
        share = np.repeat(np.arange(start, stop), d)
        offset = np.arange(int(d.sum())) - np.repeat(np.cumsum(d) - d, d)
        arc = np.repeat(indptr[vertex[start:stop]], d) + offset
        wanted = post[share] * n + dst[arc]
        at_v = np.searchsorted(key, wanted)
        at_v = np.minimum(at_v, key.size - 1)
        shared = key[at_v] == wanted
        t_v = np.where(shared, at[at_v], np.inf)
        t_u = at[share]
        tried = t_v > t_u
        parent = shared & tried & (t_v <= t_u + window)
        trials += np.bincount(arc[tried], minlength=m)
        events.append(at_v[parent])
        arcs_of.append(arc[parent])
        start = stop
    event_ids, event = np.unique(np.concatenate(events), return_inverse=True)
    return _Episodes(trials, event.astype(np.int64).ravel(), np.concatenate(arcs_of),
                     int(event_ids.size), int(key.size), int(np.unique(post).size))  # fmt: skip


def _prior(
    prior: str | float, dst: NDArray[np.int64], n: int, ep: _Episodes
) -> tuple[NDArray[np.float64], str]:
    """The fallback probability of each distinct arc, and its name."""
    if isinstance(prior, str) and prior == "wc":
        indegree = np.bincount(dst, minlength=n).astype(np.float64)
        return 1.0 / np.maximum(indegree[dst], 1.0), "wc"
    if isinstance(prior, str) and prior == "target":
        # How often each person re-shared what they saw shared: activations with a possible
        # parent over trials into them; the whole log's rate for people never tried.
        seen = np.bincount(dst, weights=ep.trials, minlength=n)
        reshared = np.zeros(n)
        if ep.events:
            first_arc = np.zeros(ep.events, dtype=np.int64)
            first_arc[ep.event] = ep.arc  # any one possible parent names the activation's v
            np.add.at(reshared, dst[first_arc], 1.0)
        overall = reshared.sum() / seen.sum() if seen.sum() else 0.0
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(seen > 0, reshared / np.maximum(seen, 1), overall)
        return np.clip(rate[dst], 0.0, 1.0), "target"
    if isinstance(prior, (int, float)) and not isinstance(prior, bool) and 0 <= prior <= 1:
        return np.full(dst.size, float(prior)), f"ic:{float(prior):g}"
    raise BadInputError(
        f"The 'prior' parameter of learn must be 'wc', 'target' or a probability in [0, 1]. "
        f"Got {prior!r} instead.",
        field="prior",
    )


def _check(method: str, window_hours: float, min_trials: int, pseudo_trials: float) -> None:
    if method not in METHODS:
        known = ", ".join(METHODS)
        raise BadInputError(f"The 'method' parameter of learn must be one of {known}. "
                            f"Got {method!r} instead.", field="method")  # fmt: skip
    if not (isinstance(window_hours, (int, float)) and window_hours > 0):
        raise BadInputError(f"The 'window_hours' parameter of learn must be a number > 0. "
                            f"Got {window_hours!r} instead.", field="window_hours")  # fmt: skip
    if isinstance(min_trials, bool) or not isinstance(min_trials, int) or min_trials < 1:
        raise BadInputError(f"The 'min_trials' parameter of learn must be an int >= 1. "
                            f"Got {min_trials!r} instead.", field="min_trials")  # fmt: skip
    if not (isinstance(pseudo_trials, (int, float)) and pseudo_trials >= 0):
        raise BadInputError(f"The 'pseudo_trials' parameter of learn must be a number >= 0. "
                            f"Got {pseudo_trials!r} instead.", field="pseudo_trials")  # fmt: skip


def learn(
    net: Arcs,
    log: ShareLog,
    *,
    method: str = "em",
    window_hours: float = 72.0,
    prior: str | float = "target",
    min_trials: int = 1,
    pseudo_trials: float = 0.0,
    max_iter: int = 1000,
    tol: float = 1e-9,
) -> LearnedArcs:
    """Each arc's probability from the cascades in ``log`` (see the module docstring).

    EM stops when an iteration raises the log-likelihood by less than ``tol`` times its
    size, or after ``max_iter`` iterations (``converged`` says which).

    >>> from tejido.diffusion.network import Arcs
    >>> net = Arcs(np.arange(3), np.array([0, 1]), np.array([1, 2]))
    >>> log = ShareLog.of(["a", "a", "b"], [0, 1, 0], [0.0, 3600.0, 0.0])
    >>> out = learn(net, log)
    >>> out.learned.tolist(), out.trials.tolist(), out.prob.tolist()
    ([0.5, 0.0], [2, 1], [0.5, 0.0])
    """
    _check(method, window_hours, min_trials, pseudo_trials)
    n = net.n
    src, dst, distinct = _distinct(net)
    ep = _episodes(n, src, dst, log, float(window_hours) * 3600.0)
    base, prior_name = _prior(prior, dst, n, ep)
    m = int(src.size)
    tried = ep.trials > 0
    pairs = np.bincount(ep.arc, minlength=m).astype(np.float64)
    size = np.bincount(ep.event, minlength=ep.events).astype(np.float64)
    partial = _summed(ep.arc, 1.0 / size[ep.event], m)
    a = float(pseudo_trials)

    def estimate(credit: NDArray[np.float64]) -> NDArray[np.float64]:
        with np.errstate(invalid="ignore", divide="ignore"):
            out: NDArray[np.float64] = (credit + a * base) / (ep.trials + a)
        return np.where(tried, np.clip(out, 0.0, 1.0), np.nan)

    failures = ep.trials - pairs
    iterations, converged = 0, True
    if method == "goyal":
        credit = pairs
        p = estimate(credit)
    elif method == "goyal-partial":
        credit = partial
        p = estimate(credit)
    else:
        p = np.where(tried, np.clip(estimate(partial), 1e-3, 1 - 1e-3), 0.0)
        credit, loglik = _e_step(p, ep, failures)
        converged = False
        for iterations in range(1, max_iter + 1):  # noqa: B007 (reported)
            p = np.nan_to_num(estimate(credit))
            credit, gained = _e_step(p, ep, failures)
            gained, loglik = gained - loglik, gained
            if gained <= tol * abs(loglik):
                converged = True
                break
        p = np.where(tried, p, np.nan)
    loglik = _e_step(np.nan_to_num(p), ep, failures)[1]
    fallback = ep.trials < min_trials
    prob = np.where(fallback, base, np.nan_to_num(p))
    return LearnedArcs(
        net.nodes, net.src, net.dst, prob[distinct], p[distinct], ep.trials[distinct],
        np.asarray(credit, dtype=np.float64)[distinct], fallback[distinct], method, prior_name,
        float(window_hours), min_trials, iterations, bool(converged), loglik,
        {"shares": ep.shares, "posts": ep.posts, "activations_explained": ep.events},
    )  # fmt: skip


def _e_step(
    p: NDArray[np.float64], ep: _Episodes, failures: NDArray[np.float64]
) -> tuple[NDArray[np.float64], float]:
    """E step at ``p``: each arc's responsibilities summed over the activations it may
    explain; and the log-likelihood ``L(p)`` of the module docstring."""
    q = np.minimum(p[ep.arc], 1 - _EPS)
    none = _summed(ep.event, np.log1p(-q), ep.events)  # log P(no possible parent succeeded)
    explained = np.maximum(-np.expm1(none), _EPS)
    credit = _summed(ep.arc, q / explained[ep.event], p.size)
    missed = failures * np.log1p(-np.minimum(p, 1 - _EPS))
    return credit, float(np.log(explained).sum() + missed.sum())


def _summed(index: NDArray[np.int64], weights: NDArray[np.float64], m: int) -> NDArray[np.float64]:
    """``weights`` summed by ``index`` into ``m`` bins."""
    return np.asarray(np.bincount(index, weights=weights, minlength=m), dtype=np.float64)


def share_log(
    conn: Connection, cm: ContactMap, net: Arcs, *, actions: tuple[str, ...] = ("share",)
) -> tuple[ShareLog, dict[str, int]]:
    """The store's share-log rows of the people on ``net`` (those the viewer may use), as a
    ``ShareLog``; and how many rows there were and how many were off the network."""
    rows = conn.execute(select(SE.c.post, SE.c.person_id, SE.c.at)
                        .where(SE.c.action.in_(actions))).all()  # fmt: skip
    if not rows:
        return ShareLog.of([], [], []), {"log_rows": 0, "log_rows_off_network": 0}
    posts, people, times = zip(*rows, strict=True)
    nodes = cm.snap.index_of(np.asarray(people, dtype=np.int64))
    vertex = np.where(nodes >= 0, net.vertex_of(np.maximum(nodes, 0)), -1)
    keep = vertex >= 0
    stamps = np.array(times, dtype="datetime64[us]").astype(np.int64) / 1e6
    kept = np.flatnonzero(keep)
    log = ShareLog.of(np.asarray(posts, dtype=object)[kept], vertex[kept], stamps[kept])
    return log, {"log_rows": len(rows), "log_rows_off_network": int((~keep).sum())}


def learned_arcs(
    maps: ContactMapService,
    viewer: Viewer | None = None,
    *,
    net: Arcs | None = None,
    actions: tuple[str, ...] = ("share",),
    **options: Any,
) -> LearnedArcs:
    """Learned probabilities of the arcs ``viewer`` may use, from the store's share logs.

    ``net`` is the viewer's ``Arcs`` when the caller has them (``DiffusionService.arcs``);
    otherwise they are built (ties and one-way X follows, as the diffusion commands do).
    Only share rows of people on those arcs are read: consent decides both. ``options``
    go to ``learn`` (``method``, ``window_hours``, ``prior``, ``min_trials``...).
    """
    cm = maps.map(viewer)
    with maps.store.read() as conn:
        if net is None:
            from tejido.influence.suspicious import follow_rows

            net = arcs(cm, follow_rows(conn))
        log, counts = share_log(conn, cm, net, actions=actions)
    out = learn(net, log, **options)
    out.counts.update(counts)
    return out
