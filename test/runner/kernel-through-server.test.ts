/**
 * Issue 4's server check: the gradlab kernel driven through a real Jupyter server (Debian's
 * jupyter-server) with @jupyterlab/services, the library JupyterLab itself uses, not raw ZeroMQ.
 */
import type { Kernel, KernelMessage } from "@jupyterlab/services";
import { LocalJupyterServer } from "../../kernel/runner/local-jupyter";
import { serverSettings } from "../../kernel/runner/server-session";
import { describeWith, requirements } from "../support/requirements";
import { tempDir } from "./helpers";

jest.setTimeout(90000);

interface Executed {
  reply: KernelMessage.IExecuteReplyMsg["content"];
  iopub: KernelMessage.IIOPubMessage[];
}

async function execute(kernel: Kernel.IKernelConnection, code: string): Promise<Executed> {
  const iopub: KernelMessage.IIOPubMessage[] = [];
  const future = kernel.requestExecute({ code, stop_on_error: false });
  future.onIOPub = (msg) => {
    iopub.push(msg);
  };
  const reply = await future.done;
  return { reply: reply.content, iopub };
}

const ofType = (r: Executed, type: string) => r.iopub.filter((m) => m.header.msg_type === type).map((m) => m.content as any);

describeWith([requirements.jupyterServer], "the gradlab kernel through a Jupyter server (@jupyterlab/services)", () => {
  let server: LocalJupyterServer;
  let manager: Kernel.IManager;
  let kernel: Kernel.IKernelConnection;

  beforeAll(async () => {
    server = await LocalJupyterServer.start({ rootDir: tempDir("kernel-server") });
    const { KernelManager } = require("@jupyterlab/services") as typeof import("@jupyterlab/services");
    manager = new KernelManager({ serverSettings: serverSettings({ url: server.url, token: server.token }) });
    await manager.ready;
    kernel = await manager.startNew({ name: "gradlab" });
  });

  afterAll(async () => {
    await kernel?.shutdown().catch(() => undefined);
    kernel?.dispose();
    manager?.dispose();
    await server?.stop();
  });

  test("the server lists the gradlab kernelspec and kernel_info comes back over the WebSocket", async () => {
    const res = await fetch(`${server.url}api/kernelspecs`, { headers: { Authorization: `token ${server.token}` } });
    const specs = (await res.json()) as any;
    expect(specs.kernelspecs.gradlab.spec).toMatchObject({ display_name: "TypeScript (gradlab)", language: "typescript" });
    const info = await kernel.info;
    expect(info.status).toBe("ok");
    expect(info.language_info.name).toBe("typescript");
  });

  test("execute: stream output and an execute_result with a MIME bundle", async () => {
    const r = await execute(kernel, 'const greeting = "hi";\nconsole.log(greeting);\n6 * 7');
    expect(r.reply.status).toBe("ok");
    expect(ofType(r, "stream")).toEqual([expect.objectContaining({ name: "stdout", text: "hi\n" })]);
    expect(ofType(r, "execute_result")).toEqual([expect.objectContaining({ data: expect.objectContaining({ "text/plain": "42" }) })]);
  });

  test("error: ename, evalue and traceback in the reply and on iopub", async () => {
    const r = await execute(kernel, 'throw new RangeError("out of range")');
    expect(r.reply).toMatchObject({ status: "error", ename: "RangeError", evalue: "out of range" });
    const [error] = ofType(r, "error");
    expect(error).toMatchObject({ ename: "RangeError", evalue: "out of range" });
    expect(error.traceback.join("\n")).toContain("out of range");
  });

  test("interrupt through the REST API stops a runaway cell; the kernel and its variables survive", async () => {
    await execute(kernel, "let survivor = 123;");
    const spinning = execute(kernel, "while (true) {}");
    await new Promise((r) => setTimeout(r, 1000));
    const started = Date.now();
    await kernel.interrupt(); // POST /api/kernels/<id>/interrupt
    const r = await spinning;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.reply.status).toBe("error");
    const after = await execute(kernel, "survivor + 1");
    expect(ofType(after, "execute_result")[0].data["text/plain"]).toBe("124");
  });

  test("restart through the REST API: a fresh kernel, execution count back to 1, state gone", async () => {
    await kernel.restart(); // POST /api/kernels/<id>/restart
    const r = await execute(kernel, "survivor");
    expect(r.reply.execution_count).toBe(1);
    expect(r.reply.status).toBe("error"); // "Cannot find name 'survivor'" (or a ReferenceError)
    expect(ofType(r, "error")[0].evalue).toContain("survivor");
  });
});
