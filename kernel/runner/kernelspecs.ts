/**
 * Finding a kernelspec by name without Python, for `gradlab run --kernel NAME` in embedded mode:
 * the same directories Jupyter searches (JUPYTER_PATH, the user's data dir, /usr/local, /usr), so
 * any installed kernel (python3, another TypeScript kernel) can run a notebook with no server.
 */
import { existsSync, readFileSync } from "fs";
import { homedir } from "os";
import { join } from "path";

export interface KernelSpec {
  name: string;
  dir: string;
  argv: string[];
  display_name: string;
  language: string;
  /** Jupyter's default is "signal" (SIGINT to the process); "message" sends interrupt_request. */
  interrupt_mode: "signal" | "message";
  env?: Record<string, string>;
}

export function kernelspecSearchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = (env.JUPYTER_PATH ?? "").split(":").filter(Boolean);
  dirs.push(env.JUPYTER_DATA_DIR ?? join(env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "jupyter"));
  dirs.push("/usr/local/share/jupyter", "/usr/share/jupyter");
  return dirs.map((d) => join(d, "kernels"));
}

export function findKernelspec(name: string, env: NodeJS.ProcessEnv = process.env): KernelSpec {
  const searched = kernelspecSearchPath(env);
  for (const kernelsDir of searched) {
    const file = join(kernelsDir, name, "kernel.json");
    if (!existsSync(file)) continue;
    let spec: any;
    try {
      spec = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new Error(`kernelspec '${name}' at ${file} is not valid JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(spec.argv) || spec.argv.length === 0) {
      throw new Error(`kernelspec '${name}' at ${file} has no argv`);
    }
    return {
      name,
      dir: join(kernelsDir, name),
      argv: spec.argv.map((a: unknown) => String(a).split("{resource_dir}").join(join(kernelsDir, name))),
      display_name: String(spec.display_name ?? name),
      language: String(spec.language ?? ""),
      interrupt_mode: spec.interrupt_mode === "message" ? "message" : "signal",
      env: spec.env,
    };
  }
  throw new Error(`no kernelspec named '${name}' (looked in ${searched.join(", ")}); ` +
    `list installed kernels with \`jupyter kernelspec list\``);
}
