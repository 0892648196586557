/**
 * A student's stack trace in the student's own terms: frames in the assembled program
 * (`submission.ts:12:5`, already source-mapped by the child) become "cell 7 (gates-multiply), line 3";
 * frames inside gradlab and Node are dropped, because they only bury the line the student must fix.
 */
import { AssembledProgram, describeOrigin } from "./assemble";
import { PROGRAM_FILE } from "./compile";

const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?\s*$/;

export function studentFrames(stack: string | undefined, program: AssembledProgram, limit = 4): string[] {
  if (!stack) return [];
  const out: string[] = [];
  for (const line of stack.split("\n")) {
    const m = FRAME.exec(line);
    if (!m || !m[2].endsWith(PROGRAM_FILE)) continue;
    const origin = program.origins[Number(m[3]) - 1];
    if (!origin) continue;
    out.push(`at ${m[1] ? `${m[1]} ` : ""}(${describeOrigin(origin)})`);
    if (out.length >= limit) break;
  }
  return out;
}
