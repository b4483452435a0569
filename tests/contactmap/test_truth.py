"""The contact map against the demo's ground truth: relation classes, tie strength, and
the warm paths the generator planted (each must be in the top 3)."""

from __future__ import annotations

import json

import pytest

from tejido.contactmap.validate import ContactMapReport
from tejido.workspace import Workspace


@pytest.fixture(scope="module")
def report(demo_map: Workspace) -> ContactMapReport:
    result = demo_map.contact_report()
    print(json.dumps(result.to_dict(), indent=1))  # the figures, with -s
    return result


def test_relation_classes_agree_with_the_truth(report: ContactMapReport) -> None:
    assert report.ties_scored > 5000
    assert report.accuracy >= 0.98
    for name, score in report.classes.items():
        if score["truth"] < 30:
            continue
        assert score["precision"] >= 0.95, (name, score)
        assert score["recall"] >= 0.9, (name, score)


def test_classmates_are_not_claimed_without_evidence(report: ContactMapReport) -> None:
    """No file says where a contact studied: the map must not guess classmates."""
    found = report.raw_classes.get("classmate", {}).get("found", 0)
    assert found == 0


def test_strength_ranks_ties_like_the_truth(report: ContactMapReport) -> None:
    assert report.strength_spearman > 0.3
    assert report.strength_spearman_messaged > 0.4


def test_every_planted_warm_path_is_in_the_top_three(report: ContactMapReport) -> None:
    assert len(report.planted) >= 3
    for planted in report.planted:
        assert planted["rank"] is not None and planted["rank"] <= 3, planted
        assert planted["rank_from_requester"] is not None, planted
        assert planted["rank_from_requester"] <= 3, planted
