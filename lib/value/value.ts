/**
 * Value: define-by-run scalar autodiff (micrograd / PyTorch style) on the same gates as Graph.
 * Each operation runs a fresh gate and remembers it with its inputs, so ordinary code (loops,
 * branches, helper functions) builds the graph as it runs; backward() then walks it in reverse
 * topological order.
 *
 * The operations a scalar network is made of (add, sub, mul, neg, relu, tanh) take a fast path: the
 * node stores an operation code and its one or two inputs in fields, and backward applies the local
 * derivative in a switch, so a step allocates one Value per node and nothing else (no gate object,
 * no input array, no gradient array). Such a node's gate and inputs list are made on first request
 * (drawings, lectures), so what a reader sees is the same as for any other gate.
 */
import { Gate } from "../gates/gate";
import { AddGate, DivideGate, MaxGate, MinGate, MultiplyGate, PowGate, SubtractGate } from "../gates/binary";
import {
  AbsGate, CosGate, ExpGate, LogGate, NegateGate, ReLUGate, SigmoidGate, SinGate, SqrtGate, SquareGate, TanhGate,
} from "../gates/unary";
import { add, describe, gtMask, mul, neg, relu, sub, tanh } from "../gates/arith";
import { GraphView, displayBundle, dotOf, svgOf } from "../graph/view";

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
const FAST_GATES: Record<number, () => Gate> = {
  [ADD]: () => new AddGate(), [SUB]: () => new SubtractGate(), [MUL]: () => new MultiplyGate(),
  [NEG]: () => new NegateGate(), [RELU]: () => new ReLUGate(), [TANH]: () => new TanhGate(),
};
const NO_INPUTS: readonly Value[] = Object.freeze([]);

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
  // Scratch space for graph walks: marks instead of a Set, a field instead of a Map (large graphs
  // otherwise spend most of their time in hashing and garbage collection).
  private static walks = 0;
  private visited = 0;
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
      const g = FAST_GATES[this.op]();
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

  add(other: ValueLike): Value { const o = Value.from(other); return Value.fast(add(this.data, o.data), ADD, this, o); }
  sub(other: ValueLike): Value { const o = Value.from(other); return Value.fast(sub(this.data, o.data), SUB, this, o); }
  mul(other: ValueLike): Value { const o = Value.from(other); return Value.fast(mul(this.data, o.data), MUL, this, o); }
  div(other: ValueLike): Value { return Value.run(new DivideGate(), [this, Value.from(other)]); }
  pow(exponent: ValueLike): Value { return Value.run(new PowGate(), [this, Value.from(exponent)]); }
  max(other: ValueLike): Value { return Value.run(new MaxGate(), [this, Value.from(other)]); }
  min(other: ValueLike): Value { return Value.run(new MinGate(), [this, Value.from(other)]); }
  neg(): Value { return Value.fast(neg(this.data), NEG, this, null); }
  exp(): Value { return Value.run(new ExpGate(), [this]); }
  log(): Value { return Value.run(new LogGate(), [this]); }
  sin(): Value { return Value.run(new SinGate(), [this]); }
  cos(): Value { return Value.run(new CosGate(), [this]); }
  tanh(): Value { return Value.fast(tanh(this.data), TANH, this, null); }
  sigmoid(): Value { return Value.run(new SigmoidGate(), [this]); }
  relu(): Value { return Value.fast(relu(this.data), RELU, this, null); }
  abs(): Value { return Value.run(new AbsGate(), [this]); }
  sqrt(): Value { return Value.run(new SqrtGate(), [this]); }
  square(): Value { return Value.run(new SquareGate(), [this]); }

  /** Names this value (shown in drawings); returns this, for chaining. */
  named(label: string): this {
    this.label = label;
    return this;
  }

  /** Every value this one depends on (itself included), inputs before the values computed from them. */
  topologicalOrder(): Value[] {
    const n = this.walk(), order = Value.order.slice(0, n);
    Value.order.fill(null as unknown as Value, 0, n);
    return order;
  }

  // Reused by every walk, so a backward allocates nothing per node (cleared after use: no graph is kept alive).
  private static order: Value[] = [];
  private static stack: Value[] = [];
  private static next: number[] = [];

  /**
   * Writes the topological order into Value.order and returns its length; with `reset`, also zeroes
   * each value's backward accumulator (saving backward a pass; drawings must keep the last one's).
   */
  private walk(reset = false): number {
    // Iterative depth-first search (deep graphs would overflow a recursive one): a stack of values
    // with, for each, the index of the next input to visit; a value is emitted after all its inputs.
    const order = Value.order, stack = Value.stack, next = Value.next;
    const walk = ++Value.walks;
    this.visited = walk;
    if (reset) this.pending = 0;
    let n = 0, top = 0;
    stack[0] = this;
    next[0] = 0;
    while (top >= 0) {
      const v = stack[top];
      const i = next[top];
      if (i < v.arity) {
        next[top] = i + 1;
        const x = v.input(i);
        if (x.visited !== walk) {
          x.visited = walk;
          if (reset) x.pending = 0;
          stack[++top] = x;
          next[top] = 0;
        }
      } else {
        stack[top--] = null as unknown as Value;
        order[n++] = v;
      }
    }
    return n;
  }

  /**
   * Fills `.grad` of every value this one depends on with d(this)/d(value). A value used several
   * times collects the sum over its uses. Without `{ accumulate: true }` each call replaces the
   * previous gradients, so calling backward() twice gives the same numbers.
   */
  backward(options: BackwardOptions = {}): void {
    const seed = options.grad ?? 1;
    if (typeof seed !== "number") throw new TypeError(`Value.backward: grad must be a number, got ${describe(seed)}`);
    const order = Value.order, n = this.walk(true), accumulate = options.accumulate === true;
    this.pending = seed;
    try {
      this.propagate(n, accumulate);
    } catch (e) {
      order.fill(null as unknown as Value, 0, n);
      throw e;
    }
  }

  /**
   * The reverse pass over Value.order[0..n): in reverse topological order every use of a value comes
   * before the value itself, so its gradient is complete when it is reached and is stored right there.
   */
  private propagate(n: number, accumulate: boolean): void {
    const order = Value.order;
    for (let k = n - 1; k >= 0; k--) {
      const v = order[k], g = v.pending;
      order[k] = null as unknown as Value;
      v.grad = (accumulate ? v.grad : 0) + g;
      v.reached = true;
      if (v.op === LEAF) continue;
      if (v.op === GATE) {
        const local = v.gateObject!.backward(g) as number[];
        v.inputGrads = local;
        // Constants get no gradient (x.pow(2) at x < 0 would otherwise show NaN = 9·ln(-3) on the 2).
        for (let j = 0; j < v.inputList!.length; j++) {
          const x = v.inputList![j];
          if (!x.constant) x.pending += local[j];
        }
        continue;
      }
      const a = v.a!, b = v.b;
      if (!a.constant) a.pending += v.localGrad(0, g);
      if (b && !b.constant) b.pending += v.localGrad(1, g);
    }
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
    const uses = new Map<Value, number>();
    for (const v of order) for (const x of v.inputs) uses.set(x, (uses.get(x) ?? 0) + 1);
    const edgeGrads = new Map(order.map((v) => [v, v.edgeGrads()]));
    return {
      nodes: order.map((v) => {
        const node: GraphView["nodes"][number] = { id: id(v), label: v.label || (v.gate ? "" : String(v.data)), value: v.data, grad: v.grad };
        if (v.gate) node.op = v.gate.label;
        return node;
      }),
      edges: order.flatMap((v) =>
        v.inputs.map((x, j) => {
          const e: GraphView["edges"][number] = { from: id(x), to: id(v) };
          // Where a value fans out, each edge carries only its own branch's gradient.
          const grads = edgeGrads.get(v);
          if ((uses.get(x) ?? 0) > 1 && grads && !x.constant) e.grad = grads[j];
          // A constant's .grad stays 0, but its edge shows what backward sent it (∂y/∂0.5 = 3, say),
          // unless that is undefined (the exponent of x.pow(2) at x < 0).
          if (x.constant && grads && Number.isFinite(grads[j])) e.grad = grads[j];
          // Say which argument an edge is where the order matters (x - y, x / y, x ** y).
          if (v.gate && !v.gate.commutative && v.inputs.length > 1) e.label = v.gate.inputName(j);
          return e;
        }),
      ),
    };
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
