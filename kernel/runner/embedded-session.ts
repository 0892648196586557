/**
 * The default way to run a notebook: the runner starts the kernel process itself and talks ZeroMQ to
 * it with gradlab's KernelClient. No Python, no Jupyter server. The gradlab kernel is built in; any
 * other installed kernelspec (`--kernel python3`) is started from its kernel.json argv.
 */
import type { KernelClient as KernelClientType, LaunchOptions } from "../client";
import { findKernelspec } from "./kernelspecs";
import { describeExit } from "./kernel-exit";
import { ExecuteReply, KernelDiedError, KernelSession, SessionFactory } from "./session";
import type { IopubMessage } from "./outputs";

/** setTimeout's ceiling (about 24.8 days): the runner owns cell timeouts, the client should not. */
const NO_CLIENT_TIMEOUT = 2 ** 31 - 1;

class EmbeddedKernelSession implements KernelSession {
  private closed = false;

  constructor(
    readonly description: string,
    private client: KernelClientType,
    private readonly launch: LaunchOptions,
    private readonly interruptMode: "signal" | "message",
  ) {}

  async kernelInfo(): Promise<Record<string, any>> {
    const reply = await this.client.request("shell", "kernel_info_request", {}, 30000);
    return reply.content;
  }

  async execute(code: string, onIopub: (msg: IopubMessage) => void): Promise<ExecuteReply> {
    const client = this.client;
    if (!client.alive) {
      throw new KernelDiedError(describeExit(await client.exited, client.stderr, this.launch.argv, this.launch.env));
    }
    const run = client.execute(code, {
      storeHistory: true,
      stopOnError: true,
      timeoutMs: NO_CLIENT_TIMEOUT,
      onOutput: (msg) => onIopub({ msg_type: msg.header.msg_type, content: msg.content }),
    });
    // The client fails pending requests when the process exits; say so in the runner's terms.
    const died = client.exited.then((exit) => {
      throw new KernelDiedError(describeExit(exit, client.stderr, this.launch.argv, this.launch.env));
    });
    const { reply } = await Promise.race([run, died]);
    return reply as ExecuteReply;
  }

  async interrupt(): Promise<void> {
    if (this.interruptMode === "signal" && this.client.pid !== null) {
      process.kill(this.client.pid, "SIGINT");
    } else {
      await this.client.interrupt();
    }
  }

  /** A fresh process: a kernel that ignored its interrupt cannot be trusted to honour a restart message. */
  async restart(): Promise<void> {
    const { KernelClient } = require("../client") as typeof import("../client");
    this.client.kill();
    await this.client.exited;
    await this.client.close();
    this.client = await KernelClient.launch(this.launch);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.client.alive) await this.client.shutdown();
    } catch {
      this.client.kill();
    }
    await this.client.close();
  }
}

export class EmbeddedSessionFactory implements SessionFactory {
  readonly description = "embedded kernel";

  async open(opts: { kernelName: string; cwd: string }): Promise<KernelSession> {
    // Required here, not at the top: the server path must not load the native zeromq binding.
    const { KernelClient } = require("../client") as typeof import("../client");
    const launch: LaunchOptions = { cwd: opts.cwd, startupTimeoutMs: 30000 };
    let description = "embedded gradlab kernel";
    let interruptMode: "signal" | "message" = "message";
    if (opts.kernelName !== "gradlab") {
      const spec = findKernelspec(opts.kernelName);
      launch.argv = spec.argv;
      launch.env = { ...process.env, ...(spec.env ?? {}) };
      description = `embedded kernel '${spec.name}' (${spec.display_name})`;
      interruptMode = spec.interrupt_mode;
    }
    const client = await KernelClient.launch(launch);
    return new EmbeddedKernelSession(description, client, launch, interruptMode);
  }

  async dispose(): Promise<void> {
    // Each session owns its kernel process; nothing is shared.
  }
}
