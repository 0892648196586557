/**
 * The reference's answers to the visible tests, recorded at release and replayed by `gradlab check` on a
 * student's machine, where the reference solution is not (and must not be). Visible tests show their
 * expected values anyway, so the recording reveals nothing a student would not see in feedback; hidden
 * tests are never recorded.
 *
 * Answers are keyed by the test, the call (its target, method and arguments) and how many times that
 * same call came before in the test, so a test that stops early on a student's mistake still finds the
 * answers it needs. Remote objects are numbered per test in the order they were made.
 */
import { Tensor } from "../../lib/tensor/tensor";
import { CallOutcome, CallRequest, Inspection, Program, Remote } from "../sandbox/program";

type Encoded = unknown;

export interface Recording {
  format: "gradlab-reference-answers/1";
  answers: Record<string, Encoded>;
}

function encodeNumber(x: number): Encoded {
  return Number.isFinite(x) ? x : { $n: String(x) };
}

/** Parent values (numbers, Tensors, arrays, plain objects, Remotes) as JSON; `id` numbers a Remote. */
function encode(v: unknown, id: (r: Remote) => number): Encoded {
  if (typeof v === "number") return encodeNumber(v);
  if (v instanceof Tensor) return { $t: v.shape, dtype: v.dtype, d: Array.from(v.data, encodeNumber) };
  if (Array.isArray(v)) return v.map((x) => encode(x, id));
  if (v === undefined) return { $u: 1 };
  if (v && typeof v === "object") {
    if ("$handle" in v) return { $r: id(v as Remote), type: (v as Remote).$type };
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x, id)]));
  }
  return v;
}

function decodeNumber(x: Encoded): number {
  return typeof x === "number" ? x : Number((x as { $n: string }).$n);
}

function decode(e: Encoded, remote: (n: number, type: string) => Remote): unknown {
  if (typeof e === "number") return e;
  if (Array.isArray(e)) return e.map((x) => decode(x, remote));
  if (e && typeof e === "object") {
    const o = e as Record<string, unknown>;
    if ("$n" in o) return decodeNumber(o);
    if ("$u" in o) return undefined;
    if ("$t" in o) {
      const data = (o.d as Encoded[]).map(decodeNumber);
      return new Tensor(o.dtype === "float32" ? Float32Array.from(data) : Float64Array.from(data), o.$t as number[]);
    }
    if ("$r" in o) return remote(o.$r as number, String(o.type));
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x, remote)]));
  }
  return e;
}

/** Numbers this test's Remotes and counts repeated calls; shared by recorder and replayer. */
class Keys {
  private test = "";
  private ids = new Map<Remote, number>();
  private seen = new Map<string, number>();

  begin(test: string): void {
    this.test = test;
    this.ids = new Map();
    this.seen = new Map();
  }

  id(r: Remote): number {
    let n = this.ids.get(r);
    if (n === undefined) this.ids.set(r, (n = this.ids.size + 1));
    return n;
  }

  key(parts: unknown[]): string {
    const base = `${this.test}\u0000${JSON.stringify(encode(parts, (r) => this.id(r)))}`;
    const n = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, n);
    return `${base}\u0000${n}`;
  }
}

/** Wraps the reference while the visible tests run at release, keeping every answer. */
export class RecordingProgram implements Program {
  readonly kind = "reference" as const;
  private readonly keys = new Keys();
  readonly answers: Record<string, Encoded> = {};

  constructor(private readonly inner: Program) {}

  beginTest(name: string): void {
    this.keys.begin(name);
  }

  private keep(key: string, value: unknown): unknown {
    this.answers[key] = encode(value, (r) => this.keys.id(r));
    return value;
  }

  async new(name: string, ...args: unknown[]): Promise<Remote> {
    const key = this.keys.key(["new", name, args]);
    return this.keep(key, await this.inner.new(name, ...args)) as Remote;
  }

  async call(name: string, ...args: unknown[]): Promise<unknown> {
    return (await this.callFunction(name, args)).value;
  }

  async callFunction(name: string, args: unknown[]): Promise<{ value: unknown; args?: unknown[] }> {
    const key = this.keys.key(["call", name, args]);
    const out = await this.inner.callFunction(name, args);
    this.keep(key, out.value);
    return out;
  }

  async callMethod(target: Remote, method: string, args: unknown[]): Promise<{ value: unknown; args?: unknown[] }> {
    const key = this.keys.key(["method", target, method, args]);
    const out = await this.inner.callMethod(target, method, args);
    this.keep(key, out.value);
    return out;
  }

  async batch(calls: CallRequest[]): Promise<CallOutcome[]> {
    return this.inner.batch(calls);
  }

  load(): Promise<string[]> {
    return this.inner.load();
  }

  async get(target: Remote, prop: string): Promise<unknown> {
    const key = this.keys.key(["get", target, prop]);
    return this.keep(key, await this.inner.get(target, prop));
  }

  reset(): Promise<void> {
    return this.inner.reset();
  }

  output(): string {
    return this.inner.output();
  }

  async inspect(names: string[]): Promise<Record<string, Inspection>> {
    return this.inner.inspect(names);
  }

  setTimeout(ms: number): void {
    this.inner.setTimeout(ms);
  }

  async close(): Promise<void> {
    await this.inner.close();
  }

  recording(): Recording {
    return { format: "gradlab-reference-answers/1", answers: this.answers };
  }
}

/** The reference on a student's machine: answers from the recording, in the same order. */
export class ReplayProgram implements Program {
  readonly kind = "reference" as const;
  private readonly keys = new Keys();
  private readonly remotes = new Map<number, Remote>();

  constructor(private readonly recording: Recording) {
    if (recording?.format !== "gradlab-reference-answers/1") throw new Error("not a gradlab reference-answers file");
  }

  beginTest(name: string): void {
    this.keys.begin(name);
    this.remotes.clear();
  }

  private remote(n: number, type: string): Remote {
    let r = this.remotes.get(n);
    if (!r) {
      const self = this;
      r = new Proxy({ $handle: n, $type: type } as Remote, {
        get(target, prop) {
          if (prop in target || typeof prop === "symbol" || prop === "then") return (target as any)[prop];
          return (...args: unknown[]) => self.callMethod(r!, prop, args).then((o) => o.value);
        },
      });
      this.keys.id(r);
      this.remotes.set(n, r);
    }
    return r;
  }

  private answer(parts: unknown[]): unknown {
    const key = this.keys.key(parts);
    if (!(key in this.recording.answers)) {
      throw new Error("this check needs an answer of the reference solution that was not recorded at release; it runs when your work is graded");
    }
    return decode(this.recording.answers[key], (n, type) => this.remote(n, type));
  }

  async new(name: string, ...args: unknown[]): Promise<Remote> {
    return this.answer(["new", name, args]) as Remote;
  }

  async call(name: string, ...args: unknown[]): Promise<unknown> {
    return (await this.callFunction(name, args)).value;
  }

  async callFunction(name: string, args: unknown[]): Promise<{ value: unknown }> {
    return { value: this.answer(["call", name, args]) };
  }

  async callMethod(target: Remote, method: string, args: unknown[]): Promise<{ value: unknown }> {
    return { value: this.answer(["method", target, method, args]) };
  }

  async batch(): Promise<CallOutcome[]> {
    throw new Error("the reference is not probed numerically");
  }

  async load(): Promise<string[]> {
    return [];
  }

  async get(target: Remote, prop: string): Promise<unknown> {
    return this.answer(["get", target, prop]);
  }

  async reset(): Promise<void> {}

  output(): string {
    return "";
  }

  async inspect(names: string[]): Promise<Record<string, Inspection>> {
    return Object.fromEntries(names.map((n) => [n, { kind: "other", gradlabIdentity: null } as Inspection]));
  }

  setTimeout(): void {}

  async close(): Promise<void> {}
}

