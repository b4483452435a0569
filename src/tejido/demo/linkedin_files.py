"""Each employee's "Get a copy of your data" zip, in LinkedIn's real file layouts.

Connections.csv (new layout with the Notes preamble, or the old one without preamble and
URL column), Profile.csv, Email Addresses.csv, Positions.csv, Education.csv and
messages.csv; ~30% of zips use CRLF line endings, ~20% of Connections.csv start with a BOM.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import numpy as np

from tejido.demo._files import (
    csv_text,
    day_text,
    month_text,
    quote,
    timestamp_text,
    write_zip,
)
from tejido.demo.names import ascii_fold
from tejido.demo.orgnames import CITIES, COUNTRIES, COUNTRY_NAMES
from tejido.demo.state import DemoWorld
from tejido.demo.variants import (
    canonical_url,
    company_written,
    names_written,
    urls_written,
)

__all__ = [
    "CONNECTIONS_HEADER",
    "MESSAGES_HEADER",
    "NOTES",
    "OLD_CONNECTIONS_HEADER",
    "RowWriter",
    "write_linkedin_exports",
]

NOTES = (
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"'
)
CONNECTIONS_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
OLD_CONNECTIONS_HEADER = "First Name,Last Name,Email Address,Company,Position,Connected On"
MESSAGES_HEADER = (
    "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
    "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER", "ATTACHMENTS",
)  # fmt: skip
_PROFILE_HEADER = (
    "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,"
    "Geo Location,Twitter Handles,Websites,Instant Messengers"
)
_REGIONS = {"Madrid": "Community of Madrid", "Barcelona": "Catalonia", "Bilbao": "Basque Country",
            "Valencia": "Valencian Community", "Sevilla": "Andalusia", "Málaga": "Andalusia",
            "Zaragoza": "Aragon", "A Coruña": "Galicia", "Valladolid": "Castile and León",
            "San Sebastián": "Basque Country"}  # fmt: skip
_SUMMARIES = {
    "sales": "Helping utilities, banks and telcos modernise their customer channels.",
    "engineering": "Building reliable data platforms. Python, Postgres, Kubernetes.",
    "marketing": "Content, community and brand. Storytelling with data.",
    "support": "Making customers successful from onboarding to renewal.",
    "executives": "Building Tejido Demo: the network your people already have.",
}
# Shares of zips with: old Connections.csv layout, CRLF endings, BOM, an extra Skills.csv.
_FORMAT_RATES = (0.10, 0.30, 0.20, 0.25)
_SKILLS = ("CRM", "Python", "Negociación", "Social Selling", "SQL", "Liderazgo", "Marketing")


class RowWriter(Protocol):
    """Where truth rows go (a ``csv.writer``)."""

    def writerow(self, row: Any, /) -> Any: ...


def write_linkedin_exports(
    out_dir: Path,
    w: DemoWorld,
    rng: np.random.Generator,
    connections: RowWriter,
    positions: RowWriter,
) -> dict[str, Any]:
    """Write every uploading employee's zip; stream truth mention rows; return counts."""
    n = w.people.n_employees
    ptr, tie_idx = w.ties.by_owner(n)
    flags = rng.random((n, 4))
    uploaders = np.flatnonzero(w.emp.has_zip)
    for col, rate in enumerate(_FORMAT_RATES):
        # Every layout quirk shows up at least once, even in a small company.
        if uploaders.size >= 8 and not (flags[uploaders, col] < rate).any():
            flags[uploaders[col], col] = 0.0
    paths: list[Path] = []
    stats = {"connection_rows": 0, "position_rows": 0, "old_format": 0, "crlf": 0, "bom": 0,
             "messages_rows": 0}  # fmt: skip
    for e in np.flatnonzero(w.emp.has_zip).tolist():
        old, crlf, bom, skills = flags[e] < _FORMAT_RATES
        eol = "\r\n" if crlf else "\n"
        base = f"Basic_LinkedInDataExport_{w.people.slug[e]}.zip"
        mine = tie_idx[ptr[e] : ptr[e + 1]]
        conn, rows = _connections(e, mine, w, base, bool(old), eol, connections, rng)
        pos, prow = _positions(e, w, base, eol, positions, rng)
        msgs, mrows = _messages(e, w, eol)
        members = [
            ("Connections.csv", (b"\xef\xbb\xbf" if bom else b"") + conn.encode()),
            ("Profile.csv", _profile(e, w, eol, rng).encode()),
            ("Email Addresses.csv", _emails(e, w, eol, rng).encode()),
            ("Positions.csv", pos.encode()),
            ("Education.csv", _education(e, w, eol, rng).encode()),
            ("messages.csv", msgs.encode()),
        ]
        if skills:
            members.append(
                ("Skills.csv", csv_text([["Name"], *([s] for s in _SKILLS)], eol).encode())
            )
        path = out_dir / "linkedin" / base
        write_zip(path, members)
        paths.append(path)
        stats["connection_rows"] += rows
        stats["position_rows"] += prow
        stats["messages_rows"] += mrows
        stats["old_format"] += int(old)
        stats["crlf"] += int(crlf)
        stats["bom"] += int(bom)
    return {"paths": sorted(paths), **stats}


def _connections(
    e: int,
    mine: np.ndarray,
    w: DemoWorld,
    base: str,
    old: bool,
    eol: str,
    sink: RowWriter,
    rng: np.random.Generator,
) -> tuple[str, int]:
    ties, people = w.ties, w.people
    contact = np.where(ties.a[mine] == e, ties.b[mine], ties.a[mine])
    day = ties.day[mine]
    order = np.lexsort((contact, -day))
    contact, day = contact[order], day[order]
    firsts, lasts = names_written(contact, people, rng)
    urls = urls_written(contact, people, rng)
    orgs_of = people.org[contact]
    companies = company_written(orgs_of, w.orgs.variants, rng)
    rows = []
    for i, c in enumerate(contact.tolist()):
        email = people.email[c] if people.shares_email[c] else ""
        row = [firsts[i], lasts[i], urls[i], email, companies[i], people.position[c],
               day_text(int(day[i]))]  # fmt: skip
        if old:
            del row[2]
        rows.append(row)
    head = f"{OLD_CONNECTIONS_HEADER}{eol}" if old else f"Notes:{eol}{NOTES}{eol}{eol}"
    if not old:
        head += f"{CONNECTIONS_HEADER}{eol}"
    first_line = 2 if old else 5
    for i, c in enumerate(contact.tolist()):
        org = "" if companies[i] == "" else int(orgs_of[i]) + 1
        sink.writerow((base, first_line + i, e + 1, c + 1, companies[i], org))
    return head + csv_text(rows, eol) + eol, len(rows)


def _positions(
    e: int, w: DemoWorld, base: str, eol: str, sink: RowWriter, rng: np.random.Generator
) -> tuple[str, int]:
    jobs = w.emp.jobs[e]
    written = company_written(np.array([j.org for j in jobs]), w.orgs.variants, rng, blank_rate=0)
    text = "Company Name,Title,Description,Location,Started On,Finished On" + eol
    line = 2
    for job, company in zip(jobs, written, strict=True):
        end = "" if job.end is None else month_text(job.end)
        desc = job.description.replace("\n", eol)
        row = csv_text([[company, job.title, desc, job.location, month_text(job.start), end]], eol)
        sink.writerow((base, line, e + 1, company, job.org + 1))
        line += row.count("\n")
        text += row
    return text, len(jobs)


def _profile(e: int, w: DemoWorld, eol: str, rng: np.random.Generator) -> str:
    p, emp = w.people, w.emp
    code = COUNTRIES[int(p.country[e])]
    city = CITIES[code][int(rng.integers(len(CITIES[code])))]
    region = _REGIONS.get(city)
    geo = f"{city}, {region}, {COUNTRY_NAMES[code]}" if region else f"{city}, {COUNTRY_NAMES[code]}"
    headline = f"{emp.title[e]} at Tejido Demo"
    if rng.random() < 0.5:
        headline += " | Social Selling & CRM" if emp.dept[e] == "sales" else " | Tejido"
    x = w.x_accounts.get(e)
    handle = f"[{x.username}]" if x else ""
    row = csv_text([[p.first[e], p.last[e], "", "", ""]], "").rstrip()
    fields = [row, quote(headline), quote(_SUMMARIES[emp.dept[e]]), "Software Development", "",
              quote(geo), handle, "[COMPANY:https://tejido-demo.example]", ""]  # fmt: skip
    return _PROFILE_HEADER + eol + ",".join(fields) + eol


def _emails(e: int, w: DemoWorld, eol: str, rng: np.random.Generator) -> str:
    start = w.emp.jobs[e][0].start
    m, y = start % 12 + 1, start // 12
    rows = [
        ["Email Address", "Confirmed", "Primary", "Updated On"],
        [w.emp.work_email[e], "Yes", "Yes", f"{m}/{int(rng.integers(1, 28))}/{y % 100:02d}"],
    ]
    if rng.random() < 0.4:
        rows.append([w.emp.personal_email[e], "Yes", "No", f"{m}/1/{(y - 3) % 100:02d}"])
    return csv_text(rows, eol)


def _education(e: int, w: DemoWorld, eol: str, rng: np.random.Generator) -> str:
    rows = [["School Name", "Start Date", "End Date", "Notes", "Degree Name", "Activities"]]
    for s in w.emp.studies[e]:
        name = w.orgs.name[s.school]
        if rng.random() < 0.1:
            name = ascii_fold(name)
        rows.append([name, str(s.start), str(s.end), "", s.degree, s.activities])
    return csv_text(rows, eol)


def _messages(e: int, w: DemoWorld, eol: str) -> tuple[str, int]:
    p = w.people
    convs = [w.inbox.conversations[i] for i in w.inbox.by_employee[e]]
    convs.sort(key=lambda c: (-max(m[1] for m in c.messages), c.cid))
    rows: list[list[str]] = [list(MESSAGES_HEADER)]
    for conv in convs:
        for sender, ts, subject, text in conv.messages:
            to = [x for x in conv.participants if x != sender]
            rows.append([
                conv.cid, conv.title, f"{p.first[sender]} {p.last[sender]}",
                canonical_url(p.slug[sender]), ",".join(f"{p.first[x]} {p.last[x]}" for x in to),
                ",".join(canonical_url(p.slug[x]) for x in to), timestamp_text(ts), subject,
                text.replace("\n", eol), "INBOX", "",
            ])  # fmt: skip
    return csv_text(rows, eol, quote_all=True), len(rows) - 1
