/**
 * The engine: runs on the kernel's main thread and does what needs TypeScript or user code. It
 * type-checks and compiles each cell with tslab's converter, runs it with vm (breakOnSigint, so a
 * SIGINT stops a synchronous runaway loop and the variables of earlier cells survive), awaits top-level
 * await cells (an interrupt rejects the wait), routes console output to the cell that wrote it, and
 * turns the last expression into a MIME bundle.
 */
import { AsyncLocalStorage } from "async_hooks";
import { createHash } from "crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import * as vm from "vm";
import type { EngineEvent, EngineRequest, ErrorContent, ExecuteOutcome, MimeBundle } from "../bridge";
import type { MessageHeader } from "../protocol/message";
import { createDisplay, DisplaySink, isDisplayHandle, mimeBundleOf, NOTEBOOK_GLOBALS_DTS, plainText } from "./display";
import { FrameNamer } from "./frames";
import { CellModules } from "./modules";
import { completeModuleSpecifier } from "./module-completions";
import { CellRegistry, runtimeError, typeErrors, WRAPPER_LINES } from "./traceback";
import { enabledPatches, PATCH_NAMES } from "./private-surface";
import { cacheDir } from "./ts-loader";
import { Converter, loadTypeScript, LoadedTypeScript } from "./typescript";

const KERNEL_DIR = join(__dirname, "..");
const HOOK = "__gradlab_kernel__";

class Interrupted extends Error {
  constructor() {
    super("the cell was interrupted (variables from earlier cells are kept)");
    this.name = "Interrupted";
  }
}

/** One execution: where its output goes, what it is still waiting for, how to interrupt it. */
class Cell implements DisplaySink {
  /** Output waiting behind an asynchronous display (null when nothing is waiting). */
  private chain: Promise<void> | null = null;
  private readonly pending: Promise<void>[] = [];
  /** execute_reply payloads (page() puts text in the front end's pager). */
  readonly payload: unknown[] = [];
  interrupted = false;
  /**
   * From the moment the cell's code returns until its reply: an unhandled rejection or exception that
   * Node reports then was left behind by the cell's own body, so it becomes the cell's error.
   */
  catchingStrays = false;
  strayError: ErrorContent | null = null;
  private rejectInterrupt: ((e: Error) => void) | null = null;
  /** Rejects when the cell is interrupted while it awaits. */
  readonly interruption = new Promise<never>((_, reject) => (this.rejectInterrupt = reject));

  constructor(readonly parent: MessageHeader, readonly count: number, readonly silent: boolean,
              readonly allowStdin: boolean, private readonly post: (ev: EngineEvent) => void) {
    this.interruption.catch(() => undefined);
  }

  publish(msgType: string, content: Record<string, unknown> | Promise<Record<string, unknown>>): void {
    if (this.silent) return;
    if (!this.chain && !(content instanceof Promise)) {
      this.post({ kind: "iopub", parent: this.parent, msgType, content });
      return;
    }
    const next: Promise<void> = (this.chain ?? Promise.resolve())
      .then(() => content)
      .then((c) => this.post({ kind: "iopub", parent: this.parent, msgType, content: c }),
            (e) => this.post({ kind: "iopub", parent: this.parent, msgType: "stream", content: { name: "stderr", text: `display failed: ${(e as Error)?.stack ?? e}\n` } }))
      .finally(() => {
        if (this.chain === next) this.chain = null;
      });
    this.chain = next;
    this.pending.push(next);
  }

  stream(name: "stdout" | "stderr", text: string): void {
    this.publish("stream", { name, text });
  }

  warn(text: string): void {
    this.stream("stderr", text.endsWith("\n") ? text : text + "\n");
  }

  /** Resolves when every asynchronous display of this cell has been published. */
  settled(): Promise<unknown> {
    return Promise.all(this.pending);
  }

  interrupt(): void {
    this.interrupted = true;
    this.rejectInterrupt?.(new Interrupted());
  }
}

export class Engine {
  readonly ts: LoadedTypeScript;
  private readonly converter: Converter;
  private readonly modules: CellModules;
  private readonly cells = new CellRegistry();
  /** Names files in tracebacks; the kernel's own folders (dist/kernel, tslab) never appear there. */
  private readonly frames: FrameNamer;
  private readonly context = new AsyncLocalStorage<Cell>();
  private prevDecl = "";
  private running: Cell | null = null;
  private last: Cell | null = null;
  /** Variables of earlier cells (tslab compiles references to them as exports.name). */
  private readonly exports: Record<string, unknown>;
  private readonly inputs = new Map<number, (value: string) => void>();
  private nextInput = 1;

  constructor(private readonly post: (ev: EngineEvent) => void, private readonly log: (text: string) => void,
              readonly dir = process.cwd()) {
    const globalsFile = writeGlobalsDeclaration();
    const off = PATCH_NAMES.filter((name) => !enabledPatches().has(name));
    if (off.length) log(`patches off (GRADLAB_KERNEL_PATCHES): ${off.join(", ")}`);
    this.ts = loadTypeScript(dir, [globalsFile]);
    this.converter = this.ts.createConverter();
    this.modules = new CellModules(dir);
    this.frames = new FrameNamer(dir, [KERNEL_DIR, ...tslabDirs()], this.modules);
    this.exports = createExports();
    (globalThis as any)[HOOK] = { exports: this.exports, require: this.modules.require };
    this.installGlobals();
    this.captureOutput();
    this.catchStrayErrors();
    process.on("SIGINT", () => this.running?.interrupt());
  }

  /** Writes the TypeScript code cache and the @types/node analysis if they are still due (typescript.ts). */
  saveCaches(): void {
    this.ts.saveCaches();
  }

  /** The execution count of the cell that is running, if any (named in the log when a cell ends the process). */
  get runningCount(): number | null {
    return this.running?.count ?? null;
  }

  async handle(req: EngineRequest): Promise<unknown> {
    switch (req.kind) {
      case "execute":
        return this.execute(req);
      case "complete":
        return this.complete(req.code, req.cursorPos);
      case "inspect":
        return this.inspect(req.code, req.cursorPos);
      case "is_complete":
        return this.isComplete(req.code);
      case "input_reply": {
        const done = this.inputs.get(req.requestId);
        this.inputs.delete(req.requestId);
        done?.(req.value);
        return undefined;
      }
      default:
        throw new Error(`engine: unexpected request ${(req as { kind: string }).kind}`);
    }
  }

  private async execute(req: Extract<EngineRequest, { kind: "execute" }>): Promise<ExecuteOutcome> {
    const cell = new Cell(req.parent, req.executionCount, req.silent, req.allowStdin, this.post);
    this.running = cell;
    try {
      const outcome = await this.run(cell, req.code, this.modules.cellFilename(`${req.executionCount}_${req.id}`), true);
      if (outcome.status === "error") return outcome;
      const userExpressions: Record<string, unknown> = {};
      for (const [name, expr] of Object.entries(req.userExpressions ?? {})) {
        const r = await this.run(cell, expr, this.modules.cellFilename(`expr_${req.id}_${name}`), false);
        userExpressions[name] = r.status === "ok"
          ? { status: "ok", data: r.result ?? { "text/plain": "undefined" }, metadata: {} }
          : { status: "error", ename: r.ename, evalue: r.evalue, traceback: r.traceback };
      }
      return { ...outcome, userExpressions, payload: cell.payload };
    } finally {
      this.running = null;
      this.last = cell;
    }
  }

  /** Type-checks, compiles and runs one piece of code in `cell`; `keep` carries its declarations on. */
  private async run(cell: Cell, code: string, filename: string, keep: boolean): Promise<ExecuteOutcome> {
    const converted = this.converter.convert(this.prevDecl, code);
    const maps = this.ts.takeMaps();
    const moduleMaps = this.ts.takeModuleMaps();
    if (converted.sideOutputs) this.modules.updateSideOutputs(converted.sideOutputs, moduleMaps);
    if (converted.diagnostics.length > 0) return { status: "error", ...typeErrors(converted.diagnostics, code, cell.count, this.frames) };
    if (!converted.output) {
      if (keep) this.prevDecl = converted.declOutput ?? "";
      return { status: "ok", result: null, userExpressions: {}, payload: [] };
    }
    const head = converted.hasToplevelAwait ? "(async function (exports, require) {" : "(function (exports, require) {";
    const body = `${head}${"\n".repeat(WRAPPER_LINES)}${converted.output}`;
    const wrapped = `${body}\n})(globalThis.${HOOK}.exports, globalThis.${HOOK}.require)`;
    this.cells.add(cell.count, filename, maps, body.split("\n").length + 1);
    try {
      if (cell.interrupted) throw new Interrupted();
      await Promise.race([this.modules.preload(converted.output), cell.interruption]);
      const script = new vm.Script(wrapped, CellModules.scriptOptions(filename));
      const ret = this.context.run(cell, () => script.runInThisContext({ breakOnSigint: true }));
      if (converted.hasToplevelAwait) await Promise.race([ret, cell.interruption]);
      cell.catchingStrays = true;
      // Node reports a rejection nobody handled once the microtasks have run: let it, before replying.
      await new Promise((resolve) => setImmediate(resolve));
      if (keep) this.prevDecl = converted.declOutput ?? "";
      let result: MimeBundle | null = null;
      const name = converted.lastExpressionVar;
      if (name && name in this.exports) {
        const value = this.exports[name];
        delete this.exports[name];
        // `display(x)` as the last line shows x once, not also its handle.
        if (value !== undefined && !isDisplayHandle(value)) {
          // The result comes after the cell's displays (the wire thread publishes it with the reply).
          await Promise.race([cell.settled(), cell.interruption]);
          result = await Promise.race([mimeBundleOf(value, (t) => cell.warn(t)), cell.interruption]);
        }
      }
      await Promise.race([cell.settled(), cell.interruption]);
      if (cell.strayError) return { status: "error", ...cell.strayError };
      return { status: "ok", result, userExpressions: {}, payload: [] };
    } catch (e) {
      return { status: "error", ...this.errorContent(e) };
    } finally {
      cell.catchingStrays = false;
    }
  }

  private errorContent(e: unknown): ErrorContent {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (e instanceof Interrupted || code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
      const i = new Interrupted();
      return { ename: i.name, evalue: i.message, traceback: [`${i.name}: ${i.message}`] };
    }
    return runtimeError(e, this.cells, this.frames);
  }

  private complete(code: string, cursorPos: number) {
    const specifier = completeModuleSpecifier(code, cursorPos, this.dir);
    if (specifier) return { status: "ok", matches: specifier.matches, cursor_start: specifier.start, cursor_end: specifier.end, metadata: {} };
    try {
      const info = this.converter.complete(this.prevDecl, code, cursorPos);
      return { status: "ok", matches: info.candidates, cursor_start: info.start, cursor_end: info.end, metadata: {} };
    } catch (e) {
      this.log(`complete failed: ${(e as Error).stack}`);
      return { status: "ok", matches: [], cursor_start: cursorPos, cursor_end: cursorPos, metadata: {} };
    }
  }

  private inspect(code: string, cursorPos: number) {
    let info: any = null;
    try {
      info = this.converter.inspect(this.prevDecl, code, cursorPos);
    } catch (e) {
      this.log(`inspect failed: ${(e as Error).stack}`);
    }
    if (!info) return { status: "ok", found: false, data: {}, metadata: {} };
    return { status: "ok", found: true, data: { "text/plain": this.ts.printQuickInfo(info) }, metadata: {} };
  }

  /**
   * complete, incomplete (with the indent for the next line) or invalid (a syntax error that more lines
   * cannot fix). Parsed as .ts, not .tsx as tslab does, so `<number>x` casts are not taken for JSX.
   * Like tslab, code ending in a blank line is never "incomplete": that is how a user forces it through.
   */
  private isComplete(code: string) {
    const ts = this.ts.ts;
    const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const diags: { start: number; length: number; messageText: unknown }[] = sf.parseDiagnostics ?? [];
    if (diags.length === 0) return { status: "complete" };
    const forced = /(^|\n)\s*\n\s*$/.test(code);
    const wantsMore = diags.some((d) => d.start === code.length && d.length === 0 &&
      typeof d.messageText === "string" && d.messageText.endsWith(" expected."));
    if (wantsMore && !forced) return { status: "incomplete", indent: this.ts.isCompleteCode(code).indent ?? "" };
    return { status: "invalid" };
  }

  /** The cell output belongs to: the one whose code is running (async context), else the running one, else the last. */
  private outputCell(): Cell | null {
    return this.context.getStore() ?? this.running ?? this.last;
  }

  private installGlobals(): void {
    const { display, clearOutput } = createDisplay(() => this.outputCell());
    const g = globalThis as any;
    g.display = display;
    g.clearOutput = clearOutput;
    g.page = (text: unknown) => {
      const cell = this.outputCell();
      const data = typeof text === "string" ? { "text/plain": text } : mimeBundleOf(text);
      if (data instanceof Promise) throw new TypeError("page() needs a value whose display is synchronous");
      cell?.payload.push({ source: "page", data, start: 0 });
    };
    g.input = (prompt = "", opts: { password?: boolean } = {}) => this.input(String(prompt), Boolean(opts.password));
  }

  private input(prompt: string, password: boolean): Promise<string> {
    const cell = this.outputCell();
    if (!cell || cell !== this.running || !cell.allowStdin) {
      return Promise.reject(new Error("input() needs a front end that accepts input (allow_stdin) and a running cell"));
    }
    const requestId = this.nextInput++;
    return new Promise<string>((resolve) => {
      this.inputs.set(requestId, resolve);
      this.post({ kind: "input_request", requestId, parent: cell.parent, prompt, password });
    });
  }

  /** process.stdout/stderr (and so console.*) go to the cell that is writing. */
  private captureOutput(): void {
    for (const name of ["stdout", "stderr"] as const) {
      const stream = process[name];
      const original = stream.write.bind(stream);
      stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
        const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
        const cell = this.outputCell();
        if (cell) cell.stream(name, text);
        else original(text);
        const done = typeof encoding === "function" ? encoding : cb;
        if (typeof done === "function") process.nextTick(done as () => void);
        return true;
      }) as typeof stream.write;
    }
  }

  /** A rejection or exception nobody handles (say, from a timer) is reported to a cell, never fatal. */
  private catchStrayErrors(): void {
    const report = (what: string, err: unknown) => {
      const cell = this.running ?? this.last;
      const e = runtimeError(err, this.cells, this.frames);
      if (cell?.catchingStrays) {
        cell.strayError ??= { ...e, traceback: [`${what} (left behind by this cell's code):`, ...e.traceback] };
        return;
      }
      const text = `${what}: ${e.traceback.join("\n")}\n`;
      if (cell) cell.stream("stderr", text);
      else this.log(text);
    };
    process.on("unhandledRejection", (reason) => report("Unhandled promise rejection", reason));
    process.on("uncaughtException", (err) => report("Uncaught exception", err));
  }
}

function createExports(): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  // TypeScript's CommonJS output defines re-exported imports with defineProperty getters; store plain
  // values instead so that later cells can assign to them (tslab's executor does the same).
  return new Proxy(target, {
    defineProperty(_t, prop, attrs) {
      if (prop === "__esModule") return true;
      target[prop as string] = attrs.get ? attrs.get() : attrs.value;
      return true;
    },
  });
}

/** The folders of tslab and its TypeScript: the converter's frames are the kernel's, not the student's. */
function tslabDirs(): string[] {
  const tslab = dirname(require.resolve("tslab/package.json"));
  return [tslab, dirname(require.resolve("@tslab/typescript-for-tslab/package.json", { paths: [tslab] }))];
}

/**
 * The notebook globals' declarations as a file the type checker can read (named by content, written once),
 * in the kernel's cache folder beside the code cache, or in the temp folder when that cannot be written.
 */
function writeGlobalsDeclaration(): string {
  const name = `notebook-globals-${createHash("sha256").update(NOTEBOOK_GLOBALS_DTS).digest("hex").slice(0, 12)}.d.ts`;
  for (const dir of [cacheDir(), join(tmpdir(), "gradlab-kernel")]) {
    const file = join(dir, name);
    try {
      if (!existsSync(file)) {
        mkdirSync(dir, { recursive: true });
        const tmp = `${file}.${process.pid}`;
        writeFileSync(tmp, NOTEBOOK_GLOBALS_DTS);
        renameSync(tmp, file);
      }
      return file;
    } catch {
      /* not writable: try the next place */
    }
  }
  throw new Error(`gradlab kernel: cannot write ${name} in ${cacheDir()} or ${join(tmpdir(), "gradlab-kernel")}`);
}

export { plainText };
