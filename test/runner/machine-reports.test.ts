/**
 * `gradlab run --junit FILE --json FILE`: results for CI systems and scripts, one test case per
 * notebook, cells named In[N]. The XML is checked by Python's parser. Runs the compiled dist/.
 */
import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import { jsonReport, junitReport } from "../../kernel/runner/machine-reports";
import type { NotebookSummary } from "../../kernel/runner/report";
import { runCli, tempDir, writeNotebook } from "./helpers";

jest.setTimeout(120000);

/** Python's own XML parser: the testsuite's counts and each testcase's name and outcome tag. */
function parseJunit(xml: string): { counts: Record<string, string>; cases: [string, string][] } {
  const script = [
    "import sys, json, xml.etree.ElementTree as ET",
    "root = ET.fromstring(sys.stdin.read())",
    "suite = root.find('testsuite')",
    "cases = [[c.get('name'), (list(c)[0].tag if len(c) else 'passed')] for c in suite.findall('testcase')]",
    "print(json.dumps({'counts': dict(suite.attrib), 'cases': cases}))",
  ].join("\n");
  const r = spawnSync("/usr/bin/python3", ["-c", script], { input: xml, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`not well-formed XML: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const summary = (label: string, status: NotebookSummary["status"], extra: Partial<NotebookSummary> = {}): NotebookSummary =>
  ({ label, status, cellsDone: 1, cellsTotal: 1, elapsedMs: 1500, written: null, failures: [], ...extra });

test("JUnit XML: one test case per notebook; failures, errors and skips counted; text escaped", () => {
  const failed = summary("a&b <1>.ipynb", "failed", {
    failures: [{ kind: "error", cellNumber: 3, executionCount: 2, firstLine: 'x = "<y>"', ename: "TypeError", evalue: "bad \x1b[31mred\x1b[0m & \x07bell", traceback: ["\x1b[31mTypeError\x1b[0m: bad"] }],
  });
  const xml = junitReport([summary("ok.ipynb", "ok"), failed, summary("dead.ipynb", "kernel died"), summary("never.ipynb", "not run")]);
  const parsed = parseJunit(xml);
  expect(parsed.counts).toMatchObject({ tests: "4", failures: "1", errors: "1", skipped: "1", time: "6" });
  expect(parsed.cases).toEqual([["ok.ipynb", "passed"], ["a&b <1>.ipynb", "failure"], ["dead.ipynb", "error"], ["never.ipynb", "skipped"]]);
  expect(xml).toContain('message="cell In[2] TypeError: bad red &amp; bell"');
});

test("gradlab run writes both files; the JSON names cells In[N]", async () => {
  const dir = tempDir("run-reports");
  writeNotebook(dir, "good.ipynb", ["1 + 1"]);
  writeNotebook(dir, "bad.ipynb", ["const ok = 1;", 'throw new RangeError("nope")']);
  const junit = join(dir, "out", "junit.xml"), json = join(dir, "out", "results.json");
  const run = await runCli([dir, "--quiet", "--check", "--junit", junit, "--json", json], { cwd: dir });
  expect(run.code).toBe(1);
  const parsed = parseJunit(readFileSync(junit, "utf8"));
  expect(parsed.cases.sort()).toEqual([["bad.ipynb", "failure"], ["good.ipynb", "passed"]]);
  const results = JSON.parse(readFileSync(json, "utf8"));
  expect(results.ok).toBe(false);
  const bad = results.notebooks.find((n: { notebook: string }) => n.notebook === "bad.ipynb");
  expect(bad).toMatchObject({ status: "failed", cellsDone: 2, cellsTotal: 2 });
  expect(bad.failures).toEqual([expect.objectContaining({ kind: "error", cell: "In[2]", executionCount: 2, ename: "RangeError", evalue: "nope" })]);
  expect(JSON.parse(jsonReport([]))).toEqual({ ok: true, notebooks: [] });
});
