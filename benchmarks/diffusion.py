"""Benchmark: IMM, OPIM-C and Monte-Carlo reach on real and generated graphs.

For each graph, model and algorithm, in a fresh child process (peak memory its own): k = 50
seeds, epsilon = 0.1 (weighted cascade ``wc``: p = 1/in-degree, the IC setting of the
published IMM figures; and LT), its wall time (the kernels loaded from numba's cache
before the clock starts), peak RSS (and the RSS before it starts: graph and libraries),
RR sets per second, and the spread of its seeds measured by a separate forward
Monte-Carlo (10,000 runs), never by the algorithm's own estimate. The usual choices of
50 seeds (most arcs out: the largest audience; most ties in and out; PageRank along the
arcs reversed; at random) are measured the same way. Then 1,000 IC runs from the 50
highest-degree people on ego-Facebook (the issue's cynetdiff figure: 0.31 s).

Graphs: ego-Facebook and ca-GrQc from ../shared/data (undirected: an arc each way), and
two generated directed graphs with power-law in- and out-degrees (igraph's
``Static_Power_Law``, seeded): 75,879 nodes / 508,837 arcs (the size of soc-Epinions1, on
which the issue gives IMM C++ 1.31 s / 12,066) and 300,000 nodes / 1,500,000 arcs.

Reference (the issue, measured with the published IMM C++ code, single-threaded):
ego-Facebook IC 0.75 s / 1,219, LT 0.24 s / 2,272; ca-GrQc IC 0.23 s / 745, LT 0.15 s / 968.

    .venv/bin/python benchmarks/diffusion.py [--repeat 3] [--graphs ego-facebook ca-grqc]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "shared" / "data"
OUT = HERE / "out"
GRAPHS = {
    "ego-facebook": DATA / "ego-facebook" / "facebook_combined.txt.gz",
    "ca-grqc": DATA / "ca-grqc" / "CA-GrQc.txt.gz",
}
GENERATED = {"gen-75k": (75_879, 508_837, 11), "gen-1.5m": (300_000, 1_500_000, 12)}
REFERENCE = {("ego-facebook", "wc"): (0.75, 1219), ("ego-facebook", "lt"): (0.24, 2272),
             ("ca-grqc", "wc"): (0.23, 745), ("ca-grqc", "lt"): (0.15, 968),
             ("gen-75k", "wc"): (1.31, 12066)}  # fmt: skip


def load(name: str) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], int]:
    """The arcs of a graph: both directions of every undirected edge, on contiguous ids;
    a generated graph's arcs as generated (cached in benchmarks/out)."""
    if name in GENERATED:
        return generated(name)
    with gzip.open(GRAPHS[name], "rt") as f:
        pairs = np.asarray([ln.split()[:2] for ln in f if ln.strip() and ln[0] != "#"],
                           dtype=np.int64)  # fmt: skip
    ids, flat = np.unique(pairs, return_inverse=True)
    pairs = flat.reshape(-1, 2)
    src = np.r_[pairs[:, 0], pairs[:, 1]]
    dst = np.r_[pairs[:, 1], pairs[:, 0]]
    return src, dst, int(ids.size)


def generated(name: str) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], int]:
    n, m, seed = GENERATED[name]
    cached = OUT / f"{name}.npz"
    if not cached.exists():
        import igraph as ig

        random.seed(seed)
        g = ig.Graph.Static_Power_Law(n, m, exponent_out=2.1, exponent_in=2.3,
                                      allowed_edge_types="simple")  # fmt: skip
        arcs = np.asarray(g.get_edgelist(), dtype=np.int64)
        OUT.mkdir(exist_ok=True)
        np.savez(cached, src=arcs[:, 0], dst=arcs[:, 1], n=n)
    data = np.load(cached)
    return data["src"], data["dst"], int(data["n"])


def baselines(src: Any, dst: Any, n: int, k: int, seed: int) -> dict[str, list[int]]:
    """The usual choices of ``k`` seeds."""
    import igraph as ig

    def top(score: np.ndarray[Any, Any]) -> list[int]:
        return np.lexsort((np.arange(n), -score))[:k].tolist()

    out_degree = np.bincount(src, minlength=n)
    both = out_degree + np.bincount(dst, minlength=n)
    g = ig.Graph(n=n, edges=np.column_stack((dst, src)), directed=True)
    rng = np.random.default_rng(seed)
    return {"followers": top(out_degree), "degree": top(both),
            "pagerank": top(np.asarray(g.pagerank(directed=True))),
            "random": rng.choice(n, size=k, replace=False).tolist()}  # fmt: skip


def run_imm(name: str, model: str, seed: int, algorithm: str, compare: bool) -> dict[str, Any]:
    from tejido.diffusion.cascade import Cascade, spread_runs
    from tejido.diffusion.imm import imm
    from tejido.diffusion.opim import opim

    choose = opim if algorithm == "opim-c" else imm
    src, dst, n = load(name)
    cascade = Cascade.from_arcs(src, dst, n, model=model)
    small = Cascade.from_arcs([0, 1, 2], [1, 2, 0], 3, model=model)
    choose(small, 1, epsilon=0.5, seed=seed + 1)  # load the kernels
    spread_runs(small, [0], 10)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    result = choose(cascade, 50, epsilon=0.1, seed=seed)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    spread = float(spread_runs(cascade, result.seeds, 10_000, seed=seed + 99).mean())
    row = {"seconds": seconds, "rr_sets": result.rr_sets_total,
           "rr_per_second": result.rr_sets_total / seconds, "spread": spread,
           "estimate": result.estimate, "n": n, "arcs": cascade.m,
           "rss_before_mb": round(before), "peak_rss_mb": round(peak)}  # fmt: skip
    if compare:
        row["baselines"] = {
            key: float(spread_runs(cascade, chosen, 10_000, seed=seed + 99).mean())
            for key, chosen in baselines(src, dst, n, 50, seed).items()
        }
    return row


def run_mc() -> dict[str, Any]:
    from tejido.diffusion.cascade import Cascade, spread_runs

    src, dst, n = load("ego-facebook")
    cascade = Cascade.from_arcs(src, dst, n, model="wc")
    seeds = np.argsort(-np.bincount(src, minlength=n), kind="stable")[:50]
    spread_runs(cascade, seeds, 10, seed=0)
    times = []
    for r in range(5):
        started = time.perf_counter()
        spread_runs(cascade, seeds, 1000, seed=r)
        times.append(time.perf_counter() - started)
    return {"seconds": statistics.median(times), "runs": times}


def child(kind: str, args: list[str]) -> None:
    if kind == "mc":
        result = run_mc()
    else:
        result = run_imm(args[0], args[1], int(args[2]), args[3], args[4] == "1")
    print(json.dumps(result))


def _in_child(*args: str) -> dict[str, Any]:
    ran = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                         text=True, check=False)  # fmt: skip
    if ran.returncode:
        raise SystemExit(ran.stderr[-2000:])
    return dict(json.loads(ran.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--graphs", nargs="+", default=[*GRAPHS, *GENERATED])
    parser.add_argument("--algorithms", nargs="+", default=["imm", "opim-c"])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1:])
        return
    for name in args.graphs:
        for model in ("wc", "lt"):
            imm_spread = None
            for algorithm in args.algorithms:
                runs = [_in_child("imm", name, model, str(r), algorithm, str(int(r == 0)))
                        for r in range(args.repeat)]  # fmt: skip
                seconds = statistics.median(r["seconds"] for r in runs)
                spread = statistics.median(r["spread"] for r in runs)
                imm_spread = spread if algorithm == "imm" else imm_spread
                row: dict[str, Any] = {
                    "graph": name, "model": model, "algorithm": algorithm,
                    "nodes": runs[0]["n"], "arcs": runs[0]["arcs"],
                    "seconds": round(seconds, 3), "runs": [round(r["seconds"], 3) for r in runs],
                    "spread": round(spread, 1),
                    "rr_sets": int(statistics.median(r["rr_sets"] for r in runs)),
                    "rr_per_second": round(statistics.median(r["rr_per_second"] for r in runs)),
                    "rss_before_mb": runs[0]["rss_before_mb"],
                    "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
                    "baselines": {key: round(v, 1) for key, v in runs[0]["baselines"].items()},
                }  # fmt: skip
                if (name, model) in REFERENCE:
                    ref_seconds, ref_spread = REFERENCE[(name, model)]
                    row["vs_imm_cpp_time"] = round(seconds / ref_seconds, 2)
                    row["vs_imm_cpp_spread"] = round(spread / ref_spread, 4)
                if algorithm != "imm" and imm_spread:
                    row["spread_vs_our_imm"] = round(spread / imm_spread, 4)
                row["beats_every_baseline"] = all(spread > v for v in row["baselines"].values())
                print(json.dumps(row), flush=True)
    mc = _in_child("mc")
    print(json.dumps({"monte_carlo_1000_ic_runs_50_seeds_ego_facebook": round(mc["seconds"], 3),
                      "vs_cynetdiff_0.31s": round(mc["seconds"] / 0.31, 2)}))  # fmt: skip


if __name__ == "__main__":
    main()
