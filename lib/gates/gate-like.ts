/**
 * The lecture's gate API as a shape, not a base class: anything with forward(...) and backward(dout)
 * works with Graph and checkGate, so a student's own `class MyMultiply { forward(x, y) {...}
 * backward(dz) {...} }` can be checked and drawn without extending Gate.
 */
import type { Num } from "./arith";

export interface GateLike {
  forward(...inputs: Num[]): Num;
  backward(dout: Num): Num[];
  jvp?(...tangents: any[]): Num;
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
