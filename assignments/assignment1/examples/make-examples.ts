/**
 * Writes the example submissions of Assignment 1 (`examples/<name>.ipynb`), each the reference with one
 * realistic mistake, and the score it must get (`examples/<name>.expected.json`). Every example is made
 * from the instructor source by textual replacements, so they follow the source; a replacement that no
 * longer matches exactly once is an error (update the example, then its expected scores).
 *
 * An example looks like a student's submission: the released notebook's cells (same ids and nbgrader
 * metadata) with the student's code in the solution cells (no BEGIN/END SOLUTION markers).
 *
 * Usage:  npx tsc -p assignments && node dist/assignments/assignment1/examples/make-examples.js [--check]
 */
import { existsSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { serialize } from "../../../notebooks/build";
import { RoledCell, assignmentsDir, buildAssignmentNotebook, parseAssignment, stubSource } from "../../build";

type QuestionId = "gates-scalar" | "gates-tensor" | "graph" | "layers" | "network";
const FULL: Record<QuestionId, number> = { "gates-scalar": 16, "gates-tensor": 14, graph: 18, layers: 20, network: 22 };
const WRITTEN = ["written-sigmoid", "written-reverse-mode"];

interface Example {
  name: string;
  /** One line: the mistake, and why it scores what it scores. */
  reason: string;
  /** [find, replace]: `find` must occur exactly once in the source. */
  replace?: Array<[string, string]>;
  /** Solution cells (by grade_id prefix) left as the released stubs. */
  stubs?: (id: string) => boolean;
  /** Autograded points lost per question (default 0). */
  lost?: Partial<Record<QuestionId, number>>;
  /** Written answers left as released ("YOUR ANSWER HERE"). */
  noWritten?: boolean;
}

const EXAMPLES: Example[] = [
  {
    name: "perfect",
    reason: "The reference solution: every autograded test passes (90 of 90); the written answers (10) wait for a TA.",
  },
  {
    name: "multiply-not-switched",
    reason: "MultiplyGate.backward returns [dz*x, dz*y]: every MultiplyGate test fails (scalar 2+1, tensor 2+1) and so does every graph with a multiply (all but the cycle test and the sigmoid(XW+b) graph: 15 of 18).",
    replace: [["return [unbroadcast(mul(dz, y), x), unbroadcast(mul(dz, x), y)];", "return [unbroadcast(mul(dz, x), x), unbroadcast(mul(dz, y), y)];"]],
    lost: { "gates-scalar": 3, "gates-tensor": 3, graph: 15 },
  },
  {
    name: "max-routes-both",
    reason: "MaxGate gives dz to y where y >= x, so a tie routes the gradient to both inputs: only the hidden tie tests fail (scalar 2, tensor 2); the lecture's examples have no tie.",
    replace: [["unbroadcast(mul(dz, sub(1, toX)), y)", "unbroadcast(mul(dz, ge(y, x)), y)"]],
    lost: { "gates-scalar": 2, "gates-tensor": 2 },
  },
  {
    name: "sigmoid-uses-input",
    reason: "SigmoidGate caches its input and backward computes x(1-x): the sigmoid gate tests fail (scalar 2 + ±1000 2, tensor 1) and the sigmoid(XW+b) graph (1); the Part 3 sigmoid layer is separate code and passes.",
    replace: [[
      "const out = map(x, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))));\n    this.cache = [out];",
      "const out = map(x, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))));\n    this.cache = [x];",
    ]],
    lost: { "gates-scalar": 4, "gates-tensor": 1, graph: 1 },
  },
  {
    name: "fanout-overwrites",
    reason: "ComputationalGraph.backward sets an input's gradient instead of adding to it: graphs with fan-out fail (lecture example 3: 3, x*x and xy/(x+y): 2, the re-run of example 3: 2); examples 1 and 2 have no fan-out.",
    replace: [["grads.set(input, grads.has(input) ? add(grads.get(input)!, local[i]) : local[i])", "grads.set(input, local[i])"]],
    lost: { graph: 7 },
  },
  {
    name: "affine-missing-transpose",
    reason: "affineBackward computes dx = dout·W instead of dout·Wᵀ, a shape error whenever W is not square: the affine tests fail (3 + 2) and every Part 4 test that runs backward (20 of 22; twoLayerPredict passes).",
    replace: [["return [dout.matmul(w.T), x.T.matmul(dout), dout.sum(0)];", "return [dout.matmul(w), x.T.matmul(dout), dout.sum(0)];"]],
    lost: { layers: 5, network: 20 },
  },
  {
    name: "softmax-no-max-shift",
    reason: "softmaxLoss exponentiates the raw scores: right on ordinary scores, NaN on the hidden test's scores around ±1000 (2); the spiral's scores stay small, so Part 4 passes.",
    replace: [["const shifted = scores.sub(scores.max(1, true));", "const shifted = scores;"]],
    lost: { layers: 2 },
  },
  {
    name: "does-not-compile",
    reason: "A syntax error in a solution cell (MultiplyGate.backward's array is never closed): nothing of the program can run, so every autograded question scores 0.",
    replace: [[
      "return [unbroadcast(mul(dz, y), x), unbroadcast(mul(dz, x), y)];",
      "return [unbroadcast(mul(dz, y), x), unbroadcast(mul(dz, x), y);",
    ]],
    lost: { ...FULL },
  },
  {
    name: "never-finishes",
    reason: "topologicalOrder loops until the output is marked done but never marks a node done: every graph test times out (18 of 18), the rest passes; the notebook itself hangs at the first graph check cell.",
    replace: [[
      "  const state = new Map<string, \"active\" | \"done\">();\n  const order: string[] = [];\n  const visit = (name: string) => {\n    const node = nodes.get(name);\n    if (!node) throw new Error(`unknown node \"${name}\"`);\n    if (state.get(name) === \"done\") return;\n    if (state.get(name) === \"active\") throw new Error(`the graph has a cycle through \"${name}\"`);\n    state.set(name, \"active\");\n    node.inputs.forEach(visit);\n    state.set(name, \"done\");\n    order.push(name);\n  };\n  visit(output);\n  return order;",
      "  const done = new Set<string>();\n  const order: string[] = [];\n  while (!done.has(output)) {\n    for (const [name, node] of nodes) {\n      if (!order.includes(name) && node.inputs.every((i) => order.includes(i))) order.push(name);\n    }\n  }\n  return order;",
    ]],
    lost: { graph: 18 },
  },
  {
    name: "only-part1",
    reason: "Part 1 complete, Parts 2 to 4 still the released stubs and no written answers: the gate questions score 30, every later test meets \"not implemented yet\".",
    stubs: (id) => !id.startsWith("gates-"),
    lost: { graph: 18, layers: 20, network: 22 },
    noWritten: true,
  },
  {
    name: "stubs-untouched",
    reason: "The released notebook as handed out: every graded function throws \"not implemented yet\", 0 points.",
    stubs: () => true,
    lost: { ...FULL },
    noWritten: true,
  },
];

function applyReplacements(source: string, ex: Example): string {
  let text = source;
  for (const [find, by] of ex.replace ?? []) {
    const count = text.split(find).length - 1;
    if (count !== 1) throw new Error(`example "${ex.name}": the text to replace occurs ${count} times in the source (must be once): ${JSON.stringify(find.slice(0, 80))}`);
    text = text.replace(find, () => by);
  }
  return text;
}

/** A student's solution cell: the code without the instructor's markers. */
function asSubmitted(cell: RoledCell, ex: Example): RoledCell {
  if (cell.role === "written") return ex.noWritten ? { ...cell, source: stubSource(cell) } : cell;
  if (cell.role !== "solution") return cell;
  if (ex.stubs?.(cell.gradeId!)) return { ...cell, source: stubSource(cell) };
  const source = cell.source.split("\n").filter((l) => !/^\s*\/\/ (BEGIN SOLUTION|END SOLUTION|STUB: .*)$/.test(l)).join("\n");
  return { ...cell, source };
}

export function expectedScores(ex: Example): Record<string, unknown> {
  const scores: Record<string, number | null> = {};
  for (const [q, full] of Object.entries(FULL)) scores[q] = full - (ex.lost?.[q as QuestionId] ?? 0);
  for (const w of WRITTEN) scores[w] = null;
  const autograded = Object.keys(FULL).reduce((s, q) => s + (scores[q] as number), 0);
  return {
    example: ex.name,
    reason: ex.reason,
    scores,
    autograded,
    autograded_max: 90,
    manual: ex.noWritten ? "no answers: the TA gives 0 of 10" : "pending: a TA grades the written answers (10 points)",
    total_before_manual: autograded,
  };
}

export function main(args: string[]): number {
  const dir = join(assignmentsDir(), "assignment1");
  const check = args.includes("--check");
  const source = readFileSync(join(dir, "src", "assignment1.ts"), "utf8");
  let stale = 0;
  for (const ex of EXAMPLES) {
    const cells = parseAssignment(applyReplacements(source, ex), `examples/${ex.name}`).map((c) => asSubmitted(c, ex));
    const files: Array<[string, string]> = [
      [join(dir, "examples", `${ex.name}.ipynb`), serialize(buildAssignmentNotebook(cells))],
      [join(dir, "examples", `${ex.name}.expected.json`), JSON.stringify(expectedScores(ex), null, 2) + "\n"],
    ];
    for (const [file, text] of files) {
      if (check) {
        if (!existsSync(file) || readFileSync(file, "utf8") !== text) {
          stale++;
          console.error(`${file} is out of date: run make-examples`);
        }
      } else writeFileSync(file, text);
    }
    if (!check) console.log(`wrote examples/${ex.name}.ipynb: ${expectedScores(ex).autograded} of 90 autograded`);
  }
  return stale ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
