import { Graph, layout } from "@dagrejs/dagre";
import type { JobGraph } from "./types";

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 56;

/** Where each job of a dependency graph goes: layered top to bottom, dependencies above what waits for them. */
export function layoutGraph(graph: JobGraph): Map<string, { x: number; y: number }> {
  const g = new Graph();
  g.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 48 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of graph.edges) g.setEdge(e.from, e.to);
  layout(g);
  // dagre gives centres; the drawing places nodes by their top-left corner.
  return new Map(graph.nodes.map((n) => {
    const { x, y } = g.node(n.id);
    return [n.id, { x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 }];
  }));
}
