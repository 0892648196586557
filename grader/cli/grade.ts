/**
 * `gradlab grade <assignment> <submission...> [--out DIR]`: grades submissions with every test (visible and
 * hidden) and writes results.json (Gradescope), feedback.md and feedback.html per submission; for a class
 * (several submissions, a folder of them, a Gradescope export) also gradebook.csv, summary.json,
 * summary.html and written/<question>.html. `gradlab grade merge` combines the folders of --shard runs.
 * Exit codes: 0 grading finished (whatever the scores), 1 the assignment or a submission could not be
 * read, 2 bad command line, 130 stopped by Ctrl-C (what finished is kept).
 */
import { copyFileSync, mkdirSync } from "fs";
import { basename, extname, join } from "path";
import { parseArgs } from "util";
import { isTimeWithOffset } from "../config/assignment";
import { loadAssignment } from "../engine/assignment";
import { sandboxFactory } from "../engine/factory";
import { gradeSubmission, submissionInput, SubmissionInput } from "../engine/grade";
import { writeReports } from "../report/write";
import { readSubmission, SubmissionError } from "../submission/intake";
import { collectSubmissions, CollectError, parseShard, shardOf, type BatchItem } from "../batch/collect";
import { readCsvFile, readManualScores, unusedManualScores, ManualScoresError, type ManualScores } from "../batch/manual";
import { defaultJobs, gradeClass } from "../batch/run";
import { Progress } from "../batch/progress";
import { classTable, writeClassReports } from "../class-report/write";
import { mergeRuns, MergeError, readRunConfig, RUN_CONFIG } from "../batch/merge";
import { MetadataError } from "../batch/gradescope-metadata";
import { readAllStored } from "../batch/store";
import { outFolderProblem } from "./out-folder";

export const HELP = `usage: gradlab grade <assignment> <submission> [<submission> ...] [options]
       gradlab grade merge <run folder> [<run folder> ...] --out DIR [--manual scores.csv]

Grades each submission with all of the assignment's tests, its code locked in a sandbox (one sandboxed
process per submission), and writes results.json (Gradescope's format), feedback.md and feedback.html.
For a class it also writes gradebook.csv, summary.json, summary.html and written/<question>.html.

  <assignment>   the autograder bundle (dist/autograder/<id> from \`gradlab release\`) or the
                 instructor's assignment folder
  <submission>   a notebook, a folder (one notebook, or .ts files) or a .zip of either; the student's
                 id is the file name without its extension. Also: a folder of submissions (one per
                 student), or a Gradescope "Export Submissions" zip or folder (ids and submission times
                 from its submission_metadata.yml)

options:
  --out DIR            where reports go (default: reports); for a class, DIR/<id>/ per student
  --jobs N             submissions graded at once (default: one more than the cores, here ${defaultJobs()})
  --resume             keep students whose submission, id, time and assignment are unchanged since the
                       last run into DIR (by content hash); grade the others
  --shard I/N          grade only the I-th of N slices of the class (combine with \`gradlab grade merge\`)
  --manual FILE        a TA's points for the written questions: CSV with columns id,question,points[,comment]
  --times FILE         submission times: CSV with columns id,submitted_at (ISO 8601), for the late policy
  --id ID              the student's id (one submission only)
  --submitted-at TIME  ISO 8601 submission time, for the late policy (one submission only)
  --quiet              no progress output, only the class table
  -h, --help           this text`;

export function studentId(path: string): string {
  const name = basename(path.replace(/[\\/]+$/, ""));
  return name.slice(0, name.length - extname(name).length) || name;
}

export function toInput(path: string, id: string, submittedAt?: string): SubmissionInput {
  return submissionInput(readSubmission(path), { id, file: path, submittedAt });
}

function readTimes(file: string): Map<string, string> {
  const rows = readCsvFile(file);
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const idC = header.indexOf("id"), tC = header.indexOf("submitted_at");
  if (idC < 0 || tC < 0) throw new ManualScoresError(`${file}: the first row must name the columns id,submitted_at`);
  const times = new Map<string, string>();
  rows.slice(1).forEach((r, i) => {
    const t = (r[tC] ?? "").trim();
    if (Number.isNaN(Date.parse(t))) throw new ManualScoresError(`${file}, row ${i + 2}: "${t}" is not an ISO 8601 time`);
    times.set((r[idC] ?? "").trim(), t);
  });
  return times;
}

async function merge(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { out: { type: "string" }, manual: { type: "string" }, quiet: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  } catch (err) {
    console.error(`gradlab grade merge: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (parsed.values.help) { console.log(HELP); return 0; }
  if (!parsed.values.out || parsed.positionals.length === 0) {
    console.error(`gradlab grade merge: give the run folders and --out DIR\n\n${HELP}`);
    return 2;
  }
  const outProblem = outFolderProblem(parsed.values.out);
  if (outProblem) {
    console.error(`gradlab grade merge: ${outProblem}`);
    return 2;
  }
  try {
    const config = readRunConfig(parsed.positionals[0]);
    const manual = parsed.values.manual ? readManualScores(parsed.values.manual, config) : undefined;
    const { rows, files } = await mergeRuns(parsed.positionals, parsed.values.out, { manual });
    const unused = manual && unusedManualScores(manual, rows.map((r) => r.id));
    if (unused) console.error(`gradlab grade merge: warning: ${parsed.values.manual} ${unused}`);
    if (!parsed.values.quiet) console.log(classTable(rows, config));
    console.log(`\n${rows.length} students merged from ${parsed.positionals.length} folders: ${files.gradebook}\nclass summary: ${files.summaryHtml}`);
    return 0;
  } catch (err) {
    if (err instanceof MergeError || err instanceof ManualScoresError) {
      console.error(`gradlab grade merge: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

export async function main(args: string[]): Promise<number> {
  if (args[0] === "merge") return merge(args.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true, strict: true,
      options: {
        out: { type: "string", default: "reports" }, id: { type: "string" }, "submitted-at": { type: "string" },
        jobs: { type: "string" }, resume: { type: "boolean" }, shard: { type: "string" }, manual: { type: "string" },
        times: { type: "string" }, quiet: { type: "boolean" }, help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    console.error(`gradlab grade: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length < 2) {
    console.error(`gradlab grade: give the assignment and at least one submission\n\n${HELP}`);
    return 2;
  }
  const [assignmentDir, ...submissions] = positionals;
  const jobs = values.jobs === undefined ? defaultJobs() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) {
    console.error(`gradlab grade: --jobs must be a positive whole number, got ${values.jobs}`);
    return 2;
  }
  let shard;
  try {
    shard = values.shard ? parseShard(values.shard) : undefined;
  } catch (err) {
    console.error(`gradlab grade: ${(err as Error).message}`);
    return 2;
  }
  let assignment;
  try {
    assignment = loadAssignment(assignmentDir);
  } catch (err) {
    console.error(`gradlab grade: ${(err as Error).message}`);
    return 1;
  }
  if (assignment.kind === "student") {
    console.error(`gradlab grade: ${assignmentDir} is a student folder (visible tests only, no reference): grade with the autograder bundle (dist/autograder/${assignment.config.id} from gradlab release) or the assignment's source folder`);
    return 1;
  }
  const submittedAt = values["submitted-at"];
  if (submittedAt !== undefined && !isTimeWithOffset(submittedAt)) {
    console.error(`gradlab grade: --submitted-at needs an ISO 8601 time with its offset (2026-10-03T09:30:00-04:00), got "${submittedAt}"`);
    return 2;
  }
  const outProblem = outFolderProblem(values.out!);
  if (outProblem) {
    console.error(`gradlab grade: ${outProblem}`);
    return 2;
  }
  const factory = sandboxFactory();
  if (factory.sandbox.unsandboxed) console.error(`gradlab grade: WARNING: ${factory.sandbox.description}`);

  let items: BatchItem[];
  try {
    items = collectSubmissions(submissions);
  } catch (err) {
    if (!(err instanceof CollectError || err instanceof MetadataError || err instanceof SubmissionError)) throw err;
    console.error(`gradlab grade: ${err.message}`);
    return 1;
  }
  const classMode = items.length > 1 || submissions.length > 1 || !!(values.resume || values.shard || values.manual || values.jobs || values.times) || items[0]?.path !== submissions[0];
  if (!classMode) {
    // One submission: its three reports straight into --out, as always.
    const path = submissions[0];
    let input: SubmissionInput;
    try {
      input = toInput(path, values.id ?? studentId(path), values["submitted-at"]);
    } catch (err) {
      if (!(err instanceof SubmissionError)) throw err;
      console.error(`gradlab grade: ${path}: ${err.message}`);
      return 1;
    }
    const result = await gradeSubmission(assignment, input, factory);
    const files = writeReports(result, values.out!);
    const failed = result.tests.filter((t) => t.outcome !== "passed").length;
    console.log(`${input.id}\t${result.score} / ${result.maxScore}\t${result.tests.length - failed} of ${result.tests.length} tests passed\t${files.html}`);
    return 0;
  }
  if (values.id || values["submitted-at"]) {
    console.error("gradlab grade: --id and --submitted-at are for one submission (use --times for a class)");
    return 2;
  }
  let manual: ManualScores | undefined;
  try {
    manual = values.manual ? readManualScores(values.manual, assignment.config) : undefined;
    if (values.times) {
      const times = readTimes(values.times);
      for (const it of items) if (times.has(it.id)) it.submittedAt = times.get(it.id);
    }
  } catch (err) {
    if (!(err instanceof ManualScoresError)) throw err;
    console.error(`gradlab grade: ${err.message}`);
    return 1;
  }
  const unused = manual && unusedManualScores(manual, items.map((it) => it.id));
  if (unused) console.error(`gradlab grade: warning: ${values.manual} ${unused}`);
  if (shard) items = shardOf(items, shard);
  const out = values.out!;
  mkdirSync(out, { recursive: true });
  copyFileSync(join(assignment.dir, "assignment.json"), join(out, RUN_CONFIG));

  const tty = !!process.stderr.isTTY && !values.quiet;
  let running = 0;
  const underWay = new Set<string>();
  const progress = new Progress(items.length, tty, (s) => (tty ? process.stderr.write(s) : values.quiet ? undefined : process.stdout.write(s)), () => running);
  const signal = { stopped: false };
  const say = (text: string) => process.stderr.write(tty ? `\r\x1b[K${text}\n` : `${text}\n`);
  const onSigint = () => {
    if (signal.stopped) {
      say(`gradlab grade: stopped; finished students are in ${out}`);
      process.exit(130);
    }
    signal.stopped = true;
    say(`gradlab grade: stopping: waiting for the ${running} gradings under way (finished students are kept; Ctrl-C again to quit now)`);
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  const started = Date.now();
  let summary;
  try {
    summary = await gradeClass(assignment, items, factory, {
      out, jobs, resume: values.resume, manual, signal,
      onStart: (item) => { underWay.add(item.id); running++; },
      onDone: (e) => {
        if (underWay.delete(e.item.id)) running--;
        progress.onDone(e);
      },
    });
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }
  progress.finish();
  // The class is this run's students: a folder left from an earlier run with other students keeps them on
  // disk but out of the gradebook.
  const ids = new Set(items.map((i) => i.id));
  const all = readAllStored(out);
  const stored = all.filter((s) => ids.has(s.id));
  if (all.length > stored.length) say(`gradlab grade: ${all.length - stored.length} student folders in ${out} are not in this run; left out of the gradebook`);
  const { rows, files } = await writeClassReports(out, assignment.config, stored);
  console.log(classTable(rows, assignment.config));
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\n${summary.graded} graded, ${summary.kept} unchanged, ${summary.unreadable.length} unreadable${summary.skipped ? `, ${summary.skipped} not started (stopped)` : ""} in ${secs} s with ${jobs} jobs${shard ? ` (shard ${shard.index}/${shard.count})` : ""}`);
  console.log(`gradebook: ${files.gradebook}\nclass summary: ${files.summaryHtml}`);
  if (signal.stopped) return 130;
  // Finished: an unreadable submission has its reports (saying why) and its gradebook row like everyone
  // else, so a scheduler must not take the run for failed and run it again (or drop its artifacts).
  return 0;
}
