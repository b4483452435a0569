"""Hostile input for every importer: a bad file is refused with a clear error and changes nothing.

Each case runs against a store that already holds a roster, a LinkedIn export and an X
archive, and compares a dump of every table before and after the refused import.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hostile import (
    CARMEN,
    CRM_HEADER,
    ENCODING_OPTION,
    FORMATS,
    LINKEDIN_HEADER,
    MESSAGES_HEADER,
    ROSTER_HEADER,
    TEN_MB,
    TEXT_FORMATS,
    account_js,
    assert_refused,
    changed_tables,
    column_values,
    connections_text,
    contact,
    crm_text,
    csv_text,
    edges_text,
    file_of,
    follows_js,
    line_of,
    parquet_bytes,
    put,
    roster_text,
    shares_text,
    text_of,
    x_js,
    x_zip,
    zip_bytes,
)
from store_dump import dump_store

from tejido.errors import BadInputError, NotFoundError
from tejido.ingest import IMPORTERS
from tejido.workspace import Workspace


def test_every_importer_has_hostile_cases() -> None:
    """A new importer fails this until its formats are listed here (and so tested)."""
    assert {f.kind for f in FORMATS.values()} == set(IMPORTERS)


# -- files that are not there, not files, empty ----------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_path_is_not_found(seeded: Workspace, tmp_path: Path, fmt: str) -> None:
    f = FORMATS[fmt]
    path = tmp_path / "absent" / f.filename
    assert_refused(
        seeded, f.kind, path, f.options, file=str(path), error=NotFoundError, words=("no such",)
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_directory_instead_of_file(seeded: Workspace, tmp_path: Path, fmt: str) -> None:
    f = FORMATS[fmt]
    path = tmp_path / f.filename
    path.mkdir()
    assert_refused(seeded, f.kind, path, f.options, file=f.filename, words=("folder",))


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_file(seeded: Workspace, tmp_path: Path, fmt: str) -> None:
    f = FORMATS[fmt]
    path = put(f.filename, b"")(tmp_path)
    assert_refused(seeded, f.kind, path, f.options, file=f.filename)


HEADER_ONLY: dict[str, tuple[Callable[[], bytes], str | None]] = {
    # fmt: (file with a header and no rows, the label an error must name or None if the
    # importer may accept it as an upload of nothing)
    "linkedin-csv": (lambda: csv_text([LINKEDIN_HEADER]).encode(), None),
    "linkedin-zip": (
        lambda: zip_bytes({"Connections.csv": csv_text([LINKEDIN_HEADER]).encode()}),
        None,
    ),
    "x": (
        lambda: x_zip(follower=b"window.YTD.follower.part0 = ", following=b""),
        "archive.zip/data/follower.js",
    ),
    "crm": (lambda: csv_text([CRM_HEADER]).encode(), None),
    # An empty roster would mark every employee as gone: it must be refused.
    "roster": (lambda: csv_text([ROSTER_HEADER]).encode(), "roster.csv"),
    "edges-csv": (lambda: b"source,target,weight\n", None),
    "edges-parquet": (lambda: parquet_bytes({"source": [], "target": []}), None),
    "shares": (lambda: b"post,person,action,at\n", None),
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_header_only_file_adds_nothing(seeded: Workspace, tmp_path: Path, fmt: str) -> None:
    """Refused with the file named, or recorded as an upload that asserts nothing."""
    f = FORMATS[fmt]
    build, must_refuse = HEADER_ONLY[fmt]
    path = put(f.filename, build)(tmp_path)
    if must_refuse is not None:
        assert_refused(seeded, f.kind, path, f.options, file=must_refuse)
        return
    before = dump_store(seeded)
    try:
        result = seeded.import_file(f.kind, path, **f.options)
    except BadInputError as exc:
        assert f.filename in str(exc)
        assert dump_store(seeded) == before
        return
    after = dump_store(seeded)
    assert result.status == "imported"
    assert changed_tables(before, after) == {"upload"}
    assert len(after["upload"]) == len(before["upload"]) + 1
    assert not any(
        v for k, v in result.counts.items() if k in ("connections", "edges", "accounts")
    ), result.counts


# -- not the format, cut short, binary -------------------------------------------------------------


GARBAGE = bytes(range(256)) * 4  # control bytes, a newline at offset 10, invalid UTF-8 at 128


@dataclass(frozen=True)
class Bad:
    fmt: str
    id: str
    make: Callable[[Path], Path]
    file: str
    line: int | None = None
    field: str | None = None
    words: tuple[str, ...] = ()
    options: tuple[tuple[str, Any], ...] = ()

    @property
    def param(self) -> Any:
        return pytest.param(self, id=f"{self.fmt}-{self.id}")


def _messages(rows: list[list[str]]) -> bytes:
    return csv_text([MESSAGES_HEADER, *rows]).encode()


def _message(date: str, content: str = "Hola") -> list[str]:
    return [
        "2-abc",
        "Tomás Ruiz",
        "https://www.linkedin.com/in/tomasruiz82",
        "Carmen Ortega Vidal",
        date,
        content,
    ]


BROKEN: list[Bad] = [
    # not the format at all
    Bad("linkedin-zip", "not-a-zip", put("export.zip", b"First Name,Last Name\n"), "export.zip"),
    Bad("x", "not-a-zip", put("archive.zip", b"window.YTD.follower.part0 = []"), "archive.zip"),
    Bad("edges-parquet", "not-parquet", put("edges.parquet", b"PAR1 not really"), "edges.parquet"),
    Bad("linkedin-csv", "binary", put("Connections.csv", GARBAGE), "Connections.csv", line=2),
    Bad("crm", "binary", put("accounts.csv", GARBAGE), "accounts.csv", line=2),
    Bad("roster", "binary", put("roster.csv", GARBAGE), "roster.csv", line=2),
    Bad("edges-csv", "binary", put("edges.csv", GARBAGE), "edges.csv", line=2),
    Bad(
        "linkedin-zip",
        "zip-without-export-files",
        put("export.zip", lambda: zip_bytes({"Skills.csv": b"Name\nPython\n"})),
        "export.zip",
        words=("Connections.csv",),
    ),
    Bad(
        "x",
        "zip-without-follows",
        put("archive.zip", lambda: zip_bytes({"data/account.js": account_js().encode()})),
        "archive.zip",
        words=("follower",),
    ),
    Bad(
        "x",
        "not-js-assignment",
        put("archive.zip", lambda: x_zip(follower=b'[{"follower": {"accountId": "1"}}]')),
        "archive.zip/data/follower.js",
        line=1,
    ),
    Bad(
        "x",
        "invalid-json",
        put("archive.zip", lambda: x_zip(follower=b"window.YTD.follower.part0 = [\n  {,\n]")),
        "archive.zip/data/follower.js",
        line=2,
    ),
    # cut short
    Bad(
        "linkedin-zip",
        "truncated",
        put("export.zip", lambda: file_of("linkedin-zip")[:-30]),
        "export.zip",
    ),
    Bad("x", "truncated", put("archive.zip", lambda: file_of("x")[:-30]), "archive.zip"),
    Bad(
        "edges-parquet",
        "truncated",
        put("edges.parquet", lambda: file_of("edges-parquet")[:-20]),
        "edges.parquet",
    ),
    *(
        Bad(
            fmt,
            "truncated-mid-character",
            # a last line cut inside the two bytes of "ñ"
            put(FORMATS[fmt].filename, lambda fmt=fmt: text_of(fmt, "Ana").encode() + b"Mu\xc3"),
            FORMATS[fmt].filename,
            line=text_of(fmt, "Ana").count("\n") + 1,
        )
        for fmt in ("linkedin-csv", "crm", "roster", "edges-csv", "shares")
    ),
]


# -- encodings -------------------------------------------------------------------------------------


def _encoding_cases() -> list[Bad]:
    cases = []
    for fmt in TEXT_FORMATS:
        f = FORMATS[fmt]
        text = text_of(fmt, "Begoña")
        line = line_of(text, "Begoña")
        cases.append(
            Bad(
                fmt,
                "latin-1-without-encoding",
                put(f.filename, lambda fmt=fmt: file_of(fmt, "Begoña", "latin-1")),
                f.label,
                line=line,
                words=("UTF-8",),
            )
        )
        # UTF-16 without a BOM: the accent is not UTF-8 where it stands.
        cases.append(
            Bad(
                fmt,
                "utf-16-without-bom",
                put(f.filename, lambda fmt=fmt: file_of(fmt, "Begoña", "utf-16-le")),
                f.label,
                line=line,
            )
        )
        # ASCII as UTF-16 without a BOM is valid UTF-8 full of NUL bytes: still refused.
        cases.append(
            Bad(
                fmt,
                "ascii-utf-16-without-bom",
                put(f.filename, lambda fmt=fmt: file_of(fmt, "Begona", "utf-16-be")),
                f.label,
                line=1,
            )
        )
    return cases


# -- NUL bytes, huge fields, missing columns -------------------------------------------------------


def _nul_cases() -> list[Bad]:
    cases = [
        Bad(
            fmt,
            "nul-byte",
            put(FORMATS[fmt].filename, lambda fmt=fmt: file_of(fmt, "Bego\x00ña")),
            FORMATS[fmt].label,
            line=line_of(text_of(fmt, "Bego\x00ña"), "Bego"),
        )
        for fmt in TEXT_FORMATS
        if fmt != "x"
    ]
    raw = account_js("Bego\x00ña").replace("\\u0000", "\x00")
    assert "\x00" in raw
    cases.append(
        Bad(
            "x",
            "nul-byte",
            put("archive.zip", lambda: x_zip(account=raw.encode())),
            "archive.zip/data/account.js",
            line=line_of(raw, "Bego"),
        )
    )
    cases.append(
        Bad(
            "edges-parquet",
            "nul-byte",
            put("edges.parquet", lambda: file_of("edges-parquet", "Bego\x00ña")),
            "edges.parquet",
            line=2,
            field="source",
        )
    )
    # JSON can carry a NUL escaped: no database text column can hold it.
    cases.append(
        Bad(
            "x",
            "escaped-nul-in-json",
            put("archive.zip", lambda: x_zip(account=account_js("Bego\x00ña").encode())),
            "archive.zip/data/account.js",
        )
    )
    return cases


@cache
def ten_mb_of_text() -> str:
    """10 MB of letters that do not compress (so that a zip holding them is no bomb)."""
    return base64.b64encode(random.Random(7).randbytes(TEN_MB * 3 // 4)).decode()


def _huge(fmt: str) -> Bad:
    big = ten_mb_of_text()
    f = FORMATS[fmt]
    if fmt == "linkedin-csv":
        data: Callable[[], bytes] = lambda: connections_text(company=big).encode()  # noqa: E731
        return Bad(fmt, "10mb-field", put(f.filename, data), f.label, line=3, field="Company")
    if fmt == "linkedin-zip":
        messages = [_message("2026-03-13 09:18:54 UTC"), _message("2026-03-14 09:00:00 UTC", big)]
        return Bad(
            fmt,
            "10mb-field",
            put(
                f.filename,
                lambda: zip_bytes(
                    {
                        "Connections.csv": connections_text().encode(),
                        "messages.csv": _messages(messages),
                    }
                ),
            ),
            "export.zip/messages.csv",
            line=3,
            field="CONTENT",
        )
    if fmt == "x":
        return Bad(
            fmt,
            "10mb-field",
            put(f.filename, lambda: x_zip(account=account_js(big).encode())),
            f.label,
            field="accountDisplayName",
        )
    if fmt == "crm":
        data = lambda: crm_text(industry=big).encode()  # noqa: E731
        return Bad(fmt, "10mb-field", put(f.filename, data), f.label, line=3, field="Industry")
    if fmt == "roster":
        data = lambda: roster_text(title=big).encode()  # noqa: E731
        return Bad(fmt, "10mb-field", put(f.filename, data), f.label, line=3, field="Title")
    if fmt == "edges-csv":
        data = lambda: edges_text(big).encode()  # noqa: E731
        return Bad(fmt, "10mb-field", put(f.filename, data), f.label, line=3, field="source")
    if fmt == "shares":
        data = lambda: shares_text(big).encode()  # noqa: E731
        return Bad(fmt, "10mb-field", put(f.filename, data), f.label, line=3, field="post")
    return Bad(
        fmt,
        "10mb-field",
        put(f.filename, lambda: parquet_bytes({"source": ["1", "2"], "target": ["2", big]})),
        f.label,
        line=2,
        field="target",
    )


MISSING_COLUMNS: list[Bad] = [
    Bad(
        "linkedin-csv",
        "no-connected-on",
        put("Connections.csv", b"First Name,Last Name,URL,Company\nAna,Ruiz,,Acme\n"),
        "Connections.csv",
        words=("Connected On",),
    ),
    Bad(
        "linkedin-zip",
        "messages-without-date",
        put(
            "export.zip",
            lambda: zip_bytes(
                {
                    "Connections.csv": connections_text().encode(),
                    "messages.csv": b"FROM,TO,CONTENT\nTom,Carmen,Hola\n",
                }
            ),
        ),
        "export.zip/messages.csv",
        words=("DATE",),
    ),
    Bad(
        "x",
        "follower-without-account-id",
        put(
            "archive.zip",
            lambda: x_zip(follower=x_js("follower", [{"follower": {"userLink": "x"}}]).encode()),
        ),
        "archive.zip/data/follower.js",
        field="accountId",
    ),
    Bad(
        "crm",
        "no-name-column",
        put("accounts.csv", b"Website,Type\nacme.example,Customer\n"),
        "accounts.csv",
        words=("name",),
    ),
    Bad(
        "roster",
        "no-email-column",
        put("roster.csv", b"Name,Department\nAna Ruiz,Sales\n"),
        "roster.csv",
        words=("email",),
    ),
    Bad(
        "roster",
        "no-name-column",
        put("roster.csv", b"Email,Department\nana@tejido-sample.example,Sales\n"),
        "roster.csv",
        line=1,
        words=("Name",),
    ),
    Bad("edges-csv", "one-column", put("edges.csv", b"source\n1\n2\n"), "edges.csv"),
    Bad(
        "edges-csv",
        "missing-target",
        put("edges.csv", b"source,target\n1,2\n3,\n"),
        "edges.csv",
        line=3,
        field="target",
    ),
    Bad(
        "edges-parquet",
        "one-column",
        put("edges.parquet", lambda: parquet_bytes({"source": ["1", "2"]})),
        "edges.parquet",
    ),
    Bad(
        "shares",
        "no-time-column",
        put("shares.csv", b"post,person,action\nurn:1,ana@acme.example,share\n"),
        "shares.csv",
        words=("at",),
    ),
    Bad(
        "shares",
        "missing-person",
        put("shares.csv", lambda: shares_text(person="").encode()),
        "shares.csv",
        line=3,
        field="person",
    ),
]


# -- bad values: dates, consent, weights, URLs -----------------------------------------------------

BAD_VALUES: list[Bad] = [
    *(
        Bad(
            "linkedin-csv",
            f"date-{value}",
            put("Connections.csv", lambda value=value: connections_text(on=value).encode()),
            "Connections.csv",
            line=3,
            field="Connected On",
            words=(value,),
        )
        for value in ("31 Feb 2024", "yesterday", "2024-13-01", "14 Foo 2024")
    ),
    Bad(
        "linkedin-zip",
        "message-date-on-last-row",
        put(
            "export.zip",
            lambda: zip_bytes(
                {
                    "Connections.csv": connections_text().encode(),
                    "messages.csv": _messages(
                        [
                            _message("2026-03-13 09:18:54 UTC"),
                            _message("2026-03-14 10:00:00 UTC"),
                            _message("2026-02-30 10:00:00 UTC"),
                        ]
                    ),
                }
            ),
        ),
        "export.zip/messages.csv",
        line=4,
        field="DATE",
    ),
    Bad(
        "linkedin-zip",
        "position-start",
        put(
            "export.zip",
            lambda: zip_bytes(
                {
                    "Positions.csv": csv_text(
                        [
                            ["Company Name", "Title", "Started On", "Finished On"],
                            ["Indra", "Consultora", "Sep 2016", "Feb 2021"],
                            ["Acme", "CTO", "Smarch 2021", ""],
                        ]
                    ).encode()
                }
            ),
        ),
        "export.zip/Positions.csv",
        line=3,
        field="Started On",
    ),
    Bad(
        "linkedin-zip",
        "education-year",
        put(
            "export.zip",
            lambda: zip_bytes(
                {
                    "Education.csv": csv_text(
                        [["School Name", "Start Date", "End Date"], ["UC3M", "some day", "2014"]]
                    ).encode()
                }
            ),
        ),
        "export.zip/Education.csv",
        line=2,
        field="Start Date",
    ),
    Bad(
        "linkedin-csv",
        "url-not-linkedin",
        put(
            "Connections.csv",
            csv_text(
                [
                    LINKEDIN_HEADER,
                    ["Ana", "Ruiz", "https://evil.example/in/ana", "", "Acme", "CTO", "1 Jan 2020"],
                ]
            ).encode(),
        ),
        "Connections.csv",
        line=2,
        field="URL",
    ),
    *(
        Bad(
            "roster",
            f"consent-{value}",
            put("roster.csv", lambda value=value: roster_text(consent=value).encode()),
            "roster.csv",
            line=3,
            field="Consent",
            words=(value,),
        )
        for value in ("maybe", "sí, claro", "2")
    ),
    Bad(
        "roster",
        "email-not-an-address",
        put("roster.csv", lambda: roster_text(email="nueva at tejido").encode()),
        "roster.csv",
        line=3,
        field="Email",
    ),
    Bad(
        "roster",
        "duplicate-email",
        put("roster.csv", lambda: roster_text(email=CARMEN.upper()).encode()),
        "roster.csv",
        line=3,
        field="Email",
        words=("line 2",),
    ),
    Bad(
        "crm",
        "website-not-a-domain",
        put("accounts.csv", lambda: crm_text(website="not a website").encode()),
        "accounts.csv",
        line=3,
        field="Website",
    ),
    *(
        Bad(
            "edges-csv",
            f"weight-{value}",
            put("edges.csv", lambda value=value: edges_text("3", weight=value).encode()),
            "edges.csv",
            line=3,
            field="weight",
        )
        for value in ("abc", "NaN", "inf", "-inf", "1e400", "1,5")
    ),
    Bad(
        "edges-csv",
        "weight-10mb",
        put("edges.csv", lambda: edges_text("3", weight="9" * TEN_MB + "x").encode()),
        "edges.csv",
        line=3,
        field="weight",
    ),
    Bad(
        "edges-csv",
        "snap-weight-after-comments",
        # the bad weight is on physical line 6, after a blank line and a comment
        put("edges.txt", b"# Directed graph\n1 2 1.0\n\n# more edges\n2\t3 0.5\n3  4 abc\n"),
        "edges.txt",
        line=6,
        words=("abc",),
    ),
    *(
        Bad(
            "shares",
            f"time-{value}",
            put("shares.csv", lambda value=value: shares_text(at=value).encode()),
            "shares.csv",
            line=3,
            field="at",
            words=(value,),
        )
        for value in ("2026-02-30T10:00:00Z", "yesterday", "2026-03-13", "=NOW()", "13/03/2026")
    ),
    Bad(
        "shares",
        "action-unknown",
        put("shares.csv", lambda: shares_text(action="teleported").encode()),
        "shares.csv",
        line=3,
        field="action",
        words=("teleported",),
    ),
    Bad(
        "shares",
        "person-not-a-key",
        put("shares.csv", lambda: shares_text(person="Carmen Ortega").encode()),
        "shares.csv",
        line=3,
        field="person",
        words=("Carmen Ortega",),
    ),
    Bad(
        "edges-parquet",
        "weight-not-a-number",
        put(
            "edges.parquet",
            lambda: parquet_bytes(
                {"source": ["1", "2"], "target": ["2", "3"], "weight": ["1.5", "heavy"]}
            ),
        ),
        "edges.parquet",
        line=2,
        field="weight",
    ),
]


ALL_BAD = [
    *BROKEN,
    *_encoding_cases(),
    *_nul_cases(),
    *(_huge(fmt) for fmt in FORMATS),
    *MISSING_COLUMNS,
    *BAD_VALUES,
]


@pytest.mark.parametrize("case", [c.param for c in ALL_BAD])
def test_bad_file_is_refused_and_changes_nothing(
    seeded: Workspace, tmp_path: Path, case: Bad
) -> None:
    f = FORMATS[case.fmt]
    path = case.make(tmp_path)
    assert_refused(
        seeded,
        f.kind,
        path,
        {**f.options, **dict(case.options)},
        file=case.file,
        line=case.line,
        field=case.field,
        words=case.words,
    )


def test_unknown_importer_is_refused(seeded: Workspace, tmp_path: Path) -> None:
    path = put("a.csv", b"a,b\n")(tmp_path)
    before = dump_store(seeded)
    with pytest.raises(BadInputError) as info:
        seeded.import_file("facebook", path)
    assert "'facebook'" in str(info.value)
    assert all(name in str(info.value) for name in IMPORTERS)
    assert dump_store(seeded) == before


# -- encodings that must be read -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ENCODING_OPTION)
def test_latin_1_with_encoding_option_imports(seeded: Workspace, tmp_path: Path, fmt: str) -> None:
    f = FORMATS[fmt]
    path = put(f.filename, file_of(fmt, "Begoña", "latin-1"))(tmp_path)
    result = seeded.import_file(f.kind, path, **f.options, encoding="latin-1")
    assert result.status == "imported"
    assert "Begoña" in column_values(seeded, *f.stored)


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_utf_16_with_bom_is_read(seeded: Workspace, tmp_path: Path, fmt: str) -> None:
    f = FORMATS[fmt]
    data = file_of(fmt, "Begoña", "utf-16")  # Python's utf-16 codec writes a BOM
    result = seeded.import_file(f.kind, put(f.filename, data)(tmp_path), **f.options)
    assert result.status == "imported"
    assert "Begoña" in column_values(seeded, *f.stored)


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_utf_8_with_bom_is_read(seeded: Workspace, tmp_path: Path, fmt: str) -> None:
    f = FORMATS[fmt]
    data = file_of(fmt, "Begoña", "utf-8-sig")
    result = seeded.import_file(f.kind, put(f.filename, data)(tmp_path), **f.options)
    assert result.status == "imported"
    assert "Begoña" in column_values(seeded, *f.stored)


# -- text that looks like code is stored as text ---------------------------------------------------

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3+cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE person;--",
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_formula_and_markup_are_stored_verbatim(
    seeded: Workspace, tmp_path: Path, fmt: str, payload: str
) -> None:
    f = FORMATS[fmt]
    result = seeded.import_file(
        f.kind, put(f.filename, file_of(fmt, payload))(tmp_path), **f.options
    )
    assert result.status == "imported"
    assert payload in column_values(seeded, *f.stored)
    assert not any(
        isinstance(v, str) and v != payload and v.strip("'\t ") == payload
        for v in column_values(seeded, *f.stored)
    ), "the payload was stored escaped or prefixed"


@pytest.mark.parametrize("payload", PAYLOADS[:3])
def test_formula_in_company_and_position_is_stored_verbatim(
    seeded: Workspace, tmp_path: Path, payload: str
) -> None:
    path = put("Connections.csv", connections_text(company=payload, position=payload).encode())
    seeded.import_linkedin(path(tmp_path), employee=CARMEN)
    assert payload in column_values(seeded, "connection", "company")
    assert payload in column_values(seeded, "connection", "position")
    assert payload in column_values(seeded, "organisation", "name")


# -- repeated rows: a documented skip --------------------------------------------------------------


def _repeat_count(counts: dict[str, Any]) -> int:
    return sum(v for k, v in counts.items() if ("duplicate" in k or "repeated" in k))


def test_repeated_connection_rows_are_skipped_and_counted(
    seeded: Workspace, tmp_path: Path
) -> None:
    row = contact("Repetida", "repeated-contact")
    path = put("Connections.csv", csv_text([LINKEDIN_HEADER, row, row, row]).encode())(tmp_path)
    result = seeded.import_linkedin(path, employee=CARMEN)
    assert result.counts["connections"] == 1
    assert result.counts["duplicate_rows"] == 2
    assert _repeat_count(result.counts) == 2
    assert any("2 repeated" in w for w in result.warnings), result.warnings
    assert column_values(seeded, "person", "first_name").count("Repetida") == 1


def test_repeated_follows_in_x_archive_are_counted(seeded: Workspace, tmp_path: Path) -> None:
    archive = x_zip(follower=follows_js("follower", ["1001", "1002", "1001"]).encode())
    result = seeded.import_x(put("archive.zip", archive)(tmp_path))
    assert result.counts["followers"] == 2
    assert result.counts["connections"] == 3  # 1001 -> me, 1002 -> me, me -> 1003
    assert _repeat_count(result.counts) == 1, result.counts


def test_repeated_crm_accounts_are_counted(seeded: Workspace, tmp_path: Path) -> None:
    rows = [CRM_HEADER, ["Acme Hostile", "acme-hostile.example", "Customer", "Spain", "Energy"]]
    path = put("accounts.csv", csv_text(rows + rows[1:]).encode())(tmp_path)
    result = seeded.import_crm(path)
    assert result.counts["accounts"] == 2
    assert result.counts["organisations_new"] == 1
    # the second row is the same account, not a second organisation that was matched
    assert result.counts["organisations_matched"] == 0, result.counts
    assert _repeat_count(result.counts) == 1, result.counts
    assert any("line 3" in w and "line 2" in w for w in result.warnings), result.warnings
    assert column_values(seeded, "organisation", "name").count("Acme Hostile") == 1


@pytest.mark.parametrize("fmt", ["edges-csv", "edges-parquet"])
def test_repeated_edges_are_skipped_and_counted(
    seeded: Workspace, tmp_path: Path, fmt: str
) -> None:
    columns = {"source": ["1", "2", "1", "3"], "target": ["2", "1", "2", "3"]}
    if fmt == "edges-csv":
        rows = [[s, t] for s, t in zip(columns["source"], columns["target"], strict=True)]
        data = csv_text([["source", "target"], *rows]).encode()
    else:
        data = parquet_bytes(columns)
    result = seeded.import_edges(put(FORMATS[fmt].filename, data)(tmp_path))
    assert result.counts["edges"] == 1
    assert result.counts["repeated_edges_skipped"] == 2
    assert result.counts["self_loops_skipped"] == 1
