"""Importers: real-world files in, people, organisations and ties in the store.

Every importer parses its whole file before it writes (``prepare``), writes in one
transaction or savepoint (``write_upload``), does nothing the second time it sees the
same bytes, and records which upload (and line) asserted each fact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tejido.ingest.crm import prepare_crm
from tejido.ingest.edgelist import prepare_edges
from tejido.ingest.linkedin import prepare_linkedin
from tejido.ingest.roster import prepare_roster
from tejido.ingest.shares import prepare_shares
from tejido.ingest.upload import ImportResult, Prepared, write_upload
from tejido.ingest.x_archive import prepare_x
from tejido.store.session import Store

__all__ = ["IMPORTERS", "ImportResult", "Importer", "Prepared"]


@dataclass(frozen=True)
class Importer:
    """One kind of file Tejido reads: a parser (``prepare``) and its options."""

    name: str
    summary: str
    formats: str
    options: tuple[str, ...]
    prepare: Callable[..., Prepared]

    def run(
        self,
        store: Store,
        data: bytes,
        sha256: str,
        file: str,
        *,
        uploaded_by: str | None = None,
        **options: Any,
    ) -> ImportResult:
        """Parse ``data`` and write it as one upload in its own transaction."""
        prepared = self.prepare(data, file, **options)
        with store.write() as conn:
            return write_upload(conn, prepared, sha256, uploaded_by=uploaded_by)


IMPORTERS: dict[str, Importer] = {
    importer.name: importer
    for importer in (
        Importer(
            "linkedin",
            "An employee's LinkedIn data export: connections, messages, career, profile.",
            "the export zip, or Connections.csv, messages.csv, Positions.csv, Education.csv, "
            "Profile.csv or Email Addresses.csv alone",
            ("employee", "encoding"),
            prepare_linkedin,
        ),
        Importer(
            "x",
            "An employee's X (Twitter) archive: followers and accounts followed.",
            "the archive zip (data/account.js, data/follower.js, data/following.js)",
            ("employee",),
            prepare_x,
        ),
        Importer(
            "crm",
            "CRM accounts: customers, prospects, competitors, partners, suppliers.",
            "CSV with Salesforce, HubSpot or plain column names",
            ("encoding",),
            prepare_crm,
        ),
        Importer(
            "roster",
            "The employee roster: name, e-mail, LinkedIn URL, department, title, consent.",
            "CSV",
            ("company", "encoding"),
            prepare_roster,
        ),
        Importer(
            "edges",
            "A generic edge list, so any real network can be analysed.",
            "CSV, TSV, whitespace-separated text (SNAP) or Parquet; optional weight column",
            ("directed", "namespace", "encoding"),
            prepare_edges,
        ),
        Importer(
            "shares",
            "A share log: who shared (liked, commented on, clicked) which post, and when.",
            "CSV with post, person (LinkedIn URL, e-mail, @handle or X id), time and action",
            ("encoding",),
            prepare_shares,
        ),
    )
}
