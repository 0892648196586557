/**
 * A small assignment for the grading engine's tests: two gates and one layer, with a reference, visible
 * and hidden tests, a written question, and submissions made from the reference by one realistic
 * mistake each (so every expected score below can be worked out by hand).
 */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";

type CellSpec = { kind: "code" | "markdown"; source: string; nbgrader?: Record<string, unknown> };

const solution = (id: string, source: string): CellSpec => ({
  kind: "code", source, nbgrader: { grade_id: id, solution: true, grade: false, locked: false, schema_version: 3 },
});
const provided = (id: string, source: string): CellSpec => ({
  kind: "code", source, nbgrader: { grade_id: id, solution: false, grade: false, locked: true, schema_version: 3 },
});
const check = (id: string, source: string): CellSpec => ({
  kind: "code", source, nbgrader: { grade_id: id, solution: false, grade: true, locked: true, points: 0, schema_version: 3 },
});

export const MULTIPLY = `class MultiplyGate {
  x: any; y: any;
  forward(x: any, y: any) {
    this.x = x; this.y = y;
    return typeof x === "number" && typeof y === "number" ? x * y : Tensor.from(x).mul(y);
  }
  backward(dz: any) {
    if (typeof this.x === "number" && typeof this.y === "number") return [dz * this.y, dz * this.x];
    const x = Tensor.from(this.x), y = Tensor.from(this.y), d = Tensor.from(dz);
    return [sumToShape(d.mul(y), x.shape), sumToShape(d.mul(x), y.shape)];
  }
}`;

export const MAX = `class MaxGate {
  x = 0; y = 0;
  forward(x: number, y: number) { this.x = x; this.y = y; return Math.max(x, y); }
  backward(dz: number) { return this.x >= this.y ? [dz, 0] : [0, dz]; }
}`;

export const AFFINE = `function affineForward(x: Tensor, w: Tensor, b: Tensor): [Tensor, any] {
  return [x.matmul(w).add(b), { x, w }];
}
function affineBackward(dout: Tensor, cache: any): Tensor[] {
  const { x, w } = cache;
  return [dout.matmul(w.T), x.T.matmul(dout), dout.sum(0)];
}`;

export function cells(multiply = MULTIPLY, max = MAX, affine = AFFINE, written = "The gradient flows backwards."): CellSpec[] {
  return [
    { kind: "markdown", source: "# Mini assignment\nWrite the gates below." },
    provided("imports", `import { Tensor, sumToShape } from "gradlab";`),
    solution("multiply", multiply),
    check("check-multiply", `console.log(new MultiplyGate().forward(3, -4));`),
    solution("max", max),
    solution("affine", affine),
    { kind: "markdown", source: written, nbgrader: { grade_id: "explain", solution: true, grade: true, locked: false, points: 2, schema_version: 3 } },
  ];
}

export function notebook(spec: CellSpec[]): string {
  return JSON.stringify({
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" } },
    cells: spec.map((c, i) => ({
      cell_type: c.kind, id: `cell-${i}`, source: c.source,
      metadata: c.nbgrader ? { nbgrader: c.nbgrader } : {},
      ...(c.kind === "code" ? { execution_count: null, outputs: [] } : {}),
    })),
  }, null, 1);
}

const CONFIG = {
  id: "mini",
  title: "Mini assignment",
  notebook: "mini.ipynb",
  due: "2026-10-02T23:59:00-04:00",
  late_policy: { grace_minutes: 15, per_day: 0.1, max_days: 3 },
  tolerance: { rel_error: 1e-7, gradcheck_rel_error: 1e-5, atol: 1e-10 },
  timeout_ms: 2000,
  questions: [
    { id: "multiply", title: "MultiplyGate", points: 4, grades: ["MultiplyGate"], forbids: ["MultiplyGate"] },
    { id: "max", title: "MaxGate", points: 3, grades: ["MaxGate"], forbids: ["MaxGate"] },
    { id: "affine", title: "Affine layer", points: 3, grades: ["affineForward", "affineBackward"], forbids: ["nn.Linear"] },
    { id: "explain", title: "Written: explain", points: 2, manual: true, cells: ["explain"] },
  ],
};

const PUBLIC_TESTS = `import { question, test } from "gradlab/grader";

question("multiply", () => {
  test("scalars: forward and backward switch the inputs", { points: 1 }, async (t) => {
    await t.checkGate("MultiplyGate", [3, -4], { upstream: 2 });
  });
  test("tensors of the same shape", { points: 1 }, async (t) => {
    await t.checkGate("MultiplyGate", [t.randn([2, 3]), t.randn([2, 3])]);
  });
});

question("max", () => {
  test("the larger input gets the gradient", { points: 2 }, async (t) => {
    await t.checkGate("MaxGate", [2, 5], { upstream: 3, gradcheck: true });
  });
});

question("affine", () => {
  test("affine forward and backward", { points: 2, partial: true }, async (t) => {
    await t.checkLayer("affineForward", "affineBackward", [t.randn([4, 3]), t.randn([3, 5]), t.randn([5])], { inputs: ["x", "w", "b"] });
  });
});
`;

export const HIDDEN_MARKERS = { input: 7.123456, upstream: -2.5 };

const HIDDEN_TESTS = `import { question, test } from "gradlab/grader";
import { Tensor } from "gradlab";

question("multiply", () => {
  test("broadcast y over rows", { points: 2, seed: 11 }, async (t) => {
    await t.checkGate("MultiplyGate", [t.randn([3, 4]), t.randn([1, 4])]);
  });
});

question("max", () => {
  test("a tie sends the gradient to x", { points: 1 }, async (t) => {
    await t.checkGate("MaxGate", [${HIDDEN_MARKERS.input}, ${HIDDEN_MARKERS.input}], { upstream: ${HIDDEN_MARKERS.upstream}, gradcheck: false });
  });
});

question("affine", () => {
  test("one example (N = 1)", { points: 1 }, async (t) => {
    await t.checkLayer("affineForward", "affineBackward", [Tensor.from([[1, 2, 3]]), t.randn([3, 2]), t.randn([2])], { inputs: ["x", "w", "b"] });
  });
});
`;

/** Writes the instructor's source folder of the mini assignment into `dir`; returns it. */
export function writeMiniAssignment(dir: string): string {
  mkdirSync(join(dir, "tests", "public"), { recursive: true });
  mkdirSync(join(dir, "tests", "hidden"), { recursive: true });
  writeFileSync(join(dir, "assignment.json"), JSON.stringify(CONFIG, null, 2));
  writeFileSync(join(dir, "mini.ipynb"), notebook(cells()));
  writeFileSync(join(dir, "tests", "public", "gates.ts"), PUBLIC_TESTS);
  writeFileSync(join(dir, "tests", "hidden", "gates.ts"), HIDDEN_TESTS);
  return dir;
}

/** Submissions made from the reference by one mistake each, with the score each must get (of 10 auto points). */
export const MISTAKES: Record<string, { cells: CellSpec[]; score: number; why: string }> = {
  perfect: { cells: cells(), score: 10, why: "the reference itself" },
  "multiply-no-switch": {
    cells: cells(MULTIPLY.replace("[dz * this.y, dz * this.x]", "[dz * this.x, dz * this.y]").replace("[sumToShape(d.mul(y), x.shape), sumToShape(d.mul(x), y.shape)]", "[sumToShape(d.mul(x), x.shape), sumToShape(d.mul(y), y.shape)]")),
    score: 6, why: "all 4 multiply points lost (scalars, tensors, broadcast)",
  },
  "max-to-both": {
    cells: cells(MULTIPLY, MAX.replace("this.x >= this.y ? [dz, 0] : [0, dz]", "[dz, dz]")),
    score: 7, why: "both max tests lost (3 points)",
  },
  "affine-no-transpose": {
    cells: cells(MULTIPLY, MAX, AFFINE.replace("x.T.matmul(dout)", "x.matmul(dout.T).T")),
    score: 8, why: "affineBackward throws a shape error: the forward check still earns 1 of the public test's 2 partial-credit points; the hidden test 0",
  },
  "no-broadcast-sum": {
    cells: cells(MULTIPLY.replace("[sumToShape(d.mul(y), x.shape), sumToShape(d.mul(x), y.shape)]", "[d.mul(y), d.mul(x)]")),
    score: 8, why: "only the hidden broadcast test (2 points) fails",
  },
  "forbidden-import": {
    cells: cells(`import { MultiplyGate as MG } from "gradlab";\nclass MultiplyGate extends MG {}`),
    score: 6, why: "uses gradlab's own MultiplyGate: 0 of 4",
  },
  "syntax-error": {
    cells: cells(MULTIPLY.replace("forward(x: any, y: any) {", "forward(x: any, y: any {")),
    score: 0, why: "nothing compiles",
  },
  "type-error-in-max": {
    cells: cells(MULTIPLY, MAX.replace("return Math.max(x, y);", "const s: string = x; return Math.max(x, y);")),
    score: 7, why: "a type error in the max cell: 0 of 3 there, the rest graded",
  },
  "infinite-loop-in-max": {
    cells: cells(MULTIPLY, MAX.replace("backward(dz: number) {", "backward(dz: number) { while (true) {}")),
    score: 7, why: "max backward never returns: both max tests time out",
  },
  "stubs": {
    cells: cells(
      `class MultiplyGate { forward(x: any, y: any): any { throw new Error("not implemented yet: multiply"); } backward(dz: any): any { throw new Error("not implemented yet: multiply"); } }`,
      `class MaxGate { forward(x: number, y: number): number { throw new Error("not implemented yet: max"); } backward(dz: number): number[] { throw new Error("not implemented yet: max"); } }`,
      `function affineForward(x: Tensor, w: Tensor, b: Tensor): [Tensor, any] { throw new Error("not implemented yet: affine"); }\nfunction affineBackward(dout: Tensor, cache: any): Tensor[] { throw new Error("not implemented yet: affine"); }`,
    ),
    score: 0, why: "the released stubs",
  },
};
