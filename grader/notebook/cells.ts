/**
 * A notebook cell's part in an assignment, from nbgrader's cell metadata (schema 3), so nbgrader's
 * "Create Assignment" toolbar can author gradlab assignments.
 */
import type { Cell, Notebook } from "../../kernel/runner/nbformat";

export type CellRole = "solution" | "check" | "provided" | "written" | "prose" | "scratch";

export interface RoledCell {
  /** 0-based index in the notebook. */
  index: number;
  role: CellRole;
  gradeId?: string;
  source: string;
}

interface NbgraderMeta { grade_id?: string; solution?: boolean; grade?: boolean; locked?: boolean }

export function cellRole(cell: Cell): CellRole {
  const nbg = (cell.metadata as { nbgrader?: NbgraderMeta }).nbgrader;
  if (cell.cell_type !== "code") return nbg?.solution ? "written" : "prose";
  if (!nbg) return "scratch";
  if (nbg.solution) return "solution";
  if (nbg.grade) return "check";
  if (nbg.locked) return "provided";
  return "scratch";
}

export function cellRoles(nb: Notebook): RoledCell[] {
  return nb.cells.map((cell, index) => {
    const gradeId = (cell.metadata as { nbgrader?: NbgraderMeta }).nbgrader?.grade_id;
    return { index, role: cellRole(cell), gradeId, source: cell.source };
  });
}
