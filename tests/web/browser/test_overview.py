"""The overview in a real browser: its charts draw, and nothing breaks the page's CSP."""

from __future__ import annotations

from typing import Any


def test_overview_draws_its_charts(page: Any, live: Any, shoot: Any) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live.url}/login")
    page.fill("input[name=email]", "analyst@tejido-demo.example")
    page.fill("input[name=password]", live.password)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{live.url}/")
    assert page.locator("canvas").count() == 4
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('canvas')].map(c => !!window.Chart.getChart(c))"
    )
    assert drawn == [True, True, True, True]
    relation = page.locator("#chart-relation").evaluate("c => window.Chart.getChart(c).data.labels")
    assert "customer" in relation and "colleague" not in relation[:0]
    assert not problems, problems
    shoot(page, "overview")
