"""A workspace: the folder and store one company's Tejido works in, and its operations."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select

from tejido.config import Settings
from tejido.errors import BadInputError
from tejido.ingest import IMPORTERS, Importer
from tejido.ingest.batch import BatchItem, import_many
from tejido.ingest.upload import ImportResult, erase_upload, read_upload
from tejido.store.models import Upload, table_of
from tejido.store.session import Store

__all__ = ["Workspace"]


def _importer(kind: str) -> Importer:
    importer = IMPORTERS.get(kind)
    if importer is None:
        known = ", ".join(sorted(IMPORTERS))
        raise BadInputError(f"no importer named {kind!r}; known importers: {known}")
    return importer


class Workspace:
    """One company's Tejido: a folder (caches, generated files) and a store (the truth).

    >>> import tempfile
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> ws.stats().people
    0
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        database_url: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        base = settings or Settings()
        updates: dict[str, Any] = {}
        if path is not None:
            updates["workspace"] = Path(path)
        if database_url is not None:
            updates["database_url"] = database_url
        self.settings = base.model_copy(update=updates)
        self.path = Path(self.settings.workspace)
        self.path.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.settings.resolved_database_url())

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r}, database={self.store.safe_url!r})"

    def close(self) -> None:
        self.store.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- imports ---------------------------------------------------------------------------

    def import_file(self, kind: str, path: str | Path, **options: Any) -> ImportResult:
        """Import one file with the importer named ``kind`` (see ``tejido.ingest.IMPORTERS``)."""
        importer = _importer(kind)
        data, sha256 = read_upload(path, self.settings.max_upload_bytes)
        options.setdefault("max_bytes", self.settings.max_upload_bytes)
        return importer.run(self.store, data, sha256, Path(path).name, **options)

    def import_many(
        self,
        kind: str,
        paths: Iterable[str | Path],
        *,
        progress: Callable[[int, int, str], None] | None = None,
        workers: int | None = None,
        **options: Any,
    ) -> list[BatchItem]:
        """Import many files of one kind, one upload each; a bad file does not stop the rest.

        Files are parsed ahead in ``workers`` processes (one by default on a multi-core
        machine) while the store is written; every upload is its own savepoint.
        """
        _importer(kind)
        if workers is None:
            workers = 1 if (os.cpu_count() or 1) > 1 else 0
        return import_many(
            self.store,
            kind,
            [Path(p) for p in paths],
            max_bytes=self.settings.max_upload_bytes,
            workers=workers,
            progress=progress,
            **options,
        )

    def import_linkedin(
        self, path: str | Path, *, employee: str | None = None, **options: Any
    ) -> ImportResult:
        """Import an employee's LinkedIn export zip (or one of its CSV files)."""
        return self.import_file("linkedin", path, employee=employee, **options)

    def import_x(
        self, path: str | Path, *, employee: str | None = None, **options: Any
    ) -> ImportResult:
        """Import an employee's X (Twitter) archive zip."""
        return self.import_file("x", path, employee=employee, **options)

    def import_crm(self, path: str | Path, **options: Any) -> ImportResult:
        """Import a CRM accounts CSV (Salesforce, HubSpot or plain columns)."""
        return self.import_file("crm", path, **options)

    def import_roster(
        self, path: str | Path, *, company: str | None = None, **options: Any
    ) -> ImportResult:
        """Import the employee roster CSV; ``company`` names our own organisation."""
        return self.import_file("roster", path, company=company, **options)

    def import_edges(
        self, path: str | Path, *, directed: bool = False, **options: Any
    ) -> ImportResult:
        """Import a generic edge list (CSV, TSV, SNAP text or Parquet)."""
        return self.import_file("edges", path, directed=directed, **options)

    def erase_upload(self, upload_id: int) -> dict[str, int]:
        """Delete an upload and everything only it asserted (people included)."""
        with self.store.write() as conn:
            return erase_upload(conn, upload_id)

    # -- reading ---------------------------------------------------------------------------

    def stats(self) -> Any:
        from tejido.reports import stats

        return stats(self.store)

    def resolve_report(self, truth_dir: str | Path | None = None) -> Any:
        from tejido.reports import resolve_report

        return resolve_report(self.store, Path(truth_dir) if truth_dir else self.demo_truth())

    def demo_truth(self) -> Path:
        """The ground-truth folder of the demo company generated in this workspace."""
        from tejido.errors import NotFoundError

        manifest = self.path / "demo" / "manifest.json"
        if not manifest.exists():
            raise NotFoundError(
                f"{self.path} holds no demo company (no demo/manifest.json): run `tejido demo` "
                "or give the ground-truth folder"
            )
        truth = str(json.loads(manifest.read_text()).get("truth_dir", "truth"))
        return self.path / "demo" / truth

    def uploads(self) -> pd.DataFrame:
        """Every upload: kind, file, owner, status, counts."""
        u = table_of(Upload)
        with self.store.read() as conn:
            rows = conn.execute(select(u).order_by(u.c.id)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows])
