/**
 * The package as its users meet it: `import ... from "gradlab"` from plain Node (ESM and CommonJS),
 * from inside this repository (the package references itself through its `exports`) and from a
 * student's folder that depends on it; and the `gradlab` CLI. These run the compiled dist/ that
 * `npm run build` (part of `npm test`) produces.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

const root = resolve(__dirname, "../..");
const node = (args: string[], cwd: string, input?: string) =>
  spawnSync(process.execPath, args, { cwd, input, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });

const esmProgram = `
import { Value, Tensor, tensor, Graph, AddGate, MultiplyGate, gradcheck, nn, optim, data, plot } from "gradlab";
const a = new Value(2), b = new Value(5);
a.log().add(a.mul(b)).sub(b.sin()).backward();
const g = new Graph();
const x = g.input("x"), y = g.input("y"), z = g.input("z");
g.apply(new MultiplyGate(), [g.apply(new AddGate(), [x, y], "q"), z], "f");
const f = g.forward({ x: -2, y: 5, z: -4 });
console.log(JSON.stringify({ a: a.grad, b: b.grad, f, grads: g.backward(),
  parts: [typeof nn.TwoLayerNet, typeof optim.Adam, typeof data.loadDigits, typeof plot.lossCurve, typeof gradcheck],
  sum: tensor([[1, 2], [3, 4]]).sum().item(), isTensor: Tensor.zeros([1]) instanceof Tensor }));
`;

function expectLectureAnswers(stdout: string) {
  const out = JSON.parse(stdout);
  expect(out.a).toBeCloseTo(5.5, 12);
  expect(out.b).toBeCloseTo(1.7163378145367738, 12);
  expect(out.f).toBe(-12);
  expect(out.grads).toEqual({ x: -4, y: -4, z: 3 });
  expect(out.parts).toEqual(["function", "function", "function", "function", "function"]);
  expect(out.sum).toBe(10);
  expect(out.isTensor).toBe(true);
}

describe("the gradlab package", () => {
  test("ESM import of every public name from inside the repository", () => {
    const r = node(["--input-type=module", "-"], root, esmProgram);
    expect(r.stderr).toBe("");
    expectLectureAnswers(r.stdout);
  });

  test("CommonJS require", () => {
    const r = node(["-e", `const { Value } = require("gradlab"); const v = new Value(3); v.mul(v).backward(); console.log(v.grad)`], root);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("6");
  });

  test("from a student's folder that depends on gradlab", () => {
    const student = mkdtempSync(join(tmpdir(), "gradlab-student-"));
    try {
      mkdirSync(join(student, "node_modules"));
      symlinkSync(root, join(student, "node_modules", "gradlab"), "dir");
      writeFileSync(join(student, "package.json"), JSON.stringify({ name: "hw1", type: "module", dependencies: { gradlab: "*" } }));
      writeFileSync(join(student, "main.js"), esmProgram);
      const r = node(["main.js"], student);
      expect(r.stderr).toBe("");
      expectLectureAnswers(r.stdout);
    } finally {
      rmSync(student, { recursive: true, force: true });
    }
  });

  test("the CLI lists its commands and rejects an unknown one with exit code 2", () => {
    const help = node([join(root, "bin/gradlab.js"), "--help"], root);
    expect(help.status).toBe(0);
    for (const command of ["demo", "kernel", "run", "bench"]) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    const bad = node([join(root, "bin/gradlab.js"), "frobnicate"], root);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown command 'frobnicate'");
  });
});
