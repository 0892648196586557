/**
 * Layered left-to-right layout of a computation graph (a DAG), as on the lecture slides: inputs in
 * the first column, each node one column right of its deepest input, nodes in a column ordered to
 * keep edges from crossing (barycentre sweeps).
 */
export interface GraphViewNode {
  id: string;
  label: string;
  /** The operation ("+", "*", "max", "σ", "exp", ...); absent for inputs and parameters. */
  op?: string;
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
  /** Column and row of each node id. */
  column: Map<string, number>;
  row: Map<string, number>;
  columns: string[][];
}

/** Checks the view (unique ids, known endpoints, no cycle) and lays it out. */
export function layoutGraph(view: GraphView, what = "graph"): Layout {
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

  // Longest path from a source gives the column (Kahn's order; leftover nodes lie on a cycle).
  const column = new Map<string, number>();
  const indegree = new Map([...ids].map((id) => [id, preds.get(id)!.length]));
  const queue = view.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  for (const id of queue) column.set(id, 0);
  for (let k = 0; k < queue.length; k++) {
    const id = queue[k];
    for (const s of succs.get(id)!) {
      column.set(s, Math.max(column.get(s) ?? 0, column.get(id)! + 1));
      indegree.set(s, indegree.get(s)! - 1);
      if (indegree.get(s) === 0) queue.push(s);
    }
  }
  if (queue.length !== ids.size) {
    const stuck = [...ids].filter((id) => indegree.get(id)! > 0);
    throw new Error(`${what}: not a DAG, these nodes are on or behind a cycle: ${stuck.join(", ")}`);
  }

  // Constants (inputs whose label is a number, like the 1 of 1 + e^-x) sit just left of the gate that
  // uses them rather than with the named inputs, so their edges stay short.
  for (const n of view.nodes) {
    const uses = succs.get(n.id)!;
    if (!n.op && preds.get(n.id)!.length === 0 && uses.length > 0 && isNumeric(n.label)) {
      column.set(n.id, Math.max(0, Math.min(...uses.map((u) => column.get(u)!)) - 1));
    }
  }

  const width = Math.max(...[...column.values(), 0]) + 1;
  const columns: string[][] = Array.from({ length: width }, () => []);
  for (const n of view.nodes) columns[column.get(n.id)!].push(n.id);
  const row = new Map<string, number>();
  const renumber = () => columns.forEach((c) => c.forEach((id, i) => row.set(id, i)));
  renumber();
  const barycentre = (id: string, neighbours: Map<string, string[]>) => {
    const ns = neighbours.get(id)!;
    return ns.length ? ns.reduce((s, n) => s + row.get(n)!, 0) / ns.length : row.get(id)!;
  };
  for (let sweep = 0; sweep < 4; sweep++) {
    const order = sweep % 2 === 0 ? columns.slice(1) : columns.slice(0, -1).reverse();
    const neighbours = sweep % 2 === 0 ? preds : succs;
    for (const c of order) {
      const keys = new Map(c.map((id) => [id, barycentre(id, neighbours)]));
      c.sort((a, b) => keys.get(a)! - keys.get(b)! || row.get(a)! - row.get(b)!); // stable on ties
      c.forEach((id, i) => row.set(id, i));
    }
  }
  renumber();
  return { column, row, columns };
}

function isNumeric(label: string | undefined): boolean {
  return typeof label === "string" && label.trim() !== "" && Number.isFinite(Number(label));
}
