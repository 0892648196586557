/**
 * The kernel's known faults, fixed: a cell that calls process.exit, an interrupt while the kernel is still
 * loading TypeScript (by message and by signal), the order of stdout and stderr inside a cell, and
 * tracebacks that speak of cells, the notebook's own files (local modules at their own lines, also after an
 * edit) and packages (never the kernel's paths).
 * Runs the compiled kernel (dist/kernel/main.js): `npm run build` first.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { EngineRequest, WireConfig } from "../../kernel/bridge";
import { JupyterMessage, KernelClient } from "../../kernel/client";
import { newConnectionInfo } from "../../kernel/protocol/connection";
import { KernelServer } from "../../kernel/wire/server";
import { DEBIAN_PYTHON, describeWith, requirements } from "../support/requirements";

const root = join(__dirname, "..", "..");
const notebookDir = join(__dirname, "fixtures", "notebook");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const streams = (outputs: JupyterMessage[]) =>
  outputs.filter((m) => m.header.msg_type === "stream").map((m) => [m.content.name, m.content.text]);

describe("a cell that calls process.exit", () => {
  test("ends the kernel with the code asked for (not SIGABRT), after the cell's earlier output", async () => {
    const k = await KernelClient.launch({ cwd: notebookDir });
    try {
      const seen: JupyterMessage[] = [];
      k.onIopub((m) => seen.push(m));
      await k.execute("const before = 1;");
      const run = k.execute('console.log("last words");\nprocess.exit(3);\nconsole.log("never")');
      await expect(run).rejects.toThrow(/kernel exited \(code 3, signal null\)/);
      expect(await k.exited).toEqual({ code: 3, signal: null });
      expect(k.stderr).toContain("process.exit(3) was called by cell 2; exiting with code 3");
      expect(k.stderr).not.toMatch(/terminate called|Napi::Error/);
      const text = seen.filter((m) => m.header.msg_type === "stream").map((m) => m.content.text).join("");
      expect(text).toBe("last words\n");
    } finally {
      await k.close();
    }
  }, 60_000);

  test("process.exit() without a code exits with 0", async () => {
    const k = await KernelClient.launch({ cwd: notebookDir });
    try {
      await expect(k.execute("process.exit()")).rejects.toThrow(/kernel exited/);
      expect(await k.exited).toEqual({ code: 0, signal: null });
    } finally {
      await k.close();
    }
  }, 60_000);
});

describe("an interrupt while the kernel loads TypeScript", () => {
  // KernelClient.launch returns once the wire thread answers kernel_info, which it does at once; the
  // engine then needs about a second more to load TypeScript. Interrupts sent right away land in that time.
  test.each(["message", "signal"] as const)("by %s: the kernel survives, the cell completes or is reported interrupted", async (how) => {
    const k = await KernelClient.launch({ cwd: notebookDir });
    try {
      const first = k.execute("let survivor = 41;\nsurvivor");
      if (how === "message") await k.interrupt();
      else k.kill("SIGINT");
      const r = await first;
      if (r.reply.status === "error") {
        expect(r.reply).toMatchObject({ ename: "Interrupted" });
        expect(r.outputs.map((m) => m.header.msg_type)).toEqual(["error"]);
      } else {
        expect(r.reply.status).toBe("ok");
      }
      expect(k.alive).toBe(true);
      const next = await k.execute("let after = 1;\nafter + 1");
      expect(next.reply.status).toBe("ok");
      expect(next.outputs.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"]).toBe("2");
      // The interrupt of a message arrives before the engine is ready: the cell is answered, not run.
      if (how === "message" && k.stderr.includes("the waiting cell will not run")) expect(r.reply.status).toBe("error");
    } finally {
      if (k.alive) await k.shutdown();
      await k.close();
    }
  }, 60_000);

  test("by message, before the engine is ready: the waiting cell is answered Interrupted and never reaches the engine", async () => {
    // The wire thread in this process, with a stand-in engine that becomes ready only when the test says so.
    const info = await newConnectionInfo();
    const forwarded: EngineRequest[] = [];
    let signals = 0;
    const config: WireConfig = { connectionFile: "", versions: { typescript: "5.0", tslab: "1.0", gradlab: "0.0" } };
    const server: KernelServer = new KernelServer(info, config, {
      toEngine: (req) => {
        forwarded.push(req);
        if (req.kind === "execute") {
          server.onEngineEvent({ kind: "reply", id: req.id, content: { status: "ok", result: { "text/plain": "ran" }, userExpressions: {}, payload: [] } });
        }
      },
      interrupt: () => signals++,
      shutdown: () => undefined,
      log: () => undefined,
    });
    await server.start();
    const client = await KernelClient.connect(info);
    try {
      const waiting = client.execute("while (true) {}");
      const queued = client.execute("'queued'");
      await sleep(200);
      await client.interrupt();
      server.onEngineEvent({ kind: "ready", typescriptVersion: "5.0" });
      const r = await waiting;
      expect(r.reply).toMatchObject({ status: "error", ename: "Interrupted" });
      expect(r.reply.evalue).toContain("before it started");
      expect((await queued).reply.status).toBe("aborted"); // stop_on_error, as after any error
      expect(signals).toBe(0);
      expect(forwarded).toEqual([]);
      const later = await client.execute("'later'");
      expect(later.reply.status).toBe("ok");
      expect(forwarded.map((req) => req.kind)).toEqual(["execute"]);
      // Once the engine is ready, interrupts go to the process (SIGINT), as before.
      await client.interrupt();
      expect(signals).toBe(1);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe("a running kernel", () => {
  let kernel: KernelClient;
  beforeAll(async () => {
    kernel = await KernelClient.launch({ cwd: notebookDir });
  }, 60_000);
  afterAll(async () => {
    if (kernel.alive) await kernel.shutdown();
    await kernel.close();
  });

  describe("stdout and stderr keep their order within a cell", () => {
    test("log, error, log arrive as three stream messages in that order", async () => {
      const r = await kernel.execute('console.log("one");\nconsole.error("two");\nconsole.log("three");');
      expect(streams(r.outputs)).toEqual([["stdout", "one\n"], ["stderr", "two\n"], ["stdout", "three\n"]]);
    });

    test("only adjacent writes to the same stream are joined, also around awaits and displays", async () => {
      const r = await kernel.execute([
        'process.stdout.write("a");',
        'process.stdout.write("b\\n");',
        'process.stderr.write("c\\n");',
        "await new Promise((r) => setTimeout(r, 20));",
        'console.log("d");',
        'display.html("<i>e</i>");',
        'console.error("f");',
        'console.error("g");',
        'console.log("h");',
      ].join("\n"));
      // Adjacent writes to one stream may arrive joined or apart: compare the sequence with those joined.
      const sequence: string[] = [];
      for (const m of r.outputs) {
        const item = m.header.msg_type === "stream" ? `${m.content.name}` : m.header.msg_type;
        const text = m.header.msg_type === "stream" ? String(m.content.text) : "";
        if (sequence.length && sequence[sequence.length - 1].startsWith(item + ":")) sequence[sequence.length - 1] += text;
        else sequence.push(`${item}:${text}`);
      }
      expect(sequence).toEqual(["stdout:ab\n", "stderr:c\n", "stdout:d\n", "display_data:", "stderr:f\ng\n", "stdout:h\n"]);
    });

    test("a loop that alternates streams keeps every switch", async () => {
      const r = await kernel.execute('for (let i = 0; i < 6; i++) (i % 2 ? console.error : console.log)(`line ${i}`);');
      expect(streams(r.outputs)).toEqual([0, 1, 2, 3, 4, 5].map((i) => [i % 2 ? "stderr" : "stdout", `line ${i}\n`]));
    });
  });

  describe("tracebacks speak of cells, the notebook's files and packages", () => {
    const noKernelPaths = (lines: string[]) => {
      const text = lines.join("\n");
      expect(text).not.toContain(join(root, "dist", "kernel"));
      expect(text).not.toContain("node_modules/tslab");
      expect(text).not.toMatch(/node:internal|node:vm/);
      expect(text).not.toContain("__cell_");
      expect(text).not.toContain("__notebook__");
    };

    test("a cell's own frames read 'Cell In[N], line L, column C'", async () => {
      const r = await kernel.execute('function inner(n: number): number {\n  throw new RangeError(`too big: ${n}`);\n}\ninner(5);');
      const n = r.reply.execution_count;
      expect(r.reply.traceback).toEqual([
        "RangeError: too big: 5",
        `    at inner (Cell In[${n}], line 2, column 9)`,
        `    at Cell In[${n}], line 4, column 1`,
      ]);
    });

    test("a frame in a file beside the notebook is named relative to the notebook's folder", async () => {
      const r = await kernel.execute('import { mustBePositive } from "./checks";\nmustBePositive(-2)');
      expect(r.reply).toMatchObject({ ename: "RangeError", evalue: "expected a positive number, got -2" });
      // checks.js is converted by the kernel (tslab compiles local modules); its source maps give back the
      // file's own line 5, column 9 (`new RangeError`).
      expect(r.reply.traceback![1]).toBe("    at mustBePositive (checks.js:5:9)");
      expect(r.reply.traceback![2]).toMatch(/^ {4}at Cell In\[\d+\], line 2, column \d+$/);
      noKernelPaths(r.reply.traceback!);
    });

    test("a file that Node loads as written keeps its line and column, relative to the notebook's folder", async () => {
      const r = await kernel.execute('const { step } = require("./lib/steps");\nstep(0)');
      expect(r.reply).toMatchObject({ ename: "RangeError", evalue: "step size must be positive, got 0" });
      expect(r.reply.traceback![1]).toBe("    at step (lib/steps.js:4:24)");
      noKernelPaths(r.reply.traceback!);
    });

    test("a frame inside gradlab is named by package and TypeScript source line (its source maps)", async () => {
      const r = await kernel.execute('import { MultiplyGate } from "gradlab";\nnew MultiplyGate().backward(1);');
      expect(r.reply.ename).toBe("Error");
      expect(r.reply.traceback).toContainEqual(expect.stringMatching(/^ {4}at MultiplyGate\.backward \(gradlab\/lib\/gates\/gate\.ts:\d+:\d+\)$/));
      expect(r.reply.traceback!.at(-1)).toMatch(/^ {4}at Cell In\[\d+\], line 2, column \d+$/);
      expect(r.reply.traceback!.join("\n")).not.toContain(root);
    });

    test("a missing module: no 'Require stack' naming the kernel's stand-in file", async () => {
      const r = await kernel.execute('require("./not-there")');
      expect(r.reply).toMatchObject({ ename: "Error", evalue: "Cannot find module './not-there'" });
      noKernelPaths(r.reply.traceback!);
      expect(r.reply.traceback!.at(-1)).toMatch(/^ {4}at Cell In\[\d+\], line 1, column 1$/);
    });

    test("type errors name the cell as Cell In[N]", async () => {
      const r = await kernel.execute('const wrong: number = "x";');
      expect(r.reply.traceback![0]).toBe(`TSError: 1 type error in Cell In[${r.reply.execution_count}]`);
      expect(r.reply.traceback![1]).toMatch(/^Cell In\[\d+\], line 1, column 7: error TS2322/);
    });
  });
});

describe("a local .ts module's frames are at its own lines, also after it is edited", () => {
  // A notebook folder of its own: the test edits the module.
  const dir = mkdtempSync(join(tmpdir(), "gradlab-local-module-"));
  const module = join(dir, "geometry.ts");
  const body = [
    "export interface Rect {",
    "  width: number;",
    "  height: number;",
    "}",
    "",
    "export function mustFit(r: Rect, limit: number): number {",
    "  const area = r.width * r.height;",
    "  if (area > limit) throw new RangeError(`area ${area} is over ${limit}`);",
    "  return area;",
    "}",
  ];
  /** 1-based line and column of `new RangeError` in the module's text. */
  const throwSite = (lines: string[]) => {
    const i = lines.findIndex((l) => l.includes("new RangeError"));
    return `${i + 1}:${lines[i].indexOf("new RangeError") + 1}`;
  };
  let kernel: KernelClient;
  beforeAll(async () => {
    writeFileSync(module, body.join("\n") + "\n");
    kernel = await KernelClient.launch({ cwd: dir });
  }, 60_000);
  afterAll(async () => {
    if (kernel.alive) await kernel.shutdown();
    await kernel.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a function that throws is named geometry.ts:LINE:COLUMN at the TypeScript line", async () => {
    expect(throwSite(body)).toBe("8:27");
    const r = await kernel.execute('import { mustFit } from "./geometry";\nmustFit({ width: 3, height: 4 }, 5);');
    expect(r.reply).toMatchObject({ ename: "RangeError", evalue: "area 12 is over 5" });
    expect(r.reply.traceback![1]).toBe(`    at mustFit (geometry.ts:${throwSite(body)})`);
    expect(r.reply.traceback![2]).toMatch(/^ {4}at Cell In\[\d+\], line 2, column \d+$/);
  });

  test("after the module is edited, a cell that imports it again sees the new line", async () => {
    const edited = ["// Edited: three lines more above the function,", "// so its throw moves down.", "", ...body];
    writeFileSync(module, edited.join("\n") + "\n");
    await sleep(300); // the converter learns of the edit from a file watcher
    const r = await kernel.execute('import { mustFit as fit } from "./geometry";\nfit({ width: 2, height: 4 }, 7);');
    expect(r.reply).toMatchObject({ ename: "RangeError", evalue: "area 8 is over 7" });
    expect(throwSite(edited)).toBe("11:27");
    expect(r.reply.traceback![1]).toBe(`    at mustFit (geometry.ts:${throwSite(edited)})`);
  });
});

describeWith([requirements.jupyterClient], "input() with jupyter_client's own client", () => {
  // jupyter_client's input() (what jupyter console uses) sends input_reply without a parent header.
  const script = [
    "import sys",
    "from jupyter_client.manager import start_new_kernel",
    "km, kc = start_new_kernel(kernel_name='gradlab', cwd=sys.argv[1])",
    "try:",
    "    msg_id = kc.execute('const who = await input(\"name? \");\\n`hi ${who}`', allow_stdin=True)",
    "    request = kc.get_stdin_msg(timeout=30)",
    "    kc.input('Ada')",
    "    reply = kc.get_shell_msg(timeout=30)",
    "    results = []",
    "    while True:",
    "        msg = kc.get_iopub_msg(timeout=10)",
    "        if msg['parent_header'].get('msg_id') != msg_id: continue",
    "        if msg['msg_type'] == 'execute_result': results.append(msg['content']['data']['text/plain'])",
    "        if msg['msg_type'] == 'status' and msg['content']['execution_state'] == 'idle': break",
    "    print(request['content']['prompt'], reply['content']['status'], *results)",
    "finally:",
    "    kc.stop_channels()",
    "    km.shutdown_kernel(now=True)",
  ].join("\n");

  test("kc.input() answers the cell's input() though its reply has no parent header", () => {
    const prefix = mkdtempSync(join(tmpdir(), "gradlab-kernelspec-"));
    try {
      const install = spawnSync(process.execPath, [join(root, "bin", "gradlab.js"), "kernel", "install", "--prefix", prefix], { encoding: "utf8" });
      expect(install.status).toBe(0);
      const run = spawnSync(DEBIAN_PYTHON, ["-c", script, notebookDir], {
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter") },
      });
      expect({ out: run.stdout.trim(), err: run.status === 0 ? "" : run.stderr }).toEqual({ out: "name?  ok 'hi Ada'", err: "" });
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  }, 90_000);
});
