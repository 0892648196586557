/**
 * The last step of a release: run the visible tests against the reference (it must pass them all) and
 * give students the reference's answers to them, so `gradlab check` can judge their work without the
 * reference solution. Also tells the student folder how many hidden tests grading will add.
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { loadAssignment, RECORDING_FILE } from "../engine/assignment";
import { recordReference, ProgramFactory } from "../engine/grade";
import { releaseAssignment, ReleaseOptions, ReleaseResult } from "./release";

export async function releaseWithAnswers(assignmentDir: string, options: ReleaseOptions, factory: ProgramFactory): Promise<ReleaseResult> {
  // Everything the grader will check (the reference compiles, defines what is graded, passes the
  // visible tests) is checked on the source before anything is written: a broken assignment writes
  // nothing. The source's tests and reference are the bundle's, so its answers are the bundle's too.
  const source = loadAssignment(assignmentDir);
  const recording = await recordReference(source, factory);
  const result = releaseAssignment(assignmentDir, options);
  writeFileSync(join(result.studentDir, RECORDING_FILE), JSON.stringify(recording) + "\n");
  const hidden = source.tests.filter((t) => t.visibility !== "visible").length;
  writeFileSync(join(result.studentDir, "hidden-tests.json"), JSON.stringify({ count: hidden }) + "\n");
  return { ...result, studentFiles: [...result.studentFiles, RECORDING_FILE.split("\\").join("/"), "hidden-tests.json"].sort() };
}
