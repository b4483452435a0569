"""The snapshot cache: one folder per store version under ``WORKSPACE/cache/snapshot``.

A snapshot is rebuilt only when the store's version moved on (every write transaction
moves it). Folders are written under a temporary name and renamed into place, so a
reader never sees half a snapshot, and two processes building at once both end up with
a complete one.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from tejido.errors import NotFoundError
from tejido.snapshot.build import build_snapshot
from tejido.snapshot.model import FORMAT, Snapshot
from tejido.snapshot.read import read_store
from tejido.store.session import Store

__all__ = ["SnapshotCache"]


class SnapshotCache:
    """Snapshots of ``store`` kept in ``folder``; ``get()`` gives the current one.

    >>> import tempfile, pathlib
    >>> from tejido.store.session import Store
    >>> cache = SnapshotCache(Store("sqlite://"), pathlib.Path(tempfile.mkdtemp()))
    >>> snap = cache.get()
    >>> (snap.n_nodes, cache.get() is snap)
    (0, True)
    """

    def __init__(self, store: Store, folder: Path) -> None:
        self.store = store
        self.folder = folder
        self._current: Snapshot | None = None
        self.builds = 0  # how many times this cache built rather than loaded (for tests)

    def _path(self, version: int) -> Path:
        return self.folder / f"v{version}-f{FORMAT}"

    def get(self) -> Snapshot:
        """The snapshot of the store as it is now: in memory, on disk, or built."""
        version = self.store.version()
        if self._current is not None and self._current.version == version:
            return self._current
        path = self._path(version)
        snap: Snapshot | None = None
        if (path / "meta.json").exists():
            try:
                snap = Snapshot.load(path)
            except (NotFoundError, OSError, ValueError):
                snap = None
        if snap is None:
            snap = self.rebuild()
        self._current = snap
        return snap

    def rebuild(self) -> Snapshot:
        """Build the snapshot of the store now and keep it on disk."""
        tables = read_store(self.store)
        snap = build_snapshot(tables)
        self.builds += 1
        final = self._path(snap.version)
        tmp = self.folder / f".tmp-{uuid.uuid4().hex}"
        snap.save(tmp)
        try:
            tmp.rename(final)
        except OSError:  # another process put the same version in place first
            shutil.rmtree(tmp, ignore_errors=True)
        self._prune(keep=final)
        self._current = snap
        return snap

    def _prune(self, keep: Path) -> None:
        """Remove older versions (a reader that mapped them keeps its open files)."""
        for old in self.folder.glob("v*-f*"):
            if old != keep:
                shutil.rmtree(old, ignore_errors=True)
