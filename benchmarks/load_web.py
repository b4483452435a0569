"""Load test of the web app: pages and API under 50 concurrent signed-in users.

On the 2,000-employee demo (built into benchmarks/out/ by ``benchmarks/contact_map.py``'s
``build_world`` once, not timed), this script:

1. starts ``tejido serve`` on 127.0.0.1 (a child process, one uvicorn worker);
2. makes the accounts and sessions of the simulated users (analysts) in the store and
   warms the server with one request per route;
3. runs locust headless (``benchmarks/locustfile.py``) against loopback only, for a
   bounded time (``--seconds``, default 60) with ``--users`` (default 50) users that wait
   1-3 s between clicks;
4. prints requests per second, p50 and p95 of every page and API call, and each p95's
   ratio to ``/api/health``'s (the baseline in the same run). Target: p95 <= 200 ms for
   pages at 50 users.

    .venv/bin/python benchmarks/load_web.py
    .venv/bin/python benchmarks/load_web.py --users 50 --seconds 120
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx2 as httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from contact_map import build_world  # noqa: E402
from served import served  # noqa: E402


def plan(folder: Path, users: int, seed: int) -> dict[str, Any]:
    """Sessions for the simulated users, and what they will ask for."""
    from tejido import Workspace, accounts

    ws = Workspace(folder)
    password = "load test password"
    sessions = []
    for i in range(users):
        email = f"load-{i}@tejido-load.example"
        try:
            user = accounts.create_user(ws.store, email, password, "analyst", actor="load-test")
        except Exception:  # made by an earlier run
            user = accounts.find_user(ws.store, email)
        sessions.append(accounts.open_session(ws.store, user)[0])
    rng = random.Random(seed)
    accounts_frame = ws.coverage(limit=5000)
    orgs = [int(o) for o in accounts_frame[accounts_frame["contacts"] > 0]["org_id"]]
    people: list[int] = []
    searches: list[str] = []
    for org in rng.sample(orgs, min(40, len(orgs))):
        for t in ws.account(str(org), limit=10)["ties"]:
            if not t["hidden"] and t["contact"].get("id"):
                people.append(int(t["contact"]["id"]))
                name = str(t["contact"].get("name") or "")
                if name:
                    searches.append(name.split()[0])
    ws.close()
    return {"sessions": sessions, "orgs": orgs, "people": people[:400],
            "searches": sorted(set(searches))[:200]}  # fmt: skip


def run(folder: Path, users: int, seconds: int, seed: int) -> list[dict[str, Any]]:
    work = Path(tempfile.mkdtemp(prefix="tejido-load-"))
    plan_file = work / "plan.json"
    data = plan(folder, users, seed)
    plan_file.write_text(json.dumps(data))
    with served(folder, TEJIDO_SECURE_COOKIES="false") as base:
        with httpx.Client(base_url=base, timeout=120,
                          cookies={"tejido_session": data["sessions"][0]}) as client:  # fmt: skip
            org, person = data["orgs"][0], data["people"][0]
            for path in ("/", "/organisations", f"/organisations/{org}", f"/people/{person}",
                         "/map", "/api/map", "/me", f"/api/paths?org={org}",
                         f"/people?q={data['searches'][0]}"):  # fmt: skip
                client.get(path).raise_for_status()  # warm: snapshot, strengths, caches
        locust = Path(sys.executable).with_name("locust")
        ran = subprocess.run(
            [str(locust), "-f", str(HERE / "locustfile.py"), "--headless", "--host", base,
             "-u", str(users), "-r", str(max(users // 5, 1)), "-t", f"{seconds}s",
             "--stop-timeout", "10", "--csv", str(work / "load"), "--only-summary",
             "--loglevel", "WARNING"],
            env={**os.environ, "TEJIDO_LOAD_PLAN": str(plan_file)}, capture_output=True,
            text=True, timeout=seconds + 120,
        )  # fmt: skip
    if ran.returncode not in (0, 1):  # 1: some requests failed (reported below)
        raise SystemExit(f"locust failed ({ran.returncode}): {ran.stderr[-3000:]}")
    with (work / "load_stats.csv").open() as f:
        return list(csv.DictReader(f))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--mean-contacts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = build_world(HERE / "out", args.employees, args.mean_contacts, args.seed)
    rows = run(folder, args.users, args.seconds, args.seed)
    by_name = {r["Name"]: r for r in rows}
    health_p95 = float(by_name["baseline /api/health"]["95%"])
    results = []
    for r in rows:
        if r["Name"] == "Aggregated":
            continue
        p95 = float(r["95%"])
        results.append({
            "request": r["Name"], "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]), "rps": round(float(r["Requests/s"]), 2),
            "p50_ms": float(r["50%"]), "p95_ms": p95,
            "p95_vs_health": round(p95 / max(health_p95, 1.0), 1),
        })  # fmt: skip
    total = by_name.get("Aggregated", {})
    summary = {"users": args.users, "seconds": args.seconds,
               "total_rps": round(float(total.get("Requests/s", 0)), 1),
               "total_requests": int(total.get("Request Count", 0)),
               "failures": int(total.get("Failure Count", 0)), "requests": results}  # fmt: skip
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"{args.users} users for {args.seconds} s on {folder.name}: "
          f"{summary['total_requests']:,} requests, {summary['total_rps']} req/s, "
          f"{summary['failures']} failures")  # fmt: skip
    print(f"{'request':<32} {'n':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p95/health':>10}")
    for r in sorted(results, key=lambda r: r["request"]):
        print(f"{r['request']:<32} {r['requests']:>6} {r['rps']:>7} {r['p50_ms']:>8.0f} "
              f"{r['p95_ms']:>8.0f} {r['p95_vs_health']:>10}")  # fmt: skip
    pages = [r for r in results if r["request"].startswith("page ")]
    worst = max(pages, key=lambda r: r["p95_ms"])
    verdict = "meets" if worst["p95_ms"] <= 200 else "misses"
    print(f"worst page p95: {worst['request']} {worst['p95_ms']:.0f} ms "
          f"({verdict} the 200 ms target)")  # fmt: skip


if __name__ == "__main__":
    main()
