import { execFile } from "child_process";
import { writeFileSync } from "fs";
import { join } from "path";
import { promisify } from "util";
import { compareLines } from "../../bench/compare";
import { summarise, inProcess } from "../../bench/harness";
import { loadWorkloads } from "../../bench/registry";
import { describeWith, requirements } from "../support/requirements";
import { tempDir } from "../support/temp";

const run = promisify(execFile);
const CLI = join(__dirname, "..", "..", "bin", "gradlab.js");
const FIELDS = ["workload", "impl", "median_ms", "min_ms", "max_ms", "runs"];

async function bench(...args: string[]) {
  const { stdout } = await run(process.execPath, [CLI, "bench", ...args], { encoding: "utf8", timeout: 120_000 });
  return JSON.parse(stdout) as Record<string, unknown>[];
}

function checkResult(r: Record<string, unknown>) {
  for (const f of FIELDS) expect(r).toHaveProperty(f);
  const { median_ms, min_ms, max_ms } = r as Record<string, number>;
  expect(min_ms).toBeGreaterThan(0);
  expect(min_ms).toBeLessThanOrEqual(median_ms);
  expect(median_ms).toBeLessThanOrEqual(max_ms);
}

describe("gradlab bench (CLI, JSON mode)", () => {
  test("--only train-digits: TwoLayerNet reaches >= 96% test accuracy, one JSON array on stdout", async () => {
    const results = await bench("--json", "--only", "train-digits", "--impl", "gradlab-js", "--runs", "1");
    expect(results).toHaveLength(1);
    const [r] = results;
    checkResult(r);
    expect(r.workload).toBe("train-digits");
    expect(r.impl).toBe("gradlab-js");
    expect(r.runs).toBe(1);
    expect(r.accuracy as number).toBeGreaterThanOrEqual(0.96);
    expect(r).not.toHaveProperty("gflops");
  });

  test("bad usage exits with 2 and names the problem", async () => {
    await expect(run(process.execPath, [CLI, "bench", "--only", "nope"])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/no workload named 'nope'; there are: .*train-digits/) });
    await expect(run(process.execPath, [CLI, "bench", "--runs", "0"])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--runs needs a whole number >= 1/) });
  });
});

describeWith([requirements.numpy], "gradlab bench: numpy reference impls", () => {
  test("train-digits with numpy reaches the same accuracy band; matmul reports gflops", async () => {
    const results = await bench("--json", "--only", "train-digits", "--only", "matmul-256", "--impl", "numpy", "--runs", "1");
    expect(results.map((r) => `${r.workload}/${r.impl}`)).toEqual(["matmul-256/numpy", "train-digits/numpy"]);
    results.forEach(checkResult);
    expect(results[0].gflops as number).toBeGreaterThan(0);
    expect(results[1].accuracy as number).toBeGreaterThanOrEqual(0.95);
  });
});

describeWith([requirements.numpy], "gradlab bench --compare", () => {
  test("gemm-nt: --impl gradlab runs every gradlab-* impl, numpy beside them, and ratios follow the rows", async () => {
    const { stdout } = await run(process.execPath, [CLI, "bench", "--only", "gemm-nt", "--impl", "gradlab", "--impl", "numpy", "--runs", "1", "--compare"]);
    expect(stdout).toMatch(/^gradlab backend: (native|wasm|js) /m);
    expect(stdout).toMatch(/^numpy BLAS: NumPy /m);
    expect(stdout).toMatch(/^gemm-nt +gradlab-js +median .* GFLOP\/s$/m);
    expect(stdout).toMatch(/^gemm-nt +numpy +median /m);
    expect(stdout).toMatch(/^gemm-nt +gradlab-js +[\d.]+× numpy \[min [\d.]+×\] \(\d+% of its GFLOP\/s\)$/m);
  });
});

describe("harness and registry", () => {
  test("compareLines: time ratios to each reference and to gradlab-js, GFLOP/s shares", () => {
    const row = (impl: string, median_ms: number, gflops?: number) => ({ workload: "w", impl, median_ms, min_ms: median_ms / 2, max_ms: median_ms, runs: 1, ...(gflops ? { gflops } : {}) });
    const lines = compareLines([row("gradlab-native", 10, 20), row("gradlab-js", 40, 5), { ...row("numpy", 8, 25), min_ms: 2 }]);
    expect(lines).toContain("w                  gradlab-native 1.25× numpy [min 2.50×] (80% of its GFLOP/s), 0.25× gradlab-js");
    expect(lines).toContain("w                  gradlab-js     5.00× numpy [min 10.00×] (20% of its GFLOP/s)");
  });

  const w = { name: "w", description: "", defaultRuns: 1, impls: [] };
  test("summarise: median of odd and even counts, gflops from flops and the median", () => {
    const impl = { name: "x", measure: async () => ({ times_ms: [] }) };
    expect(summarise(w, impl, { times_ms: [3, 1, 2] })).toEqual({ workload: "w", impl: "x", median_ms: 2, min_ms: 1, max_ms: 3, runs: 3 });
    const r = summarise(w, impl, { times_ms: [4, 1, 2, 10], flops: 3e6, accuracy: 0.912345 });
    expect(r.median_ms).toBe(3);
    expect(r.gflops).toBe(1); // 3e6 flops in 3 ms
    expect(r.accuracy).toBe(0.9123);
    expect(() => summarise(w, impl, { times_ms: [] })).toThrow(/reported no timed runs/);
  });
  test("inProcess times each run after the warm-up and keeps the last outcome", async () => {
    let calls = 0;
    const m = await inProcess("t", () => ({ accuracy: ++calls }), { warmup: 2 }).measure(3);
    expect(calls).toBe(5);
    expect(m.times_ms).toHaveLength(3);
    expect(m.accuracy).toBe(5);
  });
  test("workloads are discovered from bench/workloads/, sorted; duplicates and empty files are errors", () => {
    const names = loadWorkloads().map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(["matmul-256", "train-digits"]));
    expect([...names].sort()).toEqual(names);
    const dir = tempDir("bench");
    writeFileSync(join(dir, "a.js"), `exports.workload = { name: "same", description: "", defaultRuns: 1, impls: [] };`);
    writeFileSync(join(dir, "b.js"), `exports.workloads = [{ name: "same", description: "", defaultRuns: 1, impls: [] }];`);
    expect(() => loadWorkloads(dir)).toThrow(/two workloads are named 'same'/);
    const dir2 = tempDir("bench"); // a fresh folder: require caches files
    writeFileSync(join(dir2, "empty.js"), `exports.other = 1;`);
    expect(() => loadWorkloads(dir2)).toThrow(/empty.js exports neither 'workload' nor 'workloads'/);
  });
});
