"""Learned share probabilities against the demo's planted ones (``truth/share_probabilities.csv``).

Truth people are joined to store people as the contact-map report joins them (the rows of
the imported Connections.csv files), then to the vertices of the viewer's arcs. Each
estimator (EM, the two Goyal baselines) and the two priors arcs may fall back to (the
weighted cascade ``1 / in-degree``, the naive baseline, and the target's own re-share
rate) is scored on the arcs of both the truth and the viewer's network tried at least N
times: mean absolute error, bias (mean of estimate - truth), Pearson
and Spearman correlation. ``floor`` is the error that sampling alone leaves: the mean of
``sqrt(2 p (1 - p) / (pi * trials))``, what the frequency of successes would miss by if
every success's parent were known.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from tejido.contactmap.validate import read_truth, truth_person_map
from tejido.diffusion.learning import METHODS, LearnedArcs, learn, share_log
from tejido.diffusion.network import Arcs, arcs

if TYPE_CHECKING:
    from tejido.contactmap.service import ContactMapService
    from tejido.contactmap.view import ContactMap, Viewer
    from tejido.store.session import Store

__all__ = ["THRESHOLDS", "learning_report", "score", "truth_probabilities"]

THRESHOLDS = (1, 5, 10, 20, 50)


def score(estimate: Any, truth: Any) -> dict[str, float | int | None]:
    """Error and agreement of ``estimate`` with ``truth`` (same arcs).

    >>> score([0.1, 0.2, 0.4], [0.1, 0.3, 0.3])["mae"]
    0.066667
    """
    from scipy.stats import pearsonr, spearmanr

    e = np.asarray(estimate, dtype=np.float64)
    t = np.asarray(truth, dtype=np.float64)
    varied = e.size > 2 and np.ptp(e) > 0 and np.ptp(t) > 0
    return {
        "arcs": int(e.size),
        "mae": round(float(np.abs(e - t).mean()), 6) if e.size else None,
        "bias": round(float((e - t).mean()), 6) if e.size else None,
        "pearson": round(float(pearsonr(e, t)[0]), 4) if varied else None,
        "spearman": round(float(spearmanr(e, t)[0]), 4) if varied else None,
    }


def truth_probabilities(
    store: Store, cm: ContactMap, net: Arcs, truth_dir: Path
) -> tuple[NDArray[np.int64], NDArray[np.float64], dict[str, int]]:
    """The planted arcs found on ``net`` (built from ``cm``): their positions in ``net``
    and true probabilities, and how many planted arcs there were and were found."""
    _to_truth, to_store = truth_person_map(store, truth_dir)
    planted = read_truth(truth_dir, "share_probabilities.csv")
    a_truth = planted["source_person_id"].astype(int).to_numpy()
    b_truth = planted["target_person_id"].astype(int).to_numpy()
    size = max(int(a_truth.max(initial=0)), int(b_truth.max(initial=0)), max(to_store, default=0))
    store_of = np.full(size + 1, -1, dtype=np.int64)
    for truth_id, store_id in to_store.items():
        store_of[truth_id] = store_id
    nodes = np.where(store_of >= 0, cm.snap.index_of(np.maximum(store_of, 0)), -1)
    vertex = _vertices(nodes, net)
    a, b = vertex[a_truth], vertex[b_truth]
    p = planted["p"].astype(float).to_numpy()
    n = max(net.n, 1)
    key = net.src * n + net.dst
    order = np.argsort(key, kind="stable")
    wanted = a * n + b
    at = np.minimum(np.searchsorted(key[order], wanted), max(key.size - 1, 0))
    found = (a >= 0) & (b >= 0) & (key.size > 0) & (key[order][at] == wanted)
    counts = {"planted_arcs": len(planted), "planted_arcs_on_network": int(found.sum())}
    return order[at[found]].astype(np.int64), p[found], counts


def _vertices(nodes: NDArray[np.int64], net: Arcs) -> NDArray[np.int64]:
    return np.where(nodes >= 0, net.vertex_of(np.maximum(nodes, 0)), -1).astype(np.int64)


def learning_report(
    maps: ContactMapService,
    truth_dir: Path,
    viewer: Viewer | None = None,
    *,
    net: Arcs | None = None,
    window_hours: float = 72.0,
    thresholds: tuple[int, ...] = THRESHOLDS,
) -> dict[str, Any]:
    """Every estimator against the planted probabilities, on arcs tried at least N times
    (each N of ``thresholds``), with the sampling floor and the time each took."""
    cm = maps.map(viewer)
    with maps.store.read() as conn:
        if net is None:
            from tejido.influence.suspicious import follow_rows

            net = arcs(cm, follow_rows(conn))
        log, counts = share_log(conn, cm, net)
    where, p_true, found = truth_probabilities(maps.store, cm, net, truth_dir)
    learned: dict[str, LearnedArcs] = {}
    seconds: dict[str, float] = {}
    for method in METHODS:
        started = time.perf_counter()
        learned[method] = learn(net, log, method=method, window_hours=window_hours,
                                prior="target", min_trials=1 << 62)  # fmt: skip
        seconds[method] = round(time.perf_counter() - started, 3)
    trials = learned["em"].trials[where]
    estimates = {m: np.nan_to_num(learned[m].learned[where]) for m in METHODS}
    priors = {"wc": _wc(net)[where], "target": learned["em"].prob[where]}  # every arc's prior
    rows = []
    for low in thresholds:
        sel = trials >= low
        t, k = p_true[sel], trials[sel]
        floor = float(np.sqrt(2 * t * (1 - t) / (np.pi * np.maximum(k, 1))).mean()) if k.size \
            else None  # fmt: skip
        row: dict[str, Any] = {"min_trials": low, "arcs": int(sel.sum()),
                               "truth_mean": round(float(t.mean()), 6) if t.size else None,
                               "floor": round(floor, 6) if floor is not None else None}  # fmt: skip
        for method in METHODS:
            row[method] = score(estimates[method][sel], t)
        for name, prior in priors.items():
            row[name] = score(prior[sel], t)
        rows.append(row)
    untried = trials == 0
    em = learned["em"]
    return {
        "window_hours": window_hours,
        "network": {"people": net.n, "arcs": int(net.src.size)},
        "log": {**counts, "shares": em.counts["shares"], "posts": em.counts["posts"]},
        "truth": {
            **found,
            "arcs_tried": int((~untried).sum()),
            "arcs_never_tried": int(untried.sum()),
        },
        "never_tried": {
            name: score(prior[untried], p_true[untried]) for name, prior in priors.items()
        },
        "em": {
            "iterations": em.iterations,
            "converged": em.converged,
            "log_likelihood": round(em.log_likelihood, 3),
        },
        "seconds": seconds,
        "by_trials": rows,
    }


def _wc(net: Arcs) -> NDArray[np.float64]:
    """The weighted-cascade probability ``1 / in-degree`` of each arc (distinct in-arcs)."""
    n = max(net.n, 1)
    key = np.unique(net.src * n + net.dst)
    indegree = np.bincount(key % n, minlength=n).astype(np.float64)
    return 1.0 / np.maximum(indegree[net.dst], 1.0)
