"""Influence: who really carries it in a network, beside who merely has volume.

Centralities (degree and followers beside PageRank, eigenvector, coreness, betweenness),
communities (Leiden, Louvain, label propagation, Infomap) and bridges (participation,
communities reached, Burt's constraint and effective size) and topics (TF-IDF + NMF, and
topic-sensitive PageRank), on a viewer's network.

Names are imported on first use, so that ``import tejido`` loads neither igraph nor
networkit nor numba.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tejido._lazy import lazy_attributes

if TYPE_CHECKING:
    from tejido.influence.bridges import bridges
    from tejido.influence.centrality import MEASURES, betweenness, pagerank
    from tejido.influence.communities import METHODS, Communities, detect
    from tejido.influence.graph import Network, network
    from tejido.influence.service import InfluenceService
    from tejido.influence.topics import Topics, person_topics, topic_pagerank

__all__ = [
    "MEASURES",
    "METHODS",
    "Communities",
    "InfluenceService",
    "Network",
    "Topics",
    "betweenness",
    "bridges",
    "detect",
    "network",
    "pagerank",
    "person_topics",
    "topic_pagerank",
]

_WHERE = {
    "bridges": "bridges",
    "MEASURES": "centrality",
    "betweenness": "centrality",
    "pagerank": "centrality",
    "METHODS": "communities",
    "Communities": "communities",
    "detect": "communities",
    "Network": "graph",
    "network": "graph",
    "InfluenceService": "service",
    "Topics": "topics",
    "person_topics": "topics",
    "topic_pagerank": "topics",
}


__getattr__ = lazy_attributes(__name__, _WHERE)
