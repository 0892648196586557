/**
 * Drawing the graph that Tensor autograd recorded (the PyTorch slide's graph): every tensor that
 * `output` was computed from, the gates in between, shapes as values and leaf gradients.
 */
import { creatorOf } from "../autograd/engine";
import { Tensor } from "../tensor/tensor";
import { GraphView, displayBundle, viewValue } from "./view";

export function tensorGraphView(output: Tensor): GraphView {
  if (!(output instanceof Tensor)) throw new TypeError("tensorGraphView: expected a Tensor");
  const ids = new Map<Tensor, string>();
  const view: GraphView = { nodes: [], edges: [] };
  let constants = 0;
  const visit = (t: Tensor): string => {
    const known = ids.get(t);
    if (known) return known;
    const creator = creatorOf(t);
    const id = `t${ids.size}`;
    ids.set(t, id);
    const inputIds = (creator?.inputs ?? []).map((x) => {
      if (x instanceof Tensor) return visit(x);
      const cid = `c${constants++}`;
      view.nodes.push({ id: cid, label: String(x), value: x });
      return cid;
    });
    const node: GraphView["nodes"][number] = { id, label: t.name ?? (creator ? "" : id) };
    if (creator) node.op = creator.gate.label;
    const value = viewValue(t), grad = t.grad ? viewValue(t.grad) : undefined;
    if (value !== undefined) node.value = value;
    if (grad !== undefined) node.grad = grad;
    view.nodes.push(node);
    for (const from of inputIds) view.edges.push({ from, to: id });
    return id;
  };
  // Recursion depth equals the graph's depth; fine for drawings (a drawable graph is small).
  visit(output);
  return view;
}

/** The notebook bundle (SVG + text) for a tensor's recorded graph. */
export function tensorGraphDisplay(output: Tensor): Record<string, string> {
  return displayBundle(tensorGraphView(output), "Tensor graph");
}
