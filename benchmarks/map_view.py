"""Benchmark: building the map's graph (``GET /api/map``) on the 2,000-employee demo.

On the demo company of ``benchmarks/contact_map.py`` (``benchmarks/out/map-2000-1000-1``,
about 1.77M ties and 589k people; built by that script, not here), for each mode
(people, organisations) and node limit (3,000 and 50,000), as an analyst:

- **view**: ``graph_view`` (NumPy only: sampling or aggregation, positions, sizes);
- **labelled**: ``map_graph`` (the view, names from the store, JSON-ready columns) and the
  JSON's size;

each the median of ``--repeat`` runs after one warm-up (the viewer's consent masks and the
snapshot's scores are computed once per snapshot, and reported apart). The baseline, in
the same run: loading the snapshot's tie arrays (``u``, ``v``, ``level``) from its cache
folder into memory, the cheapest full read of the ties.

    .venv/bin/python benchmarks/map_view.py
    .venv/bin/python benchmarks/map_view.py --repeat 9
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
WORLD = HERE / "out" / "map-2000-1000-1"


def median_s(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", type=Path, default=WORLD)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not (args.world / "built.json").exists():
        print(
            f"skipped: no demo company at {args.world}; build it with "
            "`.venv/bin/python benchmarks/contact_map.py` (about 6 minutes)",
            file=sys.stderr,
        )
        return

    from tejido import Workspace
    from tejido.contactmap.graph_view import graph_view, map_graph

    ws = Workspace(args.world)
    service = ws.contact_map
    snap = service.snapshot()
    folder = next(service.cache.folder.glob(f"v{snap.version}-f*"))

    def load_ties() -> int:
        arrays = [np.load(folder / f"{name}.npy") for name in ("u", "v", "level")]
        return sum(int(a.nbytes) for a in arrays)

    load_ties()  # into the page cache
    baseline, nbytes = median_s(load_ties, args.repeat)
    started = time.perf_counter()
    cm = service.map()
    scores_s = time.perf_counter() - started
    started = time.perf_counter()
    graph_view(cm, limit=10)  # the viewer's consent masks
    masks_s = time.perf_counter() - started

    rows = []
    for mode in ("people", "organisations"):
        for limit in (3_000, 50_000):
            view_s, view = median_s(partial(graph_view, cm, mode=mode, limit=limit), args.repeat)
            labelled = partial(map_graph, service, mode=mode, limit=limit)
            labelled()  # names read once into the database's cache
            labelled_s, data = median_s(labelled, args.repeat)
            rows.append(
                {
                    "mode": mode,
                    "limit": limit,
                    "nodes": view.n_nodes,
                    "edges": view.n_edges,
                    "candidates": view.totals["nodes"],
                    "ties": view.totals["edges"],
                    "view_s": round(view_s, 4),
                    "view_ratio": round(view_s / baseline, 1),
                    "labelled_s": round(labelled_s, 4),
                    "json_mb": round(len(json.dumps(data)) / 1e6, 2),
                }
            )
    report = {
        "world": args.world.name,
        "people": snap.n_nodes,
        "ties": snap.n_edges,
        "repeat": args.repeat,
        "baseline_load_ties_s": round(baseline, 4),
        "baseline_bytes": nbytes,
        "scores_once_s": round(scores_s, 3),
        "analyst_masks_once_s": round(masks_s, 3),
        "runs": rows,
    }
    ws.close()
    (HERE / "out" / "map_view.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
