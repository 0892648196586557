/**
 * Where everything of a computation-graph drawing goes: node centres and shapes, edge paths, and a box
 * for every piece of text on an edge. The SVG writer only draws what this decides, and tests check the
 * geometry itself (no label covers another label, a node or an edge).
 */
import { GraphView, GraphViewEdge, GraphViewNode, layoutGraph } from "./graph-layout";
import { textWidth } from "./text-width";

export const COL_GAP = 190, ROW_GAP = 120, RADIUS = 30, FONT = 20, SMALL = 16;
/** Space between an edge and the text that labels it. */
const GAP = 3;
/** The least space between two labels' boxes. */
export const LABEL_SPACE = 6;

export function grow(b: Box, by: number): Box {
  return { x0: b.x0 - by, y0: b.y0 - by, x1: b.x1 + by, y1: b.y1 + by };
}

export type Point = { x: number; y: number };
export type Box = { x0: number; y0: number; x1: number; y1: number };

export interface NodeGeometry {
  node: GraphViewNode;
  centre: Point;
  /** The shape: a circle of radius RADIUS for gates, a rounded box for inputs and constants. */
  halfWidth: number;
  halfHeight: number;
  /** The gate's name written under its circle, if any. */
  caption?: { text: string; box: Box };
}

export interface EdgeGeometry {
  edge: GraphViewEdge;
  /** Where the edge leaves and enters the shapes; `control` is set for a curved (quadratic) edge. */
  start: Point;
  end: Point;
  control: Point | null;
  /** The path as a polyline, for collision checks. */
  samples: Point[];
  /** The output's own short edge, which carries its value and gradient. */
  isOutput: boolean;
}

export interface LabelGeometry {
  /** "total": the summed gradient written at a node whose value feeds several gates. */
  kind: "value" | "grad" | "argument" | "total";
  text: string;
  fontSize: number;
  /** The index of the edge it labels in `edges`; -1 for a node's total. */
  edge: number;
  box: Box;
}

export interface GraphDrawing {
  nodes: NodeGeometry[];
  edges: EdgeGeometry[];
  labels: LabelGeometry[];
  /** The picture's extent (everything above, with a margin). */
  bounds: Box;
}

/** Lays out the view and places every node, edge and label. */
export function graphDrawing(view: GraphView, what = "renderGraphSVG"): GraphDrawing {
  const layout = layoutGraph(view, what);
  const halfWidth = (node: GraphViewNode) => (node.op ? RADIUS : Math.max(RADIUS, textWidth(node.label, FONT) / 2 + 14));
  const columnX = columnPositions(view, layout.column, layout.columns.length, halfWidth);
  const nodes = view.nodes.map((node): NodeGeometry => {
    const centre = { x: columnX[layout.column.get(node.id)!], y: layout.y.get(node.id)! * ROW_GAP };
    const g: NodeGeometry = node.op
      ? { node, centre, halfWidth: RADIUS, halfHeight: RADIUS }
      : { node, centre, halfWidth: halfWidth(node), halfHeight: RADIUS * 0.8 };
    if (node.op && node.label && node.label !== node.op) {
      const w = textWidth(node.label, SMALL);
      g.caption = { text: node.label, box: { x0: centre.x - w / 2, x1: centre.x + w / 2, y0: centre.y + RADIUS + 4, y1: centre.y + RADIUS + 6 + SMALL } };
    }
    return g;
  });
  const byId = new Map(nodes.map((n) => [n.node.id, n]));
  const edges: EdgeGeometry[] = [];
  view.edges.forEach((e, i) => edges.push(edgePath(e, i, view.edges, byId, edges)));
  for (const n of nodes) {
    if (view.edges.some((e) => e.from === n.node.id)) continue;
    const start = { x: n.centre.x + n.halfWidth, y: n.centre.y };
    const end = { x: start.x + Math.max(110, widestLabel([n.node.value, n.node.grad]) + 40), y: start.y };
    edges.push({ edge: { from: n.node.id, to: "" }, start, end, control: null, samples: [start, end], isOutput: true });
  }
  const labels = placeLabels(nodes, edges, byId);

  const boxes: Box[] = [...labels.map((l) => l.box), ...nodes.flatMap((n) => [shapeBox(n, 0), ...(n.caption ? [n.caption.box] : [])])];
  const xs = boxes.flatMap((b) => [b.x0, b.x1]).concat(edges.flatMap((e) => e.samples.map((p) => p.x)));
  const ys = boxes.flatMap((b) => [b.y0, b.y1]).concat(edges.flatMap((e) => e.samples.map((p) => p.y)));
  const pad = 20;
  const bounds = { x0: Math.min(...xs) - pad, y0: Math.min(...ys) - pad, x1: Math.max(...xs) + pad, y1: Math.max(...ys) + pad };
  return { nodes, edges, labels, bounds };
}

/**
 * The x of each column: at least COL_GAP apart, and wider where the values or gradients on the edges
 * leaving a column are long (tensor shapes, small gradients), so each label fits beside its edge.
 */
function columnPositions(view: GraphView, column: Map<string, number>, count: number, halfWidth: (n: GraphViewNode) => number): number[] {
  const widestNode = new Array(count).fill(0), widestText = new Array(count).fill(0);
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  for (const n of view.nodes) widestNode[column.get(n.id)!] = Math.max(widestNode[column.get(n.id)!], halfWidth(n));
  for (const e of view.edges) {
    const src = byId.get(e.from)!, c = column.get(e.from)!;
    widestText[c] = Math.max(widestText[c], widestLabel([e.value ?? src.value, e.grad ?? src.grad]));
  }
  const xs = [0];
  for (let c = 1; c < count; c++) xs.push(xs[c - 1] + Math.max(COL_GAP, widestNode[c - 1] + widestNode[c] + widestText[c - 1] + 80));
  return xs;
}

function widestLabel(texts: (number | string | undefined)[]): number {
  return Math.max(0, ...texts.filter((t) => t !== undefined).map((t) => textWidth(formatValue(t!), FONT)));
}

/** The rectangle around a node's shape, grown by `margin`. */
export function shapeBox(n: NodeGeometry, margin: number): Box {
  return { x0: n.centre.x - n.halfWidth - margin, x1: n.centre.x + n.halfWidth + margin, y0: n.centre.y - n.halfHeight - margin, y1: n.centre.y + n.halfHeight + margin };
}

export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** Whether the polyline crosses or enters the box (Liang–Barsky clipping of each segment). */
export function polylineHitsBox(points: Point[], b: Box): boolean {
  for (let i = 0; i + 1 < points.length; i++) {
    const p = points[i], q = points[i + 1];
    let t0 = 0, t1 = 1;
    const dx = q.x - p.x, dy = q.y - p.y;
    const clip = (den: number, num: number) => {
      if (den === 0) return num >= 0; // parallel: inside this slab or not
      const t = num / den;
      if (den > 0) { if (t > t1) return false; if (t > t0) t0 = t; } else { if (t < t0) return false; if (t < t1) t1 = t; }
      return true;
    };
    if (clip(-dx, p.x - b.x0) && clip(dx, b.x1 - p.x) && clip(-dy, p.y - b.y0) && clip(dy, b.y1 - p.y) && t0 <= t1) return true;
  }
  return false;
}

/** The distance from p to the nearest point of the polyline. */
export function distanceToPolyline(p: Point, points: Point[]): number {
  let best = Infinity;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1], dx = b.x - a.x, dy = b.y - a.y;
    const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
    best = Math.min(best, Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy));
  }
  return best;
}

/** The point at parameter t of a straight edge, or of the quadratic curve through control point c. */
export function along(from: Point, to: Point, c: Point | null, t: number): Point {
  if (!c) return { x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t };
  const u = 1 - t;
  return { x: u * u * from.x + 2 * u * t * c.x + t * t * to.x, y: u * u * from.y + 2 * u * t * c.y + t * t * to.y };
}

function edgePath(e: GraphViewEdge, index: number, all: GraphViewEdge[], byId: Map<string, NodeGeometry>, drawn: EdgeGeometry[]): EdgeGeometry {
  // Parallel edges (x * x) fan out, and an edge that would run through a node in between bows around it.
  const twins = all.filter((o) => o.from === e.from && o.to === e.to);
  const k = all.slice(0, index).filter((o) => o.from === e.from && o.to === e.to).length;
  const src = byId.get(e.from)!, dst = byId.get(e.to)!;
  const a = src.centre, b = dst.centre;
  const others = [...byId.values()].filter((n) => n !== src && n !== dst).map((n) => n.centre);
  let bend = twins.length > 1 ? (k - (twins.length - 1) / 2) * 56 : 0;
  if (bend === 0 && clearance(a, b, null, others) < RADIUS + 12) {
    // Try gentle then stronger bows, either side; keep the first that clears every node and leaves room
    // for labels between it and the edges already drawn, else the first that clears the nodes, else the best.
    const options = [0.45, -0.45, 0.9, -0.9, 1.4, -1.4].map((f) => f * ROW_GAP);
    const lines = drawn.flatMap((d) => d.samples);
    const scored = options.map((o) => ({ o, gap: clearance(a, b, control(a, b, o), others), room: clearance(a, b, control(a, b, o), lines, 0.25, 0.75) }));
    const clear = scored.filter((x) => x.gap >= RADIUS + 12);
    bend = (clear.find((x) => x.room >= 2 * FONT + 8) ?? clear[0] ?? scored.reduce((x, y) => (y.gap > x.gap ? y : x))).o;
  }
  const c = control(a, b, bend);
  const start = boundary(src, c), end = boundary(dst, c);
  const curve = bend === 0 ? null : control(start, end, bend);
  const samples = curve ? Array.from({ length: 21 }, (_, i) => along(start, end, curve, i / 20)) : [start, end];
  return { edge: e, start, end, control: curve, samples, isOutput: false };
}

/** Where the straight line from the node's centre towards `q` leaves its shape. */
function boundary(n: NodeGeometry, q: Point): Point {
  const p = n.centre, dx = q.x - p.x, dy = q.y - p.y, len = Math.hypot(dx, dy) || 1;
  if (n.node.op) return { x: p.x + (dx / len) * RADIUS, y: p.y + (dy / len) * RADIUS };
  const t = Math.min(dx === 0 ? Infinity : n.halfWidth / Math.abs(dx), dy === 0 ? Infinity : n.halfHeight / Math.abs(dy));
  return { x: p.x + dx * t, y: p.y + dy * t };
}

/** The control point of a quadratic curve from a to b whose middle lies `bend` px to the left of the chord. */
function control(a: Point, b: Point, bend: number): Point {
  const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
  // Twice the offset: a quadratic Bézier passes halfway between the chord's midpoint and its control point.
  return { x: (a.x + b.x) / 2 + (dy / len) * 2 * bend, y: (a.y + b.y) / 2 - (dx / len) * 2 * bend };
}

/** The smallest distance from the inner part of an edge (straight or curved) to any of the given points. */
function clearance(a: Point, b: Point, c: Point | null, nodes: Point[], from = 0.1, to = 0.9): number {
  let best = Infinity;
  for (let t = from; t <= to + 1e-9; t += 0.05) {
    const p = along(a, b, c, t);
    for (const n of nodes) best = Math.min(best, Math.hypot(p.x - n.x, p.y - n.y));
  }
  return best;
}

/** The unit direction of the edge at parameter t. */
function direction(e: EdgeGeometry, t: number): Point {
  const p = along(e.start, e.end, e.control, Math.max(0, t - 0.01)), q = along(e.start, e.end, e.control, Math.min(1, t + 0.01));
  const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
  return { x: (q.x - p.x) / len, y: (q.y - p.y) / len };
}

/**
 * A text box of the given size just beside the edge at parameter t: `side` 1 above (to the left of the
 * direction of travel), -1 below. The centre moves along the normal until the box clears the line.
 */
function besideEdge(e: EdgeGeometry, t: number, side: 1 | -1, width: number, height: number, extra: number): Box {
  const m = along(e.start, e.end, e.control, t), d = direction(e, t);
  const n = { x: d.y * side, y: -d.x * side };
  const dist = (width / 2) * Math.abs(n.x) + (height / 2) * Math.abs(n.y) + GAP + extra;
  const cx = m.x + n.x * dist, cy = m.y + n.y * dist;
  return { x0: cx - width / 2, x1: cx + width / 2, y0: cy - height / 2, y1: cy + height / 2 };
}

/**
 * Puts each edge's value (above) and gradient (below) beside it, then the argument names near the
 * receiving end, at the first spot along the edge where the boxes touch no other label, node, caption
 * or edge; where no spot is free, at the one with the fewest collisions.
 */
function placeLabels(nodes: NodeGeometry[], edges: EdgeGeometry[], byId: Map<string, NodeGeometry>): LabelGeometry[] {
  type Part = { kind: LabelGeometry["kind"]; text: string; fontSize: number; box: Box };
  type Item = { edge: number; candidates: Part[][]; chosen: Part[] };
  const items: Item[] = [];
  const fanOut = (id: string) => edges.filter((e) => e.edge.from === id).length > 1;
  edges.forEach((e, i) => {
    const src = byId.get(e.edge.from)!.node;
    // Where a value feeds several gates, an edge shows only its own branch's share, never the total.
    const value = e.edge.value ?? src.value, grad = e.edge.grad ?? (fanOut(src.id) ? undefined : src.grad);
    const texts = { value: value === undefined ? undefined : formatValue(value), grad: grad === undefined ? undefined : formatValue(grad) };
    if (texts.value !== undefined || texts.grad !== undefined) {
      // Near the source first (about 0.4 column along): edges converging on a gate are apart there.
      const length = Math.hypot(e.end.x - e.start.x, e.end.y - e.start.y) || 1;
      const base = e.isOutput ? 0.5 : Math.min(0.5, (COL_GAP * 0.4) / length);
      const ts = [...new Set([0, 0.06, -0.06, 0.12, -0.12, 0.18, -0.18, 0.24, -0.24, 0.3, 0.36, 0.42, 0.5].map((d) => Math.round((base + d) * 100) / 100))]
        .filter((t) => t >= 0.1 && t <= 0.88);
      items.push({ edge: i, chosen: [], candidates: ts.flatMap((t) => [0, 6, 14].map((extra) => {
        const parts: Part[] = [];
        if (texts.value !== undefined) parts.push({ kind: "value", text: texts.value, fontSize: FONT, box: besideEdge(e, t, 1, textWidth(texts.value, FONT) + 2, FONT, extra) });
        if (texts.grad !== undefined) parts.push({ kind: "grad", text: texts.grad, fontSize: FONT, box: besideEdge(e, t, -1, textWidth(texts.grad, FONT) + 2, FONT, extra) });
        return parts;
      })) });
    }
  });
  edges.forEach((e, i) => {
    // The argument's name (x, y of x - y) near the receiving end, on whichever side is free.
    if (!e.edge.label) return;
    const text = portName(e.edge, edges.map((d) => d.edge), nodes.map((n) => n.node.label)), w = textWidth(text, SMALL) + 2;
    items.push({ edge: i, chosen: [], candidates: [0.8, 0.72, 0.64, 0.88, 0.56].flatMap((t) => ([1, -1] as const).flatMap((side) =>
      [0, 6].map((extra) => [{ kind: "argument" as const, text, fontSize: SMALL, box: besideEdge(e, t, side, w, SMALL, extra) }]))) });
  });

  for (const n of nodes) {
    // "Gradients add at branches": the node also shows the sum of its branches' shares.
    if (n.node.grad === undefined || !fanOut(n.node.id)) continue;
    const text = `Σ ${formatValue(n.node.grad)}`, w = textWidth(text, FONT) + 2, { x, y } = n.centre;
    const below = y + n.halfHeight + (n.caption ? SMALL + 8 : 4), above = y - n.halfHeight - 4, left = x - n.halfWidth - 6;
    const spots = [0, 8, 16].flatMap((d): Box[] => [
      { x0: x - w / 2, x1: x + w / 2, y0: below + d, y1: below + d + FONT },
      { x0: x - w / 2, x1: x + w / 2, y0: above - d - FONT, y1: above - d },
      { x0: left - d - w, x1: left - d, y0: y - FONT / 2, y1: y + FONT / 2 },
      { x0: left - d - w, x1: left - d, y0: below + d, y1: below + d + FONT },
    ]);
    items.push({ edge: -1, chosen: [], candidates: spots.map((box) => [{ kind: "total" as const, text, fontSize: FONT, box }]) });
  }

  const obstacles: Box[] = nodes.flatMap((n) => [shapeBox(n, 4), ...(n.caption ? [n.caption.box] : [])]);
  // Weighted so that text on text is worst, text on a node next, text on a line least bad; labels
  // keep a few pixels from each other so that each pair reads as one.
  const cost = (parts: Part[], self: Item) => {
    let total = 0;
    for (const { box } of parts) {
      for (const other of items) if (other !== self) for (const o of other.chosen) if (boxesOverlap(grow(o.box, LABEL_SPACE), box)) total += 10;
      for (const o of obstacles) if (boxesOverlap(o, box)) total += 5;
      edges.forEach((e, i) => { if ((i !== self.edge || e.control) && polylineHitsBox(e.samples, box)) total += 1; });
      // A number must be nearer its own edge than any other, or the audience reads it as the other's.
      if (self.edge < 0) continue;
      const centre = { x: (box.x0 + box.x1) / 2, y: (box.y0 + box.y1) / 2 };
      const own = distanceToPolyline(centre, edges[self.edge].samples);
      edges.forEach((e, i) => { if (i !== self.edge && distanceToPolyline(centre, e.samples) < own + 4) total += 3; });
    }
    return total;
  };
  // Greedy, then a few rounds in which each item moves to its best spot given all the others: a label
  // placed first in a spot another edge needs more moves out of the way.
  for (let round = 0; round < 5; round++) {
    let worst = 0;
    for (const item of items) {
      let fewest = Infinity;
      for (const parts of item.candidates) {
        const c = cost(parts, item);
        if (c < fewest) { fewest = c; item.chosen = parts; }
        if (c === 0) break;
      }
      worst = Math.max(worst, fewest);
    }
    if (worst === 0) break;
  }
  return items.flatMap((item) => item.chosen.map((p) => ({ ...p, edge: item.edge })));
}

/**
 * An argument's name as drawn: the gate's own ("a", "b" of a @ b), unless some node in the picture has
 * a name among the gate's argument names (01's bias "b" next to w @ x's "b"), which would read as that
 * node; then the arguments are named by position: "1st", "2nd", ...
 */
function portName(e: GraphViewEdge, all: GraphViewEdge[], nodeLabels: string[]): string {
  const siblings = all.filter((o) => o.to === e.to && o.label);
  if (!siblings.some((o) => nodeLabels.includes(o.label!))) return e.label!;
  const k = siblings.indexOf(e);
  return ["1st", "2nd", "3rd"][k] ?? `${k + 1}th`;
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
