/**
 * What Graph and Value hand to the drawing code (lib/plot/graph-svg.ts): nodes with their operation,
 * forward value and gradient, and edges. Also the notebook display bundle built from such a view.
 */
import type { GraphView, GraphViewEdge, GraphViewNode } from "../plot/graph-layout";
import { renderGraphDOT, renderGraphSVG, formatValue } from "../plot/graph-svg";
import { formatShape } from "../tensor/shape";
import { Num, isTensor } from "../gates/arith";

export type { GraphView, GraphViewEdge, GraphViewNode };

/** A value as a drawing shows it: numbers as numbers, a one-element tensor as its number, else its shape. */
export function viewValue(v: Num | undefined): number | string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number") return v;
  if (isTensor(v)) return v.size === 1 ? v.data[0] : `Tensor${formatShape(v.shape)}`;
  return undefined;
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
