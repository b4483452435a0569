"""Diffusion as the interfaces ask for it: the ambassadors to ask, and a reach forecast,
for one viewer (consent decides whose network is used and who is named)."""

from __future__ import annotations

import math
import threading
import time
from typing import TYPE_CHECKING, Any

import numpy as np

from tejido.contactmap.lookup import external_ids, person_labels
from tejido.diffusion.cascade import MODELS, Cascade
from tejido.diffusion.imm import imm
from tejido.diffusion.network import Arcs, arcs
from tejido.diffusion.opim import opim
from tejido.diffusion.segments import segment_weights
from tejido.errors import BadInputError
from tejido.snapshot.model import LEVEL_EXISTENCE

if TYPE_CHECKING:
    from tejido.contactmap.service import ContactMapService
    from tejido.contactmap.view import ContactMap, Viewer
    from tejido.diffusion.backends import Backend
    from tejido.influence.service import InfluenceService
    from tejido.influence.topics import Topics

__all__ = ["ALGORITHMS", "DIFFUSION_MODELS", "DiffusionService"]

ALGORITHMS = ("imm", "opim-c")
DIFFUSION_MODELS = (*MODELS, "learned")


class DiffusionService:
    """Ambassadors (IMM) and reach (Monte-Carlo) over the contact map's network."""

    def __init__(
        self, maps: ContactMapService, scheduler: str | None = None,
        influence: InfluenceService | None = None,
    ) -> None:  # fmt: skip
        self.maps = maps
        self.scheduler = scheduler  # a Dask scheduler's address; None: this machine's threads
        self.influence = influence  # for topics (a campaign's)
        self._lock = threading.Lock()
        self._backend: Backend | None = None

    @property
    def backend(self) -> Backend:
        """Where RR sets and Monte-Carlo runs are drawn (connected on first use)."""
        with self._lock:
            if self._backend is None:
                from tejido.diffusion.backends import backend_for

                self._backend = backend_for(self.scheduler)
            return self._backend

    def arcs(self, viewer: Viewer | None = None) -> Arcs:
        """Who reaches whom, as this viewer may use it (kept with the viewer's map)."""
        cm = self.maps.map(viewer)
        with self._lock:
            found: Arcs | None = cm.derived.get("diffusion.arcs")
        if found is None:
            from tejido.influence.suspicious import follow_rows

            with self.maps.store.read() as conn:
                follows = follow_rows(conn)
            found = arcs(cm, follows)
            with self._lock:
                cm.derived["diffusion.arcs"] = found
        return found

    def cascade(self, viewer: Viewer | None, model: str, p: float) -> Cascade:
        """The cascade of ``model``: ``ic`` (uniform ``p``), ``wc``, ``lt``, or ``learned``
        (Independent Cascade with each arc's probability learnt from the share logs by EM,
        shrunk towards the person's re-share rate: ``learning.learned_arcs``, kept with the
        viewer's map)."""
        if model not in DIFFUSION_MODELS:
            raise BadInputError(f"no cascade model {model!r}; known: "
                                f"{', '.join(DIFFUSION_MODELS)}", field="model")  # fmt: skip
        if model != "learned":
            return self.arcs(viewer).cascade(model, p)
        cm = self.maps.map(viewer)
        with self._lock:
            found: Cascade | None = cm.derived.get("diffusion.learned")
        if found is None:
            from tejido.diffusion.learning import learned_arcs

            # Shrunk towards each person's own re-share rate by 10 pseudo-trials: the best
            # reach forecasts on the demo's planted truth (docs/diffusion-learning.md).
            learned = learned_arcs(self.maps, viewer, net=self.arcs(viewer), pseudo_trials=10.0)
            if not learned.counts.get("log_rows"):
                raise BadInputError("no share log to learn from: import one with "
                                    "`tejido import shares`", field="model")  # fmt: skip
            found = learned.cascade()
            with self._lock:
                cm.derived["diffusion.learned"] = found
        return found

    def candidates(self, cm: ContactMap, net: Arcs, everyone: bool) -> np.ndarray[Any, Any] | None:
        """Who may be asked to share: the employees who let their network be used (or, in a
        workspace without employees, such as an imported edge list, anyone)."""
        consent = cm.snap.consent[net.nodes]
        if everyone or not np.any(consent >= 0):
            return None
        return np.flatnonzero(consent >= LEVEL_EXISTENCE)

    def ambassadors(
        self,
        viewer: Viewer | None = None,
        *,
        k: int = 10,
        epsilon: float = 0.1,
        model: str = "wc",
        p: float = 0.01,
        seed: int = 0,
        everyone: bool = False,
        runs: int = 1000,
        segment: dict[str, str] | None = None,
        algorithm: str = "imm",
    ) -> dict[str, Any]:
        """The ``k`` people to ask to share (``algorithm``: IMM, or OPIM-C, which stops as
        soon as it proves the same guarantee), the spread it estimates, and the spread
        measured apart by ``runs`` forward Monte-Carlo cascades with a 95% interval.

        ``segment`` (``relation``, ``industry``, ``country``, ``title``: see
        ``segments.segment_weights``) aims at those people only: the seeds are chosen to
        reach them, and every spread counts them only."""
        started = time.perf_counter()
        cm = self.maps.map(viewer)
        net = self.arcs(viewer)
        cascade = self.cascade(viewer, model, p)
        pool = self.candidates(cm, net, everyone)
        weights = None
        if segment:
            weights = segment_weights(cm, net, **segment)
            if not weights.any():
                raise BadInputError("nobody in the network is in this segment", field="segment")
        if algorithm not in ALGORITHMS:
            raise BadInputError(f"no algorithm {algorithm!r}; known: {', '.join(ALGORITHMS)}",
                                field="algorithm")  # fmt: skip
        choose = opim if algorithm == "opim-c" else imm
        result = choose(cascade, k, epsilon=epsilon, seed=seed, candidates=pool,
                        targets=weights, backend=self.backend)  # fmt: skip
        spread = self._spread(cascade, result.seeds, runs, seed, weights)
        seeds = self.people(cm, net, result.seeds)
        chosen_by = self._baselines(cascade, net, pool, len(result.seeds), seed)
        baselines = {name: self._spread(cascade, chosen, runs, seed, weights)
                     for name, chosen in chosen_by.items()}  # fmt: skip
        return {
            "model": model, "k": k, "epsilon": epsilon, "p": p if model == "ic" else None,
            "algorithm": result.algorithm,
            "seeds": seeds, "estimate": round(result.estimate, 2), "spread": spread,
            "rr_sets": result.rr_sets, "rr_sets_total": result.rr_sets_total,
            "selection_seconds": round(result.seconds, 3),
            "proven_ratio": round(result.ratio, 4) if result.ratio is not None else None,
            "seconds": round(time.perf_counter() - started, 3),
            "network": {"people": net.n, "arcs": int(net.src.size)},
            "candidates": int(pool.size) if pool is not None else net.n,
            "segment": ({**segment, "people": int(weights.sum())}
                        if segment and weights is not None else None),
            "baselines": baselines,
        }  # fmt: skip

    @staticmethod
    def _baselines(
        cascade: Cascade, net: Arcs, pool: np.ndarray[Any, Any] | None, k: int, seed: int
    ) -> dict[str, list[int]]:
        """The same number of seeds chosen the usual ways, among the same candidates: the
        most ties (degree), the largest audience (followers and connections: arcs out),
        PageRank along the arcs reversed (who reaches those who reach many), at random."""
        import igraph as ig

        allowed = np.arange(net.n) if pool is None else np.asarray(pool, dtype=np.int64)
        if k == 0 or not allowed.size:
            return {}
        out_degree = np.diff(cascade.indptr)[allowed]
        ends = np.unique(np.minimum(net.src, net.dst) * net.n + np.maximum(net.src, net.dst))
        degree = np.bincount(np.r_[ends // net.n, ends % net.n], minlength=net.n)[allowed]
        g = ig.Graph(n=net.n, edges=np.column_stack((net.dst, net.src)), directed=True)
        pagerank = np.asarray(g.pagerank(directed=True))[allowed]

        def top(score: np.ndarray[Any, Any]) -> list[int]:
            order = np.lexsort((allowed, -score))[:k]
            return [int(v) for v in allowed[order]]

        rng = np.random.default_rng(seed)
        return {"degree": top(degree), "followers": top(out_degree), "pagerank": top(pagerank),
                "random": [int(v) for v in rng.choice(allowed, size=min(k, allowed.size),
                                                       replace=False)]}  # fmt: skip

    def reach(
        self,
        viewer: Viewer | None,
        people: list[int],
        *,
        model: str = "wc",
        p: float = 0.01,
        runs: int = 10_000,
        seed: int = 0,
        segment: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """The spread of what ``people`` (store person ids) share: the mean of ``runs``
        Monte-Carlo cascades with a 95% interval, and its spread over runs; with
        ``segment``, its people only. Independent cascades (``ic``, ``wc``, ``learned``)
        also say how it grows: each activation comes after a delay (``timeline.ARC_DELAY``,
        fitted on real retweet cascades), and ``growth`` is the mean reached by 1 hour to
        a week, with the cascade's depth and breadth."""
        from tejido.diffusion.timeline import summarise

        cm = self.maps.map(viewer)
        net = self.arcs(viewer)
        cascade = self.cascade(viewer, model, p)
        weights = None
        if segment:
            weights = segment_weights(cm, net, **segment)
            if not weights.any():
                raise BadInputError("nobody in the network is in this segment", field="segment")
        nodes = cm.snap.index_of(people)
        vertices = net.vertex_of(nodes[nodes >= 0])
        seeds = vertices[vertices >= 0].tolist()
        out = {"model": model, "people": len(people), "not_in_network": len(people) - len(seeds),
               "spread": self._spread(cascade, seeds, runs, seed, weights),
               "segment": ({**segment, "people": int(weights.sum())}
                           if segment and weights is not None else None),
               "network": {"people": net.n, "arcs": int(net.src.size)}}  # fmt: skip
        if cascade.model == "ic" and seeds:
            runs_ = self.backend.timed_runs(cascade, seeds, weights, min(runs, 5000), seed + 7)
            timed = summarise(runs_)
            out["growth"] = timed["growth"]
            out["shape"] = {key: timed[key] for key in ("depth", "breadth", "t50", "t90")}
        return out

    def _spread(
        self, cascade: Cascade, seeds: list[int], runs: int, seed: int, weights: Any = None
    ) -> dict[str, Any]:
        if not seeds:
            return {"mean": 0.0, "low": 0.0, "high": 0.0, "runs": 0}
        values = self.backend.reach_runs(cascade, seeds, weights, runs, seed=seed + 1_000_003)
        half = 1.96 * float(values.std(ddof=1)) / math.sqrt(runs) if runs > 1 else 0.0
        mean = float(values.mean())
        return {"mean": round(mean, 2), "low": round(mean - half, 2), "high": round(mean + half, 2),
                "runs": runs, "p10": float(np.percentile(values, 10)),
                "p90": float(np.percentile(values, 90))}  # fmt: skip

    def topic(self, viewer: Viewer | None, topic: str) -> tuple[Topics, int]:
        """The people's topics (learnt from their words, as ``tejido topics``) and the one
        named by ``topic`` (its number, or a word of its label)."""
        from tejido.influence.service import InfluenceService, _topic_index

        influence = self.influence or InfluenceService(self.maps)
        found = influence.topics(viewer)
        return found, _topic_index(found, topic)

    def plan(self, viewer: Viewer | None = None, **options: Any) -> dict[str, Any]:
        """A campaign plan: ``campaign.plan``."""
        from tejido.diffusion.campaign import plan

        return plan(self, viewer, **options)

    def people(self, cm: ContactMap, net: Arcs, vertices: list[int]) -> list[dict[str, Any]]:
        """Vertices as people, ranked, named as the viewer may see them."""
        nodes = net.nodes[np.asarray(vertices, dtype=np.int64)]
        named = np.asarray(cm.node_detailed)[nodes]
        ids = [int(cm.snap.person_id[n]) for n in nodes]
        with self.maps.store.read() as conn:
            labels = person_labels(conn, ids)
            external = external_ids(conn, ids)
        out = []
        for rank, (pid, ok) in enumerate(zip(ids, named, strict=True), 1):
            if not ok:
                out.append({"rank": rank, "hidden": True})
                continue
            label = labels.get(pid)
            row: dict[str, Any] = {"rank": rank, "id": pid,
                                   "name": label.name if label else f"person {pid}",
                                   "hidden": False}  # fmt: skip
            if pid in external:
                row["external_id"] = external[pid]
            out.append(row)
        return out
