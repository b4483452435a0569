"""The contact map: company-centred degrees, relation classes, tie strength, account
coverage, warm-introduction paths and prospecting, on snapshots of the store."""

from tejido.contactmap.relations import TIE_RELATIONS, relation_classes
from tejido.contactmap.service import ContactMapService
from tejido.contactmap.tie_strength import StrengthWeights
from tejido.contactmap.view import ContactMap, Viewer

__all__ = [
    "TIE_RELATIONS",
    "ContactMap",
    "ContactMapService",
    "StrengthWeights",
    "Viewer",
    "relation_classes",
]
