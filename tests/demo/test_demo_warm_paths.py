"""Planted warm introduction paths: the truth file, and what the exports show of each path."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pytest

from tejido.demo import generate
from tejido.demo.truth import WARM_PATHS_HEADER
from tejido.demo.warm_paths import warm_path_count

EXPORT = dt.datetime(2026, 11, 20)
EMPLOYEES = 30  # the ``demo`` fixture's company


def _roles(row: dict[str, str]) -> tuple[str, str, str, list[str]]:
    decoys = row["decoy_person_ids"].split(";")
    return row["target_person_id"], row["introducer_person_id"], row["requester_person_id"], decoys


def _export(demo, person: str):
    return demo.exports[f"Basic_LinkedInDataExport_{demo.people[person]['linkedin_slug']}.zip"]


def _listing(demo, target: str) -> set[str]:
    """Employees whose Connections.csv holds a row for ``target``."""
    return {
        m["owner_person_id"]
        for m in demo.truth("connection_mentions.csv")
        if m["contact_person_id"] == target
    }


def _connected_on(demo, owner: str, target: str) -> dt.datetime:
    """The Connected On date of ``target``'s row in ``owner``'s Connections.csv."""
    (m,) = [
        m
        for m in demo.truth("connection_mentions.csv")
        if m["owner_person_id"] == owner and m["contact_person_id"] == target
    ]
    export = demo.exports[m["file"]]
    header, _ = export.table("Connections.csv")
    line = export.lines("Connections.csv")[int(m["line"]) - 1]
    row = dict(zip(header, next(csv.reader([line])), strict=True))
    return dt.datetime.strptime(row["Connected On"], "%d %b %Y")


def _one_to_one(export, x: str, y: str) -> list[tuple[str, dt.datetime]]:
    """(sender slug, time) of the one-to-one messages between slugs ``x`` and ``y``."""
    rows = list(csv.reader(io.StringIO(export.text("messages.csv"), newline="")))[1:]
    out = []
    for row in rows:
        if "," in row[5]:
            continue
        sender, recipient = row[3].rsplit("/", 1)[1], row[5].rsplit("/", 1)[1]
        if {sender, recipient} == {x, y}:
            out.append((sender, dt.datetime.strptime(row[6], "%Y-%m-%d %H:%M:%S UTC")))
    return out


def _assert_warm(export, x: str, y: str) -> None:
    messages = _one_to_one(export, x, y)
    assert len(messages) >= 10, (export.path.name, x, y)
    assert {s for s, _ in messages} == {x, y}
    assert max(t for _, t in messages) >= EXPORT - dt.timedelta(days=30)


@pytest.mark.parametrize(("employees", "k"), [(5, 3), (30, 3), (200, 3), (300, 5), (420, 7),
                                              (1000, 8)])  # fmt: skip
def test_one_path_per_sixty_employees_between_three_and_eight(employees: int, k: int) -> None:
    assert warm_path_count(employees) == k


def test_the_truth_file_lists_every_planted_path(demo) -> None:
    text = (demo.manifest.truth_dir / "warm_paths.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(WARM_PATHS_HEADER)
    rows = demo.truth("warm_paths.csv")
    assert len(rows) == warm_path_count(EMPLOYEES) == 3
    assert demo.manifest.counts["warm_paths"] == 3
    assert len({r["target_person_id"] for r in rows}) == 3
    assert len({r["target_org_id"] for r in rows}) == 3
    homonyms = Counter(
        (p["first_name"], p["last_name"], p["organisation_id"]) for p in demo.people.values()
    )
    senders = {r["person_id"] for r in demo.truth("bulk_senders.csv")}
    for row in rows:
        t, e, r, decoys = _roles(row)
        target = demo.people[t]
        assert target["is_employee"] == "0" and t not in senders
        assert homonyms[(target["first_name"], target["last_name"], row["target_org_id"])] == 1
        assert target["organisation_id"] == row["target_org_id"]
        assert demo.orgs[row["target_org_id"]]["relation"] in ("prospect", "customer")
        assert 3 <= len(decoys) <= 5 and len(set(decoys)) == len(decoys)
        assert len({e, r, *decoys}) == len(decoys) + 2
        for person in (e, r, *decoys):
            assert demo.people[person]["is_employee"] == "1"
            _export(demo, person)  # each of them uploaded a zip


def test_only_the_introducer_and_the_decoys_list_the_target(demo) -> None:
    degree = Counter(m["owner_person_id"] for m in demo.truth("connection_mentions.csv"))
    for row in demo.truth("warm_paths.csv"):
        t, e, r, decoys = _roles(row)
        assert _listing(demo, t) == {e, *decoys}
        assert r not in _listing(demo, t)
        # Ranking by number of contacts would pick a decoy.
        assert max({e, *decoys}, key=lambda p: degree[p]) in decoys
        assert _connected_on(demo, e, t) <= EXPORT - dt.timedelta(days=3 * 365)
        for d in decoys:
            assert _connected_on(demo, d, t) >= EXPORT - dt.timedelta(days=366)


def test_introducer_and_requester_talk_a_lot_decoys_never(demo) -> None:
    slug = {p: demo.people[p]["linkedin_slug"] for p in demo.people}
    for row in demo.truth("warm_paths.csv"):
        t, e, r, decoys = _roles(row)
        _assert_warm(_export(demo, e), slug[e], slug[t])
        _assert_warm(_export(demo, e), slug[e], slug[r])
        _assert_warm(_export(demo, r), slug[r], slug[e])
        for d in decoys:
            assert slug[t] not in _export(demo, d).text("messages.csv")


def test_planted_ties_in_the_truth(demo) -> None:
    ties = {(t["person_a"], t["person_b"]): t for t in demo.truth("ties.csv")}
    past = {(m["person_id"], m["truth_org_id"]) for m in demo.truth("position_mentions.csv")}
    for row in demo.truth("warm_paths.csv"):
        t, e, r, decoys = _roles(row)
        warm = ties[(e, t)]
        assert warm["strength"] == "0.9700" and int(warm["messages"]) >= 10
        # Same kind rules as any tie: a shared past employer makes an ex-colleague.
        assert (warm["kind"] == "ex_colleague") == ((e, row["target_org_id"]) in past)
        colleague = ties[tuple(sorted((e, r), key=int))]
        assert colleague["kind"] == "colleague" and colleague["strength"] == "0.9500"
        assert int(colleague["messages"]) >= 10
        for d in decoys:
            assert ties[(d, t)]["strength"] == "0.0300" and ties[(d, t)]["messages"] == "0"
    # Planting kept the ties sorted, unique, and owned by an employee.
    pairs = [(int(a), int(b)) for a, b in ties]
    assert pairs == sorted(pairs) and len(pairs) == len(set(pairs))
    assert all(a < b and demo.people[str(a)]["is_employee"] == "1" for a, b in pairs)


def test_a_tiny_company_still_gets_its_paths(tmp_path: Path) -> None:
    manifest = generate(tmp_path, employees=6, seed=2, mean_contacts=20, organisations=300)

    def read(name: str) -> list[dict[str, str]]:
        with (manifest.truth_dir / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    rows = read("warm_paths.csv")
    assert len(rows) == 3 == manifest.counts["warm_paths"]
    mentions = read("connection_mentions.csv")
    for row in rows:
        t, e, r, decoys = _roles(row)
        assert r != e and r not in decoys
        listing = {m["owner_person_id"] for m in mentions if m["contact_person_id"] == t}
        assert listing == {e, *decoys} - {""}


def test_every_truth_file_is_documented(demo) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "demo.md"
    (row,) = [
        r for r in docs.read_text(encoding="utf-8").splitlines() if r.startswith("| `truth/*")
    ]
    for path in sorted(demo.manifest.truth_dir.glob("*.csv")):
        assert f"`{path.stem}`" in row, path.name
