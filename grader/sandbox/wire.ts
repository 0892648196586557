/**
 * The wire: the only thing that crosses between the grader (parent) and the student's code (child).
 * One JSON value per line; values are plain data (numbers, strings, arrays, plain objects, tensors as
 * shape + dtype + their bytes in base64) or a handle naming an object that stays on the side that made it.
 * A tensor's bytes, not its numbers as decimal text: both ends are on one machine (same byte order), the
 * text is half as long, every bit survives (-0, NaN payloads), and encoding and decoding are single
 * native calls instead of a loop per number, which a short-lived child would run unoptimised.
 *
 * Both sides load this file. In the child it is loaded before any student code runs, so every built-in
 * it uses is captured below at module load: a submission that patches Array.prototype, JSON, Math,
 * Object.is or Number.prototype changes nothing here. The parent never runs student code; it parses
 * each reply as untrusted text and checks its shape (`parseReply`) before decoding it.
 */
import { types as utilTypes } from "util";

export type Wire =
  | number
  | string
  | boolean
  | null
  | { $num: "NaN" | "Infinity" | "-Infinity" }
  | { $undefined: true }
  | { $tensor: { shape: number[]; dtype: "float64" | "float32"; base64: string } }
  | { $handle: number; type: string }
  | { $error: WireError }
  | { $object: { [key: string]: Wire } } // a plain object with a key starting with "$" (escaped)
  | Wire[]
  | { [key: string]: Wire };

export interface WireError {
  name: string;
  message: string;
  stack?: string;
}

export type Reply =
  | { id: number; ok: true; value: Wire; args?: Wire[] }
  | { id: number; ok: false; error: WireError };

/** Sizes the parent accepts from the child (and the child refuses to send beyond). */
export const LIMITS = {
  /** One reply line, in characters. */
  maxLine: 8 * 1024 * 1024,
  /** Nesting of arrays and objects. */
  maxDepth: 32,
  /** Largest entry of a tensor's shape. */
  maxShapeEntry: 1e7,
  /** Most axes of a tensor. */
  maxRank: 32,
  /** Error name / message / stack are cut to this many characters. */
  maxErrorText: 16 * 1024,
  /** A handle's type name. */
  maxTypeName: 200,
};

// ---------------------------------------------------------------- built-ins captured at load

const uncurry = <A extends unknown[], R>(fn: (...args: A) => R) =>
  Function.prototype.call.bind(fn) as unknown as (self: unknown, ...args: A) => R;
const $Array = Array;
const $Float64Array = Float64Array;
const $Float32Array = Float32Array;
const $Uint8Array = Uint8Array;
const $ArrayBuffer = ArrayBuffer;
const $isArray = Array.isArray;
const $getPrototypeOf = Reflect.getPrototypeOf;
const $ownKeys = Reflect.ownKeys;
const $apply = Reflect.apply;
const $getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
const $defineProperty = Reflect.defineProperty;
const $ObjectPrototype = Object.prototype;

/**
 * Object.prototype of another realm: the reference solution runs in Node's main realm while, under jest,
 * this module runs in a vm context, so a plain `{ W1, b1 }` from the reference has a different
 * Object.prototype. Plain-object encoding only reads own data properties, so a look-alike is harmless.
 */
function isOtherRealmObjectPrototype(proto: object): boolean {
  if ($getPrototypeOf(proto) !== null) return false;
  const ctor = $getOwnPropertyDescriptor(proto, "constructor");
  return !!ctor && typeof ctor.value === "function" && ctor.value.name === "Object";
}
const $stringify = JSON.stringify;
const $parse = JSON.parse;
const $isInteger = Number.isInteger;
const $isProxy = utilTypes.isProxy;
const $isTypedArray = utilTypes.isTypedArray;
const $isFloat64Array = utilTypes.isFloat64Array;
const $isFloat32Array = utilTypes.isFloat32Array;
const $isBigInt64Array = utilTypes.isBigInt64Array;
const $isBigUint64Array = utilTypes.isBigUint64Array;
const typedArrayGetter = (name: string) =>
  uncurry($getOwnPropertyDescriptor($getPrototypeOf(Uint8Array.prototype) as object, name)!.get as () => unknown);
const $typedArrayLength = typedArrayGetter("length") as (a: unknown) => number;
const $typedArrayBuffer = typedArrayGetter("buffer") as (a: unknown) => ArrayBuffer;
const $typedArrayByteOffset = typedArrayGetter("byteOffset") as (a: unknown) => number;
/** Node's native base64 codecs behind Buffer#toString / Buffer.from, taken directly: a submission that
 *  replaces Buffer.prototype's methods later changes nothing here. Both accept any Uint8Array. */
const bufferNatives = Buffer.prototype as unknown as {
  base64Slice(start: number, end: number): string;
  base64Write(text: string, offset: number, length: number): number;
};
const $base64Slice = uncurry(bufferNatives.base64Slice) as (bytes: Uint8Array, start: number, end: number) => string;
const $base64Write = uncurry(bufferNatives.base64Write) as (bytes: Uint8Array, text: string, offset: number, length: number) => number;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const $stringSlice = uncurry(String.prototype.slice);
const $stringCharCodeAt = uncurry(String.prototype.charCodeAt);
const $TypeError = TypeError;
const $RangeError = RangeError;

/** Sets an own data property without going through setters a submission put on a prototype. */
function setOwn(target: object, key: string | number, value: unknown): void {
  $defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** An own data property's value, or undefined (never runs a getter). */
export function ownValue(target: object, key: string | number): unknown {
  const d = $getOwnPropertyDescriptor(target, key);
  return d && "value" in d ? d.value : undefined;
}

function isNumberArray(x: unknown): x is number[] {
  if (!$isArray(x)) return false;
  for (let i = 0; i < x.length; i++) if (typeof x[i] !== "number") return false;
  return true;
}

// ---------------------------------------------------------------- encoding (value → JSON text)

export interface EncodeHooks {
  /** The typed data and shape when `value` is a Tensor of this side's gradlab, else null. */
  tensor(value: object): { data: unknown; shape: unknown } | null;
  /** A handle for a value that cannot cross (it stays on this side); returns the JSON text. */
  handle(value: unknown): { id: number; type: string };
}

function encodeNumber(n: number): string {
  if (n !== n) return '{"$num":"NaN"}';
  if (n === Infinity) return '{"$num":"Infinity"}';
  if (n === -Infinity) return '{"$num":"-Infinity"}';
  return "" + n; // ToString of a primitive: Number.prototype.toString is not consulted
}

function handleText(h: { id: number; type: string }): string {
  return '{"$handle":' + h.id + ',"type":' + $stringify(h.type) + "}";
}

/**
 * Encodes a value as one line of JSON. Plain objects are read once, property by property (a getter runs
 * once, a Proxy is never looked into: it becomes a handle), so what is sent is one consistent snapshot.
 */
export function encode(value: unknown, hooks: EncodeHooks): string {
  let size = 0;
  const grow = (text: string): string => {
    size += text.length;
    if (size > LIMITS.maxLine) throw new $RangeError(`the value is too large to send (over ${LIMITS.maxLine / 1024 / 1024} MB as text)`);
    return text;
  };
  const walk = (v: unknown, depth: number): string => {
    if (depth > LIMITS.maxDepth) throw new $RangeError(`the value is nested deeper than ${LIMITS.maxDepth} levels (does it contain a cycle?)`);
    switch (typeof v) {
      case "number":
        return grow(encodeNumber(v));
      case "string":
        return grow($stringify(v));
      case "boolean":
        return v ? "true" : "false";
      case "undefined":
        return '{"$undefined":true}';
      case "function":
      case "bigint":
      case "symbol":
        return handleText(hooks.handle(v));
    }
    if (v === null) return "null";
    const obj = v as object;
    if ($isProxy(obj)) return handleText(hooks.handle(obj));
    const t = hooks.tensor(obj);
    if (t) return grow(encodeTensor(t.data, t.shape));
    if ($isArray(obj)) {
      const n = ownValue(obj, "length") as number;
      let out = "[";
      for (let i = 0; i < n; i++) out += (i ? "," : "") + walk(readOnce(obj, i), depth + 1);
      return out + "]";
    }
    if ($isTypedArray(obj) && !$isBigInt64Array(obj) && !$isBigUint64Array(obj)) {
      const a = obj as unknown as ArrayLike<number>;
      const n = $typedArrayLength(a);
      let out = "[";
      for (let i = 0; i < n; i++) out += (i ? "," : "") + grow(encodeNumber(a[i]));
      return out + "]";
    }
    const proto = $getPrototypeOf(obj);
    if (proto === $ObjectPrototype || proto === null || isOtherRealmObjectPrototype(proto)) {
      const keys = $ownKeys(obj);
      let out = "{";
      let escaped = false;
      let first = true;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (typeof key !== "string") continue;
        const d = $getOwnPropertyDescriptor(obj, key);
        if (!d || !d.enumerable) continue;
        if ($stringCharCodeAt(key, 0) === 36 /* $ */) escaped = true;
        out += (first ? "" : ",") + grow($stringify(key)) + ":" + walk(readOnce(obj, key), depth + 1);
        first = false;
      }
      out += "}";
      return escaped ? '{"$object":' + out + "}" : out;
    }
    return handleText(hooks.handle(obj));
  };
  return walk(value, 0);
}

/** A property's value, running its getter (if any) exactly once. */
function readOnce(obj: object, key: string | number): unknown {
  const d = $getOwnPropertyDescriptor(obj, key);
  if (!d) return undefined;
  if ("value" in d) return d.value;
  return d.get ? $apply(d.get, obj, []) : undefined;
}

/** Bytes per number of a tensor's dtype. */
function bytesPerNumber(dtype: unknown): number {
  return dtype === "float32" ? 4 : 8;
}

/** Characters of base64 text for `bytes` bytes (padded); no Math: a submission may have replaced it. */
function base64Length(bytes: number): number {
  const rest = bytes % 3;
  return ((bytes - rest) / 3 + (rest ? 1 : 0)) * 4;
}

function encodeTensor(data: unknown, shape: unknown): string {
  if (!$isFloat64Array(data) && !$isFloat32Array(data)) {
    throw new $TypeError("a Tensor whose data is not a Float64Array or Float32Array cannot be sent");
  }
  if (!isNumberArray(shape)) throw new $TypeError("a Tensor whose shape is not an array of numbers cannot be sent");
  let size = 1;
  let shapeText = "[";
  for (let i = 0; i < shape.length; i++) {
    size *= shape[i];
    shapeText += (i ? "," : "") + encodeNumber(shape[i]);
  }
  const n = $typedArrayLength(data);
  if (size !== n) throw new $TypeError(`a Tensor of shape [${$stringSlice(shapeText, 1)}] must hold ${size} numbers, it holds ${n}`);
  const dtype = $isFloat32Array(data) ? "float32" : "float64";
  const byteLength = n * bytesPerNumber(dtype);
  if (base64Length(byteLength) > LIMITS.maxLine) throw new $RangeError(`the tensor is too large to send (over ${LIMITS.maxLine / 1024 / 1024} MB as text)`);
  const bytes = new $Uint8Array($typedArrayBuffer(data), $typedArrayByteOffset(data), byteLength);
  return '{"$tensor":{"shape":' + shapeText + '],"dtype":"' + dtype + '","base64":"' + $base64Slice(bytes, 0, byteLength) + '"}}';
}

/** Encodes an error (anything thrown) as {name, message, stack}, texts cut to LIMITS.maxErrorText. */
export function encodeError(e: unknown): string {
  let name = "Error";
  let message: string;
  let stack: string | undefined;
  try {
    if (e !== null && (typeof e === "object" || typeof e === "function")) {
      const n = safeRead(e, "name");
      const m = safeRead(e, "message");
      const s = safeRead(e, "stack");
      if (typeof n === "string") name = n;
      message = typeof m === "string" ? m : `a thrown ${typeName(e)} (not an Error)`;
      if (typeof s === "string") stack = s;
    } else {
      name = "Error";
      message = typeof e === "symbol" ? "a thrown symbol" : `thrown value: ${"" + (e as string)}`;
    }
  } catch {
    message = "an error that could not be read";
  }
  const cut = (s: string) => (s.length > LIMITS.maxErrorText ? $stringSlice(s, 0, LIMITS.maxErrorText) + "…" : s);
  return (
    '{"name":' + $stringify(cut(name)) + ',"message":' + $stringify(cut(message)) +
    (stack === undefined ? "" : ',"stack":' + $stringify(cut(stack))) + "}"
  );
}

function safeRead(obj: object, key: string): unknown {
  try {
    // Error properties are usually own data or inherited; a getter here is the student's own affair.
    return (obj as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** A display name for a non-plain value, read without running getters: the class name, else "object". */
export function typeName(v: unknown): string {
  if (typeof v === "function") return "function";
  if (typeof v !== "object" || v === null) return typeof v;
  if ($isProxy(v)) return "Proxy";
  try {
    for (let p = $getPrototypeOf(v); p !== null; p = $getPrototypeOf(p)) {
      const c = ownValue(p, "constructor");
      if (typeof c === "function") {
        const n = ownValue(c, "name");
        if (typeof n === "string" && n.length > 0) return n.length > LIMITS.maxTypeName ? $stringSlice(n, 0, LIMITS.maxTypeName) : n;
      }
    }
  } catch {
    // a Proxy in the prototype chain; fall through
  }
  return "object";
}

// ---------------------------------------------------------------- checking untrusted replies

/** A reply that breaks the protocol; the parent turns it into a "malformed" outcome. */
export class MalformedReply extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedReply";
  }
}

const NUMS = new Set(["NaN", "Infinity", "-Infinity"]);

function kind(v: unknown): string {
  return v === null ? "null" : $isArray(v) ? "an array" : typeof v;
}

function onlyKeys(o: object, keys: string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw new MalformedReply(`${where}: unexpected field "${k}"`);
  }
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !$isArray(v);
}

/** Checks that `v` (from JSON.parse) is a Wire value; `errors` allows `{$error}` (batch results). */
export function checkWire(v: unknown, where = "value", depth = 0, errors = false): asserts v is Wire {
  if (depth > LIMITS.maxDepth) throw new MalformedReply(`${where}: nested deeper than ${LIMITS.maxDepth} levels`);
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean" || v === null) return;
  if ($isArray(v)) {
    for (let i = 0; i < v.length; i++) checkWire(v[i], `${where}[${i}]`, depth + 1);
    return;
  }
  if (!isPlainRecord(v)) throw new MalformedReply(`${where}: ${kind(v)} is not a wire value`);
  if ("$num" in v) {
    onlyKeys(v, ["$num"], where);
    if (typeof v.$num !== "string" || !NUMS.has(v.$num)) throw new MalformedReply(`${where}: $num must be "NaN", "Infinity" or "-Infinity"`);
    return;
  }
  if ("$undefined" in v) {
    onlyKeys(v, ["$undefined"], where);
    if (v.$undefined !== true) throw new MalformedReply(`${where}: $undefined must be true`);
    return;
  }
  if ("$handle" in v) {
    onlyKeys(v, ["$handle", "type"], where);
    if (!$isInteger(v.$handle) || (v.$handle as number) < 1) throw new MalformedReply(`${where}: $handle must be a positive integer`);
    if (typeof v.type !== "string" || v.type.length > LIMITS.maxTypeName) throw new MalformedReply(`${where}: a handle's type must be a short string`);
    return;
  }
  if ("$tensor" in v) {
    onlyKeys(v, ["$tensor"], where);
    checkTensor(v.$tensor, `${where}.$tensor`);
    return;
  }
  if ("$error" in v) {
    if (!errors) throw new MalformedReply(`${where}: $error is only allowed as a batch result`);
    onlyKeys(v, ["$error"], where);
    checkError(v.$error, `${where}.$error`);
    return;
  }
  if ("$object" in v) {
    onlyKeys(v, ["$object"], where);
    if (!isPlainRecord(v.$object)) throw new MalformedReply(`${where}: $object must hold an object`);
    for (const k of Object.keys(v.$object)) checkWire(v.$object[k], `${where}.${k}`, depth + 1);
    return;
  }
  for (const k of Object.keys(v)) {
    if (k.startsWith("$")) throw new MalformedReply(`${where}: unknown marker "${k}"`);
    checkWire(v[k], `${where}.${k}`, depth + 1);
  }
}

function checkTensor(t: unknown, where: string): void {
  if (!isPlainRecord(t)) throw new MalformedReply(`${where}: must be an object`);
  onlyKeys(t, ["shape", "dtype", "base64"], where);
  const { shape, dtype } = t;
  if (dtype !== "float64" && dtype !== "float32") throw new MalformedReply(`${where}: dtype must be "float64" or "float32"`);
  if (!$isArray(shape) || shape.length > LIMITS.maxRank) throw new MalformedReply(`${where}: shape must be an array of at most ${LIMITS.maxRank} sizes`);
  let size = 1;
  for (const s of shape) {
    if (!$isInteger(s) || s < 0 || s > LIMITS.maxShapeEntry) {
      throw new MalformedReply(`${where}: shape entries must be integers from 0 to ${LIMITS.maxShapeEntry}, got ${JSON.stringify(s)}`);
    }
    size *= s;
  }
  const base64 = t.base64;
  if (typeof base64 !== "string") throw new MalformedReply(`${where}: base64 must be a string`);
  const chars = base64Length(size * bytesPerNumber(dtype));
  if (base64.length !== chars) throw new MalformedReply(`${where}: shape [${shape.join(", ")}] needs ${size} numbers (${chars} characters of base64), base64 has ${base64.length}`);
  if (!BASE64.test(base64)) throw new MalformedReply(`${where}: base64 holds a character that is not base64`);
}

function checkError(e: unknown, where: string): asserts e is WireError {
  if (!isPlainRecord(e)) throw new MalformedReply(`${where}: must be an object`);
  onlyKeys(e, ["name", "message", "stack"], where);
  for (const k of ["name", "message"]) {
    if (typeof e[k] !== "string") throw new MalformedReply(`${where}.${k} must be a string`);
  }
  if (e.stack !== undefined && typeof e.stack !== "string") throw new MalformedReply(`${where}.stack must be a string`);
  for (const k of ["name", "message", "stack"]) {
    if (typeof e[k] === "string" && (e[k] as string).length > LIMITS.maxErrorText + 1) throw new MalformedReply(`${where}.${k} is too long`);
  }
}

/**
 * Parses one reply line from the child and checks every part of it. Throws MalformedReply naming the
 * first problem. `batch`: the value is an array whose entries may be `{$error}`.
 */
export function parseReply(line: string, batch = false): Reply {
  if (line.length > LIMITS.maxLine) throw new MalformedReply(`a reply longer than ${LIMITS.maxLine / 1024 / 1024} MB`);
  let r: unknown;
  try {
    r = $parse(line);
  } catch {
    throw new MalformedReply(`a reply that is not JSON: ${JSON.stringify(line.slice(0, 80))}`);
  }
  if (!isPlainRecord(r)) throw new MalformedReply("a reply that is not an object");
  if (!$isInteger(r.id)) throw new MalformedReply("a reply without an integer id");
  if (r.ok === true) {
    onlyKeys(r, ["id", "ok", "value", "args"], "reply");
    if (!("value" in r)) throw new MalformedReply("a reply without a value");
    if (batch) {
      if (!$isArray(r.value)) throw new MalformedReply("a batch reply whose value is not an array");
      r.value.forEach((v, i) => checkWire(v, `value[${i}]`, 1, true));
    } else {
      checkWire(r.value);
    }
    if (r.args !== undefined) {
      if (!$isArray(r.args)) throw new MalformedReply("reply args must be an array");
      checkWire(r.args, "args");
    }
    return r as Reply;
  }
  if (r.ok === false) {
    onlyKeys(r, ["id", "ok", "error"], "reply");
    checkError(r.error, "error");
    return r as Reply;
  }
  throw new MalformedReply("a reply whose ok is neither true nor false");
}

// ---------------------------------------------------------------- decoding (Wire → values)

export interface DecodeHooks {
  tensor(data: Float64Array | Float32Array, shape: number[]): unknown;
  handle(id: number, type: string): unknown;
  /** Only batch results carry errors. */
  error?(e: WireError): unknown;
}

function decodeNumber(x: number | { $num: string }): number {
  if (typeof x === "number") return x;
  return x.$num === "NaN" ? NaN : x.$num === "Infinity" ? Infinity : -Infinity;
}

/** Turns a (checked) Wire value into values of this side. */
export function decode(w: Wire, hooks: DecodeHooks): unknown {
  if (typeof w !== "object" || w === null) return w;
  if ($isArray(w)) {
    const out = new $Array(w.length);
    for (let i = 0; i < w.length; i++) setOwn(out, i, decode(w[i], hooks));
    return out;
  }
  const o = w as Record<string, unknown>;
  if ("$num" in o) return decodeNumber(o as { $num: string });
  if ("$undefined" in o) return undefined;
  if ("$handle" in o) return hooks.handle(o.$handle as number, o.type as string);
  if ("$tensor" in o) {
    const t = o.$tensor as { shape: number[]; dtype: string; base64: string };
    const shape = new $Array(t.shape.length);
    let size = 1;
    for (let i = 0; i < t.shape.length; i++) {
      setOwn(shape, i, t.shape[i]);
      size *= t.shape[i];
    }
    const byteLength = size * bytesPerNumber(t.dtype);
    const buffer = new $ArrayBuffer(byteLength);
    if (byteLength > 0 && $base64Write(new $Uint8Array(buffer), t.base64, 0, byteLength) !== byteLength) {
      throw new $TypeError(`a tensor's base64 does not hold the ${byteLength} bytes its shape needs`);
    }
    const data = t.dtype === "float32" ? new $Float32Array(buffer) : new $Float64Array(buffer);
    return hooks.tensor(data, shape as number[]);
  }
  if ("$error" in o) {
    if (!hooks.error) throw new $TypeError("an error value outside a batch");
    return hooks.error(o.$error as WireError);
  }
  const entries = ("$object" in o ? o.$object : o) as Record<string, Wire>;
  const out = {};
  const keys = $ownKeys(entries);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    setOwn(out, k, decode(entries[k], hooks)); // defineProperty: a "__proto__" key stays a plain key
  }
  return out;
}

/** Parses a request line in the child (the parent is trusted; this only guards against garbage). */
export function parseLine(line: string): Record<string, unknown> {
  const r = $parse(line);
  if (typeof r !== "object" || r === null || $isArray(r)) throw new $TypeError("request is not an object");
  return r;
}
