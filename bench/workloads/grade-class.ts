/**
 * grade-class: Assignment 1 graded for a class, time per submission, two designs side by side:
 *
 * - gradlab: `gradlab grade`'s class run (grader/batch): --jobs N gradings at once in one process, each
 *   submission in its own sandboxed child, reports written per student, then gradebook.csv, summary.json,
 *   summary.html (charts rendered) and the written-answer pages. A class of GRADLAB_BENCH_CLASS (300).
 * - naive: one fresh `node bin/gradlab.js grade <assignment> <submission>` process per submission, one after
 *   the other (each loads the compiler, compiles the reference and the submission, starts a child), on a
 *   sample of GRADLAB_BENCH_NAIVE (11: one copy of each example) because 300 of them take half an hour.
 *
 * The class is copies of the 11 example submissions, but no two copies are the same file: each has its own
 * student id, its own submission time (some late) and a scratch cell of its own at the end, so every
 * content hash differs and nothing is graded from a memo. (Identical solution cells do compile once: the
 * compiler's output is shared by content, which real classes get for untouched stubs and starter code.)
 * GRADLAB_BENCH_DISTINCT=1 makes every graded program distinct too, as in a real class where each
 * student's code differs: a comment naming the student at the end of the first solution cell.
 * Each timed run grades into a fresh folder.
 */
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { cpus, tmpdir } from "os";
import { join } from "path";
import { loadAssignment } from "../../grader/engine/assignment";
import { sandboxFactory } from "../../grader/engine/factory";
import { collectSubmissions } from "../../grader/batch/collect";
import { defaultJobs, gradeClass } from "../../grader/batch/run";
import { writeClassReports } from "../../grader/class-report/write";
import { compileStats } from "../../grader/program/compile";
import { sandboxStats } from "../../grader/sandbox/sandboxed-program";
import { packageRoot } from "../../lib/data/package-root";
import type { Impl, Measurement, Workload } from "../types";

const ROOT = packageRoot();
const ASSIGNMENT = join(ROOT, "assignments", "assignment1");
const EXAMPLES = join(ASSIGNMENT, "examples");
const CLASS_SIZE = Number(process.env.GRADLAB_BENCH_CLASS ?? 300);
const NAIVE_SIZE = Number(process.env.GRADLAB_BENCH_NAIVE ?? 11);
const JOBS = Number(process.env.GRADLAB_BENCH_JOBS ?? 0) || undefined;
const DISTINCT = process.env.GRADLAB_BENCH_DISTINCT === "1";

/** The first solution cell (nbgrader's metadata): where a distinct copy gets its comment. */
function firstSolutionCell(nb: { cells: Array<{ metadata?: { nbgrader?: { solution?: boolean } }; source: string | string[] }> }) {
  const cell = nb.cells.find((c) => c.metadata?.nbgrader?.solution);
  if (!cell) throw new Error("an example notebook has no solution cell");
  return cell;
}

/** n submissions, student-0001 ... : copies of the examples, each with its own scratch cell and time
 *  (and with `distinct`, its own graded code). */
export function makeClass(dir: string, n: number, distinct = DISTINCT): { dir: string; times: Map<string, string> } {
  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith(".ipynb")).sort();
  mkdirSync(dir, { recursive: true });
  const due = Date.parse(JSON.parse(readFileSync(join(ASSIGNMENT, "assignment.json"), "utf8")).due);
  const times = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const nb = JSON.parse(readFileSync(join(EXAMPLES, examples[i % examples.length]), "utf8"));
    const id = `student-${String(i + 1).padStart(4, "0")}`;
    if (distinct) {
      const cell = firstSolutionCell(nb);
      cell.source = [cell.source].flat().join("") + `\n// ${id}'s own code\n`;
    }
    nb.cells.push({ cell_type: "code", id: `scratch-${i}`, metadata: {}, execution_count: null, outputs: [], source: `// scratch work of ${id}\nconst tried${i} = ${i};\n` });
    writeFileSync(join(dir, `${id}.ipynb`), JSON.stringify(nb, null, 1));
    // From two days early to two days late, 7 minutes apart per student modulo that window.
    times.set(id, new Date(due - 2 * 86_400_000 + ((i * 7 * 60_000 * 37) % (4 * 86_400_000))).toISOString());
  }
  return { dir, times };
}

/** CPU seconds of this process and of its finished children (Linux /proc; zeros elsewhere). */
export function cpuSeconds(): { self: number; children: number } {
  try {
    const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    // Fields 14-17 of stat (utime stime cutime cstime) are 12-15 here, in clock ticks (100 per second on Linux).
    return { self: (Number(f[11]) + Number(f[12])) / 100, children: (Number(f[13]) + Number(f[14])) / 100 };
  } catch {
    return { self: 0, children: 0 };
  }
}

/** Which examples' copies score other than their .expected.json says (question by question). */
function expectedMismatches(out: string, n: number): string[] {
  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith(".ipynb")).sort();
  const wrong: string[] = [];
  for (let i = 0; i < Math.min(n, examples.length); i++) {
    const name = examples[i].replace(/\.ipynb$/, "");
    const expected = JSON.parse(readFileSync(join(EXAMPLES, `${name}.expected.json`), "utf8")).scores as Record<string, number | null>;
    const got = JSON.parse(readFileSync(join(out, `student-${String(i + 1).padStart(4, "0")}`, "grade.json"), "utf8")).result.questions as Array<{ id: string; score: number }>;
    for (const q of got) if (expected[q.id] !== null && expected[q.id] !== q.score) wrong.push(`${name} ${q.id}: ${q.score}, expected ${expected[q.id]}`);
  }
  return wrong;
}

function gradlabImpl(name: string, assignmentDir: (work: string) => string): Impl {
  return {
  name,
  async measure(runs: number): Promise<Measurement> {
    const work = mkdtempSync(join(tmpdir(), "gradlab-bench-class-"));
    try {
      const { dir, times } = makeClass(join(work, "class"), CLASS_SIZE);
      const assignment = loadAssignment(assignmentDir(work));
      const factory = sandboxFactory();
      const items = collectSubmissions([dir]).map((it) => ({ ...it, submittedAt: times.get(it.id) }));
      const times_ms: number[] = [];
      for (let r = 0; r < runs; r++) {
        const out = join(work, `reports-${r}`);
        const before = { ...compileStats }, children0 = { ...sandboxStats }, cpu0 = cpuSeconds();
        const started = performance.now();
        let testsMs = 0, trainingMs = 0, timeoutMs = 0;
        const summary = await gradeClass(assignment, items, factory, {
          out, jobs: JOBS,
          onDone: (e) => {
            for (const t of e.result?.tests ?? []) {
              testsMs += t.durationMs;
              if (/^trainTwoLayer/.test(t.name) && t.durationMs > 200) trainingMs += t.durationMs;
              if (t.outcome === "timeout") timeoutMs += t.durationMs;
            }
          },
        });
        const reportsAt = performance.now();
        await writeClassReports(out, assignment.config);
        const ms = performance.now() - started, cpu1 = cpuSeconds();
        process.stderr.write(`grade-class ${name}: CPU ${(cpu1.self - cpu0.self).toFixed(1)} s in the grader, ` +
          `${((sandboxStats.cpuMs - children0.cpuMs) / 1000).toFixed(1)} s in ${sandboxStats.started - children0.started} sandboxed children (read from /proc before each was ended); ` +
          `wall time in tests ${(testsMs / 1000).toFixed(1)} s (training tests ${(trainingMs / 1000).toFixed(1)} s, timeouts ${(timeoutMs / 1000).toFixed(1)} s); class reports ${((ms - (reportsAt - started)) / 1000).toFixed(1)} s\n`);
        if (summary.graded !== CLASS_SIZE) throw new Error(`graded ${summary.graded} of ${CLASS_SIZE}`);
        const wrong = expectedMismatches(out, CLASS_SIZE);
        if (wrong.length) process.stderr.write(`grade-class ${name}: copies scoring other than their example's .expected.json: ${wrong.join("; ")}\n`);
        process.stderr.write(`grade-class ${name}: ${CLASS_SIZE} submissions with reports in ${(ms / 1000).toFixed(1)} s ` +
          `(jobs ${JOBS ?? defaultJobs()}, ${cpus().length} cores; compiled ${compileStats.compiled - before.compiled}, reused ${compileStats.reused - before.reused})\n`);
        times_ms.push(ms / CLASS_SIZE);
      }
      return { times_ms };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
  };
}

const naiveImpl: Impl = {
  name: "naive",
  async measure(runs: number): Promise<Measurement> {
    const work = mkdtempSync(join(tmpdir(), "gradlab-bench-naive-"));
    try {
      const { dir, times } = makeClass(join(work, "class"), NAIVE_SIZE);
      const times_ms: number[] = [];
      for (let r = 0; r < runs; r++) {
        const started = performance.now(), cpu0 = cpuSeconds();
        for (const file of readdirSync(dir).sort()) {
          const id = file.replace(/\.ipynb$/, "");
          const p = spawnSync(process.execPath, [join(ROOT, "bin", "gradlab.js"), "grade", ASSIGNMENT, join(dir, file), "--out", join(work, `naive-${r}`, id), "--submitted-at", times.get(id)!], { encoding: "utf8" });
          if (p.status !== 0) throw new Error(`naive grading of ${file} failed: ${p.stderr}`);
        }
        const ms = performance.now() - started;
        const cpu1 = cpuSeconds();
        process.stderr.write(`grade-class naive: ${NAIVE_SIZE} submissions one by one, a fresh process each, in ${(ms / 1000).toFixed(1)} s, CPU ${(cpu1.children - cpu0.children).toFixed(1)} s\n`);
        times_ms.push(ms / NAIVE_SIZE);
      }
      return { times_ms };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};

export const workload: Workload = {
  name: "grade-class",
  description: `Assignment 1 graded with reports, ms per submission: a class of ${CLASS_SIZE} (gradlab, parallel, sandboxed) vs a fresh process per submission one by one (naive, ${NAIVE_SIZE})`,
  defaultRuns: 1,
  impls: [
    gradlabImpl("gradlab", () => ASSIGNMENT),
    naiveImpl,
  ],
};
