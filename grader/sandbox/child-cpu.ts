/**
 * The CPU time a sandboxed child has used, read from outside through /proc (Linux). The spawned process
 * is bubblewrap (whose child is a second bwrap, whose child is node), `unshare` or prlimit (which exec
 * node), or node itself, so the child's CPU is the sum over the spawned process and its descendants.
 * Node's own helper threads (GC, compiler) are counted in its process's figures.
 *
 * The tree is looked up while the child is starting (bubblewrap forks node after we spawn it) and kept
 * once the child has answered: node cannot start processes (the permission model forbids it), so the
 * tree cannot grow afterwards. Its stat files are then kept open and re-read in place: every request reads
 * them once, and a class makes tens of thousands of requests.
 */
import { spawnSync } from "child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from "fs";

export interface CpuMeter {
  /** CPU time used so far by the child's processes, in ms; null when it can no longer be read. */
  usedMs(): number | null;
  /** The child is running (it answered): its process tree is complete, stop looking for new members. */
  settle(): void;
  /** The child has ended: let go of what was kept open. */
  close(): void;
}

/** A meter for the child spawned as `pid`, or null where its CPU time cannot be measured. */
export type CpuMeterFactory = (pid: number) => CpuMeter | null;

/** Whether this machine lets the grader read a process's CPU time (Linux with /proc mounted). */
export function procCpuAvailable(): boolean {
  return process.platform === "linux" && existsSync(`/proc/${process.pid}/stat`);
}

/** The meter of a child on this machine: /proc where it is readable, else null (wall-clock time only). */
export const procCpuMeter: CpuMeterFactory = (pid) => {
  if (!procCpuAvailable() || readStat(pid) === null) return null;
  let kept: StatFile[] | null = null;
  let last = 0;
  return {
    usedMs() {
      const ticks = sumTicks(kept ? kept.map((f) => f.read()) : processTree(pid).map(readStat));
      if (ticks === null) return null;
      // A member that ended and was reaped moves into its parent's cutime only once; never go backwards.
      last = Math.max(last, (ticks * 1000) / clockTicksPerSecond());
      return last;
    },
    settle() {
      kept ??= processTree(pid).flatMap((p) => StatFile.open(p) ?? []);
    },
    close() {
      for (const f of kept ?? []) f.close();
      kept = [];
    },
  };
};

/** `pid` and all its descendants (those alive now). */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...childrenOf(tree[i]));
  return tree;
}

/** The CPU ticks of the stat lines that could be read (null: none could). */
function sumTicks(stats: Array<string | null>): number | null {
  let sum: number | null = null;
  for (const stat of stats) {
    const ticks = stat === null ? null : ticksOf(stat);
    if (ticks !== null) sum = (sum ?? 0) + ticks;
  }
  return sum;
}

/** /proc/<pid>/stat, or null when the process is gone. */
function readStat(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return null;
  }
}

const statBuffer = Buffer.alloc(4096);

/** A stat file kept open: a read at offset 0 regenerates it (one system call), and fails once the process is gone. */
class StatFile {
  private constructor(private fd: number | null) {}

  static open(pid: number): StatFile | null {
    try {
      return new StatFile(openSync(`/proc/${pid}/stat`, "r"));
    } catch {
      return null;
    }
  }

  read(): string | null {
    if (this.fd === null) return null;
    try {
      return statBuffer.toString("latin1", 0, readSync(this.fd, statBuffer, 0, statBuffer.length, 0));
    } catch {
      return null;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Fields 3 onwards of a stat line (the command name before them may hold spaces and parentheses). */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** utime + stime + cutime + cstime (fields 14-17) in clock ticks: the process's CPU and its reaped children's. */
function ticksOf(stat: string): number | null {
  const f = statFields(stat);
  const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  return Number.isFinite(ticks) ? ticks : null;
}

let childrenFiles: boolean | undefined;

function childrenOf(pid: number): number[] {
  // /proc/<pid>/task/<tid>/children needs CONFIG_PROC_CHILDREN; without it, every process's parent is read.
  childrenFiles ??= existsSync(`/proc/${process.pid}/task/${process.pid}/children`);
  if (!childrenFiles) return childrenByScan(pid);
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      out.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ").filter(Boolean).map(Number));
    }
  } catch {
    // gone meanwhile
  }
  return out;
}

function childrenByScan(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat !== null && Number(statFields(stat)[1]) === pid) out.push(Number(entry)); // field 4: the parent's pid
  }
  return out;
}

let ticksPerSecond: number | undefined;

/** USER_HZ (100 on Linux, whatever the kernel's own tick rate), asked of getconf once. */
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8", env: {} });
    const n = Number(r.stdout?.trim());
    ticksPerSecond = r.status === 0 && n > 0 ? n : 100;
  }
  return ticksPerSecond;
}
