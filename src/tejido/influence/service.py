"""Influence as every interface asks for it: measures side by side with ranks and reasons,
and communities in words, for one viewer (consent decides who is named)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tejido.contactmap.lookup import external_ids, person_labels, upload_owners
from tejido.errors import BadInputError, NotFoundError
from tejido.influence import centrality
from tejido.influence.bridges import bridges
from tejido.influence.communities import DEFAULT_METHOD, Communities, community_graph, detect
from tejido.influence.consent import row_levels
from tejido.influence.engagement import COLUMNS as ENGAGEMENT_COLUMNS
from tejido.influence.engagement import REPLY_WINDOW_DAYS, engagement, interaction_rows
from tejido.influence.graph import Network, network
from tejido.influence.hidden import STRUCTURE, hidden_hubs, unique_reach, whole_networks
from tejido.influence.suspicious import (
    THRESHOLD,
    WEIGHTS,
    account_profiles,
    follow_rows,
    score_accounts,
)
from tejido.influence.topics import (
    Topics,
    fit_topics,
    industry_topics,
    our_names,
    person_texts,
    topic_pagerank,
)
from tejido.ingest.normalise import fold

if TYPE_CHECKING:
    from tejido.contactmap.service import ContactMapService
    from tejido.contactmap.view import ContactMap, Viewer

__all__ = ["ALL_MEASURES", "BRIDGE_MEASURES", "TOPIC_SOURCES", "InfluenceService"]

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


# Measures in words, for reasons.
_NAMES = {"bridge_score": "bridging", "degree": "ties", "followers": "followers",
          "pagerank": "PageRank", "betweenness": "betweenness", "eigenvector": "eigenvector",
          "coreness": "coreness", "participation": "participation",
          "communities_reached": "communities reached", "constraint": "looseness",
          "effective_size": "effective size"}  # fmt: skip


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
        reasons, and the employees with reach into target accounts nobody else has.

        Ranks are among the people whose whole network is in the data (whose volume is
        known: see ``whole_networks``); betweenness is computed only on networks small
        enough for the exact value, or when asked for by name.
        """
        net = self.network(viewer)
        wanted: tuple[str, ...] = ("degree", "followers", "pagerank", "bridge_score",
                                   "communities_reached")  # fmt: skip
        if net.n <= centrality.EXACT_BETWEENNESS:
            wanted = (*wanted, "betweenness")
        wanted = tuple(dict.fromkeys((*wanted, structure, volume)))
        frame, notes = self.measures(viewer, wanted)
        cm = self.maps.map(viewer)
        with self.maps.store.read() as conn:
            owners = upload_owners(conn)
        known = whole_networks(cm, frame["node"].to_numpy(), owners)
        if known.sum() < 2:  # nobody's volume is known: compare everyone
            known = np.ones(len(frame), dtype=bool)
        notes["compared"] = int(known.sum())
        hubs = hidden_hubs(frame[known], structure=structure, volume=volume, top=top)
        rows = self._label(cm, hubs, wanted)
        for row, rec in zip(rows, hubs.to_dict("records"), strict=True):
            row["gap"] = round(float(rec["gap"]), 3)
            row["reasons"].insert(0, (
                f"{_NAMES.get(structure, structure)} above {rec['structure_pct']:.0%} of "
                f"the {int(known.sum()):,} people compared, {_NAMES.get(volume, volume)} above "
                f"only {rec['volume_pct']:.0%}"))  # fmt: skip
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

    # -- one person -----------------------------------------------------------------------

    def profile(self, viewer: Viewer | None, person_id: int) -> dict[str, Any]:
        """One person's influence: every measure with its rank and percentile, their
        community (in words) and how many they reach, engagement, whether they are a
        hidden hub, and an account's suspicion score. Only for people this viewer may see
        named (``NotFoundError`` otherwise, as for anyone not in the map)."""
        cm = self.maps.map(viewer)
        node = int(cm.snap.index_of([person_id])[0])
        accounts = self.suspicious_frame(viewer)
        row_s = accounts[accounts["node"] == node]
        # An account only one-way follows name is no tie's end: its follows say who it is.
        followed = bool(len(row_s)) and bool(row_s.iloc[0]["named"])
        if node < 0 or not (bool(cm.node_detailed[node]) or followed):
            raise NotFoundError(f"person {person_id} is not in the contact map")
        net = self.network(viewer)
        frame, notes = self.measures(viewer, self._profile_measures(net))
        at = np.flatnonzero(frame["node"].to_numpy() == node)
        with self.maps.store.read() as conn:
            label = person_labels(conn, [person_id]).get(person_id)
        out: dict[str, Any] = {
            "person": {"id": person_id, "name": label.name if label else f"person {person_id}",
                       "position": label.position if label else None,
                       "is_employee": bool(cm.snap.consent[node] >= 0)},
            "network": notes, "in_network": bool(at.size),
        }  # fmt: skip
        if at.size:
            row = frame.iloc[int(at[0])]
            measures = [m for m in ALL_MEASURES if m in frame.columns]
            out["measures"] = [
                {"measure": m, "value": _plain(row[m]), "rank": int(row[f"rank_{m}"]),
                 "percentile": round(float((frame[f"rank_{m}"] >= row[f"rank_{m}"]).mean()), 4)}
                for m in measures
            ]  # fmt: skip
            values = {m: float(row[m]) for m in measures}
            ranks = {m: int(row[f"rank_{m}"]) for m in measures}
            out["reasons"] = _reasons(values, ranks, net.n)
            out["community"] = self._community_of(viewer, int(at[0]))
            hubs = self.hidden_hubs(viewer, top=10)
            out["hidden_hub"] = next((h for h in hubs["hidden_hubs"]
                                      if h["person"].get("id") == person_id), None)  # fmt: skip
        engaged = self.engagement_frame(viewer)
        row_e = engaged[engaged["node"] == node]
        out["engagement"] = ({k: _plain(v) for k, v in row_e.iloc[0].items() if k != "node"}
                             if len(row_e) else None)  # fmt: skip
        out["suspicious"] = (
            {"score": round(float(row_s.iloc[0]["score"]), 3),
             "suspicious": bool(row_s.iloc[0]["suspicious"]),
             "signs": [k for k in WEIGHTS if bool(row_s.iloc[0][f"sign_{k}"])],
             "reasons": list(row_s.iloc[0]["reasons"])} if len(row_s) else None
        )  # fmt: skip
        return out

    def _profile_measures(self, net: Network) -> tuple[str, ...]:
        if net.n > centrality.EXACT_BETWEENNESS:
            return tuple(m for m in ALL_MEASURES if m != "betweenness")
        return ALL_MEASURES

    def _community_of(self, viewer: Viewer | None, vertex: int) -> dict[str, Any]:
        report = self.community_report(viewer)
        found = self.communities(viewer)
        c = int(found.membership[vertex])
        group = report["communities"][c]
        return {"community": c, "label": group["label"], "size": group["size"],
                "count": report["count"]}  # fmt: skip

    # -- topics -----------------------------------------------------------------------------

    def topics(
        self,
        viewer: Viewer | None = None,
        *,
        n_topics: int = 10,
        source: str = "words",
        seed: int = 0,
    ) -> Topics:
        """Topics of people (``source="words"``: learnt from their titles, headlines and
        careers, TF-IDF + NMF; ``"industry"``: one per industry), from the people this
        viewer may see named only (kept with the viewer's map)."""
        if source not in TOPIC_SOURCES:
            raise BadInputError(f"no topic source {source!r}; known: "
                                f"{', '.join(TOPIC_SOURCES)}", field="by")  # fmt: skip
        cm = self.maps.map(viewer)

        def make() -> Topics:
            if source == "industry":
                return industry_topics(cm.snap)
            texts = person_texts(self.maps.store, cm.snap)
            named = np.asarray(cm.node_detailed)
            texts = [t if ok else "" for t, ok in zip(texts, named, strict=True)]
            return fit_topics(texts, n_topics=n_topics, stop_words=our_names(self.maps.store),
                              seed=seed)  # fmt: skip

        found: Topics = self._cached(cm, ("influence.topics", source, n_topics, seed), make)
        return found

    def topic_report(
        self,
        viewer: Viewer | None = None,
        *,
        n_topics: int = 10,
        source: str = "words",
        topic: str | int | None = None,
        top: int = 20,
        seed: int = 0,
    ) -> dict[str, Any]:
        """The topics (label, words, people), and with ``topic`` (its number, or a word of
        its label) the hubs of that topic: topic-sensitive PageRank, beside each one's
        overall PageRank rank."""
        found = self.topics(viewer, n_topics=n_topics, source=source, seed=seed)
        out: dict[str, Any] = {
            "source": source,
            "topics": [{"topic": k, "label": found.labels[k], "terms": found.terms[k],
                        "people": int(found.sizes[k])} for k in range(found.n_topics)],
        }  # fmt: skip
        if topic is None:
            return out
        k = _topic_index(found, topic)
        cm = self.maps.map(viewer)
        net = self.network(viewer)
        ranks = self._cached(cm, ("influence.topic_pagerank", source, n_topics, seed, k),
                             lambda: topic_pagerank(net, found.of_vertices(net), k))  # fmt: skip
        frame, _notes = self.measures(viewer, ("pagerank",))
        frame["topic_pagerank"] = ranks
        frame["rank_topic_pagerank"] = (
            frame["topic_pagerank"].rank(ascending=False, method="min").astype(np.int64)
        )
        head = frame.sort_values(["rank_topic_pagerank", "node"]).head(max(top, 0))
        rows = self._label(cm, head, ("topic_pagerank", "pagerank"))
        for row in rows:
            row["reasons"] = [
                f"hub of {found.labels[k]}: {row['ranks']['topic_pagerank']:,} here, "
                f"{row['ranks']['pagerank']:,} overall (of {net.n:,})"
            ]
        out["topic"] = {"topic": k, "label": found.labels[k], "people": rows}
        return out

    # -- engagement ---------------------------------------------------------------------

    def engagement_frame(self, viewer: Viewer | None = None) -> pd.DataFrame:
        """Per person: messages sent, people reached, replies, responders
        (``engagement.engagement``), as this viewer may see the interactions."""
        cm = self.maps.map(viewer)

        def make() -> pd.DataFrame:
            with self.maps.store.read() as conn:
                rows = interaction_rows(conn)
            return engagement(cm, rows)

        frame: pd.DataFrame = self._cached(cm, ("influence.engagement",), make)
        return frame

    def engagement(self, viewer: Viewer | None = None, *, top: int = 50) -> dict[str, Any]:
        """The ``top`` people by responders (how many different people answered or
        responded to them), with volume (messages sent) beside it and the reasons."""
        cm = self.maps.map(viewer)
        frame = self.engagement_frame(viewer)
        frame = frame.assign(
            rank_responders=frame["responders"].rank(ascending=False, method="min"),
            rank_sent=frame["sent"].rank(ascending=False, method="min"),
        )
        head = frame.head(max(top, 0))
        nodes = head["node"].to_numpy(dtype=np.int64)
        named = np.asarray(cm.node_detailed)[nodes]
        ids = [int(cm.snap.person_id[n]) for n, ok in zip(nodes, named, strict=True) if ok]
        with self.maps.store.read() as conn:
            labels = person_labels(conn, ids)
        people = []
        for r, ok in zip(head.to_dict("records"), named, strict=True):
            pid = int(cm.snap.person_id[int(r["node"])])
            label = labels.get(pid)
            person: dict[str, Any] = {"hidden": True}
            if ok:
                person = {"id": pid, "name": label.name if label else f"person {pid}",
                          "is_employee": bool(cm.snap.consent[int(r["node"])] >= 0),
                          "hidden": False}  # fmt: skip
            values = {k: _plain(r[k]) for k in ENGAGEMENT_COLUMNS}
            people.append({"person": person, "values": values,
                           "ranks": {"responders": int(r["rank_responders"]),
                                     "sent": int(r["rank_sent"])},
                           "reasons": _engagement_reasons(values, len(frame))})  # fmt: skip
        return {"people": people, "scored": len(frame), "reply_window_days": REPLY_WINDOW_DAYS}

    # -- suspicious accounts ------------------------------------------------------------

    def suspicious_frame(self, viewer: Viewer | None = None) -> pd.DataFrame:
        """Every account outside the company in the X follows this viewer may see, with
        its features, score and reasons (``suspicious.score_accounts``)."""
        cm = self.maps.map(viewer)

        def make() -> pd.DataFrame:
            with self.maps.store.read() as conn:
                follows = follow_rows(conn)
                ids = np.unique(follows[["source_id", "target_id"]].to_numpy())
                profiles = account_profiles(conn, ids)
            return score_accounts(cm, follows, profiles)

        frame: pd.DataFrame = self._cached(cm, ("influence.suspicious",), make)
        return frame

    def suspicious(
        self, viewer: Viewer | None = None, *, top: int = 50, everyone: bool = False
    ) -> dict[str, Any]:
        """The most suspicious accounts (score at or above ``THRESHOLD``, or every scored
        account with ``everyone``), with reasons, and for each employee with followers in
        the data how many of them look bought."""
        cm = self.maps.map(viewer)
        frame = self.suspicious_frame(viewer)
        listed = frame if everyone else frame[frame["suspicious"]]
        accounts = []
        for r in listed.head(max(top, 0)).to_dict("records"):
            ok = bool(r["named"])
            who: dict[str, Any] = {"hidden": True}
            if ok:
                who = {"id": int(r["person_id"]), "x_id": r["x_id"], "hidden": False}
            accounts.append({
                "account": who, "score": round(float(r["score"]), 3),
                "suspicious": bool(r["suspicious"]),
                "features": {k: _plain(r[k]) for k in _FEATURES},
                "reasons": list(r["reasons"]),
            })  # fmt: skip
        return {
            "threshold": THRESHOLD,
            "weights": dict(WEIGHTS),
            "scored": len(frame),
            "suspicious": int(frame["suspicious"].sum()) if len(frame) else 0,
            "accounts": accounts,
            "employees": self._cached(
                cm, ("influence.bought_by",), lambda: self._bought_by(cm, frame)
            ),
        }

    def _bought_by(self, cm: ContactMap, frame: pd.DataFrame) -> list[dict[str, Any]]:
        """Per employee with followers in the data: how many, and how many suspicious."""
        if not len(frame):
            return []
        with self.maps.store.read() as conn:
            follows = follow_rows(conn)
        snap = cm.snap
        src = snap.index_of(follows["source_id"].to_numpy())
        dst = snap.index_of(follows["target_id"].to_numpy())
        score = pd.Series(frame["suspicious"].to_numpy(), index=frame["node"].to_numpy())
        usable, _named = row_levels(cm, follows["owner_id"].to_numpy(), src, dst)
        keep = usable & (dst >= 0) & np.isin(src, frame["node"].to_numpy())
        keep &= snap.consent[np.maximum(dst, 0)] >= 0
        pairs = pd.DataFrame({"employee": dst[keep], "account": src[keep]}).drop_duplicates()
        pairs["bad"] = score.reindex(pairs["account"]).to_numpy()
        table = pairs.groupby("employee")["bad"].agg(["size", "sum"]).reset_index()
        table = table.sort_values(["sum", "employee"], ascending=[False, True])
        ids = [int(snap.person_id[e]) for e in table["employee"]]
        with self.maps.store.read() as conn:
            labels = person_labels(conn, ids)
        out = []
        for pid, (size, bad) in zip(ids, zip(table["size"], table["sum"], strict=True),
                                    strict=True):  # fmt: skip
            label = labels.get(pid)
            out.append({"person": {"id": pid, "name": label.name if label else f"person {pid}"},
                        "followers_scored": int(size), "suspicious": int(bad),
                        "share": round(float(bad) / max(int(size), 1), 3)})  # fmt: skip
        return out

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
        connect, and optionally every named person's community (kept with the viewer's
        map without members)."""
        if members:
            return self._community_report(viewer, method, resolution, seed, top, members)
        key = ("influence.community_report", method, float(resolution), int(seed), int(top))
        report: dict[str, Any] = self._cached(
            self.maps.map(viewer), key,
            lambda: self._community_report(viewer, method, resolution, seed, top, False),
        )  # fmt: skip
        return report

    def _community_report(
        self,
        viewer: Viewer | None,
        method: str,
        resolution: float,
        seed: int,
        top: int,
        members: bool,
    ) -> dict[str, Any]:
        cm = self.maps.map(viewer)
        snap = cm.snap
        net = self.network(viewer)
        found = self.communities(viewer, method=method, resolution=resolution, seed=seed)
        org_names = self.maps._org_names(cm)
        groups = []
        membership = found.membership
        for c in range(found.count):
            nodes = net.nodes[membership == c]
            # Our own company names no community: everyone works there.
            ours = np.asarray(snap.org_is_ours)
            orgs = Counter(int(o) for o in snap.org[nodes] if o >= 0 and not ours[o])
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


TOPIC_SOURCES = ("words", "industry")


def _topic_index(found: Topics, topic: str | int) -> int:
    """A topic by its number, or by a word of its label or top words (folded)."""
    text = str(topic).strip()
    if text.isdigit() and int(text) < found.n_topics:
        return int(text)
    wanted = fold(text)
    for k in range(found.n_topics):
        if wanted and any(wanted == fold(w) for w in [found.labels[k], *found.terms[k]]):
            return k
    for k in range(found.n_topics):
        if wanted and wanted in fold(found.labels[k]):
            return k
    raise BadInputError(f"no topic {topic!r}; topics: "
                        f"{'; '.join(found.labels) or 'none'}", field="topic")  # fmt: skip


_FEATURES = ("follows", "followers", "reciprocity", "clustering", "burst", "block",
             "empty_profile", "duplicate_name", "created_at")  # fmt: skip


def _plain(value: Any) -> Any:
    """A feature value for JSON: NaN as None, NumPy scalars as Python ones."""
    if isinstance(value, float | np.floating) and np.isnan(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _engagement_reasons(values: dict[str, Any], total: int) -> list[str]:
    out = [f"{values['responders']:,} people replied or responded to them"]
    if values["sent"]:
        rate = values["reply_rate"] or 0.0
        out.append(f"{values['answered']:,} of {values['sent']:,} messages answered ({rate:.0%})")
    if values["median_reply_hours"] is not None:
        out.append(f"first reply after {values['median_reply_hours']:.1f} h (median)")
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
