"""Where RR sets and Monte-Carlo runs are drawn: threads on this machine, or a Dask cluster.

Both backends run the same compiled kernels on the same random streams (RR set ``i`` and
run ``r`` of a seed each have their own), so a seed gives bit-for-bit the same RR sets and
spreads on either; the Dask one only decides which worker draws which range. It ships a
graph to every worker once and keeps it there while the graph object lives, so the many
``sample`` calls of one IMM run send only ranges and seeds.

``dask`` and ``distributed`` are imported only when a ``DaskBackend`` is made.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

from tejido.diffusion.cascade import _MASK, _runs, _seeds, reach_runs
from tejido.diffusion.rrsets import _BLOCK, RRSets, sample
from tejido.diffusion.timeline import TimedRuns
from tejido.errors import BadInputError, ClusterUnavailableError

if TYPE_CHECKING:
    from types import TracebackType

    from distributed import Client, Future

    from tejido.config import Settings
    from tejido.diffusion.advocacy import AdvocacyNetwork
    from tejido.diffusion.cascade import Cascade
    from tejido.diffusion.rrsets import Reverse

__all__ = [
    "Backend",
    "ClusterUnavailableError",
    "DaskBackend",
    "LocalBackend",
    "backend_for",
    "default_backend",
]

CONNECT_TIMEOUT = 5.0  # seconds to reach a scheduler, or to see a worker join it


class Backend(Protocol):
    """Draws RR sets and Monte-Carlo runs; the same seed gives the same result anywhere."""

    def sample(self, reverse: Reverse, first: int, count: int, seed: int) -> RRSets:
        """RR sets number ``first`` .. ``first + count - 1`` of the stream ``seed``."""
        ...

    def reach_runs(
        self, cascade: Cascade, seeds: Any, weights: Any = None, runs: int = 10_000,
        seed: int = 0,
    ) -> NDArray[np.float64]:  # fmt: skip
        """The weight each of ``runs`` simulated cascades from ``seeds`` reaches."""
        ...

    def timed_runs(
        self, model: Cascade | AdvocacyNetwork, seeds: Any, weights: Any = None,
        runs: int = 10_000, seed: int = 0,
    ) -> TimedRuns:  # fmt: skip
        """Timed runs: ``timeline.timed_runs`` of a cascade (IC, WC), or
        ``advocacy.advocacy_runs`` of an advocacy network."""
        ...


@dataclass(frozen=True)
class LocalBackend:
    """Threads on this machine: ``workers`` of them (None: one per core).

    >>> from tejido.diffusion.cascade import Cascade
    >>> chain = Cascade.from_arcs([0, 1], [1, 2], 3, model="wc")  # every arc fires
    >>> LocalBackend(workers=1).reach_runs(chain, [0], runs=3).tolist()
    [3.0, 3.0, 3.0]
    """

    workers: int | None = None

    def sample(self, reverse: Reverse, first: int, count: int, seed: int) -> RRSets:
        """RR sets number ``first`` .. ``first + count - 1`` of the stream ``seed``."""
        return sample(reverse, first, count, seed, self.workers)

    def reach_runs(
        self, cascade: Cascade, seeds: Any, weights: Any = None, runs: int = 10_000,
        seed: int = 0,
    ) -> NDArray[np.float64]:  # fmt: skip
        """The weight each of ``runs`` simulated cascades from ``seeds`` reaches (see
        ``cascade.reach_runs``)."""
        with _numba_threads(self.workers):
            return reach_runs(cascade, seeds, weights, runs, seed)

    def timed_runs(
        self, model: Cascade | AdvocacyNetwork, seeds: Any, weights: Any = None,
        runs: int = 10_000, seed: int = 0,
    ) -> TimedRuns:  # fmt: skip
        """Timed runs of a cascade or an advocacy network (see ``Backend``)."""
        with _numba_threads(self.workers):
            return _timed(model, seeds, weights, 0, runs, seed)

    def close(self) -> None:
        """Nothing to release; here so that either backend can be closed the same way."""

    def __enter__(self) -> LocalBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DaskBackend:
    """A Dask cluster: the scheduler at ``address``, or an existing ``client``.

    Work is cut into ``shards`` contiguous ranges (default: two per worker, RR set
    ranges a whole number of kernel blocks), drawn on the workers and put back in order.
    Each worker draws one range at a time with as many threads as it was started with.
    Close the backend (or use it in a ``with`` block) to disconnect a client it opened.
    """

    def __init__(
        self, address: str | None = None, client: Client | None = None,
        shards: int | None = None,
    ) -> None:  # fmt: skip
        if (address is None) == (client is None):
            raise BadInputError("give a scheduler address or a client, not both nor neither",
                                field="address")  # fmt: skip
        if shards is not None and not (isinstance(shards, int) and shards >= 1):
            raise BadInputError(f"shards must be an int >= 1; got {shards!r}", field="shards")
        self.shards = shards
        self._owned = client is None
        self.client = client if client is not None else _connect(str(address))
        scheduler = self.client.scheduler
        self.address = str(scheduler.address if scheduler is not None else address)
        # id(graph) -> (a weak reference to it, its copy on the workers)
        self._graphs: dict[int, tuple[weakref.ref[Any], Future[Any]]] = {}

    def sample(self, reverse: Reverse, first: int, count: int, seed: int) -> RRSets:
        """RR sets number ``first`` .. ``first + count - 1`` of the stream ``seed``, the
        same as ``LocalBackend`` draws."""
        if count <= 0:
            return RRSets.empty()
        graph = self._shipped(reverse)
        ranges = _ranges(first, count, self._shard_count(), _BLOCK)
        futures = [self.client.submit(_sample_range, graph, start, size, seed, pure=False)
                   for start, size in ranges]  # fmt: skip
        parts: list[RRSets] = self.client.gather(futures)
        nodes = np.concatenate([p.nodes for p in parts])
        lengths = np.concatenate([np.diff(p.offsets) for p in parts])
        offsets = np.zeros(lengths.size + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return RRSets(nodes, offsets)

    def reach_runs(
        self, cascade: Cascade, seeds: Any, weights: Any = None, runs: int = 10_000,
        seed: int = 0,
    ) -> NDArray[np.float64]:  # fmt: skip
        """The weight each of ``runs`` simulated cascades from ``seeds`` reaches, the same
        as ``LocalBackend`` gives."""
        if not (isinstance(runs, int) and runs >= 1):
            raise BadInputError(f"runs must be an int >= 1; got {runs!r}", field="runs")
        chosen = _seeds(cascade, seeds)
        w: Any = None
        if weights is not None:
            w = np.asarray(weights, dtype=np.float64)
            if w.shape != (cascade.n,):
                raise BadInputError(f"weights must have one value per node ({cascade.n})",
                                    field="weights")  # fmt: skip
            w = self.client.scatter(w, broadcast=True, hash=False)
        key = np.uint64(seed) & _MASK
        graph = self._shipped(cascade)
        ranges = _ranges(0, runs, self._shard_count(), 1)
        futures = [self.client.submit(_runs_range, graph, chosen, w, start, size, key,
                                      pure=False) for start, size in ranges]  # fmt: skip
        parts: list[NDArray[np.float64]] = self.client.gather(futures)
        return np.concatenate(parts)

    def timed_runs(
        self, model: Cascade | AdvocacyNetwork, seeds: Any, weights: Any = None,
        runs: int = 10_000, seed: int = 0,
    ) -> TimedRuns:  # fmt: skip
        """Timed runs of a cascade or an advocacy network, the same as ``LocalBackend``
        gives: ranges of runs drawn on the workers and joined in order."""
        if not (isinstance(runs, int) and runs >= 1):
            raise BadInputError(f"runs must be an int >= 1; got {runs!r}", field="runs")
        w: Any = None if weights is None else self.client.scatter(
            np.asarray(weights, dtype=np.float64), broadcast=True, hash=False)  # fmt: skip
        graph = self._shipped(model)
        ranges = _ranges(0, runs, self._shard_count(), 1)
        futures = [self.client.submit(_timed_range, graph, seeds, w, start, size, seed,
                                      pure=False) for start, size in ranges]  # fmt: skip
        parts: list[TimedRuns] = self.client.gather(futures)
        return TimedRuns.concat(parts)

    def close(self) -> None:
        """Forget the graphs on the workers, and disconnect if this backend connected."""
        self._graphs.clear()
        if self._owned:
            self.client.close()

    def __enter__(self) -> DaskBackend:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:  # fmt: skip
        self.close()

    def __repr__(self) -> str:
        return f"DaskBackend({self.address!r})"

    def _shipped(self, graph: Reverse | Cascade | AdvocacyNetwork) -> Future[Any]:
        """``graph`` on every worker: sent on first use, then reused while it lives."""
        ident = id(graph)
        known = self._graphs.get(ident)
        if known is not None and known[0]() is graph:
            return known[1]
        graphs = self._graphs

        def forget(ref: weakref.ref[Any]) -> None:
            # The graph is gone: drop its copy, which releases it on the workers.
            if graphs.get(ident, (None,))[0] is ref:
                del graphs[ident]

        future: Future[Any] = self.client.scatter(graph, broadcast=True, hash=False)
        graphs[ident] = (weakref.ref(graph, forget), future)
        return future

    def _shard_count(self) -> int:
        if self.shards is not None:
            return self.shards
        workers = len(self.client.nthreads())
        if workers == 0:
            try:
                self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            except TimeoutError as exc:
                raise ClusterUnavailableError(
                    f"the Dask scheduler at {self.address} has no workers: start some "
                    f"with `dask worker {self.address}`"
                ) from exc
            workers = len(self.client.nthreads())
        return 2 * workers


def backend_for(source: Settings | str | None = None) -> LocalBackend | DaskBackend:
    """The backend the settings (or a scheduler address) ask for: Dask when a scheduler
    is named, threads on this machine otherwise.

    >>> backend_for(None)
    LocalBackend(workers=None)
    """
    address = source if source is None or isinstance(source, str) else source.dask_scheduler
    return DaskBackend(address) if address else LocalBackend()


def default_backend() -> LocalBackend | DaskBackend:
    """The backend of the settings in the environment (``TEJIDO_DASK_SCHEDULER``)."""
    from tejido.config import Settings

    return backend_for(Settings())


# -- helpers -------------------------------------------------------------------------------


def _connect(address: str) -> Client:
    from distributed import Client

    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:
        # Refused or silent (OSError after the timeout), a malformed address
        # (ValueError), or something other than a scheduler answering (anything).
        raise ClusterUnavailableError(
            f"cannot reach the Dask scheduler at {address} within {CONNECT_TIMEOUT:g} s "
            f"(TEJIDO_DASK_SCHEDULER): {type(exc).__name__}: {exc}"
        ) from exc


def _ranges(first: int, count: int, shards: int, grain: int) -> list[tuple[int, int]]:
    """``first`` .. ``first + count - 1`` in at most ``shards`` contiguous (start, size)
    ranges, each a multiple of ``grain`` but the last.

    >>> _ranges(10, 9, 2, 4)
    [(10, 8), (18, 1)]
    >>> _ranges(0, 10, 4, 1)
    [(0, 3), (3, 3), (6, 3), (9, 1)]
    """
    units = -(-count // grain)
    step = -(-units // max(1, min(shards, units))) * grain
    return [(s, min(step, first + count - s)) for s in range(first, first + count, step)]


_worker_lock = threading.Lock()  # one range at a time in each worker process


@contextmanager
def _numba_threads(threads: int | None) -> Iterator[None]:
    """Compiled parallel loops on this thread use ``threads`` threads (None: all)."""
    import numba

    if threads is None:
        yield
        return
    config: Any = numba.config  # its settings are set at import, unseen by mypy
    before = numba.get_num_threads()
    numba.set_num_threads(max(1, min(threads, config.NUMBA_NUM_THREADS)))
    try:
        yield
    finally:
        numba.set_num_threads(before)


@contextmanager
def _worker_slot() -> Iterator[int]:
    """Run alone in this worker process, with the threads it was started with.

    A worker with several threads would otherwise run several ranges at once, each
    wanting every thread: one at a time keeps the cores busy without oversubscribing,
    and numba's fallback thread pool (workqueue, used when neither OpenMP nor TBB is
    there) aborts when two threads enter it at once.
    """
    try:
        from distributed import get_worker

        threads = int(get_worker().state.nthreads)
    except ValueError:  # not on a worker (called directly)
        threads = os.cpu_count() or 1
    with _worker_lock, _numba_threads(threads):
        yield threads


def _sample_range(reverse: Reverse, start: int, count: int, seed: int) -> RRSets:
    with _worker_slot() as threads:
        return sample(reverse, start, count, seed, threads)


def _runs_range(
    cascade: Cascade, seeds: NDArray[np.int64], weights: NDArray[np.float64] | None,
    first: int, runs: int, key: np.uint64,
) -> NDArray[np.float64]:  # fmt: skip
    c = cascade
    w = np.ones(c.n) if weights is None else weights
    with _worker_slot():
        out: NDArray[np.float64] = _runs(c.indptr, c.dst, c.prob, c.n, seeds, w,
                                         c.model == "lt", first, runs, key)  # fmt: skip
        return out


def _timed(
    model: Cascade | AdvocacyNetwork, seeds: Any, weights: Any, first: int, runs: int,
    seed: int,
) -> TimedRuns:  # fmt: skip
    from tejido.diffusion.advocacy import AdvocacyNetwork, advocacy_runs
    from tejido.diffusion.timeline import timed_runs

    if isinstance(model, AdvocacyNetwork):
        return advocacy_runs(model, seeds, weights, runs, seed, first=first)
    return timed_runs(model, seeds, weights, runs, seed, first=first)


def _timed_range(
    model: Cascade | AdvocacyNetwork, seeds: Any, weights: Any, first: int, runs: int,
    seed: int,
) -> TimedRuns:  # fmt: skip
    with _worker_slot():
        return _timed(model, seeds, weights, first, runs, seed)
