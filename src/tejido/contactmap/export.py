"""Exports of the contact map as one viewer may see it: networkx, GEXF, GraphML and CSV.

Consent is applied before anything is written, per tie, the way the service's paths
apply it:

- **edges** are the ties the viewer may use (``ContactMap.visible``). A detailed tie
  (``ContactMap.detailed``) carries ``strength``, ``relation`` (when it has a class),
  ``level`` (the tie's consent: ``named``, ``existence_only``, or ``private`` on the
  viewer's own private ties) and ``decaying``; any other tie carries only
  ``level="existence_only"``.
- **nodes** are the people at the ends of those edges. Employees are shown by name (they
  are whom to ask). Anybody else is shown by name (``ContactMap.node_detailed``) only at
  the end of a detailed tie; at the end of a tie that is not detailed they are a hidden
  node. A person seen named through one tie and hidden through another is two nodes: the
  named one, and a hidden one that carries the ties that may not say who they are.
  Drawing an existence-only tie to the named node would tell who the contact is.
- a **private employee** is no node at all (and so none of their ties is an edge),
  unless they are the viewer.

Node ids are ``p<person id>`` for people shown by name and ``h<k>`` for hidden people.
The ``k`` are a random permutation of the hidden nodes (fresh OS entropy unless ``seed``
is given), and every file lists nodes and edges in the order of those ids, so neither an
id nor a row's position tells a hidden person's store id, and two exports cannot be
joined on their hidden nodes. Give ``seed`` for reproducible files only: knowing the
seed and the set of hidden people undoes the permutation.

Every attribute value is a ``str``, ``int``, ``float`` or ``bool`` (a missing value is
a missing key), so GEXF and GraphML can hold it. Text loses the control characters XML
cannot hold. CSV text cells that a spreadsheet would run as a formula get a leading
apostrophe (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from tejido.contactmap.lookup import org_labels, person_labels
from tejido.contactmap.relations import TIE_RELATIONS
from tejido.contactmap.service import ContactMapService
from tejido.contactmap.view import ContactMap, Viewer
from tejido.errors import BadInputError, NotFoundError
from tejido.snapshot.model import LEVEL_EXISTENCE, LEVEL_NAMED, LEVEL_PRIVATE, ORG_RELATIONS

__all__ = [
    "EDGE_COLUMNS",
    "NODE_COLUMNS",
    "to_networkx",
    "write_csv",
    "write_gexf",
    "write_graphml",
]

Attr = str | int | float | bool
PathLike = str | os.PathLike[str]

NODE_COLUMNS = (
    "id",
    "label",
    "hidden",
    "is_employee",
    "degree_class",
    "position",
    "organisation",
    "org_relation",
    "country",
    "industry",
    "department",
)
EDGE_COLUMNS = ("source", "target", "level", "strength", "relation", "decaying")

HIDDEN_LABEL = "hidden"
_LEVELS = {LEVEL_PRIVATE: "private", LEVEL_EXISTENCE: "existence_only", LEVEL_NAMED: "named"}
# Characters XML 1.0 cannot hold (GEXF and GraphML writers would write broken files).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class _Export:
    """One export's rows, in the order they are written."""

    nodes: list[tuple[str, dict[str, Attr]]] = field(default_factory=list)
    edges: list[tuple[str, str, dict[str, Attr]]] = field(default_factory=list)
    graph: dict[str, Attr] = field(default_factory=dict)


def _text(value: object) -> str | None:
    if value is None:
        return None
    cleaned = _NOT_XML.sub("", str(value)).strip()
    return cleaned or None


def _put(row: dict[str, Attr], key: str, value: object) -> None:
    text = _text(value)
    if text is not None:
        row[key] = text


def _check_filters(cm: ContactMap, caller: str, min_strength: float, org: int | None) -> int:
    """The organisation index ``org`` names (-1 for none), once the filters are checked."""
    ok = isinstance(min_strength, numbers.Real) and not isinstance(min_strength, bool)
    if not ok or not math.isfinite(min_strength) or min_strength < 0:
        raise BadInputError(
            f"The 'min_strength' parameter of {caller} must be a number >= 0. "
            f"Got {min_strength!r} instead."
        )
    if org is None:
        return -1
    if not isinstance(org, numbers.Integral) or isinstance(org, bool):
        raise BadInputError(
            f"The 'org' parameter of {caller} must be an organisation id (int) or None. "
            f"Got {org!r} instead."
        )
    o = int(cm.snap.org_index_of([int(org)])[0])
    if o < 0:
        raise NotFoundError(f"organisation {org} is not in the contact map")
    return o


def _kept_edges(cm: ContactMap, min_strength: float, o: int) -> NDArray[np.int64]:
    """Edges the export holds: visible, no private employee but the viewer, filtered."""
    snap = cm.snap
    u, v = np.asarray(snap.u), np.asarray(snap.v)
    barred = np.asarray(snap.consent) == LEVEL_PRIVATE
    if cm.me >= 0:
        barred[cm.me] = False
    keep = cm.visible & ~barred[u] & ~barred[v]
    if min_strength > 0:
        # Only a detailed tie has a strength the viewer may compare.
        keep &= cm.detailed & (np.asarray(cm.strength) >= min_strength)
    if o >= 0:
        at = np.asarray(snap.org) == o
        keep &= at[u] | at[v]
    return np.flatnonzero(keep)


def _collect(
    service: ContactMapService,
    viewer: Viewer | None,
    *,
    min_strength: float,
    org: int | None,
    seed: int | None,
    caller: str,
) -> _Export:
    cm = service.map(viewer)
    snap = cm.snap
    o = _check_filters(cm, caller, min_strength, org)
    edges = _kept_edges(cm, min_strength, o)
    eu = np.asarray(snap.u)[edges].astype(np.int64)
    ev = np.asarray(snap.v)[edges].astype(np.int64)
    detailed = cm.detailed[edges]
    employee = np.asarray(snap.consent) >= 0
    shown = cm.node_detailed

    # An endpoint is "named" (key = node) or "hidden" (key = n + node), decided per tie.
    n = snap.n_nodes
    ku = np.where(employee[eu] | (detailed & shown[eu]), eu, n + eu)
    kv = np.where(employee[ev] | (detailed & shown[ev]), ev, n + ev)
    keys = np.unique(np.concatenate([ku, kv]))
    named = keys[keys < n]
    n_named, n_hidden = len(named), len(keys) - len(named)
    rank = np.random.default_rng(seed).permutation(n_hidden)
    # Export order: named people by person id (node order), then hidden ones by their k.
    position = np.concatenate([np.arange(n_named), n_named + rank]).astype(np.int64)
    ids = [f"p{int(p)}" for p in np.asarray(snap.person_id)[named].tolist()]
    ids += [f"h{k}" for k in range(n_hidden)]

    out = _Export(
        graph={
            "name": "Tejido contact map",
            "viewer_role": cm.viewer.role,
            "snapshot_version": int(snap.version),
            "as_of": cm.as_of.isoformat(),
        }
    )
    out.nodes = _named_nodes(service, cm, named, ids[:n_named])
    out.nodes += [
        (hid, {"label": HIDDEN_LABEL, "hidden": True, "is_employee": False})
        for hid in ids[n_named:]
    ]

    pu = position[np.searchsorted(keys, ku)]
    pv = position[np.searchsorted(keys, kv)]
    a, b = np.minimum(pu, pv), np.maximum(pu, pv)
    order = np.lexsort((b, a))
    out.edges = _edge_rows(cm, edges[order], detailed[order], a[order], b[order], ids)
    return out


def _named_nodes(
    service: ContactMapService, cm: ContactMap, nodes: NDArray[np.int64], ids: list[str]
) -> list[tuple[str, dict[str, Attr]]]:
    snap = cm.snap
    pids = np.asarray(snap.person_id)[nodes].tolist()
    org = np.asarray(snap.org)[nodes].astype(np.int64)
    org_ids = snap.of_org(snap.org_id, org, -1)
    relation = snap.of_org(snap.org_relation, org, -1)
    with service.store.read() as conn:
        people = person_labels(conn, pids)
        orgs = org_labels(conn, np.unique(org_ids[org_ids >= 0]).tolist())
    employee = (np.asarray(snap.consent)[nodes] >= 0).tolist()
    columns: dict[str, tuple[Sequence[str], Iterable[int]]] = {
        "country": (snap.countries, np.asarray(snap.country)[nodes].tolist()),
        "industry": (snap.industries, np.asarray(snap.industry)[nodes].tolist()),
        "department": (snap.departments, np.asarray(snap.department)[nodes].tolist()),
        "org_relation": (ORG_RELATIONS, relation.tolist()),
    }
    rows: list[dict[str, Attr]] = []
    for pid, is_emp, oid in zip(pids, employee, org_ids.tolist(), strict=True):
        label = people.get(pid)
        row: dict[str, Attr] = {
            "label": _text(label.name if label else None) or f"person {pid}",
            "hidden": False,
            "is_employee": bool(is_emp),
            "degree_class": "employee" if is_emp else "contact",
        }
        _put(row, "position", label.position if label else None)
        _put(row, "organisation", orgs[oid].name if oid in orgs else None)
        rows.append(row)
    for key, (table, codes) in columns.items():
        for row, code in zip(rows, codes, strict=True):
            if code >= 0:
                _put(row, key, table[code])
    return list(zip(ids, rows, strict=True))


def _edge_rows(
    cm: ContactMap,
    edges: NDArray[np.int64],
    detailed: NDArray[np.bool_],
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    ids: list[str],
) -> list[tuple[str, str, dict[str, Attr]]]:
    strength = np.round(np.asarray(cm.strength)[edges].astype(np.float64), 4).tolist()
    relation = np.asarray(cm.relation)[edges].tolist()
    level = np.asarray(cm.snap.level)[edges].tolist()
    decaying = cm.decaying()[edges].tolist()
    rows: list[tuple[str, str, dict[str, Attr]]] = []
    for i, (x, y, full) in enumerate(zip(a.tolist(), b.tolist(), detailed.tolist(), strict=True)):
        if not full:
            rows.append((ids[x], ids[y], {"level": _LEVELS[LEVEL_EXISTENCE]}))
            continue
        data: dict[str, Attr] = {
            "level": _LEVELS[int(level[i])],
            "strength": float(strength[i]),
            "decaying": bool(decaying[i]),
        }
        if relation[i] >= 0:
            data["relation"] = TIE_RELATIONS[int(relation[i])]
        rows.append((ids[x], ids[y], data))
    return rows


def _graph(export: _Export) -> Any:
    graph = nx.Graph(**export.graph)
    graph.add_nodes_from(export.nodes)
    graph.add_edges_from(export.edges)
    return graph


def to_networkx(
    service: ContactMapService,
    viewer: Viewer | None = None,
    *,
    min_strength: float = 0.0,
    org: int | None = None,
    seed: int | None = None,
) -> nx.Graph:
    """The contact map as ``viewer`` (an analyst by default) may see it, as a graph.

    Parameters
    ----------
    service : ContactMapService
        The contact map (``Workspace.contact_map``).
    viewer : Viewer, optional
        Who the export is for; consent is applied for them (see the module docstring).
    min_strength : float, default 0.0
        Keep detailed ties at least this strong. Ties the viewer sees only as existence
        have no strength to compare: they are kept only when ``min_strength`` is 0.
    org : int, optional
        An organisation id: keep only ties touching people who work there now.
    seed : int, optional
        Seed of the permutation that numbers hidden people (for reproducible files).

    Returns
    -------
    networkx.Graph
        Nodes ``p<person id>`` (named) and ``h<k>`` (hidden); attributes as the module
        docstring lists them.

    Examples
    --------
    >>> import tempfile
    >>> from tejido.workspace import Workspace
    >>> g = to_networkx(Workspace(tempfile.mkdtemp()).contact_map)
    >>> (g.number_of_nodes(), g.number_of_edges(), g.graph["viewer_role"])
    (0, 0, 'analyst')
    """
    export = _collect(
        service, viewer, min_strength=min_strength, org=org, seed=seed, caller="to_networkx"
    )
    return _graph(export)


def write_gexf(
    service: ContactMapService,
    path: PathLike,
    viewer: Viewer | None = None,
    *,
    min_strength: float = 0.0,
    org: int | None = None,
    seed: int | None = None,
) -> None:
    """Write ``to_networkx(...)`` as GEXF 1.2 (Gephi) to ``path``; same parameters."""
    export = _collect(
        service, viewer, min_strength=min_strength, org=org, seed=seed, caller="write_gexf"
    )
    nx.write_gexf(_graph(export), Path(path))


def write_graphml(
    service: ContactMapService,
    path: PathLike,
    viewer: Viewer | None = None,
    *,
    min_strength: float = 0.0,
    org: int | None = None,
    seed: int | None = None,
) -> None:
    """Write ``to_networkx(...)`` as GraphML to ``path``; same parameters."""
    export = _collect(
        service, viewer, min_strength=min_strength, org=org, seed=seed, caller="write_graphml"
    )
    nx.write_graphml(_graph(export), Path(path))


def _cell(value: Attr | None) -> str | int | float:
    """A CSV cell: numbers as numbers, text a spreadsheet would run as a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_text(columns: Sequence[str], rows: Iterable[dict[str, Attr]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
    return buffer.getvalue()


def write_csv(
    service: ContactMapService,
    path: PathLike,
    viewer: Viewer | None = None,
    *,
    min_strength: float = 0.0,
    org: int | None = None,
    seed: int | None = None,
) -> None:
    """Write ``nodes.csv`` and ``edges.csv`` (UTF-8, with a header) into a folder, or
    into a zip when ``path`` ends in ``.zip``; same parameters as ``to_networkx``.

    Columns are ``NODE_COLUMNS`` and ``EDGE_COLUMNS``; a missing value is an empty cell,
    booleans are ``true`` / ``false``.

    Examples
    --------
    >>> import tempfile, zipfile, pathlib
    >>> from tejido.workspace import Workspace
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_csv(Workspace(folder / "ws").contact_map, folder / "map.zip")
    >>> with zipfile.ZipFile(folder / "map.zip") as zf:
    ...     zf.read("edges.csv").decode()
    'source,target,level,strength,relation,decaying\\r\\n'
    """
    export = _collect(
        service, viewer, min_strength=min_strength, org=org, seed=seed, caller="write_csv"
    )
    files = {
        "nodes.csv": _csv_text(NODE_COLUMNS, ({"id": i, **data} for i, data in export.nodes)),
        "edges.csv": _csv_text(
            EDGE_COLUMNS, ({"source": a, "target": b, **data} for a, b, data in export.edges)
        ),
    }
    target = Path(path)
    if target.name.lower().endswith(".zip"):
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, text in files.items():
                zf.writestr(name, text.encode("utf-8"))
        return
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (target / name).write_text(text, encoding="utf-8", newline="")
