/**
 * What Graph and Value hand to the drawing code (lib/plot/graph-svg.ts): nodes with their operation,
 * forward value and gradient, and edges. Also the notebook display bundle built from such a view.
 */
import type { GraphView, GraphViewEdge, GraphViewNode } from "../plot/graph-layout";
import { renderGraphDOT, renderGraphSVG, formatValue } from "../plot/graph-svg";
import { formatShape } from "../tensor/shape";
import { Num, isTensor } from "../gates/arith";
import type { Gate } from "../gates/gate";

export type { GraphView, GraphViewEdge, GraphViewNode };

/** A value as a drawing shows it: numbers as numbers, a one-element tensor as its number, else its shape. */
export function viewValue(v: Num | undefined): number | string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number") return v;
  if (isTensor(v)) return v.size === 1 ? v.data[0] : `Tensor${formatShape(v.shape)}`;
  return undefined;
}

/** What drawing one node needs, whichever graph (Graph, Value) it comes from. */
export interface DrawnNode {
  node: GraphViewNode;
  gate: Gate | null;
  /** Its inputs' ids, in the gate's input order. */
  inputs: string[];
  /** The gradients it sent to its inputs in the last backward run, if one reached it. */
  sent: readonly Num[] | null | undefined;
}

/**
 * The one edge-drawing path: nodes as given, and an edge from each input to its consumer. `noGrad`
 * names the inputs that keep no gradient of their own (Value's constants): their edges show what
 * backward sent them instead.
 */
export function graphView(drawn: DrawnNode[], noGrad: (id: string) => boolean = () => false): GraphView {
  const fanOut = new Map<string, number>();
  for (const d of drawn) for (const i of d.inputs) fanOut.set(i, (fanOut.get(i) ?? 0) + 1);
  const edges = drawn.flatMap(({ node, gate, inputs, sent }) =>
    inputs.map((from, j) => {
      const e: GraphViewEdge = { from, to: node.id };
      // Say which argument an edge is where the order matters (x - y, x / y, a @ b).
      if (gate && !gate.commutative && inputs.length > 1) e.label = gate.inputName(j);
      const branch = viewValue(sent?.[j]);
      // Where a value fans out, each edge carries only its own branch's gradient. An input without a
      // gradient of its own shows what it was sent (∂y/∂0.5 = 3, say), unless that is undefined
      // (the exponent of x.pow(2) at x < 0).
      if (branch !== undefined && (noGrad(from) ? Number.isFinite(branch) : (fanOut.get(from) ?? 0) > 1)) e.grad = branch;
      return e;
    }),
  );
  return { nodes: drawn.map((d) => d.node), edges };
}

/** A plain-text table of a view: one line per node with its operation, inputs, value and gradient. */
export function viewText(view: GraphView, title: string): string {
  const inputsOf = (id: string) => view.edges.filter((e) => e.to === id).map((e) => e.from);
  const lines = view.nodes.map((n) => {
    const def = n.op ? `${n.label || n.id} = ${n.op}(${inputsOf(n.id).join(", ")})` : n.label || n.id;
    const value = n.value === undefined ? "" : `  value ${formatValue(n.value)}`;
    const grad = n.grad === undefined ? "" : `  grad ${formatValue(n.grad)}`;
    return `  ${def}${value}${grad}`;
  });
  return [`${title} (${view.nodes.length} nodes)`, ...lines].join("\n");
}

/** SVG, DOT and the notebook MIME bundle for anything that can produce a view. */
export function svgOf(view: GraphView): string {
  return renderGraphSVG(view);
}

export function dotOf(view: GraphView): string {
  return renderGraphDOT(view);
}

export function displayBundle(view: GraphView, title: string): Record<string, string> {
  return { "image/svg+xml": renderGraphSVG(view), "text/plain": viewText(view, title) };
}
