"""Diffusion as the interfaces ask for it: the ambassadors to ask, and a reach forecast,
for one viewer (consent decides whose network is used and who is named)."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

import numpy as np

from tejido.contactmap.lookup import external_ids, person_labels
from tejido.diffusion.cascade import MODELS, Cascade, spread_runs
from tejido.diffusion.imm import imm
from tejido.diffusion.network import Arcs, arcs
from tejido.errors import BadInputError
from tejido.snapshot.model import LEVEL_EXISTENCE

if TYPE_CHECKING:
    from tejido.contactmap.service import ContactMapService
    from tejido.contactmap.view import ContactMap, Viewer

__all__ = ["DiffusionService"]


class DiffusionService:
    """Ambassadors (IMM) and reach (Monte-Carlo) over the contact map's network."""

    def __init__(self, maps: ContactMapService) -> None:
        self.maps = maps
        self._lock = threading.Lock()

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
        if model not in MODELS:
            raise BadInputError(f"no cascade model {model!r}; known: {', '.join(MODELS)}",
                                field="model")  # fmt: skip
        return self.arcs(viewer).cascade(model, p)

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
    ) -> dict[str, Any]:
        """The ``k`` people to ask to share (IMM), the spread IMM estimates, and the spread
        measured apart by ``runs`` forward Monte-Carlo cascades with a 95% interval."""
        started = time.perf_counter()
        cm = self.maps.map(viewer)
        net = self.arcs(viewer)
        cascade = self.cascade(viewer, model, p)
        pool = self.candidates(cm, net, everyone)
        result = imm(cascade, k, epsilon=epsilon, seed=seed, candidates=pool)
        spread = self._spread(cascade, result.seeds, runs, seed)
        seeds = self._people(cm, net, result.seeds)
        return {
            "model": model, "k": k, "epsilon": epsilon, "p": p if model == "ic" else None,
            "seeds": seeds, "estimate": round(result.estimate, 2), "spread": spread,
            "rr_sets": result.rr_sets, "rr_sets_total": result.rr_sets_total,
            "imm_seconds": round(result.seconds, 3),
            "seconds": round(time.perf_counter() - started, 3),
            "network": {"people": net.n, "arcs": int(net.src.size)},
            "candidates": int(pool.size) if pool is not None else net.n,
        }  # fmt: skip

    def reach(
        self,
        viewer: Viewer | None,
        people: list[int],
        *,
        model: str = "wc",
        p: float = 0.01,
        runs: int = 10_000,
        seed: int = 0,
    ) -> dict[str, Any]:
        """The spread of what ``people`` (store person ids) share: the mean of ``runs``
        Monte-Carlo cascades with a 95% interval, and its spread over runs."""
        cm = self.maps.map(viewer)
        net = self.arcs(viewer)
        cascade = self.cascade(viewer, model, p)
        nodes = cm.snap.index_of(people)
        vertices = net.vertex_of(nodes[nodes >= 0])
        missing = len(people) - int((vertices >= 0).sum())
        return {"model": model, "people": len(people), "not_in_network": missing,
                "spread": self._spread(cascade, vertices[vertices >= 0].tolist(), runs, seed),
                "network": {"people": net.n, "arcs": int(net.src.size)}}  # fmt: skip

    @staticmethod
    def _spread(cascade: Cascade, seeds: list[int], runs: int, seed: int) -> dict[str, Any]:
        if not seeds:
            return {"mean": 0.0, "low": 0.0, "high": 0.0, "runs": 0}
        values = spread_runs(cascade, seeds, runs, seed=seed + 1_000_003)
        half = 1.96 * float(values.std(ddof=1)) / np.sqrt(runs) if runs > 1 else 0.0
        mean = float(values.mean())
        return {"mean": round(mean, 2), "low": round(mean - half, 2), "high": round(mean + half, 2),
                "runs": runs, "p10": float(np.percentile(values, 10)),
                "p90": float(np.percentile(values, 90))}  # fmt: skip

    def _people(self, cm: ContactMap, net: Arcs, vertices: list[int]) -> list[dict[str, Any]]:
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
