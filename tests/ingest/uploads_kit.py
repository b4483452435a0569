"""Building exports, rosters and CRM files for the upload tests, and reading the store back."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from hostile import CARMEN, LINKEDIN_HEADER, LINKEDIN_ZIP, X_ZIP
from sqlalchemy import MetaData, Table, select, union

from tejido.workspace import Workspace

LUCIA = "lucia.fernandez@tejido-sample.example"
PEDRO = "pedro.sanz@tejido-sample.example"
PROFILE_HEADER = ["First Name", "Last Name", "Headline"]


# -- reading the store -----------------------------------------------------------------------------


def rows(ws: Workspace, table: str, **where: Any) -> list[dict[str, Any]]:
    """The rows of ``table`` (as dicts, by id) whose columns equal ``where``."""
    metadata = MetaData()
    metadata.reflect(bind=ws.store.engine, only=[table])
    t: Table = metadata.tables[table]
    query = select(t).order_by(*t.primary_key.columns)
    for column, value in where.items():
        query = query.where(t.c[column] == value)
    with ws.store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def identifiers(ws: Workspace, **where: Any) -> list[dict[str, Any]]:
    """Every (person_id, kind, value, upload_id) assertion of a key, filtered by ``where``.

    Keys may be stored one row per upload (``person_identifier.upload_id``) or once with
    their provenance in ``identifier_assertion`` (and, for contact lists, on the
    ``connection`` rows that stated them): every layout reads the same here.
    """
    metadata = MetaData()
    metadata.reflect(bind=ws.store.engine)
    keys = metadata.tables["person_identifier"]
    if "upload_id" in keys.c:
        query = select(keys.c.person_id, keys.c.kind, keys.c.value, keys.c.upload_id)
    else:
        said = metadata.tables["identifier_assertion"]
        query = select(keys.c.person_id, keys.c.kind, keys.c.value, said.c.upload_id).join(
            said, said.c.identifier_id == keys.c.id
        )
        if "target_key_id" in metadata.tables["connection"].c:
            # A contact list's rows state their targets' URL and e-mail themselves.
            rows = metadata.tables["connection"]
            query = union(
                query,
                *(
                    select(keys.c.person_id, keys.c.kind, keys.c.value, rows.c.upload_id).join(
                        rows, column == keys.c.id
                    )
                    for column in (rows.c.target_key_id, rows.c.target_email_id)
                ),
            )
    with ws.store.engine.connect() as conn:
        found = [dict(r) for r in conn.execute(query).mappings()]
    return [r for r in found if all(r[k] == v for k, v in where.items())]


def person_with(ws: Workspace, kind: str, value: str) -> int:
    """The one person a strong key (e.g. ``("linkedin", "in/tomasruiz82")``) points to."""
    owners = {r["person_id"] for r in rows(ws, "person_identifier", kind=kind, value=value)}
    assert len(owners) == 1, f"{kind} {value!r} belongs to {len(owners)} people"
    return owners.pop()


def employee(ws: Workspace, email: str) -> int:
    (row,) = rows(ws, "employee", email=email)
    return int(row["person_id"])


def targets(ws: Workspace, upload_id: int) -> dict[int, int]:
    """line -> target person of the connection rows of an upload."""
    return {r["line"]: r["target_id"] for r in rows(ws, "connection", upload_id=upload_id)}


# -- building files --------------------------------------------------------------------------------


def csv_text(table: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(table)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def link(slug: str) -> str:
    return f"https://www.linkedin.com/in/{slug}"


def connections(*contacts: list[str]) -> str:
    return csv_text([LINKEDIN_HEADER, *contacts])


def contact(
    first: str,
    last: str,
    url: str = "",
    company: str = "",
    *,
    email: str = "",
    position: str = "",
    on: str = "14 Feb 2024",
) -> list[str]:
    return [first, last, url, email, company, position, on]


def export_zip(owner: tuple[str, str], *contacts: list[str], email: str | None = None) -> bytes:
    """An export zip with Profile.csv (the owner), Connections.csv and Email Addresses.csv."""
    members: dict[str, bytes | str] = {
        "Profile.csv": csv_text([PROFILE_HEADER, [*owner, "Works at Tejido Sample"]]),
        "Connections.csv": connections(*contacts),
    }
    if email:
        members["Email Addresses.csv"] = csv_text(
            [["Email Address", "Confirmed", "Primary", "Updated On"], [email, "Yes", "Yes", ""]]
        )
    return zip_bytes(members)


def roster(ws: Workspace, folder: Path, *people: tuple[str, str], name: str = "r.csv") -> None:
    """Import a roster of (full name, e-mail)."""
    text = csv_text([["Name", "Email", "Consent"], *([n, e, "named"] for n, e in people)])
    ws.import_roster(write(folder, name, text), company="Tejido Sample SL")


# -- one valid file per importer -------------------------------------------------------------------


def _valid_linkedin(folder: Path, samples: Path) -> Path:
    return write(folder, LINKEDIN_ZIP, (samples / LINKEDIN_ZIP).read_bytes())


def _valid_x(folder: Path, samples: Path) -> Path:
    return write(folder, X_ZIP, (samples / X_ZIP).read_bytes())


def _valid_crm(folder: Path, samples: Path) -> Path:
    return write(
        folder,
        "accounts.csv",
        csv_text(
            [
                ["Account Name", "Website", "Type", "Billing Country", "Industry"],
                ["Iberdrola, S.A.", "iberdrola.es", "Customer - Direct", "Spain", "Utilities"],
                ["Acme Solo SL", "acme-solo.example", "Prospect", "Spain", "Energy"],
            ]
        ),
    )


def _valid_roster(folder: Path, samples: Path) -> Path:
    return write(
        folder,
        "roster.csv",
        csv_text(
            [
                ["Name", "Email", "LinkedIn URL", "Department", "Consent"],
                ["Carmen Ortega Vidal", CARMEN, link("carmen-ortega-vidal"), "Sales", "named"],
                ["Lucía Fernández", LUCIA, link("lucia-fernandez-dev"), "R&D", "existence only"],
            ]
        ),
    )


def _valid_edges(folder: Path, samples: Path) -> Path:
    return write(folder, "karate.csv", "source,target,weight\n1,2,1.0\n2,3,2.5\n3,1,0.5\n")


def _valid_parquet(folder: Path, samples: Path) -> Path:
    path = folder / "karate.parquet"
    pl.DataFrame({"source": [1, 2, 3], "target": [2, 3, 1]}).write_parquet(path)
    return path


def _valid_shares(folder: Path, samples: Path) -> Path:
    return write(
        folder,
        "shares.csv",
        csv_text(
            [
                ["post", "person", "action", "at"],
                ["urn:li:activity:1", CARMEN, "share", "2026-03-13T09:00:00Z"],
                ["urn:li:activity:1", LUCIA, "repost", "2026-03-13T11:30:00+01:00"],
                ["urn:li:activity:2", PEDRO, "like", "2026-03-14 08:00:00 UTC"],
            ]
        ),
    )


VALID: dict[str, tuple[str, Callable[[Path, Path], Path]]] = {
    "linkedin": ("linkedin", _valid_linkedin),
    "x": ("x", _valid_x),
    "crm": ("crm", _valid_crm),
    "roster": ("roster", _valid_roster),
    "edges-csv": ("edges", _valid_edges),
    "edges-parquet": ("edges", _valid_parquet),
    "shares": ("shares", _valid_shares),
}
IMPORTER_MODULE = {
    "linkedin": "tejido.ingest.linkedin",
    "x": "tejido.ingest.x_archive",
    "crm": "tejido.ingest.crm",
    "roster": "tejido.ingest.roster",
    "edges": "tejido.ingest.edgelist",
    "shares": "tejido.ingest.shares",
}
