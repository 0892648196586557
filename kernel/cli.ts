/**
 * `gradlab kernel ...`: install / uninstall the Jupyter kernelspec, and start the kernel (what the
 * kernelspec runs). `gradlab kernel --help` lists the options.
 */
import { KERNEL_NAME, findJupyter, kernelSpec, NoJupyterError, removeKernelSpec, writeKernelSpec } from "./spec/kernelspec";
import { join } from "path";

const HELP = `usage: gradlab kernel <command>

commands:
  install [--user | --sys-prefix | --prefix P]   write the "${KERNEL_NAME}" kernelspec ("TypeScript (gradlab)")
                                                 --user (default): your Jupyter data folder
                                                 --sys-prefix: the folder of the Python that runs Jupyter
                                                 --prefix P: P/share/jupyter (no Jupyter needed)
  uninstall [--user | --sys-prefix | --prefix P] remove it (without an option: from every Jupyter data folder)
  start <connection_file>                        run the kernel (the kernelspec's argv does this)
  spec                                           print the kernel.json that install writes`;

type Where = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; path: string };

function parseWhere(args: string[]): Where | null | string {
  let where: Where | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const set = (w: Where) => {
      if (where) throw new Error("give only one of --user, --sys-prefix, --prefix");
      where = w;
    };
    if (a === "--user") set({ kind: "user" });
    else if (a === "--sys-prefix") set({ kind: "sys-prefix" });
    else if (a === "--prefix") {
      if (!args[i + 1]) return "--prefix needs a folder: --prefix P";
      set({ kind: "prefix", path: args[++i] });
    } else if (a.startsWith("--prefix=")) set({ kind: "prefix", path: a.slice("--prefix=".length) });
    else return `unknown option '${a}'`;
  }
  return where;
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
  try {
    switch (command) {
      case "install": {
        const where = parseWhere(rest);
        if (typeof where === "string") return usage(where);
        const dir = writeKernelSpec(dataDir(where ?? { kind: "user" }));
        console.log(`installed kernelspec "${KERNEL_NAME}" (TypeScript (gradlab)) in ${dir}`);
        return 0;
      }
      case "uninstall": {
        const where = parseWhere(rest);
        if (typeof where === "string") return usage(where);
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
        if (rest.length !== 1) return usage("start needs exactly one argument: the connection file");
        require("./main").startKernel(rest[0]);
        // The kernel runs until shutdown_request; never resolve so the CLI does not set an exit code early.
        return new Promise<number>(() => undefined);
      }
      case "spec":
        console.log(JSON.stringify(kernelSpec(), null, 2));
        return 0;
      case undefined:
      case "--help":
      case "-h":
      case "help":
        console.log(HELP);
        return command === undefined ? 2 : 0;
      default:
        return usage(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof NoJupyterError) {
      console.error(`gradlab kernel ${command}: ${e.message}`);
      return 1;
    }
    if (e instanceof Error && /only one of/.test(e.message)) return usage(e.message);
    throw e;
  }
}

function usage(problem: string): number {
  console.error(`gradlab kernel: ${problem}\n\n${HELP}`);
  return 2;
}
