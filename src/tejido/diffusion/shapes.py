"""Shapes of cascades, real and simulated: size, depth, breadth and timing, compared.

A cascade is a tree: the source at depth 0 and hour 0, each reaction under the one it
reacted to. Its **size** counts the nodes, its **depth** the longest chain from the
source, its **breadth** the largest generation (nodes at one depth), and ``t50`` / ``t90``
the hours by which the ``ceil(q * size)``-th node had acted (the source included, so a
lone source has 0). ``timeline.TimedRuns`` gives the same metrics for simulated cascades;
``read_twitter16`` reads them from the real retweet and reply trees of Ma et al. (2017).
"""

from __future__ import annotations

import re
import tarfile
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from tejido.errors import BadInputError

if TYPE_CHECKING:
    from tejido.diffusion.timeline import TimedRuns

__all__ = ["METRICS", "Shapes", "Twitter16", "compare", "read_twitter16", "tree_shape"]

METRICS = ("size", "depth", "breadth", "t50", "t90")
_Node = TypeVar("_Node", bound=Hashable)


@dataclass(frozen=True)
class Shapes:
    """The shape of each of a set of cascades (see the module docstring); times in hours."""

    size: NDArray[np.int64]
    depth: NDArray[np.int64]
    breadth: NDArray[np.int64]
    t50: NDArray[np.float64]
    t90: NDArray[np.float64]

    @classmethod
    def from_runs(cls, runs: TimedRuns | Sequence[TimedRuns]) -> Shapes:
        """The cascade trees of simulated runs (several results are joined)."""
        parts = [runs] if not isinstance(runs, Sequence) else list(runs)
        return cls(*(np.concatenate([getattr(r, m) for r in parts]) for m in METRICS))

    def __len__(self) -> int:
        return int(self.size.size)

    def where(self, mask: Any) -> Shapes:
        """The cascades where ``mask`` holds (``shapes.where(shapes.size >= 74)``)."""
        keep = np.asarray(mask, dtype=bool)
        return Shapes(*(getattr(self, m)[keep] for m in METRICS))


def tree_shape(
    edges: Iterable[tuple[_Node, _Node]], root: _Node, hours: Mapping[_Node, float]
) -> tuple[int, int, int, float, float]:
    """Size, depth, breadth, ``t50`` and ``t90`` of the tree of the nodes ``edges``
    (parent, child) reach from ``root``. A node with several parents is at its shortest
    depth. Times are ``hours[node] - hours[root]``, and at least 0.

    >>> tree_shape([("a", "b"), ("a", "c"), ("c", "d")], "a", {"a": 0, "b": 1, "c": 2, "d": 5})
    (4, 2, 2, 1.0, 5.0)
    """
    children: dict[_Node, list[_Node]] = defaultdict(list)
    for parent, child in edges:
        children[parent].append(child)
    depth = {root: 0}
    queue = [root]
    for u in queue:  # breadth first: the first depth found is the shortest
        for v in children.get(u, ()):
            if v not in depth:
                depth[v] = depth[u] + 1
                queue.append(v)
    per_depth = np.bincount(np.fromiter(depth.values(), dtype=np.int64))
    start = float(hours[root])
    times = np.sort(np.maximum([float(hours[v]) - start for v in queue], 0.0))
    n = len(queue)
    return (n, int(per_depth.size - 1), int(per_depth.max()), float(times[(n + 1) // 2 - 1]),
            float(times[(9 * n + 9) // 10 - 1]))  # fmt: skip


@dataclass(frozen=True)
class Twitter16:
    """Twitter16's cascades: their ``shapes``; per cascade, the source tweet id, its
    ``label`` (false, true, unverified, non-rumor) and the edge ``lines`` of its file; and
    ``edge_hours``, every parent -> child delay (child's time minus parent's, in hours)."""

    shapes: Shapes
    sources: list[str]
    labels: list[str]
    lines: NDArray[np.int64]
    edge_hours: NDArray[np.float64]


_NODE = r"\['([^']*)', '([^']*)', '(-?[0-9.]+)'\]"
_EDGE = re.compile(rf"({_NODE})->({_NODE})")


def read_twitter16(path: str | Path) -> Twitter16:
    """Read the Twitter16 trees from ``twitter16.tar.gz`` (or the folder holding it),
    without unpacking it.

    Each file ``tree/<source tweet>.txt`` lists edges ``['uid', 'tweet', 'minutes']->[...]``;
    the ``ROOT`` line names the source, which is not always on the first line nor at
    minute 0 (times are taken from it). A node is one ``[uid, tweet, minutes]``; repeated
    lines and self-loops are skipped.
    """
    where = Path(path)
    if where.is_dir():
        where = where / "twitter16.tar.gz"
    if not where.is_file():
        raise BadInputError(f"no Twitter16 archive at {where}", file=str(where))
    trees: list[tuple[str, list[str]]] = []
    labels: dict[str, str] = {}
    with tarfile.open(where, "r:gz") as tar:
        for member in tar:
            name = member.name
            if not member.isfile() or not name.endswith(".txt"):
                continue
            data = tar.extractfile(member)
            text = data.read().decode("utf-8") if data is not None else ""
            if "/tree/" in name:
                trees.append((Path(name).stem, text.splitlines()))
            elif Path(name).name == "label.txt":
                for row in text.split():
                    label, _, tweet = row.partition(":")
                    labels[tweet] = label
    if not trees:
        raise BadInputError("no tree/*.txt files in the archive", file=str(where))
    trees.sort()
    rows = [_tree(source, lines) for source, lines in trees]
    shapes = Shapes(*(np.array([r[0][i] for r in rows]) for i in range(len(METRICS))))
    return Twitter16(shapes, [s for s, _ in trees], [labels.get(s, "") for s, _ in trees],
                     np.array([len(lines) for _, lines in trees], dtype=np.int64),
                     np.concatenate([r[1] for r in rows]))  # fmt: skip


def _tree(
    source: str, lines: list[str]
) -> tuple[tuple[int, int, int, float, float], NDArray[np.float64]]:
    edges: dict[tuple[str, str], None] = {}  # ordered, without repeats
    minutes: dict[str, float] = {}
    root = None
    for number, line in enumerate(lines, 1):
        match = _EDGE.fullmatch(line.strip())
        if match is None:
            raise BadInputError("not an edge ['uid', 'tweet', 'minutes']->[...]",
                                file=f"tree/{source}.txt", line=number)  # fmt: skip
        parent, child = match.group(1), match.group(5)
        minutes[child] = float(match.group(8))
        if match.group(2) == "ROOT":
            root = child
            continue
        minutes[parent] = float(match.group(4))
        if parent != child:
            edges[parent, child] = None
    if root is None:
        raise BadInputError("no ROOT line", file=f"tree/{source}.txt")
    hours = {node: m / 60.0 for node, m in minutes.items()}
    delays = np.array([hours[c] - hours[p] for p, c in edges], dtype=np.float64)
    return tree_shape(edges, root, hours), delays


def compare(
    real: Shapes, simulated: Shapes, quantiles: Sequence[float] = (0.1, 0.5, 0.9)
) -> list[dict[str, Any]]:
    """Per metric: the ``quantiles`` of both sets of cascades and the two-sample
    Kolmogorov-Smirnov statistic (0: the same distribution; 1: disjoint).

    >>> a = Shapes(*(np.array(x) for x in ([1, 2], [0, 1], [1, 1], [0.0, 1.0], [0.0, 1.0])))
    >>> [row["ks"] for row in compare(a, a)]
    [0.0, 0.0, 0.0, 0.0, 0.0]
    """
    from scipy.stats import ks_2samp

    rows = []
    for metric in METRICS:
        x = np.asarray(getattr(real, metric), dtype=np.float64)
        y = np.asarray(getattr(simulated, metric), dtype=np.float64)
        row: dict[str, Any] = {"metric": metric, "real": _quantiles(x, quantiles),
                               "simulated": _quantiles(y, quantiles)}  # fmt: skip
        row["ks"] = round(float(ks_2samp(x, y).statistic), 4) if x.size and y.size else None
        rows.append(row)
    return rows


def _quantiles(values: NDArray[np.float64], quantiles: Sequence[float]) -> list[float] | None:
    if not values.size:
        return None
    return [round(float(q), 3) for q in np.quantile(values, quantiles)]
