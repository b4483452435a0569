"""What an upload means: one transaction, idempotent, traceable, replaceable, erasable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from store_dump import dump_store
from uploads_kit import (
    CARMEN,
    IMPORTER_MODULE,
    LINKEDIN_ZIP,
    LUCIA,
    VALID,
    _valid_crm,
    contact,
    employee,
    export_zip,
    identifiers,
    link,
    person_with,
    rows,
    targets,
    write,
    zip_bytes,
)

from tejido.accounts import audit_log
from tejido.errors import BadInputError, NotFoundError
from tejido.ingest import IMPORTERS
from tejido.workspace import Workspace


def test_every_importer_has_a_valid_file_here() -> None:
    assert {kind for kind, _ in VALID.values()} == set(IMPORTERS) == set(IMPORTER_MODULE)


# -- one transaction per upload --------------------------------------------------------------------


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


def test_keys_stated_by_repeated_rows_and_by_two_uploads_are_kept_right(
    staffed: Workspace, tmp_path: Path
) -> None:
    """A contact list's rows state their targets' keys; a row left out (the same person
    again) still states its own, and a key two uploads state stays while one of them does."""
    first = staffed.import_linkedin(
        write(
            tmp_path,
            "first.zip",
            export_zip(
                ("Carmen", "Ortega Vidal"),
                contact("Ana", "Ruiz", link("ana-ruiz"), "Acme SL", email="ana@one.ex"),
                contact("Ana", "Ruiz", link("ana-ruiz"), "Acme SL", email="ana@two.ex"),
                email=CARMEN,
            ),
        )
    )
    assert first.counts["connections"] == 1 and first.counts["duplicate_rows"] == 1
    said = {i["value"] for i in identifiers(staffed, upload_id=first.upload_id)}
    assert {"in/ana-ruiz", "ana@one.ex", "ana@two.ex"} <= said
    second = staffed.import_linkedin(
        write(
            tmp_path,
            "second.zip",
            export_zip(
                ("Lucía", "Fernández"),
                contact("Ana", "Ruiz", link("ana-ruiz"), "Acme SL", email="ana@two.ex"),
                email=LUCIA,
            ),
        )
    )
    staffed.erase_upload(first.upload_id)
    left = {i["value"] for i in identifiers(staffed)}
    assert {"in/ana-ruiz", "ana@two.ex"} <= left  # the second export states them too
    assert "ana@one.ex" not in left
    staffed.erase_upload(second.upload_id)
    assert not {"in/ana-ruiz", "ana@two.ex"} & {i["value"] for i in identifiers(staffed)}


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
    workspace.erase_upload(result.upload_id, actor="tester")
    after = dump_store(workspace)
    # The audit log keeps that the erasure happened: which upload, how many rows, who.
    after.pop("audit_event")
    trail = audit_log(workspace.store).to_dict("records")
    assert [(e["action"], e["actor"], e["target"]) for e in trail] == [
        ("upload.erase", "tester", f"upload {result.upload_id}")
    ]
    assert all(isinstance(v, int) for v in trail[0]["details"].values())
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
