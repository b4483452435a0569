"""Backends: a real two-process Dask cluster draws bit-for-bit the RR sets and Monte-Carlo
runs that threads on this machine draw, ships each graph once, and a dead scheduler fails
fast with a clear message."""

from __future__ import annotations

import gc
import inspect
import socket
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from distributed import Client, LocalCluster

from tejido.config import Settings
from tejido.diffusion.backends import (
    ClusterUnavailableError,
    DaskBackend,
    LocalBackend,
    backend_for,
)
from tejido.diffusion.cascade import Cascade
from tejido.diffusion.imm import imm
from tejido.diffusion.opim import opim
from tejido.diffusion.rrsets import _BLOCK, Reverse
from tejido.errors import BadInputError, TejidoError

N = 400


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                     dashboard_address=None) as cluster,
        Client(cluster, set_as_default=False) as c,
    ):  # fmt: skip
        yield c


@pytest.fixture
def dask(client: Client) -> Iterator[DaskBackend]:
    with DaskBackend(client=client) as backend:
        yield backend


def _graph(model: str, seed: int = 1, n: int = N, arcs: int = 6 * N) -> Cascade:
    rng = np.random.default_rng(seed)
    src, dst = rng.integers(0, n, arcs), rng.integers(0, n, arcs)
    return Cascade.from_arcs(src, dst, n, model=model, p=0.3)


def _targets(n: int = N) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.where(np.arange(n) % 7 == 0, 2.5, 0.0)  # a segment: every 7th node weighs 2.5


@pytest.mark.parametrize("model", ["ic", "wc", "lt"])
@pytest.mark.parametrize("targeted", [False, True])
@pytest.mark.parametrize("shards", [None, 3])
def test_rr_sets_are_those_drawn_locally(
    dask: DaskBackend, model: str, targeted: bool, shards: int | None
) -> None:
    reverse = Reverse.of(_graph(model), _targets() if targeted else None)
    dask.shards = shards
    first, count = 5, 3 * _BLOCK + 17  # ranges cut mid-block, and a short last one
    got = dask.sample(reverse, first, count, seed=11)
    want = LocalBackend().sample(reverse, first, count, seed=11)
    assert got.count == count
    assert got.nodes.size > count  # the sets reach beyond their roots: a real comparison
    assert got.nodes.dtype == want.nodes.dtype and got.offsets.dtype == want.offsets.dtype
    np.testing.assert_array_equal(got.offsets, want.offsets)
    np.testing.assert_array_equal(got.nodes, want.nodes)
    if targeted:
        roots = got.nodes[got.offsets[:-1]]
        assert np.all(roots % 7 == 0)


def test_another_seed_gives_other_sets(dask: DaskBackend) -> None:
    reverse = Reverse.of(_graph("ic"))
    a, b = dask.sample(reverse, 0, 2000, seed=1), dask.sample(reverse, 0, 2000, seed=2)
    assert not np.array_equal(a.nodes[: b.nodes.size], b.nodes[: a.nodes.size])


def test_no_sets_asked_none_drawn(dask: DaskBackend) -> None:
    sets = dask.sample(Reverse.of(_graph("ic")), 10, 0, seed=1)
    assert sets.count == 0 and sets.nodes.size == 0


@pytest.mark.parametrize("model", ["ic", "lt"])
@pytest.mark.parametrize("weighted", [False, True])
def test_monte_carlo_runs_are_those_run_locally(
    dask: DaskBackend, model: str, weighted: bool
) -> None:
    cascade = _graph(model, seed=2)
    weights = _targets() if weighted else None
    got = dask.reach_runs(cascade, [3, 40, 41], weights, runs=1001, seed=9)
    want = LocalBackend().reach_runs(cascade, [3, 40, 41], weights, runs=1001, seed=9)
    assert got.shape == (1001,) and np.unique(got).size > 1
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("kind", ["timed-ic", "advocacy"])
@pytest.mark.parametrize("weighted", [False, True])
def test_timed_runs_are_those_run_locally(dask: DaskBackend, kind: str, weighted: bool) -> None:
    from dataclasses import fields

    from tejido.diffusion.advocacy import AdvocacyNetwork, AdvocacyParams
    from tejido.diffusion.timeline import TimedRuns

    cascade = _graph("wc", seed=4)
    model: Any = cascade
    if kind == "advocacy":
        src = np.repeat(np.arange(N), np.diff(cascade.indptr))
        model = AdvocacyNetwork.from_arcs(src, cascade.dst, N, strength=cascade.prob,
                                          params=AdvocacyParams(engage_rate=0.3))  # fmt: skip
    weights = _targets() if weighted else None
    got = dask.timed_runs(model, [3, 40, 41], weights, runs=301, seed=5)
    want = LocalBackend().timed_runs(model, [3, 40, 41], weights, runs=301, seed=5)
    assert got.runs == 301 and np.unique(got.exposed).size > 1
    for f in fields(TimedRuns):
        np.testing.assert_array_equal(getattr(got, f.name), getattr(want, f.name), f.name)


def test_monte_carlo_checks_its_input(dask: DaskBackend) -> None:
    cascade = _graph("ic")
    with pytest.raises(BadInputError, match="runs must be an int >= 1"):
        dask.reach_runs(cascade, [0], runs=0)
    with pytest.raises(BadInputError, match="seeds must be nodes"):
        dask.reach_runs(cascade, [N], runs=10)
    with pytest.raises(BadInputError, match="one value per node"):
        dask.reach_runs(cascade, [0], np.ones(3), runs=10)


def test_a_graph_is_shipped_once_while_it_lives(
    dask: DaskBackend, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped: list[object] = []
    scatter: Any = client.scatter

    def counting(data: Any, **options: Any) -> Any:
        shipped.append(data)
        return scatter(data, **options)

    monkeypatch.setattr(client, "scatter", counting)
    reverse = Reverse.of(_graph("wc"))
    first = dask.sample(reverse, 0, 1000, seed=4)
    again = dask.sample(reverse, 1000, 1000, seed=4)
    assert shipped == [reverse]
    assert first.count == again.count == 1000
    del reverse
    gc.collect()
    other = Reverse.of(_graph("wc"))  # a new graph, perhaps where the old one lived
    dask.sample(other, 0, 1000, seed=4)
    assert len(shipped) == 2 and shipped[-1] is other


@pytest.mark.parametrize(
    "select",
    [
        pytest.param(imm, id="imm", marks=pytest.mark.skipif(
            "backend" not in inspect.signature(imm).parameters,
            reason="imm() does not take a backend yet",
        )),
        pytest.param(opim, id="opim-c"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("targeted", [False, True])
def test_seed_selection_is_the_same_on_either_backend(
    dask: DaskBackend, select: Any, targeted: bool
) -> None:
    cascade = _graph("wc", seed=5, n=300, arcs=1500)
    targets = _targets(300) if targeted else None
    local = select(cascade, 5, epsilon=0.3, seed=8, targets=targets, backend=LocalBackend())
    remote = select(cascade, 5, epsilon=0.3, seed=8, targets=targets, backend=dask)
    default = select(cascade, 5, epsilon=0.3, seed=8, targets=targets)
    assert len(local.seeds) == 5
    assert remote.seeds == local.seeds
    assert remote.estimate == local.estimate
    assert remote.rr_sets_total == local.rr_sets_total
    assert (default.seeds, default.estimate) == (local.seeds, local.estimate)


def _dead_address() -> str:
    with socket.socket() as s:  # a port nobody listens on once it is closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


def test_a_dead_scheduler_fails_fast_naming_its_address() -> None:
    address = _dead_address()
    started = time.perf_counter()
    with pytest.raises(ClusterUnavailableError, match="cannot reach the Dask scheduler at "
                       + address.replace(".", r"\.")) as caught:  # fmt: skip
        DaskBackend(address)
    assert time.perf_counter() - started < 15
    assert isinstance(caught.value, TejidoError) and caught.value.http_status == 503


def test_the_setting_chooses_the_backend(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEJIDO_DASK_SCHEDULER", raising=False)
    assert Settings().dask_scheduler is None
    assert backend_for(Settings()) == LocalBackend()
    address = str(client.scheduler_info()["address"])
    monkeypatch.setenv("TEJIDO_DASK_SCHEDULER", address)
    assert Settings().dask_scheduler == address
    with backend_for(Settings()) as backend:
        assert isinstance(backend, DaskBackend) and backend.address == address
        reverse = Reverse.of(_graph("ic"))
        got = backend.sample(reverse, 0, 500, seed=3)
        np.testing.assert_array_equal(got.nodes, LocalBackend().sample(reverse, 0, 500, 3).nodes)
    assert client.status == "running"  # closing the backend left the shared client alone


def test_shards_must_be_positive(client: Client) -> None:
    with pytest.raises(BadInputError, match="shards must be an int >= 1; got 0"):
        DaskBackend(client=client, shards=0)
    with pytest.raises(BadInputError, match="not both nor neither"):
        DaskBackend()


def test_the_service_answers_the_same_on_a_cluster(client: Client, demo_map: Any) -> None:
    from tejido.diffusion.service import DiffusionService

    local = DiffusionService(demo_map.contact_map)
    remote = DiffusionService(demo_map.contact_map)
    remote._backend = DaskBackend(client=client)  # as `dask_scheduler` would connect it
    cm = demo_map.contact_map.map(None)
    people = [int(cm.snap.person_id[e]) for e in np.flatnonzero(cm.snap.consent >= 0)[:3]]
    for service in (local, remote):
        service.arcs(None)  # the same arcs object for both: build once each
    here = local.reach(None, people, runs=300, segment={"relation": "customer"})
    there = remote.reach(None, people, runs=300, segment={"relation": "customer"})
    assert here == there
    plan_here = local.plan(k=2, runs=200, segment={"relation": "customer"})
    plan_there = remote.plan(k=2, runs=200, segment={"relation": "customer"})
    assert plan_here["ambassadors"] == plan_there["ambassadors"]
    assert plan_here["plans"] == plan_there["plans"]
