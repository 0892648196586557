/**
 * The protocol side of the kernel (runs in a worker thread): binds the five sockets, verifies and
 * answers requests, publishes busy/idle around every request, serialises shell requests in arrival
 * order, and forwards the ones that need TypeScript (execute, complete, inspect, is_complete) to the
 * engine on the main thread. Control requests (interrupt, shutdown, kernel_info) never wait behind a
 * running cell, and the heartbeat echoes even while user code spins.
 */
import * as zmq from "zeromq";
import type { EngineEvent, EngineRequest, ErrorContent, ExecuteOutcome, WireConfig } from "../bridge";
import { ConnectionInfo, endpoint } from "../protocol/connection";
import { JupyterMessage, MessageHeader, receiveMessages, replyTo, Signer } from "../protocol/message";
import { SerialSender } from "../protocol/sender";
import { Comms } from "./comms";
import { History, HistoryRequest } from "./history";
import { kernelInfo } from "./kernel-info";

type Reply = (msgType: string, content: object) => Promise<void>;

/** The outcome of a cell interrupted before the engine could start it (same ename as the engine's interrupts). */
function interruptedBeforeStart(): ExecuteOutcome {
  const evalue = "the cell was interrupted before it started (the kernel was still loading TypeScript)";
  return { status: "error", ename: "Interrupted", evalue, traceback: [`Interrupted: ${evalue}`] };
}

/** How the server reaches the engine and the process (worker_threads in production, plain objects in tests). */
export interface ServerHost {
  toEngine(req: EngineRequest): void;
  /** Interrupts the running cell: SIGINT to our own process (vm breakOnSigint stops synchronous loops). */
  interrupt(): void;
  /** Called after the shutdown reply has left; the host ends the process. */
  shutdown(restart: boolean): void;
  log(text: string): void;
}

export class KernelServer {
  readonly session: string;
  private readonly signer: Signer;
  private readonly shell = new zmq.Router({ linger: 1000 });
  private readonly control = new zmq.Router({ linger: 1000 });
  private readonly stdin = new zmq.Router({ linger: 1000 });
  private readonly iopub = new zmq.Publisher({ linger: 1000 });
  private readonly hb = new zmq.Reply({ linger: 0 });
  private readonly out: { shell: SerialSender; control: SerialSender; stdin: SerialSender; iopub: SerialSender };
  private readonly queue: JupyterMessage[] = [];
  private pumping = false;
  private executionCount = 0;
  private readonly history = new History();
  private readonly comms = new Comms();
  private nextEngineId = 1;
  private readonly engineCalls = new Map<number, (content: any) => void>();
  private engineReady!: Promise<void>;
  private markEngineReady!: () => void;
  private engineIsReady = false;
  /** An execute request interrupted while the engine was still loading: answered as interrupted, never run. */
  private interruptedBeforeStart: string | null = null;
  /** The execute request being run, for routing stdin and late outputs. */
  private current: JupyterMessage | null = null;
  private pendingStream: { parent: MessageHeader | null; name: string; text: string } | null = null;
  private streamTimer: NodeJS.Immediate | null = null;
  private shuttingDown = false;

  constructor(private readonly info: ConnectionInfo, private readonly config: WireConfig, private readonly host: ServerHost) {
    this.signer = new Signer(info.key, info.signature_scheme);
    this.session = `gradlab-${process.pid}-${Date.now().toString(36)}`;
    this.out = {
      shell: new SerialSender(this.shell, this.signer),
      control: new SerialSender(this.control, this.signer),
      stdin: new SerialSender(this.stdin, this.signer),
      iopub: new SerialSender(this.iopub, this.signer),
    };
    this.engineReady = new Promise((resolve) => (this.markEngineReady = resolve));
  }

  async start(): Promise<void> {
    await Promise.all([
      this.shell.bind(endpoint(this.info, "shell")),
      this.control.bind(endpoint(this.info, "control")),
      this.stdin.bind(endpoint(this.info, "stdin")),
      this.iopub.bind(endpoint(this.info, "iopub")),
      this.hb.bind(endpoint(this.info, "hb")),
    ]);
    void this.heartbeat();
    void this.receive(this.shell, "shell");
    void this.receive(this.control, "control");
    void this.receive(this.stdin, "stdin");
    this.publish(null, "status", { execution_state: "starting" });
  }

  /** Events from the engine (main thread). */
  onEngineEvent(ev: EngineEvent): void {
    switch (ev.kind) {
      case "ready":
        this.engineIsReady = true;
        this.markEngineReady();
        break;
      case "iopub":
        this.publish(ev.parent, ev.msgType, ev.content);
        break;
      case "reply": {
        const done = this.engineCalls.get(ev.id);
        this.engineCalls.delete(ev.id);
        done?.(ev.content);
        break;
      }
      case "input_request":
        void this.requestInput(ev.requestId, ev.parent, ev.prompt, ev.password);
        break;
      case "log":
        this.host.log(ev.text);
        break;
    }
  }

  private async heartbeat(): Promise<void> {
    try {
      for await (const frames of this.hb) await this.hb.send(frames);
    } catch (e) {
      if (!this.shuttingDown) this.host.log(`heartbeat stopped: ${(e as Error).message}`);
    }
  }

  private async receive(socket: zmq.Router, channel: "shell" | "control" | "stdin"): Promise<void> {
    try {
      // An unsigned or malformed message is dropped, as the spec asks; say so in the kernel log.
      const dropped = (why: string) => this.host.log(`${channel}: dropped message: ${why}`);
      for await (const msg of receiveMessages(socket, this.signer, channel, dropped)) {
        if (channel === "shell") {
          this.queue.push(msg);
          void this.pump();
        } else if (channel === "control") {
          void this.handleControl(msg);
        } else {
          this.onStdin(msg);
        }
      }
    } catch (e) {
      if (!this.shuttingDown) this.host.log(`${channel} receive loop failed: ${(e as Error).stack}`);
    }
  }

  /** Shell requests run one after another in arrival order (the queue that stop_on_error aborts). */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.shuttingDown) {
        const msg = this.queue.shift()!;
        await this.withStatus(msg, () => this.handleShell(msg, this.replier(msg, this.out.shell)));
      }
    } finally {
      this.pumping = false;
    }
  }

  private replier(msg: JupyterMessage, sender: SerialSender): Reply {
    return async (msgType, content) => {
      this.flushStream();
      await sender.send(replyTo(msg, msgType, content, this.session));
    };
  }

  private async withStatus(msg: JupyterMessage, body: () => Promise<void>): Promise<void> {
    this.publish(msg.header, "status", { execution_state: "busy" });
    try {
      await body();
    } catch (e) {
      this.host.log(`${msg.header.msg_type} failed inside the kernel: ${(e as Error).stack}`);
    } finally {
      this.publish(msg.header, "status", { execution_state: "idle" });
    }
  }

  private async handleShell(msg: JupyterMessage, reply: Reply): Promise<void> {
    const c = msg.content ?? {};
    switch (msg.header.msg_type) {
      case "kernel_info_request":
        return reply("kernel_info_reply", kernelInfo(this.config.versions));
      case "execute_request":
        return this.execute(msg, reply);
      case "complete_request":
        return reply("complete_reply", await this.callEngine({ kind: "complete", id: 0, code: String(c.code ?? ""), cursorPos: c.cursor_pos ?? String(c.code ?? "").length }));
      case "inspect_request":
        return reply("inspect_reply", await this.callEngine({ kind: "inspect", id: 0, code: String(c.code ?? ""), cursorPos: c.cursor_pos ?? 0, detailLevel: c.detail_level ?? 0 }));
      case "is_complete_request":
        return reply("is_complete_reply", await this.callEngine({ kind: "is_complete", id: 0, code: String(c.code ?? "") }));
      case "history_request":
        return this.historyReply(c as HistoryRequest, reply);
      case "comm_info_request":
        return reply("comm_info_reply", { status: "ok", comms: this.comms.info(c.target_name) });
      case "comm_open":
        this.comms.onOpen(String(c.comm_id), String(c.target_name));
        return;
      case "comm_msg": {
        const echo = this.comms.echo(String(c.comm_id), c.data);
        if (echo) this.publish(msg.header, "comm_msg", echo);
        return;
      }
      case "comm_close":
        this.comms.onClose(String(c.comm_id));
        return;
      case "connect_request":
        return reply("connect_reply", {
          status: "ok", shell_port: this.info.shell_port, iopub_port: this.info.iopub_port,
          stdin_port: this.info.stdin_port, control_port: this.info.control_port, hb_port: this.info.hb_port,
        });
      case "shutdown_request":
        return this.shutdown(msg, reply);
      default:
        this.host.log(`shell: no handler for '${msg.header.msg_type}' (ignored)`);
    }
  }

  private async handleControl(msg: JupyterMessage): Promise<void> {
    const reply = this.replier(msg, this.out.control);
    await this.withStatus(msg, async () => {
      switch (msg.header.msg_type) {
        case "interrupt_request":
          // While the engine loads TypeScript, the main thread cannot stop anything yet: remember that the
          // waiting cell was interrupted and answer it so once the engine is ready, without running it.
          if (!this.engineIsReady && this.current?.header.msg_type === "execute_request") {
            this.interruptedBeforeStart = this.current.header.msg_id;
            this.host.log("interrupt while TypeScript is loading: the waiting cell will not run");
          } else {
            this.host.interrupt();
          }
          return reply("interrupt_reply", { status: "ok" });
        case "shutdown_request":
          return this.shutdown(msg, reply);
        case "kernel_info_request":
          return reply("kernel_info_reply", kernelInfo(this.config.versions));
        default:
          this.host.log(`control: no handler for '${msg.header.msg_type}' (ignored)`);
      }
    });
  }

  private historyReply(req: HistoryRequest, reply: Reply): Promise<void> {
    try {
      return reply("history_reply", { status: "ok", history: this.history.query(req) });
    } catch (e) {
      return reply("history_reply", { status: "error", ename: "ValueError", evalue: (e as Error).message, traceback: [] });
    }
  }

  private async execute(msg: JupyterMessage, reply: Reply): Promise<void> {
    const c = msg.content ?? {};
    const code = String(c.code ?? "");
    const silent = Boolean(c.silent);
    const storeHistory = !silent && (c.store_history ?? true);
    if (storeHistory) this.executionCount += 1;
    const count = this.executionCount;
    if (!silent) this.publish(msg.header, "execute_input", { code, execution_count: count });
    if (storeHistory) this.history.add(count, code);
    this.current = msg;
    let outcome: ExecuteOutcome;
    try {
      await this.engineReady;
      outcome = this.interruptedBeforeStart === msg.header.msg_id ? interruptedBeforeStart() : await this.callEngine({
        kind: "execute", id: 0, parent: msg.header, code, silent, executionCount: count,
        allowStdin: Boolean(c.allow_stdin), userExpressions: c.user_expressions ?? {},
      });
    } finally {
      this.current = null;
      this.interruptedBeforeStart = null;
    }
    if (outcome.status === "ok") {
      if (outcome.result && !silent) {
        this.publish(msg.header, "execute_result", { execution_count: count, data: outcome.result, metadata: {} });
        const text = outcome.result["text/plain"];
        if (storeHistory && typeof text === "string") this.history.setOutput(count, text);
      }
      await reply("execute_reply", {
        status: "ok", execution_count: count, user_expressions: outcome.userExpressions, payload: outcome.payload,
      });
      return;
    }
    const error: ErrorContent = { ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback };
    if (!silent) this.publish(msg.header, "error", { ...error });
    await reply("execute_reply", { status: "error", execution_count: count, ...error, user_expressions: {}, payload: [] });
    if (c.stop_on_error ?? true) await this.abortQueued();
  }

  /**
   * stop_on_error: every execute_request that had already arrived when the error happened is answered
   * "aborted" without running. Requests sent after that run normally (no timed blanket abort).
   */
  private async abortQueued(): Promise<void> {
    const queued = this.queue.splice(0, this.queue.length);
    for (const msg of queued) {
      if (msg.header.msg_type !== "execute_request") {
        this.queue.push(msg);
        continue;
      }
      await this.withStatus(msg, () =>
        this.replier(msg, this.out.shell)("execute_reply", { status: "aborted", execution_count: null, user_expressions: {}, payload: [] }));
    }
  }

  private async shutdown(msg: JupyterMessage, reply: Reply): Promise<void> {
    const restart = Boolean(msg.content?.restart);
    await reply("shutdown_reply", { status: "ok", restart });
    this.shuttingDown = true;
    this.publish(msg.header, "status", { execution_state: "idle" });
    await Promise.all(Object.values(this.out).map((s) => s.flush()));
    this.host.shutdown(restart);
  }

  private callEngine<T = any>(req: EngineRequest & { id: number }): Promise<T> {
    const id = this.nextEngineId++;
    return this.engineReady.then(() => new Promise<T>((resolve) => {
      this.engineCalls.set(id, resolve);
      this.host.toEngine({ ...req, id } as EngineRequest);
    }));
  }

  private async requestInput(requestId: number, parent: MessageHeader, prompt: string, password: boolean): Promise<void> {
    const req = this.current;
    if (!req || req.header.msg_id !== parent.msg_id) {
      this.host.toEngine({ kind: "input_reply", requestId, value: "" });
      return;
    }
    const msg = replyTo(req, "input_request", { prompt, password }, this.session);
    this.flushStream();
    // Registered before sending: the reply can be received before the send's promise settles.
    this.pendingInputs.set(msg.header.msg_id, requestId);
    await this.out.stdin.send(msg);
  }

  private readonly pendingInputs = new Map<string, number>();

  private onStdin(msg: JupyterMessage): void {
    if (msg.header.msg_type !== "input_reply") return;
    // jupyter_client's input() (jupyter console) sends the reply without a parent header, as ipykernel
    // accepts; then it answers the one input that is waiting.
    let key = String(msg.parent_header?.msg_id ?? "");
    if (!this.pendingInputs.has(key) && this.pendingInputs.size === 1) key = [...this.pendingInputs.keys()][0];
    const requestId = this.pendingInputs.get(key);
    if (requestId === undefined) return;
    this.pendingInputs.delete(key);
    this.host.toEngine({ kind: "input_reply", requestId, value: String(msg.content?.value ?? "") });
  }

  /** Publishes on iopub; consecutive stream text for the same cell and stream is sent as one message. */
  publish(parent: MessageHeader | null, msgType: string, content: Record<string, unknown>): void {
    if (msgType === "stream") {
      const name = String(content.name);
      const p = this.pendingStream;
      if (p && p.parent?.msg_id === parent?.msg_id && p.name === name) {
        p.text += String(content.text);
        return;
      }
      this.flushStream();
      this.pendingStream = { parent, name, text: String(content.text) };
      this.streamTimer = setImmediate(() => this.flushStream());
      return;
    }
    this.flushStream();
    this.sendIopub(parent, msgType, content);
  }

  private flushStream(): void {
    if (this.streamTimer) clearImmediate(this.streamTimer);
    this.streamTimer = null;
    const p = this.pendingStream;
    if (!p) return;
    this.pendingStream = null;
    this.sendIopub(p.parent, "stream", { name: p.name, text: p.text });
  }

  private sendIopub(parent: MessageHeader | null, msgType: string, content: Record<string, unknown>): void {
    const fake = { header: parent ?? ({} as MessageHeader), identities: [] } as unknown as JupyterMessage;
    const msg = replyTo(fake, msgType, content, this.session);
    if (!parent) msg.parent_header = {};
    msg.header.username = parent?.username ?? "gradlab";
    void this.out.iopub.send(msg);
  }

  async close(): Promise<void> {
    this.shuttingDown = true;
    this.flushStream();
    await Promise.all(Object.values(this.out).map((s) => s.flush()));
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) if (!s.closed) s.close();
  }
}
