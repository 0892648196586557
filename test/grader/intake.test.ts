import { createHash } from "crypto";
import { mkdirSync, symlinkSync, writeFileSync } from "fs";
import { join } from "path";
import { serializeNotebook } from "../../kernel/runner/nbformat";
import { readSubmission } from "../../grader/submission/intake";
import { writeZip } from "../../grader/submission/zip";
import { tempDir } from "../support/temp";
import { code, nbgrader, notebook } from "./fixtures";

const nbText = serializeNotebook(notebook([code("const answer = 42;", nbgrader({ solution: true, grade_id: "q1" }))]));
const sha = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

function put(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, ...name.split("/").slice(0, -1)), { recursive: true });
    writeFileSync(join(dir, ...name.split("/")), text);
  }
  return dir;
}

describe("readSubmission", () => {
  it("reads a notebook file, hashing its bytes", () => {
    const dir = put(tempDir("intake"), { "a1.ipynb": nbText });
    const sub = readSubmission(join(dir, "a1.ipynb"));
    expect(sub.kind).toBe("notebook");
    if (sub.kind !== "notebook") return;
    expect(sub.notebook.cells[0].source).toBe("const answer = 42;");
    expect(sub.file).toBe("a1.ipynb");
    expect(sub.sha256).toBe(sha(nbText));
  });

  it("finds the one notebook in a folder or a zip, ignoring checkpoints and macOS litter", () => {
    const files = { "hw/a1.ipynb": nbText, "hw/.ipynb_checkpoints/a1-checkpoint.ipynb": nbText, "__MACOSX/hw/._a1.ipynb": "junk", "hw/notes.txt": "x" };
    const folder = readSubmission(put(tempDir("intake"), files));
    const dir = tempDir("intake");
    writeFileSync(join(dir, "submission.zip"), writeZip(Object.entries(files).map(([name, data]) => ({ name, data }))));
    const zipped = readSubmission(join(dir, "submission.zip"));
    for (const sub of [folder, zipped]) {
      expect(sub).toMatchObject({ kind: "notebook", file: "hw/a1.ipynb", sha256: sha(nbText) });
    }
  });

  it("reads .ts files from a folder or zip, the same paths and hash either way", () => {
    const files = { "src/gates.ts": "export class AddGate {}\n", "src/util/math.ts": "export const two = 2;\n", "src/readme.md": "hi" };
    const folder = readSubmission(join(put(tempDir("intake"), files), "src"));
    const dir = tempDir("intake");
    writeFileSync(join(dir, "s.zip"), writeZip(Object.entries(files).map(([name, data]) => ({ name, data }))));
    const zipped = readSubmission(join(dir, "s.zip"));
    for (const sub of [folder, zipped]) {
      expect(sub.kind).toBe("folder");
      if (sub.kind !== "folder") return;
      expect([...sub.files.keys()].sort()).toEqual(["gates.ts", "util/math.ts"]);
      expect(sub.files.get("util/math.ts")).toBe("export const two = 2;\n");
    }
    expect(folder.sha256).toBe(zipped.sha256);
    const changed = readSubmission(join(put(tempDir("intake"), { ...files, "src/gates.ts": "export class AddGate { }\n" }), "src"));
    expect(changed.sha256).not.toBe(folder.sha256);
  });

  it("says what is wrong: no notebook, two notebooks, not JSON, not nbformat 4", () => {
    const dir = tempDir("intake");
    writeFileSync(join(dir, "submission.zip"), writeZip([{ name: "answers.txt", data: "x" }]));
    expect(() => readSubmission(join(dir, "submission.zip"))).toThrow("no notebook in submission.zip (found: answers.txt)");
    writeFileSync(join(dir, "two.zip"), writeZip([{ name: "a.ipynb", data: nbText }, { name: "b.ipynb", data: nbText }]));
    expect(() => readSubmission(join(dir, "two.zip"))).toThrow("two.zip: two notebooks: a.ipynb, b.ipynb; which one?");
    writeFileSync(join(dir, "bad.ipynb"), "{ not json");
    expect(() => readSubmission(join(dir, "bad.ipynb"))).toThrow(/bad\.ipynb: not a valid Jupyter notebook: invalid JSON/);
    writeFileSync(join(dir, "old.ipynb"), JSON.stringify({ nbformat: 3, worksheets: [] }));
    expect(() => readSubmission(join(dir, "old.ipynb"))).toThrow(/old\.ipynb: .*only nbformat 4 is supported, found nbformat 3/);
    expect(() => readSubmission(join(dir, "missing.ipynb"))).toThrow("no such file or folder");
  });

  it("accepts a notebook saved with a byte-order mark", () => {
    const dir = put(tempDir("intake"), { "a.ipynb": "\ufeff" + nbText });
    expect(readSubmission(join(dir, "a.ipynb")).kind).toBe("notebook");
  });

  it("refuses a symbolic link in a folder and a hostile zip", () => {
    const dir = put(tempDir("intake"), { "a.ipynb": nbText });
    symlinkSync("/etc/passwd", join(dir, "secret.ts"));
    expect(() => readSubmission(dir)).toThrow('"secret.ts" is a symbolic link');
    const zdir = tempDir("intake");
    writeFileSync(join(zdir, "s.zip"), writeZip([{ name: "../a.ipynb", data: nbText }]));
    expect(() => readSubmission(join(zdir, "s.zip"))).toThrow('s.zip: entry "../a.ipynb" refused');
  });
});
