"""Benchmark: the full influence report against calling the engines directly.

For each network, in a fresh child process each (so that peak memory is its own):

- **platform**: the network imported as an edge list into a workspace (not timed), then
  ``InfluenceService``: the network from the snapshot, every centrality (degree,
  followers, PageRank, eigenvector, coreness, and betweenness exact up to 5,000 people),
  Leiden communities, bridges, the top 50 with names and reasons, and the communities in
  words;
- **engines**: the same edges read into igraph and the same measures called directly,
  weighted as the platform's are (random weights: the cost is compared, not the values):
  PageRank, eigenvector, coreness, Leiden, betweenness (exact; the report leaves it out
  above 5,000 people unless asked, and so does this side) and constraint for the bridges.

Prints wall time and peak RSS of both, and their ratio (target <= 1.3: the platform adds
little). Imports and numba's loading of its cached kernels (about 0.9 s, once per
process) happen before either clock starts. Networks: ego-Facebook (SNAP, 4,039 /
88,234) and a generated graph with planted communities (300,000 people in groups of
150, ~1.2M ties).

    .venv/bin/python benchmarks/influence.py
    .venv/bin/python benchmarks/influence.py --only ego-facebook --repeat 3
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
DATA = HERE.parents[1] / "shared" / "data"
EXACT_UP_TO = 5_000


def planted(path: Path, n: int = 300_000, group: int = 150, seed: int = 1) -> Path:
    """An edge list with planted communities: 3 ties inside a group, 1 outside, per person."""
    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    people = np.arange(n)
    inside = np.repeat(people, 3)
    base = (inside // group) * group
    inside_to = base + rng.integers(0, group, len(inside))
    outside_to = rng.integers(0, n, n)
    src = np.r_[inside, people]
    dst = np.r_[inside_to, outside_to]
    keep = src != dst
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt") as f:
        f.writelines(f"{a} {b}\n" for a, b in zip(src[keep], dst[keep], strict=True))
    return path


def workspace_of(name: str, edges: Path) -> Path:
    folder = OUT / f"influence-{name}"
    marker = folder / "imported.json"
    if not marker.exists():
        from tejido import Workspace

        ws = Workspace(folder)
        result = ws.import_edges(edges)
        ws.contact_map.snapshot()
        marker.write_text(json.dumps(result.counts))
        ws.close()
    return folder


def run_platform(folder: Path) -> dict[str, Any]:
    from tejido import Workspace
    from tejido.influence.bridges import bridges
    from tejido.influence.graph import Network

    ws = Workspace(folder)
    ws.contact_map.snapshot()  # loaded from its cache: the report starts from a snapshot
    # Libraries are loaded before the clock starts on both sides: here numba and its
    # cached kernel (about 0.9 s once per process, the engines' side imports igraph).
    bridges(Network.from_edges([0, 1], [1, 2]), [0, 0, 1])
    started = time.perf_counter()
    result = ws.influence_service.influence(by="pagerank", top=50)
    report = ws.influence_service.community_report()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "people": result["network"]["people"],
            "ties": result["network"]["ties"], "communities": report["count"],
            "betweenness": result["network"].get("betweenness")}  # fmt: skip


def run_engines(edges: Path) -> dict[str, Any]:
    import igraph as ig

    with gzip.open(edges, "rt") as f:
        pairs = np.asarray([ln.split()[:2] for ln in f if ln.strip() and ln[0] != "#"],
                           dtype=np.int64)  # fmt: skip
    started = time.perf_counter()
    a, b = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    keep = a != b
    key = np.unique(a[keep] * (int(b.max()) + 1) + b[keep])
    n = int(b.max()) + 1
    src, dst = key // n, key % n
    g = ig.Graph(n=n, edges=np.column_stack((src, dst)))
    # The platform weighs ties by strength: the engines get weights too (their cost, not
    # their values, is what is compared).
    g.es["weight"] = np.random.default_rng(1).uniform(0.05, 1.0, len(key))
    g.pagerank(weights="weight")
    g.eigenvector_centrality(weights="weight")
    g.coreness()
    g.community_leiden(objective_function="modularity", weights="weight", n_iterations=2)
    if n <= EXACT_UP_TO:  # above, the report leaves betweenness out unless asked
        g.betweenness()
    g.constraint(weights="weight")
    return {"seconds": time.perf_counter() - started, "people": n, "ties": len(key)}


def child(kind: str, target: str) -> None:
    result = run_platform(Path(target)) if kind == "platform" else run_engines(Path(target))
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


def _in_child(kind: str, target: Path) -> dict[str, Any]:
    ran = subprocess.run([sys.executable, __file__, "--child", kind, str(target)],
                         capture_output=True, text=True, check=False)  # fmt: skip
    if ran.returncode:
        raise SystemExit(f"{kind} failed: {ran.stderr[-2000:]}")
    return dict(json.loads(ran.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["ego-facebook", "planted-1m"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    networks = {"ego-facebook": DATA / "ego-facebook" / "facebook_combined.txt.gz",
                "planted-1m": planted(OUT / "planted-300k.txt.gz")}  # fmt: skip
    results = {}
    for name, edges in networks.items():
        if args.only and name != args.only:
            continue
        folder = workspace_of(name, edges)
        runs = {"platform": [_in_child("platform", folder) for _ in range(args.repeat)],
                "engines": [_in_child("engines", edges) for _ in range(args.repeat)]}  # fmt: skip
        summary: dict[str, Any] = {}
        for kind, rs in runs.items():
            summary[kind] = {"seconds": round(statistics.median(r["seconds"] for r in rs), 2),
                             "runs": [round(r["seconds"], 2) for r in rs],
                             "peak_rss_mb": max(r["peak_rss_mb"] for r in rs),
                             **{k: v for k, v in rs[0].items()
                                if k not in ("seconds", "peak_rss_mb")}}  # fmt: skip
        summary["ratio"] = round(summary["platform"]["seconds"] / summary["engines"]["seconds"], 2)
        results[name] = summary
        print(json.dumps({name: summary}), flush=True)


if __name__ == "__main__":
    main()
