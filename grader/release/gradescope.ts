/**
 * `gradlab release --gradescope`: the autograder zip Gradescope asks for
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/): setup.sh (run once when the image is
 * built: Node 20 and gradlab), run_autograder (run per submission: grades /autograder/submission into
 * /autograder/results/results.json with the same engine as `gradlab grade`), and the autograder bundle in
 * <id>/ (Gradescope unzips it into /autograder/source). Gradescope already runs each submission in its own container; gradlab's sandbox runs
 * inside it where the container allows namespaces, and the report says which isolation it had.
 *
 * run_autograder reads its paths from the environment, so a test can run it against a simulated tree:
 *   GRADLAB_AUTOGRADER_ROOT (default /autograder), GRADLAB_BIN (default the gradlab setup.sh installed).
 */
import { readFileSync, writeFileSync, mkdirSync } from "fs";
import { join } from "path";
import { writeZip, type ZipInput } from "../submission/zip";
import { listFiles, gradlabVersion } from "./release";

export function setupSh(gradlabSpec: string): string {
  return `#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image (Ubuntu): Node 20, then gradlab.
set -euo pipefail
if ! command -v node >/dev/null || ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  apt-get update
  apt-get install -y ca-certificates curl gnupg
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y nodejs
fi
# bubblewrap gives each submission gradlab's namespace sandbox where the container allows it.
apt-get install -y bubblewrap || true
mkdir -p /autograder/gradlab
cd /autograder/gradlab
npm init -y >/dev/null
npm install --omit=dev ${shellQuote(gradlabSpec)}
`;
}

export function runAutograder(id: string): string {
  return `#!/usr/bin/env bash
# Gradescope runs this for each submission: /autograder/submission → /autograder/results/results.json.
set -uo pipefail
ROOT="\${GRADLAB_AUTOGRADER_ROOT:-/autograder}"
GRADLAB="\${GRADLAB_BIN:-$ROOT/gradlab/node_modules/.bin/gradlab}"
mkdir -p "$ROOT/results"
# The student's id and submission time (for the late policy) from Gradescope's submission_metadata.json.
read -r SID CREATED < <(node -e '
  const fs = require("fs"); let m = {};
  try { m = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch {}
  const u = (m.users || [])[0] || {};
  const id = String(u.sid || u.email || m.id || "submission").replace(/[^A-Za-z0-9._@+-]/g, "_");
  console.log(id, m.created_at ? new Date(m.created_at).toISOString() : "-");
' "$ROOT/submission_metadata.json")
ARGS=(grade "$ROOT/source/${id}" "$ROOT/submission" --out "$ROOT/results" --id "$SID")
[ "$CREATED" != "-" ] && ARGS+=(--submitted-at "$CREATED")
"$GRADLAB" "\${ARGS[@]}"
STATUS=$?
if [ ! -f "$ROOT/results/results.json" ]; then
  # The submission could not be read (no notebook, a broken zip): say so on Gradescope instead of failing.
  node -e '
    const fs = require("fs");
    fs.writeFileSync(process.argv[1], JSON.stringify({ score: 0, output: "gradlab could not grade this submission (exit " + process.argv[2] + "): submit your .ipynb notebook. The course staff can see the details.", output_format: "md", stdout_visibility: "hidden" }, null, 2) + "\\n");
  ' "$ROOT/results/results.json" "$STATUS"
fi
exit 0
`;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9@^~.:/=_+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** Writes <out>/gradescope/<id>-autograder.zip from a released autograder bundle; returns its path. */
export function writeGradescopeZip(autograderDir: string, id: string, out: string, gradlabSpec = `gradlab@${gradlabVersion()}`): string {
  const files: ZipInput[] = [
    { name: "setup.sh", data: setupSh(gradlabSpec), mode: 0o100755 },
    { name: "run_autograder", data: runAutograder(id), mode: 0o100755 },
    ...listFiles(autograderDir).map((rel) => ({ name: `${id}/${rel.split("\\").join("/")}`, data: readFileSync(join(autograderDir, rel)) })),
  ];
  const dir = join(out, "gradescope");
  mkdirSync(dir, { recursive: true });
  const zip = join(dir, `${id}-autograder.zip`);
  writeFileSync(zip, writeZip(files));
  return zip;
}
