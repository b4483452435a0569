"""Learned share probabilities against the demo's planted ones (one command).

Builds the demo company (300 employees, seed 1, the product's default) under
benchmarks/out unless it is there (or uses --workspace), learns each arc's probability
from its share log as the analyst sees it, and prints markdown tables: every estimator
(EM, Goyal full and partial credit, the weighted-cascade prior) against the truth on arcs
tried at least N times, with the sampling floor; EM with other windows; and what the
probabilities do to reach forecasts (Monte-Carlo spread of employees' shares under the
true probabilities, the learned ones and the prior). ``--markdown FILE`` writes the same.

    .venv/bin/python benchmarks/learning_truth.py [--employees 300] [--seed 1]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np

OUT = Path(__file__).resolve().parent / "out"
WINDOWS = (6.0, 24.0, 72.0, 168.0)
SEED_SETS = 20  # random groups of employees whose shares' reach is forecast
SEEDS_PER_SET = 5
RUNS = 2000
PSEUDO_TRIALS = (0.0, 5.0, 10.0, 20.0)


def _workspace(folder: Path, employees: int, seed: int) -> tuple[Any, float | None]:
    from tejido import Workspace
    from tejido.demo.build import build_demo

    if (folder / "demo" / "manifest.json").exists():
        return Workspace(folder), None
    ws = Workspace(folder)
    started = time.perf_counter()
    summary = build_demo(ws, employees=employees, seed=seed)
    if summary.failed:
        raise SystemExit(f"demo failed: {summary.failed}")
    return ws, time.perf_counter() - started


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4f}"
    return f"{value:,}"


def estimator_table(report: dict[str, Any]) -> str:
    names = {"em": "EM", "goyal": "Goyal (full credit)", "goyal-partial": "Goyal (1/parents)",
             "wc": "prior: WC 1/in-degree", "target": "prior: target's re-share rate"}  # fmt: skip
    lines = ["| trials ≥ | arcs | true mean | floor | estimator | MAE | bias | Pearson "
             "| Spearman |", "|---:|---:|---:|---:|---|---:|---:|---:|---:|"]  # fmt: skip
    for row in report["by_trials"]:
        if not row["arcs"]:
            continue
        for key, label in names.items():
            s = row[key]
            lines.append(f"| {row['min_trials']} | {row['arcs']:,} | "
                         f"{_cell(row['truth_mean'])} | {_cell(row['floor'])} | {label} | "
                         f"{_cell(s['mae'])} | {_cell(s['bias'])} | {_cell(s['pearson'])} | "
                         f"{_cell(s['spearman'])} |")  # fmt: skip
    return "\n".join(lines)


def shrink_table(ws: Any, truth: Path) -> str:
    """EM shrunk towards the target's re-share rate by a few pseudo-trials (a Beta prior)."""
    from tejido.diffusion.learning_report import THRESHOLDS, score, truth_probabilities

    net = ws.diffusion_service.arcs(None)
    where, p_true, _ = truth_probabilities(ws.store, ws.map(), net, truth)
    lines = ["| pseudo-trials | trials ≥ | arcs | MAE | bias | Pearson | Spearman |",
             "|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for pseudo in PSEUDO_TRIALS:
        learned = ws.learn_probabilities(pseudo_trials=pseudo)
        trials = learned.trials[where]
        for low in THRESHOLDS:
            sel = trials >= low
            if not sel.any():
                continue
            s = score(learned.prob[where][sel], p_true[sel])
            lines.append(f"| {pseudo:g} | {low} | {s['arcs']:,} | {_cell(s['mae'])} | "
                         f"{_cell(s['bias'])} | {_cell(s['pearson'])} | "
                         f"{_cell(s['spearman'])} |")  # fmt: skip
    return "\n".join(lines)


def window_table(ws: Any, truth: Path) -> str:
    lines = ["| window (hours) | arcs tried ≥ 10 | EM MAE | EM bias | EM Spearman | floor |",
             "|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for window in WINDOWS:
        report = ws.learning_report(truth, window_hours=window, thresholds=(10,))
        row = report["by_trials"][0]
        em = row["em"]
        lines.append(f"| {window:g} | {row['arcs']:,} | {_cell(em['mae'])} | {_cell(em['bias'])} "
                     f"| {_cell(em['spearman'])} | {_cell(row['floor'])} |")  # fmt: skip
    return "\n".join(lines)


def synthetic_windows() -> str:
    """EM's bias against the window when possible parents overlap heavily, on a dense
    synthetic graph with continuous delays (40 people, 5 out-arcs each, p 0.05-0.5, 6,000
    posts of 2-3 first sharers within an hour, exponential delays of mean 2 hours)."""
    import heapq

    from tejido.diffusion.learning import ShareLog, learn
    from tejido.diffusion.network import Arcs

    rng = np.random.default_rng(3)
    n, hour = 40, 3600.0
    src = np.repeat(np.arange(n), 5)
    dst = np.concatenate([rng.choice(np.delete(np.arange(n), u), 5, replace=False)
                          for u in range(n)])  # fmt: skip
    p = rng.uniform(0.05, 0.5, size=src.size)
    out = [[] for _ in range(n)]
    for k, (u, v) in enumerate(zip(src.tolist(), dst.tolist(), strict=True)):
        out[u].append((v, k))
    posts, who, times = [], [], []
    for post in range(6000):
        first = rng.choice(n, size=int(rng.integers(2, 4)), replace=False)
        heap = [(float(rng.random() * hour), int(v)) for v in first]
        heapq.heapify(heap)
        done: set[int] = set()
        while heap:
            t, u = heapq.heappop(heap)
            if u in done:
                continue
            done.add(u)
            posts.append(post)
            who.append(u)
            times.append(t)
            for v, k in out[u]:
                if v not in done and rng.random() < p[k]:
                    heapq.heappush(heap, (t + float(rng.exponential(2 * hour)), v))
    net, log = Arcs(np.arange(n), src, dst), ShareLog.of(posts, who, times)
    lines = [
        "| window (hours) | EM MAE | EM bias | Goyal 1/parents bias |",
        "|---:|---:|---:|---:|",
    ]
    for window in (1.0, 2.0, 4.0, 8.0, 48.0):
        em = learn(net, log, window_hours=window).learned - p
        partial = learn(net, log, window_hours=window, method="goyal-partial").learned - p
        lines.append(f"| {window:g} | {np.abs(em).mean():.4f} | {em.mean():+.4f} | "
                     f"{partial.mean():+.4f} |")  # fmt: skip
    return "\n".join(lines)


def reach_table(ws: Any, truth: Path) -> tuple[str, dict[str, float]]:
    """Reach of random groups of employees' shares under each set of probabilities."""
    from tejido.diffusion.cascade import Cascade, reach_runs
    from tejido.diffusion.learning_report import truth_probabilities

    net = ws.diffusion_service.arcs(None)
    cm = ws.map()
    where, p_true, _ = truth_probabilities(ws.store, cm, net, truth)
    true_prob = np.zeros(net.src.size)
    true_prob[where] = p_true
    learned = {
        "EM, fallback WC": ws.learn_probabilities(prior="wc"),
        "EM, fallback target's rate": ws.learn_probabilities(),
        "EM, fallback 0": ws.learn_probabilities(prior=0.0),
        "EM shrunk (10 pseudo-trials), fallback target's rate": ws.learn_probabilities(
            pseudo_trials=10.0
        ),
        "Goyal, fallback WC": ws.learn_probabilities(method="goyal", prior="wc"),
        "Goyal, fallback target's rate": ws.learn_probabilities(method="goyal"),
    }
    cascades = {"truth": Cascade.from_arcs(net.src, net.dst, net.n, model="ic", prob=true_prob)}
    cascades |= {name: l.cascade() for name, l in learned.items()}
    cascades["WC 1/in-degree"] = net.cascade("wc")
    employees = np.flatnonzero(cm.snap.consent[net.nodes] >= 0)
    rng = np.random.default_rng(7)
    groups = [rng.choice(employees, size=SEEDS_PER_SET, replace=False) for _ in range(SEED_SETS)]
    spread = {
        name: np.array([reach_runs(c, g, runs=RUNS, seed=i).mean() for i, g in enumerate(groups)])
        for name, c in cascades.items()
    }
    truth_spread = spread["truth"]
    lines = ["| probabilities | mean reach of 5 employees | mean abs. error vs truth | "
             "mean relative error |", "|---|---:|---:|---:|"]  # fmt: skip
    errors = {}
    for name, values in spread.items():
        error = np.abs(values - truth_spread)
        rel = float((error / truth_spread).mean())
        errors[name] = rel
        lines.append(f"| {name} | {values.mean():,.1f} | {error.mean():,.1f} | {rel:.1%} |")
    return "\n".join(lines), errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workspace", type=Path, default=None)
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args()
    folder = args.workspace or OUT / f"learning-{args.employees}-{args.seed}"
    ws, built = _workspace(folder, args.employees, args.seed)
    truth = ws.demo_truth()
    ws.map()  # the snapshot and the analyst's map, outside the timings
    ws.diffusion_service.arcs(None)
    started = time.perf_counter()
    learned = ws.learn_probabilities()
    learn_seconds = time.perf_counter() - started
    report = ws.learning_report(truth)
    summary = learned.summary()
    head = [
        f"Demo: {args.employees} employees, seed {args.seed}"
        + (f" (built in {built:.0f} s)" if built else "") + ".",
        f"Network as the analyst sees it: {report['network']['people']:,} people, "
        f"{report['network']['arcs']:,} arcs; planted arcs on it: "
        f"{report['truth']['planted_arcs_on_network']:,} of {report['truth']['planted_arcs']:,}.",
        f"Share log: {report['log']['log_rows']:,} rows in the store, "
        f"{report['log']['log_rows_off_network']:,} of people off the analyst's network; "
        f"{report['log']['shares']:,} shares of {report['log']['posts']:,} posts used.",
        f"Arcs tried: {summary['arcs_tried']:,} of {summary['arcs']:,} "
        f"({summary['trials']:,} trials; median {summary['trials_median_tried']:g} per tried "
        f"arc; {summary['arcs_with_10_trials']:,} arcs with 10 or more).",
        f"EM: {report['em']['iterations']} iterations, converged {report['em']['converged']}; "
        f"learning took {learn_seconds:.2f} s in all (reading the log and EM; EM alone "
        f"{report['seconds']['em']:.2f} s, Goyal {report['seconds']['goyal']:.2f} s).",
        f"Planted arcs never tried: {report['truth']['arcs_never_tried']:,}; against them the "
        f"target's rate has MAE {_cell(report['never_tried']['target']['mae'])} (bias "
        f"{_cell(report['never_tried']['target']['bias'])}), WC MAE "
        f"{_cell(report['never_tried']['wc']['mae'])} (bias "
        f"{_cell(report['never_tried']['wc']['bias'])}).",
    ]  # fmt: skip
    reach, _errors = reach_table(ws, truth)
    text = "\n\n".join([
        "\n".join(f"- {line}" for line in head),
        "### Every estimator against the truth (window 72 hours)\n\n" + estimator_table(report),
        "### EM shrunk towards the target's re-share rate (window 72 hours)\n\n"
        + shrink_table(ws, truth),
        "### EM with other windows\n\n" + window_table(ws, truth),
        "### The window when possible parents overlap (synthetic, continuous delays)\n\n"
        + synthetic_windows(),
        f"### Reach forecasts ({SEED_SETS} random groups of {SEEDS_PER_SET} employees, "
        f"{RUNS:,} runs each)\n\n" + reach,
    ])  # fmt: skip
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    ws.close()


if __name__ == "__main__":
    main()
