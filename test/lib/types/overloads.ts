/**
 * Type-level checks of the gate, Graph and numericGradient overloads, compiled (not run) by
 * test/lib/types.test.ts. `exact<T>()(value)` needs the value's type to be exactly T (not any, not a
 * wider union); each `@ts-expect-error` line must be an error, or tsc reports the directive as unused.
 */
import {
  AddGate, AtanGate, BinaryGate, ClipGate, Dual, Gate, Graph, MatMulGate, MaxGate, MultiplyGate, SigmoidGate, SumGate, Tensor,
  checkGate, jvp, numericGradient, tensor, type GateLike, type JvpResult, type Num,
} from "gradlab";

type Exactly<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function exact<T>() {
  return <U>(value: U & (Exactly<T, U> extends true ? unknown : never)): U => value;
}

const t = tensor([1, 2, 3]);

// Elementwise gates: numbers give numbers, any Tensor gives a Tensor, Num stays Num.
const mul = new MultiplyGate();
exact<number>()(mul.forward(3, -4));
exact<Tensor>()(mul.forward(t, t));
exact<Tensor>()(mul.forward(t, 2));
exact<Tensor>()(mul.forward(2, t));
declare const either: Num;
exact<Num>()(mul.forward(either, 2));
exact<Num[]>()(mul.backward(1));
exact<number>()(new SigmoidGate().forward(0));
exact<Tensor>()(new SigmoidGate().forward(t));
exact<number>()(new ClipGate(0, 1).forward(2));
// @ts-expect-error: a broadcast against a Tensor is a Tensor, not a number
const notANumber: number = mul.forward(2, t);
// @ts-expect-error: a binary gate takes two inputs
mul.forward(1);

// A gate typed for numbers: backward's gradients are numbers, and Tensors are refused.
const scalarMul = new MultiplyGate<number>();
exact<number>()(scalarMul.forward(3, -4));
exact<number[]>()(scalarMul.backward(2));
exact<number>()(scalarMul.jvp(1, 0));
exact<number[]>()(new SigmoidGate<number>().backward(1));
// @ts-expect-error: a MultiplyGate<number> takes no Tensor
scalarMul.forward(t, 2);
const tensorMax = new MaxGate<Tensor>();
exact<Tensor>()(tensorMax.forward(t, t));
exact<Tensor[]>()(tensorMax.backward(t));
// @ts-expect-error: a MaxGate<Tensor> takes no plain numbers
tensorMax.forward(1, 2);

// The op table's generated classes are generic like hand-written ones: subclassed with or without V.
class MyMultiply extends MultiplyGate {}
exact<number>()(new MyMultiply().forward(3, -4));
exact<Num[]>()(new MyMultiply().backward(1));
class ScalarSigmoid extends SigmoidGate<number> {}
exact<number[]>()(new ScalarSigmoid().backward(1));
exact<number>()(new AtanGate<number>().forward(1));
const typedGate: MultiplyGate<number> = scalarMul;
// @ts-expect-error: a SigmoidGate<number> subclass takes no Tensor
new ScalarSigmoid().forward(t);
// @ts-expect-error: a gate's V is a Num
new AtanGate<string>();

// Gates that need Tensors keep the general signature (their output is never a plain number).
exact<Num>()(new MatMulGate().forward(t, t));
exact<Num>()(new SumGate().forward(t));
// A student's gate on the base class, written with plain numbers.
class Times extends Gate<number> {
  readonly name = "Times";
  readonly symbol = "*";
  readonly inputNames = ["x", "y"];
  protected compute([x, y]: number[]): number { return x * y; }
  protected gradients(dz: number, [x, y]: number[]): number[] { return [dz * y, dz * x]; }
  protected tangent([tx, ty]: number[], [x, y]: number[]): number { return tx * y + x * ty; }
}
exact<number>()(new Times().forward(3, -4));
exact<number[]>()(new Times().backward(1));
class Half extends BinaryGate<number> {
  readonly name = "Half";
  readonly symbol = "½";
  protected apply(x: Num, y: Num): Num { return typeof x === "number" && typeof y === "number" ? (x + y) / 2 : NaN; }
  protected partials(): [Num, Num] { return [0.5, 0.5]; }
}
exact<number>()(new Half().forward(1, 2));

// A student's own gate class, not extending Gate: numbers only, or any value.
class StudentMultiply implements GateLike<number> {
  x = 0; y = 0;
  forward(x: number, y: number): number { this.x = x; this.y = y; return x * y; }
  backward(dz: number): number[] { return [dz * this.y, dz * this.x]; }
}
const anyGate: GateLike = new StudentMultiply();
// The assignment's style: a plain class with number-typed methods works with checkGate and any Graph.
class PlainMax {
  x = 0; y = 0;
  forward(x: number, y: number): number { this.x = x; this.y = y; return Math.max(x, y); }
  backward(dz: number): number[] { return this.x >= this.y ? [dz, 0] : [0, dz]; }
}
checkGate(new PlainMax(), [3, -4]);
const anyGraph = new Graph();
anyGraph.apply(new PlainMax(), [anyGraph.input("a"), anyGraph.input("b")]);

// Graph: a scalar graph gives numbers; the default graph gives Num.
const g = new Graph<number>();
const x = g.input("x"), y = g.input("y");
const q = g.apply(new AddGate(), [x, y], "q");
g.apply(new StudentMultiply(), [q, g.constant(2)], "f");
exact<number>()(g.forward({ x: 1, y: 2 }));
exact<Record<string, number>>()(g.backward());
exact<number | undefined>()(q.value);
exact<number | undefined>()(g.node("q").grad);
exact<Gate<number> | null>()(q.gate);
// Its trace and topological order hold numbers too (what notebook 08's tables read).
exact<number>()(g.trace[0].value);
exact<number[] | undefined>()(g.trace[0].downstream);
exact<Gate<number> | null>()(g.topologicalOrder()[0].gate);
exact<Num>()(new Graph().trace[0].value);
// @ts-expect-error: a scalar graph is fed numbers
g.forward({ x: t, y: 2 });
// @ts-expect-error: a scalar graph has number constants
g.constant(t);
// @ts-expect-error: a reduction's output is not a number, so it has no place in a scalar graph
g.apply(new SumGate(), [x]);
// @ts-expect-error: nor has a student gate written for any value
g.apply({ forward: (a: Num) => a, backward: (d: Num) => [d] }, [x]);

const general = new Graph();
const w = general.input("w");
general.apply(new MatMulGate(), [w, general.constant(t)]);
exact<Num>()(general.forward({ w: t }));
exact<Record<string, Num>>()(general.backward());

// numericGradient: a number for a number, a Tensor for a Tensor.
exact<number>()(numericGradient((v: number) => v * v, 3));
exact<Tensor>()(numericGradient((v: Tensor) => v.sum(), t));
exact<Num>()(numericGradient((v: Num) => v, either));

// Dual numbers: a Dual<number> stays one with numbers; with a Tensor, or an untyped Dual, it is a Dual.
const p = new Dual<number>(2, 1);
exact<Dual>()(new Dual(2, 1));
exact<number>()(p.value);
exact<Dual<number>>()(p.log().add(p.mul(3)).sub(p.sin()).clip(0, 1).pow(2));
exact<Dual>()(p.mul(t));
exact<Dual>()(new Dual<Num>(2).mul(3));
exact<JvpResult<number>>()(jvp((a: Dual<number>, b: Dual<number>) => a.mul(b), [2, 5], [1, 0]));
exact<JvpResult<number>>()(jvp(() => 4, 2, 1));
exact<JvpResult>()(jvp((a: Dual) => a.mul(a), 2, 1));
exact<JvpResult>()(jvp((a: Dual) => a.sum(), t, t));
// @ts-expect-error: a Dual<number> times a Tensor is no longer a Dual<number>
const notScalar: Dual<number> = p.mul(t);

export { anyGate, notANumber, notScalar, typedGate };
