/**
 * Reading the lecture notebooks for tests: where they are, their cells' text outputs, and the
 * "✓ label = value" lines their assertClose / assertAtLeast helpers print for every checked number.
 */
import { readdirSync, readFileSync } from "fs";
import { join, resolve } from "path";

export const ROOT = resolve(__dirname, "..", "..");
export const NOTEBOOKS = join(ROOT, "notebooks");

export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}

export interface Cell {
  cell_type: string;
  id?: string;
  source: string | string[];
  metadata?: { tags?: string[] };
  execution_count?: number | null;
  outputs?: Output[];
}

export interface NotebookFile {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, any>;
  cells: Cell[];
}

/** The lecture notebooks' names (NN-name), in order. */
export function notebookNames(dir = NOTEBOOKS): string[] {
  return readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort().map((f) => f.replace(/\.ipynb$/, ""));
}

export function readNotebook(path: string): NotebookFile {
  return JSON.parse(readFileSync(path, "utf8"));
}

export const joined = (text: string | string[] | undefined) => (Array.isArray(text) ? text.join("") : text ?? "");

/** Everything a cell printed or displayed as text (streams and text/plain or text/markdown). */
export function cellText(cell: Cell): string {
  return (cell.outputs ?? []).map((o) => {
    if (o.output_type === "stream") return joined(o.text);
    const data = o.data ?? {};
    return joined((data["text/markdown"] ?? data["text/plain"] ?? "") as string | string[]);
  }).join("\n");
}

/**
 * The notebook's checked numbers: every "✓ ..." line in its outputs, in order. The notebooks print
 * only the digits each check's tolerance vouches for, so these lines are the same on every machine.
 */
export function checkLines(nb: NotebookFile): string[] {
  return nb.cells.flatMap((c) => cellText(c).split("\n")).filter((line) => line.startsWith("✓ "));
}

/** Numbers the lecture states, by notebook; each must be among the notebook's "✓" lines. */
export const KNOWN_ANSWERS: Record<string, string[]> = {
  "01": ["score of cat = -96.8", "score of dog = 437.9", "score of ship = 60.75", "(the slide's 61.95) = 61.95"],
  "02": ["∂f/∂x at (2, 1) = 2", "∂f/∂y at (2, 1) = 10"],
  "03": ["hand-derived vs autodiff gradient ≈ 0"],
  "04": ["σ'(0) = 1/4 (the steepest point) = 0.25", "hand-derived vs autodiff ≈ 0"],
  "05": ["f = q · z = -12", "∂f/∂x = -4", "∂f/∂y = -4", "∂f/∂z = 3"],
  "06": ["✓ f = -20", "∂f/∂x (mul switches: 2·y) = -8", "∂f/∂y (mul switches: 2·x) = 6", "∂f/∂z (max routes to the winner) = 2", "∂f/∂w (max gives the loser 0) = 0", "x̄2 = ā1·x1 + ā2·cos x2 (the two branches added) = 2.283662"],
  "07": ["backward(2): dx = dz·y = -8", "backward(2): dy = dz·x = 6", "ComputationalGraph.forward = -12", "∂L/∂W¹ by hand vs autograd (relative error) ≈ 0"],
  "08": ["f(2, 5) = ln 2 + 10 − sin 5 = 11.65207", "forward mode: ∂f/∂x1 (one sweep) = 5.5", "reverse mode: ∂f/∂x1 = 5.5", "reverse mode: ∂f/∂x2 = 1.716338", "x̄2 = ā2·cos(x2) + ā1·x1 (two paths summed) = 2.283662", "x̄1 = ā1·x2 (multiplication switches) = 5", "forward mode: ∂f/∂x2 = x1 + cos x2 = 2.283662", "∂f/∂x2 to four decimals = 1.7163"],
  "09": ["f'(2) = 4", "f'(-1) = -3", "d√a/da at a = 2, through the loop (= 1/(2√a)) = 0.3535534"],
  "10": ["circle: test accuracy after 400 steps ≥ 0.9", "digits: TwoLayerNet test accuracy ≥ 0.96"],
};
