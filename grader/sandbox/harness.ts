/**
 * The request handler: runs one wire request (load / new / call / get / inspect / batch) against a
 * program's exports and answers with one reply line. The child process (child.ts) runs it on the
 * student's code; LocalProgram runs the same code in-process on the trusted reference, so both answer
 * through the same encoding and their values look alike.
 *
 * Objects that are not plain data (a cache, a gate instance, a function) stay here in a handle table;
 * the other side gets `{ $handle, type }` and can call methods on it or pass it back as an argument.
 */
import { types as utilTypes } from "util";
import * as wire from "./wire";
import type { EncodeHooks, DecodeHooks } from "./wire";
import type { LazyNamespaces } from "../../lib/lazy-namespaces";

// Captured before student code runs (see wire.ts); wire's exports too, since a module's exports object
// is writable by anyone who can require it.
const { decode, encode, encodeError, ownValue, parseLine, typeName } = wire;
const $apply = Reflect.apply;
const $construct = Reflect.construct;
const $getPrototypeOf = Reflect.getPrototypeOf;
const $isArray = Array.isArray;
const $isPromise = utilTypes.isPromise;
const $isProxy = utilTypes.isProxy;
const $Map = Map;
const $mapGet = Function.prototype.call.bind(Map.prototype.get) as (m: Map<number, unknown>, k: number) => unknown;
const $mapSet = Function.prototype.call.bind(Map.prototype.set) as (m: Map<number, unknown>, k: number, v: unknown) => void;
const $mapHas = Function.prototype.call.bind(Map.prototype.has) as (m: Map<number, unknown>, k: number) => boolean;
const $fnToString = Function.prototype.call.bind(Function.prototype.toString) as (f: unknown) => string;
const $stringify = JSON.stringify;
const $TypeError = TypeError;
const $ownKeys = Reflect.ownKeys;
const $hasOwn = Object.hasOwn;
const $stringSlice = Function.prototype.call.bind(String.prototype.slice) as (s: string, a: number, b?: number) => string;

type Request = Record<string, unknown>;

/** A request's field: an own property only (a submission may have put "handle" on Object.prototype). */
const field = (req: Request, key: string): unknown => ownValue(req, key);

export interface HarnessOptions {
  /** gradlab as the program sees it: its Tensor crosses as $tensor, its exports are what inspect names. */
  gradlab: Record<string, unknown>;
  /** Loads the program and returns its module exports (called by the "load" request). */
  load(): unknown;
}

export interface Harness {
  /** Answers one request line with one reply line (never throws). */
  handle(line: string): Promise<string>;
}

/**
 * The key under which gradlab answers which of its lazily loaded namespaces are loaded: lib/lazy-namespaces.ts's
 * LAZY_NAMESPACES, found by its registry name, since the harness runs from its own folder in the sandbox and
 * cannot require lib's modules by path (only the type is imported, and erased).
 */
const LAZY_NAMESPACES = Symbol.for("gradlab.lazyNamespaces");

const $defineProperty = Reflect.defineProperty;

/** Adds `scope`'s own function values to `out`, named `prefix` + key (captured built-ins only). */
function addFunctions(scope: object, prefix: string, out: Array<[unknown, string]>): void {
  const keys = $ownKeys(scope);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key !== "string") continue;
    const v = (scope as Record<string, unknown>)[key];
    if (typeof v === "function") $defineProperty(out, out.length, { value: [v, prefix + key], writable: true, enumerable: true, configurable: true });
  }
}

/**
 * Where each gradlab export lives, for inspect's "is it, or does it extend, a gradlab export?". Taken
 * before the program runs, except the namespaces that load on first use: each inspect adds those
 * loaded by then (the program cannot be, or extend, anything of one it never loaded).
 */
function gradlabIdentities(gradlab: Record<string, unknown>): () => Array<[unknown, string]> {
  const lazy = (gradlab as Record<symbol, unknown>)[LAZY_NAMESPACES] as LazyNamespaces | undefined;
  const lazyNames = new Set(typeof lazy === "function" ? lazy().map(([name]) => name) : []);
  const eager: Array<[unknown, string]> = [];
  for (const key of Object.keys(gradlab)) {
    if (lazyNames.has(key)) continue; // reading it would load it
    const v = gradlab[key];
    if (typeof v === "function") eager.push([v, key]);
    else if (v && typeof v === "object" && key !== "default") addFunctions(v, `${key}.`, eager);
  }
  if (typeof lazy !== "function") return () => eager;
  return () => {
    const all: Array<[unknown, string]> = [];
    for (let i = 0; i < eager.length; i++) $defineProperty(all, i, { value: eager[i], writable: true, enumerable: true, configurable: true });
    const namespaces = $apply(lazy, undefined, []) as Array<[string, object | undefined]>;
    for (let i = 0; i < namespaces.length; i++) {
      const ns = namespaces[i][1];
      if (ns) addFunctions(ns, namespaces[i][0] + ".", all);
    }
    return all;
  };
}

export function createHarness(opts: HarnessOptions): Harness {
  const Tensor = opts.gradlab.Tensor as new (data: Float64Array | Float32Array, shape: number[]) => object;
  const tensorPrototype = Tensor.prototype;
  const identities = gradlabIdentities(opts.gradlab);
  const handles = new $Map<number, unknown>();
  let nextHandle = 1;
  let exports: Record<string, unknown> | undefined;

  const isTensor = (v: object): boolean => {
    for (let p = $getPrototypeOf(v); p !== null; p = $getPrototypeOf(p)) if (p === tensorPrototype) return true;
    return false;
  };
  const encodeHooks: EncodeHooks = {
    tensor: (v) => (!$isProxy(v) && isTensor(v) ? { data: ownValue(v, "data"), shape: ownValue(v, "shape") } : null),
    handle: (v) => {
      const id = nextHandle++;
      $mapSet(handles, id, v);
      return { id, type: typeName(v) };
    },
  };
  const decodeHooks: DecodeHooks = {
    tensor: (data, shape) => new Tensor(data, shape),
    handle: (id) => {
      if (!$mapHas(handles, id)) throw new $TypeError(`unknown handle ${id}`);
      return $mapGet(handles, id);
    },
  };
  const decodeArgs = (args: unknown): unknown[] => {
    if (!$isArray(args)) throw new $TypeError("args must be an array");
    return decode(args as never, decodeHooks) as unknown[];
  };

  const exported = (name: unknown): unknown => {
    if (!exports) throw new $TypeError("the program is not loaded");
    if (typeof name !== "string") throw new $TypeError("a name is required");
    const v = exports[name];
    if (v === undefined) throw new $TypeError(`${name} is not defined in your code`);
    return v;
  };

  /** Runs one call request; returns the result and the arguments as they are afterwards. */
  const runCall = async (req: Request): Promise<{ value: unknown; args: unknown[] }> => {
    const args = decodeArgs(field(req, "args"));
    let result: unknown;
    if (field(req, "handle") !== undefined) {
      const target = decodeHooks.handle(field(req, "handle") as number, "") as Record<string, unknown>;
      const method = field(req, "method");
      if (typeof method !== "string") throw new $TypeError("a method name is required");
      const fn = target[method];
      if (typeof fn !== "function") throw new $TypeError(`${typeName(target)}.${method} is not a function (it is ${typeName(fn)})`);
      result = $apply(fn, target, args);
    } else {
      const fn = exported(field(req, "name"));
      if (typeof fn !== "function") throw new $TypeError(`${field(req, "name") as string} is not a function (it is ${typeName(fn)})`);
      result = $apply(fn, undefined, args);
    }
    if ($isPromise(result)) result = await result;
    return { value: result, args };
  };

  const ops: Record<string, (req: Request) => Promise<string>> = {
    async load() {
      const mod = opts.load() as Record<string, unknown> | null;
      const inner = mod && typeof mod === "object" ? mod.__gradlab_exports : undefined;
      exports = ((inner && typeof inner === "object" ? inner : mod) ?? {}) as Record<string, unknown>;
      // Built as text: the program has just run and may have patched Array.prototype or JSON.
      let names = "";
      const keys = $ownKeys(exports);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        if (typeof k === "string" && k !== "__gradlab_exports" && exports[k] !== undefined) names += (names ? "," : "") + $stringify(k);
      }
      return ',"value":[' + names + "]";
    },
    async new(req) {
      const C = exported(field(req, "name"));
      if (typeof C !== "function") throw new $TypeError(`${field(req, "name") as string} is not a class (it is ${typeName(C)})`);
      const instance = $construct(C as new (...a: unknown[]) => unknown, decodeArgs(field(req, "args")));
      const h = encodeHooks.handle(instance);
      return ',"value":{"$handle":' + h.id + ',"type":' + $stringify(h.type) + "}";
    },
    async call(req) {
      const { value, args } = await runCall(req);
      return ',"value":' + encode(value, encodeHooks) + (field(req, "echoArgs") ? ',"args":' + encode(args, encodeHooks) : "");
    },
    async get(req) {
      const target = decodeHooks.handle(field(req, "handle") as number, "") as Record<string, unknown>;
      return ',"value":' + encode(target[field(req, "prop") as string], encodeHooks);
    },
    async inspect(req) {
      if (!exports) throw new $TypeError("the program is not loaded");
      const names = field(req, "names") as string[];
      const known = identities();
      let out = "{";
      for (let i = 0; i < names.length; i++) {
        const v = exports[names[i]];
        const kind = v === undefined ? "missing" : typeof v !== "function" ? "other" : isClass(v) ? "class" : "function";
        out += (i ? "," : "") + $stringify(names[i]) + ':{"kind":"' + kind + '","gradlabIdentity":' + $stringify(identityOf(v, known)) + "}";
      }
      return ',"value":' + out + "}";
    },
    async batch(req) {
      const calls = field(req, "calls") as Request[];
      let out = "[";
      for (let i = 0; i < calls.length; i++) {
        let item: string;
        try {
          item = encode((await runCall(calls[i])).value, encodeHooks);
        } catch (e) {
          item = '{"$error":' + encodeError(e) + "}";
        }
        out += (i ? "," : "") + item;
      }
      return ',"value":' + out + "]";
    },
  };

  return {
    async handle(line) {
      let id = 0;
      try {
        const req = parseLine(line);
        const rid = field(req, "id");
        id = typeof rid === "number" ? rid : 0;
        const name = field(req, "op");
        const op = typeof name === "string" && $hasOwn(ops, name) ? ops[name] : undefined;
        if (!op) throw new $TypeError(`unknown request ${$stringify(name)}`);
        return '{"id":' + id + ',"ok":true' + (await op(req)) + "}";
      } catch (e) {
        return '{"id":' + id + ',"ok":false,"error":' + encodeError(e) + "}";
      }
    },
  };
}

function isClass(f: unknown): boolean {
  try {
    const source = $fnToString(f);
    const next = source[5];
    return $stringSlice(source, 0, 5) === "class" && (next === " " || next === "{" || next === "\n" || next === "\t");
  } catch {
    return false; // a callable Proxy
  }
}

/** The gradlab export that `v` is or extends (walking the class chain), else null. */
function identityOf(v: unknown, identities: Array<[unknown, string]>): string | null {
  try {
    for (let p: unknown = v; p !== null && p !== undefined && (typeof p === "function" || typeof p === "object"); p = $getPrototypeOf(p as object)) {
      if ($isProxy(p)) return null;
      for (let i = 0; i < identities.length; i++) {
        const fn = identities[i][0];
        const name = identities[i][1];
        if (p === fn || (typeof fn === "function" && p === (fn as { prototype?: unknown }).prototype)) return name;
      }
    }
  } catch {
    // a Proxy trap threw: not a gradlab export
  }
  return null;
}
