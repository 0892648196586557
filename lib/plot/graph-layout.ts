/**
 * Layered left-to-right layout of a computation graph (a DAG), as on the lecture slides: inputs in
 * the first column, each node one column right of its deepest input, a constant in the column just
 * before the gate that first uses it, nodes in a column ordered to keep edges from crossing
 * (barycentre sweeps), and each node moved up or down towards its neighbours so chains run straight.
 */
import { topologicalOrder } from "../autograd/backprop";

export interface GraphViewNode {
  id: string;
  label: string;
  /** The operation ("+", "*", "max", "σ", "exp", ...); absent for inputs and parameters. */
  op?: string;
  /** A fixed number rather than an input (the 2 of 2·(…)); drawn next to the gate that uses it. */
  constant?: boolean;
  /** The forward value (a number, or a short text such as a tensor's shape). */
  value?: number | string;
  /** The gradient of the output with respect to this node, after backward. */
  grad?: number | string;
}

export interface GraphViewEdge {
  from: string;
  to: string;
  /** Optional text at the receiving end (e.g. which argument of the gate). */
  label?: string;
  /** The value and gradient carried on this edge when they differ from the source node's (fan-out). */
  value?: number | string;
  grad?: number | string;
}

export interface GraphView {
  nodes: GraphViewNode[];
  edges: GraphViewEdge[];
}

export interface Layout {
  /** Column and row (order within the column, from the top) of each node id. */
  column: Map<string, number>;
  row: Map<string, number>;
  columns: string[][];
  /** Vertical position of each node in units of the row spacing (0 = top); neighbours in a column are at least 1 apart. */
  y: Map<string, number>;
}

/** Checks the view (unique ids, known endpoints, no cycle) and lays it out. */
export function layoutGraph(view: GraphView, what = "graph"): Layout {
  const { ids, preds, succs } = checkedAdjacency(view, what);
  const column = columnsOf(view, preds, succs, what);

  const width = Math.max(...[...column.values(), 0]) + 1;
  const columns: string[][] = Array.from({ length: width }, () => []);
  for (const n of view.nodes) columns[column.get(n.id)!].push(n.id);
  const tallest = Math.max(1, ...columns.map((c) => c.length));
  const row = new Map<string, number>();
  const y = new Map<string, number>();
  const renumber = () => columns.forEach((c) => c.forEach((id, i) => { row.set(id, i); y.set(id, i + (tallest - c.length) / 2); }));
  renumber();

  // Order within columns: sort by the mean position of the neighbours on one side, sweeping right then
  // left. A node with no neighbour on that side (an input, a constant) follows its other side instead.
  const barycentre = (id: string, first: Map<string, string[]>, second: Map<string, string[]>) => {
    const ns = first.get(id)!.length ? first.get(id)! : second.get(id)!;
    return ns.length ? ns.reduce((s, n) => s + y.get(n)!, 0) / ns.length : y.get(id)!;
  };
  for (let sweep = 0; sweep < 4; sweep++) {
    const forward = sweep % 2 === 0;
    for (const c of forward ? columns : [...columns].reverse()) {
      const keys = new Map(c.map((id) => [id, forward ? barycentre(id, preds, succs) : barycentre(id, succs, preds)]));
      c.sort((a, b) => keys.get(a)! - keys.get(b)! || row.get(a)! - row.get(b)!); // stable on ties
      renumber();
    }
  }

  // Vertical positions: each node as close as possible to the mean of its neighbours, keeping the
  // column's order and a gap of at least one row (alternating sweeps, as the ordering did).
  for (let sweep = 0; sweep < 8; sweep++) {
    const forward = sweep % 2 === 0;
    for (const c of forward ? columns : [...columns].reverse()) {
      const wanted = c.map((id) => {
        const ns = (forward ? preds : succs).get(id)!;
        return ns.length ? ns.reduce((s, n) => s + y.get(n)!, 0) / ns.length : y.get(id)!;
      });
      spread(wanted, 1).forEach((v, i) => y.set(c[i], v));
    }
  }
  const top = Math.min(...y.values());
  for (const [id, v] of y) y.set(id, Math.round((v - top) * 1000) / 1000);
  return { column, row, columns, y };
}

/**
 * The positions closest (least squares) to `wanted` that keep their order and are at least `gap`
 * apart: neighbours that would come too close are merged into a block placed at their mean
 * (pool-adjacent-violators).
 */
export function spread(wanted: number[], gap: number): number[] {
  const blocks: { start: number; size: number; sum: number }[] = [];
  wanted.forEach((w, i) => {
    // A block's members sit at top, top + gap, ...; its best top is the mean of (wanted - offset).
    blocks.push({ start: i, size: 1, sum: w });
    for (;;) {
      const b = blocks[blocks.length - 1], a = blocks[blocks.length - 2];
      if (!a || a.sum / a.size + a.size * gap <= b.sum / b.size) break;
      blocks.splice(-2, 2, { start: a.start, size: a.size + b.size, sum: a.sum + b.sum - b.size * a.size * gap });
    }
  });
  const out: number[] = [];
  for (const b of blocks) for (let k = 0; k < b.size; k++) out.push(b.sum / b.size + k * gap);
  return out;
}

function checkedAdjacency(view: GraphView, what: string) {
  if (!view || !Array.isArray(view.nodes) || !Array.isArray(view.edges)) {
    throw new TypeError(`${what}: expected { nodes: [...], edges: [...] }`);
  }
  const ids = new Set<string>();
  for (const n of view.nodes) {
    if (typeof n.id !== "string" || n.id === "") throw new TypeError(`${what}: every node needs a non-empty string id, got ${JSON.stringify(n.id)}`);
    if (ids.has(n.id)) throw new Error(`${what}: node id '${n.id}' appears twice`);
    ids.add(n.id);
  }
  const preds = new Map<string, string[]>(), succs = new Map<string, string[]>();
  for (const id of ids) { preds.set(id, []); succs.set(id, []); }
  for (const e of view.edges) {
    for (const end of [e.from, e.to]) {
      if (!ids.has(end)) throw new Error(`${what}: edge ${e.from} -> ${e.to} refers to unknown node '${end}'`);
    }
    preds.get(e.to)!.push(e.from);
    succs.get(e.from)!.push(e.to);
  }
  return { ids, preds, succs };
}

function columnsOf(view: GraphView, preds: Map<string, string[]>, succs: Map<string, string[]>, what: string) {
  // Longest path from a source gives the column: one column right of the deepest input, walking the
  // graph in the library's one topological order.
  const column = new Map<string, number>();
  const order = topologicalOrder(view.nodes.map((n) => n.id), {
    arity: (id) => preds.get(id)!.length,
    input: (id, j) => preds.get(id)![j],
    cycle: (path) => {
      throw new Error(`${what}: not a DAG, these nodes are on a cycle: ${path.slice(0, -1).join(", ")}`);
    },
  });
  for (const id of order) column.set(id, Math.max(0, ...preds.get(id)!.map((p) => column.get(p)! + 1)));
  // Constants (marked, or unnamed inputs whose label is a number, like the 1 of 1 + e^-x) sit just
  // left of the first gate that uses them rather than with the named inputs, so their edges stay short.
  for (const n of view.nodes) {
    const uses = succs.get(n.id)!;
    if (isConstant(n) && preds.get(n.id)!.length === 0 && uses.length > 0) {
      column.set(n.id, Math.max(0, Math.min(...uses.map((u) => column.get(u)!)) - 1));
    }
  }
  return column;
}

export function isConstant(n: GraphViewNode): boolean {
  if (n.op) return false;
  if (n.constant) return true;
  return typeof n.label === "string" && n.label.trim() !== "" && Number.isFinite(Number(n.label));
}
