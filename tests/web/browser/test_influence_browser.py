"""The influence pages in a real browser: the measure picker re-ranks the leaderboard, the
community map is drawn, and a click on a community shows its row."""

from __future__ import annotations

import re
from typing import Any

# The biggest community's circle, in viewport pixels relative to the map's container.
BIGGEST = """() => {
  const { sigma, graph } = window.tejidoCommunities;
  let best = null;
  graph.forEachNode((node, attrs) => {
    if (best === null || attrs.people > best.people) best = { node: node, people: attrs.people,
                                                              x: attrs.x, y: attrs.y };
  });
  const p = sigma.graphToViewport({ x: best.x, y: best.y });
  return { node: best.node, x: p.x, y: p.y };
}"""


def test_leaderboard_and_community_map(page: Any, live: Any, shoot: Any) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    live.sign_in(page)
    page.click("header >> text=Influence")
    page.wait_for_url(f"{live.url}/influence")
    assert page.locator("#leaderboard tbody tr").count() == 50
    page.select_option("select[name=by]", "coreness")
    page.select_option("select[name=top]", "20")
    page.click("#influence-controls button[type=submit]")
    page.wait_for_url(re.compile(r".*/influence\?by=coreness&top=20&topic=$"))
    assert page.locator("#leaderboard tbody tr").count() == 20
    assert page.inner_text("#leaderboard thead").count("Core (k-core)") == 1
    shoot(page, "influence")
    # The hubs of a topic, picked from the list.
    page.select_option("select[name=topic]", index=1)
    page.click("#influence-controls button[type=submit]")
    page.wait_for_selector("#topic-hubs li")
    assert page.inner_text("#topic-hubs h2").startswith("Hubs of ")
    # A name opens the influence profile.
    page.locator("#leaderboard tbody a").first.click()
    page.wait_for_url(re.compile(r".*/people/\d+/influence$"))
    assert page.locator("#profile-measures tbody tr").count() >= 8

    page.goto(f"{live.url}/communities")
    page.wait_for_selector("#community-map[data-state=ready]", timeout=30_000)
    drawn = int(page.get_attribute("#community-map", "data-nodes"))
    assert drawn == page.locator("#community-table tbody tr").count() > 1
    assert page.locator("#community-map canvas").count() >= 2
    assert re.search(
        r"\d+ communities, \d+ links between them", page.inner_text("#community-status")
    )
    shoot(page, "communities")
    target = page.evaluate(BIGGEST)
    box = page.locator("#community-map").bounding_box()
    page.mouse.move(box["x"] + target["x"], box["y"] + target["y"])
    page.wait_for_function("document.getElementById('community-hover').textContent.length > 0")
    assert "people" in page.inner_text("#community-hover")
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    page.wait_for_url(re.compile(rf".*/communities#community-{target['node']}$"))
    assert errors == []
