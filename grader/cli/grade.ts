/**
 * `gradlab grade <assignment> <submission...> [--out DIR]`: grades submissions with every test (visible and
 * hidden) and writes results.json (Gradescope), feedback.md and feedback.html per submission.
 * Exit codes: 0 grading finished (whatever the scores), 1 the assignment or a submission could not be
 * read, 2 bad command line.
 */
import { basename, extname, join } from "path";
import { parseArgs } from "util";
import { loadAssignment } from "../engine/assignment";
import { sandboxFactory } from "../engine/factory";
import { gradeSubmission, SubmissionInput } from "../engine/grade";
import { writeReports } from "../report/write";
import { readSubmission, SubmissionError } from "../submission/intake";

export const HELP = `usage: gradlab grade <assignment> <submission> [<submission> ...] [--out DIR]

Grades each submission with all of the assignment's tests, its code locked in a sandbox, and writes
results.json (Gradescope's format), feedback.md and feedback.html.

  <assignment>   the autograder bundle (dist/autograder/<id> from \`gradlab release\`) or the
                 instructor's assignment folder
  <submission>   a notebook, a folder (one notebook, or .ts files) or a .zip of either; the student's
                 id is the file name without its extension

options:
  --out DIR            where reports go (default: reports); with several submissions, DIR/<id>/
  --id ID              the student's id (one submission only)
  --submitted-at TIME  ISO 8601 submission time, for the late policy (one submission only)
  -h, --help           this text`;

export function studentId(path: string): string {
  const name = basename(path.replace(/[\\/]+$/, ""));
  return name.slice(0, name.length - extname(name).length) || name;
}

export function toInput(path: string, id: string, submittedAt?: string): SubmissionInput {
  const sub = readSubmission(path);
  return sub.kind === "notebook"
    ? { id, file: path, notebook: sub.notebook, submittedAt }
    : { id, file: path, files: sub.files, submittedAt };
}

export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true, strict: true,
      options: {
        out: { type: "string", default: "reports" }, id: { type: "string" }, "submitted-at": { type: "string" },
        help: { type: "boolean", short: "h" },
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
  if (submissions.length > 1 && (values.id || values["submitted-at"])) {
    console.error("gradlab grade: --id and --submitted-at are for one submission");
    return 2;
  }
  let assignment;
  try {
    assignment = loadAssignment(assignmentDir);
  } catch (err) {
    console.error(`gradlab grade: ${(err as Error).message}`);
    return 1;
  }
  const factory = sandboxFactory();
  if (factory.sandbox.unsandboxed) console.error(`gradlab grade: WARNING: ${factory.sandbox.description}`);
  let failures = 0;
  for (const path of submissions) {
    const id = values.id ?? studentId(path);
    let input: SubmissionInput;
    try {
      input = toInput(path, id, values["submitted-at"]);
    } catch (err) {
      if (!(err instanceof SubmissionError)) throw err;
      console.error(`gradlab grade: ${path}: ${err.message}`);
      failures++;
      continue;
    }
    const result = await gradeSubmission(assignment, input, factory);
    const dir = submissions.length > 1 ? join(values.out!, id) : values.out!;
    const files = writeReports(result, dir);
    const failed = result.tests.filter((t) => t.outcome !== "passed").length;
    console.log(`${id}\t${result.score} / ${result.maxScore}\t${result.tests.length - failed} of ${result.tests.length} tests passed\t${files.html}`);
  }
  return failures ? 1 : 0;
}
