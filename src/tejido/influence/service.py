"""Influence as every interface asks for it: measures side by side with ranks and reasons,
and communities in words, for one viewer (consent decides who is named)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tejido.contactmap.lookup import external_ids, person_labels
from tejido.errors import BadInputError
from tejido.influence import centrality
from tejido.influence.bridges import bridges
from tejido.influence.communities import DEFAULT_METHOD, Communities, community_graph, detect
from tejido.influence.graph import Network, network
from tejido.influence.hidden import STRUCTURE, hidden_hubs, unique_reach

if TYPE_CHECKING:
    from tejido.contactmap.service import ContactMapService
    from tejido.contactmap.view import ContactMap, Viewer

__all__ = ["ALL_MEASURES", "BRIDGE_MEASURES", "InfluenceService"]

# From the bridges between communities (Leiden, default resolution).
BRIDGE_MEASURES = ("participation", "communities_reached", "constraint", "effective_size",
                   "bridge_score")  # fmt: skip
ALL_MEASURES = (*centrality.MEASURES, *BRIDGE_MEASURES)

# Words that say nothing about what a group does, in job titles (English and Spanish).
_TITLE_STOP = frozenset((
    "of", "and", "the", "at", "for", "in", "de", "del", "la", "el", "y", "en", "los", "las",
    "a", "to", "senior", "junior", "sr", "jr", "head", "lead", "manager", "director",
    "responsable", "jefe", "jefa",
))  # fmt: skip


def _percentile(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Share of people at or below each value (1.0: the top)."""
    if not len(values):
        return np.zeros(0)
    order = pd.Series(values).rank(method="max").to_numpy()
    return np.asarray(order / len(values), dtype=np.float64)


class InfluenceService:
    """Influence measures and communities over the contact map's snapshots."""

    def __init__(self, maps: ContactMapService) -> None:
        self.maps = maps
        self._lock = threading.Lock()

    # -- the network ----------------------------------------------------------------------

    def network(self, viewer: Viewer | None = None) -> Network:
        """The ties this viewer may use, as a network (kept with the viewer's map)."""
        cm = self.maps.map(viewer)
        with self._lock:
            net: Network | None = cm.derived.get("influence.network")
            if net is None:
                net = cm.derived["influence.network"] = network(cm)
        return net

    def _cached(self, cm: ContactMap, parts: tuple[Any, ...], make: Any) -> Any:
        key = "influence:" + repr(parts)
        with self._lock:
            if key in cm.derived:
                return cm.derived[key]
        value = make()
        with self._lock:
            cm.derived[key] = value
        return value

    # -- measures ---------------------------------------------------------------------------

    def measures(
        self, viewer: Viewer | None = None, measures: tuple[str, ...] = ALL_MEASURES
    ) -> tuple[pd.DataFrame, dict[str, Any]]:
        """Every person of the network with each measure and its rank (1 = highest)."""
        cm = self.maps.map(viewer)
        net = self.network(viewer)
        unknown = [m for m in measures if m not in ALL_MEASURES]
        if unknown:
            raise BadInputError(f"no measure {unknown[0]!r}; known: "
                                f"{', '.join(ALL_MEASURES)}", field="measure")  # fmt: skip
        frame = pd.DataFrame({"node": net.nodes})
        notes: dict[str, Any] = {"people": net.n, "ties": int(net.undirected().m),
                                 "directed": net.directed}  # fmt: skip
        table = None
        if any(m in BRIDGE_MEASURES for m in measures):
            found = self.communities(viewer)
            table = self._cached(cm, ("influence.bridges",),
                                 lambda: bridges(net, found.membership))  # fmt: skip
            notes["communities"] = found.count
        for m in measures:
            if m in BRIDGE_MEASURES:
                values = table[m].to_numpy(dtype=np.float64)  # type: ignore[index]
            elif m == "betweenness":
                b = self._cached(cm, ("influence.betweenness",),
                                 lambda: centrality.betweenness(net))  # fmt: skip
                values, notes["betweenness"] = b.values, b.describe()
            else:
                values = self._cached(cm, ("influence", m),
                                      lambda m=m: centrality.compute(net, m))  # fmt: skip
            frame[m] = values
            # Constraint is the one measure where less means more of a bridge.
            frame[f"rank_{m}"] = (
                frame[m].rank(ascending=m == "constraint", method="min", na_option="bottom")
                .astype(np.int64)
            )  # fmt: skip
        return frame, notes

    def influence(
        self,
        viewer: Viewer | None = None,
        *,
        measures: tuple[str, ...] = ALL_MEASURES,
        by: str = "pagerank",
        top: int = 50,
    ) -> dict[str, Any]:
        """The ``top`` people by ``by``, with every measure, rank and the reasons in words.

        People the viewer may not see named keep their place (ranks are over everyone)
        but come without name or id.
        """
        if by not in measures:
            measures = (*measures, by)
        skipped = None
        if (by != "betweenness" and "betweenness" in measures
                and self.network(viewer).n > centrality.EXACT_BETWEENNESS):  # fmt: skip
            # Sampled betweenness can take minutes on a large network: only when asked.
            measures = tuple(m for m in measures if m != "betweenness")
            skipped = (f"not computed: more than {centrality.EXACT_BETWEENNESS:,} people; "
                       "rank by betweenness to have it (sampled, with a stated bound)")  # fmt: skip
        frame, notes = self.measures(viewer, measures)
        if skipped:
            notes["betweenness"] = skipped
        cm = self.maps.map(viewer)
        head = frame.sort_values([f"rank_{by}", "node"]).head(max(top, 0))
        rows = self._label(cm, head, measures)
        return {"by": by, "measures": list(measures), "network": notes, "people": rows}

    def _label(
        self, cm: ContactMap, frame: pd.DataFrame, measures: tuple[str, ...]
    ) -> list[dict[str, Any]]:
        snap = cm.snap
        nodes = frame["node"].to_numpy()
        named = np.asarray(cm.node_detailed)[nodes]
        ids = [int(snap.person_id[n]) for n, ok in zip(nodes, named, strict=True) if ok]
        with self.maps.store.read() as conn:
            labels = person_labels(conn, ids)
            external = external_ids(conn, ids)
        total = len(self.network(cm.viewer).nodes)
        rows = []
        for record, ok in zip(frame.to_dict("records"), named, strict=True):
            node = int(record["node"])
            pid = int(snap.person_id[node])
            person: dict[str, Any] = {"hidden": True}
            if ok:
                label = labels.get(pid)
                person = {"id": pid, "name": label.name if label else f"person {pid}",
                          "position": label.position if label else None,
                          "is_employee": bool(snap.consent[node] >= 0),
                          "hidden": False}  # fmt: skip
                if pid in external:
                    person["external_id"] = external[pid]
            values = {m: float(record[m]) for m in measures}
            ranks = {m: int(record[f"rank_{m}"]) for m in measures}
            rows.append({"person": person, "values": values, "ranks": ranks,
                         "reasons": _reasons(values, ranks, total)})  # fmt: skip
        return rows

    # -- influence against volume -------------------------------------------------------

    def hidden_hubs(
        self,
        viewer: Viewer | None = None,
        *,
        structure: str = STRUCTURE,
        volume: str = "degree",
        top: int = 10,
    ) -> dict[str, Any]:
        """People whose ``structure`` rank is far above their ``volume`` rank, with
        reasons, and the employees with reach into target accounts nobody else has."""
        wanted = tuple(dict.fromkeys(("degree", "followers", "pagerank", "betweenness",
                                      "bridge_score", structure, volume)))  # fmt: skip
        frame, notes = self.measures(viewer, wanted)
        cm = self.maps.map(viewer)
        hubs = hidden_hubs(frame, structure=structure, volume=volume, top=top)
        rows = self._label(cm, hubs, wanted)
        for row, gap in zip(rows, hubs["gap"].tolist(), strict=True):
            row["gap"] = round(float(gap), 3)
            row["reasons"].insert(0, f"{structure} rank {row['ranks'][structure]:,} against "
                                     f"{volume} rank {row['ranks'][volume]:,}")  # fmt: skip
        reach = unique_reach(cm).head(top)
        with self.maps.store.read() as conn:
            labels = person_labels(conn, [int(cm.snap.person_id[n]) for n in reach["node"]])
        ambassadors = []
        for r in reach.to_dict("records"):
            pid = int(cm.snap.person_id[int(r["node"])])
            label = labels.get(pid)
            ambassadors.append({
                "person": {"id": pid, "name": label.name if label else f"person {pid}",
                           "department": label.department if label else None},
                "unique_accounts": int(r["unique_accounts"]),
                "unique_contacts": int(r["unique_contacts"]),
                "target_contacts": int(r["target_contacts"]),
            })  # fmt: skip
        return {
            "structure": structure,
            "volume": volume,
            "network": notes,
            "hidden_hubs": rows,
            "ambassadors": ambassadors,
        }

    # -- communities ------------------------------------------------------------------------

    def communities(
        self,
        viewer: Viewer | None = None,
        *,
        method: str = DEFAULT_METHOD,
        resolution: float = 1.0,
        seed: int = 1,
    ) -> Communities:
        cm = self.maps.map(viewer)
        net = self.network(viewer)
        key = ("influence.communities", method, float(resolution), int(seed))
        found: Communities = self._cached(
            cm, key, lambda: detect(net, method, resolution=resolution, seed=seed)
        )
        return found

    def community_report(
        self,
        viewer: Viewer | None = None,
        *,
        method: str = DEFAULT_METHOD,
        resolution: float = 1.0,
        seed: int = 1,
        top: int = 5,
        members: bool = False,
    ) -> dict[str, Any]:
        """Communities in words (top organisations, industries, title words), how they
        connect, and optionally every named person's community."""
        cm = self.maps.map(viewer)
        snap = cm.snap
        net = self.network(viewer)
        found = self.communities(viewer, method=method, resolution=resolution, seed=seed)
        org_names = self.maps._org_names(cm)
        groups = []
        membership = found.membership
        for c in range(found.count):
            nodes = net.nodes[membership == c]
            orgs = Counter(int(o) for o in snap.org[nodes] if o >= 0)
            industries = Counter(snap.industries[i] for i in snap.industry[nodes] if i >= 0)
            words = Counter(
                w for p in snap.position[nodes] if p >= 0
                for w in snap.positions[p].lower().replace(",", " ").split()
                if len(w) > 2 and w not in _TITLE_STOP
            )  # fmt: skip
            top_ids = [int(snap.org_id[o]) for o, _n in orgs.most_common(top)]
            top_orgs = [org_names[o].name if o in org_names else str(o) for o in top_ids]
            label = ", ".join([*top_orgs[:2], *[w for w, _n in words.most_common(2)]])
            groups.append({
                "community": c, "size": len(nodes),
                "employees": int(np.sum(snap.consent[nodes] >= 0)),
                "label": label or f"community {c}",
                "organisations": top_orgs,
                "industries": [i for i, _n in industries.most_common(top)],
                "title_words": [w for w, _n in words.most_common(top)],
            })  # fmt: skip
        links = community_graph(net, found)
        out: dict[str, Any] = {
            "method": found.method, "resolution": found.resolution, "seed": found.seed,
            "modularity": round(found.modularity, 4), "count": found.count,
            "people": net.n, "communities": groups,
            "links": [{"a": int(a), "b": int(b), "ties": int(t), "strength": round(float(s), 3)}
                      for (a, b), t, s in zip(links["pairs"], links["ties"], links["strength"],
                                              strict=True)],
        }  # fmt: skip
        if members:
            named = np.asarray(cm.node_detailed)[net.nodes]
            ids = [int(p) for p in snap.person_id[net.nodes[named]]]
            with self.maps.store.read() as conn:
                external = external_ids(conn, ids)
            out["members"] = [
                {"id": pid, **({"external_id": external[pid]} if pid in external else {}),
                 "community": int(c)}
                for pid, c in zip(ids, membership[named].tolist(), strict=True)
            ]  # fmt: skip
            out["members_hidden"] = int(np.sum(~named))
        return out


def _reasons(values: dict[str, float], ranks: dict[str, int], total: int) -> list[str]:
    """Why a person ranks where they do, in words, most telling first."""
    out = []
    if "pagerank" in ranks:
        out.append(f"PageRank {ranks['pagerank']:,} of {total:,}")
    if "betweenness" in ranks and values["betweenness"] > 0:
        out.append(f"on {values['betweenness']:.2%} of shortest paths "
                   f"(betweenness {ranks['betweenness']:,} of {total:,})")  # fmt: skip
    if "coreness" in values:
        out.append(f"in the {int(values['coreness'])}-core")
    if "degree" in values:
        out.append(f"{int(values['degree']):,} ties (degree {ranks['degree']:,} of {total:,})")
    if "followers" in values and values.get("followers") != values.get("degree"):
        out.append(f"{int(values['followers']):,} followers")
    if values.get("communities_reached", 0) > 1:
        out.append(f"ties into {int(values['communities_reached'])} communities "
                   f"(participation {values.get('participation', 0):.2f})")  # fmt: skip
    return out
