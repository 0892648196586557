/**
 * Graph: the lecture's ComputationalGraph (define-then-run). Declare inputs, apply gates to nodes,
 * then run forward (every node in topological order) and backward (reverse order, gradients of
 * nodes that fan out added up) as often as you like. Every step is recorded in `trace` for
 * step-by-step lectures.
 */
import { Num, add, describe, isTensor, zerosLike } from "../gates/arith";
import { Gate } from "../gates/gate";
import { ForeignGate, GateLike, asGate, gateArity, gateLabel, gateName, isGateLike } from "../gates/gate-like";
import { formatShape, sameShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { GraphView, displayBundle, dotOf, svgOf, viewText, viewValue } from "./view";

export type NodeKind = "input" | "constant" | "op";

/** A node of a Graph. Its value and grad are those of the last forward/backward run. */
export class GraphNode<V extends Num = Num> {
  value: V | undefined = undefined;
  grad: V | undefined = undefined;
  /** Inputs by name (names may refer to nodes declared later; resolved when the graph runs). */
  readonly inputs: string[];
  /** What drawings print: the name, or for unnamed nodes the constant's value / nothing (the op shows). */
  label: string;
  constructor(
    readonly graph: Graph,
    readonly name: string,
    readonly kind: NodeKind,
    /** The node's gate (a student's own gate class is wrapped in a ForeignGate); it only ever sees V values. */
    readonly gate: Gate<V> | null,
    inputs: string[],
    readonly constant: V | undefined = undefined,
  ) {
    this.inputs = inputs;
    this.label = name;
  }
  toString(): string {
    return this.gate ? `${this.name} = ${gateLabel(this.gate)}(${this.inputs.join(", ")})` : this.name;
  }
}

/** One recorded step of a run. */
export interface TraceStep {
  phase: "forward" | "backward";
  node: string;
  /** The gate's label ("*", "max", ...); undefined for inputs and constants. */
  op?: string;
  inputs: string[];
  /** The node's forward value. */
  value: Num;
  /** Backward only: d(output)/d(node), the gradient arriving from above (summed over fan-out). */
  upstream?: Num;
  /** Backward only, scalar nodes: d(node)/d(input) for each input (what the gate knows locally). */
  localGradients?: Num[];
  /** Backward only: the gradient sent to each input (upstream times local). */
  downstream?: Num[];
}

export type NodeRef = GraphNode | string;

/**
 * `V` is what the graph's values are: `Num` by default (numbers or Tensors), or `number` for a
 * scalar graph (`new Graph<number>()`), whose forward returns a number and backward numbers. A scalar
 * graph takes number constants and gates whose forward maps numbers to numbers (AddGate, SigmoidGate,
 * a student's `forward(x: number, y: number): number`), so no node can become a Tensor; its gradients
 * are numbers because every gate returns each input's gradient in that input's shape.
 * The typed signatures below are overloads over the untyped (Num) implementations.
 */
export class Graph<V extends Num = Num> {
  private readonly nodes = new Map<string, GraphNode>();
  private outputName: string | null = null;
  private counter = 0;
  /** Whether forward has run since the graph last changed, and whether that run threw (then backward must refuse). */
  private forwardState: "none" | "done" | "threw" = "none";
  /** Per (consumer, input slot): the gradient sent along that edge in the last backward run. */
  private edgeGrads = new Map<string, Num>();
  /** The steps of the last forward run and, after it, of the last backward run. */
  trace: TraceStep[] = [];

  /** Declares an input fed by `forward(feed)` under this name. */
  input(name: string): GraphNode<V>;
  input(name: string): GraphNode {
    return this.add(new GraphNode(this, this.checkName(name), "input", null, []));
  }

  /** A fixed value (e.g. the 2 in 2·(x·y + max(z, w))). */
  constant(value: V, name?: string): GraphNode<V>;
  constant(value: Num, name?: string): GraphNode {
    if (typeof value !== "number" && !isTensor(value)) {
      throw new TypeError(`Graph.constant: value must be a number or a Tensor, got ${describe(value)}`);
    }
    const id = name === undefined ? this.freshName(typeof value === "number" ? String(value) : "const") : this.checkName(name);
    const node = this.add(new GraphNode(this, id, "constant", null, [], value));
    if (name === undefined) node.label = typeof value === "number" ? String(value) : "const";
    return node;
  }

  /** Adds a node computing gate(inputs...). Each node needs its own gate instance (gates cache one forward). */
  apply(gate: GateLike & { forward(...inputs: V[]): V }, inputs: NodeRef[], name?: string): GraphNode<V>;
  apply(gate: GateLike, inputs: NodeRef[], name?: string): GraphNode {
    if (!isGateLike(gate)) {
      throw new TypeError(`Graph.apply: expected a gate with forward and backward methods (e.g. new AddGate()), got ${describe(gate)}`);
    }
    const gname = gateName(gate);
    if (!Array.isArray(inputs)) throw new TypeError(`Graph.apply(${gname}): inputs must be an array of nodes or node names`);
    for (const n of this.nodes.values()) {
      if (n.gate === gate || (n.gate instanceof ForeignGate && n.gate.inner === gate)) {
        throw new Error(`Graph.apply: this ${gname} is already used by node '${n.name}'; create a new gate for each node (a gate caches one forward pass)`);
      }
    }
    const arity = gateArity(gate);
    if (arity !== null && inputs.length !== arity) {
      const names = gate.inputNames ? ` (${gate.inputNames.join(", ")})` : "";
      throw new RangeError(`Graph.apply: ${gname} takes ${arity} input(s)${names}, got ${inputs.length}`);
    }
    const names = inputs.map((ref) => {
      if (typeof ref === "string") return ref;
      if (ref instanceof GraphNode) {
        if (ref.graph !== this) throw new Error(`Graph.apply: node '${ref.name}' belongs to another graph`);
        return ref.name;
      }
      throw new TypeError(`Graph.apply(${gname}): each input must be a node or a node name, got ${describe(ref)}`);
    });
    const id = name === undefined ? this.freshName(gateLabel(gate)) : this.checkName(name);
    const node = this.add(new GraphNode(this, id, "op", asGate(gate), names));
    if (name === undefined) node.label = "";
    return node;
  }

  /** Chooses the output node (by default: the only op node that feeds nothing). */
  setOutput(node: NodeRef): this {
    this.outputName = this.node(typeof node === "string" ? node : node.name).name;
    return this;
  }

  node(name: string): GraphNode<V>;
  node(name: string): GraphNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`Graph: no node named '${name}' (nodes: ${[...this.nodes.keys()].join(", ") || "none"})`);
    return n;
  }

  get inputNames(): string[] {
    return [...this.nodes.values()].filter((n) => n.kind === "input").map((n) => n.name);
  }

  get output(): GraphNode {
    if (this.outputName !== null) return this.node(this.outputName);
    const used = new Set([...this.nodes.values()].flatMap((n) => n.inputs));
    const sinks = [...this.nodes.values()].filter((n) => n.kind === "op" && !used.has(n.name));
    if (sinks.length === 1) return sinks[0];
    if (sinks.length === 0) throw new Error("Graph: no output: apply at least one gate (or call setOutput)");
    throw new Error(`Graph: several nodes feed nothing (${sinks.map((s) => s.name).join(", ")}); call setOutput(name) to choose the output`);
  }

  /**
   * Nodes in topological order (every node after its inputs), by depth-first search from each node in
   * declaration order. Throws naming the cycle if there is one, or naming an undefined input.
   */
  topologicalOrder(): GraphNode[] {
    const state = new Map<string, "active" | "done">();
    const order: GraphNode[] = [];
    const path: string[] = [];
    const visit = (name: string, from: string | null) => {
      const n = this.nodes.get(name);
      if (!n) {
        throw new Error(`Graph: node '${from}' takes input '${name}', which is not defined (nodes: ${[...this.nodes.keys()].join(", ")})`);
      }
      const s = state.get(name);
      if (s === "done") return;
      if (s === "active") {
        const cycle = [...path.slice(path.indexOf(name)), name];
        throw new Error(`Graph has a cycle: ${cycle.join(" -> ")} (a computational graph must be acyclic)`);
      }
      state.set(name, "active");
      path.push(name);
      for (const i of n.inputs) visit(i, name);
      path.pop();
      state.set(name, "done");
      order.push(n);
    };
    for (const name of this.nodes.keys()) visit(name, null);
    return order;
  }

  /** Runs every node in topological order; returns the output's value. */
  forward(feed: Record<string, V>): V;
  forward(feed: Record<string, Num>): Num {
    this.forwardState = "threw"; // until it completes
    if (feed === null || typeof feed !== "object") throw new TypeError(`Graph.forward: feed must be an object like { x: -2, y: 5 }, got ${describe(feed)}`);
    const inputs = this.inputNames;
    for (const key of Object.keys(feed)) {
      if (!inputs.includes(key)) throw new Error(`Graph.forward: '${key}' is not an input of this graph (inputs: ${inputs.join(", ")})`);
    }
    for (const name of inputs) {
      if (!(name in feed)) throw new Error(`Graph.forward: no value for input '${name}' (inputs: ${inputs.join(", ")})`);
      const v = feed[name];
      if (typeof v !== "number" && !isTensor(v)) throw new TypeError(`Graph.forward: input '${name}' must be a number or a Tensor, got ${describe(v)}`);
    }
    const order = this.topologicalOrder();
    const output = this.output;
    this.trace = [];
    this.edgeGrads.clear();
    for (const n of this.nodes.values()) n.grad = undefined;
    for (const n of order) {
      if (n.kind === "input") n.value = feed[n.name];
      else if (n.kind === "constant") n.value = n.constant;
      else {
        const args = n.inputs.map((i) => this.nodes.get(i)!.value as Num);
        try {
          n.value = n.gate!.forward(...args);
        } catch (e) {
          throw withContext(e, `Graph.forward at node '${n.name}'`);
        }
      }
      this.trace.push({ phase: "forward", node: n.name, op: n.gate ? gateLabel(n.gate) : undefined, inputs: n.inputs.slice(), value: n.value as Num });
    }
    this.forwardState = "done";
    return output.value as Num;
  }

  /**
   * Gradients of the output with respect to every input, by name. `seed` is d(loss)/d(output)
   * (default 1; for a tensor output, ones of its shape). Nodes that feed the output through several
   * paths receive the sum of the gradients from all paths; inputs the output does not depend on get 0.
   */
  backward(seed?: V): Record<string, V>;
  backward(seed?: Num): Record<string, Num> {
    if (this.forwardState === "threw") throw new Error("Graph.backward: the last forward threw an error, so there is no forward pass to differentiate: run forward(feed) again with valid inputs");
    if (this.forwardState === "none") throw new Error("Graph.backward called before forward: run forward(feed) first");
    const order = this.topologicalOrder();
    const output = this.output;
    const outValue = output.value as Num;
    const start = seed === undefined ? (isTensor(outValue) ? Tensor.onesLike(outValue) : 1) : seed;
    if (typeof start !== "number" && !isTensor(start)) throw new TypeError(`Graph.backward: seed must be a number or a Tensor, got ${describe(start)}`);
    if (isTensor(outValue) && isTensor(start) && !sameShape(start.shape, outValue.shape)) {
      throw new RangeError(`Graph.backward: seed has shape ${formatShape(start.shape)} but the output '${output.name}' has shape ${formatShape(outValue.shape)}`);
    }
    this.trace = this.trace.filter((s) => s.phase === "forward");
    this.edgeGrads.clear();
    const grads = new Map<string, Num>([[output.name, isTensor(outValue) && typeof start === "number" ? Tensor.full(outValue.shape, start) : start]]);
    for (let k = order.length - 1; k >= 0; k--) {
      const n = order[k];
      const g = grads.get(n.name);
      n.grad = g ?? zerosLike(n.value as Num);
      if (g === undefined) continue;
      const step: TraceStep = { phase: "backward", node: n.name, op: n.gate ? gateLabel(n.gate) : undefined, inputs: n.inputs.slice(), value: n.value as Num, upstream: g };
      if (n.gate) {
        let downstream: Num[];
        try {
          downstream = n.gate.backward(g);
          if (!Array.isArray(downstream) || downstream.length !== n.inputs.length) {
            throw new Error(`${gateName(n.gate)}.backward returned ${Array.isArray(downstream) ? `${downstream.length} gradient(s)` : describe(downstream)} but node '${n.name}' has ${n.inputs.length} input(s): return an array with one gradient per input`);
          }
          // Gates are linear in dout, so backward(1) is the local derivative of a scalar node.
          if (typeof n.value === "number") step.localGradients = n.gate.backward(1);
        } catch (e) {
          throw withContext(e, `Graph.backward at node '${n.name}'`);
        }
        step.downstream = downstream;
        n.inputs.forEach((i, j) => {
          this.edgeGrads.set(`${n.name}\u0000${j}`, downstream[j]);
          const prev = grads.get(i);
          grads.set(i, prev === undefined ? downstream[j] : add(prev, downstream[j]));
        });
      }
      this.trace.push(step);
    }
    const result: Record<string, Num> = {};
    for (const name of this.inputNames) result[name] = this.nodes.get(name)!.grad as Num;
    return result;
  }

  /** The graph for drawing: nodes with op, value and gradient; edges carry per-branch gradients. */
  toView(): GraphView {
    const nodes = [...this.nodes.values()].map((n) => {
      const v: GraphView["nodes"][number] = { id: n.name, label: n.label };
      if (n.gate) v.op = gateLabel(n.gate);
      if (n.kind === "constant") v.constant = true;
      const value = viewValue(n.value), grad = viewValue(n.grad);
      if (value !== undefined) v.value = value;
      if (grad !== undefined) v.grad = grad;
      return v;
    });
    const fanOut = new Map<string, number>();
    for (const n of this.nodes.values()) for (const i of n.inputs) fanOut.set(i, (fanOut.get(i) ?? 0) + 1);
    const edges = [...this.nodes.values()].flatMap((n) =>
      n.inputs.map((from, j) => {
        const e: GraphView["edges"][number] = { from, to: n.name };
        // Say which argument an edge is where the order matters (x - y, x / y, a @ b).
        if (n.gate && !n.gate.commutative && n.inputs.length > 1) e.label = n.gate.inputName(j);
        // Where a value fans out, each edge carries only its own branch's gradient.
        const branch = this.edgeGrads.get(`${n.name}\u0000${j}`);
        if ((fanOut.get(from) ?? 0) > 1 && branch !== undefined) e.grad = viewValue(branch);
        return e;
      }),
    );
    return { nodes, edges };
  }

  toSVG(): string {
    return svgOf(this.toView());
  }

  toDOT(): string {
    return dotOf(this.toView());
  }

  toString(): string {
    return viewText(this.toView(), "Graph");
  }

  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return displayBundle(this.toView(), "Graph");
  }

  private add(node: GraphNode): GraphNode {
    this.nodes.set(node.name, node);
    this.forwardState = "none";
    return node;
  }

  private checkName(name: string): string {
    if (typeof name !== "string" || name === "") throw new TypeError(`Graph: a node name must be a non-empty string, got ${describe(name)}`);
    if (this.nodes.has(name)) throw new Error(`Graph: a node named '${name}' already exists`);
    return name;
  }

  private freshName(base: string): string {
    let id: string;
    do id = `${base}#${this.counter++}`;
    while (this.nodes.has(id));
    return id;
  }
}

/** Prefixes an error's message with where in the graph it happened (keeping its type and stack). */
function withContext(e: unknown, where: string): unknown {
  if (e instanceof Error) e.message = `${where}: ${e.message}`;
  return e;
}
