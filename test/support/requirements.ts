/**
 * Tests that need software outside Node (Debian's Python with Jupyter, Chromium, numpy) declare it here.
 * Where it is missing they skip with a printed reason, unless GRADLAB_FULL=1 (set by .ci/run), which
 * turns a missing requirement into a failing test: CI must prove these paths, not skip them.
 */
import { spawnSync } from "child_process";
import { existsSync } from "fs";

// Overridable so that a machine without them can be rehearsed here:
// GRADLAB_TEST_PYTHON=/nonexistent GRADLAB_TEST_CHROMIUM=/nonexistent npm test
export const DEBIAN_PYTHON = process.env.GRADLAB_TEST_PYTHON || "/usr/bin/python3";
export const CHROMIUM = process.env.GRADLAB_TEST_CHROMIUM || "/usr/bin/chromium";
export const BWRAP = process.env.GRADLAB_TEST_BWRAP || "/usr/bin/bwrap";
export const FULL = process.env.GRADLAB_FULL === "1";

export interface Requirement {
  /** What is needed, in words, e.g. "Debian's python3-jupyter-kernel-test". */
  what: string;
  /** Returns null when available, or why it is not. */
  missing(): string | null;
}

function pythonModule(module: string, debianPackage: string): Requirement {
  return {
    what: `Debian's ${debianPackage} (${DEBIAN_PYTHON} -c 'import ${module}')`,
    missing() {
      if (!existsSync(DEBIAN_PYTHON)) return `${DEBIAN_PYTHON} not found`;
      const r = spawnSync(DEBIAN_PYTHON, ["-c", `import ${module}`], { encoding: "utf8" });
      return r.status === 0 ? null : `python module '${module}' not importable: ${(r.stderr || "").trim().split("\n").pop()}`;
    },
  };
}

export const requirements = {
  jupyterClient: pythonModule("jupyter_client", "python3-jupyter-client"),
  kernelTest: pythonModule("jupyter_kernel_test", "python3-jupyter-kernel-test"),
  jupyterServer: pythonModule("jupyter_server", "jupyter-server"),
  notebook: pythonModule("notebook", "python3-notebook"),
  nbformat: pythonModule("nbformat", "python3-nbformat"),
  numpy: pythonModule("numpy", "python3-numpy"),
  bubblewrap: {
    what: `bubblewrap (${BWRAP}) able to create namespaces on this machine`,
    missing() {
      if (!existsSync(BWRAP)) return `${BWRAP} not found`;
      const r = spawnSync(BWRAP, ["--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "/bin/true"], { encoding: "utf8" });
      return r.status === 0 ? null : `bwrap cannot create namespaces here: ${(r.stderr || "").trim().split("\n").pop()}`;
    },
  } as Requirement,
  unshare: {
    what: "util-linux's unshare able to make a user and network namespace (unshare -rn)",
    missing() {
      const r = spawnSync("unshare", ["-rn", "--", "/bin/true"], { encoding: "utf8" });
      if (r.error) return `unshare not found: ${r.error.message}`;
      return r.status === 0 ? null : `unshare -rn fails here: ${(r.stderr || "").trim().split("\n").pop()}`;
    },
  } as Requirement,
  prlimit: {
    what: "util-linux's prlimit (resource limits for the grading process)",
    missing: () => (spawnSync("prlimit", ["--cpu=100", "--", "/bin/true"]).status === 0 ? null : "prlimit not found or not working"),
  } as Requirement,
  chromium: {
    what: `Debian's chromium (${CHROMIUM})`,
    missing: () => (existsSync(CHROMIUM) ? null : `${CHROMIUM} not found`),
  } as Requirement,
};

/**
 * Tests that install packages from the npm registry (a released student folder's `npm install`): slow and
 * network-bound, so they run when asked (GRADLAB_TEST_NPM=1) and always in CI (GRADLAB_FULL=1).
 */
export const npmRegistry: Requirement = {
  what: "the npm registry (npm install of a released student folder)",
  missing: () => (FULL || process.env.GRADLAB_TEST_NPM === "1" ? null : "not asked for: set GRADLAB_TEST_NPM=1"),
};

const cache = new Map<Requirement, string | null>();

/** Null when every requirement is met, else the reasons joined. */
export function unmet(...needs: Requirement[]): string | null {
  const reasons: string[] = [];
  for (const need of needs) {
    if (!cache.has(need)) cache.set(need, need.missing());
    const why = cache.get(need);
    if (why) reasons.push(`${need.what}: ${why}`);
  }
  return reasons.length ? reasons.join("; ") : null;
}

/**
 * `describe` that runs only when the requirements are met. Otherwise it prints why and skips, or,
 * under GRADLAB_FULL=1, registers one failing test that names what is missing.
 */
export function describeWith(needs: Requirement[], name: string, body: () => void): void {
  const why = unmet(...needs);
  if (!why) {
    describe(name, body);
    return;
  }
  if (FULL) {
    describe(name, () => {
      test("requirements are installed (GRADLAB_FULL=1 makes them mandatory)", () => {
        throw new Error(`missing: ${why}`);
      });
    });
    return;
  }
  // Straight to stderr: Jest drops console output of a file whose tests are all skipped.
  process.stderr.write(`skipping "${name}": ${why} (set GRADLAB_FULL=1 to make this mandatory)\n`);
  describe.skip(name, body);
}
