/**
 * The part of a Program that is the same for the student (child process) and the reference (in-process):
 * turning calls into request lines, checking and decoding replies, and Remotes for objects that stay on
 * the program's side. Subclasses only move lines: `exchange(line)` sends one request and returns its
 * checked reply.
 */
import { Tensor } from "../../lib/tensor/tensor";
import { ChildFailure, StudentError, type BatchCall, type Inspection, type Program, type Remote } from "./program";
import { decode, encode, MalformedReply, type DecodeHooks, type EncodeHooks, type Reply, type Wire, type WireError } from "./wire";

interface RemoteInfo {
  id: number;
  type: string;
  /** Which child (or load) the object lives in; a Remote from an earlier child cannot be used. */
  generation: number;
}

// Property names that JS machinery (await, jest, util.inspect, JSON) probes on any object: a Remote must
// not answer them with a method, or `await remote` would call `remote.then` on the program.
const NOT_METHODS = new Set(["then", "toJSON", "constructor", "prototype", "asymmetricMatch", "nodeType", "inspect", "$$typeof", "toString", "valueOf"]);

const KINDS = new Set(["class", "function", "other", "missing"]);

export abstract class WireProgram implements Program {
  abstract readonly kind: "student" | "reference";
  private nextId = 1;
  private readonly remotes = new WeakMap<object, RemoteInfo>();

  /** Sends one request line and returns its reply, checked (`batch`: entries may be errors). */
  protected abstract exchange(id: number, line: string, batch: boolean): Promise<Reply>;
  /** The generation the next request runs in (changes when a fresh child starts). */
  protected abstract generation(): number;
  /** Why objects of an earlier generation are gone, for the message when one is used. */
  protected abstract endedBecause(): string;
  /** A student error that is really a limit (an allocation the memory limit refused), else null. */
  protected limitFor(_e: WireError): ChildFailure | null {
    return null;
  }
  abstract setTimeout(ms: number): void;
  abstract reset(): Promise<void>;
  abstract output(): string;
  abstract close(): Promise<void>;
  abstract load(): Promise<string[]>;

  private readonly encodeHooks: EncodeHooks = {
    tensor: (v) => (v instanceof Tensor ? { data: v.data, shape: v.shape } : null),
    handle: (v) => {
      const info = typeof v === "object" && v !== null ? this.remotes.get(v) : undefined;
      if (!info) throw new TypeError(`cannot send ${typeof v === "function" ? "a function" : "this value"} to the program: only plain data, Tensors and its own objects`);
      if (info.generation !== this.generation()) {
        throw new ChildFailure("crash", `a ${info.type} from an earlier run of the program is gone (${this.endedBecause()})`);
      }
      return { id: info.id, type: info.type };
    },
  };

  private decodeHooks(generation: number): DecodeHooks {
    return {
      tensor: (data, shape) => new Tensor(data, shape),
      handle: (id, type) => this.remote(id, type, generation),
      error: (e) => new StudentError(e.name, e.message, e.stack),
    };
  }

  private remote(id: number, type: string, generation: number): Remote {
    const shown = Object.freeze({ $handle: id, $type: type }); // what util.inspect / jest print
    const proxy: Remote = new Proxy(shown, {
      get: (target, prop) => {
        if (prop === "$handle" || prop === "$type") return target[prop];
        if (prop === "$get") return (name: string) => this.get(proxy, name);
        if (typeof prop === "symbol" || NOT_METHODS.has(prop) || prop.startsWith("@@")) return undefined;
        return (...args: unknown[]) => this.callMethod(proxy, prop, args).then((r) => r.value);
      },
    }) as unknown as Remote;
    this.remotes.set(proxy, { id, type, generation });
    return proxy;
  }

  private infoOf(target: Remote): RemoteInfo {
    const info = this.remotes.get(target);
    if (!info) throw new TypeError("not an object of this program (a Remote from another Program?)");
    if (info.generation !== this.generation()) {
      throw new ChildFailure("crash", `a ${info.type} from an earlier run of the program is gone (${this.endedBecause()})`);
    }
    return info;
  }

  /** One round trip: `fields` is the JSON text after the id; returns the decoded value and args. */
  private async request(op: string, fields: string, batch = false): Promise<{ reply: Reply & { ok: true }; generation: number }> {
    const id = this.requestId();
    const line = `{"id":${id},"op":${JSON.stringify(op)}${fields ? "," + fields : ""}}`;
    const generation = this.generation();
    const reply = await this.exchange(id, line, batch);
    if (!reply.ok) {
      throw this.limitFor(reply.error) ?? new StudentError(reply.error.name, reply.error.message, reply.error.stack);
    }
    return { reply, generation };
  }

  private args(args: unknown[]): string {
    return `"args":${encode(args, this.encodeHooks)}`;
  }

  async new(name: string, ...args: unknown[]): Promise<Remote> {
    const { reply, generation } = await this.request("new", `"name":${JSON.stringify(name)},${this.args(args)}`);
    const value = decode(reply.value, this.decodeHooks(generation));
    if (!this.remotes.has(value as object)) throw new ChildFailure("malformed", `new ${name}(...) answered with something that is not an object handle`);
    return value as Remote;
  }

  async call(name: string, ...args: unknown[]): Promise<unknown> {
    const { reply, generation } = await this.request("call", `"name":${JSON.stringify(name)},${this.args(args)}`);
    return decode(reply.value, this.decodeHooks(generation));
  }

  async callFunction(name: string, args: unknown[], opts: { echoArgs?: boolean } = {}): Promise<{ value: unknown; args?: unknown[] }> {
    const fields = `"name":${JSON.stringify(name)},${this.args(args)}${opts.echoArgs ? ',"echoArgs":true' : ""}`;
    const { reply, generation } = await this.request("call", fields);
    const hooks = this.decodeHooks(generation);
    const out: { value: unknown; args?: unknown[] } = { value: decode(reply.value, hooks) };
    if (opts.echoArgs) {
      if (!reply.args || reply.args.length !== args.length) throw new ChildFailure("malformed", `${name}: the arguments were not sent back`);
      out.args = decode(reply.args as Wire, hooks) as unknown[];
    }
    return out;
  }

  async callMethod(target: Remote, method: string, args: unknown[], opts: { echoArgs?: boolean } = {}): Promise<{ value: unknown; args?: unknown[] }> {
    const info = this.infoOf(target);
    const fields = `"handle":${info.id},"method":${JSON.stringify(method)},${this.args(args)}${opts.echoArgs ? ',"echoArgs":true' : ""}`;
    const { reply, generation } = await this.request("call", fields);
    const hooks = this.decodeHooks(generation);
    const out: { value: unknown; args?: unknown[] } = { value: decode(reply.value, hooks) };
    if (opts.echoArgs) {
      if (!reply.args || reply.args.length !== args.length) throw new ChildFailure("malformed", `${info.type}.${method}: the arguments were not sent back`);
      out.args = decode(reply.args as Wire, hooks) as unknown[];
    }
    return out;
  }

  async get(target: Remote, prop: string): Promise<unknown> {
    const info = this.infoOf(target);
    const { reply, generation } = await this.request("get", `"handle":${info.id},"prop":${JSON.stringify(prop)}`);
    return decode(reply.value, this.decodeHooks(generation));
  }

  async batch(calls: BatchCall[]): Promise<Array<{ value?: unknown; error?: StudentError }>> {
    const parts = calls.map((c) =>
      "target" in c
        ? `{"handle":${this.infoOf(c.target).id},"method":${JSON.stringify(c.method)},${this.args(c.args)}}`
        : `{"name":${JSON.stringify(c.name)},${this.args(c.args)}}`,
    );
    const { reply, generation } = await this.request("batch", `"calls":[${parts.join(",")}]`, true);
    const entries = reply.value as Wire[];
    if (entries.length !== calls.length) throw new ChildFailure("malformed", `a batch of ${calls.length} calls answered with ${entries.length} results`);
    const hooks = this.decodeHooks(generation);
    return entries.map((w) => {
      const v = decode(w, hooks);
      return v instanceof StudentError ? { error: v } : { value: v };
    });
  }

  async inspect(names: string[]): Promise<Record<string, Inspection>> {
    const { reply } = await this.request("inspect", `"names":${JSON.stringify(names)}`);
    const v = reply.value as Record<string, unknown>;
    const out: Record<string, Inspection> = {};
    for (const name of names) {
      const r = (typeof v === "object" && v !== null && !Array.isArray(v) ? v[name] : undefined) as Record<string, unknown> | undefined;
      if (!r || typeof r.kind !== "string" || !KINDS.has(r.kind) || !(r.gradlabIdentity === null || typeof r.gradlabIdentity === "string")) {
        throw new ChildFailure("malformed", `inspect: no proper answer for ${name}`);
      }
      out[name] = { kind: r.kind as Inspection["kind"], gradlabIdentity: r.gradlabIdentity as string | null };
    }
    return out;
  }

  /** A fresh request id (subclasses use it for the load they send when a child starts). */
  protected requestId(): number {
    return this.nextId++;
  }
}

/** A reply for another request than the one pending, or an unparseable one. */
export function malformed(e: unknown): ChildFailure {
  const why = e instanceof MalformedReply ? e.message : String(e);
  return new ChildFailure("malformed", `the grading process answered out of protocol: ${why}`);
}

/** The load request's line, and its reply turned into the names defined (or the student's error). */
export function loadLine(id: number): string {
  return `{"id":${id},"op":"load"}`;
}

export function loadResult(reply: Reply): string[] | StudentError {
  if (!reply.ok) return new StudentError(reply.error.name, reply.error.message, reply.error.stack);
  const names = reply.value;
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) throw new ChildFailure("malformed", "load: the names were not a list of strings");
  return names as string[];
}
