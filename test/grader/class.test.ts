/**
 * Grading a class (issue 13) on the mini assignment: a folder of submissions graded in parallel, each in its
 * own sandboxed child; the gradebook and summary; --shard runs merged equal one run; --resume regrades only
 * what changed; a crashing submission and a killed run lose no finished report; a Gradescope export with
 * its submission_metadata.yml; a TA's manual points.
 */
import { spawn, spawnSync } from "child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { loadAssignment, LoadedAssignment } from "../../grader/engine/assignment";
import { sandboxFactory } from "../../grader/engine/factory";
import { collectSubmissions, parseShard, shardOf } from "../../grader/batch/collect";
import { gradeClass, type DoneEvent } from "../../grader/batch/run";
import { mergeRuns } from "../../grader/batch/merge";
import { readManualScores, parseCsv } from "../../grader/batch/manual";
import { writeClassReports } from "../../grader/class-report/write";
import { Progress } from "../../grader/batch/progress";
import { parseGradescopeMetadata, parseYamlSubset, MetadataError } from "../../grader/batch/gradescope-metadata";
import { writeZip } from "../../grader/submission/zip";
import { MAX, MISTAKES, MULTIPLY, cells, notebook, writeMiniAssignment } from "./fixture";
import { tempDir } from "../support/temp";

jest.setTimeout(300_000);

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "bin", "gradlab.js");
const CLASS = ["perfect", "multiply-no-switch", "max-to-both", "affine-no-transpose", "syntax-error", "stubs"];

let dir: string, classDir: string, assignment: LoadedAssignment;
const factory = sandboxFactory();

function runFolder(name: string): string {
  return join(tempDir(`class-${name}`), "reports");
}

/** The files of a run folder that must be identical across runs, with the grading times taken out. */
function comparable(out: string): Record<string, string> {
  const files: Record<string, string> = {};
  const strip = (s: string) => s
    .replace(/graded \d{4}-\d\d-\d\dT[\d:.]+Z/g, "graded <time>")
    .replace(/"(startedAt|executionMs|durationMs|execution_time)": ?("[^"]*"|[\d.]+)/g, '"$1": 0');
  if (existsSync(join(out, "gradebook.csv"))) {
    files["gradebook.csv"] = readFileSync(join(out, "gradebook.csv"), "utf8");
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    delete summary.timing;
    files["summary.json"] = JSON.stringify(summary);
  }
  for (const id of readdirSync(out).filter((n) => existsSync(join(out, n, "grade.json")))) {
    for (const f of ["results.json", "feedback.md", "feedback.html", "grade.json"]) {
      if (existsSync(join(out, id, f))) files[`${id}/${f}`] = strip(readFileSync(join(out, id, f), "utf8"));
    }
  }
  return files;
}

beforeAll(() => {
  dir = writeMiniAssignment(join(tempDir("class-assignment"), "mini"));
  assignment = loadAssignment(dir);
  classDir = join(tempDir("class-subs"), "class");
  mkdirSync(classDir, { recursive: true });
  for (const name of CLASS) writeFileSync(join(classDir, `${name}.ipynb`), notebook(MISTAKES[name].cells));
  // A crash: the student's code ends its own process in the middle of a test.
  writeFileSync(join(classDir, "crasher.ipynb"), notebook(cells(MULTIPLY, MAX.replace("backward(dz: number) {", "backward(dz: number) { process.exit(3);"))));
  writeFileSync(join(classDir, "garbage.ipynb"), "this is not a notebook");
});

describe("collecting a class", () => {
  it("takes a folder of submissions, ids from the names, sorted", () => {
    expect(collectSubmissions([classDir]).map((i) => i.id)).toEqual(["affine-no-transpose", "crasher", "garbage", "max-to-both", "multiply-no-switch", "perfect", "stubs", "syntax-error"]);
  });
  it("names students by their folder when their files share a name, and names the clashing id otherwise", () => {
    const root = tempDir("class-ids");
    for (const who of ["alice", "bob"]) {
      mkdirSync(join(root, "by-folder", who), { recursive: true });
      writeFileSync(join(root, "by-folder", who, "mini.ipynb"), "{}");
    }
    expect(collectSubmissions([join(root, "by-folder", "alice", "mini.ipynb"), join(root, "by-folder", "bob", "mini.ipynb")]).map((i) => i.id)).toEqual(["alice", "bob"]);
    mkdirSync(join(root, "one-folder"));
    writeFileSync(join(root, "one-folder", "jdoe.ipynb"), "{}");
    writeFileSync(join(root, "one-folder", "jdoe.zip"), "{}");
    expect(() => collectSubmissions([join(root, "one-folder")])).toThrow(/two submissions have the id "jdoe": .*jdoe\.ipynb and .*jdoe\.zip/);
  });
  it("slices it into shards that cover everyone once", () => {
    const items = collectSubmissions([classDir]);
    const parts = [1, 2, 3].map((i) => shardOf(items, parseShard(`${i}/3`)).map((x) => x.id));
    expect(parts.flat().sort()).toEqual(items.map((x) => x.id).sort());
    expect(() => parseShard("4/3")).toThrow(/1 ≤ i ≤ n/);
  });
});

describe("a class run", () => {
  let out: string;
  const events: DoneEvent[] = [];
  beforeAll(async () => {
    out = runFolder("full");
    const started = Date.now();
    await gradeClass(assignment, collectSubmissions([classDir]), factory, { out, jobs: 2, onDone: (e) => events.push(e) });
    await writeClassReports(out, assignment.config);
    process.stderr.write(`class of ${CLASS.length + 2} (mini assignment) graded with 2 jobs in ${Date.now() - started} ms\n`);
  });

  it("writes each student's three reports and grade.json", () => {
    for (const id of [...CLASS, "crasher", "garbage"]) {
      for (const f of ["results.json", "feedback.md", "feedback.html", "grade.json"]) expect(existsSync(join(out, id, f))).toBe(true);
    }
    // The unreadable one's reports say why, without the grading machine's folders.
    const garbage = readFileSync(join(out, "garbage", "feedback.html"), "utf8");
    expect(garbage).toMatch(/could not be graded: garbage\.ipynb/);
    expect(garbage).not.toContain(classDir);
    expect(JSON.parse(readFileSync(join(out, "garbage", "results.json"), "utf8")).score).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "perfect", "results.json"), "utf8")).score).toBe(10);
  });

  it("writes a gradebook with one row per student, one column per question, the total and the late flag", () => {
    const rows = parseCsv(readFileSync(join(out, "gradebook.csv"), "utf8"));
    expect(rows[0]).toEqual(["id", "name", "email", "submitted_at", "multiply", "max", "affine", "explain", "late_days", "late_penalty", "late", "total", "max_score", "status"]);
    const byId = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
    for (const name of CLASS) expect(Number(byId[name][11])).toBe(MISTAKES[name].score);
    expect(byId.garbage[13]).toBe("unreadable");
    expect(byId.perfect[7]).toBe(""); // the written question, not scored yet: empty, not 0
    expect(byId.crasher[13]).toBe("crashed");
    expect(byId["syntax-error"][13]).toBe("does not compile");
  });

  it("summarises the class: histogram, pass rate per test, hints that fired, failed submissions", () => {
    const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(s.students).toBe(8);
    expect(s.histogram.reduce((a: number, b: { count: number }) => a + b.count, 0)).toBe(8);
    expect(s.tests).toHaveLength(7);
    const scalars = s.tests.find((t: { name: string }) => t.name === "scalars: forward and backward switch the inputs");
    expect(scalars.count).toBe(7);
    expect(s.failed.map((f: { id: string }) => f.id).sort()).toEqual(["crasher", "garbage", "syntax-error"]);
    expect(s.mistakes.length).toBeGreaterThan(0);
    const html = readFileSync(join(out, "summary.html"), "utf8");
    expect(html).toMatch(/<section id="histogram"><figure[^>]*><svg/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    // The written question no TA has scored: "not scored yet", not a class mean of 0; "–" in the gradebook.
    const explain = s.questions.find((q: { id: string }) => q.id === "explain");
    expect(explain).toMatchObject({ manual: true, scored: 0 });
    expect(html).toMatch(/Written: explain <span class="meta">\(graded by a TA\)<\/span><\/td><td class="n">not scored yet<\/td><td class="n">–<\/td>/);
    expect(html).toMatch(/written questions worth 2 points not scored for everyone yet/);
    expect(html).toMatch(/<a href="perfect\/feedback.html">perfect<\/a><\/td>(<td class="n">[^<]*<\/td>){3}<td class="n">–<\/td><td>no<\/td>/);
  });

  it("collects the written answers into one page per question", () => {
    const page = readFileSync(join(out, "written", "explain.html"), "utf8");
    expect(page).toContain("The gradient flows backwards.");
    expect(page.match(/class="answer"/g)).toHaveLength(8);
  });

  it("shards merged give the same gradebook, summary and reports as one run", async () => {
    const a = runFolder("shard1"), b = runFolder("shard2"), merged = runFolder("merged");
    const items = collectSubmissions([classDir]);
    await gradeClass(assignment, shardOf(items, parseShard("1/2")), factory, { out: a, jobs: 2 });
    await gradeClass(assignment, shardOf(items, parseShard("2/2")), factory, { out: b, jobs: 2 });
    for (const d of [a, b]) writeFileSync(join(d, "assignment.json"), readFileSync(join(dir, "assignment.json")));
    await mergeRuns([a, b], merged);
    expect(comparable(merged)).toEqual(comparable(out));
  });

  it("--resume regrades only a changed submission; the others' reports stay byte for byte", async () => {
    const again = runFolder("resume");
    const subs = join(tempDir("class-resume"), "class");
    mkdirSync(subs);
    for (const name of ["perfect", "max-to-both", "stubs"]) writeFileSync(join(subs, `${name}.ipynb`), notebook(MISTAKES[name].cells));
    await gradeClass(assignment, collectSubmissions([subs]), factory, { out: again, jobs: 2 });
    const before = Object.fromEntries(["perfect", "stubs"].map((id) => [id, readFileSync(join(again, id, "feedback.html"), "utf8")]));
    // max-to-both fixes its MaxGate: the same as perfect now.
    writeFileSync(join(subs, "max-to-both.ipynb"), notebook(MISTAKES.perfect.cells));
    const seen: DoneEvent[] = [];
    await gradeClass(assignment, collectSubmissions([subs]), factory, { out: again, jobs: 2, resume: true, onDone: (e) => seen.push(e) });
    expect(Object.fromEntries(seen.map((e) => [e.item.id, e.status]))).toEqual({ "max-to-both": "graded", perfect: "kept", stubs: "kept" });
    for (const id of ["perfect", "stubs"]) expect(readFileSync(join(again, id, "feedback.html"), "utf8")).toBe(before[id]);
    expect(JSON.parse(readFileSync(join(again, "max-to-both", "results.json"), "utf8")).score).toBe(10);
  });

  it("grading is deterministic: the same submission gets the same report, timings aside", async () => {
    const again = runFolder("again");
    await gradeClass(assignment, collectSubmissions([join(classDir, "perfect.ipynb"), join(classDir, "affine-no-transpose.ipynb")]), factory, { out: again, jobs: 2 });
    for (const id of ["perfect", "affine-no-transpose"]) {
      const c = comparable(again), d = comparable(out);
      for (const f of ["results.json", "feedback.md", "feedback.html", "grade.json"]) expect(c[`${id}/${f}`]).toBe(d[`${id}/${f}`]);
    }
  });

  it("merges a TA's points for the written question into the gradebook and the feedback", async () => {
    const csv = join(tempDir("class-manual"), "scores.csv");
    writeFileSync(csv, 'id,question,points,comment\nperfect,explain,2,"clear, and correct"\nstubs,explain,0.5,\n');
    const manual = readManualScores(csv, assignment.config);
    const again = runFolder("manual");
    await gradeClass(assignment, collectSubmissions([join(classDir, "perfect.ipynb"), join(classDir, "stubs.ipynb")]), factory, { out: again, jobs: 2, manual });
    const { rows } = await writeClassReports(again, assignment.config);
    expect(rows.map((r) => [r.id, r.questions.explain, r.total])).toEqual([["perfect", 2, 12], ["stubs", 0.5, 0.5]]);
    expect(readFileSync(join(again, "perfect", "feedback.md"), "utf8")).toContain("clear, and correct");
    expect(readFileSync(join(again, "perfect", "feedback.html"), "utf8")).toContain("clear, and correct");
    const explain = JSON.parse(readFileSync(join(again, "summary.json"), "utf8")).questions.find((q: { id: string }) => q.id === "explain");
    expect(explain).toMatchObject({ scored: 2, mean: 1.25, full: 1 });
    expect(readFileSync(join(again, "summary.html"), "utf8")).not.toMatch(/not scored (yet|for everyone)/);
    // A later --resume without --manual keeps the TA's points.
    await gradeClass(assignment, collectSubmissions([join(classDir, "perfect.ipynb"), join(classDir, "stubs.ipynb")]), factory, { out: again, jobs: 2, resume: true });
    expect((await writeClassReports(again, assignment.config)).rows.map((r) => [r.id, r.questions.explain, r.total])).toEqual([["perfect", 2, 12], ["stubs", 0.5, 0.5]]);
    expect(() => readManualScores((writeFileSync(csv, "id,question,points\nperfect,explain,3\n"), csv), assignment.config)).toThrow(/between 0 and 2/);
  });
});

describe("a Gradescope export", () => {
  it("reads the subset of YAML Gradescope writes, and refuses what it cannot read", () => {
    const meta = parseGradescopeMetadata([
      "---",
      "submission_1001:",
      "  :submitters:",
      "  - :name: Jane Doe",
      "    :sid: '1234567'",
      "    :email: jane@example.edu",
      "  :created_at: 2026-10-02 21:14:03.123456000 -04:00",
      "  :score: 7.0",
      "submission_1002:",
      "  :submitters:",
      "  - :name: \"Bob # Smith\"",
      "    :sid:",
      "    :email: bob@example.edu",
      "  :created_at: 2026-10-04 01:00:00.000000000 +00:00 # late",
    ].join("\n"));
    expect(meta).toEqual([
      { folder: "submission_1001", submitters: [{ name: "Jane Doe", sid: "1234567", email: "jane@example.edu" }], createdAt: "2026-10-02T21:14:03.123-04:00" },
      { folder: "submission_1002", submitters: [{ name: "Bob # Smith", sid: undefined, email: "bob@example.edu" }], createdAt: "2026-10-04T01:00:00.000+00:00" },
    ]);
    expect(() => parseYamlSubset("a: [1, 2]")).toThrow(MetadataError);
  });

  it("grades the export zip with ids and late penalties from the metadata", async () => {
    const zip = join(tempDir("class-gs"), "export.zip");
    const yml = [
      "submission_1:", "  :submitters:", "  - :name: Jane Doe", "    :sid: 's1'", "    :email: jane@example.edu", "  :created_at: 2026-10-02 21:00:00.000000000 -04:00",
      "submission_2:", "  :submitters:", "  - :name: Late Larry", "    :sid: 's2'", "    :email: larry@example.edu", "  :created_at: 2026-10-04 10:00:00.000000000 -04:00",
    ].join("\n") + "\n";
    writeFileSync(zip, writeZip([
      { name: "assignment_9_export/submission_metadata.yml", data: Buffer.from(yml) },
      { name: "assignment_9_export/submission_1/mini.ipynb", data: Buffer.from(notebook(MISTAKES.perfect.cells)) },
      { name: "assignment_9_export/submission_2/mini.ipynb", data: Buffer.from(notebook(MISTAKES.perfect.cells)) },
    ]));
    const items = collectSubmissions([zip]);
    expect(items.map((i) => [i.id, i.label, i.name])).toEqual([["s1", "submission_1", "Jane Doe"], ["s2", "submission_2", "Late Larry"]]);
    const out = runFolder("gs");
    await gradeClass(assignment, items, factory, { out, jobs: 2 });
    const { rows } = await writeClassReports(out, assignment.config);
    // 2 days late (after 15 minutes' grace): 20 % off.
    expect(rows.map((r) => [r.id, r.lateDays, r.total])).toEqual([["s1", 0, 10], ["s2", 2, 8]]);
  });
});

describe("the command line", () => {
  it("a killed run keeps every finished student complete, and --resume finishes the rest", async () => {
    const out = runFolder("killed");
    const child = spawn(process.execPath, [CLI, "grade", dir, classDir, "--out", out, "--jobs", "1"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    // Kill it hard after the second finished student.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const done = existsSync(out) ? readdirSync(out).filter((n) => existsSync(join(out, n, "grade.json"))).length : 0;
        if (done >= 2 || child.exitCode !== null) {
          clearInterval(timer);
          child.kill("SIGKILL");
          resolve();
        }
      }, 20);
    });
    await new Promise((r) => child.on("close", r));
    const finished = readdirSync(out).filter((n) => existsSync(join(out, n, "grade.json")));
    expect(finished.length).toBeGreaterThanOrEqual(2);
    let graded = 0;
    for (const id of finished) {
      const stored = JSON.parse(readFileSync(join(out, id, "grade.json"), "utf8"));
      if (stored.error) continue; // garbage.ipynb: unreadable, nothing else to write
      graded++;
      expect(() => JSON.parse(readFileSync(join(out, id, "results.json"), "utf8"))).not.toThrow();
      expect(readFileSync(join(out, id, "feedback.html"), "utf8")).toMatch(/<\/html>\n$/);
    }
    const r = spawnSync(process.execPath, [CLI, "grade", dir, classDir, "--out", out, "--jobs", "2", "--resume"], { encoding: "utf8" });
    expect(r.stdout).toMatch(/unchanged \(kept\)/);
    const kept = (r.stdout.match(/unchanged \(kept\)/g) ?? []).length;
    expect(kept).toBe(graded);
    expect(r.stdout).toMatch(new RegExp(`${7 - graded} graded, ${graded} unchanged, 1 unreadable`));
    expect(r.stdout).toMatch(/class summary: .*summary\.html/);
    expect(r.status).toBe(0); // finished: garbage.ipynb is reported unreadable, with its reports
  });

  it("Ctrl-C stops cleanly: no new gradings, what is done is kept and in the gradebook, exit 130", async () => {
    const out = runFolder("sigint");
    const child = spawn(process.execPath, [CLI, "grade", dir, classDir, "--out", out, "--jobs", "1"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (/tests passed/.test(stdout) || child.exitCode !== null) {
          clearInterval(timer);
          child.kill("SIGINT");
          resolve();
        }
      }, 20);
    });
    const code = await new Promise((r) => child.on("close", r));
    expect(code).toBe(130);
    expect(stderr).toMatch(/stopping/);
    const finished = readdirSync(out).filter((n) => existsSync(join(out, n, "grade.json")));
    expect(finished.length).toBeGreaterThanOrEqual(1);
    expect(finished.length).toBeLessThan(8);
    const rows = parseCsv(readFileSync(join(out, "gradebook.csv"), "utf8"));
    expect(rows.slice(1).map((r) => r[0]).sort()).toEqual(finished.sort());
    expect(stdout).toMatch(/not started \(stopped\)/);
  });

  it("shows a progress bar with counts, rate and ETA on a terminal", () => {
    const written: string[] = [];
    const p = new Progress(3, true, (s) => written.push(s));
    p.onDone({ item: { id: "a", path: "a.ipynb" }, status: "unreadable", error: "not a notebook", ms: 5 });
    expect(written.join("")).toMatch(/a\tunreadable\tnot a notebook\n/);
    expect(written.join("")).toMatch(/\[#{9}\.{19}\] 1\/3 .*\/s .*ETA/);
  });

  it("gradlab grade merge combines --shard runs", () => {
    const a = runFolder("cli-shard1"), b = runFolder("cli-shard2"), merged = runFolder("cli-merged");
    const subs = [join(classDir, "perfect.ipynb"), join(classDir, "stubs.ipynb"), join(classDir, "max-to-both.ipynb")];
    for (const [i, out] of [[1, a], [2, b]] as const) {
      const r = spawnSync(process.execPath, [CLI, "grade", dir, ...subs, "--out", out, "--shard", `${i}/2`], { encoding: "utf8" });
      expect(r.status).toBe(0);
    }
    const r = spawnSync(process.execPath, [CLI, "grade", "merge", a, b, "--out", merged], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/3 students merged from 2 folders/);
    expect(parseCsv(readFileSync(join(merged, "gradebook.csv"), "utf8")).map((row) => row[0])).toEqual(["id", "max-to-both", "perfect", "stubs"]);
  });
});
