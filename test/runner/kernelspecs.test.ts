import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { findKernelspec, kernelspecSearchPath } from "../../kernel/runner/kernelspecs";
import { tempDir } from "../support/temp";

describe("finding a kernelspec without Python (gradlab run --kernel NAME)", () => {
  let root: string;
  let env: { JUPYTER_PATH: string; JUPYTER_DATA_DIR: string };
  beforeAll(() => {
    root = tempDir("kernelspecs");
    env = { JUPYTER_PATH: join(root, "first"), JUPYTER_DATA_DIR: join(root, "user") };
    const write = (base: string, name: string, spec: unknown) => {
      mkdirSync(join(root, base, "kernels", name), { recursive: true });
      writeFileSync(join(root, base, "kernels", name, "kernel.json"), typeof spec === "string" ? spec : JSON.stringify(spec));
    };
    write("first", "mykernel", { argv: ["run", "{resource_dir}/k.py", "-f", "{connection_file}"], display_name: "Mine", language: "python" });
    write("user", "mykernel", { argv: ["shadowed"], display_name: "Shadowed", language: "python" });
    write("user", "msg", { argv: ["x"], display_name: "Msg", language: "r", interrupt_mode: "message", env: { A: "1" } });
    write("user", "broken", "{ nope");
    write("user", "noargv", { display_name: "No argv" });
  });

  test("JUPYTER_PATH first, then the user's data dir, then /usr/local and /usr", () => {
    expect(kernelspecSearchPath(env)).toEqual([
      join(root, "first", "kernels"), join(root, "user", "kernels"), "/usr/local/share/jupyter/kernels", "/usr/share/jupyter/kernels",
    ]);
  });

  test("the first match wins; {resource_dir} is filled in; interrupt_mode defaults to signal", () => {
    const spec = findKernelspec("mykernel", env);
    expect(spec.argv).toEqual(["run", `${join(root, "first", "kernels", "mykernel")}/k.py`, "-f", "{connection_file}"]);
    expect(spec).toMatchObject({ display_name: "Mine", language: "python", interrupt_mode: "signal" });
    expect(findKernelspec("msg", env)).toMatchObject({ interrupt_mode: "message", env: { A: "1" } });
  });

  test("missing, unreadable and argv-less kernelspecs are clear errors", () => {
    expect(() => findKernelspec("nothere", env)).toThrow(/no kernelspec named 'nothere' \(looked in .*first\/kernels/);
    expect(() => findKernelspec("broken", env)).toThrow(/kernelspec 'broken' at .*kernel\.json is not valid JSON/);
    expect(() => findKernelspec("noargv", env)).toThrow(/kernelspec 'noargv' at .* has no argv/);
  });
});
