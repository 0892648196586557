/**
 * studentFrames maps a real stack of the compiled program (no source maps in the process that threw,
 * as in the sandboxed child) back to the student's cells, through the compiler's source map.
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { assembleProgram, ProgramCell } from "../../grader/program/assemble";
import { compileProgram, JS_FILE } from "../../grader/program/compile";
import { studentFrames } from "../../grader/program/stack";

const cell = (n: number, source: string, gradeId?: string): ProgramCell => ({ cell: n, role: gradeId ? "solution" : "provided", gradeId, source });

// Types and interfaces vanish from the JavaScript, so its line numbers are not the cells' lines: only a
// correct mapping finds "cell 3, line 5".
const program = assembleProgram([
  cell(1, `interface Pair {\n  a: number;\n  b: number;\n}\ntype Maybe<T> = T | undefined;`),
  cell(2, `function helper(p: Pair): number {\n  const q: Maybe<number> = p.a;\n  return check(q);\n}`, "q1"),
  cell(3, `interface Unused {\n  x: string;\n}\nfunction check(v: number | undefined): number {\n  if (v === undefined || v < 0) throw new RangeError("negative");\n  return v;\n}`, "q1"),
]);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gradlab-stack-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stackOfRun(compiled: ReturnType<typeof compileProgram>): string {
  const file = join(dir, JS_FILE);
  writeFileSync(file, compiled.js);
  const helper = require(file).__gradlab_exports.helper as (p: { a: number; b: number }) => number;
  try {
    helper({ a: -1, b: 0 });
  } catch (e) {
    return (e as Error).stack!;
  }
  throw new Error("helper did not throw");
}

test("a thrown error's frames become the cells and lines the student wrote", () => {
  const compiled = compileProgram(program, ["helper", "check"], []);
  expect(compiled.js).not.toMatch(/sourceMappingURL/); // the child gets no map to parse
  const stack = stackOfRun(compiled);
  expect(stack).toMatch(new RegExp(`${JS_FILE}:\\d+:\\d+`));
  expect(studentFrames(stack, program, compiled)).toEqual([
    "at check (cell 3 (q1), line 5)",
    "at helper (cell 2 (q1), line 3)",
  ]);
});

test("frames outside the program are dropped, and the limit is kept", () => {
  const compiled = compileProgram(program, ["helper", "check"], []);
  const stack = stackOfRun(compiled);
  expect(studentFrames(stack, program, compiled, 1)).toEqual(["at check (cell 3 (q1), line 5)"]);
  const foreign = "RangeError: x\n    at run (/gradlab/node_modules/gradlab/dist/lib/tensor/tensor.js:10:5)\n    at /somewhere/other-submission.js:3:1";
  expect(studentFrames(foreign, program, compiled)).toEqual([]);
  expect(studentFrames(undefined, program, compiled)).toEqual([]);
});
