"""Hidden hubs and suspicious accounts against the demo's planted truth (one command).

Builds demo companies (300 employees seed 1 and 2, the product's default demo; 80
employees seed 11 with 120 contacts, the tests' demo) under benchmarks/out unless they are
there, then prints JSON: ``tejido influence-report`` for each, and the time of the two
analyses from a cold service (median of 3) against the time of reading what they need
from the store in the same run (the ratio is what the analysis adds).

    .venv/bin/python benchmarks/influence_truth.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
DEMOS = (
    {"employees": 300, "seed": 1, "mean_contacts": 400},
    {"employees": 300, "seed": 2, "mean_contacts": 400},
    {"employees": 80, "seed": 11, "mean_contacts": 120},
)
RUNS = 3


def demo_workspace(spec: dict[str, int]) -> Any:
    """The demo company of ``spec`` under benchmarks/out, built on first use (also used
    by diffusion_demo.py)."""
    from tejido import Workspace
    from tejido.demo.build import build_demo

    folder = OUT / f"truth-{spec['employees']}-{spec['seed']}-{spec['mean_contacts']}"
    if not (folder / "demo" / "manifest.json").exists():
        ws = Workspace(folder)
        summary = build_demo(ws, **spec)
        if summary.failed:
            raise SystemExit(f"demo failed: {summary.failed}")
        ws.close()
    return Workspace(folder)


def _median(make: Any) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _timings(ws: Any) -> dict[str, Any]:
    from tejido.contactmap.lookup import upload_owners
    from tejido.influence.service import InfluenceService
    from tejido.influence.suspicious import account_profiles, follow_rows

    ws.map()  # the snapshot and the analyst's map are built once, outside the timings

    def cold() -> InfluenceService:
        ws.contact_map.map().derived.clear()
        return InfluenceService(ws.contact_map)

    def read() -> None:
        with ws.store.read() as conn:
            follows = follow_rows(conn)
            ids = set(follows["source_id"]) | set(follows["target_id"])
            account_profiles(conn, ids)
            upload_owners(conn)

    base = _median(read)
    hubs = _median(lambda: cold().hidden_hubs())
    suspicious = _median(lambda: cold().suspicious_frame())
    return {
        "read_store_s": round(base, 3),
        "hidden_hubs_s": round(hubs, 3),
        "suspicious_s": round(suspicious, 3),
        "suspicious_over_read": round(suspicious / base, 2),
    }


def main() -> None:
    OUT.mkdir(exist_ok=True)
    results = []
    for spec in DEMOS:
        ws = demo_workspace(spec)
        report = ws.influence_report().to_dict()
        results.append({"demo": spec, "people": ws.influence_service.network().n,
                        "report": report, "speed": _timings(ws)})  # fmt: skip
        ws.close()
        print(json.dumps(results[-1]), file=sys.stderr)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
