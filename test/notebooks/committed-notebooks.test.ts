/**
 * The committed lecture notebooks, without running a kernel: valid nbformat 4.5 for the gradlab kernel,
 * in step with their sources in notebooks/src (the generator's output), executed with outputs saved,
 * every plot with an SVG fallback, and the known answers of the lecture among their checked numbers.
 */
import { spawnSync } from "child_process";
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { describeWith, DEBIAN_PYTHON, requirements } from "../support/requirements";
import { buildNotebook, differences, parsePercent, serialize, sourceNames } from "../../notebooks/build";
import { checkLines, joined, KNOWN_ANSWERS, NOTEBOOKS, notebookNames, readNotebook } from "./support";

const names = notebookNames();
const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

test("there are ten lecture notebooks, one per source in notebooks/src", () => {
  expect(names).toHaveLength(10);
  expect(sourceNames(NOTEBOOKS)).toEqual(names);
  expect(Object.keys(KNOWN_ANSWERS).sort()).toEqual(names.map((n) => n.slice(0, 2)));
});

describe.each(names)("%s", (name) => {
  const nb = readNotebook(join(NOTEBOOKS, `${name}.ipynb`));

  test("is nbformat 4.5 for the gradlab kernel (TypeScript)", () => {
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.metadata.kernelspec).toMatchObject({ name: "gradlab", language: "typescript" });
    expect(nb.metadata.language_info?.name).toBe("typescript");
    const ids = nb.cells.map((c) => c.id);
    ids.forEach((id) => expect(id).toMatch(CELL_ID));
    expect(new Set(ids).size).toBe(ids.length);
    nb.cells.forEach((c) => expect(["markdown", "code"]).toContain(c.cell_type));
  });

  test("matches its source in notebooks/src (rebuild with the generator if this fails)", () => {
    const source = readFileSync(join(NOTEBOOKS, "src", `${name}.ts`), "utf8");
    expect(differences(nb as never, parsePercent(source, `src/${name}.ts`))).toEqual([]);
  });

  test("was executed top to bottom and kept its outputs, with errors only where expected", () => {
    const code = nb.cells.filter((c) => c.cell_type === "code");
    expect(code.map((c) => c.execution_count)).toEqual(code.map((_, i) => i + 1));
    for (const cell of code) {
      const errors = (cell.outputs ?? []).filter((o) => o.output_type === "error");
      const expected = cell.metadata?.tags?.includes("raises-exception") ?? false;
      expect({ cell: cell.id, errors: errors.length > 0 }).toEqual({ cell: cell.id, errors: expected });
    }
    expect(code.filter((c) => (c.outputs ?? []).length > 0).length).toBeGreaterThanOrEqual(code.length / 2);
  });

  test("shows every plot and graph as SVG too (for classic Notebook, GitHub and exports)", () => {
    const rich = nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data);
    for (const o of rich) {
      if ("application/vnd.vegalite.v5+json" in o.data!) expect(Object.keys(o.data!)).toContain("image/svg+xml");
    }
    const svgs = rich.map((o) => o.data!["image/svg+xml"]).filter((s) => s !== undefined).map((s) => joined(s as string[]));
    expect(svgs.length).toBeGreaterThan(0);
    for (const svg of svgs) {
      expect(svg.trimStart()).toMatch(/^<svg[\s>]/);
      expect(svg.trimEnd()).toMatch(/<\/svg>$/);
    }
  });

  test("prints the lecture's known answers among its checked numbers", () => {
    const lines = checkLines(nb);
    expect(lines.length).toBeGreaterThan(0);
    for (const answer of KNOWN_ANSWERS[name.slice(0, 2)]) {
      expect(lines.filter((l) => l.includes(answer))).not.toEqual([]);
    }
  });

  test("ends with a summary and an exercise cell that ran without error", () => {
    const summary = nb.cells.findIndex((c) => c.cell_type === "markdown" && /^## Summary/m.test(joined(c.source)));
    expect(summary).toBeGreaterThan(0);
    const exercises = nb.cells.slice(summary).filter((c) => c.cell_type === "code" && (c.metadata?.tags ?? []).includes("exercise"));
    expect(exercises.length).toBeGreaterThan(0);
    // Not meant to fail, so --check ran them: they must have outputs and no error.
    for (const c of exercises) {
      expect(c.outputs?.length).toBeGreaterThan(0);
      expect(c.outputs!.filter((o) => o.output_type === "error")).toEqual([]);
    }
  });
});

describe("the generator", () => {
  test("writes nbformat's own layout: sorted keys, 1-space indent, sources as line lists", () => {
    const cells = parsePercent("// %% [markdown]\n// # Title\n//\n// Text $x^2$\n\n// %% tags=[\"raises-exception\"]\nconst a = 1;\n\nthrow new Error(\"no\");\n", "t.ts");
    expect(cells).toEqual([
      { kind: "markdown", source: "# Title\n\nText $x^2$", tags: [] },
      { kind: "code", source: "const a = 1;\n\nthrow new Error(\"no\");", tags: ["raises-exception"] },
    ]);
    const text = serialize(buildNotebook(cells));
    expect(text).toContain('\n "cells": [\n  {\n   "cell_type": "markdown",\n   "id": "cell-01",');
    expect(text).toContain('"source": [\n    "const a = 1;\\n",\n    "\\n",\n    "throw new Error(\\"no\\");"\n   ]');
    expect(text.endsWith("}\n")).toBe(true);
  });

  test("rejects malformed sources with the file and line", () => {
    expect(() => parsePercent("const a = 1;\n// %%\nx", "a.ts")).toThrow(/a\.ts:1: text before the first "\/\/ %%" marker/);
    expect(() => parsePercent("// %% [markdown]\nnot a comment\n", "b.ts")).toThrow(/b\.ts:2: a Markdown line must start with "\/\/ "/);
    expect(() => parsePercent("// %% [python]\nx\n", "c.ts")).toThrow(/c\.ts:1: unknown cell marker/);
    expect(() => parsePercent("// %%\n\n// %%\nx\n", "d.ts")).toThrow(/d\.ts: cell 1 \(code\) is empty/);
  });

  test("reports a notebook whose source changed", () => {
    const cells = parsePercent("// %%\nconst a = 1;\n", "e.ts");
    const nb = buildNotebook(cells);
    (nb.cells[0].source as string[])[0] = "const a = 2;";
    expect(differences(nb, cells)).toEqual(["cell 1 (cell-01): source differs from src/"]);
  });
});

describeWith([requirements.nbformat], "Python's nbformat", () => {
  test("validates every committed notebook", () => {
    const paths = names.map((n) => join(NOTEBOOKS, `${n}.ipynb`));
    paths.forEach((p) => expect(existsSync(p)).toBe(true));
    const script = "import sys, nbformat\nfor p in sys.argv[1:]:\n    nbformat.validate(nbformat.read(p, as_version=nbformat.NO_CONVERT))\nprint('valid', len(sys.argv) - 1)";
    const r = spawnSync(DEBIAN_PYTHON, ["-c", script, ...paths], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(`valid ${paths.length}`);
  });
});

test("README's slide-by-slide table cites cells that exist", () => {
  const readme = readFileSync(join(NOTEBOOKS, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Slide by slide"), readme.indexOf("## Running them"));
  const rows = section.split("\n").filter((l) => /^\| .* \| \d\d, cell-\d\d/.test(l));
  expect(rows.length).toBeGreaterThan(15);
  for (const row of rows) {
    const where = row.slice(row.lastIndexOf("| ", row.length - 3) + 2);
    const nn = where.slice(0, 2), ids = where.match(/cell-\d\d/g)!;
    const nb = readNotebook(join(NOTEBOOKS, `${names.find((n) => n.startsWith(nn))}.ipynb`));
    for (const id of ids) expect({ row: where, id, exists: nb.cells.some((c) => c.id === id) }).toEqual({ row: where, id, exists: true });
  }
});
