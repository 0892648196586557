/**
 * The launcher's choices and command lines: which isolation is used when, that CI (GRADLAB_FULL=1)
 * refuses to grade unsandboxed, what the report header says, and that the child's view contains gradlab,
 * the harness and the submission's folder but never the rest of the project (tests, reference, bundle).
 */
import { readFileSync } from "fs";
import { join } from "path";
import { chooseIsolation, describeSandbox, planLaunch, RUNTIME_ENTRY } from "../../grader/sandbox/launcher";
import { describeWith, requirements } from "../support/requirements";
import { TEST_LIMITS, writeProgram } from "./sandbox-support";

const PROJECT = join(__dirname, "..", "..");
const nothing = { bwrap: () => false, unshare: () => false };
const onlyUnshare = { bwrap: () => false, unshare: () => true };
const everything = { bwrap: () => true, unshare: () => true };

describe("choosing the isolation", () => {
  test("the strongest available wins: bubblewrap, then unshare, then none", () => {
    expect(chooseIsolation({}, everything)).toBe("bwrap");
    expect(chooseIsolation({}, onlyUnshare)).toBe("unshare");
    expect(chooseIsolation({}, nothing)).toBe("none");
  });

  test("GRADLAB_FULL=1 (CI) refuses to run student code without isolation", () => {
    expect(() => chooseIsolation({ GRADLAB_FULL: "1" }, nothing)).toThrow(/GRADLAB_FULL=1: neither bubblewrap nor `unshare -rn` works here/);
    expect(chooseIsolation({ GRADLAB_FULL: "1" }, onlyUnshare)).toBe("unshare");
  });

  test("GRADLAB_SANDBOX forces a choice, and says so when it is not available", () => {
    expect(chooseIsolation({ GRADLAB_SANDBOX: "none" }, everything)).toBe("none");
    expect(chooseIsolation({ GRADLAB_SANDBOX: "unshare" }, everything)).toBe("unshare");
    expect(() => chooseIsolation({ GRADLAB_SANDBOX: "bwrap" }, onlyUnshare)).toThrow("GRADLAB_SANDBOX=bwrap, but bwrap does not work on this machine");
    expect(() => chooseIsolation({ GRADLAB_SANDBOX: "docker" }, everything)).toThrow("use bwrap, unshare or none");
  });

  test("the report header says UNSANDBOXED when nothing isolates the child", () => {
    expect(describeSandbox(TEST_LIMITS, { GRADLAB_SANDBOX: "none" })).toMatch(/^UNSANDBOXED: .*Node's permission model/);
  });
});

describe("the command line", () => {
  test("without namespaces: the permission model reads only gradlab, the harness and the program's folder", () => {
    const file = writeProgram("module.exports = {};");
    const plan = planLaunch(file, TEST_LIMITS, { GRADLAB_SANDBOX: "none" });
    const reads = plan.args.filter((a) => a.startsWith("--allow-fs-read=")).map((a) => a.slice("--allow-fs-read=".length));
    expect(reads).toEqual([
      join(PROJECT, "dist", "lib"),
      join(PROJECT, "package.json"),
      join(PROJECT, "data"),
      join(PROJECT, "dist", "grader", "sandbox"),
      expect.stringContaining("gradlab-sandbox-prog-"),
    ]);
    expect(plan.args).toEqual(expect.arrayContaining(["--experimental-permission", "--no-addons", "--max-old-space-size=64"]));
    expect(plan.args.some((a) => /--allow-(fs-write|child-process|worker)/.test(a))).toBe(false);
  });

  test("the child gets gradlab as a program's require() does: the package's runtime entry", () => {
    const plan = planLaunch(writeProgram("module.exports = {};"), TEST_LIMITS, { GRADLAB_SANDBOX: "none" });
    expect(RUNTIME_ENTRY).toBe(JSON.parse(readFileSync(join(PROJECT, "package.json"), "utf8")).main);
    expect(plan.args.slice(-2)).toEqual([join(PROJECT, RUNTIME_ENTRY), join(PROJECT, "dist", "lib", "pack.json")]); // its pack: built with it
  });

  describeWith([requirements.bubblewrap], "with bubblewrap", () => {
    test("the view holds system folders, gradlab's dist/lib + package.json + data, the harness and the program: nothing else of the project", () => {
      const file = writeProgram("module.exports = {};");
      const plan = planLaunch(file, TEST_LIMITS, { GRADLAB_SANDBOX: "bwrap" });
      const binds: Array<[string, string]> = [];
      plan.args.forEach((a, i) => {
        if (a === "--ro-bind" || a === "--bind") binds.push([plan.args[i + 1], plan.args[i + 2]]);
      });
      const fromProject = binds.filter(([src]) => src.startsWith(PROJECT + "/") || src === PROJECT);
      expect(fromProject).toEqual([
        [join(PROJECT, "dist", "lib"), "/gradlab/node_modules/gradlab/dist/lib"],
        [join(PROJECT, "package.json"), "/gradlab/node_modules/gradlab/package.json"],
        [join(PROJECT, "data"), "/gradlab/node_modules/gradlab/data"],
        [join(PROJECT, "dist", "grader", "sandbox"), "/gradlab/harness"],
      ]);
      expect(binds.some(([, dest]) => dest === "/gradlab/program")).toBe(true);
      expect(plan.args.some((a) => a === "--bind")).toBe(false); // nothing writable
      expect(plan.args).toEqual(expect.arrayContaining(["--unshare-all", "--die-with-parent", "--new-session", "--clearenv"]));
      expect(describeSandbox(TEST_LIMITS, { GRADLAB_SANDBOX: "bwrap" })).toMatch(/^bubblewrap \(no network, read-only view\) \+ Node permission model \+ prlimit \(memory 1200 MB, CPU 30 s, heap 64 MB\); call budgets in CPU time \(a call that waits ends after 10× its budget, at least 5 s\)$/);
    });
  });
});
