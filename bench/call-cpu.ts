/**
 * call-cpu: the CPU time of every call into student code while Assignment 1's reference notebook and its
 * example submissions are graded, each in a fresh sandboxed child as `gradlab grade` runs it (the same
 * factory, limits and tests). This is what `timeout_ms` (a budget of CPU time) is chosen from.
 *
 *   node dist/bench/call-cpu.js [rounds]      (after `npm run build`; default 3 rounds)
 *
 * Prints, per submission and round, the CPU of starting the child and loading the program, the slowest
 * calls outside the training tests (those have their own `timeout`), and the training calls; then the
 * slowest of each over all rounds. CPU is read through /proc in 10 ms ticks; wall-clock time is beside it.
 */
import { readdirSync } from "fs";
import { join } from "path";
import { toInput } from "../grader/cli/grade";
import { loadAssignment } from "../grader/engine/assignment";
import { sandboxFactory } from "../grader/engine/factory";
import { gradeSubmission, type ProgramFactory } from "../grader/engine/grade";
import { procCpuMeter, type CpuMeter } from "../grader/sandbox/child-cpu";
import type { Reply } from "../grader/sandbox/wire";
import { SandboxedProgram, type SandboxOptions } from "../grader/sandbox/sandboxed-program";
import { packageRoot } from "../lib/data/package-root";

const ASSIGNMENT = join(packageRoot(), "assignments", "assignment1");
const EXAMPLES = join(ASSIGNMENT, "examples");

interface Call {
  what: string;
  cpuMs: number;
  wallMs: number;
  budgetMs: number;
  test?: string;
  question?: string;
}

/**
 * A SandboxedProgram that notes each request's CPU time (requests that got an answer), apart from the
 * start and load of each child (a request of its own, with its own allowance).
 */
class MeasuredProgram extends SandboxedProgram {
  readonly calls: Call[] = [];
  /** CPU of starting each child and loading the program (a new child after each timeout). */
  readonly loadsCpuMs: number[] = [];
  private meter: CpuMeter | null = null;
  private loadedAtMs = 0;
  private budgetMs = 0;

  constructor(file: string, opts: SandboxOptions) {
    super(file, { ...opts, cpuMeter: (pid) => (this.meter = this.noteLoads(procCpuMeter(pid))) });
  }

  /** The meter, and the CPU used when the child answered its load (SandboxedProgram settles it then). */
  private noteLoads(meter: CpuMeter | null): CpuMeter | null {
    if (!meter) return null;
    return {
      usedMs: () => meter.usedMs(),
      settle: () => {
        this.loadedAtMs = meter.usedMs() ?? 0;
        this.loadsCpuMs.push(this.loadedAtMs);
        meter.settle();
      },
      close: () => meter.close(),
    };
  }

  setTimeout(ms: number): void {
    this.budgetMs = ms;
    super.setTimeout(ms);
  }

  protected async exchange(id: number, line: string, batch: boolean): Promise<Reply> {
    const meter = this.meter, before = meter?.usedMs() ?? 0, started = performance.now();
    const reply = await super.exchange(id, line, batch);
    const after = this.meter?.usedMs();
    if (after != null) {
      // A new child for this call (after a timeout): what it used after its load.
      const cpuMs = after - (this.meter === meter ? before : this.loadedAtMs);
      this.calls.push({ what: describeRequest(line), cpuMs, wallMs: performance.now() - started, budgetMs: this.budgetMs });
    }
    return reply;
  }
}

function describeRequest(line: string): string {
  const r = JSON.parse(line) as { op: string; name?: string; method?: string; calls?: unknown[] };
  return [r.op, r.name ?? r.method, r.calls ? `${r.calls.length} calls` : undefined].filter(Boolean).join(" ");
}

async function measure(name: string, file: string, assignment: ReturnType<typeof loadAssignment>): Promise<MeasuredProgram> {
  const base = sandboxFactory();
  let program!: MeasuredProgram;
  const factory: ProgramFactory = {
    ...base,
    // As sandboxFactory makes it (limits, environment, start-up allowance), measured.
    student: (jsFile) => (program = new MeasuredProgram(jsFile, { startupMs: 5000 })),
  };
  await gradeSubmission(assignment, toInput(file, name), factory, {
    onTest: (t) => {
      for (const c of program.calls) {
        c.test ??= t.name;
        c.question ??= t.question;
      }
    },
  });
  return program;
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const assignment = loadAssignment(ASSIGNMENT);
  const subjects: Array<[string, string]> = [
    ["reference", join(ASSIGNMENT, "assignment1.ipynb")],
    ...readdirSync(EXAMPLES).filter((f) => f.endsWith(".ipynb")).sort().map((f): [string, string] => [f.replace(/\.ipynb$/, ""), join(EXAMPLES, f)]),
  ];
  const worst = { load: [] as Array<[number, string]>, call: [] as Array<[number, string]>, training: [] as Array<[number, string]> };
  // Per question, the slowest call under the question's own budget: what a question's timeout_ms is chosen from.
  const byQuestion = new Map<string, { budgetMs: number; slowest: [number, string] }>();
  for (let round = 1; round <= rounds; round++) {
    for (const [name, file] of subjects) {
      const p = await measure(name, file, assignment);
      const training = p.calls.filter((c) => c.budgetMs > assignment.config.timeoutMs);
      const ordinary = p.calls.filter((c) => c.budgetMs <= assignment.config.timeoutMs).sort((a, b) => b.cpuMs - a.cpuMs);
      const top = ordinary.slice(0, 3).map((c) => `${ms(c.cpuMs)} (wall ${ms(c.wallMs)}) ${c.what} in "${c.test}"`);
      const trainCpu = training.reduce((s, c) => Math.max(s, c.cpuMs), 0);
      const load = Math.max(0, ...p.loadsCpuMs);
      console.log(`round ${round} ${name}: start + load ${p.loadsCpuMs.length ? `${ms(load)} (${p.loadsCpuMs.length} children)` : "none"}; ${ordinary.length} calls, slowest ${top.join("; ") || "none"}` +
        (training.length ? `; training: slowest ${ms(trainCpu)} of CPU` : ""));
      if (p.loadsCpuMs.length) worst.load.push([load, name]);
      if (ordinary[0]) worst.call.push([ordinary[0].cpuMs, `${name}: ${ordinary[0].what} in "${ordinary[0].test}"`]);
      if (training.length) worst.training.push([trainCpu, name]);
      for (const c of ordinary) {
        if (!c.question) continue;
        const q = byQuestion.get(c.question);
        if (!q || c.cpuMs > q.slowest[0]) byQuestion.set(c.question, { budgetMs: c.budgetMs, slowest: [c.cpuMs, `${name}: ${c.what} in "${c.test}"`] });
      }
    }
  }
  for (const [what, list] of Object.entries(worst)) {
    const sorted = list.sort((a, b) => b[0] - a[0]);
    console.log(`slowest ${what} over ${rounds} rounds: ${sorted.slice(0, 3).map(([c, n]) => `${ms(c)} (${n})`).join(", ")}`);
  }
  for (const [question, { budgetMs, slowest: [cpu, what] }] of byQuestion) {
    console.log(`question ${question} (budget ${ms(budgetMs)}): slowest call ${ms(cpu)}, ${(budgetMs / Math.max(cpu, 10)).toFixed(0)}× under its budget (${what})`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
