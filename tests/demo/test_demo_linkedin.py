"""LinkedIn exports: real layouts, quirks, and truth line numbers that point at records."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter, defaultdict
from urllib.parse import urlsplit

from tejido.demo.linkedin_files import (
    CONNECTIONS_HEADER,
    MESSAGES_HEADER,
    OLD_CONNECTIONS_HEADER,
)

MEMBERS = {"Connections.csv", "Profile.csv", "Email Addresses.csv", "Positions.csv",
           "Education.csv", "messages.csv"}  # fmt: skip


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def slug_of(url: str) -> str:
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if parts[0] == "pub":
        name, c, b, a = parts[1:5]
        return f"{name}-{a}{b}{c}".lower()
    return parts[1].lower()


def test_each_zip_holds_the_real_files_and_parses(demo):
    assert len(demo.exports) >= 0.8 * 30
    for name, export in demo.exports.items():
        assert name.startswith("Basic_LinkedInDataExport_") and name.endswith(".zip")
        assert MEMBERS <= set(export.raw) <= MEMBERS | {"Skills.csv"}
        header, rows = export.table("Connections.csv")
        assert ",".join(header) in (CONNECTIONS_HEADER, OLD_CONNECTIONS_HEADER)
        assert all(len(r) == len(header) for r in rows)
        assert rows, name
        for member in MEMBERS - {"Connections.csv"}:
            head, body = export.table(member)
            assert all(len(r) == len(head) for r in body), (name, member)
    assert len(set(demo.exports)) == len(demo.manifest.linkedin_zips)


def test_preamble_matches_the_sample_byte_for_byte(demo, samples):
    sample = (samples / "linkedin-export" / "Connections.csv").read_text(encoding="utf-8")
    new = [e for e in demo.exports.values() if "URL" in e.lines("Connections.csv")[3]]
    assert new
    for export in new:
        assert export.lines("Connections.csv")[:4] == sample.splitlines()[:4]
        assert export.text("Connections.csv").endswith(("\n\n", "\r\n\r\n"))
        head = export.text("messages.csv").splitlines()[0]
        sample_msgs = (samples / "linkedin-export" / "messages.csv").read_text(encoding="utf-8")
        assert head == sample_msgs.splitlines()[0]


def test_layout_quirks_old_format_crlf_and_bom_appear(demo):
    old = crlf = bom = 0
    for export in demo.exports.values():
        raw = export.raw["Connections.csv"]
        old += export.lines("Connections.csv")[0] == OLD_CONNECTIONS_HEADER
        bom += raw.startswith(b"\xef\xbb\xbf")
        is_crlf = b"\r\n" in raw
        crlf += is_crlf
        if is_crlf:  # the whole zip is written by the same Windows tool
            assert b"\r\n" in export.raw["Profile.csv"]
            assert b"\n" not in raw.replace(b"\r\n", b"")
    n = len(demo.exports)
    assert 1 <= old <= 0.3 * n
    assert 1 <= crlf <= 0.6 * n
    assert 1 <= bom <= 0.5 * n
    counts = demo.manifest.counts
    assert (counts["old_format_zips"], counts["crlf_zips"], counts["bom_zips"]) == (old, crlf, bom)


def test_connection_mentions_point_at_the_right_physical_line(demo):
    mentions = demo.truth("connection_mentions.csv")
    assert len(mentions) == demo.manifest.counts["connection_rows"]
    by_file = defaultdict(list)
    for m in mentions:
        by_file[m["file"]].append(m)
    assert set(by_file) == set(demo.exports)
    for name, rows in by_file.items():
        export = demo.exports[name]
        lines = export.lines("Connections.csv")
        header, data = export.table("Connections.csv")
        assert len(data) == len(rows)
        for m in rows:
            record = next(csv.reader([lines[int(m["line"]) - 1]]))
            row = dict(zip(header, record, strict=True))
            person = demo.people[m["contact_person_id"]]
            assert fold(row["First Name"]) == fold(person["first_name"])
            assert fold(row["Last Name"]) == fold(person["last_name"])
            assert row["Company"] == m["company_written"]
            assert row["Position"] == person["position"]
            if m["company_written"]:
                assert m["truth_org_id"] == person["organisation_id"]
            else:
                assert m["truth_org_id"] == ""
            if "URL" in row:
                assert slug_of(row["URL"]) == person["linkedin_slug"]
            assert re.fullmatch(r"\d\d [A-Z][a-z]{2} \d{4}", row["Connected On"])


def test_url_name_and_company_variants_all_appear(demo):
    urls, names, companies = Counter(), Counter(), Counter()
    mentions = {(m["file"], int(m["line"])): m for m in demo.truth("connection_mentions.csv")}
    for name, export in demo.exports.items():
        lines = export.lines("Connections.csv")
        header, _ = export.table("Connections.csv")
        for (file, line), m in mentions.items():
            if file != name:
                continue
            row = dict(zip(header, next(csv.reader([lines[line - 1]])), strict=True))
            person = demo.people[m["contact_person_id"]]
            url = row.get("URL", "")
            for key, hit in {
                "http": url.startswith("http://"),
                "bare_host": "://linkedin.com/" in url,
                "locale_host": re.search(r"://(es|fr|uk|de|mx|pt|it|nl)\.linkedin", url),
                "slash": url.endswith("/"),
                "trk": "?trk=" in url,
                "subdomain": "?originalSubdomain=" in url,
                "upper": url
                and "/in/" in url
                and url.split("/in/")[1] != url.split("/in/")[1].lower(),
                "pub": "/pub/" in url,
            }.items():
                urls[key] += bool(hit)
            names["upper_last"] += (
                row["Last Name"] == person["last_name"].upper() != person["last_name"]
            )
            full = person["first_name"] + person["last_name"]
            names["accents_dropped"] += (
                full != full.encode("ascii", "ignore").decode()
                and (row["First Name"] + row["Last Name"]).isascii()
            )
            org = demo.orgs.get(person["organisation_id"], {})
            companies["blank"] += row["Company"] == ""
            companies["canonical"] += row["Company"] == org.get("name")
            companies["other_spelling"] += row["Company"] not in ("", org.get("name"))
            companies["upper"] += row["Company"].isupper()
    assert all(urls[k] > 0 for k in ("http", "bare_host", "locale_host", "slash", "trk",
                                      "subdomain", "upper", "pub")), urls  # fmt: skip
    assert names["upper_last"] > 0 and names["accents_dropped"] > 0, names
    total = len(mentions)
    assert 0.01 < companies["blank"] / total < 0.06
    assert companies["canonical"] > companies["other_spelling"] * 0.5
    assert companies["upper"] > 0


def test_legacy_pub_urls_map_to_canonical_slugs(demo):
    seen = 0
    for m in demo.truth("connection_mentions.csv"):
        export = demo.exports[m["file"]]
        header, _ = export.table("Connections.csv")
        if "URL" not in header:
            continue
        line = export.lines("Connections.csv")[int(m["line"]) - 1]
        url = dict(zip(header, next(csv.reader([line])), strict=True))["URL"]
        if "/pub/" not in url:
            continue
        seen += 1
        name, c, b, a = [p for p in urlsplit(url).path.split("/") if p][1:5]
        assert all(re.fullmatch(r"[0-9a-f]{1,3}", x) for x in (a, b, c))
        slug = demo.people[m["contact_person_id"]]["linkedin_slug"]
        assert slug == f"{name}-{a}{b}{c}"
    assert seen > 0


def test_colleague_connections_are_symmetric(demo):
    pairs = {}
    for m in demo.truth("connection_mentions.csv"):
        if demo.people[m["contact_person_id"]]["is_employee"] == "1":
            export = demo.exports[m["file"]]
            line = export.lines("Connections.csv")[int(m["line"]) - 1]
            pairs[(m["owner_person_id"], m["contact_person_id"])] = next(csv.reader([line]))[-1]
    owners = {m["owner_person_id"] for m in demo.truth("connection_mentions.csv")}
    checked = 0
    for (a, b), day in pairs.items():
        if b in owners:
            assert pairs[(b, a)] == day
            checked += 1
    assert checked > 10


def test_positions_line_numbers_and_multiline_descriptions(demo):
    multiline = 0
    for m in demo.truth("position_mentions.csv"):
        export = demo.exports[m["file"]]
        text = export.text("Positions.csv")
        lines = text.splitlines(keepends=True)
        line = int(m["line"])
        record = next(csv.reader(io.StringIO("".join(lines[line - 1 :]), newline="")))
        assert record[0] == m["company_written"]
        assert m["truth_org_id"]
        if "\n" in record[2]:
            multiline += 1
    assert multiline > 0
    for export in demo.exports.values():
        _, rows = export.table("Positions.csv")
        assert rows[0][5] == "" and rows[0][0].startswith(("Tejido", "TEJIDO"))
        assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", r[4]) for r in rows)


def test_messages_quoting_multiline_groups_and_both_directions(demo):
    multiline = groups = 0
    for name, export in demo.exports.items():
        raw = export.text("messages.csv")
        rows = list(csv.reader(io.StringIO(raw, newline="")))
        assert tuple(rows[0]) == MESSAGES_HEADER
        assert all(line.startswith('"') for line in raw.splitlines() if line.startswith('"2-'))
        for row in rows[1:]:
            multiline += "\n" in row[8]
            if "," in row[5]:
                groups += 1
                assert len(row[5].split(",")) == len(row[4].split(","))
            assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", row[6])
        owner = name.removeprefix("Basic_LinkedInDataExport_").removesuffix(".zip")
        senders = {r[3].rsplit("/", 1)[1] for r in rows[1:]}
        if len(rows) > 20:
            assert owner in senders and len(senders) > 1
    assert multiline > 0 and groups > 0
