"""What an upload means: one transaction, idempotent, traceable to its lines, replaceable, erasable.

Also how uploads meet in the store: whose export it is, one person per human across
employees' exports, one organisation per company across spellings and files.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import MetaData, Table, select
from store_dump import dump_store

from tejido.errors import BadInputError, NotFoundError
from tejido.ingest import IMPORTERS
from tejido.workspace import Workspace

CARMEN = "carmen.ortega@tejido-sample.example"
LUCIA = "lucia.fernandez@tejido-sample.example"
PEDRO = "pedro.sanz@tejido-sample.example"
LINKEDIN_ZIP = "Basic_LinkedInDataExport_11-20-2026.zip"
X_ZIP = "twitter-2026-11-20-archive.zip"
LINKEDIN_HEADER = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]
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
    their provenance in ``identifier_assertion``: both layouts read the same here.
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


VALID: dict[str, tuple[str, Callable[[Path, Path], Path]]] = {
    "linkedin": ("linkedin", _valid_linkedin),
    "x": ("x", _valid_x),
    "crm": ("crm", _valid_crm),
    "roster": ("roster", _valid_roster),
    "edges-csv": ("edges", _valid_edges),
    "edges-parquet": ("edges", _valid_parquet),
}
IMPORTER_MODULE = {
    "linkedin": "tejido.ingest.linkedin",
    "x": "tejido.ingest.x_archive",
    "crm": "tejido.ingest.crm",
    "roster": "tejido.ingest.roster",
    "edges": "tejido.ingest.edgelist",
}


def test_every_importer_has_a_valid_file_here() -> None:
    assert {kind for kind, _ in VALID.values()} == set(IMPORTERS) == set(IMPORTER_MODULE)


# -- one transaction per upload --------------------------------------------------------------------


@pytest.fixture
def staffed(workspace: Workspace, tmp_path: Path) -> Workspace:
    """A store with a roster of three employees."""
    roster(
        workspace,
        tmp_path,
        ("Carmen Ortega Vidal", CARMEN),
        ("Lucía Fernández", LUCIA),
        ("Pedro Sanz", PEDRO),
    )
    return workspace


def test_bad_date_on_last_message_leaves_nothing(
    staffed: Workspace, samples: Path, tmp_path: Path
) -> None:
    """Connections.csv is fine; messages.csv breaks on its last row: nothing is written."""
    export = samples / "linkedin-export"
    members: dict[str, bytes | str] = {
        p.name: p.read_bytes() for p in export.iterdir() if p.name != "messages.csv"
    }
    messages = (export / "messages.csv").read_text(encoding="utf-8")
    last = messages.rstrip("\n").rsplit("\n", 1)[1]
    assert '"2026-01-07 08:00:03 UTC"' in last
    members["messages.csv"] = messages.replace('"2026-01-07 08:00:03 UTC"', '"2026-01-32 08:00"')
    path = write(tmp_path, "export.zip", zip_bytes(members))
    before = dump_store(staffed)
    with pytest.raises(BadInputError) as info:
        staffed.import_linkedin(path)
    assert info.value.file == "export.zip/messages.csv"
    assert info.value.line == 7  # the last record: line 3's message spans lines 3 to 5
    assert info.value.field == "DATE"
    assert dump_store(staffed) == before


@pytest.mark.parametrize("fmt", VALID)
def test_failure_after_rows_are_written_rolls_back_everything(
    staffed: Workspace,
    samples: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
) -> None:
    """An error at the very end of an import (after every row is written) leaves nothing."""
    kind, make = VALID[fmt]
    if kind == "linkedin":
        # an earlier export of the same owner that the failing one would supersede
        staffed.import_linkedin(
            write(tmp_path, "old.zip", export_zip(("Carmen", "Ortega Vidal"), email=CARMEN))
        )
    path = make(tmp_path, samples)

    calls: list[int] = []

    def fail(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        raise RuntimeError("the disk is full")

    # The last step of every upload, wherever the importer takes it from.
    for module in ("tejido.ingest.upload", IMPORTER_MODULE[kind]):
        monkeypatch.setattr(f"{module}.finish_upload", fail, raising=False)
    before = dump_store(staffed)
    with pytest.raises(RuntimeError, match="disk is full"):
        staffed.import_file(kind, path)
    assert calls, "the import never reached its last step"
    assert dump_store(staffed) == before


def test_export_with_no_owner_is_refused_after_nothing_stays(
    staffed: Workspace, samples: Path
) -> None:
    """The owner question is asked inside the transaction: its refusal rolls the upload back."""
    before = dump_store(staffed)
    with pytest.raises(BadInputError) as info:
        staffed.import_linkedin(samples / "linkedin-export" / "Connections.csv")
    assert info.value.file == "Connections.csv"
    assert "--employee" in str(info.value)
    assert dump_store(staffed) == before


# -- idempotency -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", VALID)
def test_same_file_twice_changes_nothing_the_second_time(
    staffed: Workspace, samples: Path, tmp_path: Path, fmt: str
) -> None:
    kind, make = VALID[fmt]
    path = make(tmp_path, samples)
    first = staffed.import_file(kind, path)
    after_first = dump_store(staffed)
    second = staffed.import_file(kind, path)
    assert first.status == "imported"
    assert second.status == "unchanged"
    assert second.upload_id == first.upload_id
    assert dump_store(staffed) == after_first
    # the same bytes under another name are the same upload
    renamed = write(tmp_path / "again", "copy" + path.suffix, path.read_bytes())
    third = staffed.import_file(kind, renamed)
    assert (third.status, third.upload_id) == ("unchanged", first.upload_id)
    assert dump_store(staffed) == after_first


def test_erased_upload_can_be_imported_again(staffed: Workspace, samples: Path) -> None:
    first = staffed.import_linkedin(samples / LINKEDIN_ZIP)
    staffed.erase_upload(first.upload_id)
    again = staffed.import_linkedin(samples / LINKEDIN_ZIP)
    assert again.status == "imported"
    assert again.counts["connections"] == first.counts["connections"] == 7


# -- provenance ------------------------------------------------------------------------------------

SAMPLE_CONTACTS = {  # physical line of Connections.csv -> the contact's canonical URL
    5: "in/begona-etxeberria",
    6: "in/tomasruiz82",
    7: "in/priya-natarajan-4b1a2c",
    8: "in/jlmoreau",
    9: "in/lucia-fernandez-dev",
    10: "in/ana-m-5a3b",
    11: "in/markoconnor",
}


def test_every_fact_points_to_its_upload_and_line(staffed: Workspace, samples: Path) -> None:
    result = staffed.import_linkedin(samples / LINKEDIN_ZIP)
    lines = (samples / "linkedin-export" / "Connections.csv").read_text().splitlines()
    assert lines[3].startswith("First Name,")  # the header is line 4, after the Notes
    carmen = employee(staffed, CARMEN)
    ties = rows(staffed, "connection")
    assert ties and all(t["upload_id"] == result.upload_id for t in ties)
    assert all(t["source_id"] == carmen for t in ties)
    assert targets(staffed, result.upload_id) == {
        line: person_with(staffed, "linkedin", url) for line, url in SAMPLE_CONTACTS.items()
    }
    for line, url in SAMPLE_CONTACTS.items():
        assert url.split("/")[1] in lines[line - 1].lower()
    # messages.csv: the second message spans lines 3-5, the group message has two recipients
    interactions = rows(staffed, "interaction", upload_id=result.upload_id)
    assert sorted(i["line"] for i in interactions) == [2, 3, 6, 6, 7]
    positions = rows(staffed, "position", upload_id=result.upload_id)
    assert sorted((p["line"], p["company"]) for p in positions) == [
        (2, "Tejido Sample SL"),
        (3, "Indra Sistemas"),
        (5, "Société Générale"),
    ]
    education = rows(staffed, "education", upload_id=result.upload_id)
    assert sorted((e["line"], e["start_year"]) for e in education) == [(2, 2009), (3, 2013)]
    said = identifiers(staffed, upload_id=result.upload_id)
    assert {"in/tomasruiz82", "tomas.ruiz@example.org"} <= {i["value"] for i in said}


def test_edge_list_lines_are_physical_lines(workspace: Workspace, tmp_path: Path) -> None:
    text = "# SNAP-like\n# FromNodeId\tToNodeId\n\n10\t20\n20\t30\n\n# a comment\n30\t40\n"
    result = workspace.import_edges(write(tmp_path, "snap.txt", text))
    names = {r["id"]: r["display_name"] for r in rows(workspace, "person")}
    found = {
        (names[r["source_id"]], names[r["target_id"]]): r["line"]
        for r in rows(workspace, "connection", upload_id=result.upload_id)
    }
    assert found == {("10", "20"): 4, ("20", "30"): 5, ("30", "40"): 8}


# -- supersede -------------------------------------------------------------------------------------


def test_newer_export_of_the_same_owner_supersedes_the_older(
    staffed: Workspace, tmp_path: Path
) -> None:
    owner = ("Carmen", "Ortega Vidal")
    old = staffed.import_linkedin(
        write(
            tmp_path,
            "old.zip",
            export_zip(
                owner,
                contact("Ana", "Ruiz", link("ana-ruiz"), "Acme SL"),
                contact("Berta", "Gil", link("berta-gil"), "Acme SL"),
                contact("Ciro", "Soto", link("ciro-soto"), "Only In Old SA", email="ciro@old.ex"),
                email=CARMEN,
            ),
        )
    )
    new = staffed.import_linkedin(
        write(
            tmp_path,
            "new.zip",
            export_zip(
                owner,
                contact("Ana", "Ruiz", link("ana-ruiz/"), "Acme SL"),
                contact("Berta", "Gil", link("berta-gil"), "Acme SL"),
                contact("Dora", "Paz", link("dora-paz"), "Acme SL"),
                email=CARMEN,
            ),
        )
    )
    assert new.superseded == [old.upload_id]
    (old_row,) = rows(staffed, "upload", id=old.upload_id)
    assert old_row["status"] == "superseded"
    assert rows(staffed, "upload", id=new.upload_id)[0]["status"] == "active"
    assert rows(staffed, "connection", upload_id=old.upload_id) == []
    assert identifiers(staffed, upload_id=old.upload_id) == []
    carmen = employee(staffed, CARMEN)
    names = {r["id"]: r["first_name"] for r in rows(staffed, "person")}
    assert sorted(names[t["target_id"]] for t in rows(staffed, "connection")) == [
        "Ana",
        "Berta",
        "Dora",
    ]
    assert all(t["source_id"] == carmen for t in rows(staffed, "connection"))
    # Ciro was only in the old export: he is gone, with his e-mail and his company
    assert "Ciro" not in names.values()
    assert identifiers(staffed, value="ciro@old.ex") == []
    assert rows(staffed, "organisation", name="Only In Old SA") == []
    assert staffed.stats().connections == 3


# -- erase -----------------------------------------------------------------------------------------


def test_erase_upload_removes_what_only_it_asserted(staffed: Workspace, tmp_path: Path) -> None:
    xavier = "in/xavier-ruiz"
    carmens = staffed.import_linkedin(
        write(
            tmp_path,
            "carmen.zip",
            export_zip(
                ("Carmen", "Ortega Vidal"),
                contact("Xavier", "Ruiz", link("xavier-ruiz"), "Repsol", email="xavier@old.ex"),
                contact("Yolanda", "Vega", link("yolanda-vega"), "Solo Carmen SL"),
                email=CARMEN,
            ),
        )
    )
    lucias = staffed.import_linkedin(
        write(
            tmp_path,
            "lucia.zip",
            export_zip(
                ("Lucía", "Fernández"),
                contact(
                    "Xavier",
                    "Ruiz",
                    "https://es.linkedin.com/in/xavier-ruiz/",
                    "Repsol SA",
                    email="xavier@new.ex",
                ),
                contact("Zoe", "Marin", link("zoe-marin"), "Repsol"),
                email=LUCIA,
            ),
        )
    )
    x = person_with(staffed, "linkedin", xavier)
    assert targets(staffed, carmens.upload_id)[2] == targets(staffed, lucias.upload_id)[2] == x

    counts = staffed.erase_upload(carmens.upload_id)

    assert counts["connections"] == 2
    assert counts["people"] == 1  # Yolanda
    assert rows(staffed, "upload", id=carmens.upload_id) == []
    assert rows(staffed, "connection", upload_id=carmens.upload_id) == []
    names = {r["first_name"] for r in rows(staffed, "person")}
    assert "Yolanda" not in names
    assert {"Xavier", "Zoe", "Carmen", "Lucía", "Pedro"} <= names
    # Xavier keeps what Lucía's export says of him, and only that
    kept = {(i["kind"], i["value"], i["upload_id"]) for i in identifiers(staffed, person_id=x)}
    assert kept == {
        ("linkedin", xavier, lucias.upload_id),
        ("email", "xavier@new.ex", lucias.upload_id),
    }
    assert rows(staffed, "organisation", name="Solo Carmen SL") == []
    assert len(rows(staffed, "organisation", key="repsol")) == 1
    # Carmen is an employee: she stays, without what her export said of her
    assert employee(staffed, CARMEN)
    assert identifiers(staffed, upload_id=carmens.upload_id) == []


def test_erase_unknown_upload_is_not_found(staffed: Workspace) -> None:
    before = dump_store(staffed)
    with pytest.raises(NotFoundError, match="9999"):
        staffed.erase_upload(9999)
    assert dump_store(staffed) == before


@pytest.mark.parametrize("fmt", VALID)
def test_erasing_the_only_upload_empties_the_store(
    workspace: Workspace, samples: Path, tmp_path: Path, fmt: str
) -> None:
    """Everything a lone upload asserted goes: people, employees it enrolled, organisations."""
    empty = dump_store(workspace)
    kind, make = VALID[fmt]
    result = workspace.import_file(kind, make(tmp_path, samples))
    assert dump_store(workspace) != empty
    workspace.erase_upload(result.upload_id)
    after = dump_store(workspace)
    left = {name: table for name, table in after.items() if table != empty[name]}
    assert left == {}, f"left behind: { {k: len(v) for k, v in left.items()} }"


def test_erasing_a_crm_upload_forgets_what_it_said(
    staffed: Workspace, samples: Path, tmp_path: Path
) -> None:
    staffed.import_linkedin(samples / LINKEDIN_ZIP)  # names Iberdrola, S.A.
    (iberdrola,) = rows(staffed, "organisation", key="iberdrola")
    crm = staffed.import_crm(_valid_crm(tmp_path, samples))
    (updated,) = rows(staffed, "organisation", id=iberdrola["id"])
    assert updated["relation"] == "customer"
    assert rows(staffed, "organisation", key="acme solo")

    staffed.erase_upload(crm.upload_id)

    assert rows(staffed, "organisation", key="acme solo") == []
    (after,) = rows(staffed, "organisation", id=iberdrola["id"])
    assert (after["relation"], after["country"], after["industry"], after["crm_upload_id"]) == (
        None,
        None,
        None,
        None,
    )


# -- owners ----------------------------------------------------------------------------------------


def test_owner_found_by_email_addresses_against_the_roster(
    workspace: Workspace, samples: Path, tmp_path: Path
) -> None:
    roster(workspace, tmp_path, ("Carmen Ortega", CARMEN), ("Lucía Fernández", LUCIA))
    result = workspace.import_linkedin(samples / LINKEDIN_ZIP)
    (upload,) = rows(workspace, "upload", id=result.upload_id)
    assert upload["owner_person_id"] == employee(workspace, CARMEN)
    assert result.owner == "Carmen Ortega"
    assert len(rows(workspace, "employee")) == 2


def test_owner_found_by_profile_name(workspace: Workspace, samples: Path, tmp_path: Path) -> None:
    roster(workspace, tmp_path, ("Carmen Ortega Vidal", "c.ortega@corp.example"))
    export = samples / "linkedin-export"
    members: dict[str, bytes | str] = {
        p.name: p.read_bytes() for p in export.iterdir() if p.name != "Email Addresses.csv"
    }
    result = workspace.import_linkedin(write(tmp_path, "export.zip", zip_bytes(members)))
    (upload,) = rows(workspace, "upload", id=result.upload_id)
    assert upload["owner_person_id"] == employee(workspace, "c.ortega@corp.example")
    assert len(rows(workspace, "employee")) == 1


def test_unknown_owner_becomes_a_private_employee(
    workspace: Workspace, samples: Path, tmp_path: Path
) -> None:
    roster(workspace, tmp_path, ("Lucía Fernández", LUCIA))
    result = workspace.import_linkedin(samples / LINKEDIN_ZIP)
    assert result.owner == "Carmen Ortega Vidal"
    (new,) = [e for e in rows(workspace, "employee") if e["email"] != LUCIA]
    assert new["consent"] == "private"
    assert new["email"] == CARMEN  # the primary address of Email Addresses.csv
    (upload,) = rows(workspace, "upload", id=result.upload_id)
    assert upload["owner_person_id"] == new["person_id"]
    (person,) = rows(workspace, "person", id=new["person_id"])
    assert (person["first_name"], person["last_name"]) == ("Carmen", "Ortega Vidal")


def test_employee_option_not_in_roster_is_not_found(staffed: Workspace, samples: Path) -> None:
    before = dump_store(staffed)
    with pytest.raises(NotFoundError, match=r"nobody@tejido-sample\.example"):
        staffed.import_linkedin(samples / LINKEDIN_ZIP, employee="nobody@tejido-sample.example")
    assert dump_store(staffed) == before


def test_employee_option_names_the_owner(staffed: Workspace, samples: Path) -> None:
    result = staffed.import_linkedin(
        samples / "linkedin-export" / "Connections.csv", employee=PEDRO.upper()
    )
    (upload,) = rows(staffed, "upload", id=result.upload_id)
    assert upload["owner_person_id"] == employee(staffed, PEDRO)
    assert result.counts["connections"] == 7


def test_x_archive_owner_found_by_email_a_linkedin_export_gave(
    staffed: Workspace, samples: Path
) -> None:
    """account.js has carmen.ov@example.net, which only her Email Addresses.csv names."""
    staffed.import_linkedin(samples / LINKEDIN_ZIP)
    result = staffed.import_x(samples / X_ZIP)
    (upload,) = rows(staffed, "upload", id=result.upload_id)
    assert upload["owner_person_id"] == employee(staffed, CARMEN)
    assert len(rows(staffed, "employee")) == 3


# -- identity across employees' exports ------------------------------------------------------------


def test_url_variants_of_one_contact_are_one_person(staffed: Workspace, tmp_path: Path) -> None:
    variants = {
        CARMEN: (
            "https://es.linkedin.com/in/tomasruiz82/",
            "https://www.linkedin.com/pub/krzysztof-marzec/a7/576/b50",
        ),
        LUCIA: (
            "http://www.linkedin.com/in/TomasRuiz82?trk=people-guest_people_search-card",
            "https://pl.linkedin.com/in/krzysztof-marzec-b50576a7/",
        ),
        PEDRO: (
            "linkedin.com/in/tomasruiz82#experience",
            "https://www.linkedin.com/in/Krzysztof-Marzec-B50576A7?originalSubdomain=pl",
        ),
    }
    uploads = []
    for email, (tomas, krzysztof) in variants.items():
        text = connections(
            contact("Tomás", "Ruiz", tomas, "Banco Santander"),
            contact("Krzysztof", "Marzec", krzysztof, "Comarch"),
        )
        path = write(tmp_path / email, "Connections.csv", text)
        uploads.append(staffed.import_linkedin(path, employee=email).upload_id)
    tomas_id = person_with(staffed, "linkedin", "in/tomasruiz82")
    krzysztof_id = person_with(staffed, "linkedin", "in/krzysztof-marzec-b50576a7")
    for upload in uploads:
        assert targets(staffed, upload) == {2: tomas_id, 3: krzysztof_id}
    people = rows(staffed, "person")
    assert sum(p["last_name"] == "Ruiz" for p in people) == 1
    assert sum(p["last_name"] == "Marzec" for p in people) == 1


def test_same_name_same_company_different_urls_stay_two_people(
    staffed: Workspace, tmp_path: Path
) -> None:
    for email, slug in ((CARMEN, "ana-garcia-1a2b"), (LUCIA, "ana-garcia-9z8y")):
        text = connections(contact("Ana", "García", link(slug), "Banco Santander"))
        staffed.import_linkedin(write(tmp_path / email, "Connections.csv", text), employee=email)
    one = person_with(staffed, "linkedin", "in/ana-garcia-1a2b")
    two = person_with(staffed, "linkedin", "in/ana-garcia-9z8y")
    assert one != two
    assert len([p for p in rows(staffed, "person") if p["name_key"] == "ana garcia"]) == 2


def test_old_format_contacts_match_by_email_then_by_name_and_company(
    staffed: Workspace, samples: Path, tmp_path: Path
) -> None:
    staffed.import_linkedin(samples / LINKEDIN_ZIP)  # Carmen's: Tomás (with e-mail), Priya...
    # two Ana Garcías at the same bank, told apart by their URLs
    text = connections(
        contact("Ana", "García", link("ana-garcia-1a2b"), "Banco Santander"),
        contact("Ana", "García", link("ana-garcia-9z8y"), "Banco Santander"),
    )
    staffed.import_linkedin(write(tmp_path / "lucia", "Connections.csv", text), employee=LUCIA)
    old_format = (
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "TOMAS,Ruiz Perez,Tomas.Ruiz@Example.org,BBVA,Director,03 Oct 2015\n"
        'Priya,Natarajan,,"Northwind Traders, Inc",VP Sales,21 Jun 2018\n'
        "Ana,Garcia,,Banco Santander S.A.,Analista,01 Jan 2017\n"
        "Mark,O'Connor,,Another Company,CTO,02 Mar 2012\n"
    )
    result = staffed.import_linkedin(
        write(tmp_path / "pedro", "Connections.csv", old_format), employee=PEDRO
    )
    found = targets(staffed, result.upload_id)
    assert found[2] == person_with(staffed, "linkedin", "in/tomasruiz82")  # by e-mail
    assert found[3] == person_with(staffed, "linkedin", "in/priya-natarajan-4b1a2c")  # by name
    # two Ana Garcías at the bank: no guess, a person of her own
    anas = {
        person_with(staffed, "linkedin", f"in/{slug}")
        for slug in ("ana-garcia-1a2b", "ana-garcia-9z8y")
    }
    assert found[4] not in anas
    assert result.counts["people_ambiguous"] == 1
    # Mark O'Connor works elsewhere in this file: a name alone is not enough
    assert found[5] != person_with(staffed, "linkedin", "in/markoconnor")
    assert result.counts["people_matched_by_name"] == 1


# -- organisations ---------------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["connections-first", "crm-first"])
def test_spellings_and_domain_of_one_company_are_one_organisation(
    staffed: Workspace, tmp_path: Path, order: str
) -> None:
    conn_path = write(
        tmp_path,
        "Connections.csv",
        connections(
            contact("Ana", "Ruiz", link("ana-ruiz"), "Telefónica, S.A."),
            contact("Bea", "Gil", link("bea-gil"), "TELEFONICA SA"),
            contact("Ciro", "Paz", link("ciro-paz"), "Telefonica"),
        ),
    )
    crm_path = write(
        tmp_path,
        "accounts.csv",
        "Account Name,Website,Type,Billing Country,Industry\n"
        "Telefónica,https://www.telefonica.com/es/,Customer - Direct,Spain,Telecommunications\n",
    )
    steps = [
        lambda: staffed.import_linkedin(conn_path, employee=CARMEN),
        lambda: staffed.import_crm(crm_path),
    ]
    for step in steps if order == "connections-first" else steps[::-1]:
        step()
    orgs = [o for o in rows(staffed, "organisation") if "telef" in o["key"]]
    assert len(orgs) == 1, [o["name"] for o in orgs]
    (org,) = orgs
    assert org["relation"] == "customer"
    assert org["industry"] == "Telecommunications"
    assert {t["organisation_id"] for t in rows(staffed, "connection")} == {org["id"]}
    aliases = {(a["kind"], a["value"]) for a in rows(staffed, "org_alias")}
    assert ("domain", "telefonica.com") in aliases


SALESFORCE = [
    ["Account Name", "Website", "Type", "Billing Country", "Industry"],
    ["Iberdrola, S.A.", "https://www.iberdrola.es", "Customer - Direct", "Spain", "Utilities"],
    ["Indra Sistemas", "indra.es", "Vendor", "Spain", "IT Services"],
    ["Accenture", "www.accenture.com", "Competitor", "Ireland", "Consulting"],
    ["Northwind Traders", "northwind.example", "Prospect", "United States", "Retail"],
    ["Contoso Ltd", "contoso.example", "Channel Partner / Reseller", "United Kingdom", "Software"],
    ["Fabrikam", "fabrikam.example", "Customer - Channel", "France", "Manufacturing"],
]
HUBSPOT = [
    ["Company name", "Company Domain Name", "Type", "Country/Region", "Industry"],
    ["Iberdrola, S.A.", "iberdrola.es", "Customer", "Spain", "Utilities"],
    ["Indra Sistemas", "indra.es", "Vendor", "Spain", "IT Services"],
    ["Accenture", "accenture.com", "Competitor", "Ireland", "Consulting"],
    ["Northwind Traders", "northwind.example", "Prospect", "United States", "Retail"],
    ["Contoso Ltd", "contoso.example", "Reseller", "United Kingdom", "Software"],
    ["Fabrikam", "fabrikam.example", "Partner", "France", "Manufacturing"],
]
EXPECTED_RELATIONS = {
    "iberdrola": ("customer", "Spain", "iberdrola.es"),
    "indra sistemas": ("supplier", "Spain", "indra.es"),
    "accenture": ("competitor", "Ireland", "accenture.com"),
    "northwind traders": ("prospect", "United States", "northwind.example"),
    "contoso": ("partner", "United Kingdom", "contoso.example"),
    "fabrikam": (None, "France", "fabrikam.example"),  # customer or partner, see below
}


@pytest.mark.parametrize(
    ("style", "table", "delimiter"),
    [
        ("salesforce", SALESFORCE, ","),
        ("hubspot", HUBSPOT, ","),
        ("salesforce-semicolon", SALESFORCE, ";"),
        ("hubspot-tab", HUBSPOT, "\t"),
    ],
)
def test_crm_exports_in_salesforce_and_hubspot_columns(
    workspace: Workspace, tmp_path: Path, style: str, table: list[list[str]], delimiter: str
) -> None:
    path = write(tmp_path, f"{style}.csv", csv_text(table, delimiter))
    result = workspace.import_crm(path)
    assert result.counts["accounts"] == 6
    assert result.warnings == []
    orgs = {o["key"]: o for o in rows(workspace, "organisation")}
    assert set(orgs) == set(EXPECTED_RELATIONS)
    domains = {
        (a["organisation_id"], a["value"]) for a in rows(workspace, "org_alias", kind="domain")
    }
    for key, (relation, country, domain) in EXPECTED_RELATIONS.items():
        org = orgs[key]
        if relation is not None:
            assert org["relation"] == relation, key
        assert org["country"] == country
        assert (org["id"], domain) in domains
    fabrikam = "customer" if "salesforce" in style else "partner"
    assert orgs["fabrikam"]["relation"] == fabrikam
    assert orgs["iberdrola"]["industry"] == "Utilities"


def test_semicolon_roster_and_connections(workspace: Workspace, tmp_path: Path) -> None:
    """European spreadsheets save CSV with semicolons."""
    text = csv_text(
        [["Nombre completo", "Correo", "Departamento"], ["Carmen Ortega Vidal", CARMEN, "Ventas"]],
        ";",
    )
    workspace.import_roster(write(tmp_path, "plantilla.csv", text))
    conns = csv_text(
        [LINKEDIN_HEADER, contact("Ana", "Ruiz", link("ana-ruiz"), "Acme, S.L.", position="CTO")],
        ";",
    )
    result = workspace.import_linkedin(write(tmp_path, "Connections.csv", conns), employee=CARMEN)
    assert result.counts["connections"] == 1
    (tie,) = rows(workspace, "connection")
    assert (tie["company"], tie["position"]) == ("Acme, S.L.", "CTO")
    (emp,) = rows(workspace, "employee")
    assert emp["department"] == "Ventas"


# -- X archives ------------------------------------------------------------------------------------


def test_x_follows_become_directed_ties(workspace: Workspace, samples: Path) -> None:
    result = workspace.import_x(samples / X_ZIP)
    x_id = {r["person_id"]: r["value"] for r in rows(workspace, "person_identifier", kind="x_id")}
    me = "1183726354"
    ties = rows(workspace, "connection", upload_id=result.upload_id)
    assert all(t["directed"] and t["kind"] == "x_follow" for t in ties)
    assert {(x_id[t["source_id"]], x_id[t["target_id"]]) for t in ties} == {
        ("1456789012345678901", me),
        ("22334455", me),
        ("987654321", me),
        ("1600000000000000042", me),
        (me, "22334455"),
        (me, "783214"),
        (me, "1349149096909668363"),
    }
    assert len(ties) == 7
    assert result.counts["followers"] == 4
    assert result.counts["following"] == 3
    assert workspace.stats().connections == 7  # a mutual follow is two directed ties


# -- edge lists ------------------------------------------------------------------------------------


def edge_pairs(ws: Workspace, upload_id: int) -> dict[tuple[str, str], float | None]:
    names = {r["id"]: r["display_name"] for r in rows(ws, "person")}
    return {
        (names[r["source_id"]], names[r["target_id"]]): r["weight"]
        for r in rows(ws, "connection", upload_id=upload_id)
    }


def test_snap_text_with_comments_and_whitespace(workspace: Workspace, tmp_path: Path) -> None:
    text = (
        "# Directed graph (each unordered pair of nodes is saved once): test.txt\n"
        "# Nodes: 5 Edges: 4\n"
        "# FromNodeId\tToNodeId\n"
        "\n"
        "1   2\n"
        "  2 3  \n"
        "% another comment style\n"
        "3\t4\n"
        "4 5\n"
    )
    result = workspace.import_edges(write(tmp_path, "snap.txt", text))
    assert edge_pairs(workspace, result.upload_id) == {
        ("1", "2"): None,
        ("2", "3"): None,
        ("3", "4"): None,
        ("4", "5"): None,
    }
    assert result.counts["nodes"] == 5
    ids = {r["value"] for r in rows(workspace, "person_identifier", kind="external")}
    assert ids == {f"snap:{n}" for n in range(1, 6)}


@pytest.mark.parametrize("first", ["a b", "u v", "A\tB"])
def test_first_edge_named_like_header_words_is_an_edge(
    workspace: Workspace, tmp_path: Path, first: str
) -> None:
    """Without a comma-separated header, a first line "a b" is an edge between a and b."""
    result = workspace.import_edges(write(tmp_path, "toy.txt", f"{first}\nb c\nc d\n"))
    assert result.counts["edges"] == 3, result.counts


def test_csv_with_source_target_weight(workspace: Workspace, tmp_path: Path) -> None:
    text = "source,target,weight\nana,bea,1.5\nbea,ciro,2\nciro,ana,\n"
    result = workspace.import_edges(write(tmp_path, "team.csv", text))
    assert edge_pairs(workspace, result.upload_id) == {
        ("ana", "bea"): 1.5,
        ("bea", "ciro"): 2.0,
        ("ciro", "ana"): None,
    }
    lines = sorted(r["line"] for r in rows(workspace, "connection"))
    assert lines == [2, 3, 4]


def test_parquet_edge_list(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "graph.parquet"
    pl.DataFrame(
        {"src": [1, 2, 3], "dst": [2, 3, 1], "weight": [0.5, 1.0, 2.0]},
        schema={"src": pl.Int64, "dst": pl.Int64, "weight": pl.Float64},
    ).write_parquet(path)
    result = workspace.import_edges(path)
    assert edge_pairs(workspace, result.upload_id) == {
        ("1", "2"): 0.5,
        ("2", "3"): 1.0,
        ("3", "1"): 2.0,
    }


@pytest.mark.parametrize(
    ("directed", "edges", "repeated"),
    [(False, {("1", "2"), ("2", "3")}, 2), (True, {("1", "2"), ("2", "1"), ("2", "3")}, 1)],
)
def test_directed_and_undirected_dedupe(
    workspace: Workspace, tmp_path: Path, directed: bool, edges: set[tuple[str, str]], repeated: int
) -> None:
    text = "source,target\n1,2\n2,1\n1,2\n2,3\n"
    result = workspace.import_edges(write(tmp_path, "e.csv", text), directed=directed)
    assert set(edge_pairs(workspace, result.upload_id)) == edges
    assert result.counts["repeated_edges_skipped"] == repeated
    assert all(r["directed"] is directed for r in rows(workspace, "connection"))
    assert workspace.stats().connections == len(edges)


def test_self_loops_are_skipped_and_counted(workspace: Workspace, tmp_path: Path) -> None:
    text = "source,target\n1,1\n1,2\n2,2\n2,2\n"
    result = workspace.import_edges(write(tmp_path, "loops.csv", text))
    assert set(edge_pairs(workspace, result.upload_id)) == {("1", "2")}
    assert result.counts["self_loops_skipped"] == 3
    assert any("self-loop" in w for w in result.warnings)


def test_namespace_keeps_node_ids_of_two_files_apart(workspace: Workspace, tmp_path: Path) -> None:
    one = workspace.import_edges(write(tmp_path, "one.csv", "source,target\n1,2\n"))
    two = workspace.import_edges(write(tmp_path, "two.csv", "source,target\n1,2\n3,4\n"))
    shared = workspace.import_edges(
        write(tmp_path, "three.csv", "source,target\n2,5\n"), namespace="one"
    )
    assert one.counts["people_new"] == 2
    assert two.counts["people_new"] == 4
    assert shared.counts["people_new"] == 1  # node 2 of "one" is known
    assert len(rows(workspace, "person")) == 7


def test_gzipped_snap_edge_list(workspace: Workspace, tmp_path: Path) -> None:
    """SNAP ships its edge lists as .txt.gz."""
    data = gzip.compress(b"# Undirected graph\n# FromNodeId\tToNodeId\n1\t2\n2\t3\n")
    result = workspace.import_edges(write(tmp_path, "ca-GrQc.txt.gz", data))
    assert set(edge_pairs(workspace, result.upload_id)) == {("1", "2"), ("2", "3")}
    assert sorted(r["line"] for r in rows(workspace, "connection")) == [3, 4]
