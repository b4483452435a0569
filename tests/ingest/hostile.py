"""Building hostile files for every importer, and the check that a refusal changed nothing."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import MetaData, select
from store_dump import dump_store

from tejido.errors import BadInputError, TejidoError
from tejido.ingest import IMPORTERS
from tejido.workspace import Workspace

CARMEN = "carmen.ortega@tejido-sample.example"
LINKEDIN_ZIP = "Basic_LinkedInDataExport_11-20-2026.zip"
X_ZIP = "twitter-2026-11-20-archive.zip"
TEN_MB = 10 * 1024 * 1024


def changed_tables(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def column_values(ws: Workspace, table: str, column: str) -> list[Any]:
    metadata = MetaData()
    metadata.reflect(bind=ws.store.engine, only=[table])
    t = metadata.tables[table]
    with ws.store.engine.connect() as conn:
        return list(conn.execute(select(t.c[column])).scalars())


# -- building files --------------------------------------------------------------------------------


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def parquet_bytes(columns: dict[str, list[Any]]) -> bytes:
    out = io.BytesIO()
    pl.DataFrame(columns).write_parquet(out)
    return out.getvalue()


def line_of(text: str, needle: str) -> int:
    """The physical line (from 1) where ``needle`` first appears in ``text``."""
    return text[: text.index(needle)].count("\n") + 1


LINKEDIN_HEADER = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]
CRM_HEADER = ["Account Name", "Website", "Type", "Billing Country", "Industry"]
ROSTER_HEADER = [
    "First Name",
    "Last Name",
    "Email",
    "LinkedIn URL",
    "Department",
    "Title",
    "Consent",
]
MESSAGES_HEADER = ["CONVERSATION ID", "FROM", "SENDER PROFILE URL", "TO", "DATE", "CONTENT"]


def contact(first: str, slug: str, *, company: str = "Iberdrola, S.A.", **cells: str) -> list[str]:
    row = {
        "First Name": first,
        "Last Name": cells.get("last", "Etxeberria"),
        "URL": f"https://www.linkedin.com/in/{slug}",
        "Email Address": cells.get("email", ""),
        "Company": company,
        "Position": cells.get("position", "Compras"),
        "Connected On": cells.get("on", "14 Feb 2024"),
    }
    return [row[h] for h in LINKEDIN_HEADER]


def connections_text(name: str = "Begoña", **cells: str) -> str:
    """A Connections.csv whose second contact (line 3) is called ``name``."""
    return csv_text(
        [
            LINKEDIN_HEADER,
            contact("Tomas", "tomasruiz82", last="Ruiz", company="Banco Santander"),
            contact(name, "hostile-contact", **cells),
        ]
    )


def crm_text(name: str = "Telefónica", **cells: str) -> str:
    row = {
        "Account Name": name,
        "Website": cells.get("website", "hostile-account.example"),
        "Type": cells.get("type", "Prospect"),
        "Billing Country": "Spain",
        "Industry": cells.get("industry", "Telecommunications"),
    }
    return csv_text(
        [
            CRM_HEADER,
            ["Iberdrola", "iberdrola.es", "Customer - Direct", "Spain", "Utilities"],
            [row[h] for h in CRM_HEADER],
        ]
    )


def roster_text(name: str = "Begoña", **cells: str) -> str:
    row = {
        "First Name": name,
        "Last Name": "Ruiz",
        "Email": cells.get("email", "nueva@tejido-sample.example"),
        "LinkedIn URL": "",
        "Department": "Sales",
        "Title": cells.get("title", "Account Executive"),
        "Consent": cells.get("consent", "named"),
    }
    return csv_text(
        [
            ROSTER_HEADER,
            ["Carmen", "Ortega Vidal", CARMEN, "", "Sales", "Key Account Manager", "named"],
            [row[h] for h in ROSTER_HEADER],
        ]
    )


def edges_text(name: str = "Muñoz", *, weight: str = "2") -> str:
    return csv_text([["source", "target", "weight"], ["1", "2", "1.5"], [name, "2", weight]])


SHARES_HEADER = ["post", "person", "action", "at"]


def shares_text(post: str = "Begoña", **cells: str) -> str:
    """A share log whose second row (line 3) is of post ``post``, by Carmen."""
    row = {
        "post": post,
        "person": cells.get("person", "https://www.linkedin.com/in/carmen-ortega-vidal"),
        "action": cells.get("action", "share"),
        "at": cells.get("at", "2026-03-13T10:00:00Z"),
    }
    return csv_text(
        [
            SHARES_HEADER,
            ["urn:li:activity:1", CARMEN, "share", "2026-03-13T09:00:00Z"],
            [row[h] for h in SHARES_HEADER],
        ]
    )


def x_js(name: str, items: Any) -> str:
    return f"window.YTD.{name}.part0 = " + json.dumps(items, indent=2, ensure_ascii=False)


def account_js(display: str = "Begoña Etxeberria", account_id: str = "555000111") -> str:
    account = {
        "username": "hostile_account",
        "accountId": account_id,
        "createdAt": "2015-01-01T00:00:00.000Z",
        "accountDisplayName": display,
    }
    return x_js("account", [{"account": account}])


def follows_js(kind: str, ids: list[str]) -> str:
    return x_js(kind, [{kind: {"accountId": i, "userLink": f"https://x.com/i/{i}"}} for i in ids])


def x_zip(
    account: bytes | None = None,
    follower: bytes | None = None,
    following: bytes | None = None,
    **extra: bytes,
) -> bytes:
    members = {
        "data/account.js": account if account is not None else account_js().encode(),
        "data/follower.js": (
            follower if follower is not None else follows_js("follower", ["1001", "1002"]).encode()
        ),
        "data/following.js": (
            following if following is not None else follows_js("following", ["1003"]).encode()
        ),
    }
    members.update({name.replace("__", "/"): data for name, data in extra.items()})
    return zip_bytes(members)


# -- the formats: one per importer and file type ---------------------------------------------------


@dataclass(frozen=True)
class Format:
    kind: str  # the importer
    filename: str
    options: dict[str, Any]
    label: str  # how errors about the text inside name the file
    stored: tuple[str, str]  # (table, column) where the name written in the file lands


FORMATS: dict[str, Format] = {
    "linkedin-csv": Format(
        "linkedin",
        "Connections.csv",
        {"employee": CARMEN},
        "Connections.csv",
        ("person", "first_name"),
    ),
    "linkedin-zip": Format(
        "linkedin",
        "export.zip",
        {"employee": CARMEN},
        "export.zip/Connections.csv",
        ("person", "first_name"),
    ),
    "x": Format("x", "archive.zip", {}, "archive.zip/data/account.js", ("person", "display_name")),
    "crm": Format("crm", "accounts.csv", {}, "accounts.csv", ("organisation", "name")),
    "roster": Format("roster", "roster.csv", {}, "roster.csv", ("person", "first_name")),
    "edges-csv": Format("edges", "edges.csv", {}, "edges.csv", ("person", "display_name")),
    "edges-parquet": Format(
        "edges", "edges.parquet", {}, "edges.parquet", ("person", "display_name")
    ),
    "shares": Format("shares", "shares.csv", {}, "shares.csv", ("share_event", "post")),
}
TEXT_FORMATS = [f for f in FORMATS if f != "edges-parquet"]
ENCODING_OPTION = [f for f in TEXT_FORMATS if "encoding" in IMPORTERS[FORMATS[f].kind].options]


def text_of(fmt: str, name: str) -> str:
    """The text of a valid file (the member holding the name for zips) naming ``name``."""
    if fmt in ("linkedin-csv", "linkedin-zip"):
        return connections_text(name)
    if fmt == "x":
        return account_js(name)
    if fmt == "crm":
        return crm_text(name)
    if fmt == "roster":
        return roster_text(name)
    if fmt == "shares":
        return shares_text(name)
    return edges_text(name)


def file_of(fmt: str, name: str = "Begoña", encoding: str = "utf-8") -> bytes:
    """A valid file of ``fmt`` naming ``name``, its text in ``encoding``."""
    if fmt == "edges-parquet":
        return parquet_bytes({"source": ["1", name], "target": ["2", "2"], "weight": [1.5, 2.0]})
    data = text_of(fmt, name).encode(encoding)
    if fmt == "linkedin-zip":
        return zip_bytes({"Connections.csv": data})
    if fmt == "x":
        return x_zip(account=data)
    return data


# -- fixtures and the refusal check ----------------------------------------------------------------


def put(filename: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    """A maker that writes ``data`` (built lazily) as ``filename`` in a folder."""

    def make(folder: Path) -> Path:
        path = folder / filename
        path.write_bytes(data() if callable(data) else data)
        return path

    return make


def assert_refused(
    ws: Workspace,
    kind: str,
    path: Path,
    options: dict[str, Any],
    *,
    file: str,
    line: int | None = None,
    field: str | None = None,
    words: tuple[str, ...] = (),
    error: type[TejidoError] = BadInputError,
) -> TejidoError:
    """The import raises ``error`` naming file (line, field) and leaves every table as it was."""
    before = dump_store(ws)
    with pytest.raises(TejidoError) as info:
        ws.import_file(kind, path, **options)
    exc = info.value
    message = str(exc)
    assert isinstance(exc, error), f"{type(exc).__name__} instead of {error.__name__}: {message}"
    assert file in message, message
    assert len(message) < 1000, f"a {len(message):,}-character message is not a clear one"
    if isinstance(exc, BadInputError):
        assert exc.file is not None and file in exc.file, message
    if line is not None:
        assert isinstance(exc, BadInputError) and exc.line == line, message
        assert f"line {line}" in message
    if field is not None:
        assert isinstance(exc, BadInputError) and exc.field is not None, message
        assert field in exc.field, message
        assert field in message
    for word in words:
        assert word.lower() in message.lower(), message
    assert dump_store(ws) == before, "a refused import changed the store"
    return exc
