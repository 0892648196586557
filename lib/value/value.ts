/**
 * Value: define-by-run scalar autodiff (micrograd / PyTorch style) on the same gates as Graph.
 * Each operation runs a fresh gate and remembers it with its inputs, so ordinary code (loops,
 * branches, helper functions) builds the graph as it runs; backward() then walks it in reverse
 * topological order.
 */
import { Gate } from "../gates/gate";
import { AddGate, DivideGate, MaxGate, MinGate, MultiplyGate, PowGate, SubtractGate } from "../gates/binary";
import {
  AbsGate, CosGate, ExpGate, LogGate, NegateGate, ReLUGate, SigmoidGate, SinGate, SqrtGate, SquareGate, TanhGate,
} from "../gates/unary";
import { describe } from "../gates/arith";
import { GraphView, displayBundle, dotOf, svgOf } from "../graph/view";

export type ValueLike = Value | number;

export interface BackwardOptions {
  /** Add to the gradients already stored (as PyTorch does) instead of replacing them. Default false. */
  accumulate?: boolean;
  /** d(loss)/d(this value); default 1. */
  grad?: number;
}

let nextId = 0;

export class Value {
  /** The forward value. */
  data: number;
  /** d(output)/d(this), filled in by the last backward() through this value. */
  grad = 0;
  label: string;
  /** The gate that produced this value (null for leaves and constants). */
  readonly gate: Gate | null;
  /** The values this one was computed from, in the gate's input order. */
  readonly inputs: readonly Value[];
  /** Unique id (stable node ids in drawings). */
  readonly id = nextId++;
  /** True for numbers lifted into the graph by an operation (they receive no gradient). */
  private constant = false;
  // Scratch space for graph walks: marks instead of a Set, a field instead of a Map (large graphs
  // otherwise spend most of their time in hashing and garbage collection).
  private static walks = 0;
  private visited = 0;
  private pending = 0;
  /** The gradient sent to each input by the last backward() (what each edge carries in a drawing). */
  private inputGrads: number[] | null = null;

  constructor(data: number, label = "", gate: Gate | null = null, inputs: Value[] = []) {
    if (typeof data !== "number") throw new TypeError(`Value: data must be a number, got ${describe(data)}`);
    this.data = data;
    this.label = label;
    this.gate = gate;
    this.inputs = inputs;
  }

  /** A number becomes a constant Value labelled with its value. */
  static from(x: ValueLike): Value {
    if (x instanceof Value) return x;
    if (typeof x === "number") {
      const c = new Value(x, String(x));
      c.constant = true;
      return c;
    }
    throw new TypeError(`Value: expected a Value or a number, got ${describe(x)}`);
  }

  private static run(gate: Gate, inputs: Value[]): Value {
    return new Value(gate.forward(...inputs.map((v) => v.data)) as number, "", gate, inputs);
  }

  add(other: ValueLike): Value { return Value.run(new AddGate(), [this, Value.from(other)]); }
  sub(other: ValueLike): Value { return Value.run(new SubtractGate(), [this, Value.from(other)]); }
  mul(other: ValueLike): Value { return Value.run(new MultiplyGate(), [this, Value.from(other)]); }
  div(other: ValueLike): Value { return Value.run(new DivideGate(), [this, Value.from(other)]); }
  pow(exponent: ValueLike): Value { return Value.run(new PowGate(), [this, Value.from(exponent)]); }
  max(other: ValueLike): Value { return Value.run(new MaxGate(), [this, Value.from(other)]); }
  min(other: ValueLike): Value { return Value.run(new MinGate(), [this, Value.from(other)]); }
  neg(): Value { return Value.run(new NegateGate(), [this]); }
  exp(): Value { return Value.run(new ExpGate(), [this]); }
  log(): Value { return Value.run(new LogGate(), [this]); }
  sin(): Value { return Value.run(new SinGate(), [this]); }
  cos(): Value { return Value.run(new CosGate(), [this]); }
  tanh(): Value { return Value.run(new TanhGate(), [this]); }
  sigmoid(): Value { return Value.run(new SigmoidGate(), [this]); }
  relu(): Value { return Value.run(new ReLUGate(), [this]); }
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
    // Iterative depth-first search (deep graphs would overflow a recursive one): a stack of values
    // with, for each, the index of the next input to visit; a value is emitted after all its inputs.
    const order: Value[] = [];
    const walk = ++Value.walks;
    this.visited = walk;
    const stack: Value[] = [this];
    const next: number[] = [0];
    while (stack.length) {
      const top = stack.length - 1;
      const v = stack[top];
      const i = next[top];
      if (i < v.inputs.length) {
        next[top] = i + 1;
        const x = v.inputs[i];
        if (x.visited !== walk) {
          x.visited = walk;
          stack.push(x);
          next.push(0);
        }
      } else {
        stack.pop();
        next.pop();
        order.push(v);
      }
    }
    return order;
  }

  /**
   * Fills `.grad` of every value this one depends on with d(this)/d(value). A value used several
   * times collects the sum over its uses. Without `{ accumulate: true }` each call replaces the
   * previous gradients, so calling backward() twice gives the same numbers.
   */
  backward(options: BackwardOptions = {}): void {
    const seed = options.grad ?? 1;
    if (typeof seed !== "number") throw new TypeError(`Value.backward: grad must be a number, got ${describe(seed)}`);
    const order = this.topologicalOrder();
    for (const v of order) v.pending = 0;
    this.pending = seed;
    for (let k = order.length - 1; k >= 0; k--) {
      const v = order[k];
      if (!v.gate) continue;
      const local = v.gate.backward(v.pending) as number[];
      v.inputGrads = local;
      // Constants get no gradient (x.pow(2) at x < 0 would otherwise show NaN = 9·ln(-3) on the 2).
      for (let j = 0; j < v.inputs.length; j++) {
        const x = v.inputs[j];
        if (!x.constant) x.pending += local[j];
      }
    }
    for (const v of order) v.grad = (options.accumulate ? v.grad : 0) + v.pending;
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
          if ((uses.get(x) ?? 0) > 1 && v.inputGrads && !x.constant) e.grad = v.inputGrads[j];
          // A constant's .grad stays 0, but its edge shows what backward sent it (∂y/∂0.5 = 3, say),
          // unless that is undefined (the exponent of x.pow(2) at x < 0).
          if (x.constant && v.inputGrads && Number.isFinite(v.inputGrads[j])) e.grad = v.inputGrads[j];
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
