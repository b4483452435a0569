"""Relation classes: each rule, their priority, and manual corrections."""

from __future__ import annotations

from typing import Any

import pytest
from synthetic import ties

from tejido.contactmap.relations import TIE_RELATIONS, all_classes, relation_classes

ORGS = [(None, True), ("customer", False), ("prospect", False), ("competitor", False),
        ("other", False), (None, False)]  # fmt: skip
OURS, CUSTOMER, PROSPECT, COMPETITOR, CRM_OTHER, PLAIN = range(6)
EMP = {"u_consent": 2}


def classes(*rows: dict[str, Any]) -> list[str | None]:
    snap = ties(list(rows), ORGS)
    return [TIE_RELATIONS[c] if c >= 0 else None for c in relation_classes(snap).tolist()]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({**EMP, "v_consent": 2}, "colleague"),
        ({**EMP, "v_consent": 1, "v_active": False}, "ex_colleague"),
        ({**EMP, "v_org": OURS}, "colleague"),
        ({**EMP, "v_org": CUSTOMER, "shared": 1}, "ex_colleague"),
        ({**EMP, "v_org": CUSTOMER, "shared": 1, "overlap": 30}, "ex_colleague"),
        ({**EMP, "v_org": CUSTOMER, "shared": 1, "overlap": 0}, "customer"),
        ({**EMP, "v_org": PROSPECT, "schools": 1}, "classmate"),
        ({**EMP, "v_org": CUSTOMER}, "customer"),
        ({**EMP, "v_org": PROSPECT}, "prospect"),
        ({**EMP, "v_org": COMPETITOR}, "competitor"),
        ({**EMP, "v_org": CRM_OTHER}, "other"),
        ({**EMP, "v_org": PLAIN}, "other"),
        ({**EMP}, "other"),
        ({"v_org": CUSTOMER}, None),  # two people who are not employees: no class
        ({**EMP, "v_org": CUSTOMER, "override": TIE_RELATIONS.index("partner")}, "partner"),
    ],
)
def test_each_rule(row: dict[str, Any], expected: str | None) -> None:
    assert classes(row) == [expected]


def test_every_class_that_holds_is_kept() -> None:
    snap = ties([{**EMP, "v_org": COMPETITOR, "shared": 1, "schools": 1}], ORGS)
    bits = int(all_classes(snap)[0])
    held = [name for i, name in enumerate(TIE_RELATIONS) if bits & (1 << i)]
    assert held == ["ex_colleague", "classmate", "competitor"]
