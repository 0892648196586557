/**
 * The gradlab kernelspec (kernels/gradlab/kernel.json + logos) and where Jupyter keeps kernelspecs.
 * Jupyter's own paths come from `/usr/bin/python3 -m jupyter --paths --json`, or `jupyter --paths --json`
 * on PATH, so the kernel installs into whatever Jupyter is present, with any Python.
 */
import { spawnSync } from "child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { packageRoot } from "../client/client";
import { LOGO_SIZES, logoPath } from "./logo";

export const KERNEL_NAME = "gradlab";
export const DISPLAY_NAME = "TypeScript (gradlab)";

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "message" | "signal";
  metadata: Record<string, unknown>;
}

/** The kernelspec: this Node running this package's CLI, so it works from a checkout or an npm install. */
export function kernelSpec(root = packageRoot(), node = process.execPath): KernelSpec {
  return {
    argv: [node, join(root, "bin", "gradlab.js"), "kernel", "start", "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: "message",
    metadata: { debugger: false },
  };
}

/** Writes kernel.json and the logos into `<dataDir>/kernels/gradlab`; returns that folder. */
export function writeKernelSpec(dataDir: string, spec = kernelSpec()): string {
  const dir = join(dataDir, "kernels", KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  const root = packageRoot();
  for (const size of LOGO_SIZES) copyFileSync(logoPath(root, size), join(dir, `logo-${size}x${size}.png`));
  return dir;
}

export function removeKernelSpec(dataDir: string): string | null {
  const dir = join(dataDir, "kernels", KERNEL_NAME);
  if (!existsSync(dir)) return null;
  rmSync(dir, { recursive: true, force: true });
  return dir;
}

export interface JupyterPaths {
  /** How Jupyter was found, e.g. "/usr/bin/python3 -m jupyter". */
  via: string;
  /** Data directories, user first (Jupyter's own order). */
  data: string[];
  /** sys.prefix/share/jupyter of the Python that runs Jupyter, when known. */
  sysPrefixData: string | null;
}

export class NoJupyterError extends Error {}

function run(cmd: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 30_000 });
  return { ok: r.status === 0, out: r.stdout ?? "", err: (r.stderr ?? "") + (r.error ? String(r.error.message) : "") };
}

/** Finds Jupyter and asks it for its paths; throws NoJupyterError saying what was tried. */
export function findJupyter(python = "/usr/bin/python3"): JupyterPaths {
  const tried: string[] = [];
  const candidates: { cmd: string; args: string[]; via: string; python: string | null }[] = [
    { cmd: python, args: ["-m", "jupyter", "--paths", "--json"], via: `${python} -m jupyter`, python },
    { cmd: "jupyter", args: ["--paths", "--json"], via: "jupyter (on PATH)", python: null },
  ];
  for (const c of candidates) {
    const r = run(c.cmd, c.args);
    if (!r.ok) {
      tried.push(`${c.via}: ${(r.err.trim().split("\n").pop() || "failed").slice(0, 200)}`);
      continue;
    }
    let data: string[];
    try {
      data = JSON.parse(r.out).data;
    } catch {
      tried.push(`${c.via}: printed no JSON paths`);
      continue;
    }
    let sysPrefixData: string | null = null;
    const py = c.python ?? "python3";
    const p = run(py, ["-c", "import sys; print(sys.prefix)"]);
    if (p.ok && p.out.trim()) sysPrefixData = join(p.out.trim(), "share", "jupyter");
    return { via: c.via, data, sysPrefixData };
  }
  throw new NoJupyterError(
    "no Jupyter found, so there is nowhere to install the kernel. Tried:\n" +
    tried.map((t) => `  - ${t}`).join("\n") +
    "\nInstall Jupyter (Debian: `apt install jupyter-notebook`; pip: `pip install jupyterlab`), " +
    "or give `--prefix P` to write the kernelspec to P/share/jupyter/kernels/gradlab yourself.",
  );
}
