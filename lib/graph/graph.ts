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
import { GraphView, GraphViewNode, displayBundle, dotOf, graphView, svgOf, viewText, viewValue } from "./view";
import { type Inputs, backpropagate, gradientMap, topologicalOrder } from "../autograd/backprop";

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

/** One recorded step of a run; its values are the graph's V (numbers in a `Graph<number>`). */
export interface TraceStep<V extends Num = Num> {
  phase: "forward" | "backward";
  node: string;
  /** The gate's label ("*", "max", ...); undefined for inputs and constants. */
  op?: string;
  inputs: string[];
  /** The node's forward value. */
  value: V;
  /** Backward only: d(output)/d(node), the gradient arriving from above (summed over fan-out). */
  upstream?: V;
  /** Backward only, scalar nodes: d(node)/d(input) for each input (what the gate knows locally). */
  localGradients?: V[];
  /** Backward only: the gradient sent to each input (upstream times local). */
  downstream?: V[];
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
  /** Per node: the gradients it sent to its inputs in the last backward run (drawn on fanning-out edges). */
  private sent = new Map<GraphNode, readonly Num[]>();
  /**
   * The steps of the last forward run and, after it, of the last backward run. Their values are V:
   * they are the nodes' values and gradients (the casts where steps are pushed say so).
   */
  trace: TraceStep<V>[] = [];

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
  topologicalOrder(): GraphNode<V>[];
  topologicalOrder(): GraphNode[] {
    return topologicalOrder(this.nodes.values(), this.walk);
  }

  /** How the shared core walks this graph: inputs are names, resolved when the graph runs. */
  private readonly walk: Inputs<GraphNode> = {
    arity: (n) => n.inputs.length,
    input: (n, j) => {
      const x = this.nodes.get(n.inputs[j]);
      if (!x) {
        throw new Error(`Graph: node '${n.name}' takes input '${n.inputs[j]}', which is not defined (nodes: ${[...this.nodes.keys()].join(", ")})`);
      }
      return x;
    },
    cycle: (path) => {
      throw new Error(`Graph has a cycle: ${path.map((n) => n.name).join(" -> ")} (a computational graph must be acyclic)`);
    },
  };

  /** Runs every node in topological order; returns the output's value. */
  forward(feed: Record<string, V>): V;
  forward(feed: Record<string, Num>): Num {
    this.forwardState = "threw"; // until it completes
    this.checkFeed(feed);
    const order: GraphNode[] = this.topologicalOrder();
    const output = this.output;
    this.trace = [];
    this.sent.clear();
    for (const n of this.nodes.values()) n.grad = undefined;
    for (const n of order) {
      if (n.kind === "input") n.value = feed[n.name];
      else if (n.kind === "constant") n.value = n.constant;
      else {
        const args = n.inputs.map((i) => this.nodes.get(i)!.value as Num);
        n.value = atNode("Graph.forward", n, () => n.gate!.forward(...args));
      }
      this.trace.push(stepAt("forward", n) as TraceStep<V>);
    }
    this.forwardState = "done";
    return output.value as Num;
  }

  private checkFeed(feed: Record<string, Num>): void {
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
    const order: GraphNode[] = this.topologicalOrder();
    const output = this.output;
    const start = seedFor(output, seed);
    this.trace = this.trace.filter((s) => s.phase === "forward");
    this.sent.clear();
    for (const n of order) n.grad = zerosLike(n.value as Num); // until a gradient reaches it
    // The chain rule is the shared loop's; this graph adds checks (gateBackward) and records what it sees.
    backpropagate(order, gradientMap(output, start, add), {
      ...this.walk,
      backward: gateBackward,
      reached: (n, upstream, downstream) => {
        n.grad = upstream;
        this.sent.set(n, downstream as Num[]);
        this.trace.push(backwardStep(n, upstream, downstream as Num[]) as TraceStep<V>);
      },
    });
    const result: Record<string, Num> = {};
    for (const name of this.inputNames) result[name] = this.nodes.get(name)!.grad as Num;
    return result;
  }

  /** The graph for drawing: nodes with op, value and gradient; edges carry per-branch gradients. */
  toView(): GraphView {
    return graphView([...this.nodes.values()].map((n) => {
      const node: GraphViewNode = { id: n.name, label: n.label };
      if (n.gate) node.op = gateLabel(n.gate);
      if (n.kind === "constant") node.constant = true;
      const value = viewValue(n.value), grad = viewValue(n.grad);
      if (value !== undefined) node.value = value;
      if (grad !== undefined) node.grad = grad;
      return { node, gate: n.gate, inputs: n.inputs, sent: this.sent.get(n) };
    }));
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

/** The trace's record of a node: what it computes and its forward value. */
function stepAt(phase: TraceStep["phase"], n: GraphNode): TraceStep {
  return { phase, node: n.name, op: n.gate ? gateLabel(n.gate) : undefined, inputs: n.inputs.slice(), value: n.value as Num };
}

/** One backward step as a lecture shows it: upstream, the local derivatives, and what went to each input. */
function backwardStep(n: GraphNode, upstream: Num, downstream: Num[]): TraceStep {
  const step: TraceStep = { ...stepAt("backward", n), upstream };
  if (!n.gate) return step;
  // Gates are linear in dout, so backward(1) is the local derivative of a scalar node.
  if (typeof n.value === "number") step.localGradients = atNode("Graph.backward", n, () => n.gate!.backward(1));
  step.downstream = downstream;
  return step;
}

/** A node's gate's backward, checked: it must return one gradient per input. */
function gateBackward(n: GraphNode, upstream: Num): Num[] {
  return atNode("Graph.backward", n, () => {
    const downstream = n.gate!.backward(upstream);
    if (!Array.isArray(downstream) || downstream.length !== n.inputs.length) {
      throw new Error(`${gateName(n.gate!)}.backward returned ${Array.isArray(downstream) ? `${downstream.length} gradient(s)` : describe(downstream)} but node '${n.name}' has ${n.inputs.length} input(s): return an array with one gradient per input`);
    }
    return downstream;
  });
}

/** d(loss)/d(output): the given seed (checked), or 1 / ones of the output's shape; a number fills a tensor output. */
function seedFor(output: GraphNode, seed: Num | undefined): Num {
  const outValue = output.value as Num;
  const start = seed === undefined ? (isTensor(outValue) ? Tensor.onesLike(outValue) : 1) : seed;
  if (typeof start !== "number" && !isTensor(start)) throw new TypeError(`Graph.backward: seed must be a number or a Tensor, got ${describe(start)}`);
  if (isTensor(outValue) && isTensor(start) && !sameShape(start.shape, outValue.shape)) {
    throw new RangeError(`Graph.backward: seed has shape ${formatShape(start.shape)} but the output '${output.name}' has shape ${formatShape(outValue.shape)}`);
  }
  return isTensor(outValue) && typeof start === "number" ? Tensor.full(outValue.shape, start) : start;
}

/** Runs f; an error it throws gets where in the graph it happened in front of its message (keeping its type and stack). */
function atNode<T>(where: string, n: GraphNode, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error) e.message = `${where} at node '${n.name}': ${e.message}`;
    throw e;
  }
}
