"""Importers: real-world files in, people, organisations and ties in the store.

Every importer reads its whole file before it writes, writes in one transaction, does
nothing the second time it sees the same bytes, and records which upload (and line)
asserted each fact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tejido.ingest.crm import import_crm_bytes
from tejido.ingest.edgelist import import_edges_bytes
from tejido.ingest.linkedin import import_linkedin_bytes
from tejido.ingest.roster import import_roster_bytes
from tejido.ingest.upload import ImportResult
from tejido.ingest.x_archive import import_x_bytes

__all__ = ["IMPORTERS", "ImportResult", "Importer"]


@dataclass(frozen=True)
class Importer:
    """One kind of file Tejido reads."""

    name: str
    summary: str
    formats: str
    options: tuple[str, ...]
    run: Callable[..., ImportResult]


IMPORTERS: dict[str, Importer] = {
    importer.name: importer
    for importer in (
        Importer(
            "linkedin",
            "An employee's LinkedIn data export: connections, messages, career, profile.",
            "the export zip, or Connections.csv, messages.csv, Positions.csv, Education.csv, "
            "Profile.csv or Email Addresses.csv alone",
            ("employee", "encoding", "uploaded_by"),
            import_linkedin_bytes,
        ),
        Importer(
            "x",
            "An employee's X (Twitter) archive: followers and accounts followed.",
            "the archive zip (data/account.js, data/follower.js, data/following.js)",
            ("employee", "uploaded_by"),
            import_x_bytes,
        ),
        Importer(
            "crm",
            "CRM accounts: customers, prospects, competitors, partners, suppliers.",
            "CSV with Salesforce, HubSpot or plain column names",
            ("encoding", "uploaded_by"),
            import_crm_bytes,
        ),
        Importer(
            "roster",
            "The employee roster: name, e-mail, LinkedIn URL, department, title, consent.",
            "CSV",
            ("company", "encoding", "uploaded_by"),
            import_roster_bytes,
        ),
        Importer(
            "edges",
            "A generic edge list, so any real network can be analysed.",
            "CSV, TSV, whitespace-separated text (SNAP) or Parquet; optional weight column",
            ("directed", "namespace", "encoding", "uploaded_by"),
            import_edges_bytes,
        ),
    )
}
