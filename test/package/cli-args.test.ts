/**
 * Every sub-command of the `gradlab` CLI reads its arguments the same way: --help prints its usage
 * and exits 0, an unknown option is named and exits 2 (no stack trace). Runs the compiled dist/.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

const root = resolve(__dirname, "../..");
const gradlab = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, "bin", "gradlab.js"), ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, NODE_OPTIONS: "" } });

const commands = [["kernel", "install"], ["kernel", "uninstall"], ["kernel", "start"], ["kernel", "spec"], ["run"], ["bench"], ["demo"]];

describe.each(commands)("gradlab %s %s", (...command) => {
  const words = command.filter(Boolean);
  test("--help prints its usage and exits 0", () => {
    const r = gradlab(...words, "--help");
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`usage: gradlab ${words.join(" ")}`);
    expect(r.status).toBe(0);
  });
  test("an unknown option is named, with the usage (or where to find it), exit 2", () => {
    const r = gradlab(...words, "--frobnicate");
    expect(r.stderr).toContain(`gradlab ${words.join(" ")}: unknown option '--frobnicate'`);
    expect(r.stderr).toMatch(new RegExp(`usage: gradlab ${words.join(" ")}|gradlab ${words.join(" ")} --help`));
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.status).toBe(2);
  });
});

describe("gradlab kernel install --prefix", () => {
  test("says where it wrote the kernelspec and how Jupyter finds it (JUPYTER_PATH)", () => {
    const dir = mkdtempSync(join(tmpdir(), "gradlab-prefix-"));
    try {
      const r = gradlab("kernel", "install", "--prefix", dir);
      expect(r.status).toBe(0);
      const data = join(dir, "share", "jupyter");
      expect(existsSync(join(data, "kernels", "gradlab", "kernel.json"))).toBe(true);
      expect(r.stdout).toContain(`in ${join(data, "kernels", "gradlab")}`);
      expect(r.stdout).toContain(`export JUPYTER_PATH=${data}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test("two locations at once are refused", () => {
    const r = gradlab("kernel", "install", "--user", "--prefix", "/tmp/x");
    expect(r.stderr).toContain("give only one of --user, --sys-prefix, --prefix");
    expect(r.status).toBe(2);
  });
});
