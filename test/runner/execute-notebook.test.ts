/**
 * The runner's decisions (timeouts, errors, dead kernels, --check) against a scripted kernel session,
 * so every branch is exercised quickly and deterministically; the real kernels are in run-*.test.ts.
 */
import { executeNotebook, ExecuteOptions } from "../../kernel/runner/execute-notebook";
import { failureReport } from "../../kernel/runner/report";
import { CodeCell, parseNotebook } from "../../kernel/runner/nbformat";
import type { IopubMessage } from "../../kernel/runner/outputs";
import { ExecuteReply, KernelDiedError, KernelSession } from "../../kernel/runner/session";

type Behaviour = "ok" | "error" | "hang" | "hang-forever" | "die" | "error-output" | "disconnect" | "hang-die-on-interrupt";

/** Executes "cells" whose source names their behaviour; records what the runner asked of it. */
class ScriptedSession implements KernelSession {
  readonly description = "scripted";
  count = 0;
  log: string[] = [];
  private pendingHang: ((r: ExecuteReply) => void) | null = null;
  private dieOnInterrupt: ((e: Error) => void) | null = null;
  private dead = false;

  async kernelInfo() {
    return { language_info: { name: "typescript", file_extension: ".ts" } };
  }

  execute(code: string, onIopub: (m: IopubMessage) => void): Promise<ExecuteReply> {
    this.log.push(`execute ${code}`);
    if (this.dead) return Promise.reject(new KernelDiedError("exited with code 1"));
    const n = ++this.count;
    const behaviour = code.split(" ")[0] as Behaviour;
    onIopub({ msg_type: "stream", content: { name: "stdout", text: `${code}\n` } });
    switch (behaviour) {
      default: // "ok", and any other source (such as the injected parameters cell)
        onIopub({ msg_type: "execute_result", content: { execution_count: n, data: { "text/plain": String(n) }, metadata: {} } });
        return Promise.resolve({ status: "ok", execution_count: n });
      case "error-output":
        onIopub({ msg_type: "error", content: { ename: "Error", evalue: "late rejection", traceback: [] } });
        return Promise.resolve({ status: "ok", execution_count: n });
      case "error":
        onIopub({ msg_type: "error", content: { ename: "TypeError", evalue: "x is not a function", traceback: ["TypeError: x is not a function", "    at cell 1:3"] } });
        return Promise.resolve({ status: "error", execution_count: n, ename: "TypeError", evalue: "x is not a function", traceback: [] });
      case "hang":
        return new Promise((resolve) => (this.pendingHang = (r) => resolve({ ...r, execution_count: n })));
      case "hang-die-on-interrupt":
        return new Promise((_, reject) => (this.dieOnInterrupt = reject));
      case "hang-forever":
        return new Promise(() => undefined);
      case "disconnect":
        return Promise.reject(new Error("Kernel connection disconnected"));
      case "die":
        this.dead = true;
        return Promise.reject(new KernelDiedError("the kernel process exited with code 1"));
    }
  }

  async interrupt() {
    this.log.push("interrupt");
    if (this.dieOnInterrupt) {
      this.dead = true;
      this.dieOnInterrupt(new KernelDiedError("the kernel process killed by SIGINT"));
    }
    if (this.pendingHang) {
      this.pendingHang({ status: "error", execution_count: 0, ename: "Interrupted", evalue: "interrupted" });
      this.pendingHang = null;
    }
  }

  async restart() {
    this.log.push("restart");
  }

  async close() {}
}

function notebook(...sources: Array<string | [string, string[]]>) {
  return parseNotebook(JSON.stringify({
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [
      { cell_type: "markdown", id: "intro", metadata: {}, source: "# intro" },
      ...sources.map((s, i) => {
        const [source, tags] = typeof s === "string" ? [s, []] : s;
        return { cell_type: "code", id: `c${i}`, metadata: { tags }, source, outputs: [{ output_type: "stream", name: "stdout", text: "stale" }], execution_count: 99 };
      }),
    ],
  }));
}

const options = (extra: Partial<ExecuteOptions> = {}): ExecuteOptions => ({
  timeoutMs: 200, allowErrors: false, check: false, parameters: [], kernelName: "gradlab", interruptGraceMs: 200, ...extra,
});

const code = (nb: { cells: any[] }) => nb.cells.filter((c): c is CodeCell => c.cell_type === "code");

describe("executing a notebook", () => {
  test("all cells run in order; outputs and counts replace stale ones; the source notebook is untouched", async () => {
    const source = notebook("ok a", "", "ok b");
    const progress: string[] = [];
    const run = await executeNotebook(source, new ScriptedSession(), options({ onProgress: (d, t) => progress.push(`${d}/${t}`) }));
    expect(run.failures).toEqual([]);
    expect(progress).toEqual(["0/2", "1/2", "2/2"]);
    const cells = code(run.notebook);
    expect(cells.map((c) => c.execution_count)).toEqual([1, null, 2]);
    expect(cells[1].outputs).toEqual([]);
    expect(cells[2].outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "ok b\n" },
      { output_type: "execute_result", execution_count: 2, data: { "text/plain": "2" }, metadata: {} },
    ]);
    expect(code(source)[0].outputs).toEqual([{ output_type: "stream", name: "stdout", text: "stale" }]);
    expect(run.notebook.metadata.kernelspec).toEqual({ name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" });
    expect(run.notebook.metadata.language_info).toEqual({ name: "typescript", file_extension: ".ts" });
  });

  test("stops at the first error and reports cell, error and traceback; later cells get no outputs", async () => {
    const session = new ScriptedSession();
    const run = await executeNotebook(notebook("ok", "error here", "ok never"), session, options());
    expect(run.failures).toEqual([{ kind: "error", cellNumber: 3, executionCount: 2, firstLine: "error here", ename: "TypeError", evalue: "x is not a function", traceback: [] }]);
    expect(session.log).toEqual(["execute ok", "execute error here"]);
    expect(code(run.notebook)[2]).toMatchObject({ outputs: [], execution_count: null });
    expect(run.cellsDone).toBe(2);
  });

  test("the report numbers a cell as Jupyter shows it, In[N] (its traceback's Cell In[N]), not by position", async () => {
    // A markdown cell first: the failing cell is the notebook's 3rd cell but the kernel's 2nd execution.
    const run = await executeNotebook(notebook("ok", "error here"), new ScriptedSession(), options());
    const summary = { label: "nb.ipynb", status: "failed" as const, cellsDone: 2, cellsTotal: 2, elapsedMs: 1, written: null, failures: run.failures };
    expect(failureReport(summary, false)).toContain("nb.ipynb, cell In[2] (error here) raised an error:");
    const timedOut = await executeNotebook(notebook("ok", "hang"), new ScriptedSession(), options({ allowErrors: true }));
    expect(timedOut.failures[0].evalue).toContain("cell In[2] did not finish within the 0.2 s timeout");
    const checked = await executeNotebook(notebook("ok", ["quiet", ["raises-exception"]]), new ScriptedSession(), options({ check: true }));
    expect(checked.failures[0].evalue).toBe("cell In[2] is tagged raises-exception but raised no error");
  });

  test("every executed cell records its start and end in metadata.execution, as nbclient does; others have none", async () => {
    const source = notebook("ok a", "error here", "ok never");
    code(source)[2].metadata.execution = { "shell.execute_reply": "stale" };
    const before = new Date().toISOString();
    const run = await executeNotebook(source, new ScriptedSession(), options());
    const after = new Date().toISOString();
    const [a, b, never] = code(run.notebook).map((c) => c.metadata.execution as Record<string, string> | undefined);
    for (const t of [a!, b!]) {
      expect(Object.keys(t)).toEqual(["iopub.execute_input", "shell.execute_reply"]);
      expect(t["iopub.execute_input"] >= before && t["iopub.execute_input"] <= t["shell.execute_reply"] && t["shell.execute_reply"] <= after).toBe(true);
      expect(t["shell.execute_reply"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(never).toBeUndefined();
  });

  test("--allow-errors keeps going but still records the failure", async () => {
    const session = new ScriptedSession();
    const run = await executeNotebook(notebook("error", "ok"), session, options({ allowErrors: true }));
    expect(run.failures.map((f) => f.kind)).toEqual(["error"]);
    expect(session.log).toEqual(["execute error", "execute ok"]);
  });

  test("a timeout interrupts the kernel and records a CellTimeoutError in that cell", async () => {
    const session = new ScriptedSession();
    const run = await executeNotebook(notebook("hang", "ok"), session, options({ allowErrors: true }));
    expect(session.log).toEqual(["execute hang", "interrupt", "execute ok"]);
    expect(run.failures[0]).toMatchObject({ kind: "timeout", cellNumber: 2, ename: "CellTimeoutError" });
    expect(run.failures[0].evalue).toContain("did not finish within the 0.2 s timeout");
    expect(code(run.notebook)[0].outputs.at(-1)).toMatchObject({ output_type: "error", ename: "CellTimeoutError" });
    expect(run.kernelLost).toBe(false);
  });

  test("a kernel that ignores the interrupt is restarted and the run ends, even with --allow-errors", async () => {
    const session = new ScriptedSession();
    const run = await executeNotebook(notebook("hang-forever", "ok"), session, options({ allowErrors: true }));
    expect(session.log).toEqual(["execute hang-forever", "interrupt", "restart"]);
    expect(run.kernelLost).toBe(true);
    expect(run.failures[0].evalue).toContain("did not stop, so it was restarted");
  });

  test("a kernel that dies from the interrupt: the timeout is reported with the death, and the run ends", async () => {
    const session = new ScriptedSession();
    const run = await executeNotebook(notebook("hang-die-on-interrupt", "ok"), session, options({ allowErrors: true }));
    expect(session.log).toEqual(["execute hang-die-on-interrupt", "interrupt"]);
    expect(run.kernelLost).toBe(true);
    expect(run.failures).toEqual([expect.objectContaining({ kind: "timeout", cellNumber: 2 })]);
    expect(run.failures[0].evalue).toMatch(/timeout \(--timeout\); the kernel was interrupted, and the kernel died: the kernel process killed by SIGINT$/);
  });

  test("a dead kernel ends the run with the outputs gathered so far", async () => {
    const run = await executeNotebook(notebook("ok", "die now", "ok"), new ScriptedSession(), options({ allowErrors: true }));
    expect(run.kernelLost).toBe(true);
    expect(run.failures).toEqual([expect.objectContaining({ kind: "dead-kernel", cellNumber: 3, ename: "DeadKernelError" })]);
    const cells = code(run.notebook);
    expect(cells[0].outputs).toHaveLength(2);
    expect(cells[1].outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "die now\n" },
      expect.objectContaining({ output_type: "error", ename: "DeadKernelError" }),
    ]);
  });

  test("a failing transport is reported like a dead kernel, and the outputs so far are kept", async () => {
    const run = await executeNotebook(notebook("ok", "disconnect"), new ScriptedSession(), options());
    expect(run.kernelLost).toBe(true);
    expect(run.failures).toEqual([expect.objectContaining({
      kind: "dead-kernel", cellNumber: 3, evalue: "lost contact with the kernel: Kernel connection disconnected",
    })]);
    expect(code(run.notebook)[0].outputs).toHaveLength(2);
  });

  test("cells tagged raises-exception may raise; under --check they must", async () => {
    const nb = notebook(["error expected", ["raises-exception"]], ["ok but should raise", ["raises-exception"]], "ok");
    const plain = await executeNotebook(nb, new ScriptedSession(), options());
    expect(plain.failures).toEqual([]);
    const checked = await executeNotebook(nb, new ScriptedSession(), options({ check: true }));
    expect(checked.failures).toEqual([expect.objectContaining({ kind: "did-not-raise", cellNumber: 3 })]);
    expect(checked.cellsDone).toBe(2);
  });

  test("--check fails on an error output in a cell whose reply was ok", async () => {
    const nb = notebook("error-output", "ok");
    expect((await executeNotebook(nb, new ScriptedSession(), options())).failures).toEqual([]);
    const checked = await executeNotebook(nb, new ScriptedSession(), options({ check: true }));
    expect(checked.failures).toEqual([expect.objectContaining({ kind: "error-output", evalue: "late rejection" })]);
  });

  test("parameters are injected after the parameters cell in the kernel's language", async () => {
    const session = new ScriptedSession();
    const run = await executeNotebook(notebook(["ok defaults", ["parameters"]], "ok use"), session, options({ parameters: [["lr", 0.5]] }));
    expect(session.log[1]).toBe("execute // Parameters injected by `gradlab run -p`\nlet lr = 0.5;");
    expect(code(run.notebook)[1].metadata.tags).toEqual(["injected-parameters"]);
  });
});
