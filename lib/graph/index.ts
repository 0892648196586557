/** Graph: the lecture's define-then-run computational graph, plus the view used to draw graphs. */
export { Graph, GraphNode } from "./graph";
export type { TraceStep, NodeKind, NodeRef } from "./graph";
export type { GraphView, GraphViewNode, GraphViewEdge } from "./view";
export { tensorGraphView, tensorGraphDisplay } from "./tensor-view";
