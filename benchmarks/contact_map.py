"""Benchmark: the contact map of a 2,000-employee demo (about 2M connections).

Prints, on the demo company built by ``tejido demo --employees 2000 --mean-contacts 1000``
(built into benchmarks/out/ once; building is not timed):

- the snapshot build: wall time (median of ``--repeat`` fresh builds, in child processes
  so each has its own peak memory), the snapshot's bytes per tie (target <= 64) and the
  builder's peak RSS; against a baseline in the same run: reading the connection table's
  two id columns raw through the driver (``SELECT source_id, target_id``);
- the REST API served by ``tejido serve`` on 127.0.0.1 (a child process): p50 and p95
  client-side latency of coverage (one account) and warm-path (to a person, to an
  account) queries for random targets (target p95 <= 100 ms), against ``/api/health``
  in the same run. Requests are bounded in count and time, loopback only.

    .venv/bin/python benchmarks/contact_map.py                        # 2000 x 1000
    .venv/bin/python benchmarks/contact_map.py --employees 300 --mean-contacts 400
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx

from served import served

HERE = Path(__file__).resolve().parent


def build_world(out: Path, employees: int, mean_contacts: int, seed: int) -> Path:
    from tejido import Workspace
    from tejido.demo.build import build_demo

    folder = out / f"map-{employees}-{mean_contacts}-{seed}"
    marker = folder / "built.json"
    if not marker.exists():
        started = time.perf_counter()
        ws = Workspace(folder)
        summary = build_demo(ws, employees=employees, seed=seed, mean_contacts=mean_contacts)
        if summary.failed:
            raise SystemExit(f"demo build failed: {summary.failed[:3]}")
        marker.write_text(json.dumps(summary.stats))
        ws.close()
        print(f"built {folder} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return folder


def baseline_child(folder: Path) -> dict[str, Any]:
    """Read the connection table's two id columns raw (the cheapest read of the ties)."""
    from tejido import Workspace

    ws = Workspace(folder)
    with ws.store.read() as conn:
        conn.exec_driver_sql("SELECT 1")
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        started = time.perf_counter()
        cursor.execute("SELECT source_id, target_id FROM connection")
        rows = len(cursor.fetchall())
        wall = time.perf_counter() - started
    return {"wall_s": wall, "rows": rows}


def build_child(folder: Path) -> dict[str, Any]:
    """Read the store and build the snapshot, as a cold start does (no cache)."""
    from tejido import Workspace
    from tejido.snapshot.build import build_snapshot
    from tejido.snapshot.read import read_store

    ws = Workspace(folder)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    tables = read_store(ws.store)
    read_s = time.perf_counter() - started
    snap = build_snapshot(tables)
    wall = time.perf_counter() - started
    del tables
    # What a served map holds on top: the shared scores and one analyst's consent masks.
    from tejido.contactmap.view import ContactMap

    cm = ContactMap(snap)
    scores = cm.strength.nbytes + cm.decaying().nbytes + cm.relation.nbytes
    masks = sum(m.nbytes for m in (cm.mine, cm.visible, cm.detailed, cm.node_detailed,
                                   cm.entry_visible))  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "wall_s": wall,
        "read_s": read_s,
        "nodes": snap.n_nodes,
        "ties": snap.n_edges,
        "ties_with_messages": len(snap.msg_edge),
        "bytes": snap.nbytes(),
        "score_bytes": int(scores),
        "analyst_mask_bytes": int(masks),
        "peak_rss_mib": peak / 1024,
        "rss_before_mib": before / 1024,
    }


def _child(kind: str, folder: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, str(folder)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "n": len(ordered)}  # fmt: skip


def api_latency(folder: Path, requests: int, seed: int, budget_s: float) -> dict[str, Any]:
    """Serve the API in a child process on loopback and time queries against it."""
    from tejido import Workspace
    from tejido.web.deps import api_token

    ws = Workspace(folder)
    token = api_token(ws)
    snap = ws.contact_map.snapshot()
    with (
        served(folder) as base,
        httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as client,
    ):
        started = time.perf_counter()
        client.get("/api/snapshot").raise_for_status()  # load the snapshot
        warm_s = time.perf_counter() - started
        accounts = client.get("/api/coverage", params={"limit": 5000}).json()["accounts"]
        orgs = [a["org_id"] for a in accounts if a["contacts"] > 0]
        rng = random.Random(seed)
        contacts = [int(p) for p in snap.person_id[rng.sample(range(snap.n_nodes), 5000)]]
        cases = {
            "health": lambda: "/api/health",
            "coverage": lambda: f"/api/coverage/{rng.choice(orgs)}",
            "paths_to_person": lambda: f"/api/paths?to={rng.choice(contacts)}&k=5",
            "paths_to_org": lambda: f"/api/paths?org={rng.choice(orgs)}&k=5",
        }
        timings: dict[str, list[float]] = {name: [] for name in cases}
        deadline = time.perf_counter() + budget_s
        for url_of in cases.values():  # warm-up: first calls compile and fill caches
            for _ in range(3):
                client.get(url_of())
        for _ in range(requests):
            if time.perf_counter() > deadline:
                break
            for name, url_of in cases.items():
                url = url_of()
                t0 = time.perf_counter()
                r = client.get(url)
                timings[name].append(time.perf_counter() - t0)
                if r.status_code not in (200, 404):
                    raise SystemExit(f"{url}: {r.status_code} {r.text[:200]}")
    out = {name: _percentiles(samples) for name, samples in timings.items()}
    health = out["health"]["p95_ms"] or 0.1
    for name in ("coverage", "paths_to_person", "paths_to_org"):
        out[name]["p95_ratio_to_health"] = round(out[name]["p95_ms"] / health, 1)
    out["first_request_loads_snapshot_s"] = round(warm_s, 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--mean-contacts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="snapshot builds (median)")
    parser.add_argument("--requests", type=int, default=200, help="requests per query kind")
    parser.add_argument("--budget", type=float, default=300.0, help="seconds for API queries")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, folder = args.child
        result = baseline_child(Path(folder)) if kind == "baseline" else build_child(Path(folder))
        print(json.dumps(result))
        return

    out = HERE / "out"
    folder = build_world(out, args.employees, args.mean_contacts, args.seed)
    baseline = [_child("baseline", folder) for _ in range(args.repeat)]
    builds = [_child("build", folder) for _ in range(args.repeat)]
    baseline += [_child("baseline", folder) for _ in range(args.repeat)]
    base_s = statistics.median(b["wall_s"] for b in baseline)
    build_s = statistics.median(b["wall_s"] for b in builds)
    last = builds[-1]
    api = api_latency(folder, args.requests, args.seed, args.budget)
    report = {
        "employees": args.employees,
        "mean_contacts": args.mean_contacts,
        "connection_rows": baseline[0]["rows"],
        "people": last["nodes"],
        "ties": last["ties"],
        "ties_with_messages": last["ties_with_messages"],
        "baseline_raw_id_read_s": round(base_s, 3),
        "snapshot_build_s": round(build_s, 2),
        "snapshot_build_runs_s": [round(b["wall_s"], 2) for b in builds],
        "snapshot_read_s": round(statistics.median(b["read_s"] for b in builds), 2),
        "ratio_build_to_raw_read": round(build_s / base_s, 1),
        "snapshot_bytes": last["bytes"],
        "bytes_per_tie": round(last["bytes"] / max(last["ties"], 1), 1),
        "target_bytes_per_tie": 64,
        "map_bytes_per_tie": round(
            (last["bytes"] + last["score_bytes"] + last["analyst_mask_bytes"]) / last["ties"], 1
        ),
        "builder_peak_rss_mib": round(max(b["peak_rss_mib"] for b in builds), 1),
        "api": api,
        "target_api_p95_ms": 100,
    }
    out.mkdir(exist_ok=True)
    (out / "contact_map-sqlite.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
