/**
 * Drawing the graph that Tensor autograd recorded (the PyTorch slide's graph): every tensor that
 * `output` was computed from, the gates in between, shapes as values and leaf gradients.
 */
import { topologicalOrder } from "../autograd/backprop";
import { creatorOf } from "../autograd/engine";
import { Tensor } from "../tensor/tensor";
import { DrawnNode, GraphView, GraphViewNode, displayBundle, graphView, viewValue } from "./view";

export function tensorGraphView(output: Tensor): GraphView {
  if (!(output instanceof Tensor)) throw new TypeError("tensorGraphView: expected a Tensor");
  // Every tensor input is drawn, also one without a gradient (backward's walk skips those).
  const order = topologicalOrder([output], {
    arity: (t) => creatorOf(t)?.inputs.length ?? 0,
    input: (t, j) => {
      const x = creatorOf(t)!.inputs[j];
      return x instanceof Tensor ? x : null;
    },
  });
  // Ids are numbered from the output down (the output is t0).
  const ids = new Map(order.map((t, k) => [t, `t${order.length - 1 - k}`]));
  const drawn: DrawnNode[] = [];
  let constants = 0;
  for (const t of order) {
    const creator = creatorOf(t);
    const inputs = (creator?.inputs ?? []).map((x) => {
      if (x instanceof Tensor) return ids.get(x)!;
      const id = `c${constants++}`;
      drawn.push({ node: { id, label: String(x), value: x }, gate: null, inputs: [], sent: null });
      return id;
    });
    const id = ids.get(t)!;
    const node: GraphViewNode = { id, label: t.name ?? (creator ? "" : id) };
    if (creator) node.op = creator.gate.label;
    const value = viewValue(t), grad = t.grad ? viewValue(t.grad) : undefined;
    if (value !== undefined) node.value = value;
    if (grad !== undefined) node.grad = grad;
    drawn.push({ node, gate: null, inputs, sent: null });
  }
  return graphView(drawn);
}

/** The notebook bundle (SVG + text) for a tensor's recorded graph. */
export function tensorGraphDisplay(output: Tensor): Record<string, string> {
  return displayBundle(tensorGraphView(output), "Tensor graph");
}
