"""Importing many files at once: parsing ahead in a worker process, one savepoint per upload.

Each upload stays all-or-nothing: it is written inside its own savepoint, and a file that
fails rolls back to it, leaving the store exactly as before that file. Uploads are
committed in groups (every ``commit_every`` files or ``commit_seconds``), so that index
pages shared by consecutive uploads are written once per group instead of once per file;
readers see whole uploads only.

A batch that brings at least half as many rows as the store holds writes without the
secondary indexes that no import look-up needs, and builds them again when it ends
(see ``tejido.store.indexes``). When the store is small enough, such a batch also reads
all its keys, people and aliases first (``Memo.mirror``): resolving then needs no
query, and the look-up indexes are deferred too.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection as SqlConnection
from sqlalchemy import func, select

from tejido.errors import TejidoError
from tejido.ingest.identity import Memo
from tejido.ingest.upload import ImportResult, Prepared, read_upload, write_upload
from tejido.store.indexes import LOOKUP, drop_indexes, restore_indexes
from tejido.store.models import Connection, table_of
from tejido.store.session import Store

__all__ = ["BatchItem", "import_many", "worth_deferring"]

Progress = Callable[[int, int, str], None]

# Importers whose parsing uses no library with threads of its own (polars has a pool).
_FORK_SAFE = {"linkedin", "x", "crm", "roster", "shares"}
# Files parsed ahead of the writer per worker: a salesperson's export takes the worker
# 100-300 ms, and with 4 ahead the writer still waited ~5 s in all on the benchmark.
_AHEAD = 16
# A compressed LinkedIn export holds about one connection or message row per 40 bytes
# (measured on the demo): enough to tell a batch that doubles the store from one that
# adds a little to it.
_BYTES_PER_ROW = 40
_DEFER_MIN_ROWS = 100_000
# What the resolvers learnt is kept from one commit to the next while no other writer
# changed the store, up to this many keys (~100 bytes each).
_MEMO_LIMIT = 5_000_000
# A batch big enough to defer indexes reads the whole store's keys, people and aliases
# once (see Memo.mirror) when the store holds at most this many of them.
_MIRROR_LIMIT = 2_000_000


# While a batch writes, the cyclic garbage collector runs after every 100,000 container
# allocations instead of 700: the rows and keys it allocates are acyclic, and with the
# default each collection walked the memo's millions of objects: 17% of the benchmark.
_GC_THRESHOLD = (100_000, 50, 100)
_gc_lock = threading.Lock()
_gc_users = 0
_gc_before: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage less often while the batch runs (the setting is per process)."""
    global _gc_users, _gc_before
    with _gc_lock:
        if _gc_users == 0:
            _gc_before = gc.get_threshold()
            gc.set_threshold(*_GC_THRESHOLD)
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_before)


@dataclass
class BatchItem:
    """The outcome of one file of a batch: a result, or the error that refused it."""

    file: str
    result: ImportResult | None = None
    error: TejidoError | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.result is not None:
            return self.result.to_dict()
        assert self.error is not None
        return {"file": self.file, "status": "failed", "error": self.error.to_dict()}


def _prepare_file(
    kind: str, path: Path, max_bytes: int, options: dict[str, Any]
) -> tuple[str, Prepared]:
    """Read and parse one file (in a worker process when there are many)."""
    from tejido.ingest import IMPORTERS

    data, sha256 = read_upload(path, max_bytes)
    return sha256, IMPORTERS[kind].prepare(data, path.name, max_bytes=max_bytes, **options)


def _parsed(
    kind: str, paths: Sequence[Path], max_bytes: int, options: dict[str, Any], workers: int
) -> Iterator[tuple[Path, tuple[str, Prepared] | TejidoError]]:
    """Each file parsed, in order; with workers, parsing runs ahead of the caller."""
    if workers <= 0 or len(paths) < 4 or kind not in _FORK_SAFE:
        for path in paths:
            try:
                yield path, _prepare_file(kind, path, max_bytes, options)
            except TejidoError as exc:
                yield path, exc
        return
    # fork, not spawn: spawn re-imports the caller's __main__, which breaks any script
    # that calls import_many without an `if __name__ == "__main__":` guard. The children
    # only read and parse files (no store, no polars threads), which is fork-safe.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        ahead = _AHEAD * workers + 2
        futures: list[tuple[Path, Future[tuple[str, Prepared]]]] = []
        queue = iter(paths)
        for path in queue:
            futures.append((path, pool.submit(_prepare_file, kind, path, max_bytes, options)))
            if len(futures) >= ahead:
                break
        while futures:
            path, future = futures.pop(0)
            nxt = next(queue, None)
            if nxt is not None:
                futures.append((nxt, pool.submit(_prepare_file, kind, nxt, max_bytes, options)))
            try:
                yield path, future.result()
            except TejidoError as exc:
                yield path, exc


def worth_deferring(store: Store, paths: Sequence[Path]) -> bool:
    """Whether a batch brings enough rows to write faster without the deferrable indexes."""
    incoming = sum(p.stat().st_size for p in paths if p.is_file()) // _BYTES_PER_ROW
    if incoming < _DEFER_MIN_ROWS:
        return False
    tie = table_of(Connection)
    with store.read() as conn:
        existing = conn.execute(select(func.max(tie.c.id))).scalar() or 0
    return 2 * incoming >= existing


@fewer_collections()
def import_many(
    store: Store,
    kind: str,
    paths: Sequence[Path],
    *,
    max_bytes: int,
    uploaded_by: str | None = None,
    workers: int = 1,
    commit_every: int = 50,
    commit_seconds: float = 15.0,
    defer_indexes: bool | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> list[BatchItem]:
    """Import ``paths`` with importer ``kind``, one upload (one savepoint) per file.

    ``defer_indexes``: write without the deferrable indexes and build them at the end
    (None: when the batch brings at least half as many rows as the store holds).
    """
    paths = list(paths)
    if defer_indexes is None:
        defer_indexes = worth_deferring(store, paths)
    items: list[BatchItem] = []
    parsed = _parsed(kind, paths, max_bytes, options, workers)
    done = 0
    exhausted = False
    dropped: list[str] = []
    mirroring = False  # resolving from a complete memo, without the look-up indexes
    memo = Memo()
    expected: int | None = None  # the store's version if nobody else wrote since our commit
    try:
        while not exhausted:
            started = time.monotonic()
            with store.write() as conn:
                version = store.version(conn)
                if version != expected or memo.size() > _MEMO_LIMIT:
                    memo.clear()
                if defer_indexes and not dropped:
                    mirroring = memo.mirror(conn, _MIRROR_LIMIT)
                    dropped = drop_indexes(conn, lookups=mirroring)
                for in_group, (path, outcome) in enumerate(parsed, start=1):
                    if mirroring:
                        mirroring = _still_mirrored(conn, memo)
                    done += 1
                    items.append(_write_one(conn, path, outcome, uploaded_by, memo))
                    if progress is not None:
                        progress(done, len(paths), path.name)
                    if in_group >= commit_every or time.monotonic() - started > commit_seconds:
                        break
                else:
                    exhausted = True
            expected = version + 1
            store.refresh_statistics()
    finally:
        if dropped:
            with store.write() as conn:
                restore_indexes(conn)
        store.refresh_statistics(None)  # every table the batch grew, for later readers
    return items


def _still_mirrored(conn: SqlConnection, memo: Memo) -> bool:
    """Make the memo complete again after it was cleared, or bring the look-up indexes back.

    A complete memo needs no look-up index, so a mirroring batch drops those too. When
    the memo cannot be complete any more (the store outgrew the mirror while an upload
    rolled back, say), look-ups go back to the store, and their indexes come back first.
    """
    if memo.complete or memo.mirror(conn, _MIRROR_LIMIT):
        return True
    restore_indexes(conn, LOOKUP)
    return False


def _write_one(
    conn: SqlConnection,
    path: Path,
    outcome: tuple[str, Prepared] | TejidoError,
    uploaded_by: str | None,
    memo: Memo,
) -> BatchItem:
    if isinstance(outcome, TejidoError):
        return BatchItem(path.name, error=outcome)
    sha256, prepared = outcome
    try:
        with conn.begin_nested():
            result = write_upload(conn, prepared, sha256, uploaded_by=uploaded_by, memo=memo)
    except TejidoError as exc:
        memo.clear()  # it may hold what the savepoint took back
        return BatchItem(path.name, error=exc)
    return BatchItem(path.name, result=result)
