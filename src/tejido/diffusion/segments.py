"""Target segments: the people a campaign wants to reach (engineers at customer accounts,
say), as a weight per vertex of the diffusion network (1 in the segment, 0 out of it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from tejido.errors import BadInputError
from tejido.ingest.normalise import fold
from tejido.snapshot.model import ORG_RELATIONS

if TYPE_CHECKING:
    from tejido.contactmap.view import ContactMap
    from tejido.diffusion.network import Arcs

__all__ = ["segment_weights"]


def segment_weights(
    cm: ContactMap,
    net: Arcs,
    *,
    relation: str | None = None,
    industry: str | None = None,
    country: str | None = None,
    title: str | None = None,
) -> NDArray[np.float64]:
    """1 for the people of ``net`` in the segment, 0 for the rest. ``relation``: what
    their organisation is to us (customer, prospect, partner, supplier, competitor);
    ``industry`` and ``title``: words their organisation's industry (or their own) and
    their job title contain (accents and case ignored); ``country``: ISO code. Employees
    are never in a segment: a campaign reaches outside."""
    snap = cm.snap
    nodes = net.nodes
    keep = snap.consent[nodes] < 0
    if relation is not None:
        if relation not in ORG_RELATIONS:
            raise BadInputError(f"no relation {relation!r}; known: {', '.join(ORG_RELATIONS)}",
                                field="relation")  # fmt: skip
        code = ORG_RELATIONS.index(relation)
        keep &= snap.of_org(snap.org_relation, snap.org[nodes], -1) == code
    if industry is not None:
        wanted = fold(industry)
        names = np.array([wanted in fold(i) for i in snap.industries] + [False])
        own = np.asarray(snap.industry)[nodes]
        orgs = snap.of_org(snap.org_industry, snap.org[nodes], -1)
        keep &= names[np.where(own >= 0, own, orgs)]
    if country is not None:
        codes = [c.upper() for c in snap.countries]
        if country.upper() not in codes:
            raise BadInputError(f"nobody in country {country!r}", field="country")
        keep &= np.asarray(snap.country)[nodes] == codes.index(country.upper())
    if title is not None:
        wanted = fold(title)
        titled = np.array([wanted in fold(p) for p in snap.positions] + [False])
        keep &= titled[np.asarray(snap.position)[nodes]]
    return keep.astype(np.float64)
