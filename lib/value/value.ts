/**
 * Value: define-by-run scalar autodiff (micrograd / PyTorch style) on the same gates as Graph.
 * Each operation runs a fresh gate and remembers it with its inputs, so ordinary code (loops,
 * branches, helper functions) builds the graph as it runs; backward() then runs the one backward
 * loop (../autograd/backprop.ts) over it.
 *
 * The operations a scalar network is made of (add, sub, mul, neg, relu, tanh) take a fast path: the
 * node stores an operation code and its one or two inputs in fields, and backward applies the local
 * derivative in a switch, so a step allocates one Value per node and nothing else (no gate object,
 * no input array, no gradient array). Such a node's gate and inputs list are made on first request
 * (drawings, lectures), so what a reader sees is the same as for any other gate.
 */
import { Gate } from "../gates/gate";
import {
  BINARY, BINARY_GATES, type BinaryName, type BinaryOp, UNARY, UNARY_GATES, type UnaryName, type UnaryOp, type ValueMethods,
} from "../gates/table";
import { describe, gtMask } from "../gates/arith";
import { defineMethod } from "../tensor/methods";
import { GraphView, GraphViewNode, displayBundle, dotOf, graphView, svgOf } from "../graph/view";
import { type Chain, type Gradients, type Mark, backpropagate, topologicalOrder } from "../autograd/backprop";

export type ValueLike = Value | number;

export interface BackwardOptions {
  /** Add to the gradients already stored (as PyTorch does) instead of replacing them. Default false. */
  accumulate?: boolean;
  /** d(loss)/d(this value); default 1. */
  grad?: number;
}

let nextId = 0;

// Operation codes: LEAF has no inputs, GATE a gate object and an inputs array; the rest are the fast path.
const LEAF = 0, GATE = 1, ADD = 2, SUB = 3, MUL = 4, NEG = 5, RELU = 6, TANH = 7;
const FAST_CODES: Partial<Record<UnaryName | BinaryName, number>> = { add: ADD, sub: SUB, mul: MUL, neg: NEG, relu: RELU, tanh: TANH };
const FAST_GATES: Record<number, new () => Gate> = {
  [ADD]: BINARY_GATES.add, [SUB]: BINARY_GATES.sub, [MUL]: BINARY_GATES.mul,
  [NEG]: UNARY_GATES.neg, [RELU]: UNARY_GATES.relu, [TANH]: UNARY_GATES.tanh,
};

const NO_INPUTS: readonly Value[] = Object.freeze([]);
const ONE = [0.5], TWO = [0.5, 0.5]; // doubles from the start (no elements-kind change when first written)

/** The elementwise methods of the op table (installed below, in the class's static block). */
export interface Value extends ValueMethods<Value, ValueLike> {}

export class Value {
  /** The forward value. */
  data: number;
  /** d(output)/d(this), filled in by the last backward() through this value. */
  grad = 0;
  /** A name for drawings; a constant's is its value (made when asked: number-to-text is slow). */
  get label(): string {
    return this.name ?? (this.constant ? String(this.data) : "");
  }
  set label(label: string) {
    this.name = label;
  }
  private name: string | null;
  /** Unique id (stable node ids in drawings). */
  readonly id = nextId++;
  /** True for numbers lifted into the graph by an operation (they receive no gradient). */
  private constant = false;
  // Walk marks and the gradient received so far live in fields instead of Maps (large graphs
  // otherwise spend most of their time in hashing and garbage collection).
  private static walks = 0;
  /** The walk that last marked this value, and its mark in that walk. */
  private visited = 0;
  private mark: Mark = "done";
  /** The gradient summed from this value's uses in the current (or last) backward(). */
  private pending = 0;
  /** The gradient sent to each input by the last backward() (gate nodes; fast nodes derive it, see edgeGrads). */
  private inputGrads: number[] | null = null;
  /** True once a backward() has passed through this node. */
  private reached = false;
  private op: number;
  private a: Value | null = null;
  private b: Value | null = null;
  private gateObject: Gate | null;
  private inputList: readonly Value[] | null;

  constructor(data: number, label = "", gate: Gate | null = null, inputs: Value[] | null = null) {
    if (typeof data !== "number") throw new TypeError(`Value: data must be a number, got ${describe(data)}`);
    this.data = data;
    this.name = label || null;
    this.op = gate ? GATE : LEAF;
    this.gateObject = gate;
    this.inputList = inputs ?? NO_INPUTS;
  }

  /** The gate that produced this value (null for leaves and constants). */
  get gate(): Gate | null {
    if (this.op <= GATE) return this.gateObject;
    if (!this.gateObject) {
      // Made on request, with its forward run on the inputs so its cache matches a gate-made node's.
      const g = new FAST_GATES[this.op]();
      if (this.b) g.forward(this.a!.data, this.b.data);
      else g.forward(this.a!.data);
      this.gateObject = g;
    }
    return this.gateObject;
  }

  /** The values this one was computed from, in the gate's input order. */
  get inputs(): readonly Value[] {
    if (this.op <= GATE) return this.inputList!;
    return (this.inputList ??= this.b ? [this.a!, this.b] : [this.a!]);
  }

  private get arity(): number {
    return this.op <= GATE ? this.inputList!.length : this.b ? 2 : 1;
  }

  private input(j: number): Value {
    return this.op <= GATE ? this.inputList![j] : j === 0 ? this.a! : this.b!;
  }

  /** A number becomes a constant Value labelled with its value. */
  static from(x: ValueLike): Value {
    if (x instanceof Value) return x;
    if (typeof x === "number") {
      const c = new Value(x);
      c.constant = true;
      return c;
    }
    throw new TypeError(`Value: expected a Value or a number, got ${describe(x)}`);
  }

  private static run(gate: Gate, inputs: Value[]): Value {
    return new Value(gate.forward(...inputs.map((v) => v.data)) as number, "", gate, inputs);
  }

  /** A fast-path node: the result, its operation code and inputs in fields (see the file's comment). */
  private static fast(data: number, op: number, a: Value, b: Value | null): Value {
    const v = new Value(data);
    v.op = op;
    v.a = a;
    v.b = b;
    v.inputList = null;
    return v;
  }

  // The elementwise methods (add, mul, exp, max, ...) come from the op table: the operations a scalar
  // network is made of take the fast path, the others run their gate.
  static {
    for (const [method, op] of Object.entries(UNARY) as [UnaryName, UnaryOp][]) {
      const code = FAST_CODES[method], OpGate = UNARY_GATES[method];
      defineMethod(this.prototype, method, code === undefined
        ? function (this: Value) { return Value.run(new OpGate(), [this]); }
        : function (this: Value) { return Value.fast(op.apply(this.data) as number, code, this, null); });
    }
    for (const [method, op] of Object.entries(BINARY) as [BinaryName, BinaryOp][]) {
      const code = FAST_CODES[method], OpGate = BINARY_GATES[method];
      defineMethod(this.prototype, op.scalarMethod ?? method, code === undefined
        ? function (this: Value, other: ValueLike) { return Value.run(new OpGate(), [this, Value.from(other)]); }
        : function (this: Value, other: ValueLike) {
          const o = Value.from(other);
          return Value.fast(op.apply(this.data, o.data) as number, code, this, o);
        });
    }
  }

  /** Names this value (shown in drawings); returns this, for chaining. */
  named(label: string): this {
    this.label = label;
    return this;
  }

  /** Every value this one depends on (itself included), inputs before the values computed from them. */
  topologicalOrder(): Value[] {
    Value.walks++;
    return topologicalOrder([this], Value.graph);
  }

  /** Value's graph for the shared core (../autograd/backprop.ts): inputs, walk marks, the chain rule. */
  private static readonly graph: Chain<Value, number> = {
    arity: (v) => v.arity,
    input: (v, j) => v.input(j),
    marks: {
      get: (v) => (v.visited === Value.walks ? v.mark : undefined),
      set(v, mark) {
        v.visited = Value.walks;
        v.mark = mark;
      },
    },
    backward(v, g) {
      if (v.op === GATE) return v.gateObject!.backward(g) as number[];
      // Fast nodes reuse one array per arity: an allocation per node would make the garbage
      // collector copy the whole (young) graph over and over, which costs more than the walk.
      if (!v.b) {
        ONE[0] = v.localGrad(0, g);
        return ONE;
      }
      TWO[0] = v.localGrad(0, g);
      TWO[1] = v.localGrad(1, g);
      return TWO;
    },
    reached(v, g, downstream) {
      v.grad = (Value.accumulating ? v.grad : 0) + g;
      v.reached = true;
      if (v.op === GATE) v.inputGrads = downstream as number[];
    },
  };
  /** Nothing left over from the last backward(). */
  private static clearPending(order: Value[]): void {
    for (let k = 0; k < order.length; k++) order[k].pending = 0;
  }

  /** Whether the running backward() adds to .grad (an option of the call, read by graph.reached). */
  private static accumulating = false;

  /** The gradients live in each value's `pending` field; constants get none (x.pow(2) at x < 0 would otherwise show NaN = 9·ln(-3) on the 2). */
  private static readonly pendingGradients: Gradients<Value, number> = {
    take: (v) => v.pending,
    add(x, g) {
      if (!x.constant) x.pending += g;
    },
  };

  /**
   * Fills `.grad` of every value this one depends on with d(this)/d(value). A value used several
   * times collects the sum over its uses. Without `{ accumulate: true }` each call replaces the
   * previous gradients, so calling backward() twice gives the same numbers.
   */
  backward(options: BackwardOptions = {}): void {
    const seed = options.grad ?? 1;
    if (typeof seed !== "number") throw new TypeError(`Value.backward: grad must be a number, got ${describe(seed)}`);
    const order = this.topologicalOrder();
    Value.clearPending(order);
    this.pending = seed;
    Value.accumulating = options.accumulate === true;
    backpropagate(order, Value.pendingGradients, Value.graph);
  }

  /** What a fast-path node sends to input j for upstream gradient g (the gates' own rules, on numbers). */
  private localGrad(j: number, g: number): number {
    switch (this.op) {
      case ADD: return g;
      case SUB: return j === 0 ? g : -g;
      case MUL: return g * (j === 0 ? this.b!.data : this.a!.data);
      case NEG: return -g;
      case RELU: return g * gtMask(this.a!.data, 0);
      case TANH: return g * (1 - this.data * this.data);
      default: throw new Error(`Value: unknown operation code ${this.op}`);
    }
  }

  /** The gradient each input received from this node in the last backward(), or null before one. */
  private edgeGrads(): number[] | null {
    if (this.op === GATE) return this.inputGrads;
    if (this.op === LEAF || !this.reached) return null;
    return this.b ? [this.localGrad(0, this.pending), this.localGrad(1, this.pending)] : [this.localGrad(0, this.pending)];
  }

  /** Sets the gradient of this value and everything it depends on to 0. */
  zeroGrad(): void {
    for (const v of this.topologicalOrder()) v.grad = 0;
  }

  /** The graph behind this value, for drawing (forward values and current gradients). */
  toView(): GraphView {
    const order = this.topologicalOrder();
    const id = (v: Value) => `v${v.id}`;
    const constants = new Set(order.filter((v) => v.constant).map(id));
    return graphView(order.map((v) => {
      const node: GraphViewNode = { id: id(v), label: v.label || (v.gate ? "" : String(v.data)), value: v.data, grad: v.grad };
      if (v.gate) node.op = v.gate.label;
      return { node, gate: v.gate, inputs: v.inputs.map(id), sent: v.edgeGrads() };
    }), (input) => constants.has(input));
  }

  toSVG(): string {
    return svgOf(this.toView());
  }

  toDOT(): string {
    return dotOf(this.toView());
  }

  toString(): string {
    return `Value(${this.label ? `${this.label}, ` : ""}data=${this.data}, grad=${this.grad})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return displayBundle(this.toView(), this.toString());
  }
}
