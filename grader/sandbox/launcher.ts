/**
 * The launcher: how the child process is started. It picks the strongest isolation the machine offers,
 * bubblewrap > `unshare -rn` > none, and always adds Node's permission model (reads limited to gradlab,
 * the harness and the compiled submission; no writes, no child processes, no workers, no addons), a heap
 * limit and, where `prlimit` works, limits on all memory (typed arrays included), CPU time and file size.
 *
 * Node's permission model alone is not a sandbox (no network restriction, follows symlinks, documented as
 * no defence against malicious code), hence the namespaces. `GRADLAB_SANDBOX=bwrap|unshare|none` forces a
 * choice (tests); `GRADLAB_FULL=1` (CI) makes "no isolation available" an error instead of a warning.
 */
import { packageRoot as libPackageRoot } from "../../lib/data/package-root";
import { spawnSync } from "child_process";
import { existsSync, lstatSync, readFileSync, readlinkSync, realpathSync } from "fs";
import { basename, dirname, join } from "path";
import { FALLBACK_WALL_FACTOR, MIN_WALL_CAP_MS, WALL_CAP_FACTOR } from "./call-budget";
import { procCpuAvailable } from "./child-cpu";
import { currentPack, PACK_FILE } from "./lib-pack";

export type Isolation = "bwrap" | "unshare" | "none";

export interface Limits {
  /** V8's old-space limit (--max-old-space-size). */
  heapMB: number;
  /** Memory the process may write (RLIMIT_DATA): typed arrays live outside the V8 heap. Not RLIMIT_AS:
   *  a WebAssembly memory reserves about 10 GiB of address space (guard regions, never written), so an
   *  address-space limit would cost the child the wasm backend; RLIMIT_DATA counts only what is made
   *  writable, and a typed-array bomb still stops at this limit. */
  memoryMB: number;
  /** CPU seconds over the child's whole life (RLIMIT_CPU): a backstop; the per-request CPU budget
   *  (call-budget.ts) is what normally ends a loop. */
  cpuSeconds: number;
}

export const DEFAULT_LIMITS: Limits = { heapMB: 512, memoryMB: 2048, cpuSeconds: 120 };

/**
 * V8 flags for a process that lives about half a second and spends a third of it in the optimising
 * compiler (docs/grader.md, "Fewer compiler cycles in each child"):
 * - `--single-threaded`: optimise on the main thread. V8's background compile and GC threads cost more
 *   CPU in all than they save in wall time, and a class keeps every core busy anyway.
 * - `--no-turbo-inlining`: optimised functions stay small; inlining the library's drivers into their
 *   callers made each compile several times larger and was not paid back in a run this short.
 * Together about a quarter less CPU per child, results bit for bit the same.
 */
export const CHILD_JIT_FLAGS = ["--single-threaded", "--no-turbo-inlining"];

/** The child's V8 flags: gradlab's pack is made under these (scripts/pack-lib.js), as V8 takes a code
 *  cache only under the flags it was made with. */
export function v8Flags(limits: Limits = DEFAULT_LIMITS): string[] {
  return [`--max-old-space-size=${limits.heapMB}`, ...CHILD_JIT_FLAGS];
}

/** gradlab's entry at run time (package.json "main"): its namespaces load on first use (lib/lazy-index.ts). */
export const RUNTIME_ENTRY = join("dist", "lib", "lazy-index.js");

/** Where things are inside the bubblewrap view. */
const INSIDE = {
  gradlab: "/gradlab/node_modules/gradlab",
  harness: "/gradlab/harness",
  program: "/gradlab/program",
};

// ---------------------------------------------------------------- paths on this machine

/** gradlab's package root, with symlinks resolved (bubblewrap binds real paths). */
export function packageRoot(): string {
  return realpathSync(libPackageRoot());
}

/** The compiled pieces the child needs (always from dist/: the child runs plain Node). */
export function compiledPaths(root = packageRoot()) {
  const paths = {
    root,
    lib: join(root, "dist", "lib"),
    harnessDir: join(root, "dist", "grader", "sandbox"),
    packageJson: join(root, "package.json"),
    data: join(root, "data"),
  };
  for (const p of [join(root, RUNTIME_ENTRY), join(paths.harnessDir, "child.js")]) {
    if (!existsSync(p)) throw new Error(`${p} is missing: run \`npm run build\` (the grading process runs the compiled harness)`);
  }
  return paths;
}

// ---------------------------------------------------------------- what works here (probed once)

const probes = new Map<string, boolean>();

function works(key: string, command: string, args: string[]): boolean {
  if (!probes.has(key)) {
    const r = spawnSync(command, args, { stdio: "ignore", timeout: 15000, env: {} });
    probes.set(key, r.status === 0);
  }
  return probes.get(key)!;
}

function which(name: string): string | null {
  for (const dir of ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

function nodePath(): string {
  return realpathSync(process.execPath);
}

/** The system folders every process needs, as bubblewrap arguments (merged-/usr or not). */
function systemMounts(): string[] {
  const args = ["--ro-bind", "/usr", "/usr"];
  for (const dir of ["/lib", "/lib64", "/lib32", "/bin", "/sbin"]) {
    if (!existsSync(dir)) continue;
    const st = lstatSync(dir);
    if (st.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else args.push("--ro-bind", dir, dir);
  }
  if (existsSync("/etc/ld.so.cache")) args.push("--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache");
  const node = nodePath();
  if (!node.startsWith("/usr/")) args.push("--ro-bind", node, node);
  return args;
}

const BWRAP_NAMESPACES = ["--unshare-all", "--die-with-parent", "--new-session", "--clearenv", "--cap-drop", "ALL"];

function bwrapWorks(): boolean {
  const bwrap = which("bwrap");
  return !!bwrap && works("bwrap", bwrap, [...systemMounts(), "--proc", "/proc", "--dev", "/dev", ...BWRAP_NAMESPACES, nodePath(), "-e", "0"]);
}

function unshareWorks(): boolean {
  const unshare = which("unshare");
  return !!unshare && works("unshare", unshare, ["-rn", "--", nodePath(), "-e", "0"]);
}

/** The prlimit options that this machine accepts (an unprivileged user cannot raise a hard limit). */
function prlimitOptions(limits: Limits): string[] {
  const prlimit = which("prlimit");
  if (!prlimit) return [];
  // CPU: soft limit N sends SIGXCPU (reported as the CPU limit), the hard limit N+1 a SIGKILL after it.
  const wanted = [`--data=${limits.memoryMB * 1024 * 1024}`, `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`, "--fsize=0", "--core=0"];
  // RLIMIT_NPROC is left out on purpose: it counts every process and thread of the *user*, not of the
  // sandbox (a TA's desktop would fail to start node), and root ignores it. The permission model forbids
  // child processes and workers, and bubblewrap's pid namespace dies with the sandbox.
  return wanted.filter((opt) => works(`prlimit ${opt}`, prlimit, [opt, "--", nodePath(), "-e", "0"]));
}

/** What this machine offers (probed once; tests pass their own to see every branch). */
export interface Availability {
  bwrap(): boolean;
  unshare(): boolean;
}
const PROBES: Availability = { bwrap: bwrapWorks, unshare: unshareWorks };

/** The isolation to use. Throws when a forced one is unavailable, or none is under GRADLAB_FULL=1. */
export function chooseIsolation(env: NodeJS.ProcessEnv = process.env, available: Availability = PROBES): Isolation {
  const forced = env.GRADLAB_SANDBOX;
  if (forced) {
    if (forced === "none") return "none";
    if (forced === "bwrap" && available.bwrap()) return "bwrap";
    if (forced === "unshare" && available.unshare()) return "unshare";
    if (forced !== "bwrap" && forced !== "unshare") throw new Error(`GRADLAB_SANDBOX=${forced}: use bwrap, unshare or none`);
    throw new Error(`GRADLAB_SANDBOX=${forced}, but ${forced} does not work on this machine`);
  }
  if (available.bwrap()) return "bwrap";
  if (available.unshare()) return "unshare";
  if (env.GRADLAB_FULL === "1") {
    throw new Error("GRADLAB_FULL=1: neither bubblewrap nor `unshare -rn` works here, and student code must not run unsandboxed in CI");
  }
  return "none";
}

/** The report header's line about where student code ran, and how its calls are timed. */
export function describeSandbox(limits: Limits = DEFAULT_LIMITS, env: NodeJS.ProcessEnv = process.env, cpuMeasurable = procCpuAvailable()): string {
  const isolation = chooseIsolation(env);
  const timing = cpuMeasurable
    ? `; call budgets in CPU time (a call that waits ends after ${WALL_CAP_FACTOR}× its budget, at least ${MIN_WALL_CAP_MS / 1000} s)`
    : `; call budgets in wall-clock time (${FALLBACK_WALL_FACTOR}× the budget: CPU time cannot be measured on this machine)`;
  const prlimit = prlimitOptions(limits);
  const resources = prlimit.length
    ? ` + prlimit (memory ${prlimit.some((o) => o.startsWith("--data")) ? `${limits.memoryMB} MB` : "unlimited"}, ` +
      `CPU ${prlimit.some((o) => o.startsWith("--cpu")) ? `${limits.cpuSeconds} s` : "unlimited"}, heap ${limits.heapMB} MB)`
    : ` (heap ${limits.heapMB} MB; no prlimit: typed arrays and CPU time are not limited)`;
  if (isolation === "bwrap") return `bubblewrap (no network, read-only view) + Node permission model${resources}${timing}`;
  if (isolation === "unshare") return `unshare -rn (no network) + Node permission model${resources}${timing}`;
  return `UNSANDBOXED: no bubblewrap or unshare on this machine; only Node's permission model, which is no defence against malicious code${resources}${timing}`;
}

// ---------------------------------------------------------------- the command line

export interface LaunchPlan {
  command: string;
  args: string[];
  isolation: Isolation;
  /** Whether the exit status is the child's own (false: bubblewrap reports a signal as 128 + n). */
  directExit: boolean;
}

/**
 * The command that starts the harness on `programFile`. The program's folder is made readable to the
 * child: it must hold only the compiled submission (never the reference, tests or bundle).
 */
export function planLaunch(programFile: string, limits: Limits = DEFAULT_LIMITS, env: NodeJS.ProcessEnv = process.env): LaunchPlan {
  const isolation = chooseIsolation(env);
  const paths = compiledPaths();
  const program = realpathSync(programFile);
  const programDir = dirname(program);
  const node = nodePath();

  const inside =
    isolation === "bwrap"
      ? { gradlab: INSIDE.gradlab, harness: INSIDE.harness, program: join(INSIDE.program, basename(program)), programDir: INSIDE.program }
      : { gradlab: paths.root, harness: paths.harnessDir, program, programDir };
  const gradlabReadable =
    isolation === "bwrap"
      ? [inside.gradlab]
      : [paths.lib, paths.packageJson, ...(existsSync(paths.data) ? [paths.data] : [])];

  const nodeArgs = [
    "--experimental-permission",
    // One flag per path: Node 20.20 reads a comma as part of the path.
    ...[...gradlabReadable, inside.harness, inside.programDir].map((p) => `--allow-fs-read=${p}`),
    "--no-addons",
    ...v8Flags(limits),
    "--disable-warning=ExperimentalWarning",
    join(inside.harness, "child.js"),
    inside.program,
    join(inside.gradlab, RUNTIME_ENTRY),
    ...(currentPack(paths.lib) ? [join(inside.gradlab, "dist", "lib", PACK_FILE)] : []),
  ];
  const prlimit = prlimitOptions(limits);
  const limited = prlimit.length ? [which("prlimit")!, ...prlimit, "--", node, ...nodeArgs] : [node, ...nodeArgs];

  if (isolation === "bwrap") {
    const mounts = [
      ...systemMounts(),
      "--ro-bind", paths.lib, join(INSIDE.gradlab, "dist", "lib"),
      "--ro-bind", paths.packageJson, join(INSIDE.gradlab, "package.json"),
      ...(existsSync(paths.data) ? ["--ro-bind", paths.data, join(INSIDE.gradlab, "data")] : []),
      "--ro-bind", paths.harnessDir, INSIDE.harness,
      "--ro-bind", programDir, INSIDE.program,
      "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", "/tmp",
    ];
    return { command: which("bwrap")!, args: [...mounts, ...BWRAP_NAMESPACES, "--", ...limited], isolation, directExit: false };
  }
  if (isolation === "unshare") {
    return { command: which("unshare")!, args: ["-rn", "--", ...limited], isolation, directExit: true };
  }
  return { command: limited[0], args: limited.slice(1), isolation, directExit: true };
}
