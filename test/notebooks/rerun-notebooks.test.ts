/**
 * Re-runs every lecture notebook with the notebook runner in --check mode (embedded kernel, no Python)
 * into a temporary folder, and checks that the numbers each notebook asserts come out again exactly as
 * committed. The notebooks assert their known answers themselves, so a wrong library fails the run.
 * Needs the compiled dist/ (npm test builds it first). Takes one to two minutes: all ten notebooks.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { checkLines, KNOWN_ANSWERS, NOTEBOOKS, notebookNames, readNotebook, ROOT } from "./support";

const names = notebookNames();
let out = "";
let run: ReturnType<typeof spawnSync>;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "gradlab-notebooks-"));
  run = spawnSync(process.execPath, [join(ROOT, "bin", "gradlab.js"), "run", ...names.map((n) => join(NOTEBOOKS, `${n}.ipynb`)),
    "--out", out, "--check", "--jobs", "2", "--quiet"], { cwd: ROOT, encoding: "utf8", timeout: 12 * 60_000 });
}, 13 * 60_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

test("all notebooks run to the end in --check mode", () => {
  expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toMatchObject({ status: 0, signal: null });
  expect(run.stdout).toContain(`${names.length} of ${names.length} notebooks ran without failure`);
});

test.each(names)("%s reproduces its checked numbers", (name) => {
  const committed = checkLines(readNotebook(join(NOTEBOOKS, `${name}.ipynb`)));
  const rerun = checkLines(readNotebook(join(out, `${name}.ipynb`)));
  if (JSON.stringify(rerun) !== JSON.stringify(committed)) {
    const changed = [...rerun.filter((l) => !committed.includes(l)).map((l) => `+ ${l}`), ...committed.filter((l) => !rerun.includes(l)).map((l) => `- ${l}`)];
    throw new Error(`${name}: the checked numbers differ from the committed outputs (+ now, - committed):\n${changed.join("\n")}\n` +
      "If the library changed on purpose, refresh the outputs: node bin/gradlab.js run notebooks --inplace --check");
  }
  for (const answer of KNOWN_ANSWERS[name.slice(0, 2)]) expect(rerun.some((l) => l.includes(answer))).toBe(true);
});
