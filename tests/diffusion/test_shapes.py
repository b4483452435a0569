"""Cascade shapes: trees measured by hand, the Twitter16 archive read with the counts its
SOURCE.md verified, its quirks (ROOT not first, repeats, self-loops, times before the
source) handled, and the comparison's KS statistic at its extremes."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import numpy as np
import pytest

from tejido.diffusion.cascade import Cascade
from tejido.diffusion.shapes import Shapes, compare, read_twitter16, tree_shape
from tejido.diffusion.timeline import ARC_DELAY, Delay, timed_runs
from tejido.errors import BadInputError

TWITTER16 = Path(__file__).resolve().parents[3] / "shared" / "data" / "twitter16-cascades"


@pytest.fixture(scope="module")
def twitter16() -> object:
    if not (TWITTER16 / "twitter16.tar.gz").exists():
        pytest.fail(f"the shared data are missing: {TWITTER16}")
    return read_twitter16(TWITTER16)


def test_trees_measured_by_hand() -> None:
    # a -> b, a -> c, c -> d, b -> d (d is at depth 2 either way), d -> e; c before a.
    edges = [("a", "b"), ("a", "c"), ("c", "d"), ("b", "d"), ("d", "e"), ("x", "y")]
    hours = {"a": 1.0, "b": 2.0, "c": 0.5, "d": 4.0, "e": 11.0, "x": 0, "y": 0}
    # x -> y is not reached from a; c's time is clipped to the source's.
    assert tree_shape(edges, "a", hours) == (5, 3, 2, 1.0, 10.0)
    assert tree_shape([], "a", {"a": 3.0}) == (1, 0, 1, 0.0, 0.0)
    star = [("r", i) for i in range(10)]
    times = {"r": 0.0, **{i: float(i + 1) for i in range(10)}}
    assert tree_shape(star, "r", times) == (11, 1, 10, 5.0, 9.0)  # the 6th and 10th of 11


def test_twitter16_has_the_verified_counts(twitter16: object) -> None:
    t = twitter16
    assert len(t.shapes) == len(t.sources) == 818  # type: ignore[attr-defined]
    assert int(t.lines.sum()) == 363_536 and int(t.lines.max()) == 3_145  # type: ignore[attr-defined]
    lines = np.sort(t.lines)  # type: ignore[attr-defined]
    assert lines[408] <= 280 <= lines[409]  # the median tree has 280 lines
    labels = {k: t.labels.count(k) for k in set(t.labels)}  # type: ignore[attr-defined]
    assert labels == {"false": 205, "true": 207, "unverified": 201, "non-rumor": 205}
    s: Shapes = t.shapes  # type: ignore[attr-defined]
    assert (s.size <= t.lines).all() and s.size.min() > 1  # type: ignore[attr-defined]
    assert (s.depth >= 1).all() and (s.breadth <= s.size - 1).all()
    assert (s.t50 <= s.t90).all() and (s.t50 >= 0).all()
    assert 200 < np.median(s.size) < 350 and np.median(s.depth) == 3


def test_the_default_arc_delay_is_twitter16s(twitter16: object) -> None:
    fitted = Delay.fit(twitter16.edge_hours)  # type: ignore[attr-defined]
    assert fitted.median_hours == pytest.approx(ARC_DELAY.median_hours, abs=0.01)
    assert fitted.sigma == pytest.approx(ARC_DELAY.sigma, abs=0.01)


def _archive(folder: Path, files: dict[str, str]) -> Path:
    path = folder / "twitter16.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_the_archives_quirks(tmp_path: Path) -> None:
    root = "['1', '9', '-30.0']"
    lines = [
        f"{root}->{root}",  # a self-loop
        f"{root}->['2', '10', '-24.0']",  # 6 minutes after the source
        "['ROOT', 'ROOT', '0.0']->" + root,  # the source, not on the first line
        f"{root}->['2', '10', '-24.0']",  # a repeat
        "['2', '10', '-24.0']->['3', '11', '-31.0']",  # before the source: hour 0
        "['2', '10', '-24.0']->['4', '12', '90.0']",
    ]
    path = _archive(tmp_path, {"twitter16/tree/9.txt": "\n".join(lines) + "\n",
                               "twitter16/label.txt": "true:9\n"})  # fmt: skip
    t = read_twitter16(tmp_path)
    s = t.shapes
    assert (s.size[0], s.depth[0], s.breadth[0]) == (4, 2, 2)
    assert s.t50[0] == 0.0 and s.t90[0] == pytest.approx(2.0)  # the 2nd and 4th of 4
    assert t.labels == ["true"] and t.sources == ["9"] and t.lines.tolist() == [6]
    assert np.allclose(np.sort(t.edge_hours), np.sort([0.1, -7 / 60, 114 / 60]))
    assert read_twitter16(path).shapes.size.tolist() == [4]
    _archive(tmp_path, {"twitter16/tree/9.txt": lines[1] + "\nnot an edge\n"})
    with pytest.raises(BadInputError) as err:
        read_twitter16(tmp_path)
    assert err.value.file == "tree/9.txt" and err.value.line == 2
    _archive(tmp_path, {"twitter16/tree/9.txt": lines[1] + "\n"})
    with pytest.raises(BadInputError, match="no ROOT line"):
        read_twitter16(tmp_path)
    with pytest.raises(BadInputError):
        read_twitter16(tmp_path / "elsewhere")


def test_simulated_shapes_and_the_comparison() -> None:
    rng = np.random.default_rng(3)
    cascade = Cascade.from_arcs(rng.integers(0, 400, 4000), rng.integers(0, 400, 4000), 400,
                                model="ic", p=0.08)  # fmt: skip
    runs = [timed_runs(cascade, [v], runs=200, seed=v) for v in (1, 2)]
    s = Shapes.from_runs(runs)
    assert len(s) == 400 and np.array_equal(s.depth[:200], runs[0].depth)
    big = s.where(s.size >= 10)
    assert 0 < len(big) < len(s) and (big.size >= 10).all()
    same = compare(s, s)
    assert [r["metric"] for r in same] == ["size", "depth", "breadth", "t50", "t90"]
    assert all(r["ks"] == 0.0 and r["real"] == r["simulated"] for r in same)
    apart = Shapes(*(np.asarray(getattr(s, m)) + 10**6 for m in ("size", "depth", "breadth",
                                                                  "t50", "t90")))  # fmt: skip
    assert all(r["ks"] == 1.0 for r in compare(s, apart))
    assert compare(s, s.where(s.size < 0))[0]["simulated"] is None
