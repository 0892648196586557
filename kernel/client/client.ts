/**
 * A small Jupyter client over ZeroMQ: launches (or connects to) a kernel, sends requests on shell and
 * control, collects each request's iopub messages, answers input requests on stdin, and pings the
 * heartbeat. The notebook runner, the benchmarks and the kernel's own protocol tests use it.
 */
import { ChildProcess, spawn } from "child_process";
import { randomUUID } from "crypto";
import { existsSync, readFileSync, unlinkSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import * as zmq from "zeromq";
import { ConnectionInfo, endpoint, newConnectionInfo, writeConnectionFile } from "../protocol/connection";
import { buildMessage, JupyterMessage, receiveMessages, Signer } from "../protocol/message";
import { SerialSender } from "../protocol/sender";

export type { JupyterMessage } from "../protocol/message";

export interface ExecuteReplyContent {
  status: "ok" | "error" | "aborted";
  execution_count: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  user_expressions?: Record<string, unknown>;
  payload?: unknown[];
  [extra: string]: unknown;
}

export interface ExecuteOptions {
  silent?: boolean;
  storeHistory?: boolean;
  stopOnError?: boolean;
  userExpressions?: Record<string, string>;
  timeoutMs?: number;
  /** Each iopub message of this request except status and execute_input, as it arrives. */
  onOutput?: (msg: JupyterMessage) => void;
  /** Answers input_request on stdin (allow_stdin is true when this is given). */
  onInput?: (prompt: string, password: boolean) => string | Promise<string>;
}

export interface ExecuteResult {
  /** The execute_request's msg_id (the parent of everything this request caused). */
  msgId: string;
  reply: ExecuteReplyContent;
  /** The iopub messages of this request (stream, display_data, update_display_data, execute_result, error, clear_output). */
  outputs: JupyterMessage[];
}

export interface LaunchOptions {
  /** Kernelspec-style argv; "{connection_file}" is replaced. Default: node dist/kernel/main.js. */
  argv?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How long the kernel may take to answer its first kernel_info_request (default 30 s). */
  startupTimeoutMs?: number;
}

/** The iopub message types that are a cell's output (what onOutput sees). */
const OUTPUT_TYPES = new Set(["stream", "display_data", "update_display_data", "execute_result", "error", "clear_output"]);
const DEFAULT_TIMEOUT_MS = 60_000;
const STDERR_LIMIT = 1 << 20;

interface Pending {
  msgType: string;
  reply: JupyterMessage | null;
  /** Execute requests also wait for the iopub idle status so that all their outputs are in. */
  waitForIdle: boolean;
  idle: boolean;
  iopub: JupyterMessage[];
  onIopub?: (msg: JupyterMessage) => void;
  onInput?: ExecuteOptions["onInput"];
  resolve(p: Pending): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout | null;
}

/** The repository (or installed package) root: the nearest folder above whose package.json is gradlab's. */
export function packageRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pj = join(dir, "package.json");
    if (existsSync(pj)) {
      try {
        if (JSON.parse(readFileSync(pj, "utf8")).name === "gradlab") return dir;
      } catch {
        /* keep looking */
      }
    }
    if (dirname(dir) === dir) throw new Error(`cannot find gradlab's package.json above ${from}`);
  }
}

/** The gradlab kernel's argv (what the kernelspec runs): node dist/kernel/main.js {connection_file}. */
export function defaultKernelArgv(): string[] {
  return [process.execPath, join(packageRoot(), "dist", "kernel", "main.js"), "{connection_file}"];
}

/**
 * Connection files this process wrote and has not removed yet. A client that is never closed (a script
 * that calls process.exit, an uncaught exception) would otherwise leave them in the temp folder: the
 * process's exit removes whatever is left. (A signal that ends the process unhandled, or SIGKILL, runs
 * no JavaScript at all; a program that wants its files gone then handles the signal and calls close().)
 */
const liveConnectionFiles = new Set<string>();
let exitHookInstalled = false;

function removeConnectionFile(file: string): void {
  liveConnectionFiles.delete(file);
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

function trackConnectionFile(file: string): void {
  liveConnectionFiles.add(file);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const f of [...liveConnectionFiles]) removeConnectionFile(f);
    });
  }
}

export class KernelClient {
  readonly session = randomUUID();
  private readonly signer: Signer;
  // shell and stdin share one routing id, so the kernel's input_request (sent to the identity of the
  // execute_request) reaches our stdin socket, as with jupyter_client.
  private readonly shell = new zmq.Dealer({ linger: 0, routingId: this.session });
  private readonly control = new zmq.Dealer({ linger: 0 });
  private readonly stdin = new zmq.Dealer({ linger: 0, routingId: this.session });
  private readonly iopub = new zmq.Subscriber({ linger: 0 });
  private hb: zmq.Request | null = null;
  private readonly senders: Record<"shell" | "control" | "stdin", SerialSender>;
  private readonly pending = new Map<string, Pending>();
  private readonly iopubListeners = new Set<(msg: JupyterMessage) => void>();
  private proc: ChildProcess | null = null;
  /** How we started the kernel (argv with the connection file filled in), to start it again on restart. */
  private launchSpec: { argv: string[]; opts: LaunchOptions } | null = null;
  private connectionFile: string | null = null;
  private stderrText = "";
  private closed = false;
  private exitInfo: { code: number | null; signal: string | null } | null = null;
  /** Resolves when the kernel process exits (a new promise after each restart). */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  private resolveExited!: (v: { code: number | null; signal: string | null }) => void;
  /** Wire errors seen on receive (bad signatures, malformed frames); a healthy kernel leaves this empty. */
  readonly wireErrors: string[] = [];

  private constructor(readonly connection: ConnectionInfo) {
    this.signer = new Signer(connection.key, connection.signature_scheme);
    this.senders = {
      shell: new SerialSender(this.shell, this.signer),
      control: new SerialSender(this.control, this.signer),
      stdin: new SerialSender(this.stdin, this.signer),
    };
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    this.shell.connect(endpoint(connection, "shell"));
    this.control.connect(endpoint(connection, "control"));
    this.stdin.connect(endpoint(connection, "stdin"));
    this.iopub.connect(endpoint(connection, "iopub"));
    this.iopub.subscribe();
    void this.receiveLoop(this.shell, "shell");
    void this.receiveLoop(this.control, "control");
    void this.receiveLoop(this.stdin, "stdin");
    void this.receiveLoop(this.iopub, "iopub");
  }

  /**
   * Starts a kernel process and resolves once it answers kernel_info with iopub connected. The connection
   * file lives while the kernel process does: it is removed when the process exits (however it ends),
   * on close(), and at the latest when this process exits.
   */
  static async launch(opts: LaunchOptions = {}): Promise<KernelClient> {
    const info = await newConnectionInfo();
    const file = join(tmpdir(), `gradlab-kernel-${randomUUID()}.json`);
    const argv = (opts.argv ?? defaultKernelArgv()).map((a) => a.split("{connection_file}").join(file));
    const client = new KernelClient(info);
    client.connectionFile = file;
    client.launchSpec = { argv, opts };
    try {
      client.spawnKernel();
      await client.waitForReady(opts.startupTimeoutMs ?? 30_000);
    } catch (e) {
      client.kill();
      await client.close();
      throw e;
    }
    return client;
  }

  private spawnKernel(): void {
    const { argv, opts } = this.launchSpec!;
    this.exitInfo = null;
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => (this.resolveExited = resolve));
    (this as { exited: typeof exited }).exited = exited;
    // Written for each process (a restart writes it again): the previous process's exit removed it.
    const file = this.connectionFile!;
    trackConnectionFile(file);
    writeConnectionFile(file, this.connection);
    let proc: ChildProcess;
    try {
      proc = spawn(argv[0], argv.slice(1), {
        cwd: opts.cwd,
        // As jupyter_client does: kernels that watch their parent (gradlab's, ipykernel) exit when we are gone.
        env: { ...(opts.env ?? process.env), JPY_PARENT_PID: String(process.pid) },
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (e) {
      // spawn throws (rather than emitting "error") for arguments it rejects outright, e.g. a NUL byte.
      removeConnectionFile(file);
      throw e;
    }
    this.proc = proc;
    const keep = (chunk: Buffer) => {
      if (this.stderrText.length < STDERR_LIMIT) this.stderrText += chunk.toString("utf8");
    };
    proc.stdout!.on("data", keep);
    proc.stderr!.on("data", keep);
    proc.on("error", (e) => {
      this.stderrText += `\n[spawn ${argv[0]} failed: ${e.message}]`;
      if (this.proc === proc) this.onExit(null, null);
    });
    proc.on("exit", (code, signal) => {
      if (this.proc === proc) this.onExit(code, signal);
    });
  }

  /** Connects to a kernel that is already running (its connection info), e.g. one a Jupyter server started. */
  static async connect(info: ConnectionInfo, readyTimeoutMs = 30_000): Promise<KernelClient> {
    const client = new KernelClient(info);
    client.onExit = () => undefined; // not our process
    try {
      await client.waitForReady(readyTimeoutMs);
    } catch (e) {
      await client.close();
      throw e;
    }
    return client;
  }

  get alive(): boolean {
    return this.proc !== null && this.exitInfo === null;
  }

  /** Everything the kernel process printed on stdout and stderr (capped at 1 MiB). */
  get stderr(): string {
    return this.stderrText;
  }

  /** The connection file of the kernel we launched (null for connect()); it exists while that kernel runs. */
  get connectionFilePath(): string | null {
    return this.connectionFile;
  }

  /** The kernel's process id (null when connected to a kernel we did not start). */
  get pid(): number | null {
    return this.proc?.pid ?? null;
  }

  /** Listens to every iopub message, including those of other clients' requests. Returns an unsubscribe. */
  onIopub(listener: (msg: JupyterMessage) => void): () => void {
    this.iopubListeners.add(listener);
    return () => this.iopubListeners.delete(listener);
  }

  async execute(code: string, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
    const content = {
      code,
      silent: opts.silent ?? false,
      store_history: opts.storeHistory ?? !(opts.silent ?? false),
      user_expressions: opts.userExpressions ?? {},
      allow_stdin: opts.onInput !== undefined,
      stop_on_error: opts.stopOnError ?? true,
    };
    const done = await this.send("shell", "execute_request", content, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, {
      waitForIdle: true,
      onIopub: opts.onOutput,
      onInput: opts.onInput,
    });
    return {
      msgId: String(done.reply!.parent_header.msg_id),
      reply: done.reply!.content,
      outputs: done.iopub.filter((m) => OUTPUT_TYPES.has(m.header.msg_type)),
    };
  }

  /** Sends one request and resolves with its reply message. */
  async request(channel: "shell" | "control", msgType: string, content: object, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<JupyterMessage> {
    const done = await this.send(channel, msgType, content, timeoutMs, { waitForIdle: false });
    return done.reply!;
  }

  /** Like request, but also waits for the request's idle status and returns its iopub messages too. */
  async requestWithIopub(channel: "shell" | "control", msgType: string, content: object, timeoutMs = DEFAULT_TIMEOUT_MS):
      Promise<{ reply: JupyterMessage; iopub: JupyterMessage[] }> {
    const done = await this.send(channel, msgType, content, timeoutMs, { waitForIdle: true });
    return { reply: done.reply!, iopub: done.iopub };
  }

  /** Sends a message that has no reply (comm_open, comm_msg, comm_close); resolves with its msg_id. */
  async notify(channel: "shell" | "control", msgType: string, content: object): Promise<string> {
    if (this.closed) throw new Error(`cannot send ${msgType}: the kernel client is closed`);
    const msg = buildMessage(msgType, content, this.session, { username: "gradlab" });
    await this.senders[channel].send(msg);
    return msg.header.msg_id;
  }

  /** interrupt_request on control (the gradlab kernelspec's interrupt_mode is "message"). */
  async interrupt(): Promise<void> {
    const reply = await this.request("control", "interrupt_request", {}, 10_000);
    if (reply.content.status !== "ok") throw new Error(`interrupt failed: ${JSON.stringify(reply.content)}`);
  }

  /**
   * shutdown_request on control, then waits (up to 5 s, then kills) for the process we started to exit.
   * With restart, starts the same kernel again on the same connection file, as jupyter_client does:
   * a fresh process, so every variable and the execution count start over.
   */
  async shutdown(opts: { restart?: boolean } = {}): Promise<void> {
    const restart = opts.restart ?? false;
    if (restart && !this.launchSpec) throw new Error("restart needs a kernel this client launched (KernelClient.launch)");
    await this.request("control", "shutdown_request", { restart }, 10_000);
    if (this.proc && this.alive) {
      const timer = setTimeout(() => this.kill(), 5000);
      await this.exited;
      clearTimeout(timer);
    }
    if (restart) {
      this.spawnKernel();
      await this.waitForReady(this.launchSpec!.opts.startupTimeoutMs ?? 30_000);
    }
  }

  /** Pings the heartbeat channel; true when the kernel echoes within timeoutMs. */
  async heartbeat(timeoutMs = 1000): Promise<boolean> {
    if (!this.hb) {
      this.hb = new zmq.Request({ linger: 0, receiveTimeout: timeoutMs });
      this.hb.connect(endpoint(this.connection, "hb"));
    }
    const hb = this.hb;
    const ping = Buffer.from(randomUUID());
    try {
      hb.receiveTimeout = timeoutMs;
      await hb.send(ping);
      const [echo] = await hb.receive();
      return echo.equals(ping);
    } catch {
      // A REQ socket that missed its reply cannot send again: start over next time.
      hb.close();
      this.hb = null;
      return false;
    }
  }

  /** Kills the kernel process we started (SIGKILL), if it is still running. */
  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    if (this.proc && this.exitInfo === null) this.proc.kill(signal);
  }

  /** Closes the sockets, fails pending requests, removes the connection file. Does not stop the kernel. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failPending(new Error("kernel client closed"));
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) {
      if (s && !s.closed) s.close();
    }
    if (this.connectionFile) removeConnectionFile(this.connectionFile);
  }

  /** kernel_info until one reply arrives AND its iopub status does too (iopub subscriptions join late). */
  private async waitForReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: Error | null = null;
    while (Date.now() < deadline) {
      if (this.exitInfo) break;
      const left = deadline - Date.now();
      try {
        const done = await this.send("shell", "kernel_info_request", {}, Math.min(left, 2000), {
          waitForIdle: true,
          iopubGraceMs: 300,
        });
        if (done.iopub.length > 0) return;
      } catch (e) {
        lastError = e as Error;
      }
    }
    const why = this.exitInfo
      ? `the kernel exited (code ${this.exitInfo.code}, signal ${this.exitInfo.signal})`
      : `no kernel_info reply with iopub status within ${timeoutMs} ms${lastError ? ` (${lastError.message})` : ""}`;
    throw new Error(`kernel did not start: ${why}${this.stderrText ? `\n--- kernel output ---\n${this.stderrText}` : ""}`);
  }

  private send(channel: "shell" | "control", msgType: string, content: object, timeoutMs: number,
               opts: { waitForIdle: boolean; onIopub?: Pending["onIopub"]; onInput?: Pending["onInput"]; iopubGraceMs?: number }): Promise<Pending> {
    if (this.closed) return Promise.reject(new Error(`cannot send ${msgType}: the kernel client is closed`));
    if (this.exitInfo) return Promise.reject(this.exitError(msgType));
    const msg = buildMessage(msgType, content, this.session, { username: "gradlab" });
    return new Promise<Pending>((resolve, reject) => {
      const p: Pending = {
        msgType, reply: null, waitForIdle: opts.waitForIdle, idle: false, iopub: [],
        onIopub: opts.onIopub, onInput: opts.onInput, resolve, reject, timer: null,
      };
      const finish = (err: Error | null) => {
        if (p.timer) clearTimeout(p.timer);
        this.pending.delete(msg.header.msg_id);
        err ? reject(err) : resolve(p);
      };
      p.resolve = () => finish(null);
      p.reject = (e) => finish(e);
      p.timer = setTimeout(() => {
        // kernel_info during startup: a reply without iopub means iopub is not joined yet; report that.
        if (opts.iopubGraceMs !== undefined && p.reply) return finish(null);
        finish(new Error(`${msgType} timed out after ${timeoutMs} ms (reply ${p.reply ? "received" : "missing"}, ` +
          `idle ${p.idle ? "received" : "missing"})${this.stderrText ? `; kernel output:\n${this.stderrText.slice(-2000)}` : ""}`));
      }, timeoutMs);
      this.pending.set(msg.header.msg_id, p);
      void this.senders[channel].send(msg);
      if (opts.iopubGraceMs !== undefined) {
        // Startup probe: once the reply is in, give iopub a short grace period, then report what arrived.
        const check: NodeJS.Timeout = setInterval(() => {
          if (!this.pending.has(msg.header.msg_id)) return clearInterval(check);
          if (p.reply) {
            clearInterval(check);
            setTimeout(() => this.pending.has(msg.header.msg_id) && finish(null), opts.iopubGraceMs);
          }
        }, 5);
      }
    });
  }

  private async receiveLoop(socket: zmq.Dealer | zmq.Subscriber, channel: "shell" | "control" | "stdin" | "iopub"): Promise<void> {
    try {
      for await (const msg of receiveMessages(socket, this.signer, channel, (why) => this.wireErrors.push(`${channel}: ${why}`))) {
        this.dispatch(msg, channel);
      }
    } catch (e) {
      if (!this.closed) this.wireErrors.push(`${channel}: receive failed: ${(e as Error).message}`);
    }
  }

  private dispatch(msg: JupyterMessage, channel: string): void {
    const parentId = msg.parent_header?.msg_id;
    const p = parentId ? this.pending.get(parentId) : undefined;
    if (channel === "iopub") {
      for (const l of this.iopubListeners) l(msg);
      if (!p) return;
      p.iopub.push(msg);
      const type = msg.header.msg_type;
      if (type === "status" && msg.content.execution_state === "idle") p.idle = true;
      else if (type !== "status" && type !== "execute_input" && p.onIopub) p.onIopub(msg);
    } else if (channel === "stdin") {
      if (msg.header.msg_type === "input_request") void this.answerInput(msg, p);
      return;
    } else if (p) {
      p.reply = msg;
    }
    if (p && p.reply && (!p.waitForIdle || p.idle)) p.resolve(p);
  }

  private async answerInput(msg: JupyterMessage, p: Pending | undefined): Promise<void> {
    let value = "";
    if (p?.onInput) {
      try {
        value = await p.onInput(String(msg.content.prompt ?? ""), Boolean(msg.content.password));
      } catch {
        value = "";
      }
    }
    await this.senders.stdin.send(buildMessage("input_reply", { value }, this.session, { parent: msg.header }));
  }

  private onExit(code: number | null, signal: string | null): void {
    if (this.exitInfo) return;
    this.exitInfo = { code, signal };
    // The process that read it is gone; nothing else uses the file (a restart writes a new one).
    if (this.connectionFile) removeConnectionFile(this.connectionFile);
    this.resolveExited(this.exitInfo);
    this.failPending(this.exitError("request"));
  }

  private exitError(what: string): Error {
    const e = this.exitInfo!;
    return new Error(`kernel exited (code ${e.code}, signal ${e.signal}) before ${what} was answered` +
      (this.stderrText ? `\n--- kernel output ---\n${this.stderrText.slice(-4000)}` : ""));
  }

  private failPending(err: Error): void {
    for (const p of [...this.pending.values()]) p.reject(err);
  }
}
