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
  const parts: string[] = [];
  // Edges first, so nodes are drawn over their ends. Parallel edges (x * x) fan out, and an edge that
  // would run through a node in between bows around it.
  const parallel = new Map<string, number>();
  for (const e of view.edges) parallel.set(`${e.from}\u0000${e.to}`, (parallel.get(`${e.from}\u0000${e.to}`) ?? 0) + 1);
  const seen = new Map<string, number>();
  const curvePoints: Point[] = [];
  const labels = new LabelPlacer(view.nodes.map((n) => ({ ...pos.get(n.id)!, r: nodeHalfWidth(n) })));
  for (const e of view.edges) {
    const key = `${e.from}\u0000${e.to}`, count = parallel.get(key)!, k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    const a = pos.get(e.from)!, b = pos.get(e.to)!;
    const others = view.nodes.filter((n) => n.id !== e.from && n.id !== e.to).map((n) => pos.get(n.id)!);
    let bend = count > 1 ? (k - (count - 1) / 2) * 44 : 0;
    if (bend === 0 && clearance(a, b, null, others) < RADIUS + 12) {
      // Try gentle then stronger bows, either side; keep the first that clears every node, else the best.
      const options = [0.45, -0.45, 0.9, -0.9, 1.4, -1.4].map((f) => f * ROW_GAP);
      const scored = options.map((o) => ({ o, gap: clearance(a, b, control(a, b, o), others) }));
      bend = (scored.find((x) => x.gap >= RADIUS + 12) ?? scored.reduce((x, y) => (y.gap > x.gap ? y : x))).o;
    }
    const c = control(a, b, bend);
    const from = boundary(byId.get(e.from)!, a, c), to = boundary(byId.get(e.to)!, b, c);
    const curve = bend === 0 ? null : control(from, to, bend);
    if (curve) for (let t = 0; t <= 1; t += 0.1) curvePoints.push(along(from, to, curve, t));
    parts.push(edgeMarks(from, to, curve, e.value ?? byId.get(e.from)!.value, e.grad ?? byId.get(e.from)!.grad, e, labels));
  }
  for (const n of outputs) {
    const p = pos.get(n.id)!;
    const from = { x: p.x + nodeHalfWidth(n), y: p.y };
    parts.push(edgeMarks(from, { x: from.x + 110, y: p.y }, null, n.value, n.grad, { from: n.id, to: "" }, labels));
  }
  for (const n of view.nodes) parts.push(nodeMarks(n, pos.get(n.id)!));

  // The picture's extent: nodes, the labels, and the curves' bows (which may rise above the top row).
  const xs: number[] = [], ys: number[] = [];
  for (const n of view.nodes) {
    const p = pos.get(n.id)!, hw = nodeHalfWidth(n);
    xs.push(p.x - hw, p.x + hw + (outputs.includes(n) ? 120 : 0));
    ys.push(p.y - RADIUS, p.y + RADIUS + SMALL + 8);
  }
  for (const b of labels.placed()) { xs.push(b.x0, b.x1); ys.push(b.y0, b.y1); }
  for (const p of curvePoints) { xs.push(p.x); ys.push(p.y); }
  const pad = 20;
  const x0 = Math.floor(Math.min(...xs) - pad), y0 = Math.floor(Math.min(...ys) - pad);
  const width = Math.ceil(Math.max(...xs) + pad) - x0, height = Math.ceil(Math.max(...ys) + pad) - y0;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${x0} ${y0} ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>`,
    `<rect x="${x0}" y="${y0}" width="${width}" height="${height}" fill="white"/>`,
    ...parts,
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

/** The control point of a quadratic curve from a to b whose middle lies `bend` px to the left of the chord. */
function control(a: Point, b: Point, bend: number): Point {
  const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
  // Twice the offset: a quadratic Bézier passes halfway between the chord's midpoint and its control point.
  return { x: (a.x + b.x) / 2 + (dy / len) * 2 * bend, y: (a.y + b.y) / 2 - (dx / len) * 2 * bend };
}

/** The smallest distance from the inner part of an edge (straight or curved) to any of the given node centres. */
function clearance(a: Point, b: Point, c: Point | null, nodes: Point[]): number {
  let best = Infinity;
  for (let t = 0.1; t <= 0.9; t += 0.05) {
    const p = along(a, b, c, t);
    for (const n of nodes) best = Math.min(best, Math.hypot(p.x - n.x, p.y - n.y));
  }
  return best;
}

/** The point at parameter t of the edge: straight, or the quadratic curve through control point c. */
function along(from: Point, to: Point, c: Point | null, t: number): Point {
  if (!c) return { x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t };
  const u = 1 - t;
  return { x: u * u * from.x + 2 * u * t * c.x + t * t * to.x, y: u * u * from.y + 2 * u * t * c.y + t * t * to.y };
}

type Box = { x0: number; y0: number; x1: number; y1: number };

/**
 * Keeps value/gradient labels from covering each other or a node: each label pair tries a few
 * positions along its edge, nearest the source first, and takes the first free one.
 */
class LabelPlacer {
  private readonly boxes: Box[] = [];
  constructor(private readonly nodes: { x: number; y: number; r: number }[]) {}

  placed(): readonly Box[] {
    return this.boxes;
  }

  place(from: Point, to: Point, c: Point | null, width: number): Point {
    const length = Math.hypot(to.x - from.x, to.y - from.y) || 1;
    const base = Math.min(0.5, (COL_GAP * 0.38) / length);
    const candidates = [base, base + 0.15, base - 0.12, base + 0.3, base + 0.45, 0.5].filter((t) => t > 0.05 && t < 0.9);
    const boxAt = (t: number): [Point, Box] => {
      const m = along(from, to, c, t);
      return [m, { x0: m.x - width / 2, x1: m.x + width / 2, y0: m.y - FONT - 10, y1: m.y + FONT + 8 }];
    };
    const free = (b: Box) =>
      !this.boxes.some((o) => b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1) &&
      !this.nodes.some((n) => n.x + n.r > b.x0 && n.x - n.r < b.x1 && n.y + RADIUS > b.y0 && n.y - RADIUS < b.y1);
    const [m, box] = candidates.map(boxAt).find(([, b]) => free(b)) ?? boxAt(base);
    this.boxes.push(box);
    return m;
  }
}

function edgeMarks(from: Point, to: Point, c: Point | null, value: number | string | undefined, grad: number | string | undefined, e: GraphViewEdge, labels: LabelPlacer): string {
  const d = c ? `M ${r(from.x)} ${r(from.y)} Q ${r(c.x)} ${r(c.y)} ${r(to.x)} ${r(to.y)}` : `M ${r(from.x)} ${r(from.y)} L ${r(to.x)} ${r(to.y)}`;
  const out = [`<g class="edge" data-from="${xmlEscape(e.from)}" data-to="${xmlEscape(e.to)}">`,
    `<path d="${d}" stroke="#333" stroke-width="2" fill="none" marker-end="url(#arrow)"/>`];
  // Labels sit about half a column from the source, where a long edge is still clear of the nodes it
  // passes and fan-out edges have separated, unless another label is already there.
  const texts = [value, grad].filter((v) => v !== undefined).map((v) => formatValue(v as number | string));
  if (texts.length) {
    const m = labels.place(from, to, c, Math.max(...texts.map((t) => t.length)) * FONT * 0.6 + 6);
    if (value !== undefined) out.push(`<text class="value" x="${r(m.x)}" y="${r(m.y - 8)}" text-anchor="middle" font-size="${FONT}" fill="${VALUE_COLOUR}">${xmlEscape(formatValue(value))}</text>`);
    if (grad !== undefined) out.push(`<text class="grad" x="${r(m.x)}" y="${r(m.y + FONT + 4)}" text-anchor="middle" font-size="${FONT}" fill="${GRAD_COLOUR}">${xmlEscape(formatValue(grad))}</text>`);
  }
  if (e.label) {
    const l = along(from, to, c, 0.8);
    out.push(`<text class="edge-label" x="${r(l.x)}" y="${r(l.y - 6)}" text-anchor="middle" font-size="${SMALL}" fill="#555">${xmlEscape(e.label)}</text>`);
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
