"""Benchmark: IMM and Monte-Carlo reach on real graphs, against the published figures.

For each graph and model, in a fresh child process (peak memory its own): IMM with k = 50
and epsilon = 0.1 (weighted cascade ``wc``: p = 1/in-degree, the IC setting of the
published IMM figures; and LT), its wall time (the kernels loaded from numba's cache
before the clock starts), peak RSS, RR sets per second, and the spread of its seeds
measured by a separate forward Monte-Carlo (10,000 runs), never by IMM's own estimate.
Then 1,000 IC runs from the 50 highest-degree people on ego-Facebook (the issue's
cynetdiff figure: 0.31 s).

Reference (the issue, measured with the published IMM C++ code, single-threaded):
ego-Facebook IC 0.75 s / 1,219, LT 0.24 s / 2,272; ca-GrQc IC 0.23 s / 745, LT 0.15 s / 968.

    .venv/bin/python benchmarks/diffusion.py
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
DATA = HERE.parents[1] / "shared" / "data"
GRAPHS = {
    "ego-facebook": DATA / "ego-facebook" / "facebook_combined.txt.gz",
    "ca-grqc": DATA / "ca-grqc" / "CA-GrQc.txt.gz",
}
REFERENCE = {("ego-facebook", "wc"): (0.75, 1219), ("ego-facebook", "lt"): (0.24, 2272),
             ("ca-grqc", "wc"): (0.23, 745), ("ca-grqc", "lt"): (0.15, 968)}  # fmt: skip


def load(name: str) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], int]:
    """Both directions of every undirected edge, on contiguous ids."""
    with gzip.open(GRAPHS[name], "rt") as f:
        pairs = np.asarray([ln.split()[:2] for ln in f if ln.strip() and ln[0] != "#"],
                           dtype=np.int64)  # fmt: skip
    ids, flat = np.unique(pairs, return_inverse=True)
    pairs = flat.reshape(-1, 2)
    src = np.r_[pairs[:, 0], pairs[:, 1]]
    dst = np.r_[pairs[:, 1], pairs[:, 0]]
    return src, dst, int(ids.size)


def run_imm(name: str, model: str, seed: int) -> dict[str, Any]:
    from tejido.diffusion.cascade import Cascade, spread_runs
    from tejido.diffusion.imm import imm

    src, dst, n = load(name)
    cascade = Cascade.from_arcs(src, dst, n, model=model)
    imm(cascade, 2, epsilon=0.5, seed=seed + 1)  # load the kernels
    started = time.perf_counter()
    result = imm(cascade, 50, epsilon=0.1, seed=seed)
    seconds = time.perf_counter() - started
    spread = float(spread_runs(cascade, result.seeds, 10_000, seed=seed + 99).mean())
    degree = np.argsort(-np.bincount(src, minlength=n), kind="stable")[:50]
    by_degree = float(spread_runs(cascade, degree, 10_000, seed=seed + 99).mean())
    return {"seconds": seconds, "rr_sets": result.rr_sets_total,
            "rr_per_second": result.rr_sets_total / seconds, "spread": spread,
            "estimate": result.estimate, "top_degree_spread": by_degree, "n": n,
            "arcs": cascade.m}  # fmt: skip


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
    result = run_mc() if kind == "mc" else run_imm(args[0], args[1], int(args[2]))
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
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
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1:])
        return
    for (name, model), (ref_seconds, ref_spread) in REFERENCE.items():
        runs = [_in_child("imm", name, model, str(r)) for r in range(args.repeat)]
        seconds = statistics.median(r["seconds"] for r in runs)
        spread = statistics.median(r["spread"] for r in runs)
        row = {
            "graph": name, "model": model, "seconds": round(seconds, 3),
            "vs_imm_cpp": round(seconds / ref_seconds, 2), "spread": round(spread, 1),
            "spread_vs_imm_cpp": round(spread / ref_spread, 4),
            "rr_per_second": round(statistics.median(r["rr_per_second"] for r in runs)),
            "top_degree_spread": round(runs[0]["top_degree_spread"], 1),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        }  # fmt: skip
        print(json.dumps(row), flush=True)
    mc = _in_child("mc")
    print(json.dumps({"monte_carlo_1000_ic_runs_50_seeds_ego_facebook": round(mc["seconds"], 3),
                      "vs_cynetdiff_0.31s": round(mc["seconds"] / 0.31, 2)}))  # fmt: skip


if __name__ == "__main__":
    main()
