/** `gradlab run`'s command line: the options, their checks, and the help text that documents them. */
import { parseParameter, Parameters } from "./parameters";
import { parseCommandLine, UsageError } from "../../bin/args";
import { MAX_TIMEOUT_MS } from "./execute-notebook";

export { UsageError };

export interface RunCliOptions {
  inputs: string[];
  outDir: string | null;
  inplace: boolean;
  timeoutMs: number;
  allowErrors: boolean;
  check: boolean;
  parameters: Parameters;
  kernel: string | null;
  jobs: number;
  server: string | null;
  token: string | null;
  jupyter: boolean;
  quiet: boolean;
  /** Where to write the JUnit XML and the JSON results (null: not written). */
  junit: string | null;
  json: string | null;
  help: boolean;
}

export const DEFAULT_TIMEOUT_S = 120;

export const HELP = `usage: gradlab run [options] <notebook.ipynb | folder>...

Executes every code cell of each notebook in order, in a fresh kernel per notebook, and writes the
executed copy (valid nbformat 4.5 with all outputs). Folders are searched recursively for .ipynb files
(skipping .ipynb_checkpoints, node_modules, hidden folders and the runner's own *.executed.ipynb and
*.failed.ipynb copies).

where the executed notebook goes:
  (default)            NAME.executed.ipynb next to each notebook (with --check: nowhere, only the report)
  -o, --out DIR        into DIR, keeping each notebook's path relative to the folder it was found in
  --inplace            over the source notebook, but only when the run succeeds; a failed run is saved
                       next to it as NAME.failed.ipynb so the source is never lost
  Writes are atomic (a temporary file, then rename). A notebook that cannot be parsed is reported
  and left untouched. When the kernel dies, the outputs so far are saved (never over the source).

how cells run:
  --timeout SECONDS    per-cell limit (default ${DEFAULT_TIMEOUT_S}; 0 for none; at most 2147483, about 24 days,
                       Node's longest timer). On timeout the kernel is interrupted and a
                       CellTimeoutError is recorded in that cell
  --allow-errors       keep running after a failing cell (the run still counts as failed)
  --check              CI mode: also fail when an error output appears in a cell whose execution
                       succeeded, or when a cell tagged "raises-exception" does not raise.
                       (Cells tagged raises-exception may raise in every mode.)
  -p, --parameter NAME=VALUE
                       inject a parameter (repeatable), papermill's way: a cell tagged
                       injected-parameters is inserted after the cell tagged "parameters" (or first).
                       VALUE is JSON-ish: 3, 0.5, true, null, "text", [1,2]; anything else is a string
  --kernel NAME        kernelspec to use (default: the notebook's metadata.kernelspec.name, else gradlab)
  -j, --jobs N         run N notebooks in parallel, each with its own kernel (default 1)

which kernel:
  (default)            embedded: the runner starts the kernel itself (the gradlab kernel, or any
                       installed kernelspec named by --kernel); no Python or Jupyter needed
  --server URL         use a running Jupyter server (Jupyter Server, Notebook, JupyterHub user server)
  --token TOKEN        its API token (default: the JUPYTER_TOKEN environment variable)
  --jupyter            start a private Jupyter server (/usr/bin/python3 -m jupyter_server) on 127.0.0.1
                       with a random port and token and a temporary kernelspec folder, use it, stop it

output:
  -q, --quiet          no progress lines, only failures and the summary table
  --junit FILE         also write JUnit XML (what CI systems ingest), one test case per notebook
  --json FILE          also write the results as JSON (status, cells, time, failures per notebook)
  Every executed cell records its start and end in metadata.execution, as nbclient does.
  -h, --help           this text

exit status: 0 when every notebook ran without failure, 1 when any failed, 2 for bad usage.

examples:
  gradlab run notebooks/ --check                     # CI: do all lecture notebooks run?
  gradlab run lecture3.ipynb -p epochs=5 -p lr=0.1 --out executed/
  gradlab run submissions/ --jobs 2 --timeout 60 --allow-errors --out graded/
  gradlab run lecture3.ipynb --jupyter               # same, through a real Jupyter server
`;

/** --timeout in seconds, as ms; beyond Node's largest timer it would overflow and every cell would time out at once. */
function timeoutMs(value: string): number {
  const ms = positiveNumber("--timeout", value, false) * 1000;
  const max = Math.floor(MAX_TIMEOUT_MS / 1000);
  if (ms > max * 1000) throw new UsageError(`--timeout must be at most ${max} seconds (about ${Math.floor(max / 86400)} days; 0 for no limit), got '${value}'`);
  return ms;
}

function positiveNumber(flag: string, value: string | undefined, integer: boolean): number {
  if (value === undefined) throw new UsageError(`${flag} needs a value`);
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be a ${integer ? "whole" : ""} number >= 0, got '${value}'`);
  }
  return n;
}

/** `gradlab run`'s options, as util.parseArgs takes them (bin/args.ts). */
const RUN_OPTIONS = {
  out: { type: "string", short: "o" },
  inplace: { type: "boolean" },
  timeout: { type: "string" },
  "allow-errors": { type: "boolean" },
  check: { type: "boolean" },
  parameter: { type: "string", short: "p", multiple: true },
  kernel: { type: "string" },
  jobs: { type: "string", short: "j" },
  server: { type: "string" },
  token: { type: "string" },
  jupyter: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  junit: { type: "string" },
  json: { type: "string" },
} as const;

export function parseRunArgs(args: string[], env: NodeJS.ProcessEnv = process.env): RunCliOptions {
  const line = parseCommandLine(args, RUN_OPTIONS, true);
  const o = runOptions(line.values, line.positionals, line.help);
  if (o.help) return o;
  checkCombinations(o, env);
  return o;
}

/** Each option's value read and checked on its own. */
function runOptions(v: Record<string, unknown>, inputs: string[], help: boolean): RunCliOptions {
  const text = (name: string) => v[name] as string | undefined;
  const o: RunCliOptions = {
    inputs,
    outDir: text("out") ?? null,
    inplace: v.inplace === true,
    timeoutMs: text("timeout") === undefined ? DEFAULT_TIMEOUT_S * 1000 : timeoutMs(text("timeout")!),
    allowErrors: v["allow-errors"] === true,
    check: v.check === true,
    parameters: ((v.parameter as string[] | undefined) ?? []).map(parameter),
    kernel: text("kernel") ?? null,
    jobs: text("jobs") === undefined ? 1 : positiveNumber("--jobs", text("jobs")!, true),
    server: text("server") ?? null,
    token: text("token") ?? null,
    jupyter: v.jupyter === true,
    quiet: v.quiet === true,
    junit: text("junit") ?? null,
    json: text("json") ?? null,
    help,
  };
  if (o.jobs < 1) throw new UsageError("--jobs must be at least 1");
  return o;
}

/** -p NAME=VALUE, with a bad one refused as a usage error. */
function parameter(text: string): Parameters[number] {
  try {
    return parseParameter(text);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Options that need or exclude each other; fills in the server's token from JUPYTER_TOKEN. */
function checkCombinations(o: RunCliOptions, env: NodeJS.ProcessEnv): void {
  if (o.inputs.length === 0) throw new UsageError("no notebooks given");
  if (o.outDir !== null && o.inplace) throw new UsageError("--out and --inplace exclude each other");
  if (o.server !== null && o.jupyter) throw new UsageError("--server and --jupyter exclude each other");
  if (o.server !== null) {
    if (!/^https?:\/\//.test(o.server)) throw new UsageError(`--server must be an http(s) URL, got '${o.server}'`);
    o.token = o.token ?? env.JUPYTER_TOKEN ?? null;
    if (o.token === null) throw new UsageError("--server needs --token (or JUPYTER_TOKEN in the environment)");
  } else if (o.token !== null) {
    throw new UsageError("--token only applies with --server");
  }
}
