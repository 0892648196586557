/**
 * The wire format on its own (no processes): what the child encodes survives the trip, and what the
 * parent accepts from an untrusted child is checked field by field with a message that names the problem.
 */
import { Tensor } from "gradlab";
import { checkWire, decode, encode, LIMITS, MalformedReply, parseReply, type EncodeHooks, type DecodeHooks } from "../../grader/sandbox/wire";

const kept: unknown[] = [];
const encodeHooks: EncodeHooks = {
  tensor: (v) => (v instanceof Tensor ? { data: v.data, shape: v.shape } : null),
  handle: (v) => (kept.push(v), { id: kept.length, type: typeof v === "function" ? "function" : "object" }),
};
const decodeHooks: DecodeHooks = {
  tensor: (data, shape) => new Tensor(data, shape),
  handle: (id, type) => ({ handle: id, type }),
};
const trip = (v: unknown) => {
  const text = encode(v, encodeHooks);
  const reply = parseReply(`{"id":1,"ok":true,"value":${text}}`);
  if (!reply.ok) throw new Error("not ok");
  return decode(reply.value, decodeHooks);
};

describe("wire round trips", () => {
  test("numbers, NaN, infinities, strings, booleans, null, undefined", () => {
    expect(trip([1.5, -0.25, 1e-300, NaN, Infinity, -Infinity, "a\nb\"c", true, null, undefined])).toEqual([
      1.5, -0.25, 1e-300, NaN, Infinity, -Infinity, "a\nb\"c", true, null, undefined,
    ]);
    expect(trip(0.1 + 0.2)).toBe(0.1 + 0.2); // exact: shortest round-trip text
  });

  test("nested arrays and plain objects, including keys that look like markers", () => {
    const v = { a: [[1, 2], [3, [4, { b: "x" }]]], $tensor: 1, __proto__x: 2 };
    expect(trip(v)).toEqual(v);
    const proto = trip(JSON.parse('{"__proto__": {"polluted": true}}')) as object;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("float64 and float32 tensors keep dtype, shape and every value exactly", () => {
    const t64 = Tensor.from([[1 / 3, NaN], [-Infinity, 5e-324]]);
    const t32 = Tensor.from([0.1, 0.2, 0.3], { dtype: "float32" });
    const [a, b] = trip([t64, t32]) as Tensor[];
    expect(a).toBeInstanceOf(Tensor);
    expect(a.dtype).toBe("float64");
    expect(a.shape).toEqual([2, 2]);
    expect(Array.from(a.data)).toEqual(Array.from(t64.data));
    expect(b.dtype).toBe("float32");
    expect(Array.from(b.data)).toEqual(Array.from(t32.data));
    expect(Object.is((trip(Tensor.from([-0])) as Tensor).data[0], -0)).toBe(true); // bytes, not text: -0 stays -0
    const scalar = trip(Tensor.scalar(2)) as Tensor;
    expect(scalar.shape).toEqual([]);
    expect(scalar.data[0]).toBe(2);
  });

  test("a tensor's bytes are read and written by natives captured at load, not Buffer's current methods", () => {
    const proto = Buffer.prototype as unknown as Record<string, unknown>;
    const saved = { base64Slice: proto.base64Slice, base64Write: proto.base64Write, toString: proto.toString };
    try {
      for (const k of Object.keys(saved)) proto[k] = () => { throw new Error(`patched ${k} ran`); };
      const back = trip(Tensor.from([1.5, -2.25, 1e-300])) as Tensor;
      expect(Array.from(back.data)).toEqual([1.5, -2.25, 1e-300]);
    } finally {
      Object.assign(proto, saved);
    }
  });

  test("a tensor over part of a larger buffer sends only its own numbers", () => {
    const big = new Float64Array([9, 1, 2, 3, 9]);
    const back = trip(new Tensor(big.subarray(1, 4), [3])) as Tensor;
    expect(Array.from(back.data)).toEqual([1, 2, 3]);
  });

  test("non-plain values become handles; cycles and over-deep values are refused", () => {
    class Cache {}
    expect(trip([new Cache(), () => 1])).toEqual([{ handle: expect.any(Number), type: "object" }, { handle: expect.any(Number), type: "function" }]);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => encode(cyclic, encodeHooks)).toThrow(/nested deeper than 32 levels \(does it contain a cycle\?\)/);
  });

  test("a getter runs once and a Proxy is not looked into", () => {
    let reads = 0;
    const lying = { get x() { return ++reads; } };
    expect(trip(lying)).toEqual({ x: 1 });
    expect(reads).toBe(1);
    const trapped = new Proxy({}, { ownKeys: () => { throw new Error("trap ran"); } });
    expect(trip(trapped)).toEqual({ handle: expect.any(Number), type: "object" });
  });
});

describe("replies from the child are checked", () => {
  const bad = (line: string, message: RegExp) => {
    expect(() => parseReply(line)).toThrow(MalformedReply);
    expect(() => parseReply(line)).toThrow(message);
  };
  test("envelope", () => {
    bad("PASSED", /not JSON: "PASSED"/);
    bad("[1]", /not an object/);
    bad('{"ok":true,"value":1}', /integer id/);
    bad('{"id":1,"ok":"yes","value":1}', /ok is neither/);
    bad('{"id":1,"ok":true}', /without a value/);
    bad('{"id":1,"ok":true,"value":1,"score":100}', /unexpected field "score"/);
    bad('{"id":1,"ok":false,"error":{"name":1,"message":"x"}}', /error.name must be a string/);
  });
  test("tensors: base64 of exactly the bytes the shape needs, sane shapes and dtypes", () => {
    const t = (s: object) => `{"id":1,"ok":true,"value":{"$tensor":${JSON.stringify(s)}}}`;
    const b64 = (...xs: number[]) => Buffer.from(new Float64Array(xs).buffer).toString("base64");
    expect(() => parseReply(t({ shape: [2], dtype: "float64", base64: b64(1, 2) }))).not.toThrow();
    bad(t({ shape: [2, 2], dtype: "float64", base64: b64(1, 2, 3) }), /shape \[2, 2\] needs 4 numbers \(44 characters of base64\), base64 has 32/);
    bad(t({ shape: [1], dtype: "float32", base64: b64(1) }), /needs 1 numbers \(8 characters of base64\), base64 has 12/);
    bad(t({ shape: [1], dtype: "float64", base64: "AAAA AAAAAA=" }), /a character that is not base64/);
    bad(t({ shape: [1], dtype: "float64", data: [1] }), /unexpected field "data"/);
    bad(t({ shape: [1], dtype: "float64", base64: [1] }), /base64 must be a string/);
    bad(t({ shape: [-1], dtype: "float64", base64: "" }), /shape entries must be integers from 0 to 10000000, got -1/);
    bad(t({ shape: [1.5], dtype: "float64", base64: "" }), /got 1.5/);
    bad(t({ shape: [1], dtype: "int32", base64: "" }), /dtype must be/);
    bad(t({ shape: [1e7, 1e7], dtype: "float64", base64: "" }), /needs 100000000000000 numbers/);
  });
  test("markers, depth and size", () => {
    bad('{"id":1,"ok":true,"value":{"$score":1}}', /unknown marker "\$score"/);
    bad('{"id":1,"ok":true,"value":{"$num":"1e999"}}', /\$num must be/);
    bad('{"id":1,"ok":true,"value":{"$handle":0,"type":"x"}}', /positive integer/);
    bad('{"id":1,"ok":true,"value":{"$error":{"name":"E","message":"m"}}}', /only allowed as a batch result/);
    bad(`{"id":1,"ok":true,"value":${"[".repeat(40)}${"]".repeat(40)}}`, /nested deeper than 32 levels/);
    expect(() => parseReply(" ".repeat(LIMITS.maxLine + 1))).toThrow(/longer than 8 MB/);
    expect(() => checkWire([1, { a: [null, "s", true] }])).not.toThrow();
  });
});
