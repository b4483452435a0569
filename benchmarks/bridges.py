"""Benchmark: ``bridges()`` (participation, communities reached, Burt's constraint and
effective size, the score) on real and generated networks.

Prints, for each network, the median of ``--repeat`` runs after one warm-up (numba's
compiled kernel is loaded once per process) of ``bridges()`` and of ``constraint()``
alone; the communities come from igraph's Louvain (``community_multilevel``, not timed)
or, for the planted graph, from the plan. Baselines in the same run:

- networkx's ``constraint`` (its all-nodes sparse-matrix path) on ego-Facebook only, one
  run (it is the reference the tests compare against; on larger graphs it is too slow);
- igraph's ``Graph.constraint`` (C), one run per network up to 2M ties (about a minute
  on the demo's network, whose hubs it pays for quadratically; ``--no-igraph`` skips it).

Networks: ego-Facebook (SNAP, 4,039 people, 88,234 ties, random weights); a
Barabási–Albert graph (igraph, 300,000 vertices, m=4: 1.2M ties, hubs); a planted
community graph (400,000 vertices in communities of 200, four ties inside and one outside
each: about 2M ties, many triangles); and, when ``benchmarks/contact_map.py`` has built it,
the 2,000-employee demo's analyst network (directed; ``bridges()`` folds it undirected,
which is timed apart).

    .venv/bin/python benchmarks/bridges.py
    .venv/bin/python benchmarks/bridges.py --repeat 5 --no-demo --no-igraph
"""

from __future__ import annotations

import argparse
import gzip
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tejido.influence.bridges import bridges, constraint
from tejido.influence.graph import Network

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "data"
DEMO = HERE / "out" / "map-2000-1000-1"
IGRAPH_MAX_TIES = 2_000_000


def median_s(run: Callable[[], Any], repeat: int) -> float:
    run()  # warm-up: the kernel's compiled code is loaded from numba's cache once
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def once_s(run: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def louvain(net: Network, seed: int) -> NDArray[np.int64]:
    random.seed(seed)  # igraph draws from Python's random module
    found = net.undirected().igraph().community_multilevel(weights="weight")
    return np.asarray(found.membership, dtype=np.int64)


def ego_facebook(rng: np.random.Generator) -> Network:
    with gzip.open(SHARED / "ego-facebook" / "facebook_combined.txt.gz") as f:
        pairs = np.array(f.read().split(), dtype=np.int64).reshape(-1, 2)
    weight = 1.0 - rng.random(len(pairs))
    return Network.from_edges(pairs[:, 0], pairs[:, 1], weight=weight)


def barabasi(rng: np.random.Generator, n: int = 300_000, m: int = 4) -> Network:
    import igraph as ig

    random.seed(int(rng.integers(2**31)))
    pairs = np.array(ig.Graph.Barabasi(n=n, m=m).get_edgelist(), dtype=np.int64)
    return Network.from_edges(pairs[:, 0], pairs[:, 1], weight=1.0 - rng.random(len(pairs)))


def planted(
    rng: np.random.Generator, n: int = 400_000, size: int = 200, inside: int = 4, outside: int = 1
) -> tuple[Network, NDArray[np.int64]]:
    membership = np.arange(n, dtype=np.int64) // size
    a = np.repeat(np.arange(n, dtype=np.int64), inside + outside)
    within = membership[a] * size + rng.integers(0, size, len(a))
    anywhere = rng.integers(0, n, len(a))
    b = np.where(
        np.arange(len(a)) % (inside + outside) < inside, np.minimum(within, n - 1), anywhere
    )
    net = Network.from_edges(a, b, weight=1.0 - rng.random(len(a)), n=n)
    return net, membership


def demo_network() -> Network | None:
    if not (DEMO / "built.json").exists():
        return None
    from tejido import Workspace
    from tejido.influence.graph import network

    ws = Workspace(DEMO)
    try:
        return network(ws.contact_map.map())
    finally:
        ws.close()


def measure(
    name: str, net: Network, membership: NDArray[np.int64], repeat: int, igraph: bool
) -> dict[str, Any]:
    row: dict[str, Any] = {"network": name, "vertices": net.n, "ties": net.undirected().m}
    if net.directed:
        row["undirected_s"] = median_s(net.undirected, repeat)
    row["bridges_s"] = median_s(lambda: bridges(net, membership), repeat)
    row["constraint_s"] = median_s(lambda: constraint(net), repeat)
    if igraph and row["ties"] <= IGRAPH_MAX_TIES:
        g = net.undirected().igraph()
        row["igraph_constraint_s"], theirs = once_s(lambda: g.constraint(weights="weight"))
        assert np.allclose(np.asarray(theirs, dtype=np.float64), constraint(net), equal_nan=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-demo", action="store_true", help="skip the demo's network")
    parser.add_argument("--no-igraph", action="store_true", help="skip igraph's constraint")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    import networkx as nx

    fb = ego_facebook(rng)
    ig = not args.no_igraph
    rows = [measure("ego-Facebook", fb, louvain(fb, args.seed), args.repeat, ig)]
    g = fb.networkx()
    nx_s, theirs = once_s(lambda: nx.constraint(g, weight="weight"))
    assert np.allclose(np.array([theirs[v] for v in range(fb.n)]), constraint(fb))
    rows[0]["networkx_constraint_s"] = nx_s

    ba = barabasi(rng)
    rows.append(measure("Barabási–Albert", ba, louvain(ba, args.seed), args.repeat, ig))
    net, membership = planted(rng)
    rows.append(measure("planted communities", net, membership, args.repeat, ig))
    if not args.no_demo:
        demo = demo_network()
        if demo is None:
            print(f"(no demo network: build it with benchmarks/contact_map.py into {DEMO})")
        else:
            rows.append(measure("demo 2000x1000", demo, louvain(demo, args.seed), args.repeat, ig))

    print(f"bridges(), median of {args.repeat} runs after a warm-up; baselines one run")
    head = f"{'network':<22}{'vertices':>10}{'ties':>11}{'bridges s':>11}{'constraint s':>14}"
    print(head + f"{'igraph c. s':>13}{'networkx c. s':>15}")
    for row in rows:
        ig_s = row.get("igraph_constraint_s")
        line = f"{row['network']:<22}{row['vertices']:>10,}{row['ties']:>11,}"
        line += f"{row['bridges_s']:>11.3f}{row['constraint_s']:>14.3f}"
        line += f"{ig_s:>13.3f}" if ig_s is not None else f"{'-':>13}"
        nx_row = row.get("networkx_constraint_s")
        print(line + (f"{nx_row:>15.3f}" if nx_row is not None else f"{'-':>15}"))
        if "undirected_s" in row:
            print(f"{'':<22}(of which folding the directed network: {row['undirected_s']:.3f} s)")
    first = rows[0]
    print(
        f"ego-Facebook: networkx constraint / our constraint = "
        f"{first['networkx_constraint_s'] / first['constraint_s']:.0f}x; "
        f"/ our whole bridges() = {first['networkx_constraint_s'] / first['bridges_s']:.0f}x"
    )


if __name__ == "__main__":
    main()
