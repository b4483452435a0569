"""Benchmark: ambassadors and campaign plans on the demo company, against the usual choices.

Builds the product's default demo (300 employees, seed 1) under benchmarks/out unless it is
there (the one influence_truth.py uses), then, as the analyst sees it: ``tejido
ambassadors`` (IMM and OPIM-C, k = 20 and 50 among the employees who consented; the
weighted cascade, and the probabilities learnt from the demo's share log), untargeted and
aimed at the engineers of customer accounts, every choice's spread measured by the same
10,000 forward Monte-Carlo runs; and ``tejido plan`` (k = 10, customer accounts) with its
three ways to post. Prints one JSON line per measurement.

    .venv/bin/python benchmarks/diffusion_demo.py [--models wc learned] [--no-plan]
"""

from __future__ import annotations

import argparse
import json
import time

from influence_truth import demo_workspace  # the same demo, built once for both

SPEC = {"employees": 300, "seed": 1, "mean_contacts": 400}
RUNS = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=["wc", "learned"])
    parser.add_argument("--no-plan", action="store_true")
    args = parser.parse_args()
    ws = demo_workspace(SPEC)
    service = ws.diffusion_service
    service.ambassadors(k=2, epsilon=0.5, runs=10)  # the map, the arcs, the kernels
    aims: list[dict[str, str] | None] = [None, {"relation": "customer", "title": "engineer"}]
    configs = [(model, segment, k, algorithm) for model in args.models for segment in aims
               for k in (20, 50) for algorithm in ("imm", "opim-c")]  # fmt: skip
    for model, segment, k, algorithm in configs:
        started = time.perf_counter()
        r = service.ambassadors(k=k, epsilon=0.1, runs=RUNS, segment=segment,
                                algorithm=algorithm, model=model)  # fmt: skip
        seconds = time.perf_counter() - started
        spread = r["spread"]
        baselines = {name: b["mean"] for name, b in r["baselines"].items()}
        best = max(baselines.items(), key=lambda kv: kv[1])
        print(json.dumps({
            "model": model, "segment": segment, "k": k, "algorithm": algorithm,
            "people": r["network"]["people"], "arcs": r["network"]["arcs"],
            "candidates": r["candidates"],
            "segment_people": (r["segment"] or {}).get("people"),
            "spread": spread["mean"], "interval": [spread["low"], spread["high"]],
            "estimate": r["estimate"], "baselines": baselines,
            "best_baseline": best[0], "vs_best_baseline": round(spread["mean"] / best[1], 4),
            "beats_every_baseline": all(spread["mean"] > v for v in baselines.values()),
            "selection_seconds": r["selection_seconds"], "seconds": round(seconds, 2),
        }), flush=True)  # fmt: skip
    if args.no_plan:
        return
    started = time.perf_counter()
    plan = service.plan(k=10, segment={"relation": "customer"}, runs=RUNS)
    print(json.dumps({
        "plan": "k=10, customer accounts", "segment_people": plan["segment"]["people"],
        "estimate_engaged": plan["estimate_engaged"],
        **{key: {m: f[m]["mean"] for m in ("exposed", "clicked", "engaged", "reshared")}
           for key, f in plan["plans"].items()},
        "seconds": round(time.perf_counter() - started, 2),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
