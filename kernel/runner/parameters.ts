/**
 * Papermill's parameter convention: `-p name=value` becomes a cell tagged `injected-parameters`,
 * inserted right after the cell tagged `parameters` (or first, when no cell has that tag), so the
 * notebook's own defaults run first and the injected values override them.
 */
import { Cell, CodeCell, cellTags, newCellId, Notebook } from "./nbformat";

export type ParameterValue = string | number | boolean | null | ParameterValue[] | { [k: string]: ParameterValue };
export type Parameters = Array<[string, ParameterValue]>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Parses one `-p name=value`. Values are JSON-ish: numbers, true/false/null, JSON strings, arrays and
 * objects as JSON; anything else (or 'single-quoted') is a plain string, so `-p title=Lecture 3` works.
 */
export function parseParameter(arg: string): [string, ParameterValue] {
  const eq = arg.indexOf("=");
  if (eq <= 0) throw new Error(`parameter '${arg}' must look like name=value (e.g. -p learning_rate=0.1)`);
  const name = arg.slice(0, eq).trim();
  const raw = arg.slice(eq + 1);
  if (!IDENTIFIER.test(name)) throw new Error(`parameter name '${name}' is not a valid identifier`);
  const trimmed = raw.trim();
  if (trimmed.length >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'")) return [name, trimmed.slice(1, -1)];
  try {
    return [name, JSON.parse(trimmed) as ParameterValue];
  } catch {
    return [name, raw];
  }
}

function pythonLiteral(value: ParameterValue): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number" || typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(", ")}]`;
  return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`).join(", ")}}`;
}

/** The injected cell's source, in the kernel's language (from the notebook's metadata or kernel_info). */
export function parameterSource(params: Parameters, language: string): string {
  const lang = language.toLowerCase();
  const header = "// Parameters injected by `gradlab run -p`";
  if (lang === "typescript" || lang === "javascript") {
    // `let`, not `const`: a notebook may reassign its parameters, and the type stays `number`, not `0.5`.
    return [header, ...params.map(([name, value]) => `let ${name} = ${JSON.stringify(value)};`)].join("\n");
  }
  if (lang === "python") {
    return ["# Parameters injected by `gradlab run -p`", ...params.map(([n, v]) => `${n} = ${pythonLiteral(v)}`)].join("\n");
  }
  throw new Error(`cannot inject parameters into a notebook in '${language}': only TypeScript, JavaScript and Python are supported`);
}

/**
 * Returns the notebook with the parameters cell inserted (the input is not changed). An earlier
 * injected-parameters cell (from a previous run of the executed copy) is replaced, as papermill does.
 */
export function injectParameters(nb: Notebook, params: Parameters, language: string): Notebook {
  if (params.length === 0) return nb;
  const cells = nb.cells.filter((c) => !cellTags(c).includes("injected-parameters"));
  const taken = new Set(cells.map((c) => c.id));
  const injected: CodeCell = {
    cell_type: "code",
    // A fixed id keeps two runs of one notebook identical (and diffs of executed copies small).
    id: taken.has("injected-parameters") ? newCellId(taken) : "injected-parameters",
    source: parameterSource(params, language),
    metadata: { tags: ["injected-parameters"] },
    execution_count: null,
    outputs: [],
  };
  const at = cells.findIndex((c: Cell) => cellTags(c).includes("parameters"));
  cells.splice(at + 1, 0, injected);
  return { ...nb, cells };
}
