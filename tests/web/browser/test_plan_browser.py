"""The campaign planner in a real browser: the form sent, the ambassadors listed, the three
ways to post compared, and reach over the week drawn."""

from __future__ import annotations

import re
from typing import Any


def test_plan_a_campaign(page: Any, live: Any, shoot: Any) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    live.sign_in(page)
    page.click("header >> text=Plan")
    page.wait_for_url(f"{live.url}/plan")
    assert page.locator("#plan-forecast").count() == 0  # nothing computed before asking
    page.fill("input[name=k]", "3")
    page.select_option("select[name=relation]", "customer")
    page.click("#plan-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/plan\?k=3&relation=customer.*"))
    page.wait_for_selector("#plan-ambassadors li")
    assert page.locator("#plan-ambassadors li").count() == 3
    rows = page.locator("#plan-forecast tbody tr")
    assert rows.count() == 3
    assert "corporate account alone" in page.inner_text("#plan-forecast").lower()
    assert page.locator("#plan-growth polyline").count() == 3
    points = page.get_attribute("#plan-growth polyline.line-ambassadors", "points")
    assert len(points.split()) == 9  # the hours 1, 2, 4, 8, 12, 24, 48, 72 and 168
    shoot(page, "plan")
    assert errors == []
