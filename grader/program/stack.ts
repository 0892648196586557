/**
 * A student's stack trace in the student's own terms: frames in the compiled program
 * (`submission.js:40:9`) go through the compiler's source map to the assembled program's line, which
 * becomes "cell 7 (gates-multiply), line 3"; frames inside gradlab and Node are dropped, because they
 * only bury the line the student must fix.
 *
 * The mapping happens here, in the grader, and not in the sandboxed child: a child that mapped its own
 * stacks parsed the program's map (and had V8 optimise the parser) in every process, ~30 ms of each
 * child's CPU; here a map is parsed once per program, and only when an error needs it.
 */
import { SourceMap } from "module";
import { AssembledProgram, describeOrigin } from "./assemble";
import { CompiledProgram, JS_FILE } from "./compile";

const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?\s*$/;

const parsedMaps = new WeakMap<CompiledProgram, SourceMap>();

function sourceMapOf(compiled: CompiledProgram): SourceMap {
  let map = parsedMaps.get(compiled);
  if (!map) {
    map = new SourceMap(JSON.parse(compiled.sourceMap));
    parsedMaps.set(compiled, map);
  }
  return map;
}

/** The assembled program's 0-based line for a 1-based line and column of the compiled program, if mapped. */
function programLine(compiled: CompiledProgram, line: number, column: number): number | undefined {
  const entry = sourceMapOf(compiled).findEntry(line - 1, column - 1) as { originalLine?: number };
  return entry.originalLine;
}

export function studentFrames(stack: string | undefined, program: AssembledProgram, compiled: CompiledProgram, limit = 4): string[] {
  if (!stack) return [];
  const out: string[] = [];
  for (const line of stack.split("\n")) {
    const m = FRAME.exec(line);
    if (!m || !m[2].endsWith(`/${JS_FILE}`)) continue;
    const programLine0 = programLine(compiled, Number(m[3]), Number(m[4]));
    const origin = programLine0 === undefined ? undefined : program.origins[programLine0];
    if (!origin) continue;
    out.push(`at ${m[1] ? `${m[1]} ` : ""}(${describeOrigin(origin)})`);
    if (out.length >= limit) break;
  }
  return out;
}
