/**
 * docs/grader.md's Kubernetes Indexed Job and CI matrix, tested by example: the manifests are read from the
 * page (with the same YAML subset reader as Gradescope's metadata: they are written in it on purpose), the
 * fields that make sharding work are checked, each shard's command runs exactly as written (JOB_COMPLETION_INDEX
 * or ${{ matrix.shard }} filled in, /work a temporary folder, `gradlab` this checkout), then the merge command,
 * and the merged gradebook and summary equal one run's.
 */
import { spawnSync } from "child_process";
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { parseYamlSubset } from "../../grader/batch/gradescope-metadata";
import { MISTAKES, notebook, writeMiniAssignment } from "./fixture";
import { tempDir } from "../support/temp";

jest.setTimeout(300_000);

const ROOT = join(__dirname, "..", "..");
const DOC = readFileSync(join(ROOT, "docs", "grader.md"), "utf8");
const section = DOC.slice(DOC.indexOf("## Grading a class"));
const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], text: m[2] }));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Y = any;

let work: string, bin: string;

/** /work with the bundle (the mini assignment, as autograder/assignment1) and a class of submissions. */
function workFolder(): string {
  const w = tempDir("class-docs");
  writeMiniAssignment(join(w, "autograder", "assignment1"));
  mkdirSync(join(w, "submissions"));
  for (const name of ["perfect", "multiply-no-switch", "max-to-both", "affine-no-transpose", "stubs"]) {
    writeFileSync(join(w, "submissions", `${name}.ipynb`), notebook(MISTAKES[name].cells));
  }
  // One student uploaded something else: the run still finishes (exit 0, so no pod restarts and no CI step
  // fails before its upload), with that student's row and reports saying why.
  writeFileSync(join(w, "submissions", "broken.zip"), "not a zip");
  return w;
}

function sh(command: string, cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync("bash", ["-c", command], { cwd, encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...env } });
  if (r.status !== 0) throw new Error(`${command}\nexit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function comparable(out: string) {
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  delete summary.timing;
  return { gradebook: readFileSync(join(out, "gradebook.csv"), "utf8"), summary };
}

beforeAll(() => {
  work = workFolder();
  bin = tempDir("class-docs-bin");
  // `gradlab` and `npx gradlab` are this checkout.
  writeFileSync(join(bin, "gradlab"), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, "bin", "gradlab.js")}" "$@"\n`);
  writeFileSync(join(bin, "npx"), `#!/bin/sh\n[ "$1" = gradlab ] && shift\nexec "${join(bin, "gradlab")}" "$@"\n`);
  chmodSync(join(bin, "gradlab"), 0o755);
  chmodSync(join(bin, "npx"), 0o755);
  sh(`gradlab grade autograder/assignment1 submissions --out one-run --jobs 2`, work);
});

describe("docs/grader.md, Grading a class", () => {
  it("the Kubernetes Indexed Job shards the class, and merging the shards gives one run's gradebook", () => {
    const manifest = blocks.find((b) => b.lang === "yaml" && /kind: Job/.test(b.text))!;
    const job: Y = parseYamlSubset(manifest.text, "docs/grader.md (Job)");
    expect(job.kind).toBe("Job");
    expect(job.spec.completionMode).toBe("Indexed");
    const n = Number(job.spec.completions);
    expect(Number(job.spec.parallelism)).toBe(n);
    const container = job.spec.template.spec.containers[0];
    expect(container.command.slice(0, 2)).toEqual(["bash", "-c"]);
    expect(container.volumeMounts[0].mountPath).toBe("/work");
    const w = workFolder();
    const script = container.command[2].replace(/\/work\b/g, w);
    expect(script).toMatch(new RegExp(`--shard "\\$\\(\\(JOB_COMPLETION_INDEX \\+ 1\\)\\)/${n}"`));
    // Each pod, one after the other here.
    for (let i = 0; i < n; i++) sh(script, w, { JOB_COMPLETION_INDEX: String(i) });
    const merge = blocks.find((b) => b.lang === "sh" && /gradlab grade merge \/work/.test(b.text))!;
    sh(merge.text.replace(/\/work\b/g, w), w);
    expect(comparable(join(w, "reports"))).toEqual(comparable(join(work, "one-run")));
  });

  it("the CI matrix workflow shards the class, and its merge job gives one run's gradebook", () => {
    const workflow: Y = parseYamlSubset(blocks.find((b) => b.lang === "yaml" && /matrix:/.test(b.text))!.text, "docs/grader.md (workflow)");
    const shards: string[] = workflow.jobs.grade.strategy.matrix.shard;
    const gradeRuns: string[] = workflow.jobs.grade.steps.filter((s: Y) => /gradlab grade/.test(s.run ?? "")).map((s: Y) => s.run);
    expect(gradeRuns).toHaveLength(1);
    expect(gradeRuns[0]).toMatch(new RegExp(`--shard \\$\\{\\{ matrix.shard \\}\\}/${shards.length}`));
    // Each matrix job in its own checkout; the artifacts come together in the merge job's folder.
    const merged = join(tempDir("class-docs-merge"), "job");
    mkdirSync(merged);
    for (const shard of shards) {
      const checkout = workFolder();
      sh(gradeRuns[0].replace(/\$\{\{ matrix\.shard \}\}/g, shard), checkout);
      const upload = workflow.jobs.grade.steps.find((s: Y) => /upload-artifact/.test(s.uses ?? ""));
      const path = upload.with.path.replace(/\$\{\{ matrix\.shard \}\}/g, shard);
      cpSync(join(checkout, path), join(merged, upload.with.name.replace(/\$\{\{ matrix\.shard \}\}/g, shard)), { recursive: true });
    }
    expect(workflow.jobs.merge.needs).toBe("grade");
    const mergeRun = workflow.jobs.merge.steps.find((s: Y) => /gradlab grade merge/.test(s.run ?? "")).run;
    sh(mergeRun, merged);
    expect(comparable(join(merged, "reports"))).toEqual(comparable(join(work, "one-run")));
  });
});
