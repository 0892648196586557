/** Small notebooks for the grader tests, built in code so each test shows what it depends on. */
import type { Cell, Notebook } from "../../kernel/runner/nbformat";

let counter = 0;

export function nbgrader(fields: { solution?: boolean; grade?: boolean; locked?: boolean; grade_id?: string; points?: number }): Record<string, unknown> {
  return { nbgrader: { schema_version: 3, solution: false, grade: false, locked: false, ...fields } };
}

export function code(source: string, metadata: Record<string, unknown> = {}, outputs = true): Cell {
  return {
    cell_type: "code",
    id: `c${++counter}`,
    source,
    metadata,
    execution_count: outputs ? 3 : null,
    outputs: outputs ? [{ output_type: "stream", name: "stdout", text: `output of cell ${counter}\n` }] : [],
  };
}

export function markdown(source: string, metadata: Record<string, unknown> = {}): Cell {
  return { cell_type: "markdown", id: `m${++counter}`, source, metadata };
}

export function notebook(cells: Cell[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" } },
    cells,
  };
}
