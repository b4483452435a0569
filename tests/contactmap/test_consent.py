"""Consent through every interface: a private employee's ties appear nowhere, and ties an
employee shares as existence-only show that a path exists and whom to ask, never who the
contact is. Checked through the Python API, the CLI and the REST API."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tejido.cli import app as cli_app
from tejido.contactmap.lookup import person_labels
from tejido.contactmap.view import Viewer
from tejido.errors import ForbiddenError
from tejido.web.app import create_app
from tejido.web.deps import api_token
from tejido.workspace import Workspace


@dataclass
class Only:
    """A contact whose every tie is to employees of one consent level."""

    contact_id: int
    org_id: int | None
    secrets: list[str]  # name, LinkedIn key, e-mail: must never be shown
    employees: list[int]  # the employees on those ties


def _only_through(ws: Workspace, level: int) -> Only:
    snap = ws.contact_map.snapshot()
    emp = snap.consent >= 0
    lv = np.asarray(snap.level)
    n = snap.n_nodes
    lowest = np.full(n, 9)
    highest = np.full(n, -1)
    for end in (snap.u, snap.v):
        np.minimum.at(lowest, end, lv)
        np.maximum.at(highest, end, lv)
    ok = ~emp & (lowest == level) & (highest == level) & (snap.org >= 0)
    assert ok.any(), f"the demo has no contact known only through level-{level} ties"
    node = int(np.flatnonzero(ok)[0])
    pid = int(snap.person_id[node])
    nbrs, _ = snap.neighbours(node)
    with ws.store.read() as conn:
        label = person_labels(conn, [pid])[pid]
    # Job titles repeat across people; what identifies this one is name, URL and e-mail.
    secrets = [s for s in (label.name, label.linkedin, label.email) if s]
    org = int(snap.org_id[snap.org[node]])
    return Only(pid, org, secrets, [int(snap.person_id[x]) for x in nbrs])


def _unzip(data: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"\n".join(archive.read(name) for name in archive.namelist())


def _leaks(text: str, only: Only) -> list[str]:
    return [s for s in only.secrets if s in text]


@pytest.fixture(scope="module")
def cases(demo_map: Workspace) -> dict[str, Only]:
    return {"private": _only_through(demo_map, 0), "existence": _only_through(demo_map, 1)}


def _private_employees(ws: Workspace) -> set[int]:
    snap = ws.contact_map.snapshot()
    return {int(p) for p in snap.person_id[snap.consent == 0]}


# -- Python -----------------------------------------------------------------------------


def test_private_ties_appear_in_no_path_coverage_or_prospect(demo_map: Workspace, cases) -> None:
    only = cases["private"]
    private = _private_employees(demo_map)
    assert demo_map.paths(to=str(only.contact_id), k=10).empty
    account = demo_map.account(str(only.org_id))
    assert all(t["employee"]["id"] not in private for t in account["ties"])
    assert all(t["contact"]["id"] != only.contact_id for t in account["ties"])
    for path in account["paths"]:
        assert not {h["from"]["id"] for h in path["path"]} & private
    found = demo_map.prospects(limit=10_000)
    assert only.contact_id not in set(found["person_id"].dropna())
    assert not set(found["ask_id"]) & private
    accounts = demo_map.coverage(limit=None)
    snap = demo_map.contact_map.snapshot()
    # Nobody's tie to a private employee counts anywhere.
    cm = demo_map.map()
    assert not cm.visible[np.isin(snap.person_id[snap.u], list(private))].any()
    assert not cm.visible[np.isin(snap.person_id[snap.v], list(private))].any()
    assert accounts["contacts"].sum() > 0


def test_private_network_is_refused_to_an_analyst(demo_map: Workspace) -> None:
    someone = sorted(_private_employees(demo_map))[0]
    with pytest.raises(ForbiddenError):
        demo_map.degrees(str(someone))


def test_private_employee_sees_their_own_ties(demo_map: Workspace, cases) -> None:
    only = cases["private"]
    me = only.employees[0]
    mine = demo_map.paths(to=str(only.contact_id), viewer=Viewer("employee", me))
    assert len(mine) == 1
    assert mine.loc[0, "target"] not in ("", None)
    assert mine.loc[0, "strengths"][0] is not None


def test_existence_only_shows_whom_to_ask_and_nothing_else(demo_map: Workspace, cases) -> None:
    only = cases["existence"]
    result = demo_map.contact_map.paths(to=str(only.contact_id), k=10)
    assert result["paths"], "a path through an existence-only tie must still be shown"
    for path in result["paths"]:
        assert path["ask"]["id"] in only.employees
        assert path["target"]["hidden"] and path["target"]["id"] is None
        assert path["score"] is None
        hop = path["path"][-1]
        assert hop["strength"] is None and hop["explanation"] is None
    assert not _leaks(json.dumps(result, ensure_ascii=False), only)
    account = demo_map.account(str(only.org_id))
    assert not _leaks(json.dumps(account, ensure_ascii=False, default=str), only)
    hidden = [t for t in account["ties"] if t["employee"]["id"] in only.employees and t["hidden"]]
    assert hidden and all(t["contact"]["hidden"] for t in hidden)
    found = demo_map.prospects(limit=10_000)
    assert not _leaks(found.to_json(force_ascii=False), only)


def test_an_employee_sees_colleagues_ties_only_as_existence(demo_map: Workspace, cases) -> None:
    snap = demo_map.contact_map.snapshot()
    named = [int(p) for p in snap.person_id[snap.consent == 2]]
    viewer = Viewer("employee", named[0])
    account = demo_map.account(str(cases["existence"].org_id), viewer=viewer)
    for tie in account["ties"]:
        if tie["employee"]["id"] != named[0]:
            assert tie["hidden"] and tie["contact"]["hidden"]


# -- CLI --------------------------------------------------------------------------------


def _cli(ws: Workspace, *args: str) -> str:
    result = CliRunner().invoke(cli_app, [*args, "--workspace", str(ws.path), "--json"])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_respects_consent(demo_map: Workspace, cases) -> None:
    private, existence = cases["private"], cases["existence"]
    out = json.loads(_cli(demo_map, "paths", "--to", str(private.contact_id)))
    assert out["paths"] == []
    text = _cli(demo_map, "paths", "--to", str(existence.contact_id))
    assert json.loads(text)["paths"] and not _leaks(text, existence)
    text = _cli(demo_map, "coverage", str(existence.org_id))
    assert not _leaks(text, existence)
    text = _cli(demo_map, "coverage", str(private.org_id))
    assert not set(map(str, _private_employees(demo_map))) & {
        str(t["employee"]["id"]) for t in json.loads(text)["ties"]
    }
    text = _cli(demo_map, "prospects", "--limit", "5000")
    assert not _leaks(text, existence) and not _leaks(text, private)
    folder = demo_map.path.parent / "cli-export"
    _cli(demo_map, "export", str(folder / "map.graphml"))
    text = (folder / "map.graphml").read_text(encoding="utf-8")
    assert not _leaks(text, existence) and not _leaks(text, private)


# -- REST API ---------------------------------------------------------------------------


def test_api_respects_consent(demo_map: Workspace, cases) -> None:
    client = TestClient(create_app(demo_map))
    headers = {"Authorization": f"Bearer {api_token(demo_map)}"}
    private, existence = cases["private"], cases["existence"]
    r = client.get("/api/paths", params={"to": private.contact_id}, headers=headers)
    assert r.status_code == 200 and r.json()["paths"] == []
    r = client.get("/api/paths", params={"to": existence.contact_id}, headers=headers)
    assert r.json()["paths"] and not _leaks(r.text, existence)
    r = client.get(f"/api/coverage/{existence.org_id}", headers=headers)
    assert r.status_code == 200 and not _leaks(r.text, existence)
    r = client.get(f"/api/coverage/{private.org_id}", headers=headers)
    ids = {t["employee"]["id"] for t in r.json()["ties"]}
    assert not ids & _private_employees(demo_map)
    r = client.get("/api/prospects", params={"limit": 1000}, headers=headers)
    assert not _leaks(r.text, existence) and not _leaks(r.text, private)
    for fmt in ("gexf", "graphml", "csv"):
        r = client.get("/api/export", params={"format": fmt}, headers=headers)
        assert r.status_code == 200
        body = r.content if fmt != "csv" else _unzip(r.content)
        text = body.decode("utf-8")
        assert not _leaks(text, existence) and not _leaks(text, private)
        assert not any(f'"p{p}"' in text or f">p{p}<" in text for p in _private_employees(demo_map))
    someone = sorted(_private_employees(demo_map))[0]
    r = client.get("/api/degrees", params={"person": someone}, headers=headers)
    assert r.status_code == 403 and r.json()["error"] == "ForbiddenError"
