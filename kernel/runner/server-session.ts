/**
 * Kernel sessions through a Jupyter server (JupyterHub, a lab on a laptop, or the local server that
 * `--jupyter` starts), using the same client library as JupyterLab: @jupyterlab/services over REST
 * and WebSocket. Node supplies `fetch` itself; the `ws` package stands in for the browser WebSocket.
 */
import type { Kernel, KernelMessage } from "@jupyterlab/services";
import { ExecuteReply, KernelDiedError, KernelSession, SessionFactory } from "./session";
import { outOfMemory } from "./kernel-exit";
import type { IopubMessage } from "./outputs";

export interface ServerAddress {
  /** Base URL of the server, e.g. http://127.0.0.1:8888/ or https://hub.example.org/user/ana/ */
  url: string;
  token: string;
  /**
   * Directory the server serves (its root_dir), when it is on this machine. Kernels then start in the
   * notebook's own directory (so `import "./helpers"` works), as they do when a notebook is opened in Lab.
   */
  rootDir?: string;
  /** The server's own output so far, when this process started it (its kernels write there too). */
  log?: () => string;
}

let quieted = false;

/** The library's connection narration, which Node prints into the middle of the runner's report. */
const CHATTER = /^(Starting WebSocket: |Kernel: |Connection lost, reconnecting in |The kernel "[^"]*" does not exist on the server)/;

function services(): typeof import("@jupyterlab/services") {
  if (!quieted) {
    // "Starting WebSocket: ...", "Kernel: idle" (console.debug) and "Connection lost, reconnecting"
    // (console.warn, when a kernel dies and the server restarts it; the runner reports that itself).
    quieted = true;
    for (const level of ["debug", "warn"] as const) {
      const original = console[level].bind(console);
      console[level] = (...args: unknown[]) => {
        if (typeof args[0] === "string" && CHATTER.test(args[0])) return;
        original(...args);
      };
    }
  }
  // Loaded lazily: the embedded path must not pay for (or depend on) the Jupyter client library.
  return require("@jupyterlab/services");
}

export function serverSettings(address: ServerAddress) {
  const { ServerConnection } = services();
  const WebSocket = require("ws");
  const baseUrl = address.url.endsWith("/") ? address.url : address.url + "/";
  return ServerConnection.makeSettings({
    baseUrl,
    wsUrl: baseUrl.replace(/^http/, "ws"),
    token: address.token,
    appendToken: true,
    WebSocket,
    fetch: globalThis.fetch as any,
    Request: (globalThis as any).Request,
    Headers: (globalThis as any).Headers,
  } as any);
}

/** API path of a local directory relative to the server's root, or undefined when outside it. */
function apiPath(rootDir: string | undefined, cwd: string): string | undefined {
  if (!rootDir) return undefined;
  const path = require("path") as typeof import("path");
  const rel = path.relative(path.resolve(rootDir), path.resolve(cwd));
  if (rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join("/");
}

class ServerKernelSession implements KernelSession {
  private closed = false;
  /** Rejects the running cell when the server reports the kernel dead or auto-restarting. */
  private onDeath: ((why: string) => void) | null = null;
  private deathReason: string | null = null;

  constructor(
    readonly description: string,
    private readonly kernel: Kernel.IKernelConnection,
    private readonly manager: Kernel.IManager,
    /** What the server has printed since this kernel started, when known (a private server's log). */
    outputSince: () => string = () => "",
  ) {
    kernel.statusChanged.connect((_sender, status) => {
      // The server restarts a kernel whose process exited ("autorestarting"); its state is gone either way.
      if (status === "autorestarting" || status === "dead") {
        const oom = outOfMemory(outputSince());
        this.deathReason = oom ? `the kernel process ${oom}${status === "autorestarting" ? "; the server is restarting it" : ""}`
          : status === "dead" ? "the server reports the kernel dead" : "the kernel process exited and the server is restarting it";
        this.onDeath?.(this.deathReason);
      }
    });
  }

  async kernelInfo(): Promise<Record<string, any>> {
    const info = await this.kernel.info;
    return info as unknown as Record<string, any>;
  }

  execute(code: string, onIopub: (msg: IopubMessage) => void): Promise<ExecuteReply> {
    if (this.deathReason) return Promise.reject(new KernelDiedError(this.deathReason));
    return new Promise<ExecuteReply>((resolve, reject) => {
      this.onDeath = (why) => reject(new KernelDiedError(why));
      const future = this.kernel.requestExecute({
        code,
        silent: false,
        store_history: true,
        allow_stdin: false,
        stop_on_error: true,
      });
      // Read iopub from the connection, not future.onIOPub: the library routes update_display_data only
      // to the (finished, disposed) future that first showed the display, so a cell updating an
      // earlier cell's chart would lose the update. Here every message of this request is seen as sent.
      const msgId = future.msg.header.msg_id;
      const listener = (_: unknown, msg: KernelMessage.IIOPubMessage) => {
        if ((msg.parent_header as Partial<KernelMessage.IHeader>)?.msg_id !== msgId) return;
        // Like the embedded client: counts come from the reply, so both paths record the same ones.
        if (msg.header.msg_type === "execute_input" || msg.header.msg_type === "status") return;
        onIopub({ msg_type: msg.header.msg_type, content: msg.content as Record<string, any> });
      };
      this.kernel.iopubMessage.connect(listener);
      void future.done.finally(() => this.kernel.iopubMessage.disconnect(listener)).catch(() => undefined);
      // `done` resolves after both the reply and the idle status, so every output is in.
      future.done.then(
        (reply) => {
          this.onDeath = null;
          resolve(reply.content as unknown as ExecuteReply);
        },
        (err: Error) => {
          this.onDeath = null;
          reject(this.deathReason ? new KernelDiedError(this.deathReason) : err);
        },
      );
    });
  }

  /**
   * After an auto-restart the library reconnects on its own, with a promise nobody can catch; disposing
   * the connection mid-reconnect rejects it (an unhandled rejection). So wait until it has settled.
   */
  private reconnectSettled(timeoutMs: number): Promise<void> {
    if (this.kernel.connectionStatus === "connected") return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const kernel = this.kernel;
      function done() {
        clearTimeout(timer);
        kernel.connectionStatusChanged.disconnect(onChange);
        resolve();
      }
      function onChange(_: unknown, status: string) {
        if (status === "connected" || status === "disconnected") done();
      }
      kernel.connectionStatusChanged.connect(onChange);
    });
  }

  async interrupt(): Promise<void> {
    await this.kernel.interrupt();
  }

  async restart(): Promise<void> {
    await this.kernel.restart();
    this.deathReason = null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.deathReason) await this.reconnectSettled(5000);
    const { KernelAPI } = services();
    const id = this.kernel.id;
    // jupyter_server 1.x can fail a DELETE that races its own auto-restart (HTTP 500); try again
    // briefly rather than leave a kernel running on someone else's server.
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        await KernelAPI.shutdownKernel(id, this.kernel.serverSettings);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
    this.kernel.dispose();
    this.manager.dispose();
  }
}

export class ServerSessionFactory implements SessionFactory {
  readonly description: string;

  constructor(private readonly address: ServerAddress, private readonly onDispose?: () => Promise<void>) {
    this.description = `Jupyter server ${address.url}`;
  }

  /** Fails early, in plain words, when the server cannot be reached or refuses the token. */
  async verify(): Promise<void> {
    const url = `${this.address.url.replace(/\/?$/, "/")}api/status`;
    let res: Response;
    try {
      res = await fetch(url, { headers: { Authorization: `token ${this.address.token}` } });
    } catch (err) {
      const cause = (err as { cause?: Error }).cause;
      throw new Error(`cannot reach the Jupyter server at ${this.address.url}: ${cause?.message ?? (err as Error).message}`);
    }
    if (res.status === 401 || res.status === 403) {
      throw new Error(`the Jupyter server at ${this.address.url} rejected the token (HTTP ${res.status})`);
    }
    if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}; is ${this.address.url} a Jupyter server?`);
  }

  async open(opts: { kernelName: string; cwd: string }): Promise<KernelSession> {
    const { KernelManager } = services();
    const manager = new KernelManager({ serverSettings: serverSettings(this.address) });
    await manager.ready;
    const path = apiPath(this.address.rootDir, opts.cwd);
    const log = this.address.log, logStart = log?.().length ?? 0;
    let kernel: Kernel.IKernelConnection;
    try {
      // jupyter_server accepts `path` (the kernel's working directory) next to `name`.
      kernel = await manager.startNew({ name: opts.kernelName, ...(path !== undefined ? { path } : {}) } as any);
    } catch (err) {
      manager.dispose();
      throw new Error(`could not start kernel '${opts.kernelName}' on ${this.address.url}: ${(err as Error).message}`);
    }
    const session = new ServerKernelSession(`kernel '${opts.kernelName}' on ${this.address.url}`, kernel, manager,
      () => log?.().slice(logStart) ?? "");
    await session.kernelInfo();
    return session;
  }

  async dispose(): Promise<void> {
    await this.onDispose?.();
  }
}
