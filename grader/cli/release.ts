/**
 * `gradlab release <assignment dir> [--out dist] [--gradlab-spec SPEC]`: see grader/release/release.ts.
 * Exit codes: 0 released, 1 the assignment has a problem (message says which), 2 bad command line.
 */
import { parseArgs } from "util";
import { NotebookFormatError } from "../../kernel/runner/nbformat";
import { AssignmentSourceError } from "../notebook/cells";
import { ReleaseError, releaseAssignment } from "../release/release";

export const HELP = `usage: gradlab release <assignment dir> [--out DIR] [--gradlab-spec SPEC]

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
  -h, --help           this text`;

export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { out: { type: "string", default: "dist" }, "gradlab-spec": { type: "string" }, help: { type: "boolean", short: "h" } },
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
  try {
    const result = releaseAssignment(parsed.positionals[0], { out: parsed.values.out!, gradlabSpec: parsed.values["gradlab-spec"] });
    console.log(`released ${result.id}:`);
    console.log(`  ${result.studentDir}  (${result.studentFiles.length} files, for students)`);
    console.log(`  ${result.autograderDir}  (${result.autograderFiles.length} files, for the grader only)`);
    return 0;
  } catch (err) {
    if (err instanceof ReleaseError || err instanceof AssignmentSourceError || err instanceof NotebookFormatError) {
      console.error(`gradlab release: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
