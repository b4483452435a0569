"""Learning share probabilities: EM against known probabilities, the Goyal baselines, the
fallback, consent, the planted demo log, and ``tejido learn-probabilities``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tejido.cli import app
from tejido.contactmap.view import Viewer
from tejido.demo import generate
from tejido.demo.share_plants import ATTENTION, P_MAX
from tejido.diffusion.learning import ShareLog, learn
from tejido.diffusion.network import Arcs
from tejido.errors import BadInputError
from tejido.workspace import Workspace

HOUR = 3600.0


def simulate(
    src: np.ndarray, dst: np.ndarray, p: np.ndarray, n: int, posts: int, seed: int
) -> ShareLog:
    """Saito et al.'s Independent Cascade in discrete steps of an hour: 2-3 first sharers
    per post at hour 0; whoever shares at hour k tries each out-arc once, and those it
    reaches (not sharing yet) share at hour k + 1."""
    rng = np.random.default_rng(seed)
    order = np.lexsort((dst, src))
    s, d, q = src[order], dst[order], p[order]
    indptr = np.searchsorted(s, np.arange(n + 1))
    post_of, who, times = [], [], []
    for k in range(posts):
        frontier = rng.choice(n, size=int(rng.integers(2, 4)), replace=False).tolist()
        done = set(frontier)
        hour = 0
        while frontier:
            post_of += [k] * len(frontier)
            who += frontier
            times += [hour * HOUR] * len(frontier)
            reached: set[int] = set()
            for u in frontier:
                lo, hi = indptr[u], indptr[u + 1]
                fires = rng.random(hi - lo) < q[lo:hi]
                reached.update(int(v) for v in d[lo:hi][fires] if int(v) not in done)
            frontier = sorted(reached)
            done |= reached
            hour += 1
    return ShareLog.of(post_of, who, times)


@pytest.fixture(scope="module")
def synthetic() -> tuple[Arcs, np.ndarray, ShareLog]:
    """40 people, each reaching 5 others, probabilities 0.05-0.4; 3,000 posts."""
    rng = np.random.default_rng(3)
    n = 40
    src = np.repeat(np.arange(n), 5)
    dst = np.concatenate([rng.choice(np.delete(np.arange(n), u), 5, replace=False)
                          for u in range(n)])  # fmt: skip
    p = rng.uniform(0.05, 0.4, size=src.size)
    return Arcs(np.arange(n), src, dst), p, simulate(src, dst, p, n, 3000, seed=4)


def test_em_recovers_known_probabilities(synthetic: tuple[Arcs, np.ndarray, ShareLog]) -> None:
    net, truth, log = synthetic
    em = learn(net, log, window_hours=1)
    assert em.converged and em.trials.min() >= 200
    error = em.learned - truth
    assert np.abs(error).mean() < 0.02, np.abs(error).mean()
    assert abs(error.mean()) < 0.005
    assert np.corrcoef(em.learned, truth)[0, 1] > 0.97


def test_em_beats_goyal_where_parents_overlap(
    synthetic: tuple[Arcs, np.ndarray, ShareLog],
) -> None:
    """Several first sharers per post: many shares have more than one possible parent.
    Full credit counts each of them a success (biased up); EM does not."""
    net, truth, log = synthetic
    em = learn(net, log, window_hours=1)
    goyal = learn(net, log, window_hours=1, method="goyal")
    partial = learn(net, log, window_hours=1, method="goyal-partial")
    mae = {name: float(np.abs(r.learned - truth).mean())
           for name, r in (("em", em), ("goyal", goyal), ("partial", partial))}  # fmt: skip
    assert mae["em"] < 0.8 * mae["goyal"], mae
    assert mae["em"] <= mae["partial"], mae
    assert (goyal.learned - truth).mean() > 0.02  # full credit over-counts
    assert em.log_likelihood >= partial.log_likelihood
    # Same trials whatever the estimator; EM's expected successes per arc add up to the
    # shares that had a possible parent.
    assert np.array_equal(em.trials, goyal.trials)
    assert em.successes.sum() == pytest.approx(em.counts["activations_explained"], rel=0.05)


def test_one_parent_each_time_all_estimators_agree() -> None:
    """A chain: every share has one possible parent, the frequencies are the MLE."""
    net = Arcs(np.arange(3), np.array([0, 1]), np.array([1, 2]))
    posts = ["a", "a", "a", "b", "b", "c"]
    log = ShareLog.of(posts, [0, 1, 2, 0, 1, 0], [0, 60, 120, 0, 60, 0])
    for method in ("em", "goyal", "goyal-partial"):
        out = learn(net, log, method=method)
        assert out.learned.tolist() == pytest.approx([2 / 3, 1 / 2]), method
        assert out.trials.tolist() == [3, 2]


def test_window_order_and_fallback_are_explicit() -> None:
    # 0 -> 1 (shares 100 hours later: outside a 72-hour window, a failure), 1 -> 0 (0
    # shared first: not tried), 2 -> 0 (2 never shared: not tried), twice 0 -> 1 repeated.
    net = Arcs(np.arange(3), np.array([0, 1, 2, 0]), np.array([1, 0, 0, 1]))
    log = ShareLog.of(["a", "a"], [0, 1], [0.0, 100 * HOUR])
    out = learn(net, log, prior="wc")
    assert out.trials.tolist() == [1, 0, 0, 1]
    assert out.learned[0] == 0.0 and np.isnan(out.learned[1:3]).all()
    assert out.fallback.tolist() == [False, True, True, False]
    assert out.prob.tolist() == [0.0, 0.5, 0.5, 0.0]  # WC: in-degree of 0 is 2
    wide = learn(net, log, window_hours=200)
    assert wide.learned[0] == 1.0
    uniform = learn(net, log, prior=0.05, min_trials=2)
    assert uniform.prob.tolist() == [0.05] * 4 and uniform.fallback.all()
    assert uniform.prior == "ic:0.05"
    shrunk = learn(net, log, window_hours=200, prior=0.1, pseudo_trials=1)
    assert shrunk.learned[0] == pytest.approx((1 + 0.1) / 2)
    cascade = out.cascade()
    assert cascade.model == "ic" and cascade.m == 3  # the repeated arc is kept once


def test_target_prior_is_the_persons_reshare_rate() -> None:
    # Person 2 sees 0's and 1's shares of four posts and re-shares two of them.
    net = Arcs(np.arange(4), np.array([0, 1, 3]), np.array([2, 2, 2]))
    log = ShareLog.of(["a", "a", "b", "c", "c", "d"], [0, 2, 0, 1, 2, 1],
                      [0, 60, 0, 0, 60, 0])  # fmt: skip
    out = learn(net, log)  # the default prior: "target"
    assert out.prior == "target"
    assert out.trials.tolist() == [2, 2, 0]
    assert out.prob[2] == pytest.approx(2 / 4)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"method": "magic"}, "'method' parameter of learn must be one of em, goyal"),
        ({"window_hours": 0}, "'window_hours' parameter of learn must be a number > 0"),
        ({"min_trials": 0}, "'min_trials' parameter of learn must be an int >= 1. Got 0"),
        ({"prior": "ic"}, "'prior' parameter of learn must be 'wc', 'target' or a probability"),
        ({"prior": 1.5}, "Got 1.5 instead"),
        ({"pseudo_trials": -1}, "'pseudo_trials' parameter of learn must be a number >= 0"),
    ],
)
def test_bad_parameters_are_refused(options: dict[str, object], words: str) -> None:
    net = Arcs(np.arange(2), np.array([0]), np.array([1]))
    with pytest.raises(BadInputError, match=words):
        learn(net, ShareLog.of([], [], []), **options)  # type: ignore[arg-type]


def test_an_empty_log_falls_back_everywhere() -> None:
    net = Arcs(np.arange(3), np.array([0, 1]), np.array([1, 2]))
    out = learn(net, ShareLog.of([], [], []), prior="wc")
    assert out.fallback.all() and out.prob.tolist() == [1.0, 1.0]
    assert out.summary()["arcs_learned"] == 0


# -- the planted demo log --------------------------------------------------------------------


def _files(folder: Path) -> dict[str, bytes]:
    names = ("shares.csv", "truth/shares.csv", "truth/share_probabilities.csv", "truth/ties.csv")
    return {name: (folder / name).read_bytes() for name in names}


def test_the_demo_plant_is_deterministic_by_seed(tmp_path: Path) -> None:
    small = {"employees": 8, "mean_contacts": 30}
    first = generate(tmp_path / "a", seed=5, **small)
    again = generate(tmp_path / "b", seed=5, **small)
    other = generate(tmp_path / "c", seed=6, **small)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a")["shares.csv"] != _files(tmp_path / "c")["shares.csv"]
    assert first.counts["shares"] == again.counts["shares"] > 0
    assert first.counts["share_posts"] == 100 and other.counts["share_posts"] == 100
    with (tmp_path / "a" / "truth" / "share_probabilities.csv").open(encoding="utf-8") as f:
        arcs = list(csv.DictReader(f))
    p = np.array([float(a["p"]) for a in arcs])
    target = np.array([int(a["target_person_id"]) for a in arcs])
    assert p.min() > 0 and p.max() <= P_MAX
    # Attention caps what anyone re-shares: incoming probabilities sum to at most 0.6.
    assert np.bincount(target, weights=p).max() <= P_MAX * ATTENTION + 1e-6
    with (tmp_path / "a" / "truth" / "shares.csv").open(encoding="utf-8") as f:
        shares = list(csv.DictReader(f))
    arc_set = {(a["source_person_id"], a["target_person_id"]) for a in arcs}
    reached = [s for s in shares if s["parent_person_id"]]
    assert reached and all((s["parent_person_id"], s["truth_person_id"]) in arc_set
                           for s in reached)  # fmt: skip


def test_the_demo_log_is_imported_and_learned(demo_map: Workspace) -> None:
    """The session's demo company holds its share log, and EM learns its arcs about as
    well as sampling allows (the floor: the error if every share's parent were known)."""
    (upload,) = [u for u in demo_map.uploads().to_dict("records") if u["kind"] == "shares"]
    counts = upload["counts"]
    assert counts["shares"] > 1000 and counts["unknown_people_skipped"] < 0.02 * counts["rows"]
    report = demo_map.learning_report()
    assert report["truth"]["planted_arcs_on_network"] > 0.8 * report["truth"]["planted_arcs"]
    assert report["log"]["log_rows_off_network"] > 0  # private employees' networks unseen
    (row,) = [r for r in report["by_trials"] if r["min_trials"] == 10]
    em, goyal, wc = row["em"], row["goyal"], row["wc"]
    assert row["arcs"] > 500
    assert em["mae"] < 1.25 * row["floor"], row
    assert abs(em["bias"]) < 0.01 and em["spearman"] > 0.5, row
    assert em["mae"] <= goyal["mae"] and abs(em["bias"]) <= abs(goyal["bias"]), row
    assert wc["mae"] > 3 * em["mae"], row


def test_learned_arcs_are_the_viewers_arcs(demo_map: Workspace) -> None:
    learned = demo_map.learn_probabilities()
    net = demo_map.diffusion_service.arcs(None)
    assert np.array_equal(learned.src, net.src) and np.array_equal(learned.dst, net.dst)
    assert ((learned.prob >= 0) & (learned.prob <= 1)).all()
    assert np.array_equal(learned.fallback, learned.trials < 1)
    assert learned.cascade().n == net.n
    cm = demo_map.map()
    employee = int(cm.snap.person_id[cm.employees[0]])
    viewer = Viewer(role="employee", person_id=employee)
    mine = demo_map.learn_probabilities(viewer)
    theirs = demo_map.diffusion_service.arcs(viewer)
    assert (
        np.array_equal(mine.src, theirs.src)
        and mine.counts["log_rows"] == learned.counts["log_rows"]
    )


def test_cli_learn_probabilities_json_and_table(demo_map: Workspace) -> None:
    folder = str(demo_map.path)
    out = CliRunner().invoke(app, ["learn-probabilities", "--json", "-w", folder,
                                   "--truth", str(demo_map.demo_truth())])  # fmt: skip
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert result["learned"]["arcs_learned"] > 0 and result["learned"]["converged"]
    assert [r["min_trials"] for r in result["validation"]["by_trials"]] == [1, 5, 10, 20, 50]
    table = CliRunner().invoke(app, ["learn-probabilities", "--method", "goyal", "--prior",
                                     "wc", "-w", folder])  # fmt: skip
    assert table.exit_code == 0, table.output
    assert "Learned share probabilities (goyal)" in table.stdout
    bad = CliRunner().invoke(app, ["learn-probabilities", "--prior", "often", "-w", folder])
    assert bad.exit_code != 0
