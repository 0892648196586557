/**
 * How every gradlab sub-command reads its command line: Node's util.parseArgs, strict (an unknown
 * option is an error, not ignored), with -h/--help always, and `--name value` or `--name=value`.
 * Node's own messages are rephrased into one short form ("unknown option '--x'", "--out needs a value").
 */
import { parseArgs } from "util";

export class UsageError extends Error {}

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
}

export interface CommandLine {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  help: boolean;
}

export function parseCommandLine(args: string[], options: Record<string, OptionSpec>, allowPositionals = false): CommandLine {
  try {
    const { values, positionals } = parseArgs({
      args, options: { help: { type: "boolean", short: "h" }, ...options }, allowPositionals, strict: true,
    });
    const { help, ...rest } = values as CommandLine["values"];
    return { values: rest, positionals, help: help === true };
  } catch (e) {
    throw new UsageError(rephrase(e as Error & { code?: string }));
  }
}

function rephrase(e: Error & { code?: string }): string {
  const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? "";
  const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": return `unknown option '${quoted}'`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": return `unexpected argument '${quoted}'`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (/does not take an argument/.test(e.message)) return `${flag} takes no value`;
      if (/ambiguous/.test(e.message)) return `${flag} needs a value (write ${flag}=-X for a value that starts with a dash)`;
      return `${flag} needs a value`;
    default: return e.message;
  }
}

/** Reports a UsageError as `who: problem` and the help text, returning exit code 2; anything else is rethrown. */
export function usageFailure(who: string, e: unknown, help: string, print: (s: string) => void = console.error): number {
  if (!(e instanceof UsageError)) throw e;
  print(`${who}: ${e.message}\n\n${help}`);
  return 2;
}
