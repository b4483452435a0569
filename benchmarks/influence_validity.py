"""Validity of the influence measures on real networks (one command, prints JSON).

1. Communities on email-Eu-core (1,005 people of a European research institution, 42
   departments as a weak truth): the graph is imported as an edge list into a scratch
   workspace (the platform's own path), then Leiden, Louvain, label propagation and
   Infomap run on it with 5 seeds each, unweighted and weighted by tie strength; NMI and
   ARI against the departments (people without any tie left out), medians and ranges.
2. Centralities against networkx on real graphs: PageRank (email-Eu-core directed and
   weighted, ca-GrQc), coreness (ca-GrQc), exact betweenness (email-Eu-core's first 400
   ids) and the sampled betweenness's error against the exact one.

    .venv/bin/python benchmarks/influence_validity.py
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
EMAIL_EU = DATA / "email-eu-core" / "email-Eu-core.txt.gz"
LABELS = DATA / "email-eu-core" / "email-Eu-core-department-labels.txt.gz"
CA_GRQC = DATA / "ca-grqc" / "CA-GrQc.txt.gz"
SEEDS = (1, 2, 3, 4, 5)


def _pairs(path: Path) -> np.ndarray[Any, Any]:
    with gzip.open(path, "rt") as f:
        rows = [ln.split()[:2] for ln in f if ln.strip() and not ln.startswith("#")]
    return np.asarray(rows, dtype=np.int64)


def communities() -> dict[str, Any]:
    from tejido import Workspace
    from tejido.influence.communities import METHODS, detect

    labels = _pairs(LABELS)
    truth = dict(zip(labels[:, 0].tolist(), labels[:, 1].tolist(), strict=True))
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace(Path(folder) / "ws")
        ws.import_edges(EMAIL_EU, directed=True)
        net = ws.influence_service.network()
        members = ws.communities()  # person id -> external id, to map back to the file
        ext = dict(zip(members["id"], members["external_id"].astype(int), strict=True))
        pid = ws.contact_map.snapshot().person_id[net.nodes]
        y = np.array([truth[ext[int(p)]] for p in pid])
        out["people"] = int(net.n)
        for weighted in (False, True):
            for method in METHODS:
                runs = []
                for seed in SEEDS:
                    started = time.perf_counter()
                    found = detect(net, method, seed=seed, weighted=weighted)
                    runs.append({"nmi": normalized_mutual_info_score(y, found.membership),
                                 "ari": adjusted_rand_score(y, found.membership),
                                 "communities": found.count, "modularity": found.modularity,
                                 "seconds": time.perf_counter() - started})  # fmt: skip
                out[f"{method}{'_weighted' if weighted else ''}"] = {
                    k: {"median": round(statistics.median(r[k] for r in runs), 3),
                        "min": round(min(r[k] for r in runs), 3),
                        "max": round(max(r[k] for r in runs), 3)}
                    for k in ("nmi", "ari", "communities", "modularity", "seconds")
                }  # fmt: skip
        ws.close()
    return out


def centralities() -> dict[str, Any]:
    from tejido.influence import centrality
    from tejido.influence.graph import Network

    e = _pairs(EMAIL_EU)
    w = np.random.default_rng(7).uniform(0.05, 1, len(e))
    eu = Network.from_edges(e[:, 0], e[:, 1], directed=True, weight=w)
    g = _pairs(CA_GRQC)
    grqc = Network.from_edges(g[:, 0], g[:, 1])

    def gap(ours: np.ndarray[Any, Any], theirs: dict[int, float], n: int) -> float:
        return float(np.max(np.abs(ours - np.array([theirs.get(i, 0.0) for i in range(n)]))))

    part = e[(e[:, 0] < 400) & (e[:, 1] < 400)]
    small = Network.from_edges(part[:, 0], part[:, 1], directed=True, n=400)
    exact = centrality.betweenness(eu.undirected())
    sampled = centrality.betweenness(eu.undirected(), exact_up_to=0, epsilon=0.01)
    return {
        "pagerank_email_eu_weighted_max_abs_diff": gap(
            centrality.pagerank(eu), nx.pagerank(eu.networkx(), weight="weight", tol=1e-12), eu.n),
        "pagerank_ca_grqc_max_abs_diff": gap(
            centrality.pagerank(grqc, weighted=False),
            nx.pagerank(grqc.networkx(), weight=None, tol=1e-12), grqc.n),
        "coreness_ca_grqc_max_abs_diff": gap(
            centrality.coreness(grqc),
            {k: float(v) for k, v in nx.core_number(grqc.networkx()).items()}, grqc.n),
        "betweenness_email_eu_400_max_abs_diff": gap(
            centrality.betweenness(small).values,
            nx.betweenness_centrality(small.networkx(), normalized=True), small.n),
        "sampled_betweenness_email_eu": {
            "stated_bound": sampled.epsilon, "max_abs_error":
            round(float(np.max(np.abs(sampled.values - exact.values))), 5),
            "samples": sampled.samples},
    }  # fmt: skip


def main() -> None:
    result = {"communities_email_eu_core": communities(), "centralities": centralities()}
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
