/**
 * The class run's compile thread: it gives exactly what compiling in this thread gives, answers code it
 * has seen from this thread's cache, and loses no compile when the worker cannot start or dies.
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { assembleProgram, ProgramCell } from "../../grader/program/assemble";
import type * as Compile from "../../grader/program/compile";
import { compileStats } from "../../grader/program/compile";
import { CompileThread, COMPILE_WORKER } from "../../grader/program/compile-thread";
import { packageRoot } from "../../lib/data/package-root";
import { tempDir } from "../support/temp";

jest.setTimeout(60_000);

const cell = (n: number, source: string, gradeId?: string): ProgramCell => ({ cell: n, role: gradeId ? "solution" : "provided", gradeId, source });

/** A program with a type error, a forbidden name and a graded function; `tag` makes its text unique. */
const program = (tag: string) => assembleProgram([
  cell(1, `import { Tensor, MultiplyGate as Mine } from "gradlab";`),
  cell(2, `// ${tag}\nfunction double(x: number): number {\n  return new Mine().forward(x, 2);\n}\nconst s: string = double(2);\nconst t = Tensor.from([1, 2]);`, "q1"),
]);
const ARGS = [["double"], ["MultiplyGate"]] as const;

/** A compiled program as plain data: a Map that crossed from the worker belongs to Node's realm, not Jest's. */
const plain = (c: Compile.CompiledProgram) => ({ ...c, declaredIn: [...c.declaredIn] });

/** compileProgram from a fresh copy of the module: an empty cache, so it really compiles here. */
function compileHere(p: ReturnType<typeof program>): Compile.CompiledProgram {
  let fresh!: typeof Compile;
  jest.isolateModules(() => {
    fresh = require("../../grader/program/compile");
  });
  return fresh.compileProgram(p, [...ARGS[0]], [...ARGS[1]]);
}

test("the worker thread compiles exactly what this thread would, and code seen before comes from the cache", async () => {
  const thread = new CompileThread({ inThreadFirst: 0 });
  try {
    const before = { ...compileStats };
    const p = program("worker");
    const there = await thread.compile(p, [...ARGS[0]], [...ARGS[1]]);
    expect(thread.threaded).toBe(true);
    expect(there.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/not assignable to type 'string'/)]);
    expect(there.forbiddenUses).toEqual([{ name: "MultiplyGate", origin: expect.objectContaining({ cell: 2, line: 3 }) }]);
    expect(plain(there)).toEqual(plain(compileHere(p)));
    expect(compileStats.compiled - before.compiled).toBe(1);

    const again = await thread.compile(program("worker"), [...ARGS[0]], [...ARGS[1]]);
    expect(again).toBe(there);
    expect(compileStats.reused - before.reused).toBe(1);
  } finally {
    await thread.close();
  }
});

test("without the compiled worker (no dist/), compiles happen in this thread with the same result", async () => {
  expect(COMPILE_WORKER).toBe(join("dist", "grader", "program", "compile-worker.js"));
  const thread = new CompileThread({ script: join(tempDir("no-worker"), "missing.js"), inThreadFirst: 0 });
  const p = program("no worker");
  const here = await thread.compile(p, [...ARGS[0]], [...ARGS[1]]);
  expect(thread.threaded).toBe(false);
  expect(plain(here)).toEqual(plain(compileHere(p)));
  await thread.close();
});

test("a worker that dies with compiles pending: each is compiled in this thread instead", async () => {
  const script = join(tempDir("dying-worker"), "dies.js");
  writeFileSync(script, `require("worker_threads").parentPort.once("message", () => process.exit(3));\n`);
  const thread = new CompileThread({ script, inThreadFirst: 0 });
  const [a, b] = [program("dies a"), program("dies b")];
  const [ca, cb] = await Promise.all([thread.compile(a, [...ARGS[0]], [...ARGS[1]]), thread.compile(b, [...ARGS[0]], [...ARGS[1]])]);
  expect(thread.threaded).toBe(false);
  expect(plain(ca)).toEqual(plain(compileHere(a)));
  expect(plain(cb)).toEqual(plain(compileHere(b)));
  await thread.close();
});

test("a compile that fails in the worker fails the same way for its caller", async () => {
  const thread = new CompileThread({ inThreadFirst: 0 });
  try {
    // Origins that are not an array: the compiler's diagnostics cannot be placed, in any thread.
    const broken = { source: "undeclaredName;\n", origins: undefined as unknown as [] };
    await expect(thread.compile(broken, [], [])).rejects.toThrow(/Cannot read properties of undefined/);
    expect(thread.threaded).toBe(true);
  } finally {
    await thread.close();
  }
});

test("the first distinct programs compile in this thread; the worker starts with the next", async () => {
  const thread = new CompileThread({ inThreadFirst: 2 });
  try {
    await thread.compile(program("first"), [...ARGS[0]], [...ARGS[1]]);
    await thread.compile(program("first"), [...ARGS[0]], [...ARGS[1]]); // seen: not a miss
    await thread.compile(program("second"), [...ARGS[0]], [...ARGS[1]]);
    expect(thread.threaded).toBe(false);
    const p = program("third");
    const third = await thread.compile(p, [...ARGS[0]], [...ARGS[1]]);
    expect(thread.threaded).toBe(true);
    expect(plain(third)).toEqual(plain(compileHere(p)));
  } finally {
    await thread.close();
  }
});

test("the worker script exists after a build (the class run uses it)", () => {
  expect(require("fs").existsSync(join(packageRoot(), COMPILE_WORKER))).toBe(true);
});
