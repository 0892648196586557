/**
 * `gradlab release --gradescope`: the autograder zip's run_autograder, run against a simulated /autograder
 * tree (GRADLAB_AUTOGRADER_ROOT), grades the submission into results/results.json in Gradescope's format,
 * with the id and the late policy from submission_metadata.json; an unreadable submission still gets a
 * results.json that says so.
 */
import { spawnSync } from "child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { writeGradescopeZip } from "../../grader/release/gradescope";
import { extractZip, readZip } from "../../grader/submission/zip";
import { MISTAKES, notebook, writeMiniAssignment } from "./fixture";
import { tempDir } from "../support/temp";

jest.setTimeout(120_000);

const ROOT = join(__dirname, "..", "..");

function simulate(zip: string, submission: Record<string, string>, meta: object): string {
  const root = join(tempDir("gs-autograder"), "autograder");
  mkdirSync(join(root, "source"), { recursive: true });
  extractZip(zip, join(root, "source"));
  mkdirSync(join(root, "submission"));
  for (const [name, text] of Object.entries(submission)) writeFileSync(join(root, "submission", name), text);
  writeFileSync(join(root, "submission_metadata.json"), JSON.stringify(meta));
  chmodSync(join(root, "source", "run_autograder"), 0o755);
  return root;
}

function run(root: string) {
  return spawnSync("bash", [join(root, "source", "run_autograder")], {
    encoding: "utf8", env: { ...process.env, GRADLAB_AUTOGRADER_ROOT: root, GRADLAB_BIN: join(ROOT, "bin", "gradlab.js") },
  });
}

describe("the Gradescope autograder zip", () => {
  let zip: string;
  beforeAll(() => {
    // A source folder grades like a bundle (the same engine); the zip holds whatever folder it is given.
    const dir = writeMiniAssignment(join(tempDir("gs-assignment"), "mini"));
    zip = writeGradescopeZip(dir, "mini", tempDir("gs-out"), "gradlab@0.1.0");
  });

  it("holds setup.sh, run_autograder (executable) and the bundle", () => {
    const entries = readZip(readFileSync(zip));
    expect(entries.map((e) => e.name)).toEqual(expect.arrayContaining(["setup.sh", "run_autograder", "mini/assignment.json", "mini/tests/hidden/gates.ts"]));
    expect(entries.find((e) => e.name === "setup.sh")!.data.toString()).toMatch(/npm install --omit=dev gradlab@0\.1\.0/);
  });

  it("run_autograder grades /autograder/submission into /autograder/results/results.json", () => {
    const root = simulate(zip, { "mini.ipynb": notebook(MISTAKES["max-to-both"].cells) }, {
      id: 1234, created_at: "2026-10-03T12:00:00.000000-04:00", users: [{ email: "jane@example.edu", name: "Jane", sid: "s-42" }],
    });
    const r = run(root);
    expect(r.status).toBe(0);
    const results = JSON.parse(readFileSync(join(root, "results", "results.json"), "utf8"));
    if (!results.tests) throw new Error(`run_autograder failed:\n${r.stdout}\n${r.stderr}`);
    // 7 of 10 automatic points, one day late: 10 % off.
    expect(results.score).toBeCloseTo(6.3, 6);
    expect(results.tests).toHaveLength(7);
    expect(results.output).toMatch(/Late by 1 day/);
    expect(existsSync(join(root, "results", "feedback.html"))).toBe(true);
  });

  it("an unreadable submission still gets a results.json that says so", () => {
    const root = simulate(zip, { "notes.txt": "no notebook here" }, { id: 5, users: [] });
    const r = run(root);
    expect(r.status).toBe(0);
    const results = JSON.parse(readFileSync(join(root, "results", "results.json"), "utf8"));
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/could not grade this submission/);
  });
});
