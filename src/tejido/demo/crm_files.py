"""The employee roster and the Salesforce-style CRM accounts export.

CRM account names are often spelled differently from how contacts write the company,
websites come with or without scheme and ``www.``, and ~3% of accounts are duplicates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tejido.demo._files import csv_text
from tejido.demo.linkedin_files import RowWriter
from tejido.demo.orgnames import COUNTRIES, COUNTRY_NAMES, INDUSTRIES
from tejido.demo.state import DemoWorld
from tejido.demo.variants import canonical_url

__all__ = ["CRM_HEADER", "ROSTER_HEADER", "SALESFORCE_TYPES", "write_crm", "write_roster"]

ROSTER_HEADER = ("Name", "Email", "LinkedIn URL", "Department", "Title", "Consent")
CRM_HEADER = ("Account ID", "Account Name", "Website", "Type", "Billing Country", "Industry")
SALESFORCE_TYPES = {
    "customer": ("Customer - Direct", "Customer - Channel"),
    "prospect": ("Prospect",),
    "competitor": ("Competitor",),
    "partner": ("Partner",),
    "supplier": ("Vendor",),
    "other": ("Other",),
}
_SF_INDUSTRY = {"Software": "Technology", "Logistics": "Transportation",
                "Public Sector": "Government", "Automotive": "Manufacturing",
                "Tourism": "Hospitality"}  # fmt: skip
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def write_roster(out_dir: Path, w: DemoWorld) -> Path:
    """roster.csv: one row per employee; ~10% leave the LinkedIn URL blank."""
    p, emp = w.people, w.emp
    rows: list[list[str]] = [list(ROSTER_HEADER)]
    for e in range(len(emp)):
        url = canonical_url(p.slug[e]) if emp.roster_url[e] else ""
        rows.append([f"{p.first[e]} {p.last[e]}", emp.work_email[e], url, emp.dept[e],
                     emp.title[e], emp.consent[e]])  # fmt: skip
    path = out_dir / "roster.csv"
    path.write_text(csv_text(rows, "\n"), encoding="utf-8", newline="")
    return path


def _account_name(w: DemoWorld, o: int, roll: float) -> str:
    canonical, brand, plain, upper, swapped, messy = w.orgs.variants[o]
    for limit, name in ((0.40, canonical), (0.60, brand), (0.70, upper), (0.80, plain),
                        (0.88, messy), (0.95, swapped)):  # fmt: skip
        if roll < limit:
            return name
    if not w.orgs.form[o] or brand.startswith("Grupo "):
        return brand
    return f"Grupo {brand}"


def _website(domain: str, roll: float) -> str:
    if roll < 0.35:
        return f"https://www.{domain}"
    if roll < 0.60:
        return domain
    if roll < 0.75:
        return f"www.{domain}"
    if roll < 0.85:
        return f"http://{domain}/"
    return ""


def write_crm(
    out_dir: Path, w: DemoWorld, rng: np.random.Generator, sink: RowWriter
) -> dict[str, Any]:
    """crm_accounts.csv for every organisation with a relation to us; truth rows to ``sink``."""
    orgs = w.orgs
    accounts = [o for o in range(len(orgs)) if orgs.relation[o]]
    dupes = rng.choice(accounts, size=max(1, len(accounts) * 3 // 100), replace=False)
    listed = np.array(accounts + dupes.tolist(), dtype=np.int64)
    listed = listed[rng.permutation(listed.size)]
    rolls = rng.random((listed.size, 5))
    used: set[str] = set()
    rows: list[list[str]] = [list(CRM_HEADER)]
    for i, o in enumerate(listed.tolist()):
        while True:
            tail = "".join(_B62[int(k)] for k in rng.integers(62, size=5))
            account_id = f"0015g00000{tail}AAA"
            if account_id not in used:
                break
        used.add(account_id)
        name = _account_name(w, o, float(rolls[i, 0]))
        website = _website(orgs.domain[o], float(rolls[i, 1]))
        types = SALESFORCE_TYPES[orgs.relation[o]]
        kind = types[int(rolls[i, 2] < 0.3)] if len(types) > 1 else types[0]
        code = COUNTRIES[int(orgs.country[o])]
        country = COUNTRY_NAMES[code]
        if rolls[i, 3] < 0.15:
            country = code
        elif rolls[i, 3] < 0.25 and code == "ES":
            country = "España"
        industry = INDUSTRIES[int(orgs.industry[o])]
        industry = "" if rolls[i, 4] < 0.08 else _SF_INDUSTRY.get(industry, industry)
        rows.append([account_id, name, website, kind, country, industry])
        sink.writerow((i + 2, o + 1, name, website))
    path = out_dir / "crm_accounts.csv"
    path.write_text(csv_text(rows, "\n"), encoding="utf-8", newline="")
    return {"path": path, "crm_accounts": len(rows) - 1, "crm_duplicates": int(dupes.size)}
