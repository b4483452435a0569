"""The contact map's commands, run as a user runs them: JSON shapes, errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx

from tejido.contactmap.lookup import find_person, person_labels
from tejido.contactmap.relations import TIE_RELATIONS
from tejido.workspace import Workspace

TEJIDO = [sys.executable, "-m", "tejido"]


def run(ws: Workspace, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    command = [*TEJIDO, *args, "--workspace", str(ws.path)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


def as_json(ws: Workspace, *args: str) -> object:
    result = run(ws, *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_degrees_coverage_paths_prospects(demo_map: Workspace) -> None:
    rows = as_json(demo_map, "degrees")
    assert isinstance(rows, list)
    totals = {r["degree"]: r["count"] for r in rows if r["dimension"] == "total"}
    assert totals[1] == 80 and totals[2] > 1000
    coverage = as_json(demo_map, "coverage", "--limit", "3")
    assert isinstance(coverage, dict) and len(coverage["accounts"]) == 3
    top = coverage["accounts"][0]["org_id"]
    account = as_json(demo_map, "coverage", str(top), "--limit", "5")
    assert isinstance(account, dict) and len(account["ties"]) == 5
    assert account["ties_total"] >= 5
    paths = as_json(demo_map, "paths", "--org", str(top), "--k", "2")
    assert isinstance(paths, dict) and [p["rank"] for p in paths["paths"]] == [1, 2]
    found = as_json(demo_map, "prospects", "--country", "España", "--limit", "4")
    assert isinstance(found, list) and 0 < len(found) <= 4


def test_tables_print_without_json(demo_map: Workspace) -> None:
    result = run(demo_map, "coverage", "--limit", "3")
    assert result.returncode == 0, result.stderr
    assert "Account coverage" in result.stdout and "organisations covered" in result.stdout
    result = run(demo_map, "snapshot")
    assert result.returncode == 0 and "bytes per tie" in result.stdout


def test_errors_exit_with_their_codes(demo_map: Workspace) -> None:
    cases = [
        (("paths",), 2, "give exactly one of a person (to) or an organisation (org)"),
        (("paths", "--to", "Nadie Que Exista"), 3, "no person matches 'Nadie Que Exista'"),
        (("coverage", "no-such-org.example"), 3, "no organisation matches"),
        (("prospects", "--country", "Narnia"), 2, "'Narnia' is not a country name or ISO code"),
        (("prospects", "--role", "|"), 2, "has no words to look for"),
        (("prospects", "--role", "x" * 501), 2, "at most 500"),
        (("relation", "1", "2"), 2, "give a RELATION, or --clear"),
        (("export", "map.pdf"), 2, "must be gexf, graphml or csv. Got 'pdf' instead."),
    ]
    for args, code, message in cases:
        result = run(demo_map, *args)
        assert result.returncode == code, (args, result.stdout, result.stderr)
        assert message in " ".join(result.stderr.split()), (args, result.stderr)


def test_export_gexf_keeps_node_attributes(demo_map: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "map.gexf"
    result = run(demo_map, "export", str(target))
    assert result.returncode == 0, result.stderr
    graph = nx.read_gexf(target)
    snap = demo_map.contact_map.snapshot()
    assert graph.number_of_edges() == int((demo_map.map().visible).sum())
    employees = [d for _, d in graph.nodes(data=True) if d.get("is_employee")]
    assert len(employees) == int((snap.consent > 0).sum())
    assert all(d["label"] and d.get("department") for d in employees)


def test_relation_override_survives_reimport(demo_copy: Workspace) -> None:
    """Set a class, erase the employee's export and import the same file again: the
    contact comes back under a new id, and the correction still applies."""
    snap = demo_copy.contact_map.snapshot()
    uploads = demo_copy.uploads()
    export = uploads[uploads["kind"] == "linkedin"].iloc[0]
    owner = int(export["owner_person_id"])
    nbrs, _ = snap.neighbours(snap.node(owner))

    # A contact only this export names (no other upload's tie, message or key): erasing
    # it erases them.
    def named_elsewhere(person: int) -> bool:
        with demo_copy.store.read() as conn:
            (count,) = conn.exec_driver_sql(
                "SELECT (SELECT count(*) FROM connection WHERE (source_id = ? OR target_id = ?)"
                " AND upload_id != ?) + (SELECT count(*) FROM interaction WHERE (source_id = ?"
                " OR target_id = ?) AND upload_id != ?) + (SELECT count(*) FROM"
                " identifier_assertion a JOIN person_identifier i ON i.id = a.identifier_id"
                " WHERE i.person_id = ? AND a.upload_id != ?)",
                (person, person, upload, person, person, upload, person, upload),
            ).one()
        return bool(count)

    upload = int(export["id"])
    contact = next(
        int(snap.person_id[n]) for n in nbrs
        if snap.consent[n] < 0 and not named_elsewhere(int(snap.person_id[n]))
    )  # fmt: skip
    with demo_copy.store.read() as conn:
        key = person_labels(conn, [contact])[contact].linkedin
    assert key, "demo contacts have LinkedIn URLs"
    supplier = TIE_RELATIONS.index("supplier")

    def relation_now(person: int) -> int:
        cm = demo_copy.map()
        return int(cm.relation[cm.snap.edge_between(cm.snap.node(owner), cm.snap.node(person))])

    assert relation_now(contact) != supplier
    result = run(demo_copy, "relation", str(owner), str(contact), "supplier", "--note", "reseller")
    assert result.returncode == 0, result.stderr
    assert relation_now(contact) == supplier
    demo_copy.erase_upload(int(export["id"]))
    demo_copy.import_linkedin(demo_copy.path / "demo" / "linkedin" / str(export["filename"]))
    with demo_copy.store.read() as conn:
        [again] = find_person(conn, f"https://www.linkedin.com/{key}")
    assert again != contact, "the contact was erased and created again"
    assert relation_now(again) == supplier
    result = run(demo_copy, "relation", str(owner), str(again), "--clear")
    assert result.returncode == 0, result.stderr
    assert relation_now(again) != supplier


def test_names_are_printed_as_text(demo_copy: Workspace) -> None:
    """Names come from other people's files: rich markup and script tags are just text."""
    from sqlalchemy import text

    coverage = as_json(demo_copy, "coverage", "--limit", "1")
    assert isinstance(coverage, dict)
    org = coverage["accounts"][0]["org_id"]
    account = as_json(demo_copy, "coverage", str(org), "--limit", "1")
    assert isinstance(account, dict)
    contact = account["ties"][0]["contact"]["id"]
    name = "[/bold][red]<script>alert(1)</script>"
    with demo_copy.store.write() as conn:
        conn.execute(text("UPDATE person SET display_name = :n WHERE id = :p"),
                     {"n": name, "p": contact})  # fmt: skip
    result = run(demo_copy, "coverage", str(org), "--limit", "1")
    assert result.returncode == 0, result.stderr
    assert "<script>alert(1)</script>" in result.stdout.replace("\n", "")
    assert "[/bold][red]" in result.stdout
