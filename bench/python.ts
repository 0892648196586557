import { spawn, spawnSync } from "child_process";
import { existsSync } from "fs";
import { join } from "path";
import { packageRoot } from "../lib/data/package-root";
import { Impl, Measurement } from "./types";

/** Debian's python3, which has numpy (the python3 first on PATH may not). */
export const DEBIAN_PYTHON = "/usr/bin/python3";

let numpyMissing: string | null | undefined;

/** Null when Debian's python3 can import numpy, else the reason. */
export function numpyUnavailable(): string | null {
  if (numpyMissing === undefined) {
    if (!existsSync(DEBIAN_PYTHON)) numpyMissing = `${DEBIAN_PYTHON} not found (install Debian's python3-numpy)`;
    else {
      const r = spawnSync(DEBIAN_PYTHON, ["-c", "import numpy"], { encoding: "utf8" });
      numpyMissing = r.status === 0 ? null : `numpy is not importable by ${DEBIAN_PYTHON} (install Debian's python3-numpy)`;
    }
  }
  return numpyMissing;
}

/**
 * A numpy reference impl: runs bench/python/<script> with Debian's python3 as
 * `script --runs N --root <package root> [args]`. The script times its own runs (so interpreter
 * start-up is not counted) and prints one JSON object: { "times_ms": [...], "accuracy"?, "flops"? }.
 */
export function numpyImpl(script: string, args: string[] = [], name = "numpy"): Impl {
  return {
    name,
    unavailable: numpyUnavailable,
    measure(runs: number): Promise<Measurement> {
      const root = packageRoot();
      const path = join(root, "bench", "python", script);
      return new Promise((resolve, reject) => {
        const child = spawn(DEBIAN_PYTHON, [path, "--runs", String(runs), "--root", root, ...args], { stdio: ["ignore", "pipe", "pipe"], env: numpyEnv() });
        let out = "", err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("error", reject);
        child.on("close", (code) => {
          if (code !== 0) return reject(new Error(`bench: ${script} exited with ${code}: ${err.trim().split("\n").slice(-3).join(" | ")}`));
          try {
            const m = JSON.parse(out.trim().split("\n").pop() ?? "") as Measurement;
            if (!Array.isArray(m.times_ms)) throw new Error("no times_ms");
            resolve(m);
          } catch (e) {
            reject(new Error(`bench: ${script} printed no valid result (${(e as Error).message}): ${out.slice(0, 200)}`));
          }
        });
      });
    },
  };
}

/**
 * The environment numpy is benchmarked in: this machine's without OPENBLAS_CORETYPE and
 * OPENBLAS_L2_SIZE (set here for older OpenBLAS builds; they slow a current one), both or neither.
 */
export function numpyEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/**
 * Which BLAS numpy really calls: the BLAS/LAPACK libraries mapped into its process after a matrix
 * product (Debian's python3-numpy links the slow reference BLAS unless libopenblas0-pthread is installed).
 */
export function numpyBlas(): string {
  if (numpyUnavailable()) return "numpy not available";
  const code = [
    "import numpy as np, os, re",
    "np.ones((64, 64)) @ np.ones((64, 64))",
    "libs = sorted({os.path.realpath(l.split()[-1]) for l in open('/proc/self/maps') if re.search(r'blas|lapack|blis|mkl', l.split()[-1] if len(l.split()) > 5 else '')})",
    "print(np.__version__, ', '.join(libs))",
  ].join("\n");
  const r = spawnSync(DEBIAN_PYTHON, ["-c", code], { encoding: "utf8", env: numpyEnv() });
  return r.status === 0 ? `NumPy ${r.stdout.trim()}` : `unknown (${r.stderr.trim().split("\n").pop()})`;
}
