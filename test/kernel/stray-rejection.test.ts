/**
 * A Promise.reject(...) left unhandled by a cell's body is that cell's error: reported in its reply
 * and as its error output before it goes idle, not as a stray line under the old parent afterwards.
 * Runs the compiled kernel (dist/kernel/main.js): `npm run build` first.
 */
import { JupyterMessage, KernelClient } from "../../kernel/client";

let kernel: KernelClient;
beforeAll(async () => { kernel = await KernelClient.launch(); }, 60_000);
afterAll(async () => {
  if (kernel.alive) await kernel.shutdown();
  await kernel.close();
});

const errorsOf = (outputs: JupyterMessage[]) => outputs.filter((m) => m.header.msg_type === "error");

test("a rejection in a cell's synchronous body makes that cell an error", async () => {
  const r = await kernel.execute('Promise.reject(new Error("rejected in the body"));\n"after"');
  expect(r.reply.status).toBe("error");
  expect(r.reply.ename).toBe("Error");
  expect(r.reply.evalue).toBe("rejected in the body");
  expect(r.reply.traceback!.join("\n")).toMatch(/Unhandled promise rejection/);
  expect(errorsOf(r.outputs)).toHaveLength(1);
  // The next cell runs normally and shows nothing of it.
  const next = await kernel.execute("1 + 1");
  expect(next.reply.status).toBe("ok");
  expect(next.outputs.map((m) => JSON.stringify(m.content)).join("")).not.toContain("rejected in the body");
}, 60_000);

test("the same in a cell with top-level await, after its last await", async () => {
  const r = await kernel.execute('await Promise.resolve();\nPromise.reject(new RangeError("late in the body"));');
  expect(r.reply.status).toBe("error");
  expect(r.reply).toMatchObject({ ename: "RangeError", evalue: "late in the body" });
}, 60_000);
