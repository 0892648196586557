/**
 * `gradlab run`: executes notebooks headless (see HELP in options.ts and docs/runner.md). This file
 * wires the parts together: find notebooks, pick the kernel transport, run up to --jobs notebooks at
 * a time, write each executed copy safely, report, and exit 0 only when everything succeeded.
 */
import { readFileSync } from "fs";
import { dirname, sep } from "path";
import { executeNotebook } from "./execute-notebook";
import {
  checkDistinctOutputs,
  collectNotebooks,
  displayPath,
  failedOutputPathFor,
  NotebookJob,
  outputPathFor,
  writeFileAtomic,
} from "./files";
import { Notebook, NotebookFormatError, parseNotebook, serializeNotebook } from "./nbformat";
import { HELP, parseRunArgs, RunCliOptions, UsageError } from "./options";
import { failureReport, NotebookSummary, progressLine, summaryTable } from "./report";
import { jsonReport, junitReport } from "./machine-reports";
import type { KernelSession, SessionFactory } from "./session";

export interface RunIo {
  out: (line: string) => void;
  err: (line: string) => void;
  colour: boolean;
}

const defaultIo: RunIo = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
  colour: Boolean(process.stderr.isTTY),
};

/** The deepest folder containing every path (the local server's root, so all notebooks are under it). */
function commonFolder(paths: string[]): string {
  const parts = paths.map((p) => dirname(p).split(sep));
  const common: string[] = [];
  for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0][i]); i++) common.push(parts[0][i]);
  return common.join(sep) || sep;
}

async function openFactory(o: RunCliOptions, jobs: NotebookJob[]): Promise<SessionFactory> {
  if (o.server !== null) {
    const { ServerSessionFactory } = require("./server-session") as typeof import("./server-session");
    const factory = new ServerSessionFactory({ url: o.server, token: o.token ?? "" });
    await factory.verify();
    return factory;
  }
  if (o.jupyter) {
    const { LocalJupyterServer } = require("./local-jupyter") as typeof import("./local-jupyter");
    const { ServerSessionFactory } = require("./server-session") as typeof import("./server-session");
    const server = await LocalJupyterServer.start({ rootDir: commonFolder(jobs.map((j) => j.source)) });
    return new ServerSessionFactory({ url: server.url, token: server.token, rootDir: server.rootDir, log: () => server.log }, () => server.stop());
  }
  // Loaded on demand: the embedded path needs the native zeromq binding, the server path does not.
  const { EmbeddedSessionFactory } = require("./embedded-session") as typeof import("./embedded-session");
  return new EmbeddedSessionFactory();
}

async function runOne(job: NotebookJob, o: RunCliOptions, factory: SessionFactory, io: RunIo): Promise<NotebookSummary> {
  const started = Date.now();
  const summary: NotebookSummary = {
    label: job.label, status: "not run", cellsDone: 0, cellsTotal: 0, elapsedMs: 0, written: null, failures: [],
  };
  let source: Notebook;
  try {
    source = parseNotebook(readFileSync(job.source, "utf8"), job.label);
  } catch (err) {
    summary.status = "malformed";
    summary.problem = err instanceof NotebookFormatError ? err.message.replace(`${job.label}: `, "") : (err as Error).message;
    summary.problem += " (left untouched)";
    return summary;
  }
  const kernelName = o.kernel ?? source.metadata.kernelspec?.name ?? "gradlab";
  let lastProgress = 0;
  const onProgress = (done: number, total: number) => {
    summary.cellsTotal = total;
    const now = Date.now();
    // One line per second at most per notebook, plus the first and the last.
    if (!o.quiet && (done === 0 || done === total || now - lastProgress >= 1000)) {
      lastProgress = now;
      io.err(progressLine(job.label, done, total, now - started));
    }
  };
  let session;
  try {
    session = await factory.open({ kernelName, cwd: dirname(job.source) });
  } catch (err) {
    summary.problem = `could not start kernel '${kernelName}': ${(err as Error).message}`;
    summary.status = "failed";
    summary.elapsedMs = Date.now() - started;
    return summary;
  }
  try {
    const run = await executeNotebook(source, session, {
      timeoutMs: o.timeoutMs,
      allowErrors: o.allowErrors,
      check: o.check,
      parameters: o.parameters,
      kernelName,
      onProgress,
    });
    summary.cellsDone = run.cellsDone;
    summary.cellsTotal = run.cellsTotal;
    summary.failures = run.failures;
    summary.status = run.kernelLost && run.failures.some((f) => f.kind === "dead-kernel") ? "kernel died" : run.failures.length ? "failed" : "ok";
    const target = summary.status === "ok" ? outputPathFor(job, o) : failedOutputPathFor(job, o);
    if (target !== null) {
      writeFileAtomic(target, serializeNotebook(run.notebook));
      summary.written = displayPath(target);
    }
  } catch (err) {
    summary.status = "failed";
    summary.problem = `the run stopped: ${(err as Error).message}`;
  } finally {
    await session.close().catch(() => undefined);
  }
  summary.elapsedMs = Date.now() - started;
  return summary;
}

/** Runs the jobs with at most `limit` at once; results keep the jobs' order. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function runCommand(args: string[], io: RunIo = defaultIo): Promise<number> {
  let o: RunCliOptions;
  let jobs: NotebookJob[];
  try {
    o = parseRunArgs(args);
    if (o.help) {
      io.out(HELP);
      return 0;
    }
    jobs = collectNotebooks(o.inputs, o.outDir);
    for (const job of jobs) {
      if (!o.inplace && outputPathFor(job, o) === job.source) {
        throw new UsageError(`${job.label} would be overwritten by its own executed copy; use --inplace to mean that`);
      }
    }
    checkDistinctOutputs(jobs, (job) => outputPathFor(job, o));
  } catch (err) {
    io.err(`gradlab run: ${(err as Error).message}`);
    if (err instanceof UsageError) io.err("Run `gradlab run --help` for the options.");
    return 2;
  }

  let factory: SessionFactory;
  try {
    factory = await openFactory(o, jobs);
  } catch (err) {
    io.err(`gradlab run: ${(err as Error).message}`);
    return 1;
  }
  // Ctrl-C or a TERM (`timeout`, a batch system): stop the kernels and a private server rather than leave
  // them, their connection files and the server's folder behind us.
  const open = new Set<KernelSession>();
  const tracked: SessionFactory = {
    description: factory.description,
    open: async (opts) => {
      const session = await factory.open(opts);
      open.add(session);
      const close = session.close.bind(session);
      session.close = async () => {
        open.delete(session);
        await close();
      };
      return session;
    },
    dispose: () => factory.dispose(),
  };
  const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
  let stopping = false;
  const onSignal = (signal: keyof typeof EXIT_CODES) => {
    // A second Ctrl-C must not end the runner before the cleanup (Node's default would): that left
    // a busy kernel running and its files behind. Stopping a busy kernel takes a few seconds at most.
    if (stopping) {
      io.err(`gradlab run: still stopping kernels (${signal} ignored)`);
      return;
    }
    stopping = true;
    io.err(`gradlab run: ${signal === "SIGINT" ? "interrupted" : "terminated"}, stopping kernels`);
    void Promise.allSettled([...open].map((s) => s.close()))
      .then(() => factory.dispose())
      .finally(() => process.exit(EXIT_CODES[signal]));
  };
  for (const s of Object.keys(EXIT_CODES)) process.on(s, onSignal);
  let summaries: NotebookSummary[];
  try {
    summaries = await pool(jobs, o.jobs, async (job) => {
      const summary = await runOne(job, o, tracked, io);
      if (summary.status !== "ok") io.err(failureReport(summary, io.colour));
      return summary;
    });
  } finally {
    if (!stopping) for (const s of Object.keys(EXIT_CODES)) process.removeListener(s, onSignal);
    await factory.dispose().catch((err) => io.err(`gradlab run: while stopping: ${(err as Error).message}`));
  }
  io.out(summaryTable(summaries));
  let written = true;
  for (const [file, report] of [[o.junit, junitReport], [o.json, jsonReport]] as const) {
    if (file === null) continue;
    try {
      writeFileAtomic(file, report(summaries));
    } catch (err) {
      io.err(`gradlab run: cannot write ${file}: ${(err as Error).message}`);
      written = false;
    }
  }
  return written && summaries.every((s) => s.status === "ok") ? 0 : 1;
}

/** Entry point for bin/cli.ts's command table. */
export function main(args: string[]): Promise<number> {
  return runCommand(args);
}
