/**
 * The gradlab kernel over raw ZeroMQ through KernelClient: the behaviour the conformance suite does not
 * reach (interrupts that keep state, stop_on_error for queued requests only, comms, execution counts,
 * heartbeat while busy, display handles, rich display, imports, output routing, stray errors, restart).
 * Runs the compiled kernel (dist/kernel/main.js): `npm run build` first.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { JupyterMessage, KernelClient } from "../../kernel/client";

const root = join(__dirname, "..", "..");
const notebookDir = join(__dirname, "fixtures", "notebook");

const streamText = (outputs: JupyterMessage[], name = "stdout") =>
  outputs.filter((m) => m.header.msg_type === "stream" && m.content.name === name).map((m) => m.content.text).join("");
const resultOf = (outputs: JupyterMessage[]) => outputs.find((m) => m.header.msg_type === "execute_result")?.content.data;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let kernel: KernelClient;

beforeAll(async () => {
  kernel = await KernelClient.launch({ cwd: notebookDir });
}, 60_000);

afterAll(async () => {
  if (kernel.alive) await kernel.shutdown();
  await kernel.close();
});

async function ok(code: string) {
  const r = await kernel.execute(code);
  if (r.reply.status !== "ok") throw new Error(`cell failed: ${code}\n${JSON.stringify(r.reply, null, 2)}\n${kernel.stderr}`);
  return r;
}

describe("requests and replies", () => {
  test("kernel_info names the language, the real versions and help links", async () => {
    const reply = await kernel.request("shell", "kernel_info_request", {});
    expect(reply.content.status).toBe("ok");
    expect(reply.content.protocol_version).toBe("5.3");
    expect(reply.content.language_info).toMatchObject({ name: "typescript", file_extension: ".ts" });
    expect(reply.content.language_info.version).toBe(require("@tslab/typescript-for-tslab/package.json").version);
    expect(reply.content.banner).toContain(process.versions.node);
    expect(reply.content.help_links.length).toBeGreaterThan(0);
  });

  test("busy and idle surround every request, and execute_input carries the count", async () => {
    const { reply, iopub } = await kernel.requestWithIopub("shell", "execute_request", { code: "40 + 2", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const types = iopub.map((m) => m.header.msg_type === "status" ? `status:${m.content.execution_state}` : m.header.msg_type);
    expect(types).toEqual(["status:busy", "execute_input", "execute_result", "status:idle"]);
    expect(iopub[1].content.execution_count).toBe(reply.content.execution_count);
    expect(iopub[2].content.data["text/plain"]).toBe("42");
  });

  test("execution counts: +1 per stored cell, unchanged for silent and store_history=false", async () => {
    const a = await ok("1");
    const silent = await kernel.execute("2", { silent: true });
    expect(silent.outputs).toEqual([]);
    const unstored = await kernel.execute("3", { storeHistory: false });
    const b = await ok("4");
    expect(silent.reply.execution_count).toBe(a.reply.execution_count);
    expect(unstored.reply.execution_count).toBe(a.reply.execution_count);
    expect(b.reply.execution_count).toBe(a.reply.execution_count! + 1);
    expect(resultOf(unstored.outputs)["text/plain"]).toBe("3");
  });

  test("history tail returns the stored inputs with their outputs", async () => {
    await ok("const historyMarker = 'h';\nhistoryMarker");
    const reply = await kernel.request("shell", "history_request", { hist_access_type: "tail", n: 1, output: true, raw: true });
    expect(reply.content.history).toHaveLength(1);
    const [session, line, [input, output]] = reply.content.history[0];
    expect(session).toBe(1);
    expect(typeof line).toBe("number");
    expect(input).toBe("const historyMarker = 'h';\nhistoryMarker");
    expect(output).toBe("'h'");
  });

  test("user_expressions are evaluated after the cell", async () => {
    const r = await kernel.execute("const ue = 20;", { userExpressions: { double: "ue * 2", bad: "ue.nope()" } });
    expect(r.reply.user_expressions).toMatchObject({
      double: { status: "ok", data: { "text/plain": "40" } },
      bad: { status: "error", ename: "TSError" },
    });
  });

  test("heartbeat echoes, also while a cell spins", async () => {
    expect(await kernel.heartbeat()).toBe(true);
    const spinning = kernel.execute("const until = Date.now() + 1500; while (Date.now() < until) {}");
    await sleep(300);
    expect(await kernel.heartbeat(1000)).toBe(true);
    await spinning;
  });

  test("comm_info lists open comms; the echo target answers comm_msg; comm_close removes it", async () => {
    const empty = await kernel.request("shell", "comm_info_request", {});
    expect(empty.content).toEqual({ status: "ok", comms: {} });
    await kernel.notify("shell", "comm_open", { comm_id: "c1", target_name: "gradlab.echo", data: {} });
    await kernel.notify("shell", "comm_open", { comm_id: "c2", target_name: "other", data: {} });
    const all = await kernel.request("shell", "comm_info_request", {});
    expect(all.content.comms).toEqual({ c1: { target_name: "gradlab.echo" }, c2: { target_name: "other" } });
    const filtered = await kernel.request("shell", "comm_info_request", { target_name: "other" });
    expect(filtered.content.comms).toEqual({ c2: { target_name: "other" } });
    const echoed = new Promise<JupyterMessage>((resolve) => {
      const off = kernel.onIopub((m) => {
        if (m.header.msg_type === "comm_msg") {
          off();
          resolve(m);
        }
      });
    });
    await kernel.notify("shell", "comm_msg", { comm_id: "c1", data: { ping: 1 } });
    expect((await echoed).content).toEqual({ comm_id: "c1", data: { ping: 1 } });
    await kernel.notify("shell", "comm_close", { comm_id: "c1", data: {} });
    await kernel.notify("shell", "comm_close", { comm_id: "c2", data: {} });
    expect((await kernel.request("shell", "comm_info_request", {})).content.comms).toEqual({});
  });

  test("input() asks the front end over stdin", async () => {
    const r = await kernel.execute('const who = await input("name? ");\n`hi ${who}`', { onInput: (prompt) => (prompt === "name? " ? "Ada" : "?") });
    expect(r.reply.status).toBe("ok");
    expect(resultOf(r.outputs)["text/plain"]).toBe("'hi Ada'");
  });
});

describe("errors", () => {
  test("a runtime error reports ename, evalue and a traceback in the cell's own lines", async () => {
    const r = await kernel.execute('function inner(n: number): number {\n  if (n > 1) {\n    throw new RangeError(`too big: ${n}`);\n  }\n  return n;\n}\ninner(5);');
    expect(r.reply).toMatchObject({ status: "error", ename: "RangeError", evalue: "too big: 5" });
    expect(r.reply.traceback![0]).toBe("RangeError: too big: 5");
    expect(r.reply.traceback).toContainEqual(expect.stringMatching(/at inner \(Cell In\[\d+\], line 3, column 11\)/));
    expect(r.reply.traceback).toContainEqual(expect.stringMatching(/at Cell In\[\d+\], line 7, column 1$/));
    const error = r.outputs.filter((m) => m.header.msg_type === "error");
    expect(error).toHaveLength(1);
    expect(error[0].content.traceback).toEqual(r.reply.traceback);
  });

  test("type errors are errors with line and column, and the cell does not run", async () => {
    const r = await kernel.execute('console.log("ran");\nconst n: number = "one";');
    expect(r.reply).toMatchObject({ status: "error", ename: "TSError" });
    expect(r.reply.evalue).toMatch(/^line 2, column 7: Type 'string' is not assignable to type 'number'\. \(TS2322\)$/);
    expect(r.reply.traceback).toContainEqual(expect.stringMatching(/line 2, column 7: error TS2322/));
    expect(streamText(r.outputs)).toBe("");
  });

  test("a cell sent within a millisecond of an error's reply runs (no blanket abort)", async () => {
    const failed = await kernel.execute('throw new Error("first")');
    expect(failed.reply.status).toBe("error");
    const started = Date.now();
    const next = await kernel.execute("'second'");
    expect(next.reply.status).toBe("ok");
    expect(resultOf(next.outputs)["text/plain"]).toBe("'second'");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("stop_on_error aborts the requests already queued, and only those", async () => {
    const first = kernel.execute('await new Promise((r) => setTimeout(r, 200));\nthrow new Error("stop here")');
    const queued = [kernel.execute("'queued 1'"), kernel.execute("'queued 2'")];
    expect((await first).reply.status).toBe("error");
    for (const q of await Promise.all(queued)) {
      expect(q.reply.status).toBe("aborted");
      expect(q.outputs).toEqual([]);
    }
    const after = await kernel.execute("'after'");
    expect(after.reply.status).toBe("ok");
  });

  test("stop_on_error=false lets queued requests run", async () => {
    const first = kernel.execute('await new Promise((r) => setTimeout(r, 200));\nthrow new Error("keep going")', { stopOnError: false });
    const queued = kernel.execute("'still runs'");
    expect((await first).reply.status).toBe("error");
    expect((await queued).reply.status).toBe("ok");
  });

  test("an unhandled rejection or exception from a timer reports to the running cell and never kills the kernel", async () => {
    const r = await ok([
      'setTimeout(() => { Promise.reject(new Error("late rejection")); }, 10);',
      'setTimeout(() => { throw new TypeError("late throw"); }, 20);',
      "await new Promise((r) => setTimeout(r, 150));",
      '"survived"',
    ].join("\n"));
    const err = streamText(r.outputs, "stderr");
    expect(err).toMatch(/Unhandled promise rejection: Error: late rejection\n\s+at .*Cell In\[\d+\], line 1/);
    expect(err).toMatch(/Uncaught exception: TypeError: late throw/);
    expect(kernel.alive).toBe(true);
    expect(resultOf((await ok("1 + 1")).outputs)["text/plain"]).toBe("2");
  });
});

describe("interrupt", () => {
  test("interrupt_request stops a while(true) cell and every variable survives", async () => {
    await ok("let kept = 41;\nconst alsoKept = { n: 1 };");
    const spinning = kernel.execute("while (true) {}");
    await sleep(300);
    await kernel.interrupt();
    const r = await spinning;
    expect(r.reply).toMatchObject({ status: "error", ename: "Interrupted" });
    expect(resultOf((await ok("kept + alsoKept.n")).outputs)["text/plain"]).toBe("42");
  });

  test("SIGINT stops a runaway loop inside a function from an earlier cell", async () => {
    await ok("function spin(): number { let i = 0; while (true) { i++; } }");
    const spinning = kernel.execute("spin()");
    await sleep(300);
    kernel.kill("SIGINT");
    expect((await spinning).reply.ename).toBe("Interrupted");
    expect(resultOf((await ok("kept")).outputs)["text/plain"]).toBe("41");
  });

  test("interrupt stops a cell that awaits forever", async () => {
    const waiting = kernel.execute("await new Promise(() => {});");
    await sleep(300);
    await kernel.interrupt();
    expect((await waiting).reply.ename).toBe("Interrupted");
    expect(kernel.alive).toBe(true);
  });
});

describe("output and display", () => {
  test("console output of a timer goes to the cell that set it, not to the running one", async () => {
    const a = await ok('setTimeout(() => console.log("late from A"), 150);');
    const late = new Promise<JupyterMessage>((resolve) => {
      const off = kernel.onIopub((m) => {
        if (m.header.msg_type === "stream" && String(m.content.text).includes("late from A")) {
          off();
          resolve(m);
        }
      });
    });
    const b = await ok('await new Promise((r) => setTimeout(r, 300));\nconsole.log("from B");');
    expect(streamText(b.outputs)).toBe("from B\n");
    expect((await late).parent_header.msg_id).toBe(a.msgId);
  });

  test("process.stdout.write and console.error land in the cell's streams", async () => {
    const r = await ok('process.stdout.write("raw ");\nconsole.log("line");\nconsole.error("problem");');
    expect(streamText(r.outputs)).toBe("raw line\n");
    expect(streamText(r.outputs, "stderr")).toBe("problem\n");
  });

  test("display handles update in place", async () => {
    const r = await ok('const h = display("first", { displayId: "loss" });\nh.update("second");\nh.update({ [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<b>third</b>" }) });');
    const shown = r.outputs.map((m) => [m.header.msg_type, m.content.transient?.display_id, m.content.data["text/html"] ?? m.content.data["text/plain"]]);
    expect(shown).toEqual([
      ["display_data", "loss", "'first'"],
      ["update_display_data", "loss", "'second'"],
      ["update_display_data", "loss", "<b>third</b>"],
    ]);
    expect(resultOf(r.outputs)).toBeUndefined();
  });

  test("objects with Symbol.for('Jupyter.display') display richly, also through a Promise", async () => {
    const sync = await ok('class Chip { [Symbol.for("Jupyter.display")]() { return { "text/html": "<span>chip</span>", "text/plain": "chip" }; } }\nnew Chip()');
    expect(resultOf(sync.outputs)).toEqual({ "text/html": "<span>chip</span>", "text/plain": "chip" });
    const later = await ok('({ async [Symbol.for("Jupyter.display")]() { await new Promise((r) => setTimeout(r, 20)); return { "image/svg+xml": "<svg/>" }; } })');
    expect(resultOf(later.outputs)["image/svg+xml"]).toBe("<svg/>");
    expect(resultOf(later.outputs)["text/plain"]).toContain("Jupyter.display");
  });

  test("a display method that throws falls back to text and warns on stderr", async () => {
    const r = await ok('({ n: 7, [Symbol.for("Jupyter.display")]() { throw new Error("broken display"); } })');
    expect(resultOf(r.outputs)["text/plain"]).toContain("n: 7");
    expect(streamText(r.outputs, "stderr")).toContain("broken display");
  });

  test("display helpers, clearOutput and output order", async () => {
    const r = await ok([
      'console.log("before");',
      'display.markdown("**md**");',
      'display({ async [Symbol.for("Jupyter.display")]() { return { "text/html": "<p>async</p>" }; } });',
      'console.log("after");',
      "clearOutput(true);",
      'display.json({ a: 1 });',
      'display.png(new Uint8Array([137, 80, 78, 71]));',
    ].join("\n"));
    expect(r.outputs.map((m) => m.header.msg_type === "stream" ? m.content.text.trim() : m.header.msg_type === "display_data" ? Object.keys(m.content.data)[0] : m.header.msg_type)).toEqual(
      ["before", "text/markdown", "text/html", "after", "clear_output", "application/json", "image/png"]);
    expect(r.outputs[4].content).toEqual({ wait: true });
    expect(r.outputs[6].content.data["image/png"]).toBe("iVBORw==");
  });

  test("display.vegalite sends the spec with an SVG fallback rendered by Vega", async () => {
    const r = await ok('display.vegalite({ data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }, mark: "line", encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } });');
    const data = r.outputs.find((m) => m.header.msg_type === "display_data")!.content.data;
    expect(data["application/vnd.vegalite.v5+json"].mark).toBe("line");
    expect(data["image/svg+xml"]).toMatch(/^<svg/);
  }, 30_000);
});

describe("imports", () => {
  test("ESM-only packages import, dynamically and statically", async () => {
    const dynamic = await ok('const vega = await import("vega");\nvega.version');
    const vegaVersion = JSON.parse(readFileSync(join(root, "node_modules", "vega", "package.json"), "utf8")).version;
    expect(resultOf(dynamic.outputs)["text/plain"]).toBe(`'${vegaVersion}'`);
    const statik = await ok('import * as vl from "vega-lite";\ntypeof vl.compile');
    expect(resultOf(statik.outputs)["text/plain"]).toBe("'function'");
  });

  test("local .ts and .js files beside the notebook import", async () => {
    const r = await ok('import { area } from "./geometry";\nimport { greet } from "./legacy";\n`${greet("grad")} ${area({ width: 3, height: 4 })}`');
    expect(resultOf(r.outputs)["text/plain"]).toBe("'hello, grad 12'");
    const typed = await kernel.execute('import { area } from "./geometry";\narea({ width: 3 })');
    expect(typed.reply.ename).toBe("TSError");
    expect(typed.reply.evalue).toMatch(/^line 2, column 6: Argument of type .* Property 'height' is missing/);
    expect(typed.reply.evalue).not.toContain("more)");
  });

  test("completion inside a module specifier offers local files, packages and Node's modules", async () => {
    const complete = async (code: string) => (await kernel.request("shell", "complete_request", { code, cursor_pos: code.length })).content;
    const local = await complete('import { area } from "./geo');
    expect(local).toMatchObject({ status: "ok", matches: ["geometry"], cursor_start: 24, cursor_end: 27 });
    expect((await complete('import { Value } from "gradl')).matches).toEqual(["gradlab"]); // the repository's own package
    expect((await complete('const vl = await import("vega-li')).matches).toEqual(["vega-lite"]);
    expect((await complete('import * as fs from "node:fs')).matches).toEqual(["node:fs", "node:fs/promises"]);
    // Elsewhere the language service still answers.
    expect((await complete("Math.ma")).matches).toContain("max");
  });

  test("import { Value } from 'gradlab' type-checks and runs inside the repository", async () => {
    const r = await ok('import { Value } from "gradlab";\nconst va = new Value(3);\nconst vf = va.mul(va);\nvf.backward();\nva.grad');
    expect(resultOf(r.outputs)["text/plain"]).toBe("6");
    const bad = await kernel.execute('import { Value } from "gradlab";\nnew Value("three")');
    expect(bad.reply.ename).toBe("TSError");
  });
});

describe("a notebook folder that depends on gradlab", () => {
  let dir: string;
  let outside: KernelClient;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gradlab-notebook-"));
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(root, join(dir, "node_modules", "gradlab"), "dir");
    outside = await KernelClient.launch({ cwd: dir });
  }, 60_000);
  afterAll(async () => {
    await outside.shutdown();
    await outside.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("imports gradlab through node_modules, types included", async () => {
    const r = await outside.execute('import { Value } from "gradlab";\nconst a = new Value(2);\nconst f = a.mul(a).add(a);\nf.backward();\na.grad');
    expect(r.reply.status).toBe("ok");
    expect(resultOf(r.outputs)["text/plain"]).toBe("5");
  });
});

describe("restart", () => {
  test("shutdown with restart starts a fresh kernel: variables and counts start over", async () => {
    const k = await KernelClient.launch({ cwd: notebookDir });
    try {
      await k.execute("let before = 1;");
      const second = await k.execute("before");
      expect(second.reply.execution_count).toBe(2);
      const firstPid = k.pid;
      await k.shutdown({ restart: true });
      expect(k.alive).toBe(true);
      expect(k.pid).not.toBe(firstPid);
      const r = await k.execute("typeof before");
      expect(r.reply).toMatchObject({ status: "error", ename: "TSError", execution_count: 1 });
      expect(r.reply.evalue).toContain("Cannot find name 'before'");
    } finally {
      await k.shutdown();
      await k.close();
    }
  }, 60_000);
});
