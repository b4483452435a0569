// The community map: each community a circle sized by its people, linked by the ties
// between communities (thicker: stronger), laid out by ForceAtlas2 and drawn by sigma.js.
// Labels are drawn on a canvas and the hover line uses textContent: names stay text.
// A click on a community shows its row of the table below.
(function () {
  "use strict";
  const lib = window.TejidoGraph;
  const page = JSON.parse(document.getElementById("community-data").textContent);
  const T = page.texts;
  const container = document.getElementById("community-map");
  const hover = document.getElementById("community-hover");
  const status = document.getElementById("community-status");
  const PALETTE = ["#2f6fb0", "#e8833a", "#3ebd93", "#e12d39", "#9446ed", "#f0b429",
                   "#0c6b58", "#d64ba1", "#5e8c31", "#8a5a44", "#17a2b8", "#486581"];

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, (all, key) => (key in values ? String(values[key]) : all));
  }
  function number(n) {
    return Number(n).toLocaleString(document.documentElement.lang || "en");
  }

  const graph = new lib.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  const biggest = Math.max(1, ...page.communities.map((c) => c.size));
  const strongest = Math.max(1e-9, ...page.links.map((l) => l.strength));
  const count = page.communities.length;
  page.communities.forEach((c, i) => {
    const angle = (2 * Math.PI * i) / Math.max(count, 1);
    graph.addNode(String(c.id), {
      x: 100 * Math.cos(angle), y: 100 * Math.sin(angle),
      size: 5 + 25 * Math.sqrt(c.size / biggest),
      label: c.label, color: PALETTE[i % PALETTE.length],
      people: c.size, employees: c.employees,
    });
  });
  for (const l of page.links) {
    const a = String(l.a), b = String(l.b);
    if (a === b || !graph.hasNode(a) || !graph.hasNode(b)) continue;
    graph.mergeEdge(a, b, { weight: l.strength, ties: l.ties,
                            size: 0.5 + 6 * (l.strength / strongest), color: "#cfd6e0" });
  }
  if (graph.order > 2 && graph.size > 0) {
    const settings = lib.forceAtlas2.inferSettings(graph);
    settings.scalingRatio = 20;
    settings.edgeWeightInfluence = 1;
    lib.forceAtlas2.assign(graph, { iterations: 300, settings: settings, getEdgeWeight: "weight" });
  }
  const sigma = new lib.Sigma(graph, container, {
    renderEdgeLabels: false, labelDensity: 1, labelRenderedSizeThreshold: 4,
    labelFont: "system-ui, sans-serif", zIndex: true,
  });
  sigma.on("enterNode", (e) => {
    const a = graph.getNodeAttributes(e.node);
    hover.textContent = a.label + " · " + fill(T.people, { count: number(a.people),
                                                          employees: number(a.employees) });
    container.style.cursor = "pointer";
  });
  sigma.on("leaveNode", () => {
    hover.textContent = "";
    container.style.cursor = "default";
  });
  sigma.on("enterEdge", (e) => {
    hover.textContent = fill(T.ties, { count: number(graph.getEdgeAttribute(e.edge, "ties")) });
  });
  sigma.on("clickNode", (e) => {
    const row = document.getElementById("community-" + e.node);
    if (row) {
      window.location.hash = "community-" + e.node;
      row.classList.add("chosen");
    }
  });
  status.textContent = fill(T.ready, { count: number(graph.order), links: number(graph.size) });
  container.dataset.nodes = String(graph.order);
  container.dataset.state = "ready";
  window.tejidoCommunities = { sigma: sigma, graph: graph };
})();
