import { GraphView, GraphViewEdge, GraphViewNode, layoutGraph } from "./graph-layout";

export type { GraphView, GraphViewEdge, GraphViewNode } from "./graph-layout";

/** Colours of the lecture figures: forward values green above an edge, gradients red below it. */
export const VALUE_COLOUR = "#1b8a2f";
export const GRAD_COLOUR = "#c62828";

const COL_GAP = 190, ROW_GAP = 120, RADIUS = 30, MARGIN = 50, FONT = 20, SMALL = 16;

/**
 * Draws a computation graph as on the CS231n slides: left to right, inputs as boxes, operations as
 * circles with their symbol, the forward value (green) above each edge leaving a node and the
 * gradient (red) below it. The output gets a short edge of its own to carry its value and gradient.
 * Fonts are sized for a lecture hall.
 */
export function renderGraphSVG(view: GraphView): string {
  const layout = layoutGraph(view, "renderGraphSVG");
  const tallest = Math.max(1, ...layout.columns.map((c) => c.length));
  const pos = new Map<string, { x: number; y: number }>();
  for (const n of view.nodes) {
    const c = layout.column.get(n.id)!, r = layout.row.get(n.id)!, count = layout.columns[c].length;
    // Centre shorter columns vertically against the tallest one.
    pos.set(n.id, { x: MARGIN + 40 + c * COL_GAP, y: MARGIN + 30 + (r + (tallest - count) / 2) * ROW_GAP });
  }
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const outputs = view.nodes.filter((n) => !view.edges.some((e) => e.from === n.id));
  const width = MARGIN * 2 + 80 + (layout.columns.length - 1) * COL_GAP + (outputs.length ? 130 : 0);
  const height = MARGIN * 2 + 60 + (tallest - 1) * ROW_GAP;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  );

  // Edges first, so nodes are drawn over their ends.
  for (const e of view.edges) {
    const a = pos.get(e.from)!, b = pos.get(e.to)!;
    const from = boundary(byId.get(e.from)!, a, b), to = boundary(byId.get(e.to)!, b, a);
    parts.push(edgeMarks(from, to, e.value ?? byId.get(e.from)!.value, e.grad ?? byId.get(e.from)!.grad, e));
  }
  for (const n of outputs) {
    const p = pos.get(n.id)!;
    const from = { x: p.x + nodeHalfWidth(n), y: p.y };
    parts.push(edgeMarks(from, { x: from.x + 110, y: p.y }, n.value, n.grad, { from: n.id, to: "" }));
  }
  for (const n of view.nodes) parts.push(nodeMarks(n, pos.get(n.id)!));
  parts.push("</svg>");
  return parts.join("\n");
}

/** The same graph in Graphviz DOT (for `dot -Tsvg`, or tools that lay graphs out themselves). */
export function renderGraphDOT(view: GraphView): string {
  layoutGraph(view, "renderGraphDOT"); // validates: unique ids, known endpoints, acyclic
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const lines = [
    "digraph computation {",
    "  rankdir=LR;",
    `  node [fontname="Helvetica", fontsize=${FONT}];`,
    `  edge [fontname="Helvetica", fontsize=${SMALL}];`,
  ];
  for (const n of view.nodes) {
    const shape = n.op ? "circle" : "box, style=rounded";
    // An operation shows its symbol with the node's name under it; an input shows its name.
    const text = n.op && n.label && n.label !== n.op ? `${dotEscape(n.op)}\\n${dotEscape(n.label)}` : dotEscape(n.op ?? n.label);
    lines.push(`  ${dotId(n.id)} [shape=${shape}, label="${text}"];`);
  }
  const edgeLabel = (value: unknown, grad: unknown, text?: string) => {
    const rows: string[] = [];
    if (value !== undefined) rows.push(`<font color="${VALUE_COLOUR}">${htmlEscape(formatValue(value as number | string))}</font>`);
    if (grad !== undefined) rows.push(`<font color="${GRAD_COLOUR}">${htmlEscape(formatValue(grad as number | string))}</font>`);
    if (text) rows.push(`<font color="#555555">${htmlEscape(text)}</font>`);
    return rows.length ? ` [label=<${rows.join("<br/>")}>]` : "";
  };
  for (const e of view.edges) {
    const src = byId.get(e.from)!;
    lines.push(`  ${dotId(e.from)} -> ${dotId(e.to)}${edgeLabel(e.value ?? src.value, e.grad ?? src.grad, e.label)};`);
  }
  view.nodes.filter((n) => !view.edges.some((e) => e.from === n.id)).forEach((n, i) => {
    // An invisible sink so the output's value and gradient sit on an edge, as in the SVG.
    const sink = dotId(`__out${i}`);
    lines.push(`  ${sink} [shape=point, style=invis];`, `  ${dotId(n.id)} -> ${sink}${edgeLabel(n.value, n.grad)};`);
  });
  lines.push("}");
  return lines.join("\n");
}

/** Numbers in at most 4 significant digits (what fits on a slide), without "-0". */
export function formatValue(v: number | string): string {
  if (typeof v === "string") return v;
  if (Object.is(v, -0)) return "0";
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

type Point = { x: number; y: number };

function nodeHalfWidth(n: GraphViewNode): number {
  return n.op ? RADIUS : Math.max(RADIUS, (n.label.length * FONT * 0.6) / 2 + 12);
}

/** Where the straight line from the centre `p` towards `q` leaves the node's shape. */
function boundary(n: GraphViewNode, p: Point, q: Point): Point {
  const dx = q.x - p.x, dy = q.y - p.y, len = Math.hypot(dx, dy) || 1;
  if (n.op) return { x: p.x + (dx / len) * RADIUS, y: p.y + (dy / len) * RADIUS };
  const hw = nodeHalfWidth(n), hh = RADIUS * 0.8;
  const t = Math.min(dx === 0 ? Infinity : hw / Math.abs(dx), dy === 0 ? Infinity : hh / Math.abs(dy));
  return { x: p.x + dx * t, y: p.y + dy * t };
}

function edgeMarks(from: Point, to: Point, value: number | string | undefined, grad: number | string | undefined, e: GraphViewEdge): string {
  const out = [`<g class="edge" data-from="${xmlEscape(e.from)}" data-to="${xmlEscape(e.to)}">`,
    `<path d="M ${r(from.x)} ${r(from.y)} L ${r(to.x)} ${r(to.y)}" stroke="#333" stroke-width="2" fill="none" marker-end="url(#arrow)"/>`];
  // Labels sit near the start of the edge, where fan-out edges are still close to their source.
  const mx = from.x + (to.x - from.x) * 0.42, my = from.y + (to.y - from.y) * 0.42;
  if (value !== undefined) out.push(`<text class="value" x="${r(mx)}" y="${r(my - 8)}" text-anchor="middle" font-size="${FONT}" fill="${VALUE_COLOUR}">${xmlEscape(formatValue(value))}</text>`);
  if (grad !== undefined) out.push(`<text class="grad" x="${r(mx)}" y="${r(my + FONT + 4)}" text-anchor="middle" font-size="${FONT}" fill="${GRAD_COLOUR}">${xmlEscape(formatValue(grad))}</text>`);
  if (e.label) {
    const lx = from.x + (to.x - from.x) * 0.8, ly = from.y + (to.y - from.y) * 0.8;
    out.push(`<text class="edge-label" x="${r(lx)}" y="${r(ly - 6)}" text-anchor="middle" font-size="${SMALL}" fill="#555">${xmlEscape(e.label)}</text>`);
  }
  out.push("</g>");
  return out.join("");
}

function nodeMarks(n: GraphViewNode, p: Point): string {
  const id = `data-id="${xmlEscape(n.id)}"`;
  if (n.op) {
    const opSize = n.op.length > 2 ? Math.max(12, FONT - 2 * (n.op.length - 2)) : FONT + 4;
    const name = n.label && n.label !== n.op
      ? `<text class="label" x="${r(p.x)}" y="${r(p.y + RADIUS + SMALL + 4)}" text-anchor="middle" font-size="${SMALL}" fill="#555">${xmlEscape(n.label)}</text>` : "";
    return `<g class="node op" ${id}><circle cx="${r(p.x)}" cy="${r(p.y)}" r="${RADIUS}" fill="#fff8e1" stroke="#333" stroke-width="2"/>` +
      `<text class="op" x="${r(p.x)}" y="${r(p.y + opSize * 0.35)}" text-anchor="middle" font-size="${opSize}" font-weight="bold">${xmlEscape(n.op)}</text>${name}</g>`;
  }
  const hw = nodeHalfWidth(n), hh = RADIUS * 0.8;
  return `<g class="node input" ${id}><rect x="${r(p.x - hw)}" y="${r(p.y - hh)}" width="${r(2 * hw)}" height="${r(2 * hh)}" rx="8" fill="#e3f2fd" stroke="#333" stroke-width="2"/>` +
    `<text class="label" x="${r(p.x)}" y="${r(p.y + FONT * 0.35)}" text-anchor="middle" font-size="${FONT}">${xmlEscape(n.label)}</text></g>`;
}

const r = (v: number) => Math.round(v * 10) / 10;

export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}
const htmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const dotEscape = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
const dotId = (s: string) => `"${dotEscape(s)}"`;
