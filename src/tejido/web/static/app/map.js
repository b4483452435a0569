// The contact map: the graph /api/map answers (consent already applied by the server),
// drawn by sigma.js with WebGL and laid out by ForceAtlas2 for a bounded time, starting
// from the server's positions. Names only ever reach the page as text: sigma draws labels
// on a canvas, and the legend and the hover line use textContent.
(function () {
  "use strict";
  const lib = window.TejidoGraph;
  const page = JSON.parse(document.getElementById("map-data").textContent);
  const T = page.texts;
  const container = document.getElementById("map");
  const legend = document.getElementById("map-legend");
  const status = document.getElementById("map-status");
  const hover = document.getElementById("map-hover");
  const controls = document.getElementById("map-controls");
  const search = document.getElementById("map-search");

  const PALETTE = ["#2f6fb0", "#e8833a", "#3ebd93", "#e12d39", "#9446ed", "#f0b429",
                   "#0c6b58", "#d64ba1", "#5e8c31", "#8a5a44", "#17a2b8", "#486581"];
  const FIXED = { employee: "#243b53", department: "#243b53", colleague: "#3ebd93",
                  ex_colleague: "#0c6b58", classmate: "#9446ed", customer: "#2f6fb0",
                  prospect: "#f0b429", partner: "#17a2b8", supplier: "#8a5a44",
                  competitor: "#e12d39", other: "#9aa5b1" };
  const OTHER = "#c3cad5";
  const DIM = "#e6e9ee";
  // Opaque colours: blending translucent edges differs between WebGL implementations.
  const EDGE = "#cfd6e0";
  const EDGE_EXISTENCE = "#e1e5eb";
  const EDGE_ACTIVE = "#486581";
  const KIND_DEPARTMENT = 2;
  const SCALE = 100; // server positions are around the unit circle; ForceAtlas2 likes room

  const state = { sigma: null, graph: null, data: null, frame: 0, focus: null, hovered: null,
                  near: null, loading: 0 };

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, (all, key) => (key in values ? String(values[key]) : all));
  }
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function number(n) {
    return Number(n).toLocaleString(document.documentElement.lang || "en");
  }

  // -- colours and legend ------------------------------------------------------------------

  function categories(data, by) {
    const codes = data.nodes[by];
    const counts = new Map();
    for (const code of codes) counts.set(code, (counts.get(code) || 0) + 1);
    const colour = new Map();
    const items = [];
    const add = (code, label, c) => {
      colour.set(code, c);
      items.push({ label: label, colour: c, count: counts.get(code) });
    };
    if (by === "relation") {
      data.keys.relation.forEach((name, code) => {
        if (counts.has(code)) add(code, page.names[name] || name, FIXED[name] || PALETTE[code % PALETTE.length]);
      });
      if (counts.has(-1)) add(-1, data.mode === "people" ? T.no_relation : T.no_crm, OTHER);
    } else if (by === "department") {
      data.keys.department.forEach((name, code) => {
        if (counts.has(code)) add(code, name, PALETTE[code % PALETTE.length]);
      });
      if (counts.has(-1)) add(-1, T.no_department, OTHER);
    } else {
      // Organisations come heaviest first: the first ones get colours, the rest are grey.
      const present = Array.from(counts.keys()).filter((c) => c >= 0).sort((a, b) => a - b);
      let coloured = 0;
      present.slice(0, PALETTE.length).forEach((code, k) => {
        const org = data.keys.organisation[code];
        add(code, org.name || "#" + org.id, PALETTE[k]);
        coloured += counts.get(code);
      });
      const rest = codes.length - coloured;
      if (rest > 0) items.push({ label: T.others, colour: OTHER, count: rest });
    }
    return { colour: (code) => colour.get(code) || OTHER, items: items };
  }

  function paint() {
    const data = state.data;
    const graph = state.graph;
    if (!data || !graph) return;
    const by = controls.elements.colour.value;
    const cats = categories(data, by);
    graph.updateEachNodeAttributes((node, attrs) => {
      const i = attrs.index;
      if (data.nodes.kind[i] === KIND_DEPARTMENT && by !== "department") {
        attrs.color = FIXED.department;
      } else {
        attrs.color = cats.colour(data.nodes[by][i]);
      }
      return attrs;
    }, { attributes: ["color"] });
    legend.replaceChildren();
    const title = document.createElement("h2");
    title.textContent = controls.elements.colour.selectedOptions[0].textContent;
    const list = document.createElement("ul");
    for (const item of cats.items) {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = item.colour;
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = number(item.count);
      li.append(swatch, document.createTextNode(item.label), count);
      list.append(li);
    }
    legend.append(title, list);
  }

  // -- the graph ---------------------------------------------------------------------------

  function build(data) {
    const graph = new lib.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
    const nodes = data.nodes;
    for (let i = 0; i < nodes.id.length; i++) {
      let label = nodes.label[i];
      if (label === null && nodes.kind[i] === KIND_DEPARTMENT) label = T.no_department;
      graph.addNode(nodes.id[i], {
        x: nodes.x[i] * SCALE, y: nodes.y[i] * SCALE, size: nodes.size[i], label: label,
        index: i, color: OTHER, zIndex: 0,
      });
    }
    const edges = data.edges;
    const people = data.mode === "people";
    for (let j = 0; j < edges.source.length; j++) {
      const w = edges.weight[j];
      const strength = people ? (w === null ? 0.15 : w) : Math.log1p(w);
      graph.mergeEdge(nodes.id[edges.source[j]], nodes.id[edges.target[j]], {
        weight: people ? Math.max(strength, 0.05) : 1 + Math.log(Math.max(w, 1)),
        size: people ? 0.6 + 1.6 * strength : Math.min(0.6 + 0.5 * strength, 5),
        color: edges.hidden[j] ? EDGE_EXISTENCE : EDGE,
      });
    }
    return graph;
  }

  function active() {
    return state.hovered || state.focus;
  }

  function setNear() {
    const node = active();
    state.near = node && state.graph.hasNode(node) ? new Set(state.graph.neighbors(node)) : null;
  }

  function reduceNode(node, data) {
    const centre = active();
    if (!centre) return data;
    const out = Object.assign({}, data);
    if (node === centre) {
      out.highlighted = true;
      out.forceLabel = true;
      out.zIndex = 2;
      if (node === state.focus) out.size = data.size * 1.6;
    } else if (state.near && state.near.has(node)) {
      out.forceLabel = state.near.size <= 25;
      out.zIndex = 1;
    } else {
      out.color = DIM;
      out.label = null;
    }
    return out;
  }

  function reduceEdge(edge, data) {
    const centre = active();
    if (!centre) return data;
    if (state.graph.hasExtremity(edge, centre)) {
      return Object.assign({}, data, { color: EDGE_ACTIVE, zIndex: 1 });
    }
    return Object.assign({}, data, { hidden: true });
  }

  function pageOf(node) {
    const person = /^p(\d+)$/.exec(node);
    if (person) return "/people/" + person[1];
    const org = /^o(\d+)$/.exec(node);
    if (org) return "/organisations/" + org[1];
    return null;
  }

  function describe(node) {
    const data = state.data;
    const i = state.graph.getNodeAttribute(node, "index");
    const n = data.nodes;
    const parts = [state.graph.getNodeAttribute(node, "label") || "—"];
    const org = n.organisation[i];
    if (data.mode === "people" && org >= 0) parts.push(data.keys.organisation[org].name || "");
    parts.push(fill(T.ties, { count: number(n.ties[i]) }));
    if (n.employees[i] > 0 && n.kind[i] !== 0) parts.push(fill(T.employees, { count: number(n.employees[i]) }));
    if (n.hidden[i] > 0) parts.push(fill(T.hidden, { count: number(n.hidden[i]) }));
    hover.textContent = parts.filter(Boolean).join(" · ");
  }

  function draw(data) {
    if (state.sigma) state.sigma.kill();
    cancelAnimationFrame(state.frame);
    state.focus = null;
    state.hovered = null;
    state.near = null;
    state.data = data;
    state.graph = build(data);
    const big = state.graph.order > 20000 || state.graph.size > 60000;
    const sigma = new lib.Sigma(state.graph, container, {
      renderEdgeLabels: false,
      hideEdgesOnMove: big,
      labelRenderedSizeThreshold: data.mode === "people" ? 7 : 5,
      labelDensity: 0.6,
      labelFont: "system-ui, sans-serif",
      zIndex: true,
      minCameraRatio: 0.01,
      maxCameraRatio: 4,
      nodeReducer: reduceNode,
      edgeReducer: reduceEdge,
    });
    state.sigma = sigma;
    sigma.on("enterNode", (e) => {
      state.hovered = e.node;
      setNear();
      describe(e.node);
      container.style.cursor = pageOf(e.node) ? "pointer" : "default";
      sigma.refresh({ skipIndexation: true });
    });
    sigma.on("leaveNode", () => {
      state.hovered = null;
      setNear();
      hover.textContent = "";
      container.style.cursor = "default";
      sigma.refresh({ skipIndexation: true });
    });
    sigma.on("clickNode", (e) => {
      const url = pageOf(e.node);
      if (url) {
        window.location.assign(url);
        return;
      }
      // A department has no page of its own: show its people.
      const dep = /^d(\d+)$/.exec(e.node);
      if (dep) {
        controls.elements.mode.value = "people";
        controls.elements.department.value = state.data.keys.department[Number(dep[1])];
        reload();
      }
    });
    sigma.on("clickStage", () => {
      state.focus = null;
      setNear();
      sigma.refresh({ skipIndexation: true });
    });
    paint();
  }

  function layout(graph, done) {
    const n = graph.order;
    // Beyond 20,000 nodes an iteration costs more than a frame and a redraw more than a
    // second on a laptop without a GPU: the server's positions stay.
    if (n < 3 || graph.size === 0 || n > 20000) return done();
    const settings = lib.forceAtlas2.inferSettings(graph);
    settings.barnesHutOptimize = n > 1500;
    // Hubs (employees, big accounts) pulled less towards their many contacts: each
    // colleague's network fans out around them instead of one dense ball.
    settings.strongGravityMode = false;
    settings.outboundAttractionDistribution = true;
    settings.edgeWeightInfluence = 1;
    settings.scalingRatio = 10;
    settings.gravity = 1;
    // Bounded: a few hundred iterations on small maps, a few on the largest, and a time
    // cap. The layout runs on a copy in slices of ~60 ms (the page stays responsive); the
    // drawn graph takes its positions now and then, as redrawing costs more than a slice.
    const total = n <= 3000 ? 400 : n <= 10000 ? 150 : 50;
    const every = n <= 3000 ? 1000 : 2500; // ms between redraws while it runs
    const work = graph.copy();
    const started = performance.now();
    let shown = started;
    let ran = 0;
    let chunk = 2;
    const publish = () => {
      graph.updateEachNodeAttributes((node, attrs) => {
        attrs.x = work.getNodeAttribute(node, "x");
        attrs.y = work.getNodeAttribute(node, "y");
        return attrs;
      }, { attributes: ["x", "y"] });
      shown = performance.now();
    };
    const step = () => {
      if (state.graph !== graph) return;
      const slice = performance.now();
      const now = Math.min(chunk, total - ran);
      lib.forceAtlas2.assign(work, { iterations: now, settings: settings, getEdgeWeight: "weight" });
      ran += now;
      const each = (performance.now() - slice) / now;
      chunk = Math.max(1, Math.min(50, Math.floor(60 / Math.max(each, 0.1))));
      if (ran < total && performance.now() - started < 8000) {
        if (performance.now() - shown > every) publish();
        state.frame = requestAnimationFrame(step);
      } else {
        publish();
        done();
      }
    };
    state.frame = requestAnimationFrame(step);
  }

  // -- loading, filters, search --------------------------------------------------------------

  function query(extra) {
    const form = controls.elements;
    const params = new URLSearchParams();
    params.set("mode", form.mode.value);
    params.set("limit", form.limit.value);
    if (form.relation.value) params.set("relation", form.relation.value);
    if (form.department.value) params.set("department", form.department.value);
    if (Number(form.min_strength.value) > 0) params.set("min_strength", form.min_strength.value);
    for (const [k, v] of Object.entries(extra || {})) params.set(k, v);
    return params;
  }

  function remember() {
    const params = query();
    params.set("colour", controls.elements.colour.value);
    history.replaceState(null, "", "/map?" + params.toString());
  }

  function restore() {
    const params = new URLSearchParams(window.location.search);
    for (const name of ["mode", "limit", "relation", "department", "min_strength", "colour"]) {
      const field = controls.elements[name];
      const value = params.get(name);
      if (value === null || !field) continue;
      // A select keeps its choice when the address names a value it does not offer.
      if (field.tagName === "SELECT" && !Array.from(field.options).some((o) => o.value === value)) continue;
      field.value = value;
    }
  }

  async function load(extra) {
    const ticket = ++state.loading;
    container.dataset.state = "loading";
    status.textContent = T.loading;
    let data;
    try {
      const r = await fetch("/api/map?" + query(extra).toString(), {
        credentials: "same-origin", headers: { Accept: "application/json" },
      });
      const body = await r.json();
      if (!r.ok) throw new Error(body.message || String(r.status));
      data = body;
    } catch (err) {
      if (ticket !== state.loading) return null;
      container.dataset.state = "error";
      status.textContent = fill(T.failed, { reason: err.message });
      return null;
    }
    if (ticket !== state.loading) return null;
    draw(data);
    status.textContent = fill(T.layout, { nodes: number(data.nodes.id.length) });
    await new Promise((resolve) => layout(state.graph, resolve));
    if (ticket !== state.loading) return null;
    const shown = data.nodes.id.length;
    status.textContent = shown === 0 ? T.empty : fill(data.mode === "people" ? T.shown : T.shown_groups, {
      nodes: number(shown), total: number(data.totals.nodes),
      edges: number(data.edges.source.length), ties: number(data.totals.edges),
    });
    container.dataset.state = "ready";
    container.dataset.nodes = String(shown);
    window.tejidoMap = { sigma: state.sigma, graph: state.graph, data: data };
    return data;
  }

  function reload() {
    remember();
    return load();
  }

  function find(q) {
    const needle = fold(q).trim();
    if (!needle || !state.graph) return null;
    let best = null;
    let score = -1;
    state.graph.forEachNode((node, attrs) => {
      if (!attrs.label) return;
      const text = fold(attrs.label);
      const at = text.indexOf(needle);
      if (at < 0) return;
      const s = (text === needle ? 3 : at === 0 ? 2 : 1) * 1000 + attrs.size;
      if (s > score) {
        best = node;
        score = s;
      }
    });
    return best;
  }

  function focusOn(node) {
    state.focus = node;
    setNear();
    const d = state.sigma.getNodeDisplayData(node);
    state.sigma.getCamera().animate({ x: d.x, y: d.y, ratio: 0.3 }, { duration: 400 });
    status.textContent = fill(T.found, { name: state.graph.getNodeAttribute(node, "label") });
    describe(node);
    state.sigma.refresh({ skipIndexation: true });
  }

  controls.addEventListener("submit", (e) => {
    e.preventDefault();
    reload();
  });
  controls.elements.colour.addEventListener("change", () => {
    remember();
    paint();
  });
  search.addEventListener("submit", async (e) => {
    e.preventDefault();
    const q = search.elements.q.value;
    if (!q.trim()) return;
    const hit = find(q);
    if (hit) return focusOn(hit);
    // Not among the nodes drawn: ask the server to draw the people it finds first.
    if (controls.elements.mode.value === "people") {
      const data = await load({ q: q });
      if (data && data.focus.length) return focusOn(data.nodes.id[data.focus[0]]);
    }
    status.textContent = fill(T.not_found, { q: q });
  });

  restore();
  load();
})();
