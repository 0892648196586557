/**
 * The programs of a grading run: every submission in its own sandboxed child, the reference in this
 * process. Refuses to grade without a sandbox where that is required (GRADLAB_FULL=1, as in CI).
 */
import { describeSandbox, chooseIsolation, DEFAULT_LIMITS, type Limits } from "../sandbox/launcher";
import { LocalProgram } from "../sandbox/local-program";
import { SandboxedProgram } from "../sandbox/sandboxed-program";
import type { ProgramFactory } from "./grade";

export function sandboxFactory(opts: { limits?: Limits; env?: NodeJS.ProcessEnv; outputCap?: number } = {}): ProgramFactory {
  const env = opts.env ?? process.env;
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const isolation = chooseIsolation(env);
  return {
    // Starting a child and loading gradlab takes about 0.3 s of CPU (2 s of wall-clock time on a loaded
    // machine): 5 s of each on top of the assignment's budget for the program's own top level.
    student: (jsFile) => new SandboxedProgram(jsFile, { limits, env, outputCap: opts.outputCap, startupMs: 5000 }),
    reference: (jsFile) => new LocalProgram(jsFile),
    sandbox: { description: describeSandbox(limits, env), unsandboxed: isolation === "none" },
  };
}
