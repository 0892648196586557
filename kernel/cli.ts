/**
 * `gradlab kernel ...`: install / uninstall the Jupyter kernelspec, and start the kernel (what the
 * kernelspec runs). `gradlab kernel --help` lists the commands, `gradlab kernel <command> --help` one's options.
 */
import { KERNEL_NAME, findJupyter, kernelSpec, NoJupyterError, removeKernelSpec, writeKernelSpec } from "./spec/kernelspec";
import { join, resolve } from "path";
import { CommandLine, OptionSpec, parseCommandLine, usageFailure, UsageError } from "../bin/args";

const WHERE_HELP = `  --user          your Jupyter data folder (install's default)
  --sys-prefix    the data folder of the Python that runs Jupyter (a venv, conda)
  --prefix P      P/share/jupyter (no Jupyter needed; Jupyter finds it when P/share/jupyter is on JUPYTER_PATH)
  -h, --help      this text`;

const HELP = `usage: gradlab kernel <command> [options]

commands:
  install [--user | --sys-prefix | --prefix P]   write the "${KERNEL_NAME}" kernelspec ("TypeScript (gradlab)")
  uninstall [--user | --sys-prefix | --prefix P] remove it (without an option: from every Jupyter data folder)
  start <connection_file>                        run the kernel (the kernelspec's argv does this)
  spec                                           print the kernel.json that install writes

Run \`gradlab kernel <command> --help\` for one command's options.`;

const WHERE_OPTIONS: Record<string, OptionSpec> = { user: { type: "boolean" }, "sys-prefix": { type: "boolean" }, prefix: { type: "string" } };

/** Each command's usage, options and whether it takes positional arguments. */
const COMMANDS: Record<string, { help: string; options: Record<string, OptionSpec>; positionals?: boolean }> = {
  install: {
    help: `usage: gradlab kernel install [--user | --sys-prefix | --prefix P]\n\nWrites the "${KERNEL_NAME}" kernelspec ("TypeScript (gradlab)").\n${WHERE_HELP}`,
    options: WHERE_OPTIONS,
  },
  uninstall: {
    help: `usage: gradlab kernel uninstall [--user | --sys-prefix | --prefix P]\n\nRemoves the "${KERNEL_NAME}" kernelspec (without an option: from every Jupyter data folder).\n${WHERE_HELP}`,
    options: WHERE_OPTIONS,
  },
  start: {
    help: "usage: gradlab kernel start <connection_file>\n\nRuns the kernel on the connection file Jupyter wrote (the kernelspec's argv does this).\n  -h, --help      this text",
    options: {},
    positionals: true,
  },
  spec: {
    help: "usage: gradlab kernel spec\n\nPrints the kernel.json that install writes.\n  -h, --help      this text",
    options: {},
  },
};

type Where = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; path: string };

function whereOf(line: CommandLine): Where | null {
  const { user, "sys-prefix": sysPrefix, prefix } = line.values;
  const given = [user && "--user", sysPrefix && "--sys-prefix", prefix !== undefined && "--prefix"].filter(Boolean);
  if (given.length > 1) throw new UsageError(`give only one of --user, --sys-prefix, --prefix (got ${given.join(", ")})`);
  if (prefix === "") throw new UsageError("--prefix needs a folder: --prefix P");
  if (typeof prefix === "string") return { kind: "prefix", path: resolve(prefix) };
  if (sysPrefix) return { kind: "sys-prefix" };
  return user ? { kind: "user" } : null;
}

/** The data folder for an install location (asks Jupyter unless --prefix). */
function dataDir(where: Where): string {
  if (where.kind === "prefix") return join(where.path, "share", "jupyter");
  const paths = findJupyter();
  if (where.kind === "user") return paths.data[0];
  if (!paths.sysPrefixData) throw new NoJupyterError(`found Jupyter via ${paths.via} but not its Python's sys.prefix`);
  return paths.sysPrefixData;
}

export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(HELP);
    return command === undefined ? 2 : 0;
  }
  const spec = COMMANDS[command];
  if (!spec) return usageFailure("gradlab kernel", new UsageError(`unknown command '${command}'`), HELP);
  try {
    const line = parseCommandLine(rest, spec.options, spec.positionals);
    if (line.help) {
      console.log(spec.help);
      return 0;
    }
    return await run(command, line);
  } catch (e) {
    if (e instanceof NoJupyterError) {
      console.error(`gradlab kernel ${command}: ${e.message}`);
      return 1;
    }
    return usageFailure(`gradlab kernel ${command}`, e, spec.help);
  }
}

async function run(command: string, line: CommandLine): Promise<number> {
  switch (command) {
    case "install": {
      const where = whereOf(line) ?? { kind: "user" };
      const data = dataDir(where);
      const dir = writeKernelSpec(data);
      console.log(`installed kernelspec "${KERNEL_NAME}" (TypeScript (gradlab)) in ${dir}`);
      if (where.kind === "prefix") {
        // Jupyter looks in its own data folders only; a prefix of one's choosing must be added to its path.
        console.log(`Jupyter finds it when ${data} is on its data path, e.g.:\n  export JUPYTER_PATH=${data}${process.env.JUPYTER_PATH ? ":$JUPYTER_PATH" : ""}\n(check with: jupyter kernelspec list)`);
      }
      return 0;
    }
    case "uninstall": {
      const where = whereOf(line);
      const dirs = where ? [dataDir(where)] : findJupyter().data;
      const removed = dirs.map((d) => removeKernelSpec(d)).filter((d): d is string => d !== null);
      if (removed.length === 0) {
        console.error(`no "${KERNEL_NAME}" kernelspec found in ${dirs.join(", ")}`);
        return 1;
      }
      for (const d of removed) console.log(`removed ${d}`);
      return 0;
    }
    case "start": {
      if (line.positionals.length !== 1) throw new UsageError("start needs exactly one argument: the connection file");
      require("./main").startKernel(line.positionals[0]);
      // The kernel runs until shutdown_request; never resolve so the CLI does not set an exit code early.
      return new Promise<number>(() => undefined);
    }
    default: // spec
      console.log(JSON.stringify(kernelSpec(), null, 2));
      return 0;
  }
}
