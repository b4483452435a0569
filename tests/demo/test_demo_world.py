"""The ground truth: homonyms, bulk InMail, degrees, homophily, ties, roster, CRM, X."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import Counter, defaultdict
from types import SimpleNamespace

import numpy as np

from tejido.demo.crm_files import CRM_HEADER, ROSTER_HEADER
from tejido.demo.ties import contact_degrees


def test_homonyms_share_name_or_name_and_organisation(demo):
    people = demo.truth("people.csv")
    names = Counter((p["first_name"], p["last_name"]) for p in people)
    shared = sum(1 for p in people if names[(p["first_name"], p["last_name"])] > 1)
    assert 0.005 < shared / len(people) < 0.03
    twins = defaultdict(set)
    for p in people:
        twins[(p["first_name"], p["last_name"], p["organisation_id"])].add(p["truth_person_id"])
    pairs = [ids for ids in twins.values() if len(ids) > 1]
    assert len(pairs) >= 12
    slugs = {demo.people[i]["linkedin_slug"] for ids in pairs for i in ids}
    assert len(slugs) == sum(len(ids) for ids in pairs)
    mentioned = {m["contact_person_id"] for m in demo.truth("connection_mentions.csv")}
    assert sum(ids <= mentioned for ids in pairs) >= len(pairs) // 2
    assert len({p["linkedin_slug"] for p in people}) == len(people)


def test_bulk_inmails_repeat_a_template_and_go_unanswered(demo):
    senders = {r["person_id"] for r in demo.truth("bulk_senders.csv")}
    sender_slugs = {demo.people[s]["linkedin_slug"] for s in senders}
    assert len(senders) >= 8
    contacts = {m["contact_person_id"] for m in demo.truth("connection_mentions.csv")}
    assert not senders & contacts
    first_of = {p["linkedin_slug"]: p["first_name"] for p in demo.people.values()}
    texts = defaultdict(set)
    for export in demo.exports.values():
        rows = list(csv.reader(io.StringIO(export.text("messages.csv"), newline="")))[1:]
        for row in rows:
            if row[3].rsplit("/", 1)[1] in sender_slugs:
                first = first_of[row[5].rsplit("/", 1)[1]]
                text = row[8].replace("\r\n", "\n").replace(first, "{first}")
                texts[row[3]].add((text, row[7].replace(first, "{first}")))
            assert row[5].rsplit("/", 1)[1] not in sender_slugs  # never answered
    repeated = [t for t, variants in texts.items() if len(variants) == 1]
    assert len(repeated) >= len(senders) // 2
    per_sender = Counter()
    for export in demo.exports.values():
        for row in list(csv.reader(io.StringIO(export.text("messages.csv"), newline="")))[1:]:
            if row[3] in texts:
                per_sender[row[3]] += 1
    assert max(per_sender.values()) >= 3


def test_degrees_are_heavy_tailed_with_sales_above_engineering(demo):
    roster = list(csv.DictReader(demo.manifest.roster_path.open(encoding="utf-8")))
    dept = {str(i + 1): r["Department"] for i, r in enumerate(roster)}
    degree = Counter(m["owner_person_id"] for m in demo.truth("connection_mentions.csv"))
    values = np.array(list(degree.values()))
    assert values.max() > 3 * values.mean()
    sales = [d for p, d in degree.items() if dept[p] == "sales"]
    engineers = [d for p, d in degree.items() if dept[p] == "engineering"]
    assert np.mean(sales) > np.mean(engineers)


def test_contact_degree_distribution_has_a_long_tail():
    emp = SimpleNamespace(dept=["sales"] * 2000 + ["engineering"] * 2000)
    d = contact_degrees(emp, 400, 30000, np.random.default_rng(0))  # type: ignore[arg-type]
    sales, eng = d[:2000], d[2000:]
    assert sales.max() > 8 * sales.mean() and sales.max() > 3000
    assert eng.mean() < 0.5 * sales.mean()
    assert 300 < d.mean() < 500


def test_contacts_share_industries_with_past_employers(demo):
    people, orgs = demo.people, demo.orgs
    past = defaultdict(set)
    for m in demo.truth("position_mentions.csv"):
        if m["truth_org_id"] != "1":
            past[m["person_id"]].add(orgs[m["truth_org_id"]]["industry"])
    hits = [
        orgs[people[m["contact_person_id"]]["organisation_id"]]["industry"]
        in past[m["owner_person_id"]]
        for m in demo.truth("connection_mentions.csv")
        if people[m["contact_person_id"]]["is_employee"] == "0"
    ]
    industry_of = Counter(orgs[p["organisation_id"]]["industry"] for p in people.values())
    total = sum(industry_of.values())
    baseline = np.mean([sum(industry_of[i] for i in s) / total for s in past.values()])
    assert np.mean(hits) > 2 * baseline


def test_ties_match_the_connection_rows_and_messages(demo):
    ties = {(t["person_a"], t["person_b"]): t for t in demo.truth("ties.csv")}
    kinds = Counter(t["kind"] for t in ties.values())
    assert {"colleague", "ex_colleague", "classmate", "customer", "other"} <= set(kinds)
    assert all(0 <= float(t["strength"]) <= 1 for t in ties.values())
    for m in demo.truth("connection_mentions.csv"):
        a, b = sorted((m["owner_person_id"], m["contact_person_id"]), key=int)
        assert (a, b) in ties
    written = Counter()
    seen = set()
    for export in demo.exports.values():
        for row in list(csv.reader(io.StringIO(export.text("messages.csv"), newline="")))[1:]:
            if "," in row[5] or (row[0], row[6], row[3]) in seen:
                continue
            seen.add((row[0], row[6], row[3]))
            written[frozenset((row[3], row[5]))] += 1
    slug = {p["truth_person_id"]: p["linkedin_slug"] for p in demo.people.values()}
    url = "https://www.linkedin.com/in/"
    strong = [t for t in ties.values() if int(t["messages"]) > 0]
    assert strong
    for t in strong:
        key = frozenset((url + slug[t["person_a"]], url + slug[t["person_b"]]))
        assert written[key] == int(t["messages"])
    by_strength = sorted(ties.values(), key=lambda t: float(t["strength"]))
    weak, top = by_strength[: len(ties) // 2], by_strength[-len(ties) // 10 :]
    assert np.mean([int(t["messages"]) for t in top]) > 3 * np.mean(
        [int(t["messages"]) for t in weak]
    )


def test_roster_columns_consent_and_blank_urls(demo):
    text = demo.manifest.roster_path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == ROSTER_HEADER and len(rows) == 31
    assert {r[5] for r in rows[1:]} <= {"named", "existence_only", "private"}
    assert Counter(r[5] for r in rows[1:])["named"] >= 12
    assert {r[3] for r in rows[1:]} == {"sales", "engineering", "marketing", "support",
                                       "executives"}  # fmt: skip
    assert all(r[1].endswith("@tejido-demo.example") for r in rows[1:])
    employees = [p for p in demo.truth("people.csv") if p["is_employee"] == "1"]
    assert [p["employee_email"] for p in employees] == [r[1] for r in rows[1:]]


def test_crm_rows_types_and_mentions(demo):
    lines = demo.manifest.crm_path.read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(lines))
    assert tuple(rows[0]) == CRM_HEADER
    allowed = {"Customer - Direct", "Customer - Channel", "Prospect", "Competitor", "Partner",
               "Vendor", "Other"}  # fmt: skip
    assert {r[3] for r in rows[1:]} <= allowed
    assert len({r[0] for r in rows[1:]}) == len(rows) - 1
    related = [o for o in demo.orgs.values() if o["relation"]]
    assert 0.08 < len(related) / len(demo.orgs) < 0.16
    renamed = 0
    for m in demo.truth("crm_mentions.csv"):
        row = next(csv.reader([lines[int(m["line"]) - 1]]))
        assert row[1] == m["name_written"] and row[2] == m["domain_written"]
        org = demo.orgs[m["truth_org_id"]]
        renamed += row[1] != org["name"]
        if row[2]:
            assert org["domain"] in row[2]
    assert renamed > 0.3 * (len(rows) - 1)


def test_x_archives_are_valid_and_link_to_truth(demo):
    x_ids = {p["x_id"]: p for p in demo.truth("people.csv") if p["x_id"]}
    assert demo.manifest.x_zips
    known = 0
    for path in demo.manifest.x_zips:
        with zipfile.ZipFile(path) as zf:
            assert zf.namelist() == ["data/manifest.js", "data/account.js", "data/follower.js",
                                     "data/following.js"]  # fmt: skip
            manifest = zf.read("data/manifest.js").decode()
            assert manifest.startswith("window.__THAR_CONFIG = {")
            config = json.loads(manifest.split("=", 1)[1])
            data = {}
            for name in ("account", "follower", "following"):
                text = zf.read(f"data/{name}.js").decode()
                prefix = f"window.YTD.{name}.part0 = "
                assert text.startswith(prefix)
                data[name] = json.loads(text[len(prefix) :])
                count = config["dataTypes"][name]["files"][0]["count"]
                assert count == str(len(data[name]))
        account = data["account"][0]["account"]
        owner = x_ids[account["accountId"]]
        assert owner["is_employee"] == "1" and account["email"] == owner["employee_email"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z", account["createdAt"])
        for kind in ("follower", "following"):
            for item in data[kind]:
                assert isinstance(item[kind]["accountId"], str)
                known += item[kind]["accountId"] in x_ids
    assert known > 0
