/**
 * `gradlab run --jupyter`: a private Jupyter server for one run. It listens on 127.0.0.1 on a free
 * port with a random token, finds the gradlab kernelspec in a temporary JUPYTER_PATH (nothing is
 * installed in the user's or the system's Jupyter), and is stopped, kernels and all, afterwards.
 * Also used by the tests that drive the kernel through a real server and a real browser.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import { randomBytes } from "crypto";
import { existsSync, mkdtempSync, rmSync } from "fs";
import { createServer } from "net";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { guardedServerArgs } from "./server-guard";

export const DEBIAN_PYTHON = "/usr/bin/python3";

/** The repository (or installed package) root: dist/kernel/runner/x.js or kernel/runner/x.ts, three or two up. */
export function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, "package.json"))) {
    const up = resolve(dir, "..");
    if (up === dir) throw new Error(`cannot find gradlab's package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Writes the gradlab kernelspec under `prefix` with the CLI's own installer (`gradlab kernel install
 * --prefix`), so the spec is exactly what users install. Returns the JUPYTER_PATH entry to use.
 */
export function installKernelspecInto(prefix: string): string {
  const cli = join(packageRoot(), "bin", "gradlab.js");
  const r = spawnSync(process.execPath, [cli, "kernel", "install", "--prefix", prefix], { encoding: "utf8" });
  const dataDir = join(prefix, "share", "jupyter");
  const spec = join(dataDir, "kernels", "gradlab", "kernel.json");
  if (r.status !== 0 || !existsSync(spec)) {
    throw new Error(
      `could not write the gradlab kernelspec into ${prefix} (\`gradlab kernel install --prefix\` ` +
        `exited ${r.status}): ${(r.stderr || r.stdout || "").trim() || "no kernel.json written"}`,
    );
  }
  return dataDir;
}

export interface LocalServerOptions {
  /** Program to run; /usr/bin/python3 (Debian's, with jupyter_server) unless told otherwise. */
  python?: string;
  /** `["-m", "jupyter", "server"]` by default; the browser test uses classic Notebook instead. */
  app?: "server" | "notebook";
  /** Directory the server serves; kernels start in notebooks' own directories below it. */
  rootDir?: string;
  startupTimeoutMs?: number;
}

/**
 * Servers started and not yet stopped. If this process exits without stop() (an uncaught error, a
 * process.exit elsewhere), its exit stops them: TERM to the server's process group (it shuts its kernels
 * down) and the private folder removed, so neither a server nor its files outlive the run.
 */
const running = new Set<LocalJupyterServer>();
let exitHookInstalled = false;

function stopAllOnExit(server: LocalJupyterServer): void {
  running.add(server);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const s of [...running]) s.stopNow();
  });
}

export class LocalJupyterServer {
  /** The one stop under way: a second stop() waits for it instead of returning early. */
  private stopping: Promise<void> | null = null;
  private removed = false;
  private stderrText = "";

  private constructor(
    readonly url: string,
    readonly token: string,
    readonly rootDir: string,
    private readonly child: ChildProcess,
    private readonly tempDir: string,
  ) {
    child.stderr?.on("data", (chunk: Buffer) => {
      // Keep the tail only: the log is for error messages, and a long run must not grow memory.
      this.stderrText = (this.stderrText + chunk.toString()).slice(-20000);
    });
  }

  get log(): string {
    return this.stderrText;
  }

  static async start(opts: LocalServerOptions = {}): Promise<LocalJupyterServer> {
    const python = opts.python ?? DEBIAN_PYTHON;
    const app = opts.app ?? "server";
    const rootDir = resolve(opts.rootDir ?? process.cwd());
    const tempDir = mkdtempSync(join(tmpdir(), "gradlab-jupyter-"));
    let dataDir: string;
    try {
      dataDir = installKernelspecInto(join(tempDir, "prefix"));
    } catch (err) {
      rmSync(tempDir, { recursive: true, force: true });
      throw err;
    }
    const port = await freePort();
    const token = randomBytes(24).toString("hex");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // Ours first; the user's and system's kernelspecs stay visible after it (for --kernel python3).
      JUPYTER_PATH: [dataDir, process.env.JUPYTER_PATH].filter(Boolean).join(":"),
      // A private config and runtime dir: no user password/config changes this server, no stray files.
      JUPYTER_CONFIG_DIR: join(tempDir, "config"),
      JUPYTER_RUNTIME_DIR: join(tempDir, "runtime"),
    };
    const cls = app === "server" ? "ServerApp" : "NotebookApp";
    const serverArgs = [
      "--no-browser",
      `--ip=127.0.0.1`,
      `--port=${port}`,
      `--${cls}.port_retries=0`,
      `--${cls}.token=${token}`,
      `--${cls}.${app === "server" ? "root_dir" : "notebook_dir"}=${rootDir}`,
    ];
    if (process.getuid?.() === 0) serverArgs.push("--allow-root");
    // Under a guard that stops the server if this process dies without stopping it (server-guard.ts).
    const module = app === "server" ? "jupyter_server" : "notebook";
    const args = guardedServerArgs(module, serverArgs, tempDir);
    const command = `${python} -m ${module} ${serverArgs.join(" ").replace(token, "<token>")}`;
    const child = spawn(python, args, { cwd: rootDir, env, stdio: ["ignore", "ignore", "pipe"], detached: true });
    const server = new LocalJupyterServer(`http://127.0.0.1:${port}/`, token, rootDir, child, tempDir);
    stopAllOnExit(server);
    try {
      await server.waitUntilReady(opts.startupTimeoutMs ?? 60000, command);
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  private async waitUntilReady(timeoutMs: number, command: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited: string | null = null;
    this.child.once("exit", (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
    this.child.once("error", (err) => (exited = `could not start: ${err.message}`));
    while (Date.now() < deadline) {
      if (exited) {
        throw new Error(`Jupyter server (${command}) ${exited}:\n${this.stderrText.trim().split("\n").slice(-15).join("\n")}`);
      }
      try {
        const res = await fetch(`${this.url}api/status`, { headers: { Authorization: `token ${this.token}` } });
        if (res.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`Jupyter server (${command}) did not answer on ${this.url} within ${timeoutMs / 1000} s:\n${this.stderrText.trim().split("\n").slice(-15).join("\n")}`);
  }

  /** The folder holding this server's kernelspec, config and runtime files (removed by stop()). */
  get privateDir(): string {
    return this.tempDir;
  }

  /** The server's process id (its process group's too: it is started detached). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Stops the server (it shuts its kernels down on SIGTERM); kills the process group if it hangs. Every
   * caller waits for the same stop (a SIGTERM handler and the run's own cleanup both call it; the one that
   * returned early let the process exit with the folder still there), and the server stays in `running`
   * until its folder is gone, so an exit mid-stop still removes it.
   */
  stop(): Promise<void> {
    this.stopping ??= this.stopAndRemove();
    return this.stopping;
  }

  private async stopAndRemove(): Promise<void> {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
      const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 10000).unref());
      if ((await Promise.race([exited, timer])) === "timeout") {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
        await exited;
      }
    }
    this.remove();
  }

  private remove(): void {
    this.removed = true;
    running.delete(this);
    rmSync(this.tempDir, { recursive: true, force: true });
  }

  /** stop() for a process that is exiting and cannot wait: TERM the group, remove the folder, at once. */
  stopNow(): void {
    if (this.removed) return;
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    }
    this.remove();
  }
}
