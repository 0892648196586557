/**
 * `gradlab release <assignment dir> [--out dist] [--gradlab-spec SPEC]`: see grader/release/release.ts.
 * Exit codes: 0 released, 1 the assignment has a problem (message says which), 2 bad command line.
 */
import { parseArgs } from "util";
import { NotebookFormatError } from "../../kernel/runner/nbformat";
import { AssignmentSourceError } from "../notebook/cells";
import { ReleaseError } from "../release/release";
import { ConfigError } from "../config/assignment";
import { TestFileError } from "../api/registry";
import { AssignmentError } from "../engine/assignment";
import { releaseWithAnswers } from "../release/record";
import { sandboxFactory } from "../engine/factory";
import { writeGradescopeZip } from "../release/gradescope";
import { outFolderProblem } from "./out-folder";

export const HELP = `usage: gradlab release <assignment dir> [--out DIR] [--gradlab-spec SPEC] [--gradescope]

Writes the student version and the autograder bundle of an assignment:
  DIR/student/<id>/      the notebook with solutions replaced by stubs, tests/public/, assignment.json
                         (without grading internals), package.json, README.md
  DIR/autograder/<id>/   reference/ (solutions intact), tests/ (public and hidden), assignment.json,
                         release/ (the notebook as students got it), bundle.json (sha256 of every file)

options:
  --out DIR            output folder (default: dist)
  --gradlab-spec SPEC  the gradlab dependency in the student package.json (default: ^<this version>).
                       Before gradlab is on npm, use a tarball from \`npm pack\`:
                         --gradlab-spec file:../gradlab-0.1.0.tgz   (relative to the student folder)
                       or a path to a gradlab checkout: --gradlab-spec file:/opt/gradlab
  --gradescope         also write DIR/gradescope/<id>-autograder.zip for Gradescope: setup.sh (Node 20
                       and gradlab, from SPEC), run_autograder (grades /autograder/submission into
                       /autograder/results/results.json) and the autograder bundle
  -h, --help           this text`;

export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { out: { type: "string", default: "dist" }, "gradlab-spec": { type: "string" }, gradescope: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (err) {
    console.error(`gradlab release: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    console.error(`gradlab release: give exactly one assignment folder (got ${parsed.positionals.length})\n\n${HELP}`);
    return 2;
  }
  const outProblem = outFolderProblem(parsed.values.out!);
  if (outProblem) {
    console.error(`gradlab release: ${outProblem}`);
    return 2;
  }
  try {
    const result = await releaseWithAnswers(parsed.positionals[0], { out: parsed.values.out!, gradlabSpec: parsed.values["gradlab-spec"] }, sandboxFactory());
    console.log(`released ${result.id}:`);
    console.log(`  ${result.studentDir}  (${result.studentFiles.length} files, for students)`);
    console.log(`  ${result.autograderDir}  (${result.autograderFiles.length} files, for the grader only)`);
    if (parsed.values.gradescope) {
      const zip = writeGradescopeZip(result.autograderDir, result.id, parsed.values.out!, parsed.values["gradlab-spec"]);
      console.log(`  ${zip}  (upload as the Gradescope autograder)`);
    }
    return 0;
  } catch (err) {
    // Authoring mistakes (and a reference that fails its own visible tests) are the instructor's to fix:
    // say what is wrong, without a stack trace.
    const authoring = err instanceof ReleaseError || err instanceof AssignmentSourceError || err instanceof NotebookFormatError ||
      err instanceof ConfigError || err instanceof TestFileError || err instanceof AssignmentError;
    if (!authoring) throw err;
    console.error(`gradlab release: ${(err as Error).message}`);
    return 1;
  }
}
