// The graph view's libraries, bundled into one file for the pages (no module loader there):
// sigma.js renders a graphology graph with WebGL; ForceAtlas2 lays it out.
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import Sigma from "sigma";

window.TejidoGraph = { Graph, Sigma, forceAtlas2 };
