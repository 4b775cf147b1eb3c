import { Background, Controls, MarkerType, ReactFlow, type Edge, type Node } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from "../graph-layout";
import type { JobGraph } from "../types";

/** A job's dependency graph drawn: what it waits for above it, what waits for it below; a click opens a job. */
export default function DependencyGraph({ graph, onOpen }: { graph: JobGraph; onOpen?: (id: string) => void }) {
  const positions = layoutGraph(graph);
  const nodes: Node[] = graph.nodes.map((n) => ({
    id: n.id,
    position: positions.get(n.id)!,
    data: {
      label: (
        <span>
          <strong>{n.type}</strong> <span className={`state state-${n.state}`}>{n.state}</span>
          <br />
          <code>{n.id.slice(-8)}</code>
        </span>
      ),
    },
    className: n.role === "self" ? "graph-node graph-self" : "graph-node",
    style: { width: NODE_WIDTH, height: NODE_HEIGHT },
    connectable: false,
    draggable: false,
    ariaLabel: `${n.role === "self" ? "This job" : n.role === "ancestor" ? "Dependency" : "Dependent"}: ${n.type}, ${n.state}`,
  }));
  const edges: Edge[] = graph.edges.map((e) => ({ id: `${e.from}-${e.to}`, source: e.from, target: e.to, markerEnd: { type: MarkerType.ArrowClosed } }));
  return (
    <div className="graph" role="figure" aria-label={`Dependency graph of ${graph.nodes.length} jobs`}>
      <ReactFlow nodes={nodes} edges={edges} fitView nodesConnectable={false} nodesDraggable={false} onNodeClick={(_, node) => onOpen?.(node.id)} proOptions={{ hideAttribution: true }}>
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
      {graph.truncated && <p className="muted">More jobs are connected than are drawn.</p>}
    </div>
  );
}
