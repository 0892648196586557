/**
 * The op table: every elementwise differentiable operation, declared once. An entry names the gate
 * class and the method, gives the forward computation (the kernel, for numbers and Tensors) and the
 * local derivative(s). Everything else comes from it:
 *
 *   - the Gate class (UnaryGate / BinaryGate: backward = dout × local; jvp = tangent × local, the
 *     forward-mode rule that follows from the same local derivative),
 *   - the Tensor method (recorded by autograd when an input requires a gradient), here,
 *   - the Value and Dual methods (lib/value/value.ts, lib/forward/dual.ts read this table),
 *   - the autograd registration (lib/autograd/gate-for-op.ts reads this table).
 *
 * Adding an operation: add an entry to UNARY or BINARY and its name to UnaryName or BinaryName, export
 * its gate class at the bottom and list it in ./index.ts (docs/code-layout.md walks through softplus
 * and atan).
 */
import { differentiable } from "../tensor/autograd-hook";
import { unary as unaryKernel, binary as binaryKernel, stableSoftplus } from "../tensor/ops/elementwise";
import { defineMethod } from "../tensor/methods";
import { Tensor, type Operand } from "../tensor/tensor";
import {
  Num, abs, add, cos, div, exp, geMask, gtMask, isTensor, leMask, log, maximum, minimum, mul, neg, pow, relu, sigmoid,
  sign, sin, sqrt, square, sub, tanh,
} from "./arith";
import { BinaryGate, UnaryGate } from "./elementwise";

export interface UnaryOp {
  /** The gate class's name, e.g. "ExpGate". */
  readonly gate: string;
  /** The label in drawings and traces. */
  readonly symbol: string;
  /** The forward computation on a number or a Tensor (for a Tensor: a raw kernel, never recorded). */
  readonly apply: (x: Num) => Num;
  /** d out / d x, elementwise, from the input and the output. */
  readonly local: (x: Num, out: Num) => Num;
}

export interface BinaryOp {
  readonly gate: string;
  readonly symbol: string;
  readonly apply: (x: Num, y: Num) => Num;
  /** [d out / d x, d out / d y], elementwise, from the inputs and the output. */
  readonly partials: (x: Num, y: Num, out: Num) => [Num, Num];
  /** Swapping the inputs changes nothing (drawings leave the edges unlabelled). */
  readonly commutative?: boolean;
  readonly inputNames?: readonly string[];
  /** Value's name for the method where Tensor's differs (Tensor's max is a reduction). */
  readonly scalarMethod?: string;
}

/** A forward computation from a function on numbers: plain numbers directly, tensors element by element. */
function elementwise(f: (x: number) => number, name: string): (x: Num) => Num {
  return (x) => (typeof x === "number" ? f(x) : unaryKernel(x, f, name));
}

/**
 * The method names, spelled out: Tensor's own type is built from them (TensorMethods), so they must not
 * depend on the entries' types, which mention Tensor (a circle TypeScript resolves differently depending
 * on which file it checks first). `satisfies` below keeps names and entries in step.
 */
export type UnaryName = "neg" | "exp" | "log" | "sin" | "cos" | "tanh" | "sigmoid" | "relu" | "abs" | "sqrt" | "square" | "softplus" | "atan";
export type BinaryName = "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum";
/** Value's method names where they differ from Tensor's (Tensor's max and min are reductions). */
interface ScalarRenames { maximum: "max"; minimum: "min" }
/** A binary op's method name on Value. */
export type ScalarName<K extends BinaryName> = K extends keyof ScalarRenames ? ScalarRenames[K] : K;
/** An entry of BINARY: scalarMethod present exactly where Value's name differs, and equal to it. */
type BinaryEntries = { [K in BinaryName]: BinaryOp & (K extends keyof ScalarRenames ? { scalarMethod: ScalarRenames[K] } : { scalarMethod?: never }) };

/** Keyed by method name (Tensor's, Value's and Dual's). */
export const UNARY = {
  neg: { gate: "NegateGate", symbol: "neg", apply: neg, local: () => -1 },
  exp: { gate: "ExpGate", symbol: "exp", apply: exp, local: (_x, out) => out },
  log: { gate: "LogGate", symbol: "log", apply: log, local: (x) => div(1, x) },
  sin: { gate: "SinGate", symbol: "sin", apply: sin, local: (x) => cos(x) },
  cos: { gate: "CosGate", symbol: "cos", apply: cos, local: (x) => neg(sin(x)) },
  tanh: { gate: "TanhGate", symbol: "tanh", apply: tanh, local: (_x, out) => sub(1, square(out)) },
  // σ(x) = 1 / (1 + e^-x), computed without overflow; σ'(x) = σ(x)(1 - σ(x)) from the cached output.
  sigmoid: { gate: "SigmoidGate", symbol: "σ", apply: sigmoid, local: (_x, out) => mul(out, sub(1, out)) },
  // max(0, x); the gradient at exactly 0 is 0 (the usual convention); NaN in, NaN out.
  relu: { gate: "ReLUGate", symbol: "relu", apply: relu, local: (x) => gtMask(x, 0) },
  // |x|; the gradient at exactly 0 is 0.
  abs: { gate: "AbsGate", symbol: "abs", apply: abs, local: (x) => sign(x) },
  sqrt: { gate: "SqrtGate", symbol: "sqrt", apply: sqrt, local: (_x, out) => div(0.5, out) },
  square: { gate: "SquareGate", symbol: "²", apply: square, local: (x) => mul(2, x) },
  // log(1 + e^x), computed without overflow; its derivative is σ(x).
  softplus: { gate: "SoftplusGate", symbol: "softplus", apply: elementwise(stableSoftplus, "softplus"), local: (x) => sigmoid(x) },
  atan: { gate: "AtanGate", symbol: "atan", apply: elementwise(Math.atan, "atan"), local: (x) => div(1, add(1, square(x))) },
} as const satisfies Record<UnaryName, UnaryOp>;

export const BINARY = {
  add: { gate: "AddGate", symbol: "+", commutative: true, apply: add, partials: () => [1, 1] },
  sub: { gate: "SubtractGate", symbol: "-", apply: sub, partials: () => [1, -1] },
  mul: { gate: "MultiplyGate", symbol: "*", commutative: true, apply: mul, partials: (x, y) => [y, x] },
  // d(x/y)/dx = 1/y, d(x/y)/dy = -x/y^2 = -out/y
  div: { gate: "DivideGate", symbol: "/", apply: div, partials: (_x, y, out) => [div(1, y), neg(div(out, y))] },
  // x ** y: y·x^(y-1) for the base, x^y·ln(x) for the exponent (see baseSlope and logOfBase).
  pow: {
    gate: "PowGate", symbol: "pow", inputNames: ["x", "exponent"], apply: pow,
    partials: (x, y, out) => [baseSlope(x, y), mul(out, logOfBase(x))],
  },
  // The gradient goes to the larger input only (ties: to x; a NaN input makes both gradients NaN).
  maximum: { gate: "MaxGate", symbol: "max", commutative: true, scalarMethod: "max", apply: maximum, partials: (x, y) => routeTo(geMask(x, y)) },
  // The gradient goes to the smaller input only (ties: to x; a NaN input makes both gradients NaN).
  minimum: { gate: "MinGate", symbol: "min", commutative: true, scalarMethod: "min", apply: minimum, partials: (x, y) => routeTo(leMask(x, y)) },
} as const satisfies BinaryEntries;


/** The table's methods as Tensor has them. */
export type TensorMethods<T, Other> = { [K in UnaryName]: () => T } & { [K in BinaryName]: (other: Other) => T };
/** The table's methods as Value has them. */
export type ValueMethods<T, Other> = { [K in UnaryName]: () => T } & { [K in BinaryName as ScalarName<K>]: (other: Other) => T };

/** A 0/1 mask sends the gradient to x where it is 1 and to y elsewhere. */
function routeTo(toX: Num): [Num, Num] {
  return [toX, sub(1, toX)];
}

/** y·x^(y-1), and 0 where y = 0 (x^0 = 1 is constant, even at x = 0 where 0·0^-1 would give NaN). */
function baseSlope(x: Num, y: Num): Num {
  const f = (a: number, b: number) => (b === 0 ? 0 : b * Math.pow(a, b - 1));
  if (!isTensor(x) && !isTensor(y)) return f(x, y);
  return binaryKernel(x, y, f, "pow");
}

/** ln(x), 0 at x = 0 (the limit for y > 0) and NaN for x < 0, where x^y is not differentiable in y. */
const logOfBase = elementwise((v) => (v > 0 ? Math.log(v) : v === 0 ? 0 : NaN), "logOfBase");

// ---------------------------------------------------------------- what comes from the table

/** A UnaryGate whose name, symbol and mathematics are a table entry's (`V` as for UnaryGate). */
export class TableUnaryGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name: string;
  readonly symbol: string;
  constructor(private readonly entry: UnaryOp) {
    super();
    this.name = entry.gate;
    this.symbol = entry.symbol;
  }
  protected apply(x: Num) { return this.entry.apply(x); }
  protected local(x: Num, out: Num) { return this.entry.local(x, out); }
}

/** A BinaryGate whose name, symbol, input names and mathematics are a table entry's (`V` as for BinaryGate). */
export class TableBinaryGate<V extends Num = Num> extends BinaryGate<V> {
  readonly name: string;
  readonly symbol: string;
  readonly commutative: boolean;
  readonly inputNames: readonly string[];
  constructor(private readonly entry: BinaryOp) {
    super();
    this.name = entry.gate;
    this.symbol = entry.symbol;
    this.commutative = entry.commutative ?? false;
    this.inputNames = entry.inputNames ?? ["x", "y"];
  }
  protected apply(x: Num, y: Num) { return this.entry.apply(x, y); }
  protected partials(x: Num, y: Num, out: Num) { return this.entry.partials(x, y, out); }
}

/**
 * A table gate's own class (new ExpGate(), class MyExp extends ExpGate), named after the entry. Its
 * construct signature is generic like a hand-written `class ExpGate<V extends Num = Num>`: `new
 * SigmoidGate<number>()` is a gate on numbers only (forward gives a number, backward number[]),
 * `new SigmoidGate()` and `extends SigmoidGate` take the default, Num.
 */
export type UnaryGateClass = new <V extends Num = Num>() => TableUnaryGate<V>;
export type BinaryGateClass = new <V extends Num = Num>() => TableBinaryGate<V>;

function unaryGate(entry: UnaryOp): UnaryGateClass {
  return named(class<V extends Num = Num> extends TableUnaryGate<V> {
    constructor() { super(entry); }
  }, entry.gate);
}

function binaryGate(entry: BinaryOp): BinaryGateClass {
  return named(class<V extends Num = Num> extends TableBinaryGate<V> {
    constructor() { super(entry); }
  }, entry.gate);
}

/**
 * Gives a generated class its gate's name: `name` for code, and Symbol.toStringTag because that is
 * what V8 reads for a stack frame's receiver when the class itself was defined without a name, so a
 * student's traceback says "at MultiplyGate.backward", not "at Gate.backward" (a student's subclass
 * keeps its own name).
 */
function named<C extends abstract new (...args: never[]) => object>(cls: C, name: string): C {
  Object.defineProperty(cls, "name", { value: name });
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: name });
  return cls;
}

const mapValues = <T, U>(o: Record<string, T>, f: (v: T) => U) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/** Each entry's gate class, by method name. */
export const UNARY_GATES = mapValues<UnaryOp, UnaryGateClass>(UNARY, unaryGate) as Record<UnaryName, UnaryGateClass>;
export const BINARY_GATES = mapValues<BinaryOp, BinaryGateClass>(BINARY, binaryGate) as Record<BinaryName, BinaryGateClass>;

// Tensor's methods: the raw kernel, or a recorded gate when an input requires a gradient.
for (const [method, op] of Object.entries(UNARY) as [UnaryName, UnaryOp][]) {
  defineMethod(Tensor.prototype, method, function (this: Tensor) {
    return differentiable(method, [this], {}, () => op.apply(this) as Tensor);
  });
}
for (const [method, op] of Object.entries(BINARY) as [BinaryName, BinaryOp][]) {
  defineMethod(Tensor.prototype, method, function (this: Tensor, other: Operand) {
    return differentiable(method, [this, other], {}, () => op.apply(this, other) as Tensor);
  });
}

// The gate classes under their own names (one line per entry).
export const {
  neg: NegateGate, exp: ExpGate, log: LogGate, sin: SinGate, cos: CosGate, tanh: TanhGate, sigmoid: SigmoidGate,
  relu: ReLUGate, abs: AbsGate, sqrt: SqrtGate, square: SquareGate, softplus: SoftplusGate, atan: AtanGate,
} = UNARY_GATES;
export const { add: AddGate, sub: SubtractGate, mul: MultiplyGate, div: DivideGate, pow: PowGate, maximum: MaxGate, minimum: MinGate } = BINARY_GATES;
// The instance types, generic like the classes (a SigmoidGate<number> computes on numbers only).
export type NegateGate<V extends Num = Num> = TableUnaryGate<V>;
export type ExpGate<V extends Num = Num> = TableUnaryGate<V>;
export type LogGate<V extends Num = Num> = TableUnaryGate<V>;
export type SinGate<V extends Num = Num> = TableUnaryGate<V>;
export type CosGate<V extends Num = Num> = TableUnaryGate<V>;
export type TanhGate<V extends Num = Num> = TableUnaryGate<V>;
export type SigmoidGate<V extends Num = Num> = TableUnaryGate<V>;
export type ReLUGate<V extends Num = Num> = TableUnaryGate<V>;
export type AbsGate<V extends Num = Num> = TableUnaryGate<V>;
export type SqrtGate<V extends Num = Num> = TableUnaryGate<V>;
export type SquareGate<V extends Num = Num> = TableUnaryGate<V>;
export type SoftplusGate<V extends Num = Num> = TableUnaryGate<V>;
export type AtanGate<V extends Num = Num> = TableUnaryGate<V>;
export type AddGate<V extends Num = Num> = TableBinaryGate<V>;
export type SubtractGate<V extends Num = Num> = TableBinaryGate<V>;
export type MultiplyGate<V extends Num = Num> = TableBinaryGate<V>;
export type DivideGate<V extends Num = Num> = TableBinaryGate<V>;
export type PowGate<V extends Num = Num> = TableBinaryGate<V>;
export type MaxGate<V extends Num = Num> = TableBinaryGate<V>;
export type MinGate<V extends Num = Num> = TableBinaryGate<V>;
