"""Share logs: people found through the resolver, rows tied to their upload, nothing half-written.

The hostile-input and upload-semantics conformance tests cover the shares importer with
every other importer (encodings, NUL bytes, huge fields, idempotency, rollback); these are
what is particular to a share log.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import CARMEN, SHARES_HEADER, account_js, csv_text, put, x_zip
from store_dump import dump_store
from uploads_kit import LUCIA, PEDRO, employee, export_zip, link, person_with, rows, write
from uploads_kit import contact as linkedin_contact

from tejido.employees import erase_own_uploads
from tejido.errors import BadInputError
from tejido.workspace import Workspace


def _log(*rows_: list[str]) -> bytes:
    return csv_text([SHARES_HEADER, *rows_]).encode()


def test_a_share_log_names_people_by_every_kind_of_key(seeded: Workspace, tmp_path: Path) -> None:
    carmen = employee(seeded, CARMEN)
    tomas = person_with(seeded, "linkedin", "in/tomasruiz82")
    data = _log(
        ["urn:li:activity:9", "https://es.linkedin.com/in/TomasRuiz82/?trk=x", "share",
         "2026-03-13T09:00:00Z"],
        ["urn:li:activity:9", CARMEN.upper(), "Reposted", "2026-03-13T10:30:00+01:00"],
        ["urn:li:activity:9", "@Carmen_OV", "like", "2026-03-13 09:45:00 UTC"],
        ["tweet-7", "1183726354", "retweet", "1773393534"],
        ["tweet-7", "https://x.com/carmen_ov", "click", "1773393534000"],
    )  # fmt: skip
    result = seeded.import_shares(put("shares.csv", data)(tmp_path))
    assert result.status == "imported"
    assert result.counts["shares"] == 5 and result.counts["posts"] == 2
    assert result.counts["unknown_people_skipped"] == 0
    found = sorted((r["line"], r["post"], r["person_id"], r["action"], str(r["at"]))
                   for r in rows(seeded, "share_event"))  # fmt: skip
    assert found == [
        (2, "urn:li:activity:9", tomas, "share", "2026-03-13 09:00:00"),
        (3, "urn:li:activity:9", carmen, "share", "2026-03-13 09:30:00"),  # +01:00 -> UTC
        (4, "urn:li:activity:9", carmen, "like", "2026-03-13 09:45:00"),
        (5, "tweet-7", carmen, "share", "2026-03-13 09:18:54"),
        (6, "tweet-7", carmen, "click", "2026-03-13 09:18:54"),
    ]
    assert all(r["upload_id"] == result.upload_id for r in rows(seeded, "share_event"))


def test_unknown_people_are_skipped_counted_and_create_nobody(
    seeded: Workspace, tmp_path: Path
) -> None:
    people = len(rows(seeded, "person"))
    keys = len(rows(seeded, "person_identifier"))
    data = _log(
        ["p1", CARMEN, "share", "2026-03-13T09:00:00Z"],
        ["p1", "https://www.linkedin.com/in/nobody-we-know", "share", "2026-03-13T09:05:00Z"],
        ["p1", "stranger@elsewhere.example", "share", "2026-03-13T09:06:00Z"],
    )
    result = seeded.import_shares(put("shares.csv", data)(tmp_path))
    assert result.counts["shares"] == 1
    assert result.counts["unknown_people_skipped"] == 2
    (warning,) = [w for w in result.warnings if "does not know" in w]
    assert "line 3" in warning and "line 4" in warning
    assert len(rows(seeded, "person")) == people
    assert len(rows(seeded, "person_identifier")) == keys


def test_repeated_rows_keep_the_earliest(seeded: Workspace, tmp_path: Path) -> None:
    data = _log(
        ["p1", CARMEN, "share", "2026-03-13T10:00:00Z"],
        ["p1", "@carmen_ov", "share", "2026-03-13T09:00:00Z"],  # Carmen again, earlier
        ["p1", CARMEN, "share", "2026-03-13T11:00:00Z"],
    )
    result = seeded.import_shares(put("shares.csv", data)(tmp_path))
    assert result.counts["shares"] == 1 and result.counts["repeated_rows_skipped"] == 2
    (row,) = rows(seeded, "share_event")
    assert (row["line"], str(row["at"])) == (3, "2026-03-13 09:00:00")


@pytest.mark.parametrize(
    ("cells", "line", "field", "words"),
    [
        (["p1", CARMEN, "share", "2026-13-01T10:00:00Z"], 3, "at", ("2026-13-01",)),
        (["p1", CARMEN, "share", ""], 3, "at", ("time",)),
        (["", CARMEN, "share", "2026-03-13T10:00:00Z"], 3, "post", ("post",)),
        (["p1", '=HYPERLINK("x")', "share", "2026-03-13T10:00:00Z"], 3, "person", ()),
        (["p1", CARMEN, "=1+1", "2026-03-13T10:00:00Z"], 3, "action", ("=1+1",)),
        (["p" * 300, CARMEN, "share", "2026-03-13T10:00:00Z"], 3, "post", ("256",)),
    ],
    ids=["bad-month", "no-time", "no-post", "formula-person", "formula-action", "long-post"],
)
def test_bad_rows_name_file_line_and_field_and_write_nothing(
    seeded: Workspace,
    tmp_path: Path,
    cells: list[str],
    line: int,
    field: str,
    words: tuple[str, ...],
) -> None:
    data = _log(["p0", CARMEN, "share", "2026-03-13T09:00:00Z"], cells)
    before = dump_store(seeded)
    with pytest.raises(BadInputError) as info:
        seeded.import_shares(put("log.csv", data)(tmp_path))
    error = info.value
    assert (error.file, error.line, error.field) == ("log.csv", line, field)
    assert all(w in str(error) for w in words), str(error)
    assert dump_store(seeded) == before


def test_header_spellings_and_default_action(seeded: Workspace, tmp_path: Path) -> None:
    text = csv_text([["Tweet ID", "Username", "Timestamp"], ["42", "@carmen_ov", "1773393534"]])
    result = seeded.import_shares(put("x.csv", text.encode())(tmp_path))
    (row,) = rows(seeded, "share_event")
    assert result.counts["shares"] == 1 and (row["post"], row["action"]) == ("42", "share")


def test_latin_1_needs_the_encoding_option(seeded: Workspace, tmp_path: Path) -> None:
    data = _log(["Campaña", CARMEN, "share", "2026-03-13T09:00:00Z"]).decode().encode("latin-1")
    path = put("shares.csv", data)(tmp_path)
    with pytest.raises(BadInputError, match="UTF-8"):
        seeded.import_shares(path)
    seeded.import_shares(path, encoding="latin-1")
    assert [r["post"] for r in rows(seeded, "share_event")] == ["Campaña"]


def test_erase_upload_removes_the_rows(seeded: Workspace, tmp_path: Path) -> None:
    before = dump_store(seeded)
    data = _log(["p1", CARMEN, "share", "2026-03-13T09:00:00Z"],
                ["p1", "@carmen_ov", "like", "2026-03-13T09:00:00Z"])  # fmt: skip
    result = seeded.import_shares(put("shares.csv", data)(tmp_path))
    counts = seeded.erase_upload(result.upload_id)
    assert counts["shares"] == 2 and counts["people"] == 0
    after = dump_store(seeded)
    del after["audit_event"], before["audit_event"]  # the erasure is audited
    assert after == before


def test_a_person_erased_takes_their_shares_along(staffed: Workspace, tmp_path: Path) -> None:
    """Share rows do not keep a person: when the only export that named a contact goes (the
    employee erases their own uploads), the contact and their share rows go too."""
    export = staffed.import_linkedin(write(tmp_path, "carmen.zip", export_zip(
        ("Carmen", "Ortega Vidal"),
        linkedin_contact("Yolanda", "Vega", link("yolanda-vega"), "Solo Carmen SL"),
        email=CARMEN,
    )))  # fmt: skip
    yolanda = person_with(staffed, "linkedin", "in/yolanda-vega")
    log = staffed.import_shares(put("shares.csv", _log(
        ["p1", CARMEN, "share", "2026-03-13T09:00:00Z"],
        ["p1", link("yolanda-vega"), "share", "2026-03-13T10:00:00Z"],
    ))(tmp_path))  # fmt: skip
    assert log.counts["shares"] == 2
    totals = erase_own_uploads(staffed.store, employee(staffed, CARMEN), actor="carmen")
    assert totals["uploads"] == 1 and export.upload_id
    assert rows(staffed, "person", id=yolanda) == []
    left = rows(staffed, "share_event")
    assert [r["person_id"] for r in left] == [employee(staffed, CARMEN)]  # hers stays: roster


def test_shares_follow_a_placeholder_merged_into_its_owner(
    staffed: Workspace, tmp_path: Path
) -> None:
    """An X id first seen as a follower ("X account 777") shares; then its owner's archive
    claims it: the share moves to the owner."""
    lucia_archive = x_zip(account=account_js("Lucía F", "555000111").encode(),
                          follower=b'window.YTD.follower.part0 = [{"follower": '
                                   b'{"accountId": "777"}}]')  # fmt: skip
    staffed.import_x(put("lucia.zip", lucia_archive)(tmp_path), employee=LUCIA)
    placeholder = person_with(staffed, "x_id", "777")
    staffed.import_shares(put("shares.csv", _log(["t1", "777", "retweet",
                                                 "2026-03-13T09:00:00Z"]))(tmp_path))  # fmt: skip
    assert [r["person_id"] for r in rows(staffed, "share_event")] == [placeholder]
    pedro_archive = x_zip(account=account_js("Pedro Sanz", "777").encode())
    staffed.import_x(put("pedro.zip", pedro_archive)(tmp_path), employee=PEDRO)
    assert rows(staffed, "person", display_name="X account 777") == []
    assert person_with(staffed, "x_id", "777") == employee(staffed, PEDRO)
    assert [r["person_id"] for r in rows(staffed, "share_event")] == [employee(staffed, PEDRO)]
