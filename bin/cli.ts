/**
 * The `gradlab` command: one sub-command per job. Each sub-command lives in its own module and is
 * loaded only when asked for, so `gradlab --help` stays fast and a broken optional part (say, the
 * kernel's native zeromq binding) cannot stop the others from running.
 */

export interface Command {
  /** One line for `gradlab --help`. */
  summary: string;
  /** Loads the module and runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  demo: {
    summary: "print the lecture's worked examples with their values and gradients",
    run: async (args) => require("./demo.js").main(args),
  },
  kernel: {
    summary: "the TypeScript Jupyter kernel: install / uninstall its kernelspec, start it",
    run: async (args) => require("../kernel/cli.js").main(args),
  },
  bench: {
    summary: "time the fixed workloads (train-digits, ...) per implementation; --json for machines",
    run: async (args) => require("../bench/cli.js").main(args),
  },
  release: {
    summary: "write an assignment's student version and its autograder bundle",
    run: async (args) => require("../grader/cli/release.js").main(args),
  },
  grade: {
    summary: "grade submissions in a sandbox: results.json (Gradescope), feedback.md and feedback.html",
    run: async (args) => require("../grader/cli/grade.js").main(args),
  },
  check: {
    summary: "run an assignment's visible tests on your notebook, as the grader will",
    run: async (args) => require("../grader/cli/check.js").main(args),
  },
  run: {
    summary: "execute notebooks headless (embedded kernel or a Jupyter server), write the outputs, check them",
    run: async (args) => require("../kernel/runner/cli.js").main(args),
  },
};

export function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    "usage: gradlab <command> [options]",
    "",
    "commands:",
    ...lines,
    "",
    "Run `gradlab <command> --help` for the options of one command.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(helpText());
    return 0;
  }
  if (name === "--version" || name === "-v") {
    console.log(require("../../package.json").version);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`gradlab: unknown command '${name}'\n\n${helpText()}`);
    return 2;
  }
  return command.run(rest);
}
