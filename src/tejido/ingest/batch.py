"""Importing many files at once: parsing ahead in a worker process, one savepoint per upload.

Each upload stays all-or-nothing: it is written inside its own savepoint, and a file that
fails rolls back to it, leaving the store exactly as before that file. Uploads are
committed in groups (every ``commit_every`` files or ``commit_seconds``), so that index
pages shared by consecutive uploads are written once per group instead of once per file;
readers see whole uploads only.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tejido.errors import TejidoError
from tejido.ingest.identity import Memo
from tejido.ingest.upload import ImportResult, Prepared, read_upload, write_upload
from tejido.store.session import Store

__all__ = ["BatchItem", "import_many"]

Progress = Callable[[int, int, str], None]

# Importers whose parsing uses no library with threads of its own (polars has a pool).
_FORK_SAFE = {"linkedin", "x", "crm", "roster"}


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
        ahead = 2 * workers + 2
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
    progress: Progress | None = None,
    **options: Any,
) -> list[BatchItem]:
    """Import ``paths`` with importer ``kind``, one upload (one savepoint) per file."""
    items: list[BatchItem] = []
    parsed = _parsed(kind, list(paths), max_bytes, options, workers)
    done = 0
    exhausted = False
    while not exhausted:
        memo = Memo()
        started = time.monotonic()
        with store.write() as conn:
            for in_group, (path, outcome) in enumerate(parsed, start=1):
                done += 1
                if isinstance(outcome, TejidoError):
                    items.append(BatchItem(path.name, error=outcome))
                else:
                    sha256, prepared = outcome
                    try:
                        with conn.begin_nested():
                            result = write_upload(
                                conn, prepared, sha256, uploaded_by=uploaded_by, memo=memo
                            )
                        items.append(BatchItem(path.name, result=result))
                    except TejidoError as exc:
                        memo.clear()  # it may hold what the savepoint took back
                        items.append(BatchItem(path.name, error=exc))
                if progress is not None:
                    progress(done, len(paths), path.name)
                if in_group >= commit_every or time.monotonic() - started > commit_seconds:
                    break
            else:
                exhausted = True
        store.refresh_statistics()
    return items
