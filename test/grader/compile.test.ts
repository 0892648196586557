/**
 * compileProgram reuses the previous program's files and module resolutions (only the submission
 * differs between students). Each program must still get its own diagnostics, names and forbidden uses,
 * whatever was compiled before it.
 */
import { assembleProgram, ProgramCell } from "../../grader/program/assemble";
import { compileProgram } from "../../grader/program/compile";

const cell = (n: number, source: string, gradeId?: string): ProgramCell => ({ cell: n, role: gradeId ? "solution" : "provided", gradeId, source });

const typeError = assembleProgram([
  cell(1, `import { Tensor } from "gradlab";`),
  cell(2, `function double(x: number): number {\n  return x * 2;\n}\nconst s: string = double(2);`, "q1"),
]);
const clean = assembleProgram([
  cell(1, `import { Tensor } from "gradlab";`),
  cell(2, `function double(x: number): number {\n  return x * 2;\n}\nconst t = Tensor.from([1, 2]).mul(double(2));`, "q1"),
]);
const forbidden = assembleProgram([
  cell(1, `import { MultiplyGate as Mine } from "gradlab";`),
  cell(2, `function double(x: number): number {\n  return new Mine().forward(x, 2);\n}`, "q1"),
]);

// Each key includes the program's text, so these are three compiles, never a cache hit between them.
const compile = (p: ReturnType<typeof assembleProgram>) => compileProgram(p, ["double"], ["MultiplyGate"]);

test("a program's diagnostics are its own, whatever was compiled before", () => {
  const first = compile(typeError);
  expect(first.diagnostics).toHaveLength(1);
  expect(first.diagnostics[0]).toMatchObject({ origin: { cell: 2, line: 4 }, syntax: false });
  expect(first.diagnostics[0].message).toMatch(/not assignable to type 'string'/);

  const second = compile(clean);
  expect(second.diagnostics).toEqual([]);
  expect(second.forbiddenUses).toEqual([]);
  expect(second.js).toMatch(/__gradlab_exports = \{ "double": typeof double/);

  const third = compile(forbidden);
  expect(third.diagnostics).toEqual([]);
  expect(third.forbiddenUses).toEqual([{ name: "MultiplyGate", origin: expect.objectContaining({ cell: 2, line: 2 }) }]);
  expect(third.declaredIn.get("double")).toBe(2);
});

test("the same program compiled after others gives the same result as before them", () => {
  const edited = (p: ReturnType<typeof assembleProgram>, n: number) => assembleProgram(p.cells.map((c, i) => (i === 1 ? { ...c, source: `${c.source}\n// edit ${n}` } : c)));
  const alone = compile(edited(typeError, 1));
  compile(edited(clean, 2));
  compile(edited(forbidden, 3));
  const after = compile(edited(typeError, 4));
  expect(after.diagnostics).toEqual(alone.diagnostics);
  // The code is the same; the inline source maps differ by the edit comment's text.
  const code = (js: string) => js.replace(/\/\/ edit \d/, "").replace(/\/\/# sourceMappingURL=.*/, "");
  expect(code(after.js)).toEqual(code(alone.js));
});
