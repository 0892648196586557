import { GraphView, layoutGraph } from "./graph-layout";
import { textWidth } from "./text-width";
import { FONT, GraphDrawing, LabelGeometry, NodeGeometry, RADIUS, SMALL, formatValue, graphDrawing } from "./graph-geometry";

export type { GraphView, GraphViewEdge, GraphViewNode } from "./graph-layout";
export { formatValue } from "./graph-geometry";

/** Colours of the lecture figures: forward values green above an edge, gradients red below it. */
export const VALUE_COLOUR = "#1b8a2f";
export const GRAD_COLOUR = "#c62828";

/**
 * Prefix of every class in a drawing. A host page styles plain names: classic Notebook's Bootstrap
 * shrank `class="label"` node names to 75% (10.5 px). Sizes and colours are presentation attributes;
 * the classes only name the parts, under names no page styles by accident.
 */
export const CLASS = "gradlab-graph-";

/**
 * Draws a computation graph as on the CS231n slides: left to right, inputs as boxes, operations as
 * circles with their symbol, the forward value (green) above each edge leaving a node and the
 * gradient (red) below it, and a key saying so. The output gets a short edge of its own to carry its
 * value and gradient. Fonts are sized for a lecture hall; where things go is decided in graph-geometry.
 */
export function renderGraphSVG(view: GraphView): string {
  const drawing = graphDrawing(view, "renderGraphSVG");
  const parts: string[] = [];
  // Edges first, so nodes are drawn over their ends; each edge's texts inside its group.
  drawing.edges.forEach((e, i) => {
    const { start: a, end: b, control: c } = e;
    const d = c ? `M ${r(a.x)} ${r(a.y)} Q ${r(c.x)} ${r(c.y)} ${r(b.x)} ${r(b.y)}` : `M ${r(a.x)} ${r(a.y)} L ${r(b.x)} ${r(b.y)}`;
    const out = [`<g class="${CLASS}edge" data-from="${xmlEscape(e.edge.from)}" data-to="${xmlEscape(e.edge.to)}">`,
      `<path d="${d}" stroke="#333" stroke-width="2" fill="none" marker-end="url(#arrow)"/>`];
    for (const l of drawing.labels.filter((l) => l.edge === i)) out.push(labelMarks(l));
    out.push("</g>");
    parts.push(out.join(""));
  });
  for (const n of drawing.nodes) parts.push(nodeMarks(n));
  for (const l of drawing.labels.filter((l) => l.edge < 0)) parts.push(labelMarks(l));

  let { x0, y0, x1, y1 } = drawing.bounds;
  const key = keyMarks(drawing, x0 + 20, y1 + 4);
  if (key) {
    y1 += key.lines * (SMALL + 8) + 8;
    x1 = Math.max(x1, x0 + 20 + key.width + 20);   // the key is never cut off by a narrow graph
  }
  x0 = Math.floor(x0); y0 = Math.floor(y0);
  const width = Math.ceil(x1) - x0, height = Math.ceil(y1) - y0;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${x0} ${y0} ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>`,
    `<rect x="${x0}" y="${y0}" width="${width}" height="${height}" fill="white"/>`,
    ...parts,
    ...(key ? [key.svg] : []),
    "</svg>",
  ].join("\n");
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

/** The text of one edge label, centred in the box that graph-geometry chose for it. */
function labelMarks(l: LabelGeometry): string {
  const cls = CLASS + (l.kind === "argument" ? "edge-label" : l.kind);
  const fill = l.kind === "value" ? VALUE_COLOUR : l.kind === "grad" || l.kind === "total" ? GRAD_COLOUR : "#555";
  const x = (l.box.x0 + l.box.x1) / 2, baseline = (l.box.y0 + l.box.y1) / 2 + l.fontSize * 0.35;
  return `<text class="${cls}" x="${r(x)}" y="${r(baseline)}" text-anchor="middle" font-size="${l.fontSize}" fill="${fill}">${xmlEscape(l.text)}</text>`;
}

/**
 * The key under the picture: which colour is the forward value and which the gradient, and on a
 * second line what the Σ at a branching node means; with its width, so the picture can make room.
 */
function keyMarks(drawing: GraphDrawing, x: number, y: number): { svg: string; width: number; lines: number } | null {
  const kinds = new Set(drawing.labels.map((l) => l.kind));
  const texts: { text: string; fill: string }[] = [];
  if (kinds.has("value")) texts.push({ text: "■ forward value (above an edge)", fill: VALUE_COLOUR });
  if (kinds.has("grad")) texts.push({ text: "■ gradient (below)", fill: GRAD_COLOUR });
  if (!texts.length) return null;
  const tspans = texts.map((t, i) => `<tspan fill="${t.fill}"${i ? ' dx="28"' : ""}>${t.text}</tspan>`).join("");
  const line = (k: number, content: string) => `<text class="${CLASS}key" x="${r(x)}" y="${r(y + SMALL + k * (SMALL + 8))}" font-size="${SMALL}">${content}</text>`;
  let width = texts.reduce((w, t) => w + textWidth(t.text, SMALL), 28 * (texts.length - 1));
  let svg = line(0, tspans);
  if (kinds.has("total")) {
    const total = "Σ the gradients of a value's branches, summed (at the node)";
    svg += line(1, `<tspan fill="${GRAD_COLOUR}">${total}</tspan>`);
    width = Math.max(width, textWidth(total, SMALL));
  }
  return { svg, width, lines: kinds.has("total") ? 2 : 1 };
}

function nodeMarks(g: NodeGeometry): string {
  const n = g.node, p = g.centre;
  const id = `data-id="${xmlEscape(n.id)}"`;
  if (n.op) {
    const opSize = n.op.length > 2 ? Math.max(12, FONT - 2 * (n.op.length - 2)) : FONT + 4;
    const name = g.caption
      ? `<text class="${CLASS}label" x="${r(p.x)}" y="${r(g.caption.box.y1 - 4)}" text-anchor="middle" font-size="${SMALL}" fill="#555">${xmlEscape(g.caption.text)}</text>` : "";
    return `<g class="${CLASS}node ${CLASS}op" ${id}><circle cx="${r(p.x)}" cy="${r(p.y)}" r="${RADIUS}" fill="#fff8e1" stroke="#333" stroke-width="2"/>` +
      `<text class="${CLASS}op" x="${r(p.x)}" y="${r(p.y + opSize * 0.35)}" text-anchor="middle" font-size="${opSize}" font-weight="bold">${xmlEscape(n.op)}</text>${name}</g>`;
  }
  const hw = g.halfWidth, hh = g.halfHeight;
  return `<g class="${CLASS}node ${CLASS}input" ${id}><rect x="${r(p.x - hw)}" y="${r(p.y - hh)}" width="${r(2 * hw)}" height="${r(2 * hh)}" rx="8" fill="#e3f2fd" stroke="#333" stroke-width="2"/>` +
    `<text class="${CLASS}label" x="${r(p.x)}" y="${r(p.y + FONT * 0.35)}" text-anchor="middle" font-size="${FONT}">${xmlEscape(n.label)}</text></g>`;
}

const r = (v: number) => Math.round(v * 10) / 10;

export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}
const htmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const dotEscape = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
const dotId = (s: string) => `"${dotEscape(s)}"`;
