import * as ts from "typescript";
import { cellRoles, releaseNotebook, stripSolutions, writtenAnswers, WRITTEN_PLACEHOLDER } from "../../grader/notebook/cells";
import type { CodeCell, TextCell } from "../../kernel/runner/nbformat";
import { code, markdown, nbgrader, notebook } from "./fixtures";

const solutionCell = code(
  [
    "class MultiplyGate {",
    "  forward(x: number, y: number): number {",
    "    // BEGIN SOLUTION",
    "    // STUB: return x times y",
    "    this.x = x;",
    "    return x * y;",
    "    // END SOLUTION",
    "  }",
    "  x = 0;",
    "}",
  ].join("\n"),
  nbgrader({ solution: true, grade_id: "gates-multiply" }),
);

function sample() {
  return notebook([
    markdown("# Assignment"),
    solutionCell,
    code("checkGate(MultiplyGate, [3, -4]);", nbgrader({ grade: true, grade_id: "check-multiply", points: 0 })),
    code("const data = [1, 2, 3];", nbgrader({ locked: true, grade_id: "provided-data" })),
    markdown("The sigmoid's derivative is s(1 - s) because ...", nbgrader({ solution: true, grade: true, grade_id: "written-sigmoid", points: 5 })),
    code("console.log('trying things');"),
  ]);
}

describe("cellRoles", () => {
  it("reads each role from nbgrader metadata", () => {
    const roles = cellRoles(sample());
    expect(roles.map((r) => r.role)).toEqual(["prose", "solution", "check", "provided", "written", "scratch"]);
    expect(roles.map((r) => r.gradeId)).toEqual([undefined, "gates-multiply", "check-multiply", "provided-data", "written-sigmoid", undefined]);
    expect(roles[4].points).toBe(5);
  });

  it("treats a code cell with nbgrader metadata but no flags as scratch, a locked markdown cell as prose", () => {
    const roles = cellRoles(notebook([code("1", nbgrader({ grade_id: "x" })), markdown("m", nbgrader({ locked: true, grade_id: "y" }))]));
    expect(roles.map((r) => r.role)).toEqual(["scratch", "prose"]);
  });

  it("refuses a solution cell without grade_id, naming the cell", () => {
    const nb = notebook([markdown("x"), code("// BEGIN SOLUTION\n1\n// END SOLUTION", { nbgrader: { solution: true } })]);
    expect(() => cellRoles(nb)).toThrow(/cell 2: a solution cell needs a grade_id/);
  });

  it("refuses duplicate grade_ids, naming both cells", () => {
    const nb = notebook([code("1", nbgrader({ solution: true, grade_id: "q1" })), code("2", nbgrader({ locked: true, grade_id: "q1" }))]);
    expect(() => cellRoles(nb)).toThrow(/grade_id "q1" is used by cell 1 and cell 2/);
  });
});

describe("stripSolutions", () => {
  it("replaces a region by a throw at the region's indentation, with the STUB text", () => {
    const out = stripSolutions(solutionCell.source, "cell 2");
    expect(out.split("\n")).toEqual([
      "class MultiplyGate {",
      "  forward(x: number, y: number): number {",
      '    throw new Error("not implemented yet: return x times y");',
      "  }",
      "  x = 0;",
      "}",
    ]);
  });

  it("uses the default hint without a STUB line, and handles several regions", () => {
    const out = stripSolutions("a();\n// BEGIN SOLUTION\nb();\n// END SOLUTION\n\tif (c) {\n\t// BEGIN SOLUTION\n\td();\n\t// END SOLUTION\n\t}", "f.ts", "do it");
    expect(out).toBe('a();\nthrow new Error("not implemented yet: do it");\n\tif (c) {\n\tthrow new Error("not implemented yet: do it");\n\t}');
  });

  it("escapes a hint with quotes and backslashes into a valid string literal", () => {
    const out = stripSolutions('// BEGIN SOLUTION\n// STUB: say "hi" \\ there\nx();\n// END SOLUTION', "f.ts");
    const sf = ts.createSourceFile("f.ts", out, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
    expect((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
    expect(out).toContain('say \\"hi\\" \\\\ there');
  });

  it("leaves text without markers unchanged (CRLF included)", () => {
    expect(stripSolutions("a\r\nb\r\n", "f.ts")).toBe("a\r\nb\r\n");
    expect(stripSolutions("a\r\n// BEGIN SOLUTION\r\nsecret\r\n// END SOLUTION\r\nb", "f.ts", "h")).toBe('a\r\nthrow new Error("not implemented yet: h");\r\nb');
  });

  it("reports unbalanced and nested markers with the place", () => {
    expect(() => stripSolutions("x\n// END SOLUTION", "gates.ts")).toThrow('gates.ts, line 2: "// END SOLUTION" without a "// BEGIN SOLUTION"');
    expect(() => stripSolutions("// BEGIN SOLUTION\nx", "gates.ts")).toThrow('gates.ts, line 1: "// BEGIN SOLUTION" is never closed');
    expect(() => stripSolutions("// BEGIN SOLUTION\n  // BEGIN SOLUTION\n// END SOLUTION", "gates.ts")).toThrow("line 2: \"// BEGIN SOLUTION\" inside the region opened on line 1");
  });

  it("gives a method body that type-checks", () => {
    const out = stripSolutions(solutionCell.source.replace("  x = 0;", "  x = 0;\n  y(): string {\n    // BEGIN SOLUTION\n    return 'a';\n    // END SOLUTION\n  }"), "c");
    const host = ts.createCompilerHost({ strict: true, noEmit: true, lib: ["lib.es2022.d.ts"] });
    const original = host.getSourceFile;
    host.getSourceFile = (name, lang) => (name === "cell.ts" ? ts.createSourceFile(name, out, lang) : original.call(host, name, lang));
    const program = ts.createProgram(["cell.ts"], { strict: true, noEmit: true, lib: ["lib.es2022.d.ts"], types: [] }, host);
    const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(messages).toEqual([]);
  });
});

describe("releaseNotebook", () => {
  it("stubs solutions, blanks written answers and their attachments, clears outputs, resets counts", () => {
    const nb = sample();
    (nb.cells[4] as TextCell).attachments = { "model.png": { "image/png": "iVBORw0KGgo=" } };
    const before = JSON.stringify(nb);
    const out = releaseNotebook(nb, "a1.ipynb");
    expect(JSON.stringify(nb)).toBe(before); // the source notebook is untouched
    const cells = out.cells;
    expect(cells[1].source).toContain('throw new Error("not implemented yet: return x times y");');
    expect(cells[1].source).not.toContain("x * y");
    expect((cells[1] as CodeCell).outputs).toEqual([]);
    expect((cells[2] as CodeCell).outputs).toEqual([]);
    expect((cells[3] as CodeCell).outputs).toEqual([]); // a provided cell's output may show the reference's results
    expect((cells[5] as CodeCell).outputs).toEqual([]);
    expect(cells[4].source).toBe(WRITTEN_PLACEHOLDER);
    expect((cells[4] as TextCell).attachments).toBeUndefined();
    expect((nb.cells[3] as CodeCell).outputs).toHaveLength(1); // (the fixture had outputs to clear)
    for (const cell of cells) if (cell.cell_type === "code") expect(cell.execution_count).toBeNull();
    expect(cells[1].metadata).toEqual(solutionCell.metadata); // nbgrader metadata kept: grading matches by grade_id
  });

  it("replaces a solution cell without markers whole, naming its grade_id", () => {
    const out = releaseNotebook(notebook([code("secretAnswer();", nbgrader({ solution: true, grade_id: "q7" }))]));
    expect(out.cells[0].source).toBe('// YOUR CODE HERE\nthrow new Error("not implemented yet: write your solution for \\"q7\\"");');
  });

  it("names the cell when its markers are unbalanced", () => {
    const nb = notebook([markdown("x"), code("// BEGIN SOLUTION\nx", nbgrader({ solution: true, grade_id: "q2" }))]);
    expect(() => releaseNotebook(nb, "a1.ipynb")).toThrow('a1.ipynb cell 2 (grade_id "q2"), line 1: "// BEGIN SOLUTION" is never closed');
  });

  it("refuses solution markers in a provided cell (they would ship the solution)", () => {
    const nb = notebook([code("// BEGIN SOLUTION\nx\n// END SOLUTION", nbgrader({ locked: true, grade_id: "p" }))]);
    expect(() => releaseNotebook(nb)).toThrow(/cell 1 \(grade_id "p"\): a solution region in a provided cell/);
  });
});

describe("writtenAnswers", () => {
  it("maps grade_id to the Markdown answer", () => {
    expect(writtenAnswers(sample())).toEqual({ "written-sigmoid": "The sigmoid's derivative is s(1 - s) because ..." });
  });
});
