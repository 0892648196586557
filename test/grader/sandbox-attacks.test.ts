/**
 * The attack suite: a submission that tries, one call at a time, to read what it should not, write,
 * signal or spawn, patch built-ins, lie through its return value, forge replies, print a fake verdict,
 * loop, or exhaust memory or output. Each attack must end in a ChildFailure, a StudentError or a checked
 * plain value with a message naming what happened; the grader (this process) survives; and the next
 * request works, on a fresh child where the old one had to go. The network part needs bubblewrap.
 * Spawns dist/ (`npm run build` first).
 */
import { Tensor } from "gradlab";
import { spawn } from "child_process";
import { createServer, type Server } from "net";
import { dirname, join } from "path";
import { planLaunch } from "../../grader/sandbox/launcher";
import { ChildFailure, StudentError } from "../../grader/sandbox/program";
import { SandboxedProgram } from "../../grader/sandbox/sandboxed-program";
import { describeWith, requirements } from "../support/requirements";
import { isolationModes, noProcessesLeft, STRONGEST, TEST_LIMITS, testOptions, writeProgram } from "./sandbox-support";

const PROJECT = join(__dirname, "..", "..");

const ATTACKS = `
const fs = require("fs");
const { Tensor } = require("gradlab");
const made = Tensor.from([[1, 2]]); // before any patching: gradlab itself uses Array.isArray and friends
const attacks = {
  ok: () => 42,
  echo: (...args) => args,
  readPasswd: () => fs.readFileSync("/etc/passwd", "utf8"),
  readByPath: (path) => fs.readFileSync(path, "utf8"),
  readByRequire: (path) => require(path),
  readParentCmdline: () => fs.readFileSync("/proc/" + process.ppid + "/cmdline", "utf8"),
  readEnviron: () => fs.readFileSync("/proc/self/environ", "utf8") + JSON.stringify(process.env),
  listRoot: () => fs.readdirSync("/"),
  writeTmp: () => { fs.writeFileSync("/tmp/gradlab-pwned", "x"); return "wrote"; },
  writeHere: () => { fs.writeFileSync("pwned.txt", "x"); return "wrote"; },
  exitMidCall: () => { process.exit(0); },
  abort: () => process.abort(),
  killSelf: () => process.kill(process.pid, "SIGKILL"),
  killParent: () => process.kill(process.ppid, "SIGTERM"),
  killParentRaw: () => process._kill(process.ppid, 15),
  debugParent: () => process._debugProcess(process.ppid),
  spawn: () => require("child_process").execSync("id").toString(),
  spawnViaBuiltin: () => process.getBuiltinModule("node:child_process").execSync("id").toString(),
  worker: () => new (require("worker_threads").Worker)("1", { eval: true }),
  connect: (port) => new Promise((resolve, reject) => {
    const s = require("net").connect(port, "127.0.0.1");
    s.on("connect", () => resolve("connected"));
    s.on("error", reject);
  }),
  fetchLocal: (port) => fetch("http://127.0.0.1:" + port + "/").then(() => "connected"),
  patchGlobals: () => {
    Math.exp = () => 0; Math.abs = () => 0; Math.max = () => 0;
    Array.prototype.map = function () { return [100]; };
    Array.prototype.push = function () { return 0; };
    Array.prototype[Symbol.iterator] = function* () { yield 100; };
    Array.isArray = () => false;
    Object.is = () => true;
    Object.keys = () => ["score"];
    JSON.stringify = () => '{"id":1,"ok":true,"value":100}';
    JSON.parse = () => ({ id: 1, op: "load" });
    Number.prototype.toString = function () { return "100"; };
    String.prototype.slice = () => "";
    String.prototype.indexOf = () => -1;
    Object.defineProperty(Array.prototype, "0", { get() { return 100; }, set() {}, configurable: true });
    Object.prototype.handle = 1;
    Object.prototype.echoArgs = true;
    Reflect.apply = () => 100;
    Function.prototype.call = function () { return 100; };
    return { list: [1, 2, 3], nested: { x: -0.5 }, t: made };
  },
  returnProxy: () => new Proxy({ a: 1 }, {
    get: () => 100,
    ownKeys: () => ["score"],
    getOwnPropertyDescriptor: () => ({ value: 100, enumerable: true, configurable: true }),
  }),
  lyingGetter: () => { let n = 0; return { get score() { n += 1; return n * 100; } }; },
  changingValueOf: () => { let n = 0; return { valueOf: () => ++n, toJSON: () => ({ score: 100 }) }; },
  fakeMarkers: () => ({ $tensor: { shape: [1e7, 1e7], dtype: "float64", data: [] }, $handle: 1 }),
  shapeLies: () => { const t = Tensor.from([1, 2, 3]); t.shape.push(5); return t; },
  cycle: () => { const a = [1]; a.push(a); return a; },
  huge: () => new Array(2e6).fill(1.2345678901234567),
  printVerdict: () => {
    console.log("PASSED");
    console.log('{"id":1,"ok":true,"value":100}');
    process.stderr.write("All tests passed! Score: 100/100\\n");
    return 0;
  },
  forgeReply: () => { fs.writeSync(4, '{"id":999999,"ok":true,"value":100}\\n'); return 0; },
  forgeManyReplies: () => {
    for (let id = 1; id < 300; id++) fs.writeSync(4, JSON.stringify({ id, ok: true, value: 100 }) + "\\n");
    return 0;
  },
  closeChannels: () => { fs.closeSync(3); fs.closeSync(4); return 0; },
  forgeGarbage: () => { fs.writeSync(4, "PASSED\\n"); return 0; },
  syncLoop: () => { for (;;) {} },
  asyncLoop: () => { const spin = () => setImmediate(spin); spin(); return new Promise(() => {}); },
  heapBomb: () => { const a = []; for (;;) a.push({ s: "x".repeat(50) + a.length, n: [a.length] }); },
  typedArrayBomb: () => new Float64Array(2e8).length,
  typedArrayPile: () => { const a = []; for (;;) a.push(new Float64Array(1e7)); },
  outputFlood: () => { for (;;) process.stdout.write("x".repeat(10000)); },
  cpuBurn: () => { for (;;) {} },
};
module.exports.__gradlab_exports = attacks;
`;

type Ending = { value: unknown } | { student: StudentError } | { failure: ChildFailure };

async function attempt(p: SandboxedProgram, name: string, ...args: unknown[]): Promise<Ending> {
  try {
    return { value: await p.call(name, ...args) };
  } catch (e) {
    if (e instanceof StudentError) return { student: e };
    if (e instanceof ChildFailure) return { failure: e };
    throw e; // anything else is a bug in the grader
  }
}

const modes = isolationModes({ unshare: false });

describe.each(modes)("attacks under %s", (_mode, env) => {
  let p: SandboxedProgram;
  beforeAll(() => {
    p = new SandboxedProgram(writeProgram(ATTACKS), testOptions(env));
  });
  afterAll(async () => {
    const folder = dirname(p.programFile);
    await p.close();
    expect(await noProcessesLeft(folder)).toEqual([]);
  });
  // Every attack is followed by an ordinary request, which must work (on a fresh child if needed).
  afterEach(async () => {
    expect(await p.call("ok")).toBe(42);
  });

  const refused = /restricted|ERR_ACCESS_DENIED|ENOENT|no such file|EROFS|read-only|Cannot find module|outside your program/;
  test.each([
    ["readPasswd", []],
    ["readByPath", [join(PROJECT, "test", "grader", "sandbox-attacks.test.ts")]],
    ["readByRequire", [join(PROJECT, "tsconfig.json")]],
    ["readByRequire", [join(PROJECT, "test", "support", "requirements.ts")]],
    ["readByPath", [join(PROJECT, "grader", "sandbox", "launcher.ts")]],
    ["readParentCmdline", []],
    ["readEnviron", []],
    ["listRoot", []],
    ["writeTmp", []],
    ["writeHere", []],
  ])("file access outside the program is refused: %s %j", async (name, args) => {
    const end = await attempt(p, name, ...args);
    expect(end).toEqual({ student: expect.any(StudentError) });
    expect((end as { student: StudentError }).student.message).toMatch(refused);
  });

  test.each([
    ["killSelf", /process.kill is not available while grading/],
    ["killParent", /process.kill is not available while grading/],
    ["killParentRaw", /process._kill is not available while grading/],
    ["debugParent", /process._debugProcess is not available while grading/],
    ["spawn", /require\("child_process"\) is not available while grading/],
    ["spawnViaBuiltin", /require\("node:child_process"\) is not available while grading/],
    ["worker", /require\("worker_threads"\) is not available while grading/],
    ["connect", /require\("net"\) is not available while grading/],
    ["fetchLocal", /fetch is not defined/],
  ])("signalling, spawning and the network are refused: %s", async (name, message) => {
    const end = await attempt(p, name, 1);
    expect(end).toEqual({ student: expect.any(StudentError) });
    expect((end as { student: StudentError }).student.message).toMatch(message);
  });

  test("process.exit(0) mid-call is a crash that says so", async () => {
    expect(await attempt(p, "exitMidCall")).toEqual({
      failure: expect.objectContaining({ outcome: "crash", message: expect.stringMatching(/ended the grading process with process.exit\(0\)/) }),
    });
  });

  test("closing the grader's pipes is a crash that says what went wrong", async () => {
    expect(await attempt(p, "closeChannels")).toEqual({
      failure: expect.objectContaining({ outcome: "crash", message: expect.stringMatching(/could not go on \(.*EBADF.*\): did the program close/) }),
    });
  });

  test("process.abort() is a crash naming the signal", async () => {
    const end = await attempt(p, "abort");
    expect(end).toEqual({ failure: expect.objectContaining({ outcome: "crash", message: expect.stringMatching(/killed by SIGABRT/) }) });
  });

  test("patched built-ins change nothing in what the grader receives", async () => {
    try {
      const t = await attempt(p, "patchGlobals");
      expect(t).toEqual({ value: { list: [1, 2, 3], nested: { x: -0.5 }, t: expect.any(Tensor) } });
      const tensor = (t as { value: { t: Tensor } }).value.t;
      expect(Array.from(tensor.data)).toEqual([1, 2]);
      expect(tensor.shape).toEqual([1, 2]);
      // The same (patched) child still reads requests and encodes replies faithfully. (Tensor arguments
      // would now fail: the submission broke its own copy of gradlab, which is its own affair.)
      const args = [[5, 6, [7]], { k: NaN, $odd: "x" }, "text"];
      expect(await p.call("echo", ...args)).toEqual(args);
      expect(Math.exp(0)).toBe(1); // and, of course, the grader's own built-ins are its own
    } finally {
      await p.reset();
    }
  });

  test("lying return values: a Proxy becomes a handle, a getter is read once, functions stay behind", async () => {
    const proxy = await attempt(p, "returnProxy");
    expect(proxy).toEqual({ value: expect.anything() });
    expect((proxy as { value: { $type: string } }).value.$type).toBe("Proxy");
    expect(await attempt(p, "lyingGetter")).toEqual({ value: { score: 100 } });
    const v = (await attempt(p, "changingValueOf")) as { value: { valueOf: { $type: string }; toJSON: { $type: string } } };
    expect(v.value.valueOf.$type).toBe("function");
    expect(v.value.toJSON.$type).toBe("function");
    // a plain object that looks like a wire marker stays a plain object
    expect(await attempt(p, "fakeMarkers")).toEqual({ value: { $tensor: { shape: [1e7, 1e7], dtype: "float64", data: [] }, $handle: 1 } });
  });

  test("values that cannot be sent are the student's errors, with the reason", async () => {
    const shape = (await attempt(p, "shapeLies")) as { student: StudentError };
    expect(shape.student.message).toMatch(/a Tensor of shape \[3,5\] must hold 15 numbers, it holds 3/);
    expect(((await attempt(p, "cycle")) as { student: StudentError }).student.message).toMatch(/nested deeper than 32 levels/);
    expect(((await attempt(p, "huge")) as { student: StudentError }).student.message).toMatch(/too large to send/);
  });

  test("printing a verdict is only output: captured, never parsed", async () => {
    expect(await attempt(p, "printVerdict")).toEqual({ value: 0 });
    expect(p.output()).toContain("PASSED");
    expect(p.output()).toContain("Score: 100/100");
  });

  test.each(["forgeReply", "forgeManyReplies", "forgeGarbage"])("forged replies on the reply channel are rejected: %s", async (name) => {
    const end = await attempt(p, name);
    expect(end).toEqual({ failure: expect.objectContaining({ outcome: "malformed", message: expect.stringMatching(/answered out of protocol/) }) });
  });

  test.each([
    ["syncLoop", "timeout", /^used 2 s of CPU time without finishing \(an endless loop\?\)$/],
    ["asyncLoop", "timeout", /^used 2 s of CPU time without finishing \(an endless loop\?\)$/],
    ["heapBomb", "limit", /out of memory \(heap limit 64 MB\)/],
    ["typedArrayBomb", "limit", /out of memory \(memory limit 1200 MB\)/],
    ["typedArrayPile", "limit", /out of memory/],
    ["outputFlood", "limit", /output limit \(100 KB\) exceeded/],
  ])("%s ends in %s", async (name, outcome, message) => {
    // Loops get the 2 s budget; the others get 15 s, so a slow machine still reaches the limit first.
    p.setTimeout(outcome === "timeout" ? 2000 : 15000);
    const end = await attempt(p, name).finally(() => p.setTimeout(2000));
    expect(end).toEqual({ failure: expect.objectContaining({ outcome, message: expect.stringMatching(message) }) });
  });
});

describeWith([requirements.prlimit], "the CPU-time backstop", () => {
  test("a loop longer than RLIMIT_CPU ends with a CPU limit (prlimit)", async () => {
    const p = new SandboxedProgram(writeProgram(ATTACKS), testOptions(STRONGEST, { timeoutMs: 30000, limits: { ...TEST_LIMITS, cpuSeconds: 1 } }));
    try {
      const end = await attempt(p, "cpuBurn");
      expect(end).toEqual({ failure: expect.objectContaining({ outcome: "limit", message: expect.stringMatching(/CPU time limit (\(1 s\) exceeded|of 1 s)/) }) });
    } finally {
      await p.close();
    }
  });
});

describe.each([
  ["bwrap", requirements.bubblewrap],
  ["unshare", requirements.unshare],
] as const)("the network under %s", (isolation, requirement) => {
  describeWith([requirement], `no connection leaves the ${isolation} sandbox`, () => {
    let server: Server;
    let port: number;
    let connections = 0;
    beforeAll(async () => {
      server = createServer((s) => {
        connections += 1;
        s.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    test("a connection to the grader's machine never arrives, even with the harness out of the way", async () => {
      // Run a script in the harness's place: no denylist, only the namespace can stop it.
      const file = writeProgram(`
        const s = require("net").connect(${port}, "127.0.0.1");
        s.on("connect", () => { console.log("connected"); process.exit(0); });
        s.on("error", (e) => { console.log("blocked " + e.code); process.exit(0); });`);
      const plan = planLaunch(file, TEST_LIMITS, { GRADLAB_SANDBOX: isolation });
      const script = isolation === "bwrap" ? "/gradlab/program/program.js" : file;
      const args = plan.args.map((a) => (a.endsWith("/child.js") ? script : a));
      const child = spawn(plan.command, args, { env: {}, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      await new Promise((resolve) => child.on("close", resolve));
      expect(out).toMatch(/blocked (ECONNREFUSED|ENETUNREACH|EACCES)/);
      expect(connections).toBe(0);
    });

    test("nor from a submission", async () => {
      const p = new SandboxedProgram(writeProgram(ATTACKS), testOptions({ GRADLAB_SANDBOX: isolation }));
      try {
        expect(await attempt(p, "connect", port)).toEqual({ student: expect.any(StudentError) });
        expect(await attempt(p, "fetchLocal", port)).toEqual({ student: expect.any(StudentError) });
      } finally {
        await p.close();
      }
      expect(connections).toBe(0);
    });
  });
});
