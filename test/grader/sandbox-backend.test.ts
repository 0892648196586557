/**
 * The sandboxed child computes with the WebAssembly backend (native addons are refused there): its
 * memory limit is on written memory (RLIMIT_DATA), which a WebAssembly memory's reserved address space
 * does not count against, while a typed-array bomb still stops at the limit.
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { SandboxedProgram } from "../../grader/sandbox/sandboxed-program";
import { ChildFailure } from "../../grader/sandbox/program";
import { tempDir } from "../support/temp";

jest.setTimeout(60_000);

test("the child's matrix products run on the wasm backend, and memory is still limited", async () => {
  const dir = tempDir("sandbox-backend");
  const file = join(dir, "program.js");
  writeFileSync(file, `
const g = require("gradlab");
const path = require("path");
function backend() {
  const a = g.Tensor.randn([300, 300], 1), b = g.Tensor.randn([300, 300], 2);
  a.matmul(b);
  return require(path.join(path.dirname(require.resolve("gradlab")), "tensor", "backend", "index.js")).backendInfo().active;
}
function bomb() { const a = []; for (;;) a.push(new Float64Array(1.25e8)); }
module.exports.__gradlab_exports = { backend, bomb };
`);
  const p = new SandboxedProgram(file, { timeoutMs: 20_000 });
  try {
    expect(await p.call("backend")).toBe("wasm");
    const failure = await p.call("bomb").then(() => null, (e) => e);
    expect(failure).toBeInstanceOf(ChildFailure);
    expect((failure as ChildFailure).outcome).toBe("limit");
  } finally {
    await p.close();
  }
});
