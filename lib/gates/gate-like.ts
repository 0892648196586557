/**
 * The lecture's gate API as a shape, not a base class: anything with forward(...) and backward(dout)
 * works with Graph and checkGate, so a student's own `class MyMultiply { forward(x, y) {...}
 * backward(dz) {...} }` can be checked and drawn without extending Gate.
 */
import type { Num } from "./arith";
import { Gate } from "./gate";

/**
 * `V` says what the gate computes on, as for Gate: `GateLike<number>` is a student's scalar gate
 * (`forward(x: number, y: number): number`, `backward(dz: number): number[]`).
 */
export interface GateLike<V extends Num = Num> {
  forward(...inputs: V[]): V;
  backward(dout: V): V[];
  jvp?(...tangents: any[]): V;
  readonly name?: string;
  readonly label?: string;
  readonly inputNames?: readonly string[];
  readonly variadic?: boolean;
  inputName?(i: number): string;
}

export function isGateLike(x: unknown): x is GateLike {
  return !!x && typeof (x as GateLike).forward === "function" && typeof (x as GateLike).backward === "function";
}

/** "MultiplyGate", or the class name of a gate that does not say. */
export function gateName(g: GateLike): string {
  if (typeof g.name === "string" && g.name) return g.name;
  const cls = (g as object).constructor?.name;
  return cls && cls !== "Object" ? cls : "gate";
}

/** The operator label for drawings ("*"), falling back to the name. */
export function gateLabel(g: GateLike): string {
  return typeof g.label === "string" && g.label ? g.label : gateName(g);
}

/** How many inputs the gate takes, or null when any number is fine (variadic or unknown). */
export function gateArity(g: GateLike): number | null {
  if (g.variadic) return null;
  if (Array.isArray(g.inputNames)) return g.inputNames.length;
  return g.forward.length > 0 ? g.forward.length : null;
}

export function gateInputName(g: GateLike, i: number): string {
  if (typeof g.inputName === "function") return g.inputName(i);
  return g.inputNames?.[i] ?? `input ${i}`;
}

/**
 * A Gate that delegates to a GateLike (a student's own class), so code that holds Gates (Graph nodes)
 * gets the base class's checks and a typed API; the original object stays reachable as `inner`.
 */
export class ForeignGate extends Gate {
  readonly name: string;
  readonly symbol: string;
  readonly inputNames: readonly string[];
  readonly variadic: boolean;

  constructor(readonly inner: GateLike) {
    super();
    this.name = gateName(inner);
    this.symbol = gateLabel(inner);
    const arity = gateArity(inner);
    this.variadic = arity === null;
    this.inputNames = inner.inputNames ?? (arity === null ? ["input"] : Array.from({ length: arity }, (_, i) => `input ${i}`));
  }

  protected compute(inputs: Num[]): Num {
    return this.inner.forward(...inputs);
  }

  protected gradients(dout: Num): Num[] {
    const grads = this.inner.backward(dout);
    if (!Array.isArray(grads)) this.fail(`backward must return an array with one gradient per input, got ${typeof grads}`, "type");
    return grads;
  }

  protected tangent(tangents: Num[]): Num {
    if (typeof this.inner.jvp !== "function") this.fail("this gate has no jvp method, so it cannot be used in forward mode");
    return this.inner.jvp(tangents);
  }
}

/** The gate itself if it is a Gate, otherwise a ForeignGate around it. */
export function asGate(g: GateLike): Gate {
  return g instanceof Gate ? g : new ForeignGate(g);
}
