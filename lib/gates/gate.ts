/**
 * The lecture's modular gate API. A gate is one node's worth of calculus:
 *
 *   forward(...inputs)  computes the output and caches what backward and jvp need;
 *   backward(dout)      returns one gradient per input, in input order (chain rule: dout * local);
 *   jvp(tangents)       forward mode: the output's tangent for given input tangents.
 *
 * The base class owns the checks every gate shares (arity, value types, calling order, the upstream
 * gradient's shape) so that each concrete gate states only its mathematics.
 */
import { formatShape, sameShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { Num, describe, isTensor } from "./arith";

interface Cache<V extends Num = Num> {
  inputs: V[];
  output: V;
}

/**
 * `V` is the kind of value the gate is used with: `Num` (numbers and Tensors, the default), `number`
 * or `Tensor`. It types forward's inputs and output, backward's gradients (each is shaped like its
 * input) and the hooks a subclass implements, so `class MyGate extends Gate<number>` is written with
 * plain numbers. The runtime checks are the same for every V.
 */
export abstract class Gate<V extends Num = Num> {
  /** Class-like name used in error messages, e.g. "MultiplyGate". */
  abstract readonly name: string;
  /** Short operator label for graph drawings and traces, e.g. "*". */
  abstract readonly symbol: string;
  /** Names of the inputs, in order ("x", "y"), used in messages. A variadic gate lists one pattern. */
  abstract readonly inputNames: readonly string[];
  /** True for gates that take any number (>= 1) of inputs, such as ConcatGate. */
  readonly variadic: boolean = false;
  /** True when swapping the inputs changes nothing (drawings then leave the edges unlabelled). */
  readonly commutative: boolean = false;

  private cache: Cache<V> | null = null;
  /** True while the last forward call threw (its cache was dropped: backward must not reuse an older one). */
  private forwardThrew = false;

  /** The inputs and output of the last forward call, or null before the first one. */
  get cached(): Readonly<Cache<V>> | null {
    return this.cache;
  }

  /** Label for drawings: the symbol, plus attributes where they matter (e.g. "sum(axis=1)"). */
  get label(): string {
    return this.symbol;
  }

  forward(...inputs: V[]): V {
    this.cache = null;
    this.forwardThrew = true;
    this.checkInputs(inputs);
    const output = this.compute(inputs);
    this.cache = { inputs, output };
    this.forwardThrew = false;
    return output;
  }

  backward(dout: Num): V[] {
    const { inputs, output } = this.requireForward("backward");
    // conform gives dout the output's kind (a number for a number output, else a Tensor of its shape).
    const upstream = this.conform(dout, output, "upstream gradient") as V;
    const grads = this.gradients(upstream, inputs, output);
    if (grads.length !== inputs.length) {
      throw new Error(`${this.name}.backward returned ${grads.length} gradient(s) for ${inputs.length} input(s)`);
    }
    return grads;
  }

  /**
   * Forward mode: the directional derivative of the output when the inputs move along `tangents`
   * (one per input, shaped like it), at the point cached by the last forward call. Accepts the
   * tangents as one array or as separate arguments. A number tangent for a tensor input means that
   * value in every element.
   */
  jvp(...args: Num[] | [Num[]]): V {
    const { inputs, output } = this.requireForward("jvp");
    const tangents = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as Num[];
    if (tangents.length !== inputs.length) {
      throw new Error(`${this.name}.jvp expects ${inputs.length} tangent(s), one per input (${this.describeInputs(inputs.length)}), got ${tangents.length}`);
    }
    // Each tangent gets its input's kind, as with dout above.
    const shaped = tangents.map((t, i) => this.conform(t, inputs[i], `tangent of input ${this.inputName(i)}`) as V);
    return this.tangent(shaped, inputs, output);
  }

  /** Forgets the cached forward pass (the next backward/jvp is an error until forward runs again). */
  reset(): void {
    this.cache = null;
    this.forwardThrew = false;
  }

  /** Name of input i for messages, e.g. "y" or "input 3". */
  inputName(i: number): string {
    if (this.variadic) return `${this.inputNames[0] ?? "input"} ${i}`;
    return this.inputNames[i] ?? `input ${i}`;
  }

  protected abstract compute(inputs: V[]): V;
  protected abstract gradients(dout: V, inputs: V[], output: V): V[];
  protected abstract tangent(tangents: V[], inputs: V[], output: V): V;

  /** Throws an error that starts with the gate's name. */
  protected fail(message: string, kind: "type" | "range" = "range"): never {
    const text = `${this.name}: ${message}`;
    throw kind === "type" ? new TypeError(text) : new RangeError(text);
  }

  /** Tensor-only gates call this: a clear error for a plain number where a Tensor is required. */
  protected requireTensor(x: Num, i: number): Tensor {
    if (!isTensor(x)) this.fail(`input ${this.inputName(i)} must be a Tensor, got ${describe(x)}`, "type");
    return x;
  }

  private describeInputs(n: number): string {
    return this.variadic ? `${n} ${this.inputNames[0] ?? "input"}s` : this.inputNames.join(", ");
  }

  private checkInputs(inputs: unknown[]): void {
    if (this.variadic) {
      if (inputs.length < 1) this.fail(`forward expects at least one input, got none`);
    } else if (inputs.length !== this.inputNames.length) {
      this.fail(`forward expects ${this.inputNames.length} input(s) (${this.inputNames.join(", ")}), got ${inputs.length}`);
    }
    inputs.forEach((x, i) => {
      if (typeof x !== "number" && !isTensor(x)) {
        this.fail(`input ${this.inputName(i)} must be a number or a Tensor, got ${describe(x)}`, "type");
      }
    });
  }

  private requireForward(method: string): Cache<V> {
    if (this.forwardThrew) {
      throw new Error(`${this.name}.${method}: the last forward threw an error, so there is no forward pass to differentiate: run forward(...) again with valid inputs`);
    }
    if (!this.cache) {
      throw new Error(`${this.name}.${method} called before forward: run forward(...) first so the gate can cache its inputs`);
    }
    return this.cache;
  }

  /** Checks that `g` (a gradient or tangent) has the shape of `like`; a number fills a tensor. */
  private conform(g: Num, like: Num, what: string): Num {
    if (typeof g !== "number" && !isTensor(g)) {
      this.fail(`${what} must be a number or a Tensor, got ${describe(g)}`, "type");
    }
    if (isTensor(like)) {
      if (typeof g === "number") return Tensor.full(like.shape, g, { dtype: like.dtype });
      if (!sameShape(g.shape, like.shape)) {
        this.fail(`${what} has shape ${formatShape(g.shape)} but should have shape ${formatShape(like.shape)}`);
      }
      return g;
    }
    if (isTensor(g)) {
      if (g.size !== 1) this.fail(`${what} has shape ${formatShape(g.shape)} but the value is a plain number`);
      return g.data[0];
    }
    return g;
  }
}

