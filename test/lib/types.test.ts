/**
 * The library's overloads type what a lecture or a student writes: `new MultiplyGate().forward(3, -4)`
 * is a number, a Tensor input gives a Tensor, `new Graph<number>()` gives number results. The fixture
 * (test/lib/types/overloads.ts) states the expected types and, with @ts-expect-error, the calls that
 * must be refused; ts-jest does not type-check (isolatedModules), so this test runs the compiler on it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as ts from "typescript";
import { gradlabProgram } from "../support/typecheck";

const fixture = join(__dirname, "types", "overloads.ts");

function diagnostics(file: string): string[] {
  return ts.getPreEmitDiagnostics(gradlabProgram([file]))
    .filter((d) => d.file?.fileName === file)
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
}

test("the overloads give the expected types and refuse the wrong calls", () => {
  expect(diagnostics(fixture)).toEqual([]);
}, 120_000);

test("the fixture's checks can fail: a wrong expected type and a call that is not an error are reported", () => {
  const text = readFileSync(fixture, "utf8");
  // Turn one exact-type check and one expected error around; the compiler must now object to both.
  const broken = text
    .replace("exact<number>()(mul.forward(3, -4));", "exact<Num>()(mul.forward(3, -4));")
    .replace("// @ts-expect-error: a MultiplyGate<number> takes no Tensor\nscalarMul.forward(t, 2);", "// @ts-expect-error: not an error\nscalarMul.forward(1, 2);");
  expect(broken).not.toBe(text);
  const dir = mkdtempSync(join(tmpdir(), "gradlab-types-"));
  try {
    const copy = join(dir, "overloads.ts");
    writeFileSync(copy, broken);
    const found = diagnostics(copy);
    expect(found).toHaveLength(2);
    expect(found.join("\n")).toMatch(/Unused '@ts-expect-error' directive/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
