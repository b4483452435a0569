"""The contact map in a real browser: drawn with WebGL, laid out, and a click on a node
opens that person's or organisation's page; names stay text."""

from __future__ import annotations

import re
from typing import Any

SCRIPT_NAME = "<script>alert(1)</script>"

# A node of the wanted kind, inside the view and clear of every other node, in viewport
# pixels (relative to the map's container), as sigma draws it now.
PICK = """(pattern) => {
  const { sigma, graph } = window.tejidoMap;
  const { width, height } = sigma.getDimensions();
  const ratio = sigma.getCamera().getState().ratio;
  const points = [];
  graph.forEachNode((node, attrs) => {
    const p = sigma.graphToViewport({ x: attrs.x, y: attrs.y });
    const size = sigma.scaleSize(sigma.getNodeDisplayData(node).size, ratio);
    points.push({ node: node, x: p.x, y: p.y, size: size });
  });
  const wanted = new RegExp(pattern);
  const inside = points.filter((p) => wanted.test(p.node) && p.x > 30 && p.y > 30 &&
                                      p.x < width - 30 && p.y < height - 30);
  inside.sort((a, b) => b.size - a.size);
  for (const p of inside) {
    const clear = points.every((q) => q === p ||
      Math.hypot(q.x - p.x, q.y - p.y) > p.size + q.size + 4);
    if (clear) return p;
  }
  return null;
}"""


def _ready(page: Any) -> int:
    page.wait_for_selector("#map[data-state=ready]", timeout=60_000)
    return int(page.get_attribute("#map", "data-nodes"))


def _click_node(page: Any, pattern: str) -> str:
    target = page.evaluate(PICK, pattern)
    assert target is not None, f"no clear node matching {pattern} in view"
    box = page.locator("#map").bounding_box()
    x, y = box["x"] + target["x"], box["y"] + target["y"]
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    return str(target["node"])


def test_the_map_draws_people_and_a_click_opens_their_page(
    page: Any, live: Any, shoot: Any
) -> None:
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    live.sign_in(page)
    page.click("header >> text=Map")
    page.wait_for_url(f"{live.url}/map")
    drawn = _ready(page)
    assert drawn > 100
    assert page.locator("#map canvas").count() >= 2  # sigma's WebGL layers and labels
    assert page.locator("#map-legend li").count() >= 3
    assert re.search(r"[\d,]+ of [\d,]+ people and [\d,]+ of [\d,]+ ties shown",
                     page.inner_text("#map-status"))  # fmt: skip
    shoot(page, "map")

    # Search: a contact whose name is a script tag is found, and shown as text only.
    page.fill("#map-search input[name=q]", "script>alert")
    page.click("#map-search button")
    page.wait_for_function(
        "() => document.getElementById('map-status').textContent.startsWith('Found')"
    )
    assert SCRIPT_NAME in page.inner_text("#map-status")
    page.wait_for_selector("#map[data-state=ready]")
    page.mouse.click(5, 5)  # off the map: the page keeps its focus node; nothing else

    node = _click_node(page, r"^p\d+$")
    page.wait_for_url(f"{live.url}/people/{node[1:]}")
    assert dialogs == [] and errors == []


def test_the_organisations_map_opens_an_organisation(page: Any, live: Any) -> None:
    live.sign_in(page)
    page.goto(f"{live.url}/map?mode=organisations&limit=500&colour=department")
    assert _ready(page) > 5
    assert page.locator("#map-legend h2").inner_text() == "Department"
    node = _click_node(page, r"^o\d+$")
    page.wait_for_url(f"{live.url}/organisations/{node[1:]}")
    assert page.locator("h1").count() == 1
