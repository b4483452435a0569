"""Benchmark: the shapes of simulated cascades against Twitter16's real ones, and the speed
of the timed kernel against the plain Monte-Carlo.

Graph: ego-Facebook (undirected, 4,039 people; no data set here has follower structure).
Tie strength: the map's formula with the one signal an edge list has, common contacts
(``contactmap.tie_strength``: base 0.05, mutual 0.25); no industries or titles, so no
homophily. Sources: like Twitter16's, one per cascade; ``--sources`` people drawn in
proportion to their degree (the roots of retweet trees are accounts with audiences),
``--runs`` cascades each.

Models: timed Independent Cascade with p = 0.01, 0.02, 0.05 and weighted cascade (p = 1 /
in-degree), every arc delayed by Twitter16's own parent -> child delays fitted as a
lognormal (``timeline.ARC_DELAY``); the advocacy model with its default parameters, with
twice the engagement rate, and with Twitter16's delays instead of its own (exposure
``ARC_DELAY``, engagement at once). For each: quantiles of size, depth, breadth, hours to
50% and 90% of the final size, and the two-sample Kolmogorov-Smirnov statistic against
Twitter16's 818 trees, over all cascades and over those at least as large as Twitter16's
smallest (its trees were chosen because they spread); and how broadcast the trees are.
Then 10,000 advocacy runs from the 10 highest-degree people against ``cascade.reach_runs``
(weighted cascade) from the same seeds, medians of 5.

    .venv/bin/python benchmarks/cascade_shapes.py
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "shared" / "data"
FACEBOOK = DATA / "ego-facebook" / "facebook_combined.txt.gz"
TWITTER16 = DATA / "twitter16-cascades"


def load() -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], int]:
    """Both directions of every undirected edge."""
    with gzip.open(FACEBOOK, "rt") as f:
        pairs = np.loadtxt(f, dtype=np.int64)
    ids, flat = np.unique(pairs, return_inverse=True)
    pairs = flat.reshape(-1, 2)
    return np.r_[pairs[:, 0], pairs[:, 1]], np.r_[pairs[:, 1], pairs[:, 0]], int(ids.size)


def embeddedness_strength(src: np.ndarray[Any, Any], dst: np.ndarray[Any, Any],
                          n: int) -> np.ndarray[Any, Any]:  # fmt: skip
    """The map's tie strength from common contacts alone (no messages, careers, dates)."""
    import scipy.sparse as sp

    from tejido.contactmap.tie_strength import StrengthWeights

    w = StrengthWeights()
    a = sp.csr_matrix((np.ones(src.size), (src, dst)), shape=(n, n))
    mutual = np.asarray((a @ a).multiply(a)[src, dst]).ravel()
    degree = np.bincount(src, minlength=n)
    smaller = np.minimum(degree[src], degree[dst]) - 1
    share = np.where(smaller > 0, mutual / np.maximum(smaller, 1), 0.0)
    evidence = np.clip(share * (1 - np.exp(-mutual / w.mutual_scale)), 0, 1)
    return 1 - (1 - w.base) * (1 - w.mutual * evidence)


def simulate(run: Callable[[int, int], Any], sources: np.ndarray[Any, Any], runs: int) -> Any:
    from tejido.diffusion.shapes import Shapes

    return Shapes.from_runs([run(int(v), i) for i, v in enumerate(sources)])


def table(rows: list[tuple[str, Any]], real: Any, floor: int) -> list[str]:
    from tejido.diffusion.shapes import compare

    out = ["| model | cascades | size p10/50/90 | KS | depth p10/50/90 | KS | breadth p10/50/90 "
           "| KS | t50 h p10/50/90 | KS | t90 h p10/50/90 | KS |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip

    def cells(q: list[float] | None, ks: float | None) -> list[str]:
        if q is None:
            return ["—", "—"]
        return ["/".join(f"{x:g}" for x in q), f"{ks:.2f}" if ks is not None else "—"]

    twitter = ["Twitter16", str(len(real))]
    for row in compare(real, real):
        twitter += cells(row["real"], None)
    out.append("| " + " | ".join(twitter) + " |")
    for name, shapes in rows:
        for label, part in ((name, shapes), (f"{name}, size ≥ {floor}",
                                             shapes.where(shapes.size >= floor))):  # fmt: skip
            line = [label, str(len(part))]
            for row in compare(real, part):
                line += cells(row["simulated"], row["ks"])
            out.append("| " + " | ".join(line) + " |")
    return out


def broadcast(rows: list[tuple[str, Any]], real: Any, floor: int) -> list[str]:
    """How many cascades reach Twitter16's smallest size, and how much of those trees is
    one generation (the largest): broadcast (near 1) or viral (small)."""
    out = [f"| model | share of cascades with size ≥ {floor} | largest generation / size, "
           "p10/50/90 (those cascades) |", "|---|---|---|"]  # fmt: skip
    for name, shapes in [("Twitter16", real), *rows]:
        big = shapes.where(shapes.size >= floor)
        share = big.breadth / np.maximum(big.size, 1)
        spread = (
            "/".join(f"{x:.2f}" for x in np.quantile(share, [0.1, 0.5, 0.9])) if len(big) else "—"
        )
        out.append(f"| {name} | {len(big) / len(shapes):.3f} | {spread} |")
    return out


def timing(src: np.ndarray[Any, Any], dst: np.ndarray[Any, Any], n: int,
           strength: np.ndarray[Any, Any]) -> list[str]:  # fmt: skip
    from tejido.diffusion.advocacy import AdvocacyNetwork, advocacy_runs
    from tejido.diffusion.cascade import Cascade, reach_runs
    from tejido.diffusion.timeline import timed_runs

    seeds = np.argsort(-np.bincount(src, minlength=n), kind="stable")[:10]
    network = AdvocacyNetwork.from_arcs(src, dst, n, strength=strength)
    wc = Cascade.from_arcs(src, dst, n, model="wc")
    jobs = {"reach_runs (WC, baseline)": lambda s: reach_runs(wc, seeds, None, 10_000, s),
            "timed_runs (WC with delays)": lambda s: timed_runs(wc, seeds, None, 10_000, s),
            "advocacy_runs (defaults)": lambda s: advocacy_runs(network, seeds, None, 10_000,
                                                                s)}  # fmt: skip
    seconds = {}
    for name, job in jobs.items():
        job(99)  # load the kernel from numba's cache
        times = []
        for r in range(5):
            started = time.perf_counter()
            job(r)
            times.append(time.perf_counter() - started)
        seconds[name] = statistics.median(times)
    base = seconds["reach_runs (WC, baseline)"]
    out = [
        "| 10,000 runs, 10 seeds, ego-Facebook | seconds (median of 5) | × baseline |",
        "|---|---|---|",
    ]
    out += [f"| {name} | {s:.3f} | {s / base:.2f} |" for name, s in seconds.items()]
    return out


def main() -> None:
    import numba

    from tejido.diffusion.advocacy import AdvocacyNetwork, AdvocacyParams, advocacy_runs
    from tejido.diffusion.cascade import Cascade
    from tejido.diffusion.shapes import read_twitter16
    from tejido.diffusion.timeline import ARC_DELAY, Delay, timed_runs

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--runs", type=int, default=50, help="cascades per source")
    args = parser.parse_args()
    started = time.perf_counter()
    twitter = read_twitter16(TWITTER16)
    real = twitter.shapes
    floor = int(real.size.min())
    fitted = Delay.fit(twitter.edge_hours)
    src, dst, n = load()
    strength = embeddedness_strength(src, dst, n)
    degree = np.bincount(src, minlength=n)
    rng = np.random.default_rng(0)
    sources = rng.choice(n, size=args.sources, replace=False, p=degree / degree.sum())
    models: dict[str, Callable[[int, int], Any]] = {}
    for p in (0.01, 0.02, 0.05):
        ic = Cascade.from_arcs(src, dst, n, model="ic", p=p)
        models[f"IC p = {p}"] = lambda v, i, c=ic: timed_runs(c, [v], None, args.runs, i)
    wc = Cascade.from_arcs(src, dst, n, model="wc")
    models["WC"] = lambda v, i: timed_runs(wc, [v], None, args.runs, i)
    network = AdvocacyNetwork.from_arcs(src, dst, n, strength=strength)
    models["advocacy"] = lambda v, i: advocacy_runs(network, [v], None, args.runs, i)
    # Twice as engaging: past the critical point (the branching factor with the defaults is
    # about 0.6 here), to see whether the shapes change with the rates.
    eager = AdvocacyNetwork.from_arcs(src, dst, n, strength=strength,
                                      params=AdvocacyParams(engage_rate=0.1))  # fmt: skip
    models["advocacy, 10% engage"] = lambda v, i: advocacy_runs(eager, [v], None, args.runs, i)
    # The same model with Twitter's pace: its structure apart from its delays.
    fast = replace(AdvocacyParams(), exposure_delay=ARC_DELAY, engage_delay=Delay(0.0, 0.0))
    quick = AdvocacyNetwork.from_arcs(src, dst, n, strength=strength, params=fast)
    models["advocacy, Twitter16 delays"] = lambda v, i: advocacy_runs(quick, [v], None,
                                                                      args.runs, i)  # fmt: skip
    rows = [(name, simulate(run, sources, args.runs)) for name, run in models.items()]
    print(
        f"ego-Facebook: {n} people, {src.size} arcs; strength from common contacts: median "
        f"{np.median(strength):.3f}, p90 {np.percentile(strength, 90):.3f}; "
        f"{args.sources} sources x {args.runs} runs; numba threads {numba.get_num_threads()}"
    )
    print(
        f"Twitter16: {len(real)} trees; parent -> child delays fitted: {fitted} "
        f"(ARC_DELAY {ARC_DELAY}); {int((twitter.edge_hours < 0).sum())} of "
        f"{twitter.edge_hours.size} negative\n"
    )
    print("\n".join(table(rows, real, floor)))
    print()
    print("\n".join(broadcast(rows, real, floor)))
    print()
    print("\n".join(timing(src, dst, n, strength)))
    print(f"\n({time.perf_counter() - started:.1f} s in all)")


if __name__ == "__main__":
    main()
