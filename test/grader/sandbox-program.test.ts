/**
 * SandboxedProgram and LocalProgram doing ordinary work: values cross the wire intact (numbers, NaN,
 * float64/float32 tensors, nested arrays, objects), objects that cannot cross stay behind as Remotes
 * (a gate, a cache passed back to backward), the student's errors keep name, message and stack, and the
 * reference (in-process) answers in the same shapes as the student (child). Runs under the strongest
 * isolation this machine has and again with none. Spawns dist/ (`npm run build` first).
 */
import { Tensor } from "gradlab";
import { existsSync } from "fs";
import { dirname } from "path";
import { describeSandbox } from "../../grader/sandbox/launcher";
import { LocalProgram } from "../../grader/sandbox/local-program";
import { ChildFailure, StudentError, type Program, type Remote } from "../../grader/sandbox/program";
import { SandboxedProgram } from "../../grader/sandbox/sandboxed-program";
import { isolationModes, noProcessesLeft, processesMentioning, STRONGEST, testOptions, writeProgram } from "./sandbox-support";

const PROGRAM = `
const { Tensor, MultiplyGate } = require("gradlab");
function echo(x) { return x; }
function add(a, b) { return a + b; }
function scale(t, k) { return t.mul(k); }
class Cache { constructor(x) { this.x = x; } }
function forwardWithCache(x) { return [x.mul(2), new Cache(x)]; }
function backwardWithCache(dout, cache) { return dout.mul(cache.x); }
function thrower(n) { throw new RangeError("bad input " + n); }
async function later(x) { await null; return x * 2; }
function mutate(arr) { arr[0] = 99; return arr.length; }
class Gate { forward(x, y) { this.x = x; this.y = y; return x * y; } backward(d) { return [d * this.y, d * this.x]; } }
class MyMultiply extends MultiplyGate {}
module.exports.__gradlab_exports = { echo, add, scale, forwardWithCache, backwardWithCache, thrower, later, mutate, Gate, MyMultiply, notDefined: undefined };
`;

const modes = isolationModes({ unshare: true });

describe.each(modes)("SandboxedProgram under %s", (_mode, env) => {
  let file: string;
  let student: SandboxedProgram;
  let reference: LocalProgram;
  beforeAll(() => {
    file = writeProgram(PROGRAM);
    student = new SandboxedProgram(file, testOptions(env));
    reference = new LocalProgram(file);
  });
  afterAll(async () => {
    await student.close();
    await reference.close();
  });

  test("loads and names what the program defines", async () => {
    const names = ["echo", "add", "scale", "forwardWithCache", "backwardWithCache", "thrower", "later", "mutate", "Gate", "MyMultiply"];
    expect(await student.load()).toEqual(names);
    expect(await reference.load()).toEqual(names);
  });

  test("plain values round-trip: numbers, NaN, infinities, strings, nested arrays and objects", async () => {
    const value = [1.5, -2, NaN, Infinity, -Infinity, 1e-310, "text\n", true, null, undefined, [[1, [2, [3]]]], { a: { b: [4, { c: 5 }] } }];
    for (const p of [student, reference] as Program[]) expect(await p.call("echo", value)).toEqual(value);
    const text = "é中😀".repeat(40000); // multi-byte characters across pipe-sized chunks
    expect(await student.call("echo", text)).toBe(text);
    expect(await student.call("add", 0.1, 0.2)).toBe(0.1 + 0.2);
    expect(await student.call("later", 21)).toBe(42);
  });

  test("tensors come back as the parent's Tensors, float64 and float32, values exact", async () => {
    const t64 = Tensor.from([[1, 2, 3], [4, NaN, -Infinity]]);
    const t32 = Tensor.from([[0.1, 0.2]], { dtype: "float32" });
    for (const p of [student, reference] as Program[]) {
      const a = (await p.call("scale", t64, 3)) as Tensor;
      expect(a).toBeInstanceOf(Tensor);
      expect(a.shape).toEqual([2, 3]);
      expect(a.dtype).toBe("float64");
      expect(Array.from(a.data)).toEqual([3, 6, 9, 12, NaN, -Infinity]);
      const b = (await p.call("echo", t32)) as Tensor;
      expect(b.dtype).toBe("float32");
      expect(Array.from(b.data)).toEqual(Array.from(t32.data));
    }
  });

  test("a cache that is not plain data stays in the program as a Remote and can be passed back", async () => {
    const x = Tensor.from([1, 2, 3]);
    for (const p of [student, reference] as Program[]) {
      const [y, cache] = (await p.call("forwardWithCache", x)) as [Tensor, Remote];
      expect(Array.from(y.data)).toEqual([2, 4, 6]);
      expect(cache.$type).toBe("Cache");
      expect(Array.from(((await cache.$get("x")) as Tensor).data)).toEqual([1, 2, 3]);
      const dx = (await p.call("backwardWithCache", Tensor.from([1, 1, 1]), cache)) as Tensor;
      expect(Array.from(dx.data)).toEqual([1, 2, 3]);
    }
  });

  test("classes: new, methods, properties, arguments echoed after the call", async () => {
    for (const p of [student, reference] as Program[]) {
      const g = await p.new("Gate");
      expect(await g.forward(3, -4)).toBe(-12);
      expect(await g.backward(2)).toEqual([-8, 6]);
      expect(await g.$get("x")).toBe(3);
      expect(await p.callMethod(g, "forward", [5, 6])).toEqual({ value: 30 });
      const echoed = await p.callMethod(g, "backward", [1], { echoArgs: true });
      expect(echoed).toEqual({ value: [6, 5], args: [1] });
    }
    const viaName = await student.new("Gate");
    await expect(student.call("mutate", [1, 2])).resolves.toBe(2);
    await expect(student.callMethod(viaName, "forward", [2, 2], { echoArgs: true })).resolves.toEqual({ value: 4, args: [2, 2] });
  });

  test("the student's errors keep their name, message and a stack that points into the program", async () => {
    for (const p of [student, reference] as Program[]) {
      const e = await p.call("thrower", 42).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(StudentError);
      expect((e as StudentError).errorName).toBe("RangeError");
      expect((e as StudentError).message).toBe("bad input 42");
      expect((e as StudentError).studentStack).toMatch(/at thrower \(.*program\.js:9:/);
    }
    await expect(student.call("nope")).rejects.toThrow("nope is not defined in your code");
    await expect(student.call("Gate")).rejects.toThrow(/Class constructor Gate cannot be invoked without 'new'/);
    await expect(student.new("add")).resolves.toHaveProperty("$type", "add"); // a function can be new'd
  });

  test("batch: several calls in one round trip, errors per call", async () => {
    const results = await student.batch([
      { name: "add", args: [1, 2] },
      { name: "thrower", args: [7] },
      { name: "echo", args: [Tensor.from([5])] },
    ]);
    expect(results[0]).toEqual({ value: 3 });
    expect(results[1].error).toBeInstanceOf(StudentError);
    expect(results[1].error!.message).toBe("bad input 7");
    expect(Array.from((results[2].value as Tensor).data)).toEqual([5]);
  });

  test("inspect tells classes, functions and gradlab's own exports apart", async () => {
    expect(await student.inspect(["add", "Gate", "MyMultiply", "missing"])).toEqual({
      add: { kind: "function", gradlabIdentity: null },
      Gate: { kind: "class", gradlabIdentity: null },
      MyMultiply: { kind: "class", gradlabIdentity: "MultiplyGate" },
      missing: { kind: "missing", gradlabIdentity: null },
    });
  });

  test("after reset, old Remotes say why they are gone and new work runs in a fresh child", async () => {
    const g = await student.new("Gate");
    await student.reset();
    await expect(g.forward(1, 2)).rejects.toThrow(ChildFailure);
    await expect(g.forward(1, 2)).rejects.toThrow(/a Gate from an earlier run of the program is gone \(the program was restarted\)/);
    expect(await student.call("add", 2, 3)).toBe(5);
  });
});

describe("the child's life", () => {
  test("a program that throws while loading: every request reports the student's error", async () => {
    const p = new SandboxedProgram(writeProgram(`throw new TypeError("broken at the top");`), testOptions(STRONGEST));
    try {
      await expect(p.load()).rejects.toThrow(StudentError);
      await expect(p.call("anything")).rejects.toThrow("broken at the top");
    } finally {
      await p.close();
    }
  });

  test("close() leaves no process and no temp folder behind", async () => {
    const file = writeProgram(`module.exports.__gradlab_exports = { f: () => 1 };`);
    const folder = dirname(file); // what the command line names (bubblewrap mounts the folder)
    const p = new SandboxedProgram(file, testOptions(STRONGEST));
    let cwds: string[] = [];
    try {
      expect(await p.call("f")).toBe(1);
      const running = processesMentioning(folder);
      expect(running.length).toBeGreaterThan(0);
      cwds = running.map((r) => r.cwd).filter((c): c is string => !!c && c.includes("gradlab-sandbox-"));
      expect(cwds.length).toBeGreaterThan(0);
    } finally {
      await p.close();
    }
    expect(await noProcessesLeft(folder)).toEqual([]);
    for (const cwd of cwds) expect(existsSync(cwd)).toBe(false);
    await expect(p.call("f")).rejects.toThrow(/used after close/);
  });

  test("start-up time and round-trip latency (printed for planning)", async () => {
    const file = writeProgram(`module.exports.__gradlab_exports = { f: (x) => x };`);
    const lines: string[] = [`sandbox: ${describeSandbox()}`];
    for (const [mode, env] of modes) {
      const p = new SandboxedProgram(file, testOptions(env));
      try {
        let t = performance.now();
        await p.load();
        const start = performance.now() - t;
        t = performance.now();
        for (let i = 0; i < 50; i++) await p.call("f", i);
        const trip = (performance.now() - t) / 50;
        lines.push(`${mode}: start + load ${start.toFixed(0)} ms, round trip ${trip.toFixed(2)} ms`);
        expect(trip).toBeLessThan(1000); // sanity only: timings are for reading, not asserting
      } finally {
        await p.close();
      }
    }
    process.stderr.write(lines.join("\n") + "\n");
  });
});
